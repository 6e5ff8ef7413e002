package packs_test

import (
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/ruletest"
	"github.com/onestop-jp/onestop/packs"
	"github.com/stretchr/testify/require"
)

func compileEmbedded(t testing.TB, tokyo bool) *eligibility.Engine {
	t.Helper()
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	ps := []*eligibility.Pack{nat}
	if tokyo {
		tok, err := eligibility.LoadPack(packs.Tokyo(), "packs/tokyo")
		require.NoError(t, err)
		ps = append(ps, tok)
	}
	e, err := eligibility.Compile(ps)
	require.NoError(t, err)
	return e
}

func TestNationalRuleTests(t *testing.T) {
	r := ruletest.RunDirs(t, "national")
	require.NotEmpty(t, r.Cases)
}

func TestPacksCompileWithoutWarnings(t *testing.T) {
	for _, tokyo := range []bool{false, true} {
		e := compileEmbedded(t, tokyo)
		for _, w := range e.Warnings() {
			t.Errorf("warning: %s", w)
		}
	}
}
