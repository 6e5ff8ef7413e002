package eligibility

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"github.com/onestop-jp/onestop/internal/textdist"
)

// translateCELError turns a CEL checker or parser message into Japanese
// for the policy officer, with a suggestion where one helps.
func translateCELError(msg string, env *cel.Env, cp *program, e *Engine) string {
	switch {
	case strings.HasPrefix(msg, "undeclared reference to '"):
		name := between(msg, "undeclared reference to '", "'")
		if _, ok := e.paramIndex[name]; ok {
			return fmt.Sprintf("%q という名前はありません。パラメータは params.%s と書きます", name, name)
		}
		for _, v := range cp.src.Values {
			if v.Name == name {
				return fmt.Sprintf("値 %q はこの式より後で定義されています（values は上に書いたものだけ使えます）", name)
			}
		}
		cands := []string{"household", "as_of", "params"}
		for n := range cp.valueIndex {
			cands = append(cands, n)
		}
		for n := range env.Functions() {
			if !strings.HasPrefix(n, "_") && !strings.Contains(n, "@") {
				cands = append(cands, n)
			}
		}
		if v := functionSince(name); v > cp.library {
			return fmt.Sprintf("関数 %s は関数ライブラリの版 %d からです。このパックは版 %d 用です（pack: の library: を %d 以上にしてください）", name, v, cp.library, v)
		}
		if s := closest(name, cands); s != "" {
			return fmt.Sprintf("%q という名前はありません（もしかして %q？）", name, s)
		}
		return fmt.Sprintf("%q という名前はありません（使える名前: household, as_of, params と、この制度の values に書いた値）", name)
	case strings.HasPrefix(msg, "undefined field '"):
		name := between(msg, "undefined field '", "'")
		var cands []string
		for _, ft := range FactTypes() {
			for _, f := range ft.Fields {
				cands = append(cands, f.Key)
			}
		}
		for n := range e.paramIndex {
			cands = append(cands, n)
		}
		if s := closest(name, cands); s != "" {
			return fmt.Sprintf("%q という項目はありません（もしかして %q？）", name, s)
		}
		return fmt.Sprintf("%q という項目はありません", name)
	case strings.HasPrefix(msg, "found no matching overload for '"):
		fn := between(msg, "found no matching overload for '", "'")
		args := between(msg, "applied to '", "'")
		if sigs := signaturesOf(fn, cp.library); len(sigs) > 0 {
			// A library function called with the wrong arguments: say
			// what it takes, not what the arguments might be mixing up.
			hint := ""
			if fn == "round_yen" && strings.Count(args, ",") < 2 {
				hint = "。丸め方を3つ目の引数に書いてください（例: round_yen(x, 10, 'half_up')。half_up（四捨五入）, down（切り捨て）, up（切り上げ）など）"
			}
			return fmt.Sprintf("関数 %s に渡した引数 %s の数か型が合いません%s（使える形: %s）", fn, args, hint, strings.Join(sigs, "、"))
		}
		hint := ""
		if strings.Contains(args, "onestop.Decimal") && strings.Contains(args, "int") {
			hint = "。整数と小数を混ぜるときは decimal(x) で小数にそろえ、結果は round_yen(…) で円にしてください"
		}
		if strings.Contains(args, "double") {
			hint = "。小数は 0.8 ではなく decimal('0.8') と書いてください（金額に浮動小数点は使えません）"
		}
		return fmt.Sprintf("%s は %s の組み合わせには使えません%s", operatorName(fn), args, hint)
	case strings.HasPrefix(msg, "Syntax error"):
		return "式の書き方に誤りがあります（括弧や引用符の対応、演算子を確認してください）"
	}
	return "式に誤りがあります"
}

// signaturesOf lists the signatures of a library function in a version.
func signaturesOf(fn string, version uint32) []string {
	var out []string
	for _, d := range libraryDecls() {
		if d.fn == fn && !d.operator && d.since <= version {
			out = append(out, d.signature())
		}
	}
	return out
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// closest is textdist.Closest, except that a name is never "corrected"
// into a word it shares nothing with (a distance of at least its length).
func closest(name string, cands []string) string {
	s := textdist.Closest(name, cands)
	if s != "" && textdist.Distance(name, s) >= len(name) {
		return ""
	}
	return s
}

func operatorName(fn string) string {
	switch fn {
	case operators.Less:
		return "「<」"
	case operators.LessEquals:
		return "「<=」"
	case operators.Greater:
		return "「>」"
	case operators.GreaterEquals:
		return "「>=」"
	case operators.Equals:
		return "「==」"
	case operators.NotEquals:
		return "「!=」"
	case operators.Add:
		return "「+」"
	case operators.Subtract:
		return "「-」"
	case operators.Multiply:
		return "「*」"
	case operators.Divide:
		return "「/」"
	case operators.Modulo:
		return "「%」"
	case operators.LogicalAnd:
		return "「&&」"
	case operators.LogicalOr:
		return "「||」"
	case operators.In:
		return "「in」"
	}
	return fmt.Sprintf("関数 %s", fn)
}
