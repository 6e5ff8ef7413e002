package impact_test

import (
	"context"
	"os"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/impact"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/onestop-jp/onestop/packs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sample reform shipped in the repository: the 2024-11 raise of the
// 児童扶養手当 income limits and of the 3rd-child amounts, layered on the
// national pack's pre-reform parameters (April–October 2024).
const sampleReform = "../../examples/reforms/cra-2024-11"

var preReform = civil.MustDate(2024, 10, 1)

func nationalAndReform(t testing.TB) (*eligibility.Engine, *eligibility.Engine) {
	t.Helper()
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	base, err := eligibility.Compile([]*eligibility.Pack{nat})
	require.NoError(t, err)
	rp, err := eligibility.LoadPack(os.DirFS(sampleReform), "cra-2024-11")
	require.NoError(t, err)
	require.Equal(t, "jp-national", rp.Extends)
	reform, err := eligibility.Compile([]*eligibility.Pack{nat, rp})
	require.NoError(t, err)
	return base, reform
}

func population(t testing.TB, n, unknown int, seed uint64) []*eligibility.Household {
	t.Helper()
	g, err := synth.New(synth.Config{Seed: seed, AsOf: preReform, UnknownPercent: unknown})
	require.NoError(t, err)
	hs := make([]*eligibility.Household, n)
	for i := range hs {
		hs[i] = g.Next()
	}
	return hs
}

func each(hs []*eligibility.Household) func(func(*eligibility.Household) bool) {
	return func(yield func(*eligibility.Household) bool) {
		for _, h := range hs {
			if !yield(h) {
				return
			}
		}
	}
}

// craFacts are what decides a household's 児童扶養手当 under the reform:
// its income (所得額), the full-payment limit before, the partial-payment
// limit after, and its number of qualifying children.
type craFacts struct {
	income, oldFull, newPartial, children int64
	known                                 bool
}

func craOf(t *testing.T, base, reform *eligibility.Engine, h *eligibility.Household) craFacts {
	t.Helper()
	value := func(e *eligibility.Engine, name string) any {
		s, err := e.Screen(context.Background(), h, preReform, eligibility.WithExplanations(), eligibility.OnlyPrograms("child-rearing-allowance"))
		require.NoError(t, err)
		for _, v := range s.Results[0].Values {
			if v.Name == name {
				return v.Value
			}
		}
		return nil
	}
	var f craFacts
	income, ok1 := value(base, "income").(int64)
	full, ok2 := value(base, "full_limit").(int64)
	partial, ok3 := value(reform, "partial_limit").(int64)
	children, ok4 := value(reform, "children").([]any)
	f.income, f.oldFull, f.newPartial, f.children = income, full, partial, int64(len(children))
	f.known = ok1 && ok2 && ok3 && ok4
	return f
}

// TestSampleReformGainsOnlyBetweenTheLimitsOrWithAThirdChild: under the
// sample reform no household loses anything, and every household the
// report says gains has an income between the old full-payment limit and
// the new partial-payment limit, or a third child.
func TestSampleReformGainsOnlyBetweenTheLimitsOrWithAThirdChild(t *testing.T) {
	base, reform := nationalAndReform(t)
	n := 1500
	if testing.Short() {
		n = 300
	}
	for _, unknown := range []int{0, 25} {
		hs := population(t, n, unknown, uint64(100+unknown))
		// A sample as large as the population: every changed household
		// comes back with its outcomes.
		rep, err := impact.CompareHouseholds(context.Background(), base, reform, each(hs), impact.Options{AsOf: preReform, Sample: n})
		require.NoError(t, err)
		require.Equal(t, n, rep.Households)
		assert.Zero(t, rep.Losing, "nobody loses")
		for _, p := range rep.Programs {
			assert.Zero(t, p.Lose, p.Program)
			assert.Zero(t, p.AmountDown, p.Program)
		}
		cra := programOf(rep, "child-rearing-allowance")
		require.NotNil(t, cra)
		assert.Positive(t, cra.Gain, "the reform pays more 児童扶養手当")
		assert.Positive(t, rep.Cost.Monthly)
		assert.Equal(t, rep.Cost.Monthly*12, rep.Cost.Yearly, "every change is in monthly programmes")
		require.Equal(t, rep.Changed, len(rep.Sample), "every changed household is in the sample")
		between, third := 0, 0
		for _, c := range rep.Sample {
			gains := false
			for i := range c.Programs {
				if gained(c.Base[i], c.Reform[i]) {
					gains = true
				}
			}
			if !gains {
				continue
			}
			f := craOf(t, base, reform, hs[c.Index])
			require.True(t, f.known, "household %d gains with its income known", c.Index)
			inBand := f.oldFull <= f.income && f.income < f.newPartial
			require.True(t, inBand || f.children >= 3, "household %d (%s) gains in %v with income %d outside [%d, %d) and %d children",
				c.Index, c.HouseholdID, c.Programs, f.income, f.oldFull, f.newPartial, f.children)
			if inBand {
				between++
			} else {
				third++
			}
		}
		assert.Positive(t, between, "gains between the limits")
		assert.Positive(t, third, "gains by a third child only")
		t.Logf("unknown %d%%: %d households, %d gain (%d between the limits, %d by a third child), 月額 %+d円",
			unknown, n, rep.Gaining, between, third, rep.Cost.Monthly)
	}
}

func gained(b, r eligibility.Outcome) bool {
	eb, er := b.Status == eligibility.Eligible, r.Status == eligibility.Eligible
	if !eb && er {
		return true
	}
	return eb && er && b.Amount != nil && r.Amount != nil && r.Amount.Yen > b.Amount.Yen
}

func programOf(r *impact.Report, id string) *impact.ProgramImpact {
	for i := range r.Programs {
		if r.Programs[i].Program == id {
			return &r.Programs[i]
		}
	}
	return nil
}
