package eligibility

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIncomeYearBack(t *testing.T) {
	cases := []struct {
		on      string
		switchM time.Month
		back    int
		want    int
	}{
		// IncomeYear is the one-year-back case.
		{"2025-10-31", 11, 1, 2023}, {"2025-11-01", 11, 1, 2024},
		// 東京都 マル親: January to December on 前々年 income.
		{"2025-01-01", 1, 2, 2023}, {"2025-10-31", 1, 2, 2023}, {"2025-11-01", 1, 2, 2023}, {"2025-12-31", 1, 2, 2023}, {"2026-01-01", 1, 2, 2024},
		// Zero years back with a January switch: the year itself.
		{"2026-06-01", 1, 0, 2026},
	}
	for _, c := range cases {
		on := d(c.on)
		assert.Equal(t, c.want, IncomeYearBack(on, c.switchM, c.back), "%s %d %d", c.on, c.switchM, c.back)
		if c.back == 1 {
			assert.Equal(t, IncomeYear(on, c.switchM), IncomeYearBack(on, c.switchM, 1))
		}
	}
}

func TestTaxFunctionsInRules(t *testing.T) {
	cases := []struct {
		expr string
		want int64
	}{
		{"income_year(as_of, 1, 2)", 2024},
		{"income_year(as_of, 11, 1)", 2025},
		{"income_year(as_of, 11)", 2025},
		// 二宮町's 条例 (32万・19万): parent + 1 dependant at 930,000 is exempt, one yen above is not.
		{"resident_tax(2025, 930000, 1, 320000, 190000, false, false, false, false).per_capita_limit", 930000},
		{"resident_tax(2025, 930000, 1, 320000, 190000, false, false, false, false).exempt ? 1 : 0", 1},
		{"resident_tax(2025, 930001, 1, 320000, 190000, false, false, false, false).exempt ? 1 : 0", 0},
		// The 135万円 rule still applies with a municipal rule.
		{"resident_tax(2025, 1350000, 1, 320000, 190000, false, false, false, true).exempt ? 1 : 0", 1},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			e := incomeEngine(t, `"`+c.expr+`"`)
			s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2026-12-04"))
			require.NoError(t, err)
			o := s.Outcome("p")
			require.Nil(t, o.Error)
			require.NotNil(t, o.Amount)
			assert.Equal(t, c.want, o.Amount.Yen)
		})
	}
	for _, bad := range []string{"income_year(as_of, 13, 2)", "income_year(as_of, 1, -1)", "resident_tax(2025, 1, 0, 0, 0, false, false, false, false).per_capita_limit"} {
		t.Run(bad, func(t *testing.T) {
			e := incomeEngine(t, `"`+bad+`"`)
			s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2026-12-04"))
			require.NoError(t, err)
			assert.NotNil(t, s.Outcome("p").Error)
		})
	}
}

func TestResidentLevyInRules(t *testing.T) {
	const expr = `"household.applicant().resident_levy(2024, household.members.filter(m, m.relation != 'self')).standard_municipal"`
	e := incomeEngine(t, expr)
	cases := []struct {
		name    string
		facts   string
		yen     int64
		missing []string
	}{
		// A mother, 給与収入 3,000,000 (給与所得 2,020,000), 社会保険料 450,000,
		// ひとり親, one child aged 10: 課税標準額 840,000 × 6 % − 3,000.
		{"worked example", `{"members":[{"relation":"self","sex":"female","incomes":[{"year":2024,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"deductions":{"single_parent":true,"social_insurance":450000}}]},
			{"relation":"child","birth_date":"2014-06-01","incomes":[]}]}`, 47400, nil},
		// A 17-year-old adds 住民税 扶養控除 330,000 and 5万円 of 人的控除額の差.
		{"with a 17-year-old", `{"members":[{"relation":"self","sex":"female","incomes":[{"year":2024,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"deductions":{"single_parent":true,"social_insurance":450000}}]},
			{"relation":"child","birth_date":"2007-06-01","incomes":[]}]}`, 510000*6/100 - 150000*3/100, nil},
		{"sex unknown for the ひとり親 差", `{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"deductions":{"single_parent":true}}]}]}`, -1,
			[]string{"members[0].sex"}},
		{"a grandparent of 70 asks whether they live together", `{"members":[{"relation":"self","sex":"female","incomes":[{"year":2024,"salary_revenue":3000000,"pension_revenue":0,"business_income":0,"other_income":0,"deductions":{}}]},
			{"relation":"parent","birth_date":"1950-01-01","incomes":[]}]}`, -1, []string{"members[1].lives_with"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := e.Screen(context.Background(), household(t, tc.facts), d("2025-07-01"))
			require.NoError(t, err)
			o := s.Outcome("p")
			require.Nil(t, o.Error)
			if tc.yen >= 0 {
				require.NotNil(t, o.Amount, "%+v", o)
				assert.Equal(t, tc.yen, o.Amount.Yen)
				return
			}
			var paths []string
			for _, m := range o.Missing {
				paths = append(paths, m.Path)
			}
			assert.Equal(t, tc.missing, paths)
		})
	}
}
