package income

import "fmt"

// Income years for which ひとり親控除 and 寡婦控除 are encoded: 令和2年分 (when
// ひとり親控除 was created) to 令和8年分. For 令和8年分 the child's income
// requirement follows the 扶養親族 threshold to 620,000 (令和8年法律第12号) and
// the amounts are unchanged (住民税 令和9年度: 300,000). 令和9年分 is not
// covered: the 所得税 ひとり親控除 becomes 380,000 (所得税法 第81条 as in force
// from 2027-01-01, quoted from e-Gov by public code), but the 住民税 amount for
// 令和10年度 (330,000 in the 大綱) was not seen in an enacted text, and a
// PersonalDeduction carries both.
const (
	SingleParentFirstYear = 2020
	SingleParentLastYear  = 2026
)

// ひとり親控除 / 寡婦控除 figures.
//
//   - 合計所得金額 500万円以下: confirmed, 鹿児島市, 錦町 (住民税) and the 令和2年度
//     改正 text quoted on secondary pages.
//   - child's 総所得金額等: 480,000 以下 until 令和6年分, 580,000 from 令和7年分:
//     confirmed, 鹿児島市 ("令和8年度からは…58万円以下（令和7年1月～12月の所得）"),
//     碧南市.
//   - amounts: 住民税 ひとり親 300,000 / 寡婦 260,000 confirmed (鹿児島市, 錦町,
//     直方市); 所得税 ひとり親 350,000 / 寡婦 270,000 seen on municipal allowance
//     tables (多賀城市, 伊達市) and secondary pages citing 国税庁 No.1171/1170;
//     the NTA pages themselves were not read.
const (
	singleParentIncomeLimit = 5_000_000
	singleParentIT          = 350_000
	singleParentRT          = 300_000
	widowIT                 = 270_000
	widowRT                 = 260_000
)

// PersonalDeduction is the outcome of a ひとり親控除 or 寡婦控除 test.
type PersonalDeduction struct {
	Eligible    bool
	IncomeTax   int64 // 所得税 deduction for the income year (0 when not eligible)
	ResidentTax int64 // 住民税 deduction for the following 年度 (0 when not eligible)
}

// SingleParentInput holds the facts of the ひとり親 test, as of 31 December of
// the income year.
type SingleParentInput struct {
	Year int
	// TotalIncome is the person's own 合計所得金額.
	TotalIncome int64
	// Unmarried: 現に婚姻をしていない, or the spouse's life or death is unknown.
	Unmarried bool
	// DeFactoSpouse: there is a person in a relationship like marriage (事実婚;
	// e.g. 住民票 shows 未届の夫・妻).
	DeFactoSpouse bool
	// Children are the 総所得金額等 of each child in the same livelihood who is
	// not another taxpayer's 同一生計配偶者 or 扶養親族.
	Children []int64
}

// SingleParentDeduction applies the ひとり親 test (所得税法 第2条第1項第31号):
// not married (or spouse's fate unknown), no 事実婚, a child in the same
// livelihood whose 総所得金額等 is at most the limit, and 合計所得金額 at most
// 5,000,000 (以下: at exactly 5,000,000 the deduction applies).
func SingleParentDeduction(in SingleParentInput) (PersonalDeduction, error) {
	return singleParent(in, nil)
}

// SingleParentDeductionExplained is SingleParentDeduction with the steps.
func SingleParentDeductionExplained(in SingleParentInput) (PersonalDeduction, []Step, error) {
	return explained(func(x *explain) (PersonalDeduction, error) { return singleParent(in, x) })
}

func childIncomeLimit(year int) int64 { return dependentIncomeLimit(year) }

func singleParent(in SingleParentInput, x *explain) (PersonalDeduction, error) {
	var d PersonalDeduction
	if err := checkYear("ひとり親控除", in.Year, SingleParentFirstYear, SingleParentLastYear); err != nil {
		return d, err
	}
	if len(in.Children) > maxPersons {
		return d, &InputError{Field: "Children", Reason: fmt.Sprintf("at most %d children", maxPersons)}
	}
	limit := childIncomeLimit(in.Year)
	hasChild := false
	for _, c := range in.Children {
		if c <= limit {
			hasChild = true
			break
		}
	}
	x.add(OpBase, "合計所得金額", in.TotalIncome, srcSingleParentIT)
	x.add(OpInfo, "所得要件（500万円以下）", singleParentIncomeLimit, srcSingleParentIT)
	x.add(OpInfo, "生計を一にする子の総所得金額等の要件（以下）", limit, srcDependentThresholdR7)
	switch {
	case !in.Unmarried:
		x.add(OpInfo, "婚姻をしているため該当しない", 0, srcSingleParentIT)
	case in.DeFactoSpouse:
		x.add(OpInfo, "事実上婚姻関係と同様の事情にある者がいるため該当しない", 0, srcSingleParentIT)
	case !hasChild:
		x.add(OpInfo, "要件を満たす生計を一にする子がいないため該当しない", 0, srcSingleParentIT)
	case in.TotalIncome > singleParentIncomeLimit:
		x.add(OpInfo, "合計所得金額が500万円を超えるため該当しない", 0, srcSingleParentIT)
	default:
		d = PersonalDeduction{Eligible: true, IncomeTax: singleParentIT, ResidentTax: singleParentRT}
	}
	x.add(OpResult, "ひとり親控除（所得税）", d.IncomeTax, srcSingleParentIT)
	x.add(OpResult, "ひとり親控除（住民税）", d.ResidentTax, srcSingleParentRT)
	return d, nil
}

// WidowInput holds the facts of the 寡婦 test, as of 31 December of the
// income year. 寡婦 is a woman's status under 所得税法 第2条第1項第30号.
type WidowInput struct {
	Year        int
	TotalIncome int64 // 合計所得金額
	Female      bool
	// Bereaved: 夫と死別した後婚姻をしていない, or the husband's life or death is unknown.
	Bereaved bool
	// Divorced: 夫と離婚した後婚姻をしていない (needs a 扶養親族).
	Divorced      bool
	HasDependent  bool // 扶養親族を有する
	DeFactoSpouse bool // 事実婚 (disqualifies)
	// SingleParent: the person meets the ひとり親 test (SingleParentDeduction);
	// a ひとり親 is never a 寡婦.
	SingleParent bool
}

// WidowDeduction applies the 寡婦 test: a woman who is not a ひとり親, with no
// 事実婚, 合計所得金額 at most 5,000,000, and either bereaved or divorced with a
// 扶養親族.
func WidowDeduction(in WidowInput) (PersonalDeduction, error) {
	return widow(in, nil)
}

// WidowDeductionExplained is WidowDeduction with the steps.
func WidowDeductionExplained(in WidowInput) (PersonalDeduction, []Step, error) {
	return explained(func(x *explain) (PersonalDeduction, error) { return widow(in, x) })
}

func widow(in WidowInput, x *explain) (PersonalDeduction, error) {
	var d PersonalDeduction
	if err := checkYear("寡婦控除", in.Year, SingleParentFirstYear, SingleParentLastYear); err != nil {
		return d, err
	}
	x.add(OpBase, "合計所得金額", in.TotalIncome, srcWidowIT)
	switch {
	case !in.Female:
		x.add(OpInfo, "寡婦は女性に限るため該当しない", 0, srcWidowIT)
	case in.SingleParent:
		x.add(OpInfo, "ひとり親に該当するため寡婦控除は適用しない", 0, srcWidowIT)
	case in.DeFactoSpouse:
		x.add(OpInfo, "事実上婚姻関係と同様の事情にある者がいるため該当しない", 0, srcWidowIT)
	case !in.Bereaved && !(in.Divorced && in.HasDependent):
		x.add(OpInfo, "死別、又は扶養親族を有する離婚のいずれにも該当しない", 0, srcWidowIT)
	case in.TotalIncome > singleParentIncomeLimit:
		x.add(OpInfo, "合計所得金額が500万円を超えるため該当しない", 0, srcWidowIT)
	default:
		d = PersonalDeduction{Eligible: true, IncomeTax: widowIT, ResidentTax: widowRT}
	}
	x.add(OpResult, "寡婦控除（所得税）", d.IncomeTax, srcWidowIT)
	x.add(OpResult, "寡婦控除（住民税）", d.ResidentTax, srcSingleParentRT)
	return d, nil
}
