package eligibility_test

import (
	"os"
	"testing"

	"github.com/onestop-jp/onestop/civil"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// With run-time tracking on, no expression of the national and Tokyo packs
// is ever charged more than its compile-time estimate, on generated
// households (many with unknown facts) and on the largest household.
func TestRuntimeCostWithinTheEstimate(t *testing.T) {
	var packs []*eligibility.Pack
	for _, dir := range []string{"../packs/national", "../packs/tokyo"} {
		p, err := eligibility.LoadPack(os.DirFS(dir), dir)
		require.NoError(t, err)
		packs = append(packs, p)
	}
	e, err := eligibility.Compile(packs, eligibility.WithRuntimeCostLimit(1<<40))
	require.NoError(t, err)
	asOf := civil.MustDate(2025, 11, 15)
	hs, err := synth.Households(synth.Config{Seed: 11, AsOf: asOf, UnknownPercent: 60}, 60)
	require.NoError(t, err)
	hs = append(hs, eligibility.BigHouseholdForTest())
	checked := 0
	for _, h := range hs {
		for _, c := range e.ExprCostsForTest(h, asOf) {
			checked++
			require.NotZero(t, c.EstMax)
			if c.Actual > c.EstMax {
				t.Errorf("%s %s: charged %d, estimated at most %d", c.Program, c.Where, c.Actual, c.EstMax)
			}
		}
	}
	require.Greater(t, checked, 1000)
}
