package eligibility

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func incomeEngine(t *testing.T, amount string) *Engine {
	t.Helper()
	body := "    conditions:\n      - reason: r\n        expr: \"true\"\n    amount:\n      per: year\n      expr: " + amount + "\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	return e
}

func TestIncomeMeasureInRules(t *testing.T) {
	e := incomeEngine(t, "household.applicant().income_measure(2023, 'child_rearing_allowance', 'parent')")
	tests := []struct {
		name    string
		facts   string
		yen     int64
		missing []string
	}{
		// Worked example A (child-rearing-allowance.md §8): 給与収入 3,000,000
		// → 給与所得 2,020,000 → 所得額 1,840,000.
		{"worked example A", `{"members":[{"relation":"self","incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{}}]}]}`, 1840000, nil},
		{"養育費 300,000 adds 240,000", `{"members":[{"relation":"self","incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":300000,"deductions":{}}]}]}`, 2080000, nil},
		{"deductions lower it", `{"members":[{"relation":"self","incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{"medical":100000,"disabled":1}}]}]}`, 1470000, nil},
		{"unknown deductions are asked", `{"members":[{"relation":"self","incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0}]}]}`, -1,
			[]string{"members[0].incomes[year=2023].deductions"}},
		{"every unknown piece is asked", `{"members":[{"relation":"self","incomes":[{"year":2023,"salary_revenue":3000000}]}]}`, -1,
			[]string{"members[0].incomes[year=2023].business_income", "members[0].incomes[year=2023].child_support_received", "members[0].incomes[year=2023].deductions", "members[0].incomes[year=2023].other_income", "members[0].incomes[year=2023].pension_revenue"}},
		{"no income at all", `{"members":[{"relation":"self","incomes":[]}]}`, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := e.Screen(context.Background(), household(t, tc.facts), d("2025-06-01"))
			require.NoError(t, err)
			o := s.Outcome("p")
			require.Nil(t, o.Error)
			if tc.yen >= 0 {
				require.NotNil(t, o.Amount, "%+v", o)
				assert.Equal(t, tc.yen, o.Amount.Yen)
			} else {
				assert.Nil(t, o.Amount)
			}
			var paths []string
			for _, m := range o.Missing {
				paths = append(paths, m.Path)
			}
			assert.Equal(t, tc.missing, paths)
		})
	}
}

func TestIncomeBreakdownIsExplained(t *testing.T) {
	e := incomeEngine(t, "household.applicant().income_measure(2023, 'child_rearing_allowance', 'parent')")
	h := household(t, `{"members":[{"id":"p","relation":"self","incomes":[{"year":2023,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":300000,"deductions":{}}]}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	o := s.Outcome("p")
	require.Len(t, o.Breakdowns, 1)
	b := o.Breakdowns[0]
	assert.Equal(t, "申請者の2023年分 児童扶養手当の所得額", b.Title)
	var labels []string
	for _, st := range b.Steps {
		labels = append(labels, st.Op+st.Label)
	}
	joined := ""
	for _, l := range labels {
		joined += l + "\n"
	}
	assert.Contains(t, joined, "+養育費の8割")
	assert.Contains(t, joined, "−社会保険料相当額")
	for _, st := range b.Steps {
		if st.Label == "社会保険料相当額（一律）" {
			assert.Equal(t, int64(80000), st.Yen)
		}
		if st.Op == "+" {
			assert.Equal(t, int64(240000), st.Yen, "8割 of 300,000")
		}
	}
	last := b.Steps[len(b.Steps)-1]
	assert.Equal(t, "=", last.Op)
	assert.Equal(t, int64(2080000), last.Yen)
	// Without explanations nothing is recorded.
	s, err = e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	assert.Empty(t, s.Outcome("p").Breakdowns)
}

func TestIncomeYearNotCovered(t *testing.T) {
	e := incomeEngine(t, "salary_income(2031, 3000000)")
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	assert.Equal(t, Undetermined, o.Status)
	require.NotNil(t, o.Error)
	assert.Contains(t, o.Error.Message, "未対応")
}

func TestDependentsAndTaxFunctions(t *testing.T) {
	e := incomeEngine(t, "|\n        household.applicant().dependents(2024, household.children()).count * 1000000\n"+
		"        + household.applicant().dependents(2024, household.children()).recipient_addition\n"+
		"        + (resident_tax(2024, 950000, 2, 1, false, false, false, true).exempt ? 1 : 0)\n"+
		"        + (single_parent_deduction(2024, 5000000, true, false, [0]).resident_tax)")
	// Children aged 17 and 9 at the end of 2024, without income: two
	// dependents, one aged 16–18 (+150,000).
	h := household(t, `{"members":[{"relation":"self"},
	 {"relation":"child","birth_date":"2007-06-01","incomes":[]},
	 {"relation":"child","birth_date":"2015-06-01","incomes":[]}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	require.Nil(t, o.Error, "%+v", o.Error)
	require.NotNil(t, o.Amount)
	assert.Equal(t, int64(2*1000000+150000+1+300000), o.Amount.Yen)
}
