package income

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Income years for which the 公的年金等控除 is encoded: 令和2年分 to 令和9年分.
// 平成31年分 and earlier used another table (no bands by other income) that was
// not confirmed on an official page. The 令和8年度税制改正 (令和8年法律第12号)
// left 所得税法 第35条第4項 and 租税特別措置法 第41条の15の3 as they were for
// 令和8年分 and 令和9年分: no change is listed, and public code that tracks the
// e-Gov text of the amended Acts (checked 2026-07-26) applies the same bands
// to 令和8年分. Status: secondary for 2026–2027 (see docs/income.md).
const (
	PensionFirstYear = 2020
	PensionLastYear  = 2027
)

// pensionRow: for revenue ≥ from, 雑所得 = revenue × rate − (sub − reduction),
// where reduction is 0, 100,000 or 200,000 by the band of other income.
type pensionRow struct {
	from int64
	rate decimal.Decimal
	sub  int64
}

var (
	r75  = dec("0.75")
	r85  = dec("0.85")
	r95  = dec("0.95")
	r100 = dec("1")
)

// 公的年金等に係る雑所得の速算表, 令和2年分以後, 公的年金等に係る雑所得以外の
// 所得に係る合計所得金額が1,000万円以下の場合. Confirmed: 立山町 (official page,
// "令和2年分以降"); consistent with 国税庁 No.1600. Age as of 31 December of the
// income year (立山町: "その年の12月31日により判定").
var (
	pensionUnder65 = []pensionRow{
		{from: 0, rate: r100, sub: 600_000},
		{from: 1_300_000, rate: r75, sub: 275_000},
		{from: 4_100_000, rate: r85, sub: 685_000},
		{from: 7_700_000, rate: r95, sub: 1_455_000},
		{from: 10_000_000, rate: r100, sub: 1_955_000},
	}
	pension65 = []pensionRow{
		{from: 0, rate: r100, sub: 1_100_000},
		{from: 3_300_000, rate: r75, sub: 275_000},
		{from: 4_100_000, rate: r85, sub: 685_000},
		{from: 7_700_000, rate: r95, sub: 1_455_000},
		{from: 10_000_000, rate: r100, sub: 1_955_000},
	}
)

// Other-income bands (愛西市, official page): above 10,000,000 up to
// 20,000,000 every 公的年金等控除額 is 100,000 lower; above 20,000,000,
// 200,000 lower. Both limits are "以下" (at 10,000,000 exactly: no reduction).
const (
	pensionOtherBand1 = 10_000_000
	pensionOtherBand2 = 20_000_000
)

// PublicPensionIncome returns the 公的年金等に係る雑所得 for a 公的年金等の収入金額
// in an income year. aged65 is whether the person is 65 or over on 31 December
// of the income year (use AgeAtYearEnd). otherIncome is the 公的年金等に係る雑所得
// 以外の所得に係る合計所得金額; it selects the band (≤10M, ≤20M, above) and may
// be negative (losses). The result is cut down to the yen and never negative.
// 障害年金・遺族年金 are non-taxable and must not be included in revenue.
func PublicPensionIncome(year int, revenue int64, aged65 bool, otherIncome int64) (int64, error) {
	return publicPensionIncome(year, revenue, aged65, otherIncome, nil)
}

// PublicPensionIncomeExplained is PublicPensionIncome with the steps.
func PublicPensionIncomeExplained(year int, revenue int64, aged65 bool, otherIncome int64) (int64, []Step, error) {
	return explained(func(x *explain) (int64, error) { return publicPensionIncome(year, revenue, aged65, otherIncome, x) })
}

func publicPensionIncome(year int, revenue int64, aged65 bool, otherIncome int64, x *explain) (int64, error) {
	if err := checkYear("公的年金等に係る雑所得", year, PensionFirstYear, PensionLastYear); err != nil {
		return 0, err
	}
	if err := nonNegative("pension revenue", revenue); err != nil {
		return 0, err
	}
	rows, ageLabel := pensionUnder65, "65歳未満"
	if aged65 {
		rows, ageLabel = pension65, "65歳以上"
	}
	var reduction int64
	bandLabel := "公的年金等以外の合計所得金額 1,000万円以下"
	switch {
	case otherIncome > pensionOtherBand2:
		reduction, bandLabel = 200_000, "公的年金等以外の合計所得金額 2,000万円超（控除額−20万円）"
	case otherIncome > pensionOtherBand1:
		reduction, bandLabel = 100_000, "公的年金等以外の合計所得金額 1,000万円超2,000万円以下（控除額−10万円）"
	}
	row := rows[0]
	for _, r := range rows[1:] {
		if revenue < r.from {
			break
		}
		row = r
	}
	x.add(OpBase, "公的年金等の収入金額", revenue, srcPension)
	if x != nil {
		x.add(OpInfo, fmt.Sprintf("年齢区分（12月31日現在）%s", ageLabel), 0, srcPension)
	}
	src := srcPension
	if reduction > 0 {
		src = srcPensionOther
	}
	x.add(OpInfo, bandLabel, otherIncome, src)
	v := decimal.NewFromInt(revenue).Mul(row.rate).Floor().IntPart() - (row.sub - reduction)
	v = max0(v)
	if x != nil {
		x.add(OpSub, fmt.Sprintf("公的年金等控除額（収入×%s−%d円の速算による）", row.rate.String(), row.sub-reduction), revenue-v, src)
	}
	x.add(OpResult, "公的年金等に係る雑所得", v, src)
	return v, nil
}
