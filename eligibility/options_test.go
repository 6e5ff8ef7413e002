package eligibility_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// TestOnlyProgramsOptionsMerge: several OnlyPrograms options screen the
// programmes of all of them (in pack order), as one option naming
// them all does, screening after screening (each option keeps its plan);
// an unknown id in any of them is an error.
func TestOnlyProgramsOptionsMerge(t *testing.T) {
	e := compileSet(t, diffPackSets[0])
	ps := e.Programs()
	require.GreaterOrEqual(t, len(ps), 3)
	a, b, c := ps[2].ID, ps[0].ID, ps[1].ID
	hs, err := synth.Households(synth.Config{Seed: 5, AsOf: benchAsOf}, 20)
	require.NoError(t, err)
	ctx := context.Background()
	first, second, all := eligibility.OnlyPrograms(a), eligibility.OnlyPrograms(b, c), eligibility.OnlyPrograms(a, b, c)
	for _, h := range hs {
		for range 2 {
			got, err := e.Screen(ctx, h, benchAsOf, first, second)
			require.NoError(t, err)
			want, err := e.Screen(ctx, h, benchAsOf, all)
			require.NoError(t, err)
			require.Equal(t, want, got)
			require.Len(t, got.Results, 3)
			require.Equal(t, []string{b, c, a}, []string{got.Results[0].Program, got.Results[1].Program, got.Results[2].Program}, "pack order")
			one, err := e.Screen(ctx, h, benchAsOf, first)
			require.NoError(t, err)
			require.Len(t, one.Results, 1)
			require.Equal(t, got.Results[2], one.Results[0])
		}
	}
	_, err = e.Screen(ctx, hs[0], benchAsOf, first, eligibility.OnlyPrograms("no-such-programme"))
	require.ErrorIs(t, err, eligibility.ErrUnknownProgram)
}
