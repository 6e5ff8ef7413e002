package eligibility

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/shopspring/decimal"
)

// The CEL function library of the domain. Every overload id starts with
// "onestop_" so the cost estimator and the fact-usage walk recognise them.
// Each function is documented for rule authors in docs/rules.md; keep the two
// in step (TestRulesGuideCoversLibraryAndFacts checks it).

// Function describes one function of the rule library, for documentation
// and for tools such as editors.
type Function struct {
	Signature string // age_on(date, date) -> int
	Doc       string // Japanese description
}

// LibraryFunctions lists the domain functions available in rules.
func LibraryFunctions() []Function {
	return append([]Function{
		{"date(string) -> Date", "\"YYYY-MM-DD\" を日付にします。例: date('2024-11-01')"},
		{"date(int, int, int) -> Date", "年・月・日から日付を作ります。例: date(as_of.year(), 3, 31)"},
		{"Date.year() / .month() / .day() -> int", "年・月・日"},
		{"Date.fiscal_year() -> int", "年度（4月〜翌3月。2026-01-10 は 2025）"},
		{"Date.end_of_fiscal_year() -> Date", "その年度の3月31日"},
		{"Date.add_days(int) -> Date", "日数を足した日付"},
		{"Date.add_months(int) -> Date", "月数を足した日付（月末を超える日は月末にそろえます）"},
		{"string(Date) -> string", "日付を \"YYYY-MM-DD\" の文字列にします"},
		{"age_on(Date birth, Date on) -> int", "on の日に達している年齢（年齢計算ニ関スル法律: 誕生日の前日に年齢が加算）"},
		{"Member.age_on(Date) -> int", "世帯員のその日の年齢（生年月日が未回答なら不明）"},
		{"reaches_age(Date birth, int n) -> Date", "n 歳に達する日（n 回目の誕生日の前日）"},
		{"first_march31_after_age(Date birth, int n) -> Date", "n 歳に達する日以後の最初の3月31日（18歳年度末など）"},
		{"income_year(Date on, int switch_month) -> int", "on の日に使う所得の年（switch_month 月以降は前年、それより前は前々年）。児童扶養手当は 11、住民税は 6"},
		{"Household.applicant() -> Member", "申請者（relation が self の世帯員）"},
		{"Household.children() -> list(Member)", "子（relation が child の世帯員）"},
		{"Household.count(string relation) -> int", "その続柄の世帯員の人数"},
		{"Household.count_aged(string relation, int min, int max, Date on) -> int", "その続柄で、on の日の年齢が min 以上 max 以下の人数"},
		{"Member.income(int year) -> Income", "その年分の所得（未回答なら不明）"},
		{"decimal(string) / decimal(int) -> Decimal", "正確な小数。率の計算に使います。例: decimal(delta) * params.coefficient"},
		{"round_yen(Decimal x, int unit, string mode) -> int", "unit 円単位に丸めます。mode: half_up（四捨五入）, down（切り捨て）, up（切り上げ）, half_even, floor, ceil"},
		{"Decimal.round_yen(int unit, string mode) -> int", "round_yen と同じ"},
		{"max(int, int) / min(int, int) -> int", "大きい方・小さい方"},
		{"sum(list(int)) / list(int).sum() -> int", "合計"},
		{"Member.rank_among(list(Member)) -> int", "その並びの中で年齢の高い順に数えた順位（1から。同じ生年月日は世帯員の順）。並びにいなければ 0。第2子・第3子の判定に使います"},
		{"table_with_step(list(int) table, int step, int n) -> int", "表の n 番目（0 から）。表より先は最後の値に step ずつ加算（扶養親族等の数ごとの限度額など）"},
		{"format_yen(int) -> string", "\"1,234,000円\" の形の文字列（説明文用）"},
	}, append(incomeFunctionDocs(), taxFunctionDocs()...)...)
}

var (
	listOfMember = types.NewListType(memberType)
	intList      = types.NewListType(types.IntType)
)

func libraryOptions() []cel.EnvOption {
	return append(append(coreOptions(), incomeOptions()...), taxOptions()...)
}

// unary adapts a typed function to a CEL unary binding: an argument of
// another type is "no such overload" (or passes an unknown or error on).
func unary[A ref.Val](f func(A) ref.Val) cel.OverloadOpt {
	return cel.UnaryBinding(func(v ref.Val) ref.Val {
		a, ok := v.(A)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		return f(a)
	})
}

// binary adapts a typed function to a CEL binary binding.
func binary[A, B ref.Val](f func(A, B) ref.Val) cel.OverloadOpt {
	return cel.BinaryBinding(func(x, y ref.Val) ref.Val {
		a, ok1 := x.(A)
		b, ok2 := y.(B)
		if !ok1 {
			return types.MaybeNoSuchOverloadErr(x)
		}
		if !ok2 {
			return types.MaybeNoSuchOverloadErr(y)
		}
		return f(a, b)
	})
}

// arg reads argument i of a variadic call as an A; ok is false when any
// argument so far had another type.
func arg[A ref.Val](args []ref.Val, i int, ok *bool) A {
	a, good := args[i].(A)
	if !good {
		*ok = false
	}
	return a
}

func coreOptions() []cel.EnvOption {
	cmp := func(op, name string) cel.EnvOption {
		return cel.Function(op,
			cel.Overload(name+"_date", []*cel.Type{dateType, dateType}, cel.BoolType),
			cel.Overload(name+"_decimal", []*cel.Type{decimalType, decimalType}, cel.BoolType))
	}
	arith := func(op, name string) cel.EnvOption {
		return cel.Function(op, cel.Overload(name+"_decimal", []*cel.Type{decimalType, decimalType}, decimalType))
	}
	dateMember := func(name string, out *cel.Type, f func(civil.Date) ref.Val) cel.EnvOption {
		return cel.Function(name, cel.MemberOverload("onestop_date_"+name, []*cel.Type{dateType}, out,
			unary(func(d dateVal) ref.Val { return f(d.d) })))
	}
	household := func(f func(*householdVal) ref.Val) cel.OverloadOpt { return unary(f) }
	return []cel.EnvOption{
		// Operators on dates and decimals: declared for the checker; at run
		// time the standard operators dispatch on the values' traits.
		cmp(operators.Less, "less"), cmp(operators.LessEquals, "less_equals"),
		cmp(operators.Greater, "greater"), cmp(operators.GreaterEquals, "greater_equals"),
		arith(operators.Add, "add"), arith(operators.Subtract, "subtract"), arith(operators.Multiply, "multiply"),
		cel.Function(operators.Negate, cel.Overload("negate_decimal", []*cel.Type{decimalType}, decimalType)),

		cel.Function("date",
			cel.Overload("onestop_date_string", []*cel.Type{cel.StringType}, dateType, unary(func(s types.String) ref.Val {
				d, err := civil.Parse(string(s))
				if err != nil {
					return types.NewErr("date(%q): %v", string(s), err)
				}
				return dateVal{d}
			})),
			cel.Overload("onestop_date_ymd", []*cel.Type{cel.IntType, cel.IntType, cel.IntType}, dateType, cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				y, m, dd := arg[types.Int](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				if y < 1 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > 31 {
					return types.NewErr("date(%d, %d, %d) is not a date", y, m, dd)
				}
				d, err := civil.NewDate(int(y), time.Month(m), int(dd))
				if err != nil {
					return types.NewErr("date(%d, %d, %d) is not a date", y, m, dd)
				}
				return dateVal{d}
			}))),
		dateMember("year", cel.IntType, func(d civil.Date) ref.Val { return types.Int(d.Year()) }),
		dateMember("month", cel.IntType, func(d civil.Date) ref.Val { return types.Int(d.Month()) }),
		dateMember("day", cel.IntType, func(d civil.Date) ref.Val { return types.Int(d.Day()) }),
		dateMember("fiscal_year", cel.IntType, func(d civil.Date) ref.Val { return types.Int(d.FiscalYear()) }),
		dateMember("end_of_fiscal_year", dateType, func(d civil.Date) ref.Val { return dateVal{d.EndOfFiscalYear()} }),
		cel.Function("add_days", cel.MemberOverload("onestop_date_add_days", []*cel.Type{dateType, cel.IntType}, dateType,
			binary(func(d dateVal, n types.Int) ref.Val {
				if n > 3_000_000 || n < -3_000_000 {
					return types.NewErr("add_days(%d): out of range", n)
				}
				r := d.d.AddDays(int(n))
				if r.Year() < 1 || r.Year() > 9999 {
					return types.NewErr("add_days(%d): out of range", n)
				}
				return dateVal{r}
			}))),
		cel.Function("add_months", cel.MemberOverload("onestop_date_add_months", []*cel.Type{dateType, cel.IntType}, dateType,
			binary(func(d dateVal, n types.Int) ref.Val {
				if n > 100_000 || n < -100_000 {
					return types.NewErr("add_months(%d): out of range", n)
				}
				r, ok := d.d.AddMonths(int(n))
				if !ok {
					return types.NewErr("add_months(%d): out of range", n)
				}
				return dateVal{r}
			}))),
		cel.Function("string",
			cel.Overload("onestop_date_to_string", []*cel.Type{dateType}, cel.StringType,
				unary(func(v dateVal) ref.Val { return v.ConvertToType(types.StringType) })),
			cel.Overload("onestop_decimal_to_string", []*cel.Type{decimalType}, cel.StringType,
				unary(func(v decimalVal) ref.Val { return v.ConvertToType(types.StringType) }))),
		cel.Function("age_on",
			cel.Overload("onestop_age_on", []*cel.Type{dateType, dateType}, cel.IntType,
				binary(func(birth, on dateVal) ref.Val { return types.Int(civil.StatutoryAge(birth.d, on.d)) })),
			cel.MemberOverload("onestop_member_age_on", []*cel.Type{memberType, dateType}, cel.IntType,
				binary(func(m *memberVal, on dateVal) ref.Val {
					if m.m.BirthDate == nil {
						return memberFact(m.idx, "birth_date").unknown()
					}
					return types.Int(civil.StatutoryAge(*m.m.BirthDate, on.d))
				}))),
		cel.Function("reaches_age", cel.Overload("onestop_reaches_age", []*cel.Type{dateType, cel.IntType}, dateType,
			binary(func(birth dateVal, n types.Int) ref.Val {
				if n < 0 || int(n)+birth.d.Year() > 9998 {
					return types.NewErr("reaches_age: age %d out of range", n)
				}
				return dateVal{civil.ReachesAge(birth.d, int(n))}
			}))),
		cel.Function("first_march31_after_age", cel.Overload("onestop_first_march31_after_age", []*cel.Type{dateType, cel.IntType}, dateType,
			binary(func(birth dateVal, n types.Int) ref.Val {
				if n < 0 || int(n)+birth.d.Year() > 9997 {
					return types.NewErr("first_march31_after_age: age %d out of range", n)
				}
				return dateVal{civil.FirstMarch31AfterAge(birth.d, int(n))}
			}))),
		cel.Function("income_year", cel.Overload("onestop_income_year", []*cel.Type{dateType, cel.IntType}, cel.IntType,
			binary(func(on dateVal, sw types.Int) ref.Val {
				if sw < 1 || sw > 12 {
					return types.NewErr("income_year: switch month %d is not a month", sw)
				}
				return types.Int(IncomeYear(on.d, time.Month(sw)))
			}))),

		cel.Function("applicant", cel.MemberOverload("onestop_household_applicant", []*cel.Type{householdType}, memberType,
			household(func(h *householdVal) ref.Val { return h.self }))),
		cel.Function("children", cel.MemberOverload("onestop_household_children", []*cel.Type{householdType}, listOfMember,
			household(func(h *householdVal) ref.Val {
				if h.children == nil {
					var out []ref.Val
					for i := range h.h.Members {
						if h.h.Members[i].Relation == RelationChild {
							out = append(out, h.members.Get(types.Int(i)))
						}
					}
					h.children = types.NewRefValList(types.DefaultTypeAdapter, out)
				}
				return h.children
			}))),
		cel.Function("count", cel.MemberOverload("onestop_household_count", []*cel.Type{householdType, cel.StringType}, cel.IntType,
			binary(func(h *householdVal, rel types.String) ref.Val {
				n := 0
				for i := range h.h.Members {
					if string(h.h.Members[i].Relation) == string(rel) {
						n++
					}
				}
				return types.Int(n)
			}))),
		cel.Function("count_aged", cel.MemberOverload("onestop_household_count_aged",
			[]*cel.Type{householdType, cel.StringType, cel.IntType, cel.IntType, dateType}, cel.IntType,
			cel.OverloadIsNonStrict(), cel.FunctionBinding(countAged))),
		cel.Function("income", cel.MemberOverload("onestop_member_income", []*cel.Type{memberType, cel.IntType}, incomeType,
			binary(func(m *memberVal, y types.Int) ref.Val {
				if m.m.Incomes == nil {
					return incomeYearFact(m.idx, int64(y)).unknown()
				}
				return m.income(int64(y))
			}))),

		cel.Function("decimal",
			cel.Overload("onestop_decimal_string", []*cel.Type{cel.StringType}, decimalType, unary(func(s types.String) ref.Val {
				d, err := parseDecimal(string(s))
				if err != nil {
					return types.NewErr("decimal(%q): %v", string(s), err)
				}
				return decimalVal{d}
			})),
			cel.Overload("onestop_decimal_int", []*cel.Type{cel.IntType}, decimalType,
				unary(func(i types.Int) ref.Val { return decimalVal{decimal.NewFromInt(int64(i))} }))),
		cel.Function("round_yen",
			cel.Overload("onestop_round_yen", []*cel.Type{decimalType, cel.IntType, cel.StringType}, cel.IntType, cel.FunctionBinding(roundYenBinding)),
			cel.MemberOverload("onestop_decimal_round_yen", []*cel.Type{decimalType, cel.IntType, cel.StringType}, cel.IntType, cel.FunctionBinding(roundYenBinding))),
		cel.Function("max", cel.Overload("onestop_max_int", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType,
			binary(func(x, y types.Int) ref.Val { return types.Int(max(x, y)) }))),
		cel.Function("min", cel.Overload("onestop_min_int", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType,
			binary(func(x, y types.Int) ref.Val { return types.Int(min(x, y)) }))),
		cel.Function("sum",
			cel.Overload("onestop_sum_list", []*cel.Type{intList}, cel.IntType, cel.UnaryBinding(sumInts)),
			cel.MemberOverload("onestop_list_sum", []*cel.Type{intList}, cel.IntType, cel.UnaryBinding(sumInts))),
		cel.Function("rank_among", cel.MemberOverload("onestop_member_rank_among", []*cel.Type{memberType, listOfMember}, cel.IntType,
			cel.OverloadIsNonStrict(), cel.BinaryBinding(rankAmongBinding))),
		cel.Function("table_with_step", cel.Overload("onestop_table_with_step", []*cel.Type{intList, cel.IntType, cel.IntType}, cel.IntType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				l, step, n := arg[traits.Lister](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				size := int64(l.Size().(types.Int))
				if size == 0 {
					return types.NewErr("table_with_step: the table is empty")
				}
				if n < 0 {
					return types.NewErr("table_with_step: position %d is negative", n)
				}
				if int64(n) < size {
					return l.Get(n)
				}
				last, ok := l.Get(types.Int(size - 1)).(types.Int)
				if !ok {
					return types.NewErr("table_with_step: the table holds %v, not integers", l.Get(types.Int(size-1)).Type())
				}
				extra := (int64(n) - size + 1)
				if extra > 1_000_000 {
					return types.NewErr("table_with_step: position %d out of range", n)
				}
				return last.Add(types.Int(extra).Multiply(step))
			}))),
		cel.Function("format_yen", cel.Overload("onestop_format_yen", []*cel.Type{cel.IntType}, cel.StringType,
			unary(func(i types.Int) ref.Val { return types.String(FormatYen(int64(i))) }))),
	}
}

// countAged is Household.count_aged. It is non-strict: with the relation
// or a bound unknown, the result is unknown because of it and of the birth
// dates it would read (those of every member of the relation, or of every
// member when the relation is unknown).
func countAged(args ...ref.Val) ref.Val {
	unk, bad := splitArgs(args)
	if bad != nil {
		return bad
	}
	h, ok := args[0].(*householdVal)
	if !ok {
		if unk != nil {
			return unk
		}
		return types.NoSuchOverloadErr()
	}
	rel, relKnown := args[1].(types.String)
	if unk != nil {
		for i := range h.h.Members {
			m := &h.h.Members[i]
			if (!relKnown || string(m.Relation) == string(rel)) && m.BirthDate == nil {
				unk = types.MergeUnknowns(unk, memberFact(i, "birth_date").unknownVal())
			}
		}
		return unk
	}
	ok = true
	lo, hi, on := arg[types.Int](args, 2, &ok), arg[types.Int](args, 3, &ok), arg[dateVal](args, 4, &ok)
	if !ok || !relKnown {
		return types.NoSuchOverloadErr()
	}
	n := 0
	for i := range h.h.Members {
		m := &h.h.Members[i]
		if string(m.Relation) != string(rel) {
			continue
		}
		if m.BirthDate == nil {
			unk = types.MergeUnknowns(unk, memberFact(i, "birth_date").unknownVal())
			continue
		}
		if age := int64(civil.StatutoryAge(*m.BirthDate, on.d)); age >= int64(lo) && age <= int64(hi) {
			n++
		}
	}
	if unk != nil {
		return unk
	}
	return types.Int(n)
}

// rankAmongBinding is Member.rank_among. It is non-strict: when the list
// is unknown, the result is unknown because of it and of the birth dates
// of the members the list may hold.
func rankAmongBinding(x, y ref.Val) ref.Val {
	unk, bad := splitArgs([]ref.Val{x, y})
	if bad != nil {
		return bad
	}
	m, ok := x.(*memberVal)
	if !ok {
		if unk != nil {
			return unk
		}
		return types.MaybeNoSuchOverloadErr(x)
	}
	switch l := y.(type) {
	case traits.Lister:
		return rankAmong(m, l)
	case *types.Unknown:
		if m.hh != nil {
			return mergeUnknownsOf(l, rankAmong(m, m.hh.candidateList(candidateSet(l)|1<<uint(m.idx))))
		}
		return l
	}
	return types.MaybeNoSuchOverloadErr(y)
}

func sumInts(v ref.Val) ref.Val {
	l, ok := v.(traits.Lister)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	var total types.Int
	it := l.Iterator()
	for it.HasNext() == types.True {
		x, ok := it.Next().(types.Int)
		if !ok {
			return types.NewErr("sum: the list holds a value that is not an integer")
		}
		r := total.Add(x)
		if types.IsError(r) {
			return r
		}
		total = r.(types.Int)
	}
	return total
}

// rankAmong returns the 1-based rank of a member in a list of members,
// oldest first, members born the same day in household order; 0 when the
// member is not in the list.
func rankAmong(m *memberVal, l traits.Lister) ref.Val {
	var unk *types.Unknown
	in := false
	rank := 1
	it := l.Iterator()
	for it.HasNext() == types.True {
		o, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("rank_among: the list holds a value that is not a member")
		}
		if o == m {
			in = true
			continue
		}
		if o.m.BirthDate == nil {
			unk = types.MergeUnknowns(unk, memberFact(o.idx, "birth_date").unknownVal())
			continue
		}
		if m.m.BirthDate == nil {
			continue
		}
		if c := o.m.BirthDate.Compare(*m.m.BirthDate); c < 0 || (c == 0 && o.idx < m.idx) {
			rank++
		}
	}
	if !in {
		return types.Int(0)
	}
	if m.m.BirthDate == nil {
		unk = types.MergeUnknowns(unk, memberFact(m.idx, "birth_date").unknownVal())
	}
	if unk != nil {
		return unk
	}
	return types.Int(rank)
}

// IncomeYear returns the calendar year whose income applies on the date on,
// for a programme whose year switches in switchMonth: from switchMonth to
// December the previous year's income, before it the year before that.
// 児童扶養手当 switches in November (支給年度 11月〜翌10月), 住民税 in June.
func IncomeYear(on civil.Date, switchMonth time.Month) int {
	if on.Month() >= switchMonth {
		return on.Year() - 1
	}
	return on.Year() - 2
}

func parseDecimal(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "eE") || len(s) > 40 {
		return decimal.Decimal{}, fmt.Errorf("not a decimal number")
	}
	return decimal.NewFromString(s)
}

// RoundingMode is a rounding rule for money (端数処理).
type RoundingMode string

// Rounding modes. Japanese names are accepted in rules as well.
const (
	RoundHalfUp   RoundingMode = "half_up"   // 四捨五入 (half away from zero)
	RoundDown     RoundingMode = "down"      // 切り捨て (toward zero)
	RoundUp       RoundingMode = "up"        // 切り上げ (away from zero)
	RoundHalfEven RoundingMode = "half_even" // 銀行丸め
	RoundFloor    RoundingMode = "floor"
	RoundCeil     RoundingMode = "ceil"
)

func parseRoundingMode(s string) (RoundingMode, bool) {
	switch s {
	case "half_up", "四捨五入":
		return RoundHalfUp, true
	case "down", "切り捨て", "切捨て":
		return RoundDown, true
	case "up", "切り上げ", "切上げ":
		return RoundUp, true
	case "half_even":
		return RoundHalfEven, true
	case "floor":
		return RoundFloor, true
	case "ceil":
		return RoundCeil, true
	}
	return "", false
}

// RoundYen rounds x to a multiple of unit yen (1, 10, 100, 1,000 or
// 10,000) with the given mode, exactly.
func RoundYen(x decimal.Decimal, unit int64, mode RoundingMode) (int64, error) {
	k := int32(0)
	switch unit {
	case 1:
	case 10:
		k = 1
	case 100:
		k = 2
	case 1000:
		k = 3
	case 10000:
		k = 4
	default:
		return 0, fmt.Errorf("unit %d: round to 1, 10, 100, 1000 or 10000 yen", unit)
	}
	q := x.Shift(-k)
	var r decimal.Decimal
	switch mode {
	case RoundHalfUp:
		r = q.Round(0) // shopspring rounds half away from zero
	case RoundDown:
		r = q.Truncate(0)
	case RoundUp:
		if q.Sign() >= 0 {
			r = q.Ceil()
		} else {
			r = q.Floor()
		}
	case RoundHalfEven:
		r = q.RoundBank(0)
	case RoundFloor:
		r = q.Floor()
	case RoundCeil:
		r = q.Ceil()
	default:
		return 0, fmt.Errorf("unknown rounding mode %q", mode)
	}
	r = r.Shift(k)
	if r.Abs().GreaterThan(decimal.NewFromInt(1e15)) {
		return 0, fmt.Errorf("amount %s is out of range", r)
	}
	return r.IntPart(), nil
}

func roundYenBinding(args ...ref.Val) ref.Val {
	ok := true
	x, unit, mode := arg[decimalVal](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.String](args, 2, &ok)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	m, ok := parseRoundingMode(string(mode))
	if !ok {
		return types.NewErr("round_yen: unknown rounding mode %q (use half_up, down, up, half_even, floor or ceil)", string(mode))
	}
	v, err := RoundYen(x.d, int64(unit), m)
	if err != nil {
		return types.NewErr("round_yen: %v", err)
	}
	return types.Int(v)
}

// FormatYen formats whole yen the Japanese way: 1,234,000円.
func FormatYen(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString("円")
	return b.String()
}
