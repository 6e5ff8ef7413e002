// Package latency measures per-call latency in benchmarks: wall-clock p50
// and p99 over the benchmark's calls, and the p99 of each input's fastest
// of five calls — on a shared machine a wall-clock p99 measures the other
// processes as much as the code, the fastest of five is the code's own
// cost. It imports nothing of the project, so any package's tests can use
// it.
package latency

import (
	"slices"
	"testing"
	"time"
)

// Measure calls f on the inputs in turn for the benchmark's iterations and
// reports p50-ns, p99-ns and p99-min5-ns. Each input is called once first,
// untimed, to warm pools and caches.
func Measure(b *testing.B, inputs []string, f func(string)) {
	b.Helper()
	if len(inputs) == 0 {
		b.Fatal("latency: no inputs")
	}
	for _, in := range inputs {
		f(in)
	}
	lat := make([]time.Duration, 0, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		in := inputs[i%len(inputs)]
		i++
		start := time.Now()
		f(in)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(Percentile(lat, 50).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(Percentile(lat, 99).Nanoseconds()), "p99-ns")
	mins := make([]time.Duration, len(inputs))
	for i, in := range inputs {
		for k := 0; k < 5; k++ {
			start := time.Now()
			f(in)
			if d := time.Since(start); k == 0 || d < mins[i] {
				mins[i] = d
			}
		}
	}
	slices.Sort(mins)
	b.ReportMetric(float64(Percentile(mins, 99).Nanoseconds()), "p99-min5-ns")
}

// Percentile returns the p-th percentile (nearest rank) of sorted
// durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
