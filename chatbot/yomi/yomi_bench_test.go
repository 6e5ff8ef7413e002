package yomi_test

import (
	"fmt"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/ikawaha/kagome-dict/ipa"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
)

// BenchmarkDictionaryLoad measures loading the IPA dictionary and the heap
// it holds. kagome keeps one loaded copy per process, so only the first
// load costs: run it alone (go test -run '^$' -bench DictionaryLoad
// -benchtime 1x) for the figures.
func BenchmarkDictionaryLoad(b *testing.B) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for b.Loop() {
		if _, err := yomi.New(); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ipa.Dict())
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-bytes")
	b.ReportMetric(float64(elapsed.Milliseconds()), "first-load-ms")
}

// scaled makes an n-entry knowledge base by copying the default one's
// entries under new IDs (build time and latency only).
func scaled(b *testing.B, n int) *chatbot.KnowledgeBase {
	kb, err := chatbot.Default()
	if err != nil {
		b.Fatal(err)
	}
	out := *kb
	out.Entries = make([]chatbot.Entry, 0, n)
	for i := 0; len(out.Entries) < n; i++ {
		e := kb.Entries[i%len(kb.Entries)]
		e.ID = fmt.Sprintf("%s-%d", e.ID, i/len(kb.Entries))
		out.Entries = append(out.Entries, e)
	}
	return &out
}

// BenchmarkCompile2000Readings is the index build at 2,000 entries with
// readings (the dictionary already loaded).
func BenchmarkCompile2000Readings(b *testing.B) {
	d, err := dict()
	if err != nil {
		b.Fatal(err)
	}
	kb := scaled(b, 2000)
	var m *chatbot.Matcher
	b.ReportAllocs()
	for b.Loop() {
		if m, err = chatbot.Compile(kb, chatbot.WithReadings(d)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st := m.Stats()
	b.ReportMetric(float64(st.Bytes), "index-bytes")
	b.ReportMetric(float64(st.ReadingRules), "reading-rules")
}

// BenchmarkMatch2000Readings is the latency target with every resource on:
// p99 per query ≤ 1 ms at 2,000 entries.
func BenchmarkMatch2000Readings(b *testing.B) {
	d, err := dict()
	if err != nil {
		b.Fatal(err)
	}
	m, err := chatbot.Compile(scaled(b, 2000), chatbot.WithReadings(d))
	if err != nil {
		b.Fatal(err)
	}
	qs := loadQueries(b, "heldout5_queries.json")
	var r chatbot.Result
	for _, q := range qs {
		m.MatchInto(&r, q.Q, 3)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)].Q
		i++
		start := time.Now()
		m.MatchInto(&r, q, 3)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(chatbot.Percentile(lat, 50).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(chatbot.Percentile(lat, 99).Nanoseconds()), "p99-ns")
	// On a shared machine a wall-clock p99 measures the other processes as
	// much as the matcher; the fastest of five runs of each query is its
	// own cost, and p99-min5-ns is the 99th percentile of that over the
	// queries.
	mins := make([]time.Duration, len(qs))
	for i, q := range qs {
		for k := 0; k < 5; k++ {
			start := time.Now()
			m.MatchInto(&r, q.Q, 3)
			if d := time.Since(start); k == 0 || d < mins[i] {
				mins[i] = d
			}
		}
	}
	sort.Slice(mins, func(i, j int) bool { return mins[i] < mins[j] })
	b.ReportMetric(float64(chatbot.Percentile(mins, 99).Nanoseconds()), "p99-min5-ns")
}
