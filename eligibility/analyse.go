package eligibility

import (
	"fmt"
	"slices"

	celast "cel.dev/cel-go/common/ast"

	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"github.com/onestop-jp/onestop/civil"
)

// lintUnusedValues warns about values no condition, amount or other value
// reads.
func (c *compiler) lintUnusedValues(cp *program) {
	used := map[int]bool{}
	mark := func(ce *compiledExpr) {
		if ce == nil {
			return
		}
		for _, v := range ce.values {
			used[v] = true
		}
	}
	for _, v := range cp.values {
		mark(v)
	}
	for _, cc := range cp.conds {
		mark(cc.expr)
		mark(cc.explain)
	}
	mark(cp.amount)
	for i, v := range cp.src.Values {
		if !used[i] && v.Name != "" {
			c.ps.warnf(v.Expr.File, v.Expr.Pos().Line, v.Expr.Pos().Col, "unused", "値 %q はどの要件・金額・値からも使われていません", v.Name)
		}
	}
}

func (c *compiler) lintUnusedParams() {
	for i, pd := range c.engine.params {
		if !c.usedParams[i] {
			p := pd.param
			c.ps.warnf(p.Pos.File, p.Pos.Line, p.Pos.Col, "unused", "パラメータ %q はどの制度からも使われていません", p.Name)
		}
	}
}

// factPaths maps a CEL object type to the path prefix of its facts.
var factPaths = map[string]string{
	celHousehold:  "",
	celMember:     "members[].",
	celIncome:     "members[].incomes[].",
	celDisability: "members[].disability.",
	celDeductions: "members[].incomes[].deductions.",
}

// analyse walks a checked expression: which values, parameters and facts
// it reads; and it checks literals a person can get wrong (dates, enum
// values, rounding modes).
func (c *compiler) analyse(ce *compiledExpr, cp *program, facts map[string]bool) {
	native := ce.ast.NativeRep()
	values := map[int]bool{}
	params := map[int]bool{}
	catalog := factCatalog()
	bad := func(id int64, format string, args ...any) {
		line, col := ce.nodePosition(id)
		c.ps.errorf(ce.src.File, line, col, "invalid", ce.what+": "+format, args...)
	}
	// enumOf returns the enum field a select names, if any.
	enumOf := func(e celast.Expr) *FactField {
		if e.Kind() != celast.SelectKind {
			return nil
		}
		sel := e.AsSelect()
		t := native.GetType(sel.Operand().ID())
		if t == nil {
			return nil
		}
		for name, ft := range catalog {
			if "onestop."+name == t.TypeName() {
				if f := ft.Field(sel.FieldName()); f != nil && f.Kind == KindEnum {
					return f
				}
			}
		}
		return nil
	}
	checkEnum := func(f *FactField, lit celast.Expr) {
		if lit.Kind() != celast.LiteralKind {
			return
		}
		s, ok := lit.AsLiteral().(types.String)
		if !ok {
			return
		}
		for _, ev := range f.Enum {
			if ev.Value == string(s) {
				return
			}
		}
		bad(lit.ID(), "%q は %s（%s）に使えない値です（使える値: %s）", string(s), f.Key, f.Label, enumList(f.Enum))
	}
	constString := func(e celast.Expr) (string, bool) {
		if e.Kind() != celast.LiteralKind {
			return "", false
		}
		s, ok := e.AsLiteral().(types.String)
		return string(s), ok
	}
	keyedExtra := map[int64]bool{} // household.extra selects followed by a key
	celast.PreOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		switch e.Kind() {
		case celast.IdentKind:
			if i, ok := cp.valueIndex[e.AsIdent()]; ok {
				values[i] = true
			}
		case celast.SelectKind:
			sel := e.AsSelect()
			op := sel.Operand()
			if op.Kind() == celast.SelectKind && op.AsSelect().FieldName() == "extra" {
				if t := native.GetType(op.AsSelect().Operand().ID()); t != nil && t.TypeName() == celHousehold {
					c.extraKey(ce, e.ID(), sel.FieldName())
					facts["extra."+sel.FieldName()] = true
					keyedExtra[op.ID()] = true
					return
				}
			}
			if keyedExtra[e.ID()] {
				return
			}
			if op.Kind() == celast.IdentKind && op.AsIdent() == "params" {
				if i, ok := c.engine.paramIndex[sel.FieldName()]; ok {
					params[i] = true
				}
				return
			}
			if t := native.GetType(op.ID()); t != nil {
				if prefix, ok := factPaths[t.TypeName()]; ok {
					facts[prefix+sel.FieldName()] = true
				}
			}
		case celast.CallKind:
			call := e.AsCall()
			for _, id := range native.GetOverloadIDs(e.ID()) {
				if d := overloadDecl(id); d != nil {
					for _, f := range d.reads {
						facts[f] = true
					}
				}
				args := call.Args()
				switch id {
				case "onestop_date_string":
					if s, ok := constString(args[0]); ok {
						if _, err := civil.Parse(s); err != nil {
							bad(args[0].ID(), "date(%q) は日付として読めません（YYYY-MM-DD の形で書いてください）", s)
						}
					}
				case "onestop_decimal_string":
					if s, ok := constString(args[0]); ok {
						if _, err := parseDecimal(s); err != nil {
							bad(args[0].ID(), "decimal(%q) は小数として読めません", s)
						}
					}
				case "onestop_round_yen", "onestop_decimal_round_yen":
					modeArg, unitArg := args[len(args)-1], args[len(args)-2]
					if s, ok := constString(modeArg); ok {
						if _, ok := parseRoundingMode(s); !ok {
							bad(modeArg.ID(), "丸め方 %q は使えません（half_up（四捨五入）, down（切り捨て）, up（切り上げ）, half_even, floor, ceil）", s)
						}
					}
					if unitArg.Kind() == celast.LiteralKind {
						if u, ok := unitArg.AsLiteral().(types.Int); ok {
							switch u {
							case 1, 10, 100, 1000, 10000:
							default:
								bad(unitArg.ID(), "丸めの単位 %d は使えません（1, 10, 100, 1000, 10000 円のいずれか）", int64(u))
							}
						}
					}
				case "onestop_household_count", "onestop_household_count_aged":
					checkEnum(catalog["Member"].Field("relation"), args[0])
				}
			}
			switch call.FunctionName() {
			case operators.Equals, operators.NotEquals:
				a, b := call.Args()[0], call.Args()[1]
				if f := enumOf(a); f != nil {
					checkEnum(f, b)
				} else if f := enumOf(b); f != nil {
					checkEnum(f, a)
				}
			case operators.In:
				a, b := call.Args()[0], call.Args()[1]
				if f := enumOf(a); f != nil && b.Kind() == celast.ListKind {
					for _, el := range b.AsList().Elements() {
						checkEnum(f, el)
					}
				}
			}
		}
	}))
	for i := range values {
		ce.values = append(ce.values, i)
	}
	for i := range params {
		ce.params = append(ce.params, i)
		c.usedParams[i] = true
	}
	slices.Sort(ce.values)
	slices.Sort(ce.params)
}

// extraKey warns about a local fact the packs do not declare (a typo, or
// a missing facts: entry).
func (c *compiler) extraKey(ce *compiledExpr, id int64, key string) {
	if _, ok := c.engine.factByKey[key]; ok {
		return
	}
	line, col := ce.nodePosition(id)
	msg := fmt.Sprintf("%s: 地域独自の項目 %q が facts: に定義されていません（定義すると、未回答のときに日本語の名前で尋ねられます）", ce.what, key)
	var keys []string
	for k := range c.engine.factByKey {
		keys = append(keys, k)
	}
	if s := closest(key, keys); s != "" {
		msg = fmt.Sprintf("%s: 地域独自の項目 %q が facts: に定義されていません（もしかして %q？）", ce.what, key, s)
	}
	c.ps.warnf(ce.src.File, line, col, "undeclared", "%s", msg)
}
