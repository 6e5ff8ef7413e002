package eligibility

import (
	"fmt"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// cprogram is a programme compiled to closures.
type cprogram struct {
	src    *program
	values []cvalue
	conds  []func(*cenv) (cres, unk) // nil where the programme has no expression
	// bconds are the conditions compiled as a bool (nil otherwise):
	// runCompiled calls them directly.
	bconds []fn[bool]
	amount func(*cenv) (int64, bool, unk)
	nloc   int // comprehension variables and call scratch slots
}

// cres is a condition's result: false, true, or a value that is neither
// (a dyn condition that gave another type: the interpreter records it
// without a result and without an error).
type cres uint8

const (
	cFalse cres = iota
	cTrue
	cOther
)

type cvalue struct {
	t    ctype
	fill func(*cenv, *lval)
	// f is the compiled expression (an fn of t's kind; nil when
	// interpreted): a read of the value fills it in place (readValue).
	f any
}

// fillValue evaluates named value i once.
func (cp *cprogram) fillValue(e *cenv, i int) {
	l := &e.vals[i]
	switch l.st {
	case e.gen:
		return
	case e.gen + 1: // a value that refers to itself: an error in the interpreter
		e.fail()
		return
	}
	l.st = e.gen + 1
	cp.values[i].fill(e, l)
	l.st = e.gen
}

// Interpreted names an expression that cel-go evaluates on the closure path,
// and why the compiler left it.
type interpretedExpr struct {
	ce  *compiledExpr
	why string
}

// notCompiled stops compiling an expression: the reason is reported and
// the expression is interpreted.
type notCompiled struct{ why string }

// ccomp compiles the expressions of one programme.
type ccomp struct {
	eng *Engine
	cp  *cprogram
	// once says, per named value, that its one reader evaluates its
	// closure in place of reading a slot (readOnce).
	once   []bool
	native *celast.AST
	scopes []cscope
	// functions are the declarations of the expression's environment.
	functions functionsOf
	envFns    map[*cel.Env]functionsOf
}

// cscope is a comprehension variable visible to the expression compiled.
type cscope struct {
	name string
	slot int
	t    ctype
	// init is the accumulator's initial value, evaluated on first use
	// (cel-go evaluates an accumulator's init lazily: cel.bind's value is
	// computed only if the body reads it).
	init func(*cenv, *lval)
}

func (c *ccomp) fail(format string, args ...any) {
	panic(notCompiled{fmt.Sprintf(format, args...)})
}

func (c *ccomp) newLocal() int {
	c.cp.nloc++
	return c.cp.nloc - 1
}

// compilePrograms compiles every programme of the engine; expressions the
// compiler does not cover are listed with the reason.
func compilePrograms(eng *Engine) ([]*cprogram, []interpretedExpr) {
	var out []*cprogram
	var interp []interpretedExpr
	for _, p := range eng.programs {
		cp := &cprogram{src: p}
		c := &ccomp{eng: eng, cp: cp, once: readOnce(p)}
		for _, ce := range p.values {
			t, fill, f, why := c.value(ce)
			if why != "" {
				interp = append(interp, interpretedExpr{ce, why})
			}
			cp.values = append(cp.values, cvalue{t: t, fill: fill, f: f})
		}
		for _, cond := range p.conds {
			f, b, why := c.condition(cond.expr)
			if why != "" {
				interp = append(interp, interpretedExpr{cond.expr, why})
			}
			cp.conds = append(cp.conds, f)
			cp.bconds = append(cp.bconds, b)
		}
		if p.amount != nil {
			f, why := c.amountOf(p.amount)
			if why != "" {
				interp = append(interp, interpretedExpr{p.amount, why})
			}
			cp.amount = f
		}
		out = append(out, cp)
	}
	return out, interp
}

// compile compiles one checked expression, or says why it cannot.
func (c *ccomp) compile(ce *compiledExpr) (n cnode, why string) {
	defer func() {
		if r := recover(); r != nil {
			nc, ok := r.(notCompiled)
			if !ok {
				panic(r)
			}
			n, why = cnode{}, nc.why
		}
	}()
	switch {
	case ce.interruptible:
		// The closures do not look at the context inside an expression.
		return cnode{}, "計算量の見積もりが既定の上限を超えるため（取り消しに応じられるように）"
	case c.eng.opts.runtimeCostLimit > 0 && ce.estimate.Max > c.eng.opts.runtimeCostLimit:
		// Nor do they count the cost as they go.
		return cnode{}, "計算量の見積もりが実行時の上限を超えうるため"
	}
	c.native = ce.ast.NativeRep()
	c.scopes = c.scopes[:0]
	if c.envFns == nil {
		c.envFns = map[*cel.Env]functionsOf{}
	}
	if c.functions = c.envFns[ce.env]; c.functions == nil {
		c.functions = ce.env.Functions()
		c.envFns[ce.env] = c.functions
	}
	return c.expr(c.native.Expr()), ""
}

func (c *ccomp) value(ce *compiledExpr) (ctype, func(*cenv, *lval), any, string) {
	t, tok := c.typeOf(ce.ast.OutputType())
	n, why := c.compile(ce)
	if why == "" && tok {
		return n.t, opsOf(n.t.k).store(n.f), n.f, ""
	}
	if why == "" {
		why = fmt.Sprintf("結果の型 %s", ce.ast.OutputType())
	}
	if !tok {
		// A value of a type the closures do not hold (a list of incomes
		// …): kept boxed, as a dyn.
		t = ctype{k: kDyn}
	}
	return t, interpretInto(ce, t), nil, why
}

func (c *ccomp) condition(ce *compiledExpr) (func(*cenv) (cres, unk), fn[bool], string) {
	if ce == nil {
		return nil, nil, ""
	}
	n, why := c.compile(ce)
	if why == "" {
		switch n.t.k {
		case kBool:
			f := n.f.(fn[bool])
			return func(e *cenv) (cres, unk) {
				b, u := f(e)
				if b {
					return cTrue, u
				}
				return cFalse, u
			}, f, ""
		case kDyn:
			f := n.f.(fn[ref.Val])
			return func(e *cenv) (cres, unk) {
				v, u := f(e)
				if u != 0 {
					return cFalse, u
				}
				switch b := v.(type) {
				case types.Bool:
					if b {
						return cTrue, 0
					}
					return cFalse, 0
				case *types.Err:
					e.fail()
				}
				return cOther, 0
			}, nil, ""
		}
		why = fmt.Sprintf("結果の型 %s", ce.ast.OutputType())
	}
	l := interpretInto(ce, ctype{k: kDyn})
	return func(e *cenv) (cres, unk) {
		var v lval
		l(e, &v)
		if v.u != 0 {
			return cFalse, v.u
		}
		if b, ok := v.dyn.(types.Bool); ok {
			if b {
				return cTrue, 0
			}
			return cFalse, 0
		}
		return cOther, 0
	}, nil, why
}

func (c *ccomp) amountOf(ce *compiledExpr) (func(*cenv) (int64, bool, unk), string) {
	n, why := c.compile(ce)
	if why == "" {
		switch n.t.k {
		case kInt:
			f := n.f.(fn[int64])
			return func(e *cenv) (int64, bool, unk) {
				v, u := f(e)
				return v, u == 0, u
			}, ""
		case kDyn:
			f := n.f.(fn[ref.Val])
			return func(e *cenv) (int64, bool, unk) {
				v, u := f(e)
				i, ok := v.(types.Int)
				if types.IsError(v) {
					e.fail()
				}
				return int64(i), ok && u == 0, u
			}, ""
		}
		why = fmt.Sprintf("結果の型 %s", ce.ast.OutputType())
	}
	l := interpretInto(ce, ctype{k: kDyn})
	return func(e *cenv) (int64, bool, unk) {
		var v lval
		l(e, &v)
		i, ok := v.dyn.(types.Int)
		return int64(i), ok && v.u == 0, v.u
	}, why
}

// typeOf maps a checked CEL type to a compiled type.
func (c *ccomp) typeOf(t *types.Type) (ctype, bool) {
	if t == nil {
		return ctype{}, false
	}
	switch t.Kind() {
	case types.BoolKind:
		return ctype{k: kBool}, true
	case types.IntKind:
		return ctype{k: kInt}, true
	case types.StringKind:
		return ctype{k: kString}, true
	case types.DynKind:
		return ctype{k: kDyn}, true
	case types.ListKind:
		if len(t.Parameters()) != 1 {
			return ctype{}, false
		}
		el := t.Parameters()[0]
		switch {
		case el.Kind() == types.IntKind:
			return ctype{k: kIntList}, true
		case el.Kind() == types.StringKind:
			return ctype{k: kStrList}, true
		case el.TypeName() == celMember:
			return ctype{k: kMembers}, true
		case el.TypeName() == celDecimal:
			return ctype{k: kDecList}, true
		}
		return ctype{}, false
	case types.MapKind:
		// household.extra is typed by its select (householdField); any
		// other map (program('x').values) is held boxed.
		return ctype{k: kDyn}, true
	case types.StructKind:
		switch t.TypeName() {
		case programResultType.TypeName():
			// program('id'): the interpreter's record, held boxed.
			return ctype{k: kDyn}, true
		case celDate:
			return ctype{k: kDate}, true
		case celDecimal:
			return ctype{k: kDec}, true
		case celMember:
			return ctype{k: kMember}, true
		case celHousehold:
			return ctype{k: kHousehold}, true
		case celIncome:
			return ctype{k: kIncome}, true
		case celDisability:
			return ctype{k: kDisability}, true
		case celDeductions:
			return ctype{k: kDeductions}, true
		case celParams:
			return ctype{k: kParams}, true
		}
		for i := range recordDecls {
			if recordDecls[i].t.TypeName() == t.TypeName() {
				return ctype{k: kRecord, rec: &recordDecls[i]}, true
			}
		}
	}
	return ctype{}, false
}

func (c *ccomp) typeAt(x celast.Expr) ctype {
	t, ok := c.typeOf(c.native.GetType(x.ID()))
	if !ok {
		c.fail("型 %s", c.native.GetType(x.ID()))
	}
	return t
}

// expr compiles an expression node.
func (c *ccomp) expr(x celast.Expr) cnode {
	switch x.Kind() {
	case celast.LiteralKind:
		return c.literal(x)
	case celast.IdentKind:
		return c.ident(x.AsIdent())
	case celast.SelectKind:
		if _, ok := c.native.ReferenceMap()[x.ID()]; ok {
			c.fail("名前空間つきの名前")
		}
		return c.attribute(x)
	case celast.CallKind:
		return c.call(x)
	case celast.ListKind:
		return c.list(x)
	case celast.ComprehensionKind:
		return c.comprehension(x)
	}
	c.fail("式の種類 %v", x.Kind())
	return cnode{}
}

func (c *ccomp) literal(x celast.Expr) cnode {
	switch v := x.AsLiteral().(type) {
	case types.Bool:
		return constNode(kBool, lval{i: b2i(bool(v))})
	case types.Int:
		return constNode(kInt, lval{i: int64(v)})
	case types.String:
		return constNode(kString, lval{s: string(v)})
	}
	c.fail("定数 %v", x.AsLiteral().Type())
	return cnode{}
}

func constNode(k ckind, l lval) cnode {
	return cnode{t: ctype{k: k}, f: opsOf(k).constant(l), cst: &l}
}

func (c *ccomp) ident(name string) cnode {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		s := c.scopes[i]
		if s.name != name {
			continue
		}
		if s.init != nil {
			return c.lazyLocal(s)
		}
		return cnode{t: s.t, f: opsOf(s.t.k).readLocal(s.slot), local: s.slot + 1}
	}
	switch name {
	case "household":
		return constNode(kHousehold, lval{})
	case "as_of":
		return cnode{t: ctype{k: kDate}, f: fn[civil.Date](func(e *cenv) (civil.Date, unk) { return e.asOf, 0 }), asOf: true}
	case "params":
		return cnode{t: ctype{k: kParams}}
	}
	if i, ok := c.cp.src.valueIndex[name]; ok && i < len(c.cp.values) {
		v := c.cp.values[i]
		if v.f != nil && c.once[i] {
			// Its one reader: the value's closure itself, no slot.
			return cnode{t: v.t, f: v.f}
		}
		n := cnode{t: v.t, f: opsOf(v.t.k).readValue(c.cp, i)}
		if v.f != nil {
			n.value = i + 1
		}
		return n
	}
	c.fail("名前 %s", name)
	return cnode{}
}

// readOnce says, per named value of p, that exactly one place of the
// programme's values, conditions and amount reads it, outside the loop
// (condition and step) of every comprehension, and that no other
// programme reads it (exports): that place is evaluated at most once per
// screening, so it evaluates the value's closure where the interpreter
// evaluates the value, with the same value and unknown, and the slot and
// its bookkeeping are skipped (ident). A value read by an interpreted
// expression is counted there too, so it stays in its slot. A compiled
// value reads only values before it (ident), so a chain of such values
// cannot come back to one of them without passing through a slot, where
// its state (lval.st) stops the cycle (fillValue).
func readOnce(p *program) []bool {
	reads := make([]int, len(p.values))
	var walk func(x celast.Expr, loop bool)
	walks := func(xs []celast.Expr, loop bool) {
		for _, x := range xs {
			walk(x, loop)
		}
	}
	walk = func(x celast.Expr, loop bool) {
		switch x.Kind() {
		case celast.IdentKind:
			if i, ok := p.valueIndex[x.AsIdent()]; ok && i < len(reads) {
				reads[i]++
				if loop {
					reads[i]++
				}
			}
		case celast.SelectKind:
			walk(x.AsSelect().Operand(), loop)
		case celast.CallKind:
			call := x.AsCall()
			if call.IsMemberFunction() {
				walk(call.Target(), loop)
			}
			walks(call.Args(), loop)
		case celast.ListKind:
			walks(x.AsList().Elements(), loop)
		case celast.MapKind:
			for _, en := range x.AsMap().Entries() {
				walk(en.AsMapEntry().Key(), loop)
				walk(en.AsMapEntry().Value(), loop)
			}
		case celast.StructKind:
			for _, f := range x.AsStruct().Fields() {
				walk(f.AsStructField().Value(), loop)
			}
		case celast.ComprehensionKind:
			comp := x.AsComprehension()
			walk(comp.IterRange(), loop)
			walk(comp.AccuInit(), loop)
			walk(comp.LoopCondition(), true)
			walk(comp.LoopStep(), true)
			walk(comp.Result(), loop)
		}
	}
	read := func(ce *compiledExpr) {
		if ce != nil {
			walk(ce.ast.NativeRep().Expr(), false)
		}
	}
	for _, ce := range p.values {
		read(ce)
	}
	for _, cond := range p.conds {
		read(cond.expr)
	}
	read(p.amount)
	for _, i := range p.exports {
		reads[i] += 2
	}
	once := make([]bool, len(reads))
	for i, n := range reads {
		once[i] = n == 1
	}
	return once
}

// lazyLocal reads an accumulator whose initial value is computed on first
// use.
func (c *ccomp) lazyLocal(s cscope) cnode {
	read := opsOf(s.t.k).readLocal(s.slot)
	slot, init := s.slot, s.init
	guard := func(e *cenv) {
		l := &e.loc[slot]
		if !l.set {
			init(e, l)
			l.set = true
		}
	}
	return cnode{t: s.t, f: guarded(s.t.k, guard, read)}
}

func (c *ccomp) push(s cscope) { c.scopes = append(c.scopes, s) }
func (c *ccomp) pop(n int)     { c.scopes = c.scopes[:len(c.scopes)-n] }

// exprAs compiles x, which must be of kind k.
func (c *ccomp) exprAs(x celast.Expr, k ckind) cnode {
	n := c.expr(x)
	if n.t.k == k {
		return n
	}
	if n.t.k == kDyn {
		return fromDyn(n, k)
	}
	c.fail("型 %v（%v を期待）", n.t.k, k)
	return cnode{}
}

// args compiles a call's arguments, the target first.
func (c *ccomp) args(x celast.Expr) []celast.Expr {
	call := x.AsCall()
	if call.IsMemberFunction() {
		return append([]celast.Expr{call.Target()}, call.Args()...)
	}
	return call.Args()
}

func (c *ccomp) call(x celast.Expr) cnode {
	call := x.AsCall()
	args := c.args(x)
	switch call.FunctionName() {
	case operators.LogicalAnd, operators.LogicalOr:
		return c.logical(call.FunctionName(), args)
	case operators.LogicalNot:
		return notNode(c.exprAs(args[0], kBool))
	case operators.NotStrictlyFalse:
		a := c.exprAs(args[0], kBool).f.(fn[bool])
		return cnode{t: ctype{k: kBool}, f: fn[bool](func(e *cenv) (bool, unk) {
			b, u := a(e)
			return b || u != 0, 0
		})}
	case condFunction:
		cond := c.exprAs(args[0], kBool).f.(fn[bool])
		t := c.typeAt(x)
		tn, fn := c.exprAs(args[1], t.k), c.exprAs(args[2], t.k)
		n := cnode{t: t, f: opsOf(t.k).cond(cond, tn.f, fn.f)}
		if t.k == kString && tn.cst != nil && fn.cst != nil {
			n.choice = &strChoice{cond: cond, t: tn.cst.s, f: fn.cst.s}
		}
		return n
	case foldFunction:
		return c.foldGuard(x, args)
	case filterStepFunction:
		return c.probeFilterStep(args)
	case operators.Index, operators.OptIndex, operators.OptSelect:
		return c.attribute(x)
	case operators.Equals, operators.NotEquals:
		return c.equality(call.FunctionName() == operators.NotEquals, c.expr(args[0]), c.expr(args[1]))
	case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
		return c.compare(call.FunctionName(), c.expr(args[0]), c.expr(args[1]))
	case operators.Add, operators.Subtract, operators.Multiply, operators.Divide, operators.Modulo:
		return c.arith(x, call.FunctionName(), c.expr(args[0]), c.expr(args[1]))
	case operators.Negate:
		return c.negate(c.expr(args[0]))
	case operators.In:
		return c.in(c.expr(args[0]), c.expr(args[1]))
	}
	ids := c.native.GetOverloadIDs(x.ID())
	if len(ids) == 1 {
		if b := typedBuiltin(ids[0]); b != nil {
			nodes := make([]cnode, len(args))
			for i, a := range args {
				nodes[i] = c.expr(a)
			}
			return b(c, x, nodes)
		}
	}
	return c.boxedCall(x, c.functions, call.FunctionName(), ids, args)
}

func (c *ccomp) logical(op string, args []celast.Expr) cnode {
	// cel-go evaluates the terms in order, stops at the first that decides
	// (false for &&, true for ||), and otherwise is unknown if a term is,
	// merging their unknowns. A chain (a && b && c, which the parser
	// nests, balanced) is the same over all its terms in order: one
	// closure runs them (no nested calls).
	return cnode{t: ctype{k: kBool}, f: c.chainOf(op, logicalTerms(op, args, nil))}
}

// chainOf compiles the terms of a chain of op (&& or ||) in order: one
// term is itself, two a closure over both, more one closure over all.
func (c *ccomp) chainOf(op string, terms []celast.Expr) fn[bool] {
	decide := op == operators.LogicalOr
	if len(terms) == 1 {
		return c.exprAs(terms[0], kBool).f.(fn[bool])
	}
	if len(terms) > 2 {
		fs := make([]fn[bool], len(terms))
		for i, t := range terms {
			fs[i] = c.exprAs(t, kBool).f.(fn[bool])
		}
		return fn[bool](func(e *cenv) (bool, unk) {
			var u unk
			for _, f := range fs {
				x, xu := f(e)
				if xu == 0 {
					if x == decide {
						return decide, 0
					}
					continue
				}
				u = e.merge(u, xu)
			}
			if u != 0 {
				return false, u
			}
			return !decide, 0
		})
	}
	a := c.exprAs(terms[0], kBool).f.(fn[bool])
	b := c.exprAs(terms[1], kBool).f.(fn[bool])
	return fn[bool](func(e *cenv) (bool, unk) {
		x, xu := a(e)
		if xu == 0 && x == decide {
			return decide, 0
		}
		y, yu := b(e)
		if yu == 0 && y == decide {
			return decide, 0
		}
		if xu != 0 || yu != 0 {
			return false, e.merge(xu, yu)
		}
		return !decide, 0
	})
}

// logicalTerms appends the terms of a chain of op (&& or ||) to out, in
// evaluation order: the arguments, and the arguments of an argument that
// is op again.
func logicalTerms(op string, args []celast.Expr, out []celast.Expr) []celast.Expr {
	for _, a := range args {
		if a.Kind() == celast.CallKind && a.AsCall().FunctionName() == op && !a.AsCall().IsMemberFunction() && len(a.AsCall().Args()) == 2 {
			out = logicalTerms(op, a.AsCall().Args(), out)
			continue
		}
		out = append(out, a)
	}
	return out
}

func notNode(n cnode) cnode {
	a := n.f.(fn[bool])
	return cnode{t: ctype{k: kBool}, f: fn[bool](func(e *cenv) (bool, unk) {
		b, u := a(e)
		if u != 0 {
			return false, u
		}
		return !b, 0
	})}
}

// list compiles a list literal: each element evaluated in order; an
// unknown element makes the list unknown (their unknowns merged).
func (c *ccomp) list(x celast.Expr) cnode {
	l := x.AsList()
	if len(l.OptionalIndices()) > 0 {
		c.fail("省略可能な要素")
	}
	t := c.typeAt(x)
	elems := l.Elements()
	if v, ok := constantList(t.k, elems); ok {
		// A list of literals is built once (cel-go folds it too).
		return constNode(t.k, v)
	}
	switch t.k {
	case kIntList:
		return cnode{t: t, f: listOf[int64](c.elems(elems, kInt))}
	case kStrList:
		return cnode{t: t, f: listOf[string](c.elems(elems, kString))}
	case kDecList:
		return cnode{t: t, f: listOf[dec](c.elems(elems, kDec))}
	case kMembers:
		if len(elems) == 0 {
			return cnode{t: t, f: fn[uint64](func(*cenv) (uint64, unk) { return 0, 0 })}
		}
	}
	c.fail("この並び（%v）", c.native.GetType(x.ID()))
	return cnode{}
}

// constantList builds a list literal of literals.
func constantList(k ckind, elems []celast.Expr) (lval, bool) {
	var l lval
	for _, x := range elems {
		if x.Kind() != celast.LiteralKind {
			return l, false
		}
		switch v := x.AsLiteral().(type) {
		case types.Int:
			if k != kIntList {
				return l, false
			}
			l.il = append(l.il, int64(v))
		case types.String:
			if k != kStrList {
				return l, false
			}
			l.sl = append(l.sl, string(v))
		default:
			return l, false
		}
	}
	switch k {
	case kIntList:
		if l.il == nil {
			l.il = []int64{}
		}
		return l, true
	case kStrList:
		if l.sl == nil {
			l.sl = []string{}
		}
		return l, true
	}
	return l, false
}

func (c *ccomp) elems(xs []celast.Expr, k ckind) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = c.exprAs(x, k).f
	}
	return out
}

func listOf[T any](elems []any) fn[[]T] {
	fs := make([]fn[T], len(elems))
	for i, f := range elems {
		fs[i] = f.(fn[T])
	}
	if len(fs) == 1 {
		// [x]: the step of map().
		f := fs[0]
		return func(e *cenv) ([]T, unk) {
			v, u := f(e)
			if u != 0 {
				return nil, u
			}
			return []T{v}, 0
		}
	}
	return func(e *cenv) ([]T, unk) {
		out := make([]T, len(fs))
		var us unk
		for i, f := range fs {
			v, u := f(e)
			out[i] = v
			us = e.merge(us, u)
		}
		if us != 0 {
			return nil, us
		}
		return out, 0
	}
}
