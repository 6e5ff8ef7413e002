package eligibility_test

import (
	"encoding/json"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// synthDocs returns n generated households as JSON, the input of a batch.
func synthDocs(tb testing.TB, n int, unknown int) [][]byte {
	g, err := synth.New(synth.Config{Seed: 42, AsOf: civil.MustDate(2026, 11, 23), UnknownPercent: unknown})
	if err != nil {
		tb.Fatal(err)
	}
	docs := make([][]byte, n)
	for i := range docs {
		if docs[i], err = json.Marshal(g.Next()); err != nil {
			tb.Fatal(err)
		}
	}
	return docs
}

// BenchmarkDecodeSynth decodes generated households (about 1.3 KB of JSON
// each, as `onestop synth` writes them) with the JSON decoder and with the
// tree decoder it replaced; compare with benchstat.
func BenchmarkDecodeSynth(b *testing.B) {
	docs := synthDocs(b, 512, 0)
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	for _, c := range []struct {
		name   string
		decode func([]byte) (*eligibility.Household, error)
	}{{"json", eligibility.DecodeHousehold}, {"tree", eligibility.DecodeHouseholdTreeForTest}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(docs)))
			i := 0
			for b.Loop() {
				if _, err := c.decode(docs[i%len(docs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
