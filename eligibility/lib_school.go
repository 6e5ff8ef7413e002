package eligibility

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/onestop-jp/onestop/civil"
)

// School years in rules: the 学年 of a child on a date and the fiscal year
// a child enters elementary school (civil.SchoolGrade,
// civil.ElementaryEntryYear), so that no rule approximates them with ages
// on 1 April, which gets the children born on 1 April wrong.

// maxSchoolBirthYear keeps ReachesAge(birth, 6) within the calendar.
const maxSchoolBirthYear = 9990

func schoolDecls() []libOverload {
	birthOK := func(fn string, d civil.Date) ref.Val {
		if d.Year() > maxSchoolBirthYear {
			return types.NewErr("%s: 生年月日 %s は範囲外です", fn, d)
		}
		return nil
	}
	return []libOverload{
		{fn: "school_grade", id: "onestop_school_grade", params: []param{p("birth", dateType), p("on", dateType)}, result: types.IntType, since: 2,
			doc: "生年月日 birth の子の on の日の学年（学齢による。小学1〜6年は 1〜6、中学1〜3年は 7〜9、高校1〜3年は 10〜12、入学前の年度（年長）は 0、その前は負の数）。4月1日生まれは前の学年（学校教育法 第17条）",
			impl: binary(func(birth, on dateVal) ref.Val {
				if err := birthOK("school_grade", birth.d); err != nil {
					return err
				}
				return types.Int(civil.SchoolGrade(birth.d, on.d))
			})},
		{fn: "school_grade", id: "onestop_member_school_grade", member: true, params: []param{p("", memberType), p("on", dateType)}, result: types.IntType, since: 2,
			doc: "世帯員の on の日の学年（数え方は school_grade と同じ。生年月日が未回答なら不明）。例: 小学生 c.school_grade(as_of) in [1, 2, 3, 4, 5, 6]", reads: []string{"members[].birth_date"},
			impl: binary(func(m *memberVal, on dateVal) ref.Val {
				if m.m.BirthDate == nil {
					return memberFact(m.idx, "birth_date").unknown()
				}
				if err := birthOK("school_grade", *m.m.BirthDate); err != nil {
					return err
				}
				return types.Int(civil.SchoolGrade(*m.m.BirthDate, on.d))
			})},
		{fn: "elementary_entry_year", id: "onestop_elementary_entry_year", params: []param{p("birth", dateType)}, result: types.IntType, since: 2,
			doc: "生年月日 birth の子が小学校に入学する年度（満6歳に達した日の翌日以後の最初の4月1日の年度。2019-04-01 生まれは 2025、2019-04-02 生まれは 2026）",
			impl: unary(func(birth dateVal) ref.Val {
				if err := birthOK("elementary_entry_year", birth.d); err != nil {
					return err
				}
				return types.Int(civil.ElementaryEntryYear(birth.d))
			})},
		{fn: "elementary_entry_year", id: "onestop_member_elementary_entry_year", member: true, params: []param{p("", memberType)}, result: types.IntType, since: 2,
			doc: "世帯員が小学校に入学する年度（数え方は elementary_entry_year と同じ。生年月日が未回答なら不明）", reads: []string{"members[].birth_date"},
			impl: unary(func(m *memberVal) ref.Val {
				if m.m.BirthDate == nil {
					return memberFact(m.idx, "birth_date").unknown()
				}
				if err := birthOK("elementary_entry_year", *m.m.BirthDate); err != nil {
					return err
				}
				return types.Int(civil.ElementaryEntryYear(*m.m.BirthDate))
			})},
	}
}
