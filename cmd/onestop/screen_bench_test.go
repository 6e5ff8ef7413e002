package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// lineCounter counts the lines written to it (one per household in
// --format json), so that a benchmark that screened nothing fails.
type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

// BenchmarkScreenCommand is `onestop screen --format json --workers 2` end
// to end on the default pack (jp-national): reading the file, decoding
// with every check, screening, writing the JSON Lines. The households are
// `onestop synth --count N --seed 1 --as-of 2026-11-23`. It reports
// households/s and cpu-µs/household (the process's CPU time, every thread,
// per household: on a shared machine wall time includes the waiting for a
// core); run it with -benchtime 1x (one op is the whole file):
//
//	go test ./cmd/onestop -run '^$' -bench ScreenCommand -benchtime 1x -count 6
func BenchmarkScreenCommand(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run("households="+strconv.Itoa(n), func(b *testing.B) {
			var in bytes.Buffer
			if code := run(context.Background(), []string{"synth", "--count", strconv.Itoa(n), "--seed", "1", "--as-of", "2026-11-23"}, nil, &in, os.Stderr); code != 0 {
				b.Fatalf("synth: exit %d", code)
			}
			file := filepath.Join(b.TempDir(), "households.jsonl")
			if err := os.WriteFile(file, in.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(in.Len()))
			// As in a process of its own, the engine is all the live heap
			// when screen starts (it sizes the collector's memory limit on
			// it): the generated households are collected first.
			in = bytes.Buffer{}
			runtime.GC()
			b.ResetTimer()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				var out lineCounter
				var stderr bytes.Buffer
				code := run(context.Background(), []string{"screen", "--format", "json", "--workers", "2", "--as-of", "2026-11-23", file}, nil, &out, &stderr)
				if code != 0 || out.n != n {
					b.Fatalf("screen: exit %d, %d lines for %d households: %s", code, out.n, n, stderr.String())
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
			if cpu > 0 {
				b.ReportMetric(float64(processCPU()-cpu)/1e3/float64(n*b.N), "cpu-µs/household")
			}
		})
	}
}
