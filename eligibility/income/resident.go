package income

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
)

// Income years (前年) for which the 住民税 non-taxable tests are encoded:
// 令和2年分 to 令和7年分, i.e. 住民税 令和3年度 to 令和8年度. Earlier years had
// 125万円 and no +10万円; 令和9年度 (令和8年分) was not checked.
const (
	ResidentFirstYear = 2020
	ResidentLastYear  = 2025
)

// Grade is the municipality's 級地 for the 均等割 non-taxable limit (the
// 生活保護 級地区分: 1級地-1 and 1級地-2 are Grade1, and so on).
type Grade uint8

const (
	Grade1 Grade = 1 // 1級地
	Grade2 Grade = 2 // 2級地
	Grade3 Grade = 3 // 3級地
)

// 住民税 non-taxable figures (地方税法 第24条の5・第295条, 附則第3条の3, 施行令
// 第47条の3).
//
//   - 135万円 rule for 障害者・未成年者・寡婦・ひとり親: confirmed, 大田区 (125万円
//     until 令和2年度), 羽幌町, 町田市.
//   - 均等割: the limit is set by each municipality's 条例 within the 政令 standard
//     (地方税法 第295条第3項, 施行令 第47条の3), so it is a PerCapitaRule the
//     caller may give. The standard by 級地, used when none is given:
//     1級地 350,000 × n + 100,000 (+210,000 with dependents): confirmed, 大田区,
//     練馬区 (45万円 single). 3級地 280,000 / 168,000: confirmed, 羽幌町, 日高町,
//     朝倉市, 枕崎市, うきは市. 2級地 315,000 / 189,000: secondary only (a 税理士
//     page quoting the 政令 standard; limo.media 46074). Municipal 条例 differ:
//     二宮町 320,000 / 190,000 (2級地), 真岡市 and 音更町 280,000 / 170,000
//     (3級地); 音更町: "28万円と17万円の部分は市町村によって異なります".
//   - 所得割 (総所得金額等): 350,000 × n + 100,000 (+320,000 with dependents),
//     not graded: confirmed, 大田区, 羽幌町, 真岡市 (3級地 pages state the same 35万円).
var gradeFigures = [4]PerCapitaRule{
	1: {Base: 350_000, Addition: 210_000},
	2: {Base: 315_000, Addition: 189_000},
	3: {Base: 280_000, Addition: 168_000},
}

// PerCapitaRule is a municipality's 均等割 non-taxable limit (均等割の非課税限度額):
// Base × (本人 + 同一生計配偶者 + 扶養親族) + 100,000, plus Addition when there is
// at least one 同一生計配偶者 or 扶養親族. Each municipality sets Base and
// Addition by 条例; StandardPerCapitaRule gives the 政令 standard by 級地.
type PerCapitaRule struct {
	Base     int64 // per person
	Addition int64 // added once when there are dependents
}

// StandardPerCapitaRule returns the 政令 standard 均等割 rule of a 級地:
// 1級地 350,000 / 210,000, 2級地 315,000 / 189,000, 3級地 280,000 / 168,000.
func StandardPerCapitaRule(g Grade) (PerCapitaRule, error) {
	if g < Grade1 || g > Grade3 {
		return PerCapitaRule{}, &InputError{Field: "Grade", Reason: fmt.Sprintf("級地 must be 1, 2 or 3, got %d", g)}
	}
	return gradeFigures[g], nil
}

// maxPerCapitaFigure bounds a municipality's rule: the 1級地 standard is the
// highest the 政令 allows; ten times it leaves room for any 条例 and keeps
// every product far from overflow.
const maxPerCapitaFigure = 10 * 350_000

const (
	residentSpecialLimit     = 1_350_000 // 障害者・未成年者・寡婦・ひとり親 (以下)
	residentShiftAddition    = 100_000   // 令和3年度から (基礎控除への10万円振替)
	incomeLevyBase           = 350_000
	incomeLevyAddition       = 320_000
	minorAgeFromFiscal2023   = 18
	minorAgeBeforeFiscal2023 = 20
)

// ResidentTaxInput is one person's facts for the 住民税 non-taxable tests of
// the 年度 that follows the income year.
type ResidentTaxInput struct {
	IncomeYear  int   // 前年 (the 年度 is IncomeYear+1)
	TotalIncome int64 // 合計所得金額 of the income year (also used as 総所得金額等 for 所得割: carried-forward losses are not modelled)
	// Dependents is the number of 同一生計配偶者 and 扶養親族 (children under
	// 16 included); the person is counted separately.
	Dependents int
	// Grade is the municipality's 級地. It selects the 政令 standard 均等割
	// rule unless PerCapita is given.
	Grade Grade
	// PerCapita, when not the zero value, is the municipality's own 均等割
	// rule (条例) and is used instead of the standard of Grade; Grade is then
	// ignored.
	PerCapita PerCapitaRule
	// Statuses on 1 January of the 年度 (賦課期日); 寡婦・ひとり親 follow the
	// 31 December of the income year for the deduction, and municipalities
	// use that status here too.
	Disabled     bool
	Minor        bool // see ResidentTaxMinor
	Widow        bool
	SingleParent bool
	// LivelihoodAssistance is 生活保護法 の生活扶助 on 1 January: always exempt.
	LivelihoodAssistance bool
}

// ResidentExemptReason says which rule made a person non-taxable.
type ResidentExemptReason uint8

const (
	ResidentTaxable              ResidentExemptReason = iota // not exempt from 均等割
	ResidentLivelihoodAssistance                             // 生活扶助
	ResidentSpecialStatus                                    // 135万円 rule
	ResidentPerCapitaLimit                                   // 均等割 limit by 級地
)

// ResidentTaxStatus is the outcome of the 住民税 non-taxable tests.
type ResidentTaxStatus struct {
	// PerCapitaExempt: no 均等割, and therefore no 住民税 at all (住民税非課税).
	PerCapitaExempt bool
	// IncomeLevyExempt: no 所得割 (true whenever PerCapitaExempt is).
	IncomeLevyExempt bool
	Reason           ResidentExemptReason
	PerCapitaLimit   int64 // 均等割 limit (以下) that applied
	IncomeLevyLimit  int64 // 所得割 limit (以下) that applied
}

// ResidentTaxMinor reports whether a person is a 未成年者 for the 住民税 of a
// 年度 (fiscalYear, e.g. 2023 for 令和5年度): under 18 on 1 January from
// 令和5年度 (成年年齢 18 from 2022-04-01), under 20 before. A minor who has
// married is not a 未成年者 for this rule; the caller checks that.
func ResidentTaxMinor(birth civil.Date, fiscalYear int) bool {
	age := civil.StatutoryAge(birth, civil.MustDate(fiscalYear, 1, 1))
	if fiscalYear >= 2023 {
		return age < minorAgeFromFiscal2023
	}
	return age < minorAgeBeforeFiscal2023
}

// ResidentTaxExemption applies the 住民税 non-taxable tests to one person.
// All comparisons are 以下 (at the limit is non-taxable).
func ResidentTaxExemption(in ResidentTaxInput) (ResidentTaxStatus, error) {
	return residentTaxExemption(in, nil)
}

// ResidentTaxExemptionExplained is ResidentTaxExemption with the steps.
func ResidentTaxExemptionExplained(in ResidentTaxInput) (ResidentTaxStatus, []Step, error) {
	return explained(func(x *explain) (ResidentTaxStatus, error) { return residentTaxExemption(in, x) })
}

func residentTaxExemption(in ResidentTaxInput, x *explain) (ResidentTaxStatus, error) {
	var s ResidentTaxStatus
	if err := checkYear("住民税非課税", in.IncomeYear, ResidentFirstYear, ResidentLastYear); err != nil {
		return s, err
	}
	g, err := in.perCapitaRule()
	if err != nil {
		return s, err
	}
	if in.Dependents < 0 || in.Dependents > maxPersons {
		return s, &InputError{Field: "Dependents", Reason: fmt.Sprintf("must be 0..%d, got %d", maxPersons, in.Dependents)}
	}
	n := int64(in.Dependents) + 1
	s.PerCapitaLimit = g.Base*n + residentShiftAddition
	s.IncomeLevyLimit = incomeLevyBase*n + residentShiftAddition
	if in.Dependents > 0 {
		s.PerCapitaLimit += g.Addition
		s.IncomeLevyLimit += incomeLevyAddition
	}
	x.add(OpBase, "合計所得金額", in.TotalIncome, srcResidentExempt)
	if x != nil {
		ruleLabel := in.perCapitaLabel()
		perCapita := fmt.Sprintf("均等割の非課税限度額（%s: %d円×%d人+100,000円）", ruleLabel, g.Base, n)
		levy := fmt.Sprintf("所得割の非課税限度額（350,000円×%d人+100,000円）", n)
		if in.Dependents > 0 {
			perCapita = fmt.Sprintf("均等割の非課税限度額（%s: %d円×%d人+100,000円+%d円）", ruleLabel, g.Base, n, g.Addition)
			levy = fmt.Sprintf("所得割の非課税限度額（350,000円×%d人+100,000円+320,000円）", n)
		}
		x.add(OpInfo, perCapita, s.PerCapitaLimit, srcResidentGrade)
		x.add(OpInfo, levy, s.IncomeLevyLimit, srcResidentExempt)
	}
	switch {
	case in.LivelihoodAssistance:
		s.Reason = ResidentLivelihoodAssistance
		x.add(OpInfo, "生活保護法による生活扶助（1月1日現在）", 0, srcResidentExempt)
	case (in.Disabled || in.Minor || in.Widow || in.SingleParent) && in.TotalIncome <= residentSpecialLimit:
		s.Reason = ResidentSpecialStatus
		x.add(OpInfo, "障害者・未成年者・寡婦・ひとり親で合計所得金額135万円以下", residentSpecialLimit, srcResidentExempt)
	case in.TotalIncome <= s.PerCapitaLimit:
		s.Reason = ResidentPerCapitaLimit
	}
	s.PerCapitaExempt = s.Reason != ResidentTaxable
	s.IncomeLevyExempt = s.PerCapitaExempt || in.TotalIncome <= s.IncomeLevyLimit
	if x != nil {
		label := "課税（均等割・所得割）"
		switch {
		case s.PerCapitaExempt:
			label = "住民税非課税（均等割・所得割とも）"
		case s.IncomeLevyExempt:
			label = "均等割のみ課税（所得割は非課税）"
		}
		x.add(OpResult, label, in.TotalIncome, srcResidentExempt)
	}
	return s, nil
}

// perCapitaRule returns the 均等割 rule that applies.
func (in ResidentTaxInput) perCapitaRule() (PerCapitaRule, error) {
	if in.PerCapita == (PerCapitaRule{}) {
		return StandardPerCapitaRule(in.Grade)
	}
	r := in.PerCapita
	if r.Base <= 0 || r.Base > maxPerCapitaFigure || r.Addition < 0 || r.Addition > maxPerCapitaFigure {
		return r, &InputError{Field: "PerCapita", Reason: fmt.Sprintf("base must be 1..%d and addition 0..%d yen, got %d and %d",
			maxPerCapitaFigure, maxPerCapitaFigure, r.Base, r.Addition)}
	}
	return r, nil
}

// perCapitaLabel names the 均等割 rule perCapitaRule applies (explained
// steps only: a plain screening formats nothing).
func (in ResidentTaxInput) perCapitaLabel() string {
	if in.PerCapita == (PerCapitaRule{}) {
		return fmt.Sprintf("%d級地の標準", in.Grade)
	}
	return "市町村の条例"
}
