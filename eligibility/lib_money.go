package eligibility

import (
	"fmt"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/shopspring/decimal"
)

// Money in rules: whole yen as int, exact decimals for rates, rounding to
// yen with an explicit mode (端数処理), sums and tables of limits.

func moneyDecls() []libOverload {
	cmp := func(op, name string) libOverload {
		return libOverload{fn: op, id: name + "_decimal", params: []param{p("", decimalType), p("", decimalType)}, result: types.BoolType, operator: true, since: 1}
	}
	arith := func(op, name string) libOverload {
		return libOverload{fn: op, id: name + "_decimal", params: []param{p("", decimalType), p("", decimalType)}, result: decimalType, operator: true, since: 1}
	}
	return []libOverload{
		// Operators on decimals: declared for the checker; at run time the
		// standard operators dispatch on the values' traits.
		cmp(operators.Less, "less"), cmp(operators.LessEquals, "less_equals"),
		cmp(operators.Greater, "greater"), cmp(operators.GreaterEquals, "greater_equals"),
		arith(operators.Add, "add"), arith(operators.Subtract, "subtract"), arith(operators.Multiply, "multiply"),
		{fn: operators.Negate, id: "negate_decimal", params: []param{p("", decimalType)}, result: decimalType, operator: true, since: 1},

		{fn: "decimal", id: "onestop_decimal_string", params: []param{p("", types.StringType)}, result: decimalType, since: 1,
			doc: "正確な小数。率の計算に使います。例: decimal('0.8')",
			impl: unary(func(s types.String) ref.Val {
				d, err := parseDecimal(string(s))
				if err != nil {
					return types.NewErr("decimal(%q): 小数として読めません", string(s))
				}
				return decimalVal{d}
			})},
		{fn: "decimal", id: "onestop_decimal_int", params: []param{p("", types.IntType)}, result: decimalType, since: 1,
			doc:  "整数を小数にします（率を掛ける前に）。例: decimal(delta) * params.coefficient",
			impl: unary(func(i types.Int) ref.Val { return decimalVal{decimal.NewFromInt(int64(i))} })},
		{fn: "string", id: "onestop_decimal_to_string", params: []param{p("", decimalType)}, result: types.StringType, since: 1,
			doc:  "小数を文字列にします（説明文用）",
			impl: unary(func(v decimalVal) ref.Val { return v.ConvertToType(types.StringType) })},
		{fn: "round_yen", id: "onestop_round_yen", params: []param{p("x", decimalType), p("unit", types.IntType), p("mode", types.StringType)}, result: types.IntType, since: 1,
			doc:  "unit 円単位に丸めます。mode: half_up（四捨五入）, down（切り捨て）, up（切り上げ）, half_even, floor, ceil",
			impl: cel.FunctionBinding(roundYenBinding)},
		{fn: "round_yen", id: "onestop_decimal_round_yen", member: true, params: []param{p("", decimalType), p("unit", types.IntType), p("mode", types.StringType)}, result: types.IntType, since: 1,
			doc:  "round_yen(x, unit, mode) と同じ",
			impl: cel.FunctionBinding(roundYenBinding)},
		{fn: "max", id: "onestop_max_int", params: []param{p("", types.IntType), p("", types.IntType)}, result: types.IntType, since: 1,
			doc:  "大きい方",
			impl: binary(func(x, y types.Int) ref.Val { return types.Int(max(x, y)) })},
		{fn: "min", id: "onestop_min_int", params: []param{p("", types.IntType), p("", types.IntType)}, result: types.IntType, since: 1,
			doc:  "小さい方",
			impl: binary(func(x, y types.Int) ref.Val { return types.Int(min(x, y)) })},
		{fn: "sum", id: "onestop_sum_list", params: []param{p("", intList)}, result: types.IntType, since: 1,
			doc: "合計", cost: perElem(1, 1, 0), impl: cel.UnaryBinding(sumInts)},
		{fn: "sum", id: "onestop_list_sum", member: true, params: []param{p("", intList)}, result: types.IntType, since: 1,
			doc: "合計（sum(list) と同じ）", cost: perElem(1, 1, 0), impl: cel.UnaryBinding(sumInts)},
		{fn: "table_with_step", id: "onestop_table_with_step", params: []param{p("table", intList), p("step", types.IntType), p("n", types.IntType)}, result: types.IntType, since: 1,
			doc: "表の n 番目（0 から）。表より先は最後の値に step ずつ加算（扶養親族等の数ごとの限度額など）", cost: constCost(2),
			impl: cel.FunctionBinding(tableWithStep)},
		{fn: "format_yen", id: "onestop_format_yen", params: []param{p("", types.IntType)}, result: types.StringType, since: 1,
			doc:  "\"1,234,000円\" の形の文字列（説明文用）",
			impl: unary(func(i types.Int) ref.Val { return types.String(FormatYen(int64(i))) })},
	}
}

func tableWithStep(args ...ref.Val) ref.Val {
	ok := true
	l, step, n := arg[traits.Lister](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	size := int64(l.Size().(types.Int))
	if size == 0 {
		return types.NewErr("table_with_step: 表が空です")
	}
	if n < 0 {
		return types.NewErr("table_with_step: 位置 %d が負です", n)
	}
	if int64(n) < size {
		return l.Get(n)
	}
	last, ok := l.Get(types.Int(size - 1)).(types.Int)
	if !ok {
		return types.NewErr("table_with_step: 表に整数でない値があります")
	}
	extra := (int64(n) - size + 1)
	if extra > 1_000_000 {
		return types.NewErr("table_with_step: 位置 %d は範囲外です", n)
	}
	return last.Add(types.Int(extra).Multiply(step))
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

// roundUnitDigits is the number of zeros of a rounding unit RoundYen
// accepts (1, 10, 100, 1,000 or 10,000 yen); ok is false for any other.
func roundUnitDigits(unit int64) (k int32, ok bool) {
	switch unit {
	case 1:
		return 0, true
	case 10:
		return 1, true
	case 100:
		return 2, true
	case 1000:
		return 3, true
	case 10000:
		return 4, true
	}
	return 0, false
}

// RoundYen rounds x to a multiple of unit yen (1, 10, 100, 1,000 or
// 10,000) with the given mode, exactly.
func RoundYen(x decimal.Decimal, unit int64, mode RoundingMode) (int64, error) {
	k, ok := roundUnitDigits(unit)
	if !ok {
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
