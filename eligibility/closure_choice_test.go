package eligibility_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// TestIncomeMeasureRoleChoiceAgrees: income_measure whose role is chosen by
// a condition from two literals chooses the spec by the condition's value
// (no role string compared): conditions known and unknown (the household's
// facts missing), both branches, the literals either way round, a measure
// that is not a literal (the general call), on generated households at
// three dates, against the interpreter.
func TestIncomeMeasureRoleChoiceAgrees(t *testing.T) {
	exprs := []string{
		"household.applicant().income_measure(income_year(as_of, 11), 'child_rearing_allowance', household.applicant_role == 'caretaker' ? 'caretaker' : 'parent')",
		"household.applicant().income_measure(income_year(as_of, 11), 'child_rearing_allowance', household.de_facto_partner ? 'parent' : 'liable_relative')",
		"household.members.filter(m, m.relation != 'self').map(m, m.income_measure(income_year(as_of, 11), 'child_rearing_allowance', m.lives_with ? 'liable_relative' : 'parent')).size()",
		"household.applicant().income_measure(2024, household.situation == 'divorced' ? 'child_rearing_allowance' : 'child_rearing_allowance', household.de_facto_partner ? 'caretaker' : 'parent')",
	}
	var b strings.Builder
	b.WriteString("pack: {id: choice, version: \"1\", title: 選択, library: 2, jurisdiction: {level: national, code: JP}}\nprograms:\n")
	for i, x := range exprs {
		fmt.Fprintf(&b, "  - id: p%d\n    name: p%d\n    category: 手当\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: 式\n        expr: |\n          (%s) < 1500000\n", i, i, x)
	}
	p, err := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(b.String())}}, "choice")
	require.NoError(t, err)
	e, err := eligibility.Compile([]*eligibility.Pack{p})
	require.NoError(t, err)
	require.Empty(t, e.InterpretedExpressions())
	for _, at := range diffDates {
		hs, err := synth.Households(synth.Config{Seed: uint64(at.Year()) + 7, AsOf: at, UnknownPercent: 40}, 400)
		require.NoError(t, err)
		for _, h := range hs {
			requireSameScreening(t, e, h, at, h.ID)
		}
	}
}
