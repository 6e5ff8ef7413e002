package income

import "fmt"

// ResidentLevyInput holds the facts of a person's 住民税 所得割 for the 年度
// after IncomeYear.
type ResidentLevyInput struct {
	IncomeYear int
	// TotalIncome is the 総所得金額等 (here equal to the 合計所得金額: carried
	// forward losses and 分離課税 are not modelled).
	TotalIncome int64
	// Deductions are the 住民税 所得控除 of IncomeYear (IncomeDeductions with
	// ResidentTax): Total and PersonalDifference are used.
	Deductions Deductions
	// DesignatedCity: the person lives in a 指定都市, where the 市民税 rate is
	// 8 % and its 調整控除 4 % (道府県民税 2 % and 1 %).
	DesignatedCity bool
}

// ResidentLevy is the 所得割 of 住民税 before 税額控除 (住宅借入金等特別控除,
// 寄附金税額控除, 配当控除 …), which no programme test subtracts.
type ResidentLevy struct {
	// TaxableBase is the 課税標準額 (課税総所得金額), 1,000円未満切捨て.
	TaxableBase int64
	// Adjustment is the whole 調整控除 (5 %), AdjustmentBase the amount the
	// rate applies to (人的控除額の差 or the floor of 50,000).
	AdjustmentBase int64
	// Municipal: 市町村民税 (6 %, 指定都市 8 %) and its 調整控除 (3 %, 4 %).
	MunicipalRate       int64
	MunicipalGross      int64
	MunicipalAdjustment int64
	Municipal           int64
	// Prefectural: 道府県民税 (4 %, 指定都市 2 %) and its 調整控除 (2 %, 1 %).
	PrefecturalRate       int64
	PrefecturalGross      int64
	PrefecturalAdjustment int64
	Prefectural           int64
	// StandardMunicipal is 課税標準額 × 6 % − 市町村民税の調整控除 at the
	// standard 3 % (for a 指定都市, its 4 % 調整控除 × 3/4): the figure that
	// 高等学校等就学支援金 and 高等教育の修学支援新制度 compare with their limits,
	// so that 指定都市 residents are judged like everyone else.
	StandardMunicipal int64
}

// Income years of the 所得割 chain: those of the 所得控除 (令和2年分〜令和7年分,
// 住民税 令和3年度〜令和8年度).
const (
	ResidentLevyFirstYear = TaxDeductionsFirstYear
	ResidentLevyLastYear  = TaxDeductionsLastYear
)

const (
	adjustmentThreshold = 2_000_000 // 合計課税所得金額 200万円
	adjustmentFloor     = 50_000    // 5万円
)

// ResidentIncomeLevy returns the 住民税 所得割 of a person: the 課税標準額
// (総所得金額等 − 所得控除, 千円未満切捨て), the 市町村民税 and 道府県民税 at the
// standard rates (地方税法 第314条の3, 第35条; 指定都市 8 % / 2 %), and the 調整
// 控除 (地方税法 第314条の6, 第37条): for a 合計課税所得金額 of at most 2,000,000,
// the smaller of the 人的控除額の差 and the 合計課税所得金額, × 3 % (+2 %); above,
// (人的控除額の差 − (合計課税所得金額 − 2,000,000)), at least 50,000, × 3 % (+2 %);
// none when the 合計所得金額 is above 25,000,000 (令和3年度〜).
func ResidentIncomeLevy(in ResidentLevyInput) (ResidentLevy, error) {
	return residentIncomeLevy(in, nil)
}

// ResidentIncomeLevyExplained is ResidentIncomeLevy with the steps.
func ResidentIncomeLevyExplained(in ResidentLevyInput) (ResidentLevy, []Step, error) {
	return explained(func(x *explain) (ResidentLevy, error) { return residentIncomeLevy(in, x) })
}

func residentIncomeLevy(in ResidentLevyInput, x *explain) (ResidentLevy, error) {
	var r ResidentLevy
	if err := checkYear("住民税の所得割", in.IncomeYear, ResidentLevyFirstYear, ResidentLevyLastYear); err != nil {
		return r, err
	}
	if in.TotalIncome > maxTaxableIncome {
		return r, &InputError{Field: "TotalIncome", Reason: fmt.Sprintf("above %d yen", int64(maxTaxableIncome))}
	}
	d := in.Deductions
	if d.Total < 0 || d.PersonalDifference < 0 || d.Total > maxTaxableIncome || d.PersonalDifference > maxTaxableIncome {
		return r, &InputError{Field: "Deductions", Reason: "totals must be zero or positive yen"}
	}
	r.TaxableBase = TaxableIncome(in.TotalIncome, d.Total)
	x.add(OpBase, "総所得金額等", max0(in.TotalIncome), srcResidentLevy)
	x.add(OpSub, "所得控除（住民税）", min(d.Total, max0(in.TotalIncome)), srcDeductionsRT)
	x.add(OpResult, "課税標準額（千円未満切捨て）", r.TaxableBase, srcResidentLevy)

	r.MunicipalRate, r.PrefecturalRate = 6, 4
	muniAdj, prefAdj := int64(3), int64(2)
	if in.DesignatedCity {
		r.MunicipalRate, r.PrefecturalRate = 8, 2
		muniAdj, prefAdj = 4, 1
	}
	r.MunicipalGross = r.TaxableBase * r.MunicipalRate / 100
	r.PrefecturalGross = r.TaxableBase * r.PrefecturalRate / 100

	if in.TotalIncome <= adjustmentIncomeCap && r.TaxableBase > 0 {
		if r.TaxableBase <= adjustmentThreshold {
			r.AdjustmentBase = min(d.PersonalDifference, r.TaxableBase)
		} else {
			r.AdjustmentBase = max(d.PersonalDifference-(r.TaxableBase-adjustmentThreshold), adjustmentFloor)
		}
	}
	// AdjustmentBase is a multiple of 1,000 yen (differences are multiples of
	// 10,000, the base of 1,000), so each percentage is whole yen.
	r.MunicipalAdjustment = min(r.AdjustmentBase*muniAdj/100, r.MunicipalGross)
	r.PrefecturalAdjustment = min(r.AdjustmentBase*prefAdj/100, r.PrefecturalGross)
	r.Municipal = r.MunicipalGross - r.MunicipalAdjustment
	r.Prefectural = r.PrefecturalGross - r.PrefecturalAdjustment
	r.StandardMunicipal = max0(r.TaxableBase*6/100 - r.AdjustmentBase*3/100)

	if x != nil {
		x.add(OpInfo, "人的控除額の差の合計額", d.PersonalDifference, srcAdjustmentDeduction)
		if in.TotalIncome > adjustmentIncomeCap {
			x.add(OpInfo, "合計所得金額が2,500万円を超えるため調整控除なし", 0, srcAdjustmentDeduction)
		}
		x.add(OpInfo, "調整控除の基礎となる額", r.AdjustmentBase, srcAdjustmentDeduction)
		x.add(OpBase, fmt.Sprintf("市町村民税（課税標準額×%d%%）", r.MunicipalRate), r.MunicipalGross, srcResidentLevy)
		x.add(OpSub, fmt.Sprintf("市町村民税の調整控除（%d%%）", muniAdj), r.MunicipalAdjustment, srcAdjustmentDeduction)
		x.add(OpResult, "市町村民税の所得割額（税額控除前）", r.Municipal, srcResidentLevy)
		x.add(OpBase, fmt.Sprintf("道府県民税（課税標準額×%d%%）", r.PrefecturalRate), r.PrefecturalGross, srcResidentLevy)
		x.add(OpSub, fmt.Sprintf("道府県民税の調整控除（%d%%）", prefAdj), r.PrefecturalAdjustment, srcAdjustmentDeduction)
		x.add(OpResult, "道府県民税の所得割額（税額控除前）", r.Prefectural, srcResidentLevy)
		x.add(OpResult, "課税標準額×6%−市町村民税の調整控除（標準税率で換算）", r.StandardMunicipal, srcResidentLevy)
	}
	return r, nil
}
