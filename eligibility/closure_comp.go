package eligibility

import (
	mbits "math/bits"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// Comprehensions: the macros' loops (exists, all, exists_one, map,
// filter), cel.bind, and the guard rewriteForMissing puts around a
// comprehension over a member list that may be unknown. A loop runs as
// cel-go's fold does: an unknown range is the result; the accumulator's
// initial value is computed when first read; each element runs the loop
// condition (anything but a known true stops) then the step; the result
// is computed last, without the iteration variable.

func (c *ccomp) comprehension(x celast.Expr) cnode {
	comp := x.AsComprehension()
	if comp.HasIterVar2() {
		c.fail("2変数の繰り返し")
	}
	if isBind(comp) {
		return c.bind(comp)
	}
	if isFilter(comp) {
		return c.filter(x, comp)
	}
	return c.fold(x, comp)
}

// isBind recognises cel.bind(v, init, body): an empty range, a false
// condition, the accumulator as the step.
func isBind(comp celast.ComprehensionExpr) bool {
	r, cond, step := comp.IterRange(), comp.LoopCondition(), comp.LoopStep()
	return r.Kind() == celast.ListKind && r.AsList().Size() == 0 &&
		cond.Kind() == celast.LiteralKind && cond.AsLiteral() == types.False &&
		isIdent(step, comp.AccuVar())
}

// isFilter recognises filter() as rewriteForMissing leaves it.
func isFilter(comp celast.ComprehensionExpr) bool {
	init, step, res := comp.AccuInit(), comp.LoopStep(), comp.Result()
	return init.Kind() == celast.ListKind && init.AsList().Size() == 0 &&
		step.Kind() == celast.CallKind && step.AsCall().FunctionName() == filterStepFunction &&
		res.Kind() == celast.CallKind && res.AsCall().FunctionName() == filterDoneFunction &&
		len(step.AsCall().Args()) == 3 && isIdent(step.AsCall().Args()[1], comp.AccuVar()) &&
		isIdent(step.AsCall().Args()[2], comp.IterVar()) &&
		len(res.AsCall().Args()) == 1 && isIdent(res.AsCall().Args()[0], comp.AccuVar())
}

func (c *ccomp) bind(comp celast.ComprehensionExpr) cnode {
	init := c.expr(comp.AccuInit())
	slot := c.newLocal()
	c.push(cscope{name: comp.AccuVar(), slot: slot, t: init.t, init: opsOf(init.t.k).store(init.f)})
	body := c.expr(comp.Result())
	c.pop(1)
	reset := func(e *cenv) { e.loc[slot].set = false }
	return cnode{t: body.t, f: opsOf(body.t.k).before(reset, body.f)}
}

// elemKind is the kind of a list kind's elements.
func (c *ccomp) elemKind(k ckind) ckind {
	switch k {
	case kMembers:
		return kMember
	case kIntList:
		return kInt
	case kStrList:
		return kString
	case kDecList:
		return kDec
	}
	c.fail("%v を繰り返す", k)
	return 0
}

// each returns a function that runs body for each element of a list
// (setting the iteration variable's slot) until body returns false.
func each(k ckind, rng any, slot int) func(*cenv, func(*cenv) bool) unk {
	switch k {
	case kMembers:
		f := rng.(fn[uint64])
		return func(e *cenv, body func(*cenv) bool) unk {
			s, u := f(e)
			if u != 0 {
				return u
			}
			for ; s != 0; s &= s - 1 {
				l := &e.loc[slot]
				l.i, l.u = int64(trailing(s)), 0
				if !body(e) {
					break
				}
			}
			return 0
		}
	case kIntList:
		return eachOf(rng.(fn[[]int64]), slot, func(l *lval, v int64) { l.i = v })
	case kStrList:
		return eachOf(rng.(fn[[]string]), slot, func(l *lval, v string) { l.s = v })
	case kDecList:
		return eachOf(rng.(fn[[]dec]), slot, func(l *lval, v dec) { l.x = v })
	}
	return nil
}

func eachOf[T any](f fn[[]T], slot int, put func(*lval, T)) func(*cenv, func(*cenv) bool) unk {
	return func(e *cenv, body func(*cenv) bool) unk {
		vs, u := f(e)
		if u != 0 {
			return u
		}
		for _, v := range vs {
			l := &e.loc[slot]
			put(l, v)
			l.u = 0
			if !body(e) {
				break
			}
		}
		return 0
	}
}

// fold compiles a comprehension as cel-go's fold runs it.
func (c *ccomp) fold(x celast.Expr, comp celast.ComprehensionExpr) cnode {
	rng := c.expr(comp.IterRange())
	ek := c.elemKind(rng.t.k)
	accT := c.accuType(comp)
	init := c.exprAs(comp.AccuInit(), accT.k)
	iterSlot, accSlot := c.newLocal(), c.newLocal()
	c.push(cscope{name: comp.AccuVar(), slot: accSlot, t: accT, init: opsOf(accT.k).store(init.f)})
	c.push(cscope{name: comp.IterVar(), slot: iterSlot, t: ctype{k: ek}})
	cond := c.exprAs(comp.LoopCondition(), kBool).f.(fn[bool])
	step := opsOf(accT.k).store(c.exprAs(comp.LoopStep(), accT.k).f)
	c.pop(1)
	res := c.expr(comp.Result())
	c.pop(1)
	loop := each(rng.t.k, rng.f, iterSlot)
	// The body is made once (a closure made per evaluation would be
	// allocated on each: loop is called through a func value).
	body := func(e *cenv) bool {
		b, bu := cond(e)
		if bu != 0 || !b {
			return false
		}
		// The step reads the accumulator: it writes the next one into the
		// fold's own scratch slot (a local would escape through the call
		// and be allocated on every element).
		next := &e.next[accSlot]
		*next = lval{}
		step(e, next)
		l := &e.loc[accSlot]
		*l = *next
		l.set = true
		return true
	}
	pre := func(e *cenv) (unk, bool) {
		e.loc[accSlot].set = false
		u := loop(e, body)
		return u, u != 0
	}
	return cnode{t: res.t, f: opsOf(res.t.k).after(pre, res.f)}
}

// accuType is the type of a comprehension's accumulator: the step's.
func (c *ccomp) accuType(comp celast.ComprehensionExpr) ctype {
	if t, ok := c.typeOf(c.native.GetType(comp.LoopStep().ID())); ok && t.k != kDyn {
		return t
	}
	return c.typeAt(comp.AccuInit())
}

// filter compiles list.filter(x, p) as rewriteForMissing leaves it: the
// elements whose predicate holds; when some predicates are unknown, the
// unknown of all of them, with the members that may be in the list.
func (c *ccomp) filter(x celast.Expr, comp celast.ComprehensionExpr) cnode {
	rng := c.expr(comp.IterRange())
	ek := c.elemKind(rng.t.k)
	iterSlot := c.newLocal()
	c.push(cscope{name: comp.IterVar(), slot: iterSlot, t: ctype{k: ek}})
	condN := c.exprAs(comp.LoopCondition(), kBool)
	cond := condN.f.(fn[bool])
	// A filter's loop condition is the literal true: not called.
	always := condN.cst != nil && condN.cst.i != 0
	predX := comp.LoopStep().AsCall().Args()[0]
	// A predicate that starts with a test of the member's relation
	// (m.relation != 'self' && …): the members it leaves out are left out
	// before the loop, and the rest of the predicate runs on the others.
	if rng.t.k == kMembers && predX.Kind() == celast.CallKind && predX.AsCall().FunctionName() == operators.LogicalAnd {
		if terms := logicalTerms(operators.LogicalAnd, predX.AsCall().Args(), nil); len(terms) >= 2 {
			if rel := relationTestOf(terms[0], comp.IterVar()); rel != nil {
				pred := c.chainOf(operators.LogicalAnd, terms[1:])
				c.pop(1)
				return cnode{t: rng.t, f: filterMembers(rng.f.(fn[uint64]), rel, iterSlot, always, cond, pred)}
			}
		}
	}
	pred := c.exprAs(predX, kBool).f.(fn[bool])
	c.pop(1)
	switch rng.t.k {
	case kMembers:
		// A predicate that starts with an || of relation tests (or of &&
		// chains that start with one): a member none of them holds for
		// is not in the list (every term a decided false), and is left
		// out before the loop; the whole predicate runs on the others.
		first := predX
		if terms := logicalTerms(operators.LogicalAnd, []celast.Expr{predX}, nil); len(terms) > 0 {
			first = terms[0]
		}
		return cnode{t: rng.t, f: filterMembers(rng.f.(fn[uint64]), relationGuardOf(first, comp.IterVar()), iterSlot, always, cond, pred)}
	case kIntList:
		return cnode{t: rng.t, f: filterOf(rng.f.(fn[[]int64]), iterSlot, cond, pred, func(l *lval, v int64) { l.i = v })}
	case kStrList:
		return cnode{t: rng.t, f: filterOf(rng.f.(fn[[]string]), iterSlot, cond, pred, func(l *lval, v string) { l.s = v })}
	case kDecList:
		return cnode{t: rng.t, f: filterOf(rng.f.(fn[[]dec]), iterSlot, cond, pred, func(l *lval, v dec) { l.x = v })}
	}
	c.fail("filter の範囲 %v", rng.t.k)
	return cnode{}
}

// relationTest is a test of a member's relation against literals
// (m.relation == 'child', != 'self', in ['child', 'spouse']): mask has bit
// c for each relation code (relCode) it holds for; a relation without a
// code is tested as a string (str).
type relationTest struct {
	mask uint8
	str  func(string) bool
}

// relationGuardOf returns, for x an || chain each of whose terms is a
// relation test or an && chain that starts with one, the relation test
// that holds for every member one of them holds for (their union); nil
// otherwise.
func relationGuardOf(x celast.Expr, iter string) *relationTest {
	if x.Kind() != celast.CallKind || x.AsCall().FunctionName() != operators.LogicalOr || x.AsCall().IsMemberFunction() {
		return nil
	}
	var mask uint8
	var strs []func(string) bool
	for _, t := range logicalTerms(operators.LogicalOr, x.AsCall().Args(), nil) {
		r := relationTestOf(logicalTerms(operators.LogicalAnd, []celast.Expr{t}, nil)[0], iter)
		if r == nil {
			return nil
		}
		mask |= r.mask
		strs = append(strs, r.str)
	}
	return &relationTest{mask: mask, str: func(s string) bool {
		for _, f := range strs {
			if f(s) {
				return true
			}
		}
		return false
	}}
}

// relationTestOf returns the relation test x is, on the member variable
// iter, or nil.
func relationTestOf(x celast.Expr, iter string) *relationTest {
	if x.Kind() != celast.CallKind || x.AsCall().IsMemberFunction() || len(x.AsCall().Args()) != 2 {
		return nil
	}
	isRel := func(a celast.Expr) bool {
		return a.Kind() == celast.SelectKind && !a.AsSelect().IsTestOnly() && a.AsSelect().FieldName() == "relation" &&
			isIdent(a.AsSelect().Operand(), iter)
	}
	lit := func(a celast.Expr) (string, bool) {
		if a.Kind() != celast.LiteralKind {
			return "", false
		}
		s, ok := a.AsLiteral().Value().(string)
		return s, ok
	}
	args := x.AsCall().Args()
	switch op := x.AsCall().FunctionName(); op {
	case operators.Equals, operators.NotEquals:
		l, ok := lit(args[1])
		if !ok || !isRel(args[0]) {
			if l, ok = lit(args[0]); !ok || !isRel(args[1]) {
				return nil
			}
		}
		m, _ := relMask(l)
		if op == operators.Equals {
			return &relationTest{mask: m, str: func(s string) bool { return s == l }}
		}
		return &relationTest{mask: 0x7e &^ m, str: func(s string) bool { return s != l }}
	case operators.In:
		if !isRel(args[0]) || args[1].Kind() != celast.ListKind {
			return nil
		}
		var ls []string
		for _, el := range args[1].AsList().Elements() {
			l, ok := lit(el)
			if !ok {
				return nil
			}
			ls = append(ls, l)
		}
		m, _ := relMask(ls...)
		return &relationTest{mask: m, str: func(s string) bool { return containsString(ls, s) }}
	}
	return nil
}

// filterMembers is a filter over members: the members whose predicate
// holds; when some predicates are unknown, the unknown of all of them,
// with the members that may be in the list. With rel (the predicate's
// first term, see filter), only the members it holds for are looped over.
//
// Not inlined: the calls in the closure of an inlined copy are not
// inlined (trailing was a call per member).
//
//go:noinline
func filterMembers(f fn[uint64], rel *relationTest, iterSlot int, always bool, cond, pred fn[bool]) fn[uint64] {
	var mask uint8
	var str func(string) bool
	if rel != nil {
		mask, str = rel.mask, rel.str
	}
	return func(e *cenv) (uint64, unk) {
		s, u := f(e)
		if u != 0 {
			return 0, u
		}
		if str != nil {
			// The members of the relations the test holds for (hhInfo.byRel),
			// and those of a relation without a code it holds for.
			var keep uint64
			for m := mask; m != 0; m &= m - 1 {
				keep |= e.hh.byRel[mbits.TrailingZeros8(m)]
			}
			for z := s & e.hh.byRel[0]; z != 0; z &= z - 1 {
				if i := trailing(z); str(string(e.h.Members[i].Relation)) {
					keep |= 1 << uint(i)
				}
			}
			s &= keep
		}
		var in, maybe uint64
		var pu unk
		l := &e.loc[iterSlot]
		for ; s != 0; s &= s - 1 {
			l.i, l.u = int64(trailing(s)), 0
			if !always {
				if b, bu := cond(e); bu != 0 || !b {
					break
				}
			}
			b, bu := pred(e)
			switch {
			case bu != 0:
				maybe |= s & -s
				pu = e.merge(pu, bu)
			case b:
				in |= s & -s
			}
		}
		if pu != 0 {
			return 0, e.merge(pu, e.ua.members(in|maybe))
		}
		return in, 0
	}
}

func filterOf[T any](f fn[[]T], slot int, cond, pred fn[bool], put func(*lval, T)) fn[[]T] {
	return func(e *cenv) ([]T, unk) {
		vs, u := f(e)
		if u != 0 {
			return nil, u
		}
		out := []T{}
		var pu unk
		for _, v := range vs {
			l := &e.loc[slot]
			put(l, v)
			l.u = 0
			if b, bu := cond(e); bu != 0 || !b {
				break
			}
			b, bu := pred(e)
			switch {
			case bu != 0:
				pu = e.merge(pu, bu)
			case b:
				out = append(out, v)
			}
		}
		if pu != 0 {
			return nil, pu
		}
		return out, 0
	}
}

// foldGuard compiles @onestop_fold(C, probe): when C is unknown, the probe
// adds what its step reads for the members C's range may hold.
func (c *ccomp) foldGuard(x celast.Expr, args []celast.Expr) cnode {
	if args[0].Kind() != celast.ComprehensionKind || args[1].Kind() != celast.ComprehensionKind {
		c.fail("@onestop_fold の形")
	}
	orig := c.comprehension(args[0])
	probe := c.probe(args[0].AsComprehension(), args[1].AsComprehension())
	return cnode{t: orig.t, f: opsOf(orig.t.k).guard(orig.f, probe)}
}

// probe compiles the probe rewriteForMissing builds: for each candidate
// member of the range's unknown, the step (copied) with an unknown
// accumulator, merging the unknowns it gives.
func (c *ccomp) probe(orig, p celast.ComprehensionExpr) func(*cenv) unk {
	rng := p.IterRange()
	step := p.LoopStep()
	if rng.Kind() != celast.CallKind || rng.AsCall().FunctionName() != candidatesFunction || len(rng.AsCall().Args()) != 1 ||
		step.Kind() != celast.CallKind || step.AsCall().FunctionName() != probeStepFunction || len(step.AsCall().Args()) != 2 {
		c.fail("@onestop_fold の probe の形")
	}
	list := c.exprAs(rng.AsCall().Args()[0], kMembers).f.(fn[uint64])
	accT := c.accuType(orig)
	iterSlot, accSlot := c.newLocal(), c.newLocal()
	c.push(cscope{name: p.AccuVar(), slot: accSlot, t: accT})
	c.push(cscope{name: p.IterVar(), slot: iterSlot, t: ctype{k: kMember}})
	body := opsOf(accT.k).store(c.exprAs(step.AsCall().Args()[1], accT.k).f)
	c.pop(2)
	return func(e *cenv) unk {
		acc := emptyUnk
		_, ru := list(e)
		if ru == 0 {
			return acc
		}
		for s := e.ua.candidates(ru); s != 0; s &= s - 1 {
			l := &e.loc[iterSlot]
			l.i, l.u = int64(trailing(s)), 0
			a := &e.loc[accSlot]
			*a = lval{u: acc, set: true}
			// The probe's own scratch slot, as fold's step.
			out := &e.next[accSlot]
			*out = lval{}
			body(e, out)
			acc = e.merge(acc, out.u)
		}
		return acc
	}
}

// probeFilterStep is a filter's step copied into a probe: its accumulator
// is the probe's unknown, to which an unknown predicate adds.
func (c *ccomp) probeFilterStep(args []celast.Expr) cnode {
	pred := c.exprAs(args[0], kBool).f.(fn[bool])
	acc := c.expr(args[1])
	if acc.t.k != kMembers {
		c.fail("filter の途中の値")
	}
	af := acc.f.(fn[uint64])
	return cnode{t: acc.t, f: fn[uint64](func(e *cenv) (uint64, unk) {
		_, pu := pred(e)
		_, au := af(e)
		if au == 0 {
			// Only a probe's accumulator reaches here.
			e.fail()
			return 0, 0
		}
		return 0, e.merge(au, pu)
	})}
}
