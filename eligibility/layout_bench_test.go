package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
)

// decodedPopulation is benchPopulation as a vendor's nightly batch gets
// it: written as JSON Lines (as `onestop synth` writes them) and read
// back with the production reader (HouseholdReader, the CLI's and
// ScreenBatch's decoder), made once per binary.
var decodedPopulation = sync.OnceValues(func() ([]*eligibility.Household, error) {
	hs, err := benchPopulation()
	if err != nil {
		return nil, err
	}
	var lines bytes.Buffer
	enc := json.NewEncoder(&lines)
	for _, h := range hs {
		if err := enc.Encode(h); err != nil {
			return nil, err
		}
	}
	out := make([]*eligibility.Household, 0, len(hs))
	r := eligibility.NewHouseholdReader(&lines, "population.jsonl")
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
})

// BenchmarkChildRearingAllowance100kDecoded is
// BenchmarkChildRearingAllowance100k over the same 100,000 households
// read from JSON Lines with the production decoder, the way a population
// held in memory arrives from outside (one core; ns/op and cpu-ns/op are
// per household).
func BenchmarkChildRearingAllowance100kDecoded(b *testing.B) {
	e := compileSet(b, diffPackSets[0])
	hs, err := decodedPopulation()
	if err != nil {
		b.Fatal(err)
	}
	gc := collectPopulation(hs)
	screenCycling(b, e, hs, eligibility.OnlyPrograms("child-rearing-allowance"))
	reportGC(b, gc)
}

// collectPopulation finishes the collection that building the population
// may have started, then times one more and returns its CPU time per
// household: what each collection costs a program holding the
// population, a cost of the households' layout (objects and pointers to
// mark). Screening allocates ~450 B a household, so over a run of
// 100,000 households a program holding 100,000 does not collect at all
// (the heap goal is twice the live heap); the cycle that building the
// population started, if still marking when the timed loop began, was
// charged to the screening at random and made runs bimodal (1.75–3.3 µs
// per household at 23d94b2).
func collectPopulation(hs []*eligibility.Household) float64 {
	runtime.GC()
	start := processCPU()
	runtime.GC()
	return float64(processCPU()-start) / float64(len(hs))
}

// reportGC reports collectPopulation's figure as gc-cpu-ns/household
// (after the timed loop: b.Loop drops metrics reported before it).
func reportGC(b *testing.B, ns float64) {
	if ns > 0 {
		b.ReportMetric(ns, "gc-cpu-ns/household")
	}
}
