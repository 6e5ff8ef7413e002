package packs_test

import (
	"strings"
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

// requireCovered fails for every condition of the programmes the rule tests
// cover (those of the top pack: the pack whose tests r ran) that no case
// made true, or that no case made false: a boundary nobody has crossed. It
// names the programme, the condition and the side never seen. The national
// pack, the Tokyo pack and the filled local templates all go through it.
func requireCovered(t *testing.T, r *ruletest.Report) {
	t.Helper()
	require.NotEmpty(t, r.Coverage, "no condition counted for %v", r.CoveredPacks)
	for _, c := range r.Coverage {
		if c.Covered() {
			continue
		}
		var never []string
		if c.True == 0 {
			never = append(never, "true")
		}
		if c.False == 0 {
			never = append(never, "false")
		}
		t.Errorf("%s condition %d (%s) is never seen %s: true %d, false %d, unknown %d",
			c.Program, c.Condition, c.Reason, strings.Join(never, " nor "), c.True, c.False, c.Unknown)
	}
}

// runCovered runs the rule tests of the last of dirs (layered on the
// others) and requires every condition of that pack's programmes to be seen
// true and false in cases that check the programme's outcome.
func runCovered(t *testing.T, dirs ...string) *ruletest.Report {
	t.Helper()
	e, tests, err := ruletest.LoadDirs(dirs...)
	require.NoError(t, err)
	r := ruletest.RunEngine(t, e, tests, ruletest.CoverExpectedOnly())
	requireCovered(t, r)
	return r
}

// TestNationalRuleTests runs every rule test of the national pack; each
// condition of each of its programmes must be seen true and false by a case
// that expects that programme's outcome (the "each condition seen true and
// false" of issue 11).
func TestNationalRuleTests(t *testing.T) {
	r := runCovered(t, "national")
	require.NotEmpty(t, r.Cases)
	require.Equal(t, []string{packs.NationalID}, r.CoveredPacks)
}

func TestPacksCompileWithoutWarnings(t *testing.T) {
	for _, tokyo := range []bool{false, true} {
		e := compileEmbedded(t, tokyo)
		for _, w := range e.Warnings() {
			t.Errorf("warning: %s", w)
		}
	}
}

// TestTokyoRuleTests does the same for the Tokyo pack's programmes.
func TestTokyoRuleTests(t *testing.T) {
	r := runCovered(t, "national", "tokyo")
	require.NotEmpty(t, r.Cases)
	require.Equal(t, []string{packs.TokyoID}, r.CoveredPacks)
}

// TestMunicipalOverride runs a municipality's pack that replaces the 住民税
// 均等割 limits of the national pack with its own 条例 figures.
func TestMunicipalOverride(t *testing.T) {
	r := ruletest.RunDirs(t, "national", "testdata/municipality-ninomiya")
	require.Len(t, r.Cases, 5)
}
