package audit

import (
	"context"
	"testing"
)

// BenchmarkSeal100k appends 100,000 entries to a chain per iteration.
func BenchmarkSeal100k(b *testing.B) {
	r := rec(1)
	b.ReportAllocs()
	for b.Loop() {
		head := Head{Tenant: "131016"}
		for range 100_000 {
			e, err := Seal(head, r)
			if err != nil {
				b.Fatal(err)
			}
			head = e.Head()
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkVerify100k verifies a 100,000-entry chain per iteration.
func BenchmarkVerify100k(b *testing.B) {
	es := chain(b, "131016", 100_000)
	signer := testKey(b)
	cp := signer.Sign(es[len(es)-1].Head(), t0)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, "131016", sliceSource(es), es[len(es)-1].Head(), signer.Public(), []Checkpoint{cp}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "entries/s")
}
