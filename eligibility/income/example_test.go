package income_test

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"

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
	_, err := income.SalaryIncome(2028, 1_800_000)
	fmt.Println(err)
	// Output:
	// 令和元年分 給与収入 1,800,000円 → 給与所得 1,080,000円
	// 令和5年分 給与収入 1,800,000円 → 給与所得 1,180,000円
	// 令和7年分 給与収入 1,800,000円 → 給与所得 1,150,000円
	// income: 給与所得: income year 2028 (令和10年分) is not covered; rules are encoded for 2017–2027
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

func ExamplePublicPensionIncome() {
	// A grandmother born 1955-03-10 with 公的年金 2,000,000 yen in 2023.
	aged65 := income.AgeAtYearEnd(civil.MustDate(1955, 3, 10), 2023) >= 65
	v, err := income.PublicPensionIncome(2023, 2_000_000, aged65, 0)
	fmt.Println(aged65, income.FormatYen(v), err)
	// Output:
	// true 900,000円 <nil>
}

func ExampleTotalIncome() {
	// Salary and pension together: the 所得金額調整控除 applies.
	t, err := income.TotalIncome(2023, income.Earnings{
		SalaryRevenue: 1_000_000, PensionRevenue: 2_000_000, PensionAged65: true,
	})
	fmt.Println(t.Salary, t.SalaryAdjustment, t.Pension, t.Total, err)
	// Output:
	// 450000 100000 900000 1250000 <nil>
}

func ExampleCountDependents() {
	day := civil.MustDate
	deps, err := income.CountDependents(2023, 2_000_000, []income.Relative{
		{BirthDate: day(2012, 4, 1)}, // 11: under 16, counted
		{BirthDate: day(2007, 9, 1)}, // 16: +150,000 on the recipient's limit
		{BirthDate: day(2024, 2, 1)}, // born after 31 December 2023: not counted
	})
	fmt.Println(deps.Count, deps.Under16, deps.Aged16to18, deps.NotBorn, deps.RecipientAddition, err)
	// Output:
	// 2 1 1 1 150000 <nil>
}

func ExampleResidentTaxExemption() {
	// A single parent with one child, 所得 950,000 in a 3級地: the 135万円 rule.
	s, err := income.ResidentTaxExemption(income.ResidentTaxInput{
		IncomeYear: 2023, TotalIncome: 950_000, Dependents: 1, Grade: income.Grade3, SingleParent: true,
	})
	fmt.Println(s.PerCapitaExempt, s.Reason == income.ResidentSpecialStatus, s.PerCapitaLimit, err)
	// Output:
	// true true 828000 <nil>
}

func ExampleSingleParentDeduction() {
	d, err := income.SingleParentDeduction(income.SingleParentInput{
		Year: 2025, TotalIncome: 5_000_000, Unmarried: true, Children: []int64{580_000},
	})
	fmt.Println(d.Eligible, d.IncomeTax, d.ResidentTax, err)
	// Output:
	// true 350000 300000 <nil>
}

// The 住民税 所得割 of a mother with 給与収入 3,000,000 yen in 令和6年分 (給与所得
// 2,020,000), one child aged 10 and 社会保険料 450,000: the 課税標準額 and the
// figure 高等学校等就学支援金 compares with its limit (課税標準額 × 6 % − 市町村民税
// の調整控除).
func ExampleResidentIncomeLevy() {
	ded, err := income.IncomeDeductions(income.DeductionInput{
		Tax: income.ResidentTax, Year: 2024, TotalIncome: 2_020_000, Female: true, SingleParent: true,
		Relatives:       []income.TaxRelative{{BirthDate: civil.MustDate(2014, 6, 1)}},
		SocialInsurance: 450_000,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	lv, err := income.ResidentIncomeLevy(income.ResidentLevyInput{IncomeYear: 2024, TotalIncome: 2_020_000, Deductions: ded})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("所得控除", income.FormatYen(ded.Total), "人的控除額の差", income.FormatYen(ded.PersonalDifference))
	fmt.Println("課税標準額", income.FormatYen(lv.TaxableBase))
	fmt.Println("課税標準額×6%−調整控除", income.FormatYen(lv.StandardMunicipal))
	// Output:
	// 所得控除 1,180,000円 人的控除額の差 100,000円
	// 課税標準額 840,000円
	// 課税標準額×6%−調整控除 47,400円
}

// A parent whose daughter, 20 on 31 December 2025, earned 給与収入 1,550,000
// (合計所得金額 900,000, above the 扶養 limit of 580,000): not a 扶養親族 but a
// 特定親族 (令和7年分〜), with the 特定親族特別控除 instead of the 扶養控除.
func ExampleIncomeDeductions_specificRelative() {
	for _, tax := range []income.Tax{income.IncomeTax, income.ResidentTax} {
		d, err := income.IncomeDeductions(income.DeductionInput{
			Tax: tax, Year: 2025, TotalIncome: 3_000_000,
			Relatives: []income.TaxRelative{{BirthDate: civil.MustDate(2005, 6, 1), TotalIncome: 900_000}},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(tax, "特定親族特別控除", income.FormatYen(d.SpecificRelative), "扶養控除", income.FormatYen(d.Dependents), "人的控除額の差", income.FormatYen(d.PersonalDifference))
	}
	// Output:
	// 所得税 特定親族特別控除 610,000円 扶養控除 0円 人的控除額の差 0円
	// 住民税 特定親族特別控除 450,000円 扶養控除 0円 人的控除額の差 50,000円
}
