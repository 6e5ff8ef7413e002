package yomi_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/ikawaha/kagome-dict/ipa"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
	"github.com/onestop-jp/onestop/internal/latency"
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
	return replicated(kb, n)
}

// replicated is kb with its entries copied under new IDs until it has n.
func replicated(kb *chatbot.KnowledgeBase, n int) *chatbot.KnowledgeBase {
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

// BenchmarkCompile2000Plain is the index build at 2,000 entries without
// phrasings (dev4 replicated), with readings: since round 7 it matches
// each entry's own question once (Signals.OwnRatio).
func BenchmarkCompile2000Plain(b *testing.B) {
	d, err := dict()
	if err != nil {
		b.Fatal(err)
	}
	kb := plainScaled(b, 2000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chatbot.Compile(kb, chatbot.WithReadings(d)); err != nil {
			b.Fatal(err)
		}
	}
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
	var qs []string
	for _, q := range loadQueries(b, "heldout5_queries.json") {
		qs = append(qs, q.Q)
	}
	var r chatbot.Result
	latency.Measure(b, qs, func(q string) { m.MatchInto(&r, q, 3) })
}

// plainScaled makes an n-entry knowledge base without sample phrasings by
// copying dev4's entries (a municipality's FAQ as it arrives) under new IDs:
// the re-ranker orders its candidates.
func plainScaled(b *testing.B, n int) *chatbot.KnowledgeBase {
	kb, err := chatbot.LoadFile(context.Background(), "../testdata/dev4_faq.csv")
	if err != nil {
		b.Fatal(err)
	}
	return replicated(kb, n)
}

// BenchmarkMatch2000Plain is the latency target on a FAQ without
// phrasings, with readings, re-ranked and (baseline) in BM25 order: p99 per
// query ≤ 1 ms at 2,000 entries.
func BenchmarkMatch2000Plain(b *testing.B) {
	d, err := dict()
	if err != nil {
		b.Fatal(err)
	}
	kb := plainScaled(b, 2000)
	var qs []string
	for _, q := range loadQueries(b, "dev4_queries.json") {
		qs = append(qs, q.Q)
	}
	for _, c := range []struct {
		name string
		opts []chatbot.Option
	}{
		{"reranked", nil},
		{"bm25", []chatbot.Option{chatbot.WithRanker(nil)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			m, err := chatbot.Compile(kb, append(c.opts, chatbot.WithReadings(d))...)
			if err != nil {
				b.Fatal(err)
			}
			var r chatbot.Result
			latency.Measure(b, qs, func(q string) { m.MatchInto(&r, q, 3) })
		})
	}
}
