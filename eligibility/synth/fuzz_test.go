package synth_test

import (
	"github.com/onestop-jp/onestop/civil"
	"time"

	"testing"

	"github.com/onestop-jp/onestop/eligibility/synth"
)

// FuzzHouseholds: for any seed, unknown rate and date, the generator
// either refuses the config with ErrConfig or makes valid households.
func FuzzHouseholds(f *testing.F) {
	f.Add(uint64(1), 10, 2026, 11, 23)
	f.Add(uint64(0), 0, 2024, 2, 29)
	f.Add(uint64(1<<63), 100, 2100, 12, 31)
	f.Fuzz(func(t *testing.T, seed uint64, unknown, y, m, d int) {
		on, err := civil.NewDate(y, time.Month(1+((m%12)+12)%12), 1+((d%28)+28)%28)
		if err != nil {
			return
		}
		g, err := synth.New(synth.Config{Seed: seed, AsOf: on, UnknownPercent: unknown})
		if err != nil {
			return
		}
		for i := 0; i < 20; i++ {
			h := g.Next()
			if err := h.Validate(); err != nil {
				t.Fatalf("seed %d, %s: invalid household %s: %v", seed, on, h.ID, err)
			}
		}
	})
}
