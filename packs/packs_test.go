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

// requireCovered fails for a condition of the pack's own programmes that
// no rule test made both true and false: a boundary nobody has crossed.
func requireCovered(t *testing.T, r *ruletest.Report, pack string) {
	t.Helper()
	e := compileEmbedded(t, pack == packs.TokyoID)
	own := map[string]bool{}
	for _, p := range e.Programs() {
		own[p.ID] = p.Pack == pack
	}
	for _, c := range r.Coverage {
		if own[c.Program] && !c.Covered() {
			t.Errorf("%s condition %d (%s) is not covered both ways: true %d, false %d, unknown %d",
				c.Program, c.Condition, c.Reason, c.True, c.False, c.Unknown)
		}
	}
}

func TestNationalRuleTests(t *testing.T) {
	r := ruletest.RunDirs(t, "national")
	require.NotEmpty(t, r.Cases)
	requireCovered(t, r, packs.NationalID)
}

func TestPacksCompileWithoutWarnings(t *testing.T) {
	for _, tokyo := range []bool{false, true} {
		e := compileEmbedded(t, tokyo)
		for _, w := range e.Warnings() {
			t.Errorf("warning: %s", w)
		}
	}
}

func TestTokyoRuleTests(t *testing.T) {
	r := ruletest.RunDirs(t, "national", "tokyo")
	require.NotEmpty(t, r.Cases)
	requireCovered(t, r, packs.TokyoID)
}

// TestMunicipalOverride runs a municipality's pack that replaces the 住民税
// 均等割 limits of the national pack with its own 条例 figures.
func TestMunicipalOverride(t *testing.T) {
	r := ruletest.RunDirs(t, "national", "testdata/municipality-ninomiya")
	require.Len(t, r.Cases, 5)
}
