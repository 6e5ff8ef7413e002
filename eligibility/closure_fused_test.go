package eligibility

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFusedShapesAgree holds the fused closures (superinstructions) to the
// interpreter on households whose facts are known, unknown or decide at
// every position: chains of && and || (run as one closure over their
// terms), fields of comprehension variables (read from the slot),
// filters (loop condition skipped), named values of every specialised kind
// filled in place by their first read, including a value read by another
// value and by several conditions, and values that are unknown.
func TestFusedShapesAgree(t *testing.T) {
	values := []struct{ name, expr string }{
		{"kids", "household.members.filter(m, m.relation == 'child' && m.resides_in_japan && !m.in_facility)"},
		{"young", "kids.filter(c, c.birth_date > date('2012-04-01') || c.lives_with || c.relation == 'spouse')"},
		{"n", "size(young) + size(kids)"},
		{"first", "household.applicant()"},
		{"abroad", "!first.resides_in_japan || household.de_facto_partner || household.situation == 'bereaved' || n > 5"},
		{"born", "first.birth_date"},
		{"deps", "first.dependents(2024, kids)"},
		{"count", "deps.count + deps.under16 * 10 + deps.specified * 100 + n"},
	}
	conds := []string{
		"household.situation == 'divorced' && household.de_facto_partner == false && first.resides_in_japan && n > 0",
		"household.de_facto_partner || first.resides_in_japan || household.situation == 'unmarried' || size(kids) > 2",
		"(household.de_facto_partner && first.resides_in_japan) && (n > 1 && household.situation != 'bereaved')",
		"abroad || count > 1 || born < date('1990-01-01')",
		"household.members.exists(m, m.relation == 'child' && m.birth_date < date('2010-01-01') && m.lives_with)",
		"household.members.all(m, m.relation == 'self' || m.resides_in_japan || m.in_facility)",
		"size(young) < 3 && count >= 0 && !abroad",
		"household.members.filter(m, m.relation in ['spouse', 'child'] && m.relation != 'child' && m.lives_with).size() == 0",
	}
	var b strings.Builder
	b.WriteString("    values:\n")
	for _, v := range values {
		fmt.Fprintf(&b, "      - name: %s\n        expr: %q\n", v.name, v.expr)
	}
	b.WriteString("    conditions:\n")
	for i, c := range conds {
		fmt.Fprintf(&b, "      - reason: r%d\n        expr: %q\n", i, c)
	}
	b.WriteString("    amount:\n      per: month\n      expr: \"count * 1000 + (abroad ? 1 : 0)\"\n")
	p, err := LoadPack(programPack(b.String()), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	require.Empty(t, e.InterpretedExpressions())
	// Each fact known one way, the other way, or unknown (left out).
	opt := func(key string, v int) string {
		switch v % 3 {
		case 0:
			return ""
		case 1:
			return fmt.Sprintf(",%q:true", key)
		}
		return fmt.Sprintf(",%q:false", key)
	}
	situations := []string{"", `,"situation":"divorced"`, `,"situation":"bereaved"`, `,"situation":"unmarried"`}
	births := []string{"", `,"birth_date":"2008-05-01"`, `,"birth_date":"2015-05-01"`}
	screened := 0
	for k := 0; k < 400; k++ {
		self := fmt.Sprintf(`{"relation":"self","birth_date":"1985-01-01"%s,"incomes":[{"year":2024,"salary_revenue":2000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{}}]}`, opt("resides_in_japan", k))
		var members []string
		members = append(members, self)
		for c := 0; c < 1+k%3; c++ {
			x := k/3 + 7*c
			inc := ""
			if x%4 != 0 {
				inc = `,"incomes":[{"year":2024,"salary_revenue":0,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{}}]`
			}
			members = append(members, fmt.Sprintf(`{"relation":"child"%s%s%s%s%s}`, births[x%3],
				opt("resides_in_japan", x/3), opt("in_facility", x/9), opt("lives_with", x/27), inc))
		}
		if k%5 == 0 {
			members = append(members, fmt.Sprintf(`{"relation":"spouse"%s}`, opt("lives_with", k/5)))
		}
		js := fmt.Sprintf(`{"members":[%s]%s%s}`, strings.Join(members, ","), situations[k%4], opt("de_facto_partner", k/4))
		h := household(t, js)
		for _, at := range []string{"2025-06-01", "2026-11-23"} {
			want, got := screenBothWays(t, e, h, d(at))
			require.Equal(t, want, got, "%s on %s", js, at)
			screened++
		}
	}
	require.Zero(t, e.closures.handedBack.Load())
	require.Equal(t, 800, screened)
}
