package income

import (
	"fmt"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 特定親族特別控除 (令和7年分〜): every band edge, both taxes, the age edges on
// 31 December, and what it does not count for. Expected amounts are 国税庁
// No.1177's table (所得税) and the 地方税法 第34条第1項第12号 table (住民税) as
// written in docs/income.md, not read back from the implementation.
func TestSpecificRelativeDeduction(t *testing.T) {
	// Ages on 2025-12-31: a person reaches an age on the day before the
	// birthday, so one born on 2003-01-01 is 23 and one born on 2007-01-01 is
	// 19 on 2025-12-31.
	born := map[int]civil.Date{
		18: d(2007, 1, 2), 19: d(2007, 1, 1), 20: d(2005, 6, 1), 22: d(2003, 1, 2), 23: d(2003, 1, 1),
	}
	cases := []struct {
		age    int
		income int64
		it, rt int64 // 特定親族特別控除 (所得税, 住民税)
		dep    bool  // a 特定扶養親族 instead (扶養控除 630,000 / 450,000, 差 180,000)
	}{
		{age: 20, income: 580_000, dep: true},
		{age: 20, income: 580_001, it: 630_000, rt: 450_000},
		{age: 20, income: 850_000, it: 630_000, rt: 450_000},
		{age: 20, income: 850_001, it: 610_000, rt: 450_000},
		{age: 20, income: 900_000, it: 610_000, rt: 450_000},
		{age: 20, income: 900_001, it: 510_000, rt: 450_000},
		{age: 20, income: 950_000, it: 510_000, rt: 450_000},
		{age: 20, income: 950_001, it: 410_000, rt: 410_000},
		{age: 20, income: 1_000_000, it: 410_000, rt: 410_000},
		{age: 20, income: 1_000_001, it: 310_000, rt: 310_000},
		{age: 20, income: 1_050_000, it: 310_000, rt: 310_000},
		{age: 20, income: 1_050_001, it: 210_000, rt: 210_000},
		{age: 20, income: 1_100_000, it: 210_000, rt: 210_000},
		{age: 20, income: 1_100_001, it: 110_000, rt: 110_000},
		{age: 20, income: 1_150_000, it: 110_000, rt: 110_000},
		{age: 20, income: 1_150_001, it: 60_000, rt: 60_000},
		{age: 20, income: 1_200_000, it: 60_000, rt: 60_000},
		{age: 20, income: 1_200_001, it: 30_000, rt: 30_000},
		{age: 20, income: 1_230_000, it: 30_000, rt: 30_000},
		{age: 20, income: 1_230_001},
		{age: 19, income: 1_000_000, it: 410_000, rt: 410_000},
		{age: 22, income: 1_000_000, it: 410_000, rt: 410_000},
		{age: 22, income: 580_000, dep: true},
		{age: 18, income: 1_000_000}, // not 19 on 31 December: neither
		{age: 23, income: 1_000_000}, // 23 on 31 December: neither
		{age: 18, income: 580_001},
		{age: 23, income: 1_230_000},
	}
	for _, c := range cases {
		for _, tax := range []Tax{IncomeTax, ResidentTax} {
			t.Run(fmt.Sprintf("%s age %d income %d", tax, c.age, c.income), func(t *testing.T) {
				got, steps, err := IncomeDeductionsExplained(DeductionInput{Tax: tax, Year: 2025, TotalIncome: 5_000_000,
					Relatives: []TaxRelative{{BirthDate: born[c.age], TotalIncome: c.income, Disability: Disabled}}})
				require.NoError(t, err)
				want, dep, dif := c.it, pick(tax, 630_000, 450_000), int64(180_000)
				if tax == ResidentTax {
					want = c.rt
				}
				if !c.dep {
					dep, dif = 0, 0
				}
				assert.Equal(t, want, got.SpecificRelative)
				assert.Equal(t, dep, got.Dependents)
				if c.dep {
					// A 扶養親族 also gets 障害者控除; a 特定親族 is not a 扶養親族
					// and does not (所得税法 第79条: 同一生計配偶者又は扶養親族).
					assert.Equal(t, pick(tax, 270_000, 260_000), got.Disabled)
				} else {
					assert.Zero(t, got.Disabled)
				}
				assert.Equal(t, got.Basic+got.Dependents+got.Disabled+got.SpecificRelative, got.Total)
				if tax == ResidentTax {
					// The 特定親族特別控除 adds nothing to the 人的控除額の差.
					disDif := int64(0)
					if c.dep {
						disDif = 10_000
					}
					assert.Equal(t, basicDifference+dif+disDif, got.PersonalDifference)
				}
				found := false
				for _, s := range steps {
					if s.Amount == want && want > 0 && s.Source == srcSpecificRelative {
						found = true
					}
				}
				assert.Equal(t, want > 0, found, "a step names the 特定親族特別控除")
			})
		}
	}
}

// The statute states the middle bands as a formula (所得税法 第84条の2 as
// quoted from e-Gov: 630,000 minus 2 × (合計所得金額 − 840,001), rounded down
// to the largest 100,000 × n − 80,000 not above it); the table must agree
// with it at every yen step boundary and in between.
func TestSpecificRelativeFormulaAgreesWithTable(t *testing.T) {
	formula := func(income int64) int64 {
		x := 2 * (income - 840_001)
		n := (x + 80_000) / 100_000 // largest n with 100,000n − 80,000 ≤ x
		return 630_000 - (n*100_000 - 80_000)
	}
	for income := int64(850_001); income <= 1_150_000; income += 997 {
		it, ok := specificRelativeDeduction(IncomeTax, 2025, 20, income)
		require.True(t, ok)
		assert.Equal(t, formula(income), it, "所得税 %d", income)
		if income > 950_000 {
			rt, _ := specificRelativeDeduction(ResidentTax, 2025, 20, income)
			assert.Equal(t, formula(income), rt, "住民税 %d", income)
		}
	}
}

func TestSpecificRelativeOtherCases(t *testing.T) {
	rel := func(born civil.Date, income int64) TaxRelative {
		return TaxRelative{BirthDate: born, TotalIncome: income}
	}
	// Before 令和7年分 there is no 特定親族: a 20-year-old over the limit gives nothing (and no error).
	got, err := IncomeDeductions(DeductionInput{Tax: IncomeTax, Year: 2024, TotalIncome: 5_000_000, Relatives: []TaxRelative{rel(d(2004, 6, 1), 1_000_000)}})
	require.NoError(t, err)
	assert.Zero(t, got.SpecificRelative)
	assert.Equal(t, got.Basic, got.Total)

	// Two 特定親族 add up; the taxpayer's own income has no cap (a taxpayer
	// above 10,000,000 still gets it, unlike 配偶者特別控除).
	in := DeductionInput{Tax: IncomeTax, Year: 2025, TotalIncome: 12_000_000,
		Relatives: []TaxRelative{rel(d(2005, 6, 1), 900_000), rel(d(2004, 6, 1), 1_200_000)}}
	got, err = IncomeDeductions(in)
	require.NoError(t, err)
	assert.Equal(t, int64(610_000+60_000), got.SpecificRelative)
	in.Tax = ResidentTax
	got, err = IncomeDeductions(in)
	require.NoError(t, err)
	assert.Equal(t, int64(450_000+60_000), got.SpecificRelative)

	// A spouse aged 20 is never a 特定親族: 配偶者特別控除 instead.
	got, err = IncomeDeductions(DeductionInput{Tax: IncomeTax, Year: 2025, TotalIncome: 5_000_000,
		Relatives: []TaxRelative{{BirthDate: d(2005, 6, 1), TotalIncome: 1_000_000, Spouse: true}}})
	require.NoError(t, err)
	assert.Zero(t, got.SpecificRelative)
	assert.Equal(t, int64(360_000), got.SpouseSpecial)

	// A 特定親族 is not in the 扶養親族等の数 (児童扶養手当) nor in the 住民税
	// 非課税 count: CountDependents leaves them out.
	deps, err := CountDependents(2025, 5_000_000, []Relative{{BirthDate: d(2005, 6, 1), TotalIncome: 580_001}})
	require.NoError(t, err)
	assert.Equal(t, 0, deps.Count)
	assert.Equal(t, 1, deps.OverIncome)
}

// 調整控除: a 特定扶養親族 brings 180,000 of 人的控除額の差, a 特定親族 none,
// so the 所得割 is higher by the lost 調整控除 although the 所得控除 are the
// same (450,000 either way in 住民税). Taxpayer 合計所得金額 3,000,000:
// 課税標準額 3,000,000 − 430,000 − 450,000 = 2,120,000.
func TestSpecificRelativeAdjustmentDeduction(t *testing.T) {
	levy := func(childIncome int64) (Deductions, ResidentLevy) {
		ded, err := IncomeDeductions(DeductionInput{Tax: ResidentTax, Year: 2025, TotalIncome: 3_000_000,
			Relatives: []TaxRelative{{BirthDate: d(2005, 6, 1), TotalIncome: childIncome}}})
		require.NoError(t, err)
		lv, err := ResidentIncomeLevy(ResidentLevyInput{IncomeYear: 2025, TotalIncome: 3_000_000, Deductions: ded})
		require.NoError(t, err)
		return ded, lv
	}
	d1, dependant := levy(580_000)
	d2, specific := levy(580_001)
	assert.Equal(t, d1.Total, d2.Total)
	assert.Equal(t, int64(2_120_000), dependant.TaxableBase)
	assert.Equal(t, int64(2_120_000), specific.TaxableBase)
	// 扶養: 差 50,000 + 180,000 = 230,000; base max(230,000 − 120,000, 50,000) = 110,000.
	assert.Equal(t, int64(110_000), dependant.AdjustmentBase)
	assert.Equal(t, int64(127_200-3_300), dependant.Municipal)
	assert.Equal(t, int64(84_800-2_200), dependant.Prefectural)
	// 特定親族: 差 50,000 (基礎控除 only); base the floor 50,000.
	assert.Equal(t, int64(50_000), specific.AdjustmentBase)
	assert.Equal(t, int64(127_200-1_500), specific.Municipal)
	assert.Equal(t, int64(84_800-1_000), specific.Prefectural)

	// 所得税 令和7年分: 基礎控除 880,000 (合計所得金額 ≤ 3,360,000) + 630,000
	// either way: 課税所得 1,490,000 × 5 %.
	for _, inc := range []int64{580_000, 580_001} {
		ded, err := IncomeDeductions(DeductionInput{Tax: IncomeTax, Year: 2025, TotalIncome: 3_000_000,
			Relatives: []TaxRelative{{BirthDate: d(2005, 6, 1), TotalIncome: inc}}})
		require.NoError(t, err)
		assert.Equal(t, int64(880_000+630_000), ded.Total)
		it, err := IncomeTaxAmount(2025, 3_000_000, ded.Total)
		require.NoError(t, err)
		assert.Equal(t, int64(74_500), it.Base)
	}
}
