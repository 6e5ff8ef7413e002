package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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
	screenCycling(b, e, hs, eligibility.OnlyPrograms("child-rearing-allowance"))
}
