package synth_test

import (
	"testing"

	"github.com/onestop-jp/onestop/eligibility/synth"
)

func BenchmarkNext(b *testing.B) {
	g, err := synth.New(synth.Config{Seed: 1, AsOf: asOf, UnknownPercent: 10})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
}
