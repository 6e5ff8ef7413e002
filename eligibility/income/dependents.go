package income

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
)

// Income years for which 扶養親族等 counting is encoded: 令和2年分 (when the
// income threshold became 480,000) to 令和9年分.
const (
	DependentsFirstYear = 2020
	DependentsLastYear  = 2027
)

// dependentIncomeLimit is the 合計所得金額 a 同一生計配偶者 or 扶養親族 may have
// (以下). 480,000 for 令和2年分–令和6年分; 580,000 for 令和7年分 (令和7年度
// 税制改正; confirmed on 碧南市's page for 住民税 令和8年度, which reads the
// same 令和7年分 income, and 鹿児島市 for the ひとり親's child); 620,000 from
// 令和8年分 (令和8年度税制改正, 令和8年法律第12号: the 基礎控除 of 所得税法
// 第86条 becomes 620,000 and the dependant thresholds follow it; seen in the
// amended 所得税法施行令 text quoted by public code, "合計額が六十二万円以下",
// and in public code that tracks e-Gov — secondary).
func dependentIncomeLimit(year int) int64 {
	switch {
	case year >= 2026:
		return 620_000
	case year >= 2025:
		return 580_000
	default:
		return 480_000
	}
}

// Age bands of 所得税法 (ages on 31 December of the income year).
const (
	ageDeductible = 16 // 控除対象扶養親族: 16 or over
	ageSpecified  = 19 // 特定扶養親族: 19 to 22
	ageSpecEnd    = 23
	ageElderly    = 70 // 老人扶養親族 / 老人控除対象配偶者: 70 or over
)

// Additions to the 児童扶養手当 income limits (児童扶養手当法施行令 第2条の4).
// Confirmed: 東金市, 目黒区, 武蔵村山市 (official pages).
const (
	additionElderlyRecipient   = 100_000 // 受給資格者: per 老人控除対象配偶者 or 老人扶養親族
	additionSpecifiedRecipient = 150_000 // 受給資格者: per 特定扶養親族 or 控除対象扶養親族 aged 16–18
	additionElderlyLiable      = 60_000  // 扶養義務者等: per 老人扶養親族 (one fewer when all are 老人扶養親族)
)

// taxpayerSpouseLimit: a spouse is a 控除対象配偶者 (and so can be a 老人控除対象
// 配偶者) only when the taxpayer's 合計所得金額 is at most 10,000,000 (所得税法
// 第2条第1項第33号の4, 平成30年分以後).
const taxpayerSpouseLimit = 10_000_000

// Relative is a person in the same livelihood (生計を一にする) as the taxpayer
// whose 同一生計配偶者 or 扶養親族 status is to be judged for an income year.
// Pass only relatives not claimed as 扶養親族 by another taxpayer and not a
// 青色事業専従者 or 事業専従者; the package cannot see those facts.
type Relative struct {
	BirthDate civil.Date
	// TotalIncome is the relative's own 合計所得金額 for the income year.
	TotalIncome int64
	// Spouse is true for the taxpayer's spouse (配偶者), false for other
	// relatives (children, parents, siblings, …).
	Spouse bool
}

// Dependents is the 扶養親族等の数 of a taxpayer for an income year, its
// categories, and the 児童扶養手当 limit additions that follow from them.
type Dependents struct {
	// Count is the 扶養親族等の数: 同一生計配偶者 plus 扶養親族 of every age
	// (children under 16 included).
	Count int

	Spouse        int // 同一生計配偶者 counted (0 or 1)
	ElderlySpouse int // of which 老人控除対象配偶者 (70+)
	Under16       int // 年少扶養親族
	Aged16to18    int // 控除対象扶養親族 aged 16–18
	Specified     int // 特定扶養親族 (19–22)
	Adult         int // 控除対象扶養親族 aged 23–69
	Elderly       int // 老人扶養親族 (70+)

	NotBorn    int // born after 31 December: not counted
	OverIncome int // own 合計所得金額 above the threshold: not counted

	// RecipientAddition is added to a 受給資格者's limits: 100,000 per
	// 老人控除対象配偶者 or 老人扶養親族, 150,000 per 特定扶養親族 or 16–18.
	RecipientAddition int64
	// LiableRelativeAddition is added to a 扶養義務者・配偶者・孤児等の養育者's
	// limit: 60,000 per 老人扶養親族, not counting one of them when every
	// 扶養親族等 is a 老人扶養親族.
	LiableRelativeAddition int64
}

// CountDependents judges each relative on 31 December of the income year
// (birth, age, own income) and returns the 扶養親族等の数 with its categories
// and limit additions. taxpayerTotalIncome is the taxpayer's own 合計所得金額
// (it decides whether a 70+ spouse is a 老人控除対象配偶者).
func CountDependents(year int, taxpayerTotalIncome int64, relatives []Relative) (Dependents, error) {
	return countDependents(year, taxpayerTotalIncome, relatives, nil)
}

// CountDependentsExplained is CountDependents with one step per relative and
// per addition.
func CountDependentsExplained(year int, taxpayerTotalIncome int64, relatives []Relative) (Dependents, []Step, error) {
	return explained(func(x *explain) (Dependents, error) { return countDependents(year, taxpayerTotalIncome, relatives, x) })
}

func countDependents(year int, taxpayerTotalIncome int64, relatives []Relative, x *explain) (Dependents, error) {
	var d Dependents
	if err := checkYear("扶養親族等の数", year, DependentsFirstYear, DependentsLastYear); err != nil {
		return d, err
	}
	if len(relatives) > maxPersons {
		return d, &InputError{Field: "relatives", Reason: fmt.Sprintf("at most %d relatives, got %d", maxPersons, len(relatives))}
	}
	yearEnd := civil.MustDate(year, 12, 31)
	limit := dependentIncomeLimit(year)
	src := srcDependents
	switch {
	case year >= 2026:
		src = srcDependentThresholdR8
	case year >= 2025:
		src = srcDependentThresholdR7
	}
	x.add(OpInfo, "扶養親族等の所得要件（合計所得金額・以下）", limit, src)
	spouses := 0
	for i, r := range relatives {
		if r.Spouse {
			spouses++
			if spouses > 1 {
				return Dependents{}, &InputError{Field: fmt.Sprintf("relatives[%d].Spouse", i), Reason: "more than one spouse"}
			}
		}
		if r.BirthDate.After(yearEnd) { // not yet born
			d.NotBorn++
			if x != nil {
				x.add(OpInfo, fmt.Sprintf("%d人目: %d年12月31日より後に出生のため数えない", i+1, year), 0, srcDependents)
			}
			continue
		}
		if r.TotalIncome > limit {
			d.OverIncome++
			if x != nil {
				x.add(OpInfo, fmt.Sprintf("%d人目: 合計所得金額が所得要件を超えるため数えない", i+1), r.TotalIncome, src)
			}
			continue
		}
		age := AgeAtYearEnd(r.BirthDate, year)
		var cat string
		switch {
		case r.Spouse:
			d.Spouse++
			cat = "同一生計配偶者"
			if age >= ageElderly && taxpayerTotalIncome <= taxpayerSpouseLimit {
				d.ElderlySpouse++
				cat = "同一生計配偶者（老人控除対象配偶者）"
			}
		case age < ageDeductible:
			d.Under16++
			cat = "扶養親族（16歳未満）"
		case age < ageSpecified:
			d.Aged16to18++
			cat = "控除対象扶養親族（16～18歳）"
		case age < ageSpecEnd:
			d.Specified++
			cat = "特定扶養親族（19～22歳）"
		case age < ageElderly:
			d.Adult++
			cat = "控除対象扶養親族（23～69歳）"
		default:
			d.Elderly++
			cat = "老人扶養親族（70歳以上）"
		}
		d.Count++
		if x != nil {
			x.add(OpInfo, fmt.Sprintf("%d人目: %s（12月31日現在%d歳）", i+1, cat, age), r.TotalIncome, srcDependents)
		}
	}
	x.addCount(OpResult, "扶養親族等の数", d.Count, srcDependents)

	d.RecipientAddition = int64(d.ElderlySpouse+d.Elderly)*additionElderlyRecipient +
		int64(d.Specified+d.Aged16to18)*additionSpecifiedRecipient
	if x != nil {
		if n := d.ElderlySpouse + d.Elderly; n > 0 {
			x.add(OpAdd, fmt.Sprintf("受給資格者の限度額加算: 老人控除対象配偶者・老人扶養親族 %d人×100,000円", n), int64(n)*additionElderlyRecipient, srcCRAAdditions)
		}
		if n := d.Specified + d.Aged16to18; n > 0 {
			x.add(OpAdd, fmt.Sprintf("受給資格者の限度額加算: 特定扶養親族・16～18歳の控除対象扶養親族 %d人×150,000円", n), int64(n)*additionSpecifiedRecipient, srcCRAAdditions)
		}
	}

	elderly := d.Elderly
	if elderly > 0 && elderly == d.Count {
		elderly-- // 扶養親族等が老人扶養親族のみの場合は1人を除く
	}
	d.LiableRelativeAddition = int64(elderly) * additionElderlyLiable
	if x != nil && d.Elderly > 0 {
		label := fmt.Sprintf("扶養義務者等の限度額加算: 老人扶養親族 %d人×60,000円", elderly)
		if elderly < d.Elderly {
			label = fmt.Sprintf("扶養義務者等の限度額加算: 老人扶養親族 %d人（老人扶養親族のみのため1人を除く）×60,000円", elderly)
		}
		x.add(OpInfo, label, d.LiableRelativeAddition, srcCRAAdditions)
	}
	return d, nil
}
