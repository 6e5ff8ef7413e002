package income

import (
	"fmt"

	"github.com/onestop-jp/onestop/civil"
)

// Tax selects whose deduction amounts apply: 所得税 (the income year) or 住民税
// (the 年度 after the income year). The people and statuses are the same; the
// amounts differ, and only 住民税 has the 人的控除額の差 of the 調整控除.
type Tax uint8

const (
	IncomeTax   Tax = iota + 1 // 所得税
	ResidentTax                // 住民税（市町村民税・道府県民税）
)

func (t Tax) String() string {
	switch t {
	case IncomeTax:
		return "所得税"
	case ResidentTax:
		return "住民税"
	default:
		return fmt.Sprintf("Tax(%d)", uint8(t))
	}
}

// DisabilityLevel is a person's status for 障害者控除: 障害者 or 特別障害者
// (所得税法 第2条第1項第28号・第29号; e.g. 身体障害者手帳1・2級, 療育手帳A, 精神
// 障害者保健福祉手帳1級 are 特別障害者).
type DisabilityLevel uint8

const (
	NotDisabled     DisabilityLevel = iota
	Disabled                        // 障害者
	SpecialDisabled                 // 特別障害者
)

// Income years for which the personal deductions (所得控除) are encoded:
// 令和2年分 to 令和7年分, i.e. 住民税 令和3年度 to 令和8年度. 令和8年分 is not
// covered: the 所得税 基礎控除 of 令和8年分 is known (BasicDeduction covers it)
// but the 住民税 side and the 配偶者・扶養 tables of the 令和8年度税制改正 were
// not read.
const (
	TaxDeductionsFirstYear = 2020
	TaxDeductionsLastYear  = 2025
)

// Income years of the 所得税 基礎控除 alone (BasicDeduction with IncomeTax):
// to 令和8年分, whose figures (所得税法 第86条 620,000 + 租税特別措置法 第41条の
// 16の2 420,000 / 50,000) were read as verbatim quotes of e-Gov in public code.
const basicIncomeTaxLastYear = 2026

// TaxRelative is a person in the same livelihood as the taxpayer whose status
// as 同一生計配偶者, 扶養親族 or 特定親族 (and the deductions that follow) is
// judged on 31 December of the income year. Pass only those not claimed by
// another taxpayer (a 扶養親族 or 特定親族 is claimed by one taxpayer only)
// and not a 青色事業専従者 or 事業専従者.
type TaxRelative struct {
	BirthDate   civil.Date
	TotalIncome int64 // the relative's own 合計所得金額
	Spouse      bool
	Disability  DisabilityLevel
	// LivesWith: the relative always lives with the taxpayer (常に同居): a
	// 特別障害者 becomes 同居特別障害者, an 老人扶養親族 who is LinealAscendant
	// becomes 同居老親等.
	LivesWith bool
	// LinealAscendant: a lineal ascendant (直系尊属) of the taxpayer or the
	// spouse — a parent or grandparent.
	LinealAscendant bool
}

// DeductionInput holds a taxpayer's facts for the 所得控除 of an income year.
type DeductionInput struct {
	Tax  Tax
	Year int
	// TotalIncome is the taxpayer's 合計所得金額.
	TotalIncome int64
	Disability  DisabilityLevel // the taxpayer's own
	// Female, Widow and SingleParent: the 寡婦 / ひとり親 statuses
	// (WidowDeduction, SingleParentDeduction decide them); Female also picks
	// the ひとり親 人的控除額の差 (母 50,000, 父 10,000).
	Female       bool
	Widow        bool
	SingleParent bool
	// WorkingStudent: the taxpayer is a 勤労学生 (a student with income from
	// work and at most 100,000 yen of other income); the 合計所得金額 limit is
	// checked here.
	WorkingStudent bool
	Relatives      []TaxRelative
	// DisabledPeople and SpecialDisabledPeople count people for whom 障害者控除
	// or 特別障害者控除 is taken, as a 課税証明書 shows them, for a caller that
	// knows the counts but not who they are. Each adds one deduction on top of
	// the levels given per person (Disability and Relatives); a 同居特別障害者
	// counted here gets the 特別障害者 amount.
	DisabledPeople        int
	SpecialDisabledPeople int
	// Deductions whose amount is known from the return or the 課税証明書 (of
	// the tax chosen): 社会保険料控除, 小規模企業共済等掛金控除, 医療費控除,
	// 雑損控除, and 生命保険料控除 + 地震保険料控除.
	SocialInsurance        int64
	SmallBusinessMutualAid int64
	Medical                int64
	CasualtyLoss           int64
	InsurancePremiums      int64
}

// Deductions are the 所得控除 of a taxpayer for one tax and income year.
type Deductions struct {
	Basic         int64 // 基礎控除
	Spouse        int64 // 配偶者控除
	SpouseSpecial int64 // 配偶者特別控除
	Dependents    int64 // 扶養控除
	// SpecificRelative is the 特定親族特別控除 (令和7年分〜) of all 特定親族:
	// relatives aged 19–22 whose 合計所得金額 is above the 扶養 limit and at
	// most 1,230,000.
	SpecificRelative int64
	Disabled         int64 // 障害者控除 (all persons)
	Widow            int64 // 寡婦控除
	SingleParent     int64 // ひとり親控除
	WorkingStudent   int64 // 勤労学生控除
	// Amounts given in the input, kept for the explanation.
	SocialInsurance        int64
	SmallBusinessMutualAid int64
	Medical                int64
	CasualtyLoss           int64
	InsurancePremiums      int64
	// Total is the sum of every deduction above.
	Total int64
	// PersonalDifference is the 人的控除額の差の合計額 of the 調整控除
	// (地方税法 第314条の6): 0 for IncomeTax.
	PersonalDifference int64
}

// Figures (所得税 / 住民税 / 人的控除額の差). Status in docs/income.md:
// amounts of 所得税法 第79条〜第86条 and 地方税法 第314条の2 as on 国税庁
// タックスアンサー No.1160/1170/1171/1175/1180/1191/1195/1199 and municipal
// 住民税 pages; the 差 of 地方税法 第314条の6 as on municipal tables (e.g.
// "障害者 27/26 1万 … 特定 63/45 18万 … 同居老人 58/45 13万").
var (
	dedDependentGeneral   = [3]int64{380_000, 330_000, 50_000}  // 一般（16〜18歳・23〜69歳）
	dedDependentSpecified = [3]int64{630_000, 450_000, 180_000} // 特定（19〜22歳）
	dedDependentElderly   = [3]int64{480_000, 380_000, 100_000} // 老人（70歳以上）
	dedDependentCoResAsc  = [3]int64{580_000, 450_000, 130_000} // 同居老親等
	dedDisabled           = [3]int64{270_000, 260_000, 10_000}
	dedSpecialDisabled    = [3]int64{400_000, 300_000, 100_000}
	dedCoResSpecialDisab  = [3]int64{750_000, 530_000, 220_000} // 同居特別障害者
	dedWidow              = [3]int64{270_000, 260_000, 10_000}
	dedSingleParent       = [2]int64{350_000, 300_000} // 差: 母 50,000 / 父 10,000
	dedWorkingStudent     = [3]int64{270_000, 260_000, 10_000}
)

// Spouse deductions by the taxpayer's 合計所得金額 tier (≤9,000,000;
// ≤9,500,000; ≤10,000,000; above: none). 所得税法 第83条・第83条の2, 地方税法
// 第314条の2 (平成30年分以後).
var (
	spouseGeneral = map[Tax][3]int64{IncomeTax: {380_000, 260_000, 130_000}, ResidentTax: {330_000, 220_000, 110_000}}
	spouseElderly = map[Tax][3]int64{IncomeTax: {480_000, 320_000, 160_000}, ResidentTax: {380_000, 260_000, 130_000}}
	// 人的控除額の差 for 配偶者控除 (一般 / 老人) by the same tiers.
	spouseGeneralDiff = [3]int64{50_000, 40_000, 20_000}
	spouseElderlyDiff = [3]int64{100_000, 60_000, 30_000}
)

// spouseSpecialBand: for a spouse whose 合計所得金額 is at most upTo (and above
// the previous band), the 配偶者特別控除 by taxpayer tier.
type spouseSpecialBand struct {
	upTo   int64
	amount [3]int64
}

var spouseSpecialBands = map[Tax][]spouseSpecialBand{
	IncomeTax: {
		{950_000, [3]int64{380_000, 260_000, 130_000}},
		{1_000_000, [3]int64{360_000, 240_000, 120_000}},
		{1_050_000, [3]int64{310_000, 210_000, 110_000}},
		{1_100_000, [3]int64{260_000, 180_000, 90_000}},
		{1_150_000, [3]int64{210_000, 140_000, 70_000}},
		{1_200_000, [3]int64{160_000, 110_000, 60_000}},
		{1_250_000, [3]int64{110_000, 80_000, 40_000}},
		{1_300_000, [3]int64{60_000, 40_000, 20_000}},
		{1_330_000, [3]int64{30_000, 20_000, 10_000}},
	},
	ResidentTax: {
		{1_000_000, [3]int64{330_000, 220_000, 110_000}},
		{1_050_000, [3]int64{310_000, 210_000, 110_000}},
		{1_100_000, [3]int64{260_000, 180_000, 90_000}},
		{1_150_000, [3]int64{210_000, 140_000, 70_000}},
		{1_200_000, [3]int64{160_000, 110_000, 60_000}},
		{1_250_000, [3]int64{110_000, 80_000, 40_000}},
		{1_300_000, [3]int64{60_000, 40_000, 20_000}},
		{1_330_000, [3]int64{30_000, 20_000, 10_000}},
	},
}

// 人的控除額の差 for 配偶者特別控除 (地方税法 第314条の6・第37条第1号イ(7)):
// spouse 合計所得金額 below 500,000: 5/4/2万円; 500,000 to below 550,000:
// 3/2/1万円; from 550,000: none. The statute states these absolute amounts
// and a spouse who is not a 控除対象配偶者; from 令和7年分 (住民税 令和8年度)
// that means income above 580,000, so no spouse falls in either band and the
// 差 is 0. Status: confirmed for 令和8年度 by 江戸川区's 人的控除の差額一覧
// (令和8年度), whose 配偶者特別控除 row reads "適用なし" (stored as a flattened
// table, https://www.city.edogawa.tokyo.jp/e013/kurashi/zeikin/juminzei/zei_gaiyo/zegakukojo.html);
// the unchanged 50万/55万 text is as read on e-Gov by public code
// (sakurataxsys/tax-pocket, secondary). Until issue 13l the 令和7年分 bands were
// guessed as moved by 100,000 (58万超60万未満 5万, 60万以上65万未満 3万).
var spouseSpecialDiff = []spouseSpecialBand{
	{499_999, [3]int64{50_000, 40_000, 20_000}},
	{549_999, [3]int64{30_000, 20_000, 10_000}},
}

// specificRelativeBand: for a 特定親族 whose 合計所得金額 is at most upTo (and
// above the previous band), the 特定親族特別控除 for 所得税 and 住民税.
type specificRelativeBand struct {
	upTo                   int64
	incomeTax, residentTax int64
}

// specificRelativeBands is the 特定親族特別控除, created by the 令和7年度税制
// 改正: 所得税 from 令和7年分 (所得税法 第84条の2), 住民税 from 令和8年度, i.e.
// 令和7年分 income (地方税法 第34条第1項第12号 and the 市町村民税 provision of
// 第314条の2). A 特定親族 is a relative in the same livelihood, aged 19–22 on
// 31 December, not the spouse and not a 事業専従者, who is not a 控除対象扶養
// 親族 and whose 合計所得金額 is at most 1,230,000 (所得税法 第2条第1項, as
// quoted: "合計所得金額が百二十三万円以下であるものに限る。）で控除対象扶養
// 親族に該当しないもの"): from 令和7年分, income above 580,000. No limit on
// the taxpayer's own income is stated (unlike 配偶者特別控除). Between 850,000 (住民税 950,000) and
// 1,150,000 the statute states a formula, 630,000 − the largest (100,000 × n −
// 80,000) not above 2 × (合計所得金額 − 840,001), whose values are the rows
// below.
//
// Status SECONDARY (see docs/income.md): the 所得税 rows are 国税庁 No.1177's
// table as quoted by public code, which also quotes the 所得税法 第84条の2
// formula from e-Gov; the 住民税 rows (flat 450,000 to 950,000, then as
// 所得税) are the 地方税法 第34条第1項第12号 text as quoted by public code
// citing e-Gov, and by public code citing 総務省 and the 横浜市・大阪市・西宮市
// 令和8年度 pages. The official pages themselves are not in the stored corpus.
var specificRelativeBands = []specificRelativeBand{
	{850_000, 630_000, 450_000},
	{900_000, 610_000, 450_000},
	{950_000, 510_000, 450_000},
	{1_000_000, 410_000, 410_000},
	{1_050_000, 310_000, 310_000},
	{1_100_000, 210_000, 210_000},
	{1_150_000, 110_000, 110_000},
	{1_200_000, 60_000, 60_000},
	{1_230_000, 30_000, 30_000},
}

// specificRelativeFirstYear is the first income year of the 特定親族特別控除.
const specificRelativeFirstYear = 2025

// specificRelativeDeduction returns the 特定親族特別控除 (0, false when the
// relative is not a 特定親族: under 19 or over 22 on 31 December, income at
// or below the 扶養 limit or above 1,230,000, or an income year before
// 令和7年分). The 人的控除額の差 of 地方税法 第314条の6 has no row for it:
// it adds nothing to the 調整控除 (status SECONDARY, docs/income.md).
func specificRelativeDeduction(tax Tax, year, age int, totalIncome int64) (int64, bool) {
	if year < specificRelativeFirstYear || age < ageSpecified || age >= ageSpecEnd || totalIncome <= dependentIncomeLimit(year) {
		return 0, false
	}
	for _, b := range specificRelativeBands {
		if totalIncome <= b.upTo {
			return pick(tax, b.incomeTax, b.residentTax), true
		}
	}
	return 0, false
}

const (
	spouseTaxpayerLimit = 10_000_000 // 配偶者控除・配偶者特別控除: taxpayer 合計所得金額 以下
	spouseSpecialUpper  = 1_330_000  // 配偶者特別控除: spouse 合計所得金額 以下
	adjustmentIncomeCap = 25_000_000 // 調整控除: none above this 合計所得金額 (令和3年度〜)
	basicDifference     = 50_000     // 人的控除額の差: 基礎控除
	singleParentDiffMom = 50_000
	singleParentDiffDad = 10_000
	maxDeductionAmount  = 1_000_000_000_000 // bound for amounts given in the input
	taxpayerTier1       = 9_000_000
	taxpayerTier2       = 9_500_000
)

// workingStudentLimit is the 合計所得金額 a 勤労学生 may have (以下): 750,000
// to 令和6年分, 850,000 from 令和7年分 (令和7年度税制改正).
func workingStudentLimit(year int) int64 {
	if year >= 2025 {
		return 850_000
	}
	return 750_000
}

// BasicDeduction returns the 基礎控除 for a taxpayer's 合計所得金額:
//
//   - 所得税, 令和2年分〜令和6年分: 480,000 up to 24,000,000, then 320,000 /
//     160,000 / 0 above 24,500,000 / 25,000,000 (所得税法 第86条).
//   - 所得税, 令和7年分: 580,000 + the 租税特別措置法 第41条の16の2 addition:
//     950,000 (≤1,320,000), 880,000 (≤3,360,000), 680,000 (≤4,890,000),
//     630,000 (≤6,550,000), 580,000 (≤23,500,000), then 480,000 / 320,000 /
//     160,000 / 0.
//   - 所得税, 令和8年分: 620,000 + 420,000 (≤4,890,000) or 50,000
//     (≤6,550,000): 1,040,000 / 670,000 / 620,000 (≤23,500,000), then as above.
//   - 住民税: 430,000 up to 24,000,000, 290,000, 150,000, 0 (地方税法 第314条の2
//     第2項, 令和3年度〜).
func BasicDeduction(tax Tax, year int, totalIncome int64) (int64, error) {
	last := TaxDeductionsLastYear
	if tax == IncomeTax {
		last = basicIncomeTaxLastYear
	}
	if err := checkYear(tax.String()+"の基礎控除", year, TaxDeductionsFirstYear, last); err != nil {
		return 0, err
	}
	switch {
	case totalIncome > 25_000_000:
		return 0, nil
	case totalIncome > 24_500_000:
		return pick(tax, 160_000, 150_000), nil
	case totalIncome > 24_000_000:
		return pick(tax, 320_000, 290_000), nil
	}
	if tax == ResidentTax {
		return 430_000, nil
	}
	switch {
	case year <= 2024:
		return 480_000, nil
	case totalIncome > 23_500_000:
		return 480_000, nil
	case year == 2025:
		switch {
		case totalIncome <= 1_320_000:
			return 950_000, nil
		case totalIncome <= 3_360_000:
			return 880_000, nil
		case totalIncome <= 4_890_000:
			return 680_000, nil
		case totalIncome <= 6_550_000:
			return 630_000, nil
		}
		return 580_000, nil
	default: // 令和8年分
		switch {
		case totalIncome <= 4_890_000:
			return 1_040_000, nil
		case totalIncome <= 6_550_000:
			return 670_000, nil
		}
		return 620_000, nil
	}
}

func pick(tax Tax, incomeTax, residentTax int64) int64 {
	if tax == IncomeTax {
		return incomeTax
	}
	return residentTax
}

func (t Tax) index() int { return int(t) - 1 }

// IncomeDeductions returns the 所得控除 of a taxpayer for one tax and income
// year: 基礎控除, 配偶者控除 / 配偶者特別控除, 扶養控除 (16歳以上), 障害者控除
// (the taxpayer, the 同一生計配偶者 and every 扶養親族 including those under 16),
// 寡婦控除 / ひとり親控除, 勤労学生控除, 特定親族特別控除 (令和7年分〜), and the
// amounts given. For 住民税 it
// also returns the 人的控除額の差の合計額 used by the 調整控除.
func IncomeDeductions(in DeductionInput) (Deductions, error) {
	return incomeDeductions(in, nil)
}

// IncomeDeductionsExplained is IncomeDeductions with one step per deduction.
func IncomeDeductionsExplained(in DeductionInput) (Deductions, []Step, error) {
	return explained(func(x *explain) (Deductions, error) { return incomeDeductions(in, x) })
}

func incomeDeductions(in DeductionInput, x *explain) (Deductions, error) {
	var d Deductions
	if in.Tax != IncomeTax && in.Tax != ResidentTax {
		return d, &InputError{Field: "Tax", Reason: fmt.Sprintf("unknown tax %d", in.Tax)}
	}
	if err := checkYear(in.Tax.String()+"の所得控除", in.Year, TaxDeductionsFirstYear, TaxDeductionsLastYear); err != nil {
		return d, err
	}
	if err := in.validate(); err != nil {
		return d, err
	}
	ti := in.Tax.index()
	src := srcDeductionsIT
	if in.Tax == ResidentTax {
		src = srcDeductionsRT
	}
	resident := in.Tax == ResidentTax
	diff := func(v int64) {
		if resident {
			d.PersonalDifference += v
		}
	}

	basic, err := BasicDeduction(in.Tax, in.Year, in.TotalIncome)
	if err != nil {
		return d, err
	}
	d.Basic = basic
	x.add(OpInfo, "基礎控除", basic, srcBasicDeduction)
	if basic > 0 {
		diff(basicDifference)
	}

	tier := -1
	switch {
	case in.TotalIncome <= taxpayerTier1:
		tier = 0
	case in.TotalIncome <= taxpayerTier2:
		tier = 1
	case in.TotalIncome <= spouseTaxpayerLimit:
		tier = 2
	}
	limit := dependentIncomeLimit(in.Year)
	yearEnd := civil.MustDate(in.Year, 12, 31)
	for i, r := range in.Relatives {
		if r.BirthDate.After(yearEnd) { // not yet born
			continue
		}
		age := AgeAtYearEnd(r.BirthDate, in.Year)
		if r.Spouse {
			switch {
			case r.TotalIncome <= limit:
				// 同一生計配偶者: 障害者控除 whatever the taxpayer's income;
				// 配偶者控除 when the taxpayer is at most 10,000,000.
				if tier >= 0 {
					table, dt := spouseGeneral[in.Tax], spouseGeneralDiff
					label := "配偶者控除"
					if age >= ageElderly {
						table, dt = spouseElderly[in.Tax], spouseElderlyDiff
						label = "配偶者控除（老人控除対象配偶者）"
					}
					d.Spouse = table[tier]
					diff(dt[tier])
					x.add(OpInfo, label, d.Spouse, srcSpouse)
				}
			case r.TotalIncome <= spouseSpecialUpper && tier >= 0:
				for _, b := range spouseSpecialBands[in.Tax] {
					if r.TotalIncome <= b.upTo {
						d.SpouseSpecial = b.amount[tier]
						break
					}
				}
				if resident {
					for _, b := range spouseSpecialDiff {
						if r.TotalIncome <= b.upTo {
							diff(b.amount[tier])
							break
						}
					}
				}
				x.add(OpInfo, "配偶者特別控除", d.SpouseSpecial, srcSpouse)
			}
			if r.TotalIncome <= limit && r.Disability != NotDisabled {
				d.Disabled += disabilityAmount(r, ti, diff, x)
			}
			continue
		}
		if r.TotalIncome > limit {
			// Not a 扶養親族 (so no 障害者控除 for them either); a 特定親族
			// from 令和7年分.
			if v, ok := specificRelativeDeduction(in.Tax, in.Year, age, r.TotalIncome); ok {
				d.SpecificRelative += v
				if x != nil {
					x.add(OpInfo, fmt.Sprintf("特定親族特別控除 %d人目（12月31日現在%d歳、合計所得金額が扶養の要件を超え123万円以下）", i+1, age), v, srcSpecificRelative)
				}
			}
			continue
		}
		// 扶養親族. Under 16: no 扶養控除, but 障害者控除 applies.
		var row [3]int64
		label := ""
		switch {
		case age < ageDeductible:
		case age < ageSpecified:
			row, label = dedDependentGeneral, "扶養控除（一般・16〜18歳）"
		case age < ageSpecEnd:
			row, label = dedDependentSpecified, "扶養控除（特定扶養親族・19〜22歳）"
		case age < ageElderly:
			row, label = dedDependentGeneral, "扶養控除（一般・23〜69歳）"
		case r.LivesWith && r.LinealAscendant:
			row, label = dedDependentCoResAsc, "扶養控除（同居老親等）"
		default:
			row, label = dedDependentElderly, "扶養控除（老人扶養親族）"
		}
		if label != "" {
			d.Dependents += row[ti]
			diff(row[2])
			if x != nil {
				x.add(OpInfo, fmt.Sprintf("%s %d人目", label, i+1), row[ti], srcDependentDeduction)
			}
		}
		if r.Disability != NotDisabled {
			d.Disabled += disabilityAmount(r, ti, diff, x)
		}
	}

	switch in.Disability {
	case Disabled:
		d.Disabled += dedDisabled[ti]
		diff(dedDisabled[2])
		x.add(OpInfo, "障害者控除（本人）", dedDisabled[ti], srcDisabledDeduction)
	case SpecialDisabled:
		d.Disabled += dedSpecialDisabled[ti]
		diff(dedSpecialDisabled[2])
		x.add(OpInfo, "特別障害者控除（本人）", dedSpecialDisabled[ti], srcDisabledDeduction)
	}

	if n := in.DisabledPeople; n > 0 {
		d.Disabled += int64(n) * dedDisabled[ti]
		diff(int64(n) * dedDisabled[2])
		x.add(OpInfo, fmt.Sprintf("障害者控除（%d人）", n), int64(n)*dedDisabled[ti], srcDisabledDeduction)
	}
	if n := in.SpecialDisabledPeople; n > 0 {
		d.Disabled += int64(n) * dedSpecialDisabled[ti]
		diff(int64(n) * dedSpecialDisabled[2])
		x.add(OpInfo, fmt.Sprintf("特別障害者控除（%d人）", n), int64(n)*dedSpecialDisabled[ti], srcDisabledDeduction)
	}

	if in.TotalIncome <= singleParentIncomeLimit {
		switch {
		case in.SingleParent:
			d.SingleParent = dedSingleParent[ti]
			if in.Female {
				diff(singleParentDiffMom)
			} else {
				diff(singleParentDiffDad)
			}
			x.add(OpInfo, "ひとり親控除", d.SingleParent, srcSingleParentIT)
		case in.Widow:
			d.Widow = dedWidow[ti]
			diff(dedWidow[2])
			x.add(OpInfo, "寡婦控除", d.Widow, srcWidowIT)
		}
	}
	if in.WorkingStudent && in.TotalIncome <= workingStudentLimit(in.Year) {
		d.WorkingStudent = dedWorkingStudent[ti]
		diff(dedWorkingStudent[2])
		x.add(OpInfo, "勤労学生控除", d.WorkingStudent, srcWorkingStudent)
	}

	d.SocialInsurance, d.SmallBusinessMutualAid, d.Medical, d.CasualtyLoss, d.InsurancePremiums =
		in.SocialInsurance, in.SmallBusinessMutualAid, in.Medical, in.CasualtyLoss, in.InsurancePremiums
	for _, g := range []struct {
		label string
		v     int64
	}{
		{"社会保険料控除", in.SocialInsurance}, {"小規模企業共済等掛金控除", in.SmallBusinessMutualAid},
		{"医療費控除", in.Medical}, {"雑損控除", in.CasualtyLoss}, {"生命保険料控除・地震保険料控除", in.InsurancePremiums},
	} {
		if g.v > 0 {
			x.add(OpInfo, g.label, g.v, src)
		}
	}
	for _, v := range []int64{d.Basic, d.Spouse, d.SpouseSpecial, d.Dependents, d.SpecificRelative, d.Disabled, d.Widow, d.SingleParent, d.WorkingStudent,
		d.SocialInsurance, d.SmallBusinessMutualAid, d.Medical, d.CasualtyLoss, d.InsurancePremiums} {
		var ok bool
		if d.Total, ok = addChecked(d.Total, v); !ok {
			return Deductions{}, overflow("deductions")
		}
	}
	x.add(OpResult, fmt.Sprintf("所得控除の合計（%s）", in.Tax), d.Total, src)
	if resident {
		x.add(OpInfo, "人的控除額の差の合計額（調整控除に使う）", d.PersonalDifference, srcAdjustmentDeduction)
	}
	return d, nil
}

func disabilityAmount(r TaxRelative, ti int, diff func(int64), x *explain) int64 {
	row, label := dedDisabled, "障害者控除（配偶者・扶養親族）"
	if r.Disability == SpecialDisabled {
		row, label = dedSpecialDisabled, "特別障害者控除（配偶者・扶養親族）"
		if r.LivesWith {
			row, label = dedCoResSpecialDisab, "同居特別障害者控除（配偶者・扶養親族）"
		}
	}
	diff(row[2])
	x.add(OpInfo, label, row[ti], srcDisabledDeduction)
	return row[ti]
}

func (in DeductionInput) validate() error {
	if len(in.Relatives) > maxPersons {
		return &InputError{Field: "Relatives", Reason: fmt.Sprintf("at most %d relatives, got %d", maxPersons, len(in.Relatives))}
	}
	spouses := 0
	for i, r := range in.Relatives {
		if r.Disability > SpecialDisabled {
			return &InputError{Field: fmt.Sprintf("Relatives[%d].Disability", i), Reason: fmt.Sprintf("unknown level %d", r.Disability)}
		}
		if r.Spouse {
			if spouses++; spouses > 1 {
				return &InputError{Field: fmt.Sprintf("Relatives[%d].Spouse", i), Reason: "more than one spouse"}
			}
		}
	}
	if in.DisabledPeople < 0 || in.DisabledPeople > maxPersons || in.SpecialDisabledPeople < 0 || in.SpecialDisabledPeople > maxPersons {
		return &InputError{Field: "DisabledPeople", Reason: fmt.Sprintf("counts must be 0..%d", maxPersons)}
	}
	if in.Disability > SpecialDisabled {
		return &InputError{Field: "Disability", Reason: fmt.Sprintf("unknown level %d", in.Disability)}
	}
	if in.Widow && in.SingleParent {
		return &InputError{Field: "Widow", Reason: "a person cannot be both 寡婦 and ひとり親"}
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"SocialInsurance", in.SocialInsurance}, {"SmallBusinessMutualAid", in.SmallBusinessMutualAid},
		{"Medical", in.Medical}, {"CasualtyLoss", in.CasualtyLoss}, {"InsurancePremiums", in.InsurancePremiums},
	} {
		if f.v < 0 || f.v > maxDeductionAmount {
			return &InputError{Field: f.name, Reason: fmt.Sprintf("must be 0..%d yen, got %d", int64(maxDeductionAmount), f.v)}
		}
	}
	return nil
}
