package eligibility_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// The compiled path hands out the parts of a screening's outcomes
// (condition results, their false results, Missing lists) from blocks
// shared by the screening: each outcome's parts must still be its own.
// Changing, or appending to, one outcome's parts must leave every other
// outcome as it was.
func TestOutcomePartsAreIndependent(t *testing.T) {
	e := compileSet(t, diffPackSets[0])
	hs, err := synth.Households(synth.Config{Seed: 7, AsOf: benchAsOf, UnknownPercent: 60}, 40)
	require.NoError(t, err)
	snapshot := func(o *eligibility.Outcome) string {
		b, err := json.Marshal(o)
		require.NoError(t, err)
		return string(b)
	}
	changed := 0
	for _, h := range hs {
		s, err := e.Screen(context.Background(), h, benchAsOf)
		require.NoError(t, err)
		before := make([]string, len(s.Results))
		for i := range s.Results {
			before[i] = snapshot(&s.Results[i])
		}
		for i := range s.Results {
			o := &s.Results[i]
			if len(o.Conditions) == 0 && len(o.Missing) == 0 {
				continue
			}
			changed++
			for j := range o.Conditions {
				c := &o.Conditions[j]
				if c.Result != nil {
					*c.Result = !*c.Result
				}
				c.Reason = "changed"
			}
			o.Conditions = append(o.Conditions, eligibility.ConditionResult{Reason: "appended", Result: new(true)})
			for j := range o.Missing {
				o.Missing[j].Path = "changed"
			}
			o.Missing = append(o.Missing, eligibility.Missing{Path: "appended"})
			for k := range s.Results {
				if k != i {
					require.Equal(t, before[k], snapshot(&s.Results[k]), "outcome %d changed with outcome %d (household %s)", k, i, h.ID)
				}
			}
			before[i] = snapshot(o)
		}
	}
	require.Greater(t, changed, 100, "the households exercise conditions and Missing lists")
}

// An OnlyPrograms option keeps its plan for the engine it last screened
// with: passed in turn to engines whose programmes differ (a programme
// that refers to others in one, an id the other lacks), each screening is
// the one a fresh option gives.
func TestOnlyProgramsOptionKeptAcrossEngines(t *testing.T) {
	national := compileSet(t, diffPackSets[0])
	dependent := compileSet(t, diffPackSets[3])
	var ids []string
	for _, p := range dependent.Programs() {
		ids = append(ids, p.ID)
	}
	require.Greater(t, len(ids), len(national.Programs()))
	// The dependent set's programmes that refer to others (national has
	// none of them: an error there), and national ones out of pack order
	// (their places differ between the two engines).
	onlies := [][]string{ids[len(national.Programs()):], {"child-rearing-allowance", national.Programs()[0].ID}}
	hs, err := synth.Households(synth.Config{Seed: 3, AsOf: benchAsOf, UnknownPercent: 20}, 6)
	require.NoError(t, err)
	errs := 0
	for _, only := range onlies {
		kept := eligibility.OnlyPrograms(only...)
		for round := range 3 {
			for _, e := range []*eligibility.Engine{dependent, national, dependent} {
				for _, h := range hs {
					got, gotErr := e.Screen(context.Background(), h, benchAsOf, kept)
					want, wantErr := e.Screen(context.Background(), h, benchAsOf, eligibility.OnlyPrograms(only...))
					require.Equal(t, wantErr, gotErr, "round %d", round)
					require.Equal(t, want, got, "round %d", round)
					if gotErr != nil {
						require.ErrorIs(t, gotErr, eligibility.ErrUnknownProgram)
						errs++
					}
				}
			}
		}
	}
	require.Equal(t, 3*len(hs), errs, "national has none of the dependent set's own programmes")
}

// A screening of one programme gets its parts in blocks of exactly its
// size, an ineligible outcome's conditions and their false in one
// allocation: each screening's parts are still its own, and they are the
// interpreter's.
func TestOneProgrammeOutcomePartsAreOwn(t *testing.T) {
	e := compileSet(t, diffPackSets[0])
	hs, err := synth.Households(synth.Config{Seed: 11, AsOf: benchAsOf, UnknownPercent: 30}, 40)
	require.NoError(t, err)
	ctx := context.Background()
	falses, amounts := 0, 0
	for _, p := range e.Programs() {
		only := eligibility.OnlyPrograms(p.ID)
		for _, h := range hs {
			first, err := e.Screen(ctx, h, benchAsOf, only)
			require.NoError(t, err)
			second, err := e.Screen(ctx, h, benchAsOf, only)
			require.NoError(t, err)
			want, err := e.Screen(ctx, h, benchAsOf, only, eligibility.InterpretedForTest())
			require.NoError(t, err)
			require.Equal(t, want, second)
			o := &first.Results[0]
			for j := range o.Conditions {
				if r := o.Conditions[j].Result; r != nil {
					falses++
					*r = !*r
				}
				o.Conditions[j].Reason = "changed"
			}
			o.Conditions = append(o.Conditions, eligibility.ConditionResult{Reason: "appended", Result: new(true)})
			if o.Amount != nil {
				amounts++
				o.Amount.Yen++
			}
			require.Equal(t, want, second, "%s: a change to one screening's parts changed another's (household %s)", p.ID, h.ID)
		}
	}
	require.Greater(t, falses, 50, "the households exercise failed conditions")
	require.Greater(t, amounts, 50, "and amounts")
}
