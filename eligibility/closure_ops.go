package eligibility

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/civil"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/decls"
	"cel.dev/cel-go/common/functions"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// Operators and standard functions on compiled values. Every one is strict
// as in cel-go: its arguments are evaluated in order, and if any is
// unknown the result is unknown because of all of them (errors aside,
// which hand the programme back to the interpreter).

// strict2 evaluates two arguments and applies f to known values.
func strict2[A, B, R any](a fn[A], b fn[B], f func(*cenv, A, B) (R, unk)) fn[R] {
	return func(e *cenv) (R, unk) {
		x, xu := a(e)
		y, yu := b(e)
		if xu != 0 || yu != 0 {
			var z R
			return z, e.merge(xu, yu)
		}
		return f(e, x, y)
	}
}

func strict3[A, B, C, R any](a fn[A], b fn[B], c fn[C], f func(*cenv, A, B, C) (R, unk)) fn[R] {
	return func(e *cenv) (R, unk) {
		x, xu := a(e)
		y, yu := b(e)
		z, zu := c(e)
		if xu != 0 || yu != 0 || zu != 0 {
			var r R
			return r, e.merge(e.merge(xu, yu), zu)
		}
		return f(e, x, y, z)
	}
}

func (c *ccomp) equality(ne bool, a, b cnode) cnode {
	if a.t.k == kDyn || b.t.k == kDyn || a.t.k != b.t.k {
		return boolNode(strict2(toDyn(a), toDyn(b), func(_ *cenv, x, y ref.Val) (bool, unk) {
			return (types.Equal(x, y) == types.True) != ne, 0
		}))
	}
	switch a.t.k {
	case kBool:
		return boolNode(eqOf(a, b, ne, func(x, y bool) bool { return x == y }))
	case kInt:
		if x, k, ok := withConstant[int64](a, b); ok {
			c := k.i
			return boolNode(func(e *cenv) (bool, unk) {
				v, u := x(e)
				if u != 0 {
					return false, u
				}
				return (v == c) != ne, 0
			})
		}
		return boolNode(eqOf(a, b, ne, func(x, y int64) bool { return x == y }))
	case kString:
		if x, k, ok := withConstant[string](a, b); ok {
			c := k.s
			if r := max(a.relOf, b.relOf); r > 0 {
				// m.relation == 'child': the relation's code (relCode)
				// read in place; a relation without one compares as a
				// string.
				slot := r - 1
				rel := Relation(c)
				if code := relCode(rel); code > 0 {
					return boolNode(func(e *cenv) (bool, unk) {
						l := &e.loc[slot]
						if l.u != 0 {
							return false, l.u
						}
						if rc := e.hh.rel[l.i]; rc > 0 {
							return (rc == code) != ne, 0
						}
						return ne, 0 // a relation without a code is none of those with one
					})
				}
				return boolNode(func(e *cenv) (bool, unk) {
					l := &e.loc[slot]
					if l.u != 0 {
						return false, l.u
					}
					return (e.h.Members[l.i].Relation == rel) != ne, 0
				})
			}
			return boolNode(func(e *cenv) (bool, unk) {
				v, u := x(e)
				if u != 0 {
					return false, u
				}
				return (v == c) != ne, 0
			})
		}
		return boolNode(eqOf(a, b, ne, func(x, y string) bool { return x == y }))
	case kDate:
		return boolNode(eqOf(a, b, ne, func(x, y civil.Date) bool { return x == y }))
	case kMember:
		return boolNode(eqOf(a, b, ne, func(x, y int) bool { return x == y }))
	case kMembers:
		return boolNode(eqOf(a, b, ne, func(x, y uint64) bool { return x == y }))
	case kIntList:
		return boolNode(eqOf(a, b, ne, slices.Equal[[]int64]))
	case kStrList:
		return boolNode(eqOf(a, b, ne, slices.Equal[[]string]))
	case kDec:
		return boolNode(strict2(a.f.(fn[dec]), b.f.(fn[dec]), func(e *cenv, x, y dec) (bool, unk) {
			r, ok := x.cmp(y)
			if !ok {
				e.fail()
			}
			return (r == 0) != ne, 0
		}))
	}
	c.fail("%v の比較（==）", a.t.k)
	return cnode{}
}

// withConstant returns the fn of the operand of a symmetric operator
// that is not a constant and the value of the one that is (ok false: no
// constant operand). A constant is neither unknown nor an error, so
// evaluating only the other operand gives the same result.
func withConstant[T any](a, b cnode) (fn[T], *lval, bool) {
	switch {
	case b.cst != nil && a.cst == nil:
		return a.f.(fn[T]), b.cst, true
	case a.cst != nil && b.cst == nil:
		return b.f.(fn[T]), a.cst, true
	}
	return nil, nil, false
}

func eqOf[T any](a, b cnode, ne bool, eq func(T, T) bool) fn[bool] {
	return strict2(a.f.(fn[T]), b.f.(fn[T]), func(_ *cenv, x, y T) (bool, unk) { return eq(x, y) != ne, 0 })
}

// holds turns a comparison's sign into the operator's result.
func holds(op string, c int) bool {
	switch op {
	case operators.Less:
		return c < 0
	case operators.LessEquals:
		return c <= 0
	case operators.Greater:
		return c > 0
	}
	return c >= 0
}

func (c *ccomp) compare(op string, a, b cnode) cnode {
	if a.t.k == kDyn || b.t.k == kDyn || a.t.k != b.t.k {
		return boolNode(strict2(toDyn(a), toDyn(b), func(e *cenv, x, y ref.Val) (bool, unk) {
			cmp, ok := x.(traits.Comparer)
			if !ok {
				e.fail()
				return false, 0
			}
			r, ok := cmp.Compare(y).(types.Int)
			if !ok {
				e.fail()
				return false, 0
			}
			return holds(op, int(r)), 0
		}))
	}
	switch a.t.k {
	case kInt:
		if b.cst != nil && a.cst == nil {
			return boolNode(intCompareConst(op, a.f.(fn[int64]), b.cst.i))
		}
		return boolNode(intCompare(op, a.f.(fn[int64]), b.f.(fn[int64])))
	case kString:
		return boolNode(cmpOf(a, b, op, strings.Compare))
	case kBool:
		return boolNode(cmpOf(a, b, op, func(x, y bool) int { return int(b2i(x) - b2i(y)) }))
	case kDate:
		// as_of on one side (as_of <= first_march31_after_age(…)): read
		// in place.
		if a.asOf && !b.asOf {
			return boolNode(dateCompareAsOf(op, b.f.(fn[civil.Date])))
		}
		if b.asOf && !a.asOf {
			flip := map[string]string{operators.Less: operators.Greater, operators.LessEquals: operators.GreaterEquals,
				operators.Greater: operators.Less, operators.GreaterEquals: operators.LessEquals}[op]
			return boolNode(dateCompareAsOf(flip, a.f.(fn[civil.Date])))
		}
		return boolNode(dateCompare(op, a.f.(fn[civil.Date]), b.f.(fn[civil.Date])))
	case kDec:
		return boolNode(strict2(a.f.(fn[dec]), b.f.(fn[dec]), func(e *cenv, x, y dec) (bool, unk) {
			r, ok := x.cmp(y)
			if !ok {
				e.fail()
			}
			return holds(op, r), 0
		}))
	}
	c.fail("%v の大小比較", a.t.k)
	return cnode{}
}

func cmpOf[T any](a, b cnode, op string, cmp func(T, T) int) fn[bool] {
	return strict2(a.f.(fn[T]), b.f.(fn[T]), func(_ *cenv, x, y T) (bool, unk) { return holds(op, cmp(x, y)), 0 })
}

// dateCompareAsOf is dateCompare with as_of on the left: the date screened
// on is read in place.
func dateCompareAsOf(op string, b fn[civil.Date]) fn[bool] {
	switch op {
	case operators.Less:
		return func(e *cenv) (bool, unk) {
			y, yu := b(e)
			return yu == 0 && e.asOf.Before(y), yu
		}
	case operators.LessEquals:
		return func(e *cenv) (bool, unk) {
			y, yu := b(e)
			return yu == 0 && !e.asOf.After(y), yu
		}
	case operators.Greater:
		return func(e *cenv) (bool, unk) {
			y, yu := b(e)
			return yu == 0 && e.asOf.After(y), yu
		}
	}
	return func(e *cenv) (bool, unk) {
		y, yu := b(e)
		return yu == 0 && !e.asOf.Before(y), yu
	}
}

// dateCompare is a comparison of dates (as_of <= first_march31_after_age(…)):
// one closure per operator, the dates compared in place (no comparator
// called through a func value, no operator looked up per call).
func dateCompare(op string, a, b fn[civil.Date]) fn[bool] {
	switch op {
	case operators.Less:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return x.Before(y), 0
		}
	case operators.LessEquals:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return !x.After(y), 0
		}
	case operators.Greater:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return x.After(y), 0
		}
	}
	return func(e *cenv) (bool, unk) {
		x, xu := a(e)
		y, yu := b(e)
		if xu != 0 || yu != 0 {
			return false, e.merge(xu, yu)
		}
		return !x.Before(y), 0
	}
}

func (c *ccomp) arith(x celast.Expr, op string, a, b cnode) cnode {
	if a.t.k == kDyn || b.t.k == kDyn || a.t.k != b.t.k {
		t := c.typeAt(x)
		n := cnode{t: ctype{k: kDyn}, f: strict2(toDyn(a), toDyn(b), func(e *cenv, x, y ref.Val) (ref.Val, unk) {
			r := dynArith(op, x, y)
			if types.IsError(r) || r == nil {
				e.fail()
			}
			return r, 0
		})}
		if t.k != kDyn {
			return fromDyn(n, t.k)
		}
		return n
	}
	switch a.t.k {
	case kInt:
		if f := intArith(op, a.f.(fn[int64]), b.f.(fn[int64])); f != nil {
			return intNode(f)
		}
		return intNode(strict2(a.f.(fn[int64]), b.f.(fn[int64]), intOp(op)))
	case kDec:
		var f func(dec, dec) (dec, bool)
		switch op {
		case operators.Add:
			f = dec.add
		case operators.Subtract:
			f = dec.sub
		case operators.Multiply:
			f = dec.mul
		default:
			c.fail("小数の %s", op)
		}
		return cnode{t: a.t, f: strict2(a.f.(fn[dec]), b.f.(fn[dec]), func(e *cenv, x, y dec) (dec, unk) {
			r, ok := f(x, y)
			if !ok {
				e.fail()
			}
			return r, 0
		})}
	case kString:
		if op == operators.Add {
			return strNode(strict2(a.f.(fn[string]), b.f.(fn[string]), func(_ *cenv, x, y string) (string, unk) { return x + y, 0 }))
		}
	case kIntList:
		if op == operators.Add {
			return cnode{t: a.t, f: strict2(a.f.(fn[[]int64]), b.f.(fn[[]int64]), concat[int64])}
		}
	case kStrList:
		if op == operators.Add {
			return cnode{t: a.t, f: strict2(a.f.(fn[[]string]), b.f.(fn[[]string]), concat[string])}
		}
	case kDecList:
		if op == operators.Add {
			return cnode{t: a.t, f: strict2(a.f.(fn[[]dec]), b.f.(fn[[]dec]), concat[dec])}
		}
	}
	c.fail("%v の %s", a.t.k, op)
	return cnode{}
}

func concat[T any](_ *cenv, x, y []T) ([]T, unk) {
	if len(y) == 0 {
		return x, 0
	}
	if len(x) == 0 {
		return y, 0
	}
	out := make([]T, 0, len(x)+len(y))
	return append(append(out, x...), y...), 0
}

// intOp is cel-go's checked int64 arithmetic: overflow, a division or
// modulus by zero are errors.
func intOp(op string) func(*cenv, int64, int64) (int64, unk) {
	return func(e *cenv, x, y int64) (int64, unk) {
		var r int64
		ok := true
		switch op {
		case operators.Add:
			r, ok = addInt64(x, y)
		case operators.Subtract:
			r, ok = subInt64(x, y)
		case operators.Multiply:
			r, ok = mulInt64(x, y)
		case operators.Divide:
			if y == 0 || (x == math.MinInt64 && y == -1) {
				ok = false
			} else {
				r = x / y
			}
		case operators.Modulo:
			if y == 0 || (x == math.MinInt64 && y == -1) {
				ok = false
			} else {
				r = x % y
			}
		}
		if !ok {
			e.fail()
		}
		return r, 0
	}
}

func dynArith(op string, x, y ref.Val) ref.Val {
	switch op {
	case operators.Add:
		if a, ok := x.(traits.Adder); ok {
			return a.Add(y)
		}
	case operators.Subtract:
		if a, ok := x.(traits.Subtractor); ok {
			return a.Subtract(y)
		}
	case operators.Multiply:
		if a, ok := x.(traits.Multiplier); ok {
			return a.Multiply(y)
		}
	case operators.Divide:
		if a, ok := x.(traits.Divider); ok {
			return a.Divide(y)
		}
	case operators.Modulo:
		if a, ok := x.(traits.Modder); ok {
			return a.Modulo(y)
		}
	}
	return nil
}

func (c *ccomp) negate(a cnode) cnode {
	switch a.t.k {
	case kInt:
		f := a.f.(fn[int64])
		return intNode(func(e *cenv) (int64, unk) {
			v, u := f(e)
			if u != 0 {
				return 0, u
			}
			if v == math.MinInt64 {
				e.fail()
			}
			return -v, 0
		})
	case kDec:
		f := a.f.(fn[dec])
		return cnode{t: a.t, f: fn[dec](func(e *cenv) (dec, unk) {
			v, u := f(e)
			if u != 0 {
				return dec{}, u
			}
			r, ok := v.neg()
			if !ok {
				e.fail()
			}
			return r, 0
		})}
	case kDyn:
		f := a.f.(fn[ref.Val])
		return cnode{t: a.t, f: fn[ref.Val](func(e *cenv) (ref.Val, unk) {
			v, u := f(e)
			if u != 0 {
				return nil, u
			}
			n, ok := v.(traits.Negater)
			if !ok || types.IsBool(v) {
				e.fail()
				return nil, 0
			}
			r := n.Negate()
			if types.IsError(r) {
				e.fail()
			}
			return r, 0
		})}
	}
	c.fail("%v の符号反転", a.t.k)
	return cnode{}
}

func (c *ccomp) in(a, b cnode) cnode {
	switch {
	case a.t.k == kInt && b.t.k == kIntList:
		return boolNode(strict2(a.f.(fn[int64]), b.f.(fn[[]int64]), func(_ *cenv, x int64, l []int64) (bool, unk) { return slices.Contains(l, x), 0 }))
	case a.t.k == kString && b.t.k == kStrList:
		if b.cst != nil && a.relOf > 0 {
			// m.relation in ['child', 'spouse']: the relation read in place.
			// The list as a set of relation codes (relMask); a relation
			// without a code is looked for among the list's strings.
			slot, l := a.relOf-1, b.cst.sl
			mask, _ := relMask(l...)
			return boolNode(func(e *cenv) (bool, unk) {
				lv := &e.loc[slot]
				if lv.u != 0 {
					return false, lv.u
				}
				if rc := e.hh.rel[lv.i]; rc > 0 {
					return mask&(1<<rc) != 0, 0
				}
				return containsString(l, string(e.h.Members[lv.i].Relation)), 0
			})
		}
		if b.cst != nil {
			// x in ['a', 'b', …]: the list is read once.
			x, l := a.f.(fn[string]), b.cst.sl
			return boolNode(func(e *cenv) (bool, unk) {
				v, u := x(e)
				if u != 0 {
					return false, u
				}
				return containsString(l, v), 0
			})
		}
		return boolNode(strict2(a.f.(fn[string]), b.f.(fn[[]string]), func(_ *cenv, x string, l []string) (bool, unk) { return slices.Contains(l, x), 0 }))
	case a.t.k == kMember && b.t.k == kMembers:
		return boolNode(strict2(a.f.(fn[int]), b.f.(fn[uint64]), func(_ *cenv, x int, l uint64) (bool, unk) { return l&(1<<uint(x)) != 0, 0 }))
	case a.t.k == kDec && b.t.k == kDecList:
		return boolNode(strict2(a.f.(fn[dec]), b.f.(fn[[]dec]), func(e *cenv, x dec, l []dec) (bool, unk) {
			for _, y := range l {
				r, ok := x.cmp(y)
				if !ok {
					e.fail()
				}
				if r == 0 {
					return true, 0
				}
			}
			return false, 0
		}))
	case a.t.k == kDyn && b.t.k == kStrList:
		return boolNode(strict2(a.f.(fn[ref.Val]), b.f.(fn[[]string]), func(_ *cenv, x ref.Val, l []string) (bool, unk) {
			s, ok := x.(types.String)
			return ok && slices.Contains(l, string(s)), 0
		}))
	case a.t.k == kDyn || b.t.k == kDyn:
		return boolNode(strict2(toDyn(a), toDyn(b), func(e *cenv, x, l ref.Val) (bool, unk) {
			ct, ok := l.(traits.Container)
			if !ok {
				e.fail()
				return false, 0
			}
			r, ok := ct.Contains(x).(types.Bool)
			if !ok {
				e.fail()
			}
			return bool(r), 0
		}))
	}
	c.fail("%v in %v", a.t.k, b.t.k)
	return cnode{}
}

// containsString is slices.Contains for a list of literals: a string of
// the same length is compared only when its first byte matches (most that
// differ, differ there: 'parent', 'spouse').
func containsString(l []string, v string) bool {
	for _, s := range l {
		if len(s) == len(v) && (len(s) == 0 || s[0] == v[0]) && s == v {
			return true
		}
	}
	return false
}

// builtin compiles a call of one overload from its compiled arguments.
type builtin func(c *ccomp, x celast.Expr, args []cnode) cnode

// typedBuiltin returns the typed form of an overload: a standard function
// or one of the rule library's (closure_lib.go).
func typedBuiltin(id string) builtin {
	if b, ok := standardBuiltins[id]; ok {
		return b
	}
	return libraryBuiltins()[id]
}

var standardBuiltins = map[string]builtin{
	overloads.SizeList: sizeOf, overloads.SizeListInst: sizeOf,
	overloads.SizeString: sizeOf, overloads.SizeStringInst: sizeOf,
	overloads.StartsWithString: stringPred(strings.HasPrefix),
	overloads.EndsWithString:   stringPred(strings.HasSuffix),
	overloads.ContainsString:   stringPred(strings.Contains),
	overloads.IntToString: func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return strNode(on(a[0].f.(fn[int64]), func(_ *cenv, i int64) (string, unk) { return strconv.FormatInt(i, 10), 0 }))
	},
	overloads.StringToString: func(c *ccomp, x celast.Expr, a []cnode) cnode { return a[0] },
	overloads.BoolToString: func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return strNode(on(a[0].f.(fn[bool]), func(_ *cenv, b bool) (string, unk) { return strconv.FormatBool(b), 0 }))
	},
	overloads.IntToInt: func(c *ccomp, x celast.Expr, a []cnode) cnode { return a[0] },
	overloads.BoolToBool: func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return a[0]
	},
}

func sizeOf(c *ccomp, x celast.Expr, a []cnode) cnode {
	switch a[0].t.k {
	case kMembers:
		f := a[0].f.(fn[uint64])
		if a[0].value > 0 {
			// size(children): of a named value, read from its slot once
			// filled.
			vi := a[0].value - 1
			return intNode(func(e *cenv) (int64, unk) {
				if l := &e.vals[vi]; l.st == e.gen {
					if l.u != 0 {
						return 0, l.u
					}
					return int64(popcount(uint64(l.i))), 0
				}
				s, u := f(e)
				if u != 0 {
					return 0, u
				}
				return int64(popcount(s)), 0
			})
		}
		return intNode(on(f, func(_ *cenv, s uint64) (int64, unk) { return int64(popcount(s)), 0 }))
	case kIntList:
		return intNode(on(a[0].f.(fn[[]int64]), func(_ *cenv, l []int64) (int64, unk) { return int64(len(l)), 0 }))
	case kStrList:
		return intNode(on(a[0].f.(fn[[]string]), func(_ *cenv, l []string) (int64, unk) { return int64(len(l)), 0 }))
	case kDecList:
		return intNode(on(a[0].f.(fn[[]dec]), func(_ *cenv, l []dec) (int64, unk) { return int64(len(l)), 0 }))
	case kString:
		return intNode(on(a[0].f.(fn[string]), func(_ *cenv, s string) (int64, unk) { return int64(utf8.RuneCountInString(s)), 0 }))
	}
	c.fail("size(%v)", a[0].t.k)
	return cnode{}
}

func stringPred(p func(string, string) bool) builtin {
	return func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return boolNode(strict2(argAs[string](c, a[0], kString), argAs[string](c, a[1], kString), func(_ *cenv, s, t string) (bool, unk) { return p(s, t), 0 }))
	}
}

// boxedCall calls cel-go's own binding of a function with boxed
// arguments: for the functions the closures have no typed form of (the
// extension libraries' …) and for calls whose overload is chosen at run
// time (a dyn argument). The call is strict or not as cel-go's is.
func (c *ccomp) boxedCall(x celast.Expr, env functionsOf, fnName string, ids []string, args []celast.Expr) cnode {
	t, ok := c.typeOf(c.native.GetType(x.ID()))
	if !ok {
		c.fail("関数 %s の結果の型", fnName)
	}
	decl := env[fnName]
	if decl == nil {
		c.fail("関数 %s", fnName)
	}
	bindings, err := decl.Bindings()
	if err != nil {
		c.fail("関数 %s: %v", fnName, err)
	}
	var ov *functions.Overload
	name := fnName
	if len(ids) == 1 {
		name = ids[0]
	}
	for _, b := range bindings {
		if b.Operator == name {
			ov = b
		}
	}
	if ov == nil {
		for _, b := range bindings {
			if b.Operator == fnName {
				ov = b
			}
		}
	}
	if ov == nil || ov.Async != nil || ov.LateBound {
		c.fail("関数 %s の実装", fnName)
	}
	argFns := make([]fn[ref.Val], len(args))
	for i, a := range args {
		argFns[i] = toDyn(c.expr(a))
	}
	impl := ov
	n := cnode{t: ctype{k: kDyn}, f: fn[ref.Val](func(e *cenv) (ref.Val, unk) {
		vals := make([]ref.Val, len(argFns))
		var us unk
		for i, f := range argFns {
			v, u := f(e)
			if u != 0 {
				if impl.NonStrict {
					v = e.ua.toUnknown(u)
				} else {
					us = e.merge(us, u)
				}
			}
			vals[i] = v
		}
		if us != 0 {
			return nil, us
		}
		if len(vals) > 0 && impl.OperandTrait != 0 && !vals[0].Type().HasTrait(impl.OperandTrait) && !(impl.NonStrict && types.IsUnknownOrError(vals[0])) {
			e.fail()
			return nil, 0
		}
		var r ref.Val
		switch {
		case len(vals) == 1 && impl.Unary != nil:
			r = impl.Unary(vals[0])
		case len(vals) == 2 && impl.Binary != nil:
			r = impl.Binary(vals[0], vals[1])
		case impl.Function != nil:
			r = impl.Function(vals...)
		default:
			e.fail()
			return nil, 0
		}
		switch v := r.(type) {
		case *types.Err:
			e.fail()
			return nil, 0
		case *types.Unknown:
			return nil, e.ua.fromUnknown(v)
		}
		return r, 0
	})}
	if t.k == kDyn {
		return n
	}
	return fromDyn(n, t.k)
}

// functionsOf is an environment's function declarations.
type functionsOf = map[string]*decls.FunctionDecl

// intCompare and intArith are the int operators written out, the hottest
// closures of a screening.
func intCompare(op string, a, b fn[int64]) fn[bool] {
	switch op {
	case operators.Less:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return x < y, 0
		}
	case operators.LessEquals:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return x <= y, 0
		}
	case operators.Greater:
		return func(e *cenv) (bool, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return false, e.merge(xu, yu)
			}
			return x > y, 0
		}
	}
	return func(e *cenv) (bool, unk) {
		x, xu := a(e)
		y, yu := b(e)
		if xu != 0 || yu != 0 {
			return false, e.merge(xu, yu)
		}
		return x >= y, 0
	}
}

// intCompareConst is intCompare with a constant right operand (x > 0 …).
func intCompareConst(op string, a fn[int64], c int64) fn[bool] {
	switch op {
	case operators.Less:
		return func(e *cenv) (bool, unk) {
			x, u := a(e)
			return u == 0 && x < c, u
		}
	case operators.LessEquals:
		return func(e *cenv) (bool, unk) {
			x, u := a(e)
			return u == 0 && x <= c, u
		}
	case operators.Greater:
		return func(e *cenv) (bool, unk) {
			x, u := a(e)
			return u == 0 && x > c, u
		}
	}
	return func(e *cenv) (bool, unk) {
		x, u := a(e)
		return u == 0 && x >= c, u
	}
}

func intArith(op string, a, b fn[int64]) fn[int64] {
	switch op {
	case operators.Add:
		return func(e *cenv) (int64, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return 0, e.merge(xu, yu)
			}
			s := x + y
			if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
				e.fail()
			}
			return s, 0
		}
	case operators.Subtract:
		return func(e *cenv) (int64, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return 0, e.merge(xu, yu)
			}
			s := x - y
			if (x >= 0) != (y >= 0) && (s >= 0) != (x >= 0) {
				e.fail()
			}
			return s, 0
		}
	case operators.Multiply:
		return func(e *cenv) (int64, unk) {
			x, xu := a(e)
			y, yu := b(e)
			if xu != 0 || yu != 0 {
				return 0, e.merge(xu, yu)
			}
			p, ok := mulInt64(x, y)
			if !ok {
				e.fail()
			}
			return p, 0
		}
	}
	return nil
}
