package income

import (
	"github.com/shopspring/decimal"
)

// Earnings are one person's revenues and incomes for one income year, as a
// rule engine knows them. Revenues are gross (収入); OtherIncome is already
// an income (所得) computed by the caller.
type Earnings struct {
	// SalaryRevenue is the 給与等の収入金額 (the 支払金額 of the 源泉徴収票).
	SalaryRevenue int64
	// PensionRevenue is the taxable 公的年金等の収入金額 (障害年金・遺族年金 are
	// non-taxable and excluded).
	PensionRevenue int64
	// PensionAged65 is true when the person is 65 or over on 31 December of
	// the income year (AgeAtYearEnd).
	PensionAged65 bool
	// OtherIncome is the sum of every other 所得 that enters 総所得金額等
	// (事業所得, 不動産所得, 業務・その他の雑所得, 一時所得 after halving, 分離課税の
	// 所得 …), each already net of its own expenses; zero or positive.
	OtherIncome int64
	// SalaryAdjustmentEligible is true when the person qualifies for the 所得金額
	// 調整控除 for 子ども・特別障害者等 (本人が特別障害者, 23歳未満の扶養親族, or a
	// 特別障害者 同一生計配偶者・扶養親族); it matters only above 8,500,000 yen of
	// salary revenue.
	SalaryAdjustmentEligible bool
}

// IncomeTotals is the breakdown of a person's 合計所得金額.
type IncomeTotals struct {
	Salary           int64 // 給与所得 (before 所得金額調整控除)
	SalaryAdjustment int64 // 所得金額調整控除 (both kinds together)
	Pension          int64 // 公的年金等に係る雑所得
	Other            int64 // other incomes, as given
	// Total is the 合計所得金額. The package does not model carried-forward
	// losses (繰越控除), so it is also the 総所得金額等.
	Total int64
}

// SalaryAfterAdjustment is the 給与所得 after the 所得金額調整控除.
func (t IncomeTotals) SalaryAfterAdjustment() int64 { return t.Salary - t.SalaryAdjustment }

// Income years TotalIncome covers: those of SalaryIncome; a non-zero pension
// revenue further needs a PublicPensionIncome year.
const (
	TotalFirstYear = SalaryFirstYear
	TotalLastYear  = SalaryLastYear
)

// 所得金額調整控除 figures (租税特別措置法 第41条の3の3, 令和2年分以後).
// Confirmed: 国税庁 No.1411 (read: ceiling of the 1-yen fraction for the
// first kind) and 桐生市 (second kind formula).
const (
	adjustFirstYear     = 2020
	adjustSalaryFloor   = 8_500_000
	adjustSalaryCeiling = 10_000_000
	adjustJointCap      = 100_000
)

// TotalIncome returns the 合計所得金額 of a person for an income year, with
// its parts: 給与所得 (別表第五), the 所得金額調整控除, 公的年金等に係る雑所得 and
// other incomes.
func TotalIncome(year int, e Earnings) (IncomeTotals, error) {
	return totalIncome(year, e, nil, "合計所得金額")
}

// TotalIncomeExplained is TotalIncome with the steps.
func TotalIncomeExplained(year int, e Earnings) (IncomeTotals, []Step, error) {
	return explained(func(x *explain) (IncomeTotals, error) { return totalIncome(year, e, x, "合計所得金額") })
}

func totalIncome(year int, e Earnings, x *explain, resultLabel string) (IncomeTotals, error) {
	var t IncomeTotals
	if err := checkYear(resultLabel, year, TotalFirstYear, TotalLastYear); err != nil {
		return t, err
	}
	if err := nonNegative("SalaryRevenue", e.SalaryRevenue); err != nil {
		return t, err
	}
	if err := nonNegative("PensionRevenue", e.PensionRevenue); err != nil {
		return t, err
	}
	if err := nonNegative("OtherIncome", e.OtherIncome); err != nil {
		return t, err
	}
	salary, err := salaryIncome(year, e.SalaryRevenue, nil)
	if err != nil {
		return t, err
	}
	t.Salary = salary
	t.Other = e.OtherIncome
	x.add(OpBase, "給与所得", salary, srcSalaryLaw)

	// Kind 1: 子ども・特別障害者等を有する者等.
	var adj1 int64
	if year >= adjustFirstYear && e.SalaryAdjustmentEligible && e.SalaryRevenue > adjustSalaryFloor {
		base := e.SalaryRevenue
		if base > adjustSalaryCeiling {
			base = adjustSalaryCeiling
		}
		adj1 = decimal.NewFromInt(base - adjustSalaryFloor).Mul(r10).Ceil().IntPart()
		if adj1 > salary {
			adj1 = salary
		}
		x.add(OpSub, "所得金額調整控除（子ども・特別障害者等）", adj1, srcIncomeAdjust)
	}

	var pension int64
	if e.PensionRevenue > 0 {
		// The band of 公的年金等控除 depends on the other incomes' 合計所得金額;
		// the salary part is taken after the first kind of adjustment (the
		// second kind depends on the pension itself).
		other, ok := addChecked(salary-adj1, e.OtherIncome)
		if !ok {
			return t, overflow("OtherIncome")
		}
		pension, err = publicPensionIncome(year, e.PensionRevenue, e.PensionAged65, other, nil)
		if err != nil {
			return t, err
		}
	}
	t.Pension = pension

	// Kind 2: 給与所得と年金所得の双方を有する者.
	var adj2 int64
	salaryNet := salary - adj1
	if year >= adjustFirstYear && salaryNet > 0 && pension > 0 {
		adj2 = min(salaryNet, adjustJointCap) + min(pension, adjustJointCap) - adjustJointCap
		if adj2 > 0 {
			x.add(OpSub, "所得金額調整控除（給与所得と年金所得の双方）", adj2, srcIncomeAdjust)
		} else {
			adj2 = 0
		}
	}
	t.SalaryAdjustment = adj1 + adj2
	if pension > 0 {
		x.add(OpAdd, "公的年金等に係る雑所得", pension, srcPension)
	}
	if e.OtherIncome > 0 {
		x.add(OpAdd, "その他の所得（事業所得・不動産所得・雑所得等）", e.OtherIncome, srcSalaryLaw)
	}
	total, ok := addChecked(salary-t.SalaryAdjustment, pension)
	if !ok {
		return t, overflow("PensionRevenue")
	}
	total, ok = addChecked(total, e.OtherIncome)
	if !ok {
		return t, overflow("OtherIncome")
	}
	t.Total = total
	x.add(OpResult, resultLabel, total, srcSalaryLaw)
	return t, nil
}
