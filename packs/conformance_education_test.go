package packs_test

// Conformance harness for 高等学校等就学支援金 (cases-programmes.json).
//
// The cases give the 所得判定基準 (算定基準額) directly; ours computes it from
// the parents' incomes through the 住民税 所得割 chain. The harness finds,
// by bisection on the applicant's 事業所得, the largest 算定基準額 our chain
// produces that is not above the case's value. The 課税標準額 is truncated
// to the thousand yen, so the 算定基準額 moves in steps of 60円: a case one
// yen below a limit (304,199) is reproduced by the step below it (304,140),
// which is on the same side of the limit, and a case on a limit (304,200)
// is reproduced exactly. The cases are all in 令和5年度 (period 2023-08-01),
// under the law before 令和8年4月. The pack treats every student as 全日制 at
// a 公立 or 私立 school; cases of a 定時制・通信制 course or a 国立 school are
// not run, with that reason.

import (
	"fmt"

	"github.com/onestop-jp/onestop/eligibility"
)

// highSchoolNotRun gives the reason a 就学支援金 case is not run.
func highSchoolNotRun(c *ofCase) string {
	_, persons := households(c)
	for _, p := range persons {
		course, _ := at(p["高校履修種別"], c.Period).(string)
		kind, _ := at(p["高校運営種別"], c.Period).(string)
		if (course != "" && course != "全日制課程") || kind == "国立" {
			return "課程（" + course + "）・設置者（" + kind + "）: 事実モデルは在学先を「高等学校等」と公立・私立でしか表さず、パックは全日制の公立・私立の支給限度額だけを持つ（定時制・通信制・国立の額は判定しない）"
		}
	}
	return ""
}

func (cf *conformance) highSchool(c *ofCase) ([]string, error) {
	on := mustDate(c.Period)
	hs, persons := households(c)
	var problems []string
	for _, h := range hs {
		target, _ := yen(at(h.vars["高等学校等就学支援金_所得判定基準"], c.Period)) // absent: no income
		maxV, ok1 := expected(c, "世帯", h.id, "高等学校等就学支援金_最大")
		minV, ok2 := expected(c, "世帯", h.id, "高等学校等就学支援金_最小")
		hi, ok3 := yen(maxV)
		lo, ok4 := yen(minV)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, fmt.Errorf("%s: expected range missing", h.id)
		}
		build := func(business int64) *eligibility.Household {
			hh := buildHousehold(c, h, persons, 0, 0)
			for i := range hh.Members {
				m := &hh.Members[i]
				switch m.Relation {
				case eligibility.RelationSelf:
					m.Incomes = incomeYears(business)
				case eligibility.RelationChild:
					p := persons[m.ID]
					course, _ := at(p["高校履修種別"], c.Period).(string)
					kind, _ := at(p["高校運営種別"], c.Period).(string)
					school := eligibility.SchoolNone
					if course != "" {
						school = eligibility.SchoolHighSchool
					}
					m.School = new(school)
					m.SchoolPrivate = new(kind == "私立")
				}
			}
			return hh
		}
		base := func(business int64) (int64, *eligibility.Outcome, error) {
			o, err := screen(cf.plain, build(business), on, "high-school-tuition-support")
			if err != nil {
				return 0, nil, err
			}
			b, _ := valueOf(o, "base")
			return b, o, nil
		}
		// Bisection: the largest 事業所得 whose 算定基準額 is not above target.
		lo64, hi64 := int64(0), int64(40_000_000)
		for lo64 < hi64 {
			mid := (lo64 + hi64 + 1) / 2
			b, _, err := base(mid)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", h.id, err)
			}
			if b <= target {
				lo64 = mid
			} else {
				hi64 = mid - 1
			}
		}
		b, o, err := base(lo64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.id, err)
		}
		if target-b >= 60 {
			return nil, fmt.Errorf("%s: 算定基準額 %d円を再現できない（最も近いのは %d円）", h.id, target, b)
		}
		got := amountOf(o)
		if got != lo || got > hi {
			problems = append(problems, fmt.Sprintf("%s: 算定基準額 %d円（ケースは %d円）で月 %d円（期待 %d円、単位制の上限 %d円）", h.id, b, target, got, lo, hi))
		}
	}
	return problems, nil
}
