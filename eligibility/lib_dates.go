package eligibility

import (
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/onestop-jp/onestop/civil"
)

// Dates in rules: date literals, their parts, the fiscal year, the
// statutory age (civil.StatutoryAge) and the income year of a programme.

func dateDecls() []libOverload {
	dateMember := func(name, doc string, out *types.Type, f func(civil.Date) ref.Val) libOverload {
		return libOverload{fn: name, id: "onestop_date_" + name, member: true, params: []param{p("", dateType)}, result: out,
			doc: doc, since: 1, impl: unary(func(d dateVal) ref.Val { return f(d.d) })}
	}
	cmp := func(op, name string) libOverload {
		return libOverload{fn: op, id: name + "_date", params: []param{p("", dateType), p("", dateType)}, result: types.BoolType, operator: true, since: 1}
	}
	return []libOverload{
		// Comparisons of dates: declared for the checker; at run time the
		// standard operators dispatch on the values' traits.
		cmp(operators.Less, "less"), cmp(operators.LessEquals, "less_equals"),
		cmp(operators.Greater, "greater"), cmp(operators.GreaterEquals, "greater_equals"),

		{fn: "date", id: "onestop_date_string", params: []param{p("", types.StringType)}, result: dateType, since: 1,
			doc: "\"YYYY-MM-DD\" を日付にします。例: date('2024-11-01')",
			impl: unary(func(s types.String) ref.Val {
				d, err := civil.Parse(string(s))
				if err != nil {
					return types.NewErr("date(%q): YYYY-MM-DD の形の日付ではありません", string(s))
				}
				return dateVal{d}
			})},
		{fn: "date", id: "onestop_date_ymd", params: []param{p("year", types.IntType), p("month", types.IntType), p("day", types.IntType)}, result: dateType, since: 1,
			doc: "年・月・日から日付を作ります。例: date(as_of.year(), 3, 31)",
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				y, m, dd := arg[types.Int](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				if y < 1 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > 31 {
					return types.NewErr("date(%d, %d, %d): 存在しない日付です", y, m, dd)
				}
				d, err := civil.NewDate(int(y), time.Month(m), int(dd))
				if err != nil {
					return types.NewErr("date(%d, %d, %d): 存在しない日付です", y, m, dd)
				}
				return dateVal{d}
			})},
		dateMember("year", "年", types.IntType, func(d civil.Date) ref.Val { return types.Int(d.Year()) }),
		dateMember("month", "月（1〜12）", types.IntType, func(d civil.Date) ref.Val { return types.Int(d.Month()) }),
		dateMember("day", "日", types.IntType, func(d civil.Date) ref.Val { return types.Int(d.Day()) }),
		dateMember("fiscal_year", "年度（4月〜翌3月。2026-01-10 は 2025）", types.IntType, func(d civil.Date) ref.Val { return types.Int(d.FiscalYear()) }),
		dateMember("end_of_fiscal_year", "その年度の3月31日", dateType, func(d civil.Date) ref.Val { return dateVal{d.EndOfFiscalYear()} }),
		{fn: "add_days", id: "onestop_date_add_days", member: true, params: []param{p("", dateType), p("days", types.IntType)}, result: dateType, since: 1,
			doc: "日数を足した日付（負の数なら前の日付）",
			impl: binary(func(d dateVal, n types.Int) ref.Val {
				if n > 3_000_000 || n < -3_000_000 {
					return types.NewErr("add_days(%d): 範囲外です", n)
				}
				r := d.d.AddDays(int(n))
				if r.Year() < 1 || r.Year() > 9999 {
					return types.NewErr("add_days(%d): 範囲外です", n)
				}
				return dateVal{r}
			})},
		{fn: "add_months", id: "onestop_date_add_months", member: true, params: []param{p("", dateType), p("months", types.IntType)}, result: dateType, since: 1,
			doc: "月数を足した日付（月末を超える日は月末にそろえます）",
			impl: binary(func(d dateVal, n types.Int) ref.Val {
				if n > 100_000 || n < -100_000 {
					return types.NewErr("add_months(%d): 範囲外です", n)
				}
				r, ok := d.d.AddMonths(int(n))
				if !ok {
					return types.NewErr("add_months(%d): 範囲外です", n)
				}
				return dateVal{r}
			})},
		{fn: "string", id: "onestop_date_to_string", params: []param{p("", dateType)}, result: types.StringType, since: 1,
			doc:  "日付を \"YYYY-MM-DD\" の文字列にします",
			impl: unary(func(v dateVal) ref.Val { return v.ConvertToType(types.StringType) })},
		{fn: "age_on", id: "onestop_age_on", params: []param{p("birth", dateType), p("on", dateType)}, result: types.IntType, since: 1,
			doc:  "on の日の年齢（年齢計算ニ関スル法律: 誕生日の前日に1歳加わります。2010-04-02 生まれは 2025-04-01 に15歳）",
			impl: binary(func(birth, on dateVal) ref.Val { return types.Int(civil.StatutoryAge(birth.d, on.d)) })},
		{fn: "age_on", id: "onestop_member_age_on", member: true, params: []param{p("", memberType), p("on", dateType)}, result: types.IntType, since: 1,
			doc: "世帯員のその日の年齢（年齢の数え方は age_on と同じ。生年月日が未回答なら不明）", reads: []string{"members[].birth_date"},
			impl: binary(func(m *memberVal, on dateVal) ref.Val {
				if m.m.BirthDate == nil {
					return memberFact(m.idx, "birth_date").unknown()
				}
				return types.Int(civil.StatutoryAge(*m.m.BirthDate, on.d))
			})},
		{fn: "reaches_age", id: "onestop_reaches_age", params: []param{p("birth", dateType), p("n", types.IntType)}, result: dateType, since: 1,
			doc: "n 歳に達する日（n 回目の誕生日の前日）",
			impl: binary(func(birth dateVal, n types.Int) ref.Val {
				if n < 0 || int(n)+birth.d.Year() > 9998 {
					return types.NewErr("reaches_age: 年齢 %d は範囲外です", n)
				}
				return dateVal{civil.ReachesAge(birth.d, int(n))}
			})},
		{fn: "first_march31_after_age", id: "onestop_first_march31_after_age", params: []param{p("birth", dateType), p("n", types.IntType)}, result: dateType, since: 1,
			doc: "n 歳に達する日以後の最初の3月31日（18歳年度末など）",
			impl: binary(func(birth dateVal, n types.Int) ref.Val {
				if n < 0 || int(n)+birth.d.Year() > 9997 {
					return types.NewErr("first_march31_after_age: 年齢 %d は範囲外です", n)
				}
				return dateVal{civil.FirstMarch31AfterAge(birth.d, int(n))}
			})},
		{fn: "income_year", id: "onestop_income_year", params: []param{p("on", dateType), p("switch_month", types.IntType)}, result: types.IntType, since: 1,
			doc: "on の日に使う所得の年（switch_month 月以降は前年、それより前は前々年）。児童扶養手当は 11、住民税は 6",
			impl: binary(func(on dateVal, sw types.Int) ref.Val {
				if sw < 1 || sw > 12 {
					return types.NewErr("income_year: 切り替わる月 %d は 1〜12 の月ではありません", sw)
				}
				return types.Int(IncomeYear(on.d, time.Month(sw)))
			})},
		{fn: "income_year", id: "onestop_income_year_back", params: []param{p("on", dateType), p("switch_month", types.IntType), p("years_back", types.IntType)}, result: types.IntType, since: 1,
			doc: "on の日に使う所得の年の一般形（switch_month 月以降は years_back 年前、それより前は years_back+1 年前）。income_year(on, m) は income_year(on, m, 1)。1月〜12月を通して前々年なら income_year(on, 1, 2)",
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				on, sw, back := arg[dateVal](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				if sw < 1 || sw > 12 {
					return types.NewErr("income_year: 切り替わる月 %d は 1〜12 の月ではありません", sw)
				}
				if back < 0 || back > 100 {
					return types.NewErr("income_year: years_back %d は 0〜100 にしてください", back)
				}
				return types.Int(IncomeYearBack(on.d, time.Month(sw), int(back)))
			})},
	}
}

// IncomeYear returns the calendar year whose income applies on the date on,
// for a programme whose year switches in switchMonth: from switchMonth to
// December the previous year's income, before it the year before that.
// 児童扶養手当 switches in November (支給年度 11月〜翌10月), 住民税 in June.
func IncomeYear(on civil.Date, switchMonth time.Month) int {
	return IncomeYearBack(on, switchMonth, 1)
}

// IncomeYearBack generalises IncomeYear to programmes whose income is
// older: from switchMonth to December the income of yearsBack years before
// applies, before switchMonth the year before that. IncomeYear(on, m) is
// IncomeYearBack(on, m, 1). 東京都 ひとり親家庭等医療費助成 (医療証 January to
// December on 前々年 income) is IncomeYearBack(on, 1, 2): every month of year
// Y uses Y−2. yearsBack must be 0 or more.
func IncomeYearBack(on civil.Date, switchMonth time.Month, yearsBack int) int {
	if on.Month() >= switchMonth {
		return on.Year() - yearsBack
	}
	return on.Year() - yearsBack - 1
}
