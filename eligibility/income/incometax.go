package income

import "fmt"

// Income years of the 所得税 rate table encoded here: 令和2年分 to 令和8年分.
// From 令和9年分 the 復興特別所得税 becomes 1.1 % and a 防衛特別所得税 of 1 %
// is added (令和8年法律第12号); that split is not encoded.
const (
	IncomeTaxFirstYear = 2020
	IncomeTaxLastYear  = 2026
)

// TaxableIncome returns the 課税総所得金額 (所得税) or 課税標準額 (住民税 所得割):
// 総所得金額等 minus 所得控除, never below 0, with the part below 1,000 yen
// dropped (国税通則法 第118条第1項, 地方税法 第20条の4の2第1項).
func TaxableIncome(totalIncome, deductions int64) int64 {
	return max0(totalIncome-deductions) / 1000 * 1000
}

// incomeTaxBand: taxable income up to upTo (inclusive, in yen) is taxed at
// rate percent minus sub (所得税法 第89条, 国税庁 No.2260 速算表).
type incomeTaxBand struct {
	upTo int64
	rate int64
	sub  int64
}

var incomeTaxBands = []incomeTaxBand{
	{1_949_000, 5, 0},
	{3_299_000, 10, 97_500},
	{6_949_000, 20, 427_500},
	{8_999_000, 23, 636_000},
	{17_999_000, 33, 1_536_000},
	{39_999_000, 40, 2_796_000},
	{0, 45, 4_796_000},
}

// IncomeTaxResult is the 所得税 of an income year.
type IncomeTaxResult struct {
	Taxable int64 // 課税総所得金額 (1,000円未満切捨て)
	// Base is the 基準所得税額 (税額控除 such as 住宅借入金等特別控除 not applied).
	Base int64
	// Reconstruction is the 復興特別所得税 (2.1 %, 1円未満切捨て).
	Reconstruction int64
	// Total is Base + Reconstruction (源泉・予定納税 not subtracted).
	Total int64
}

// IncomeTaxAmount returns the 所得税 for a 総所得金額等 and 所得控除 (IncomeDeductions
// with IncomeTax): the 速算表 of 所得税法 第89条 on the 課税総所得金額, and the
// 復興特別所得税 of 2.1 %. It does not apply 税額控除, the 分離課税 schedules, or
// the 極めて高い水準の所得に対する負担の適正化 of 租税特別措置法 第41条の19.
func IncomeTaxAmount(year int, totalIncome, deductions int64) (IncomeTaxResult, error) {
	return incomeTax(year, totalIncome, deductions, nil)
}

// IncomeTaxAmountExplained is IncomeTaxAmount with the steps.
func IncomeTaxAmountExplained(year int, totalIncome, deductions int64) (IncomeTaxResult, []Step, error) {
	return explained(func(x *explain) (IncomeTaxResult, error) { return incomeTax(year, totalIncome, deductions, x) })
}

const maxTaxableIncome = 1_000_000_000_000_000 // 1,000兆円: keeps rate × income far from overflow

func incomeTax(year int, totalIncome, deductions int64, x *explain) (IncomeTaxResult, error) {
	var r IncomeTaxResult
	if err := checkYear("所得税", year, IncomeTaxFirstYear, IncomeTaxLastYear); err != nil {
		return r, err
	}
	if err := nonNegative("deductions", deductions); err != nil {
		return r, err
	}
	if totalIncome > maxTaxableIncome {
		return r, &InputError{Field: "totalIncome", Reason: fmt.Sprintf("above %d yen", int64(maxTaxableIncome))}
	}
	r.Taxable = TaxableIncome(totalIncome, deductions)
	x.add(OpBase, "総所得金額等", max0(totalIncome), srcIncomeTaxRates)
	x.add(OpSub, "所得控除", min(deductions, max0(totalIncome)), srcIncomeTaxRates)
	x.add(OpResult, "課税総所得金額（千円未満切捨て）", r.Taxable, srcIncomeTaxRates)
	for _, b := range incomeTaxBands {
		if b.upTo != 0 && r.Taxable > b.upTo {
			continue
		}
		// Taxable is a multiple of 1,000 yen, so taxable × rate / 100 is whole yen.
		r.Base = r.Taxable*b.rate/100 - b.sub
		if x != nil {
			x.add(OpInfo, fmt.Sprintf("税率 %d%%（控除額 %s）", b.rate, FormatYen(b.sub)), r.Base, srcIncomeTaxRates)
		}
		break
	}
	r.Base = max0(r.Base)
	r.Reconstruction, _ = ReconstructionSurtax(year, r.Base)
	r.Total = r.Base + r.Reconstruction
	x.add(OpResult, "基準所得税額", r.Base, srcIncomeTaxRates)
	x.add(OpAdd, "復興特別所得税（2.1%、1円未満切捨て）", r.Reconstruction, srcReconstructionTax)
	x.add(OpResult, "所得税と復興特別所得税の合計", r.Total, srcIncomeTaxRates)
	return r, nil
}

// ReconstructionSurtax returns the 復興特別所得税 on a 基準所得税額: 2.1 %, the
// part below 1 yen dropped (復興財源確保法 第13条, 平成25年分〜). Years of
// IncomeTaxAmount; from 令和9年分 the rate becomes 1.1 % with a separate 防衛
// 特別所得税, not encoded.
func ReconstructionSurtax(year int, base int64) (int64, error) {
	if err := checkYear("復興特別所得税", year, IncomeTaxFirstYear, IncomeTaxLastYear); err != nil {
		return 0, err
	}
	if err := nonNegative("base", base); err != nil {
		return 0, err
	}
	if base > maxTaxableIncome {
		return 0, &InputError{Field: "base", Reason: fmt.Sprintf("above %d yen", int64(maxTaxableIncome))}
	}
	return base * 21 / 1000, nil
}
