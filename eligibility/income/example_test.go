package income_test

import (
	"fmt"

	"github.com/onestop-jp/onestop/eligibility/income"
)

func ExampleSalaryIncome() {
	for _, year := range []int{2019, 2023, 2025} {
		v, err := income.SalaryIncome(year, 1_800_000)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s 給与収入 1,800,000円 → 給与所得 %s\n", income.YearLabel(year), income.FormatYen(v))
	}
	_, err := income.SalaryIncome(2026, 1_800_000)
	fmt.Println(err)
	// Output:
	// 令和元年分 給与収入 1,800,000円 → 給与所得 1,080,000円
	// 令和5年分 給与収入 1,800,000円 → 給与所得 1,180,000円
	// 令和7年分 給与収入 1,800,000円 → 給与所得 1,150,000円
	// income: 給与所得: income year 2026 (令和8年分) is not covered; rules are encoded for 2017–2025
}

// Worked example A of the domain notes: a parent with 給与収入 3,000,000 yen
// in 2023 (令和5年分), one child, no other income, deductions or 養育費.
func ExampleMeasure_IncomeExplained() {
	m := income.ChildRearingAllowance()
	v, steps, err := m.IncomeExplained(income.MeasureInput{
		Year:     2023,
		Role:     income.RoleParent,
		Earnings: income.Earnings{SalaryRevenue: 3_000_000},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		fmt.Println(s)
	}
	fmt.Println("所得額:", income.FormatYen(v))
	// Output:
	// 給与所得 2,020,000円
	// = 総所得金額等 2,020,000円
	// − 社会保険料相当額（一律） 80,000円
	// − 給与所得・公的年金等に係る雑所得の控除（合計額が上限） 100,000円
	// = 児童扶養手当の所得額 1,840,000円
	// 所得額: 1,840,000円
}

// 養育費 is added at 8割, rounded half up to the yen, as its own step.
func ExampleMeasure_Income() {
	m := income.ChildRearingAllowance()
	in := income.MeasureInput{
		Year:         2024,
		Role:         income.RoleParent,
		Earnings:     income.Earnings{SalaryRevenue: 4_000_000}, // 給与所得 2,760,000
		ChildSupport: 300_001,                                   // 8割 = 240,000.8 → 240,001
	}
	v, err := m.Income(in)
	fmt.Println(income.FormatYen(v), err)
	_, steps, _ := m.IncomeExplained(in)
	for _, s := range steps {
		fmt.Println(s)
	}
	// Output:
	// 2,820,001円 <nil>
	// 給与所得 2,760,000円
	// = 総所得金額等 2,760,000円
	// ・ 養育費（受領額） 300,001円
	// + 養育費の8割（一円未満四捨五入） 240,001円
	// − 社会保険料相当額（一律） 80,000円
	// − 給与所得・公的年金等に係る雑所得の控除（合計額が上限） 100,000円
	// = 児童扶養手当の所得額 2,820,001円
}
