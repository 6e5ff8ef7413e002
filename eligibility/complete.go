package eligibility

import (
	"errors"
	"reflect"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// Missing is complete in one round.
//
// An outcome's Missing lists every fact that is not known and that could
// still change the outcome (its status, or the amount of an eligible
// one): answering all of them, with any values, decides the outcome,
// except for the follow-ups of an answer — the amounts of an income year
// once the year is known to have had income, a disability's grade once its
// kind is known (paths below an answered path). It lists no fact that the
// known facts already make irrelevant: false && x never asks x, and an
// outcome that some condition already fails lists nothing.
//
// CEL's unknown values give the second half. cel-go keeps fewer unknowns
// than the first half needs wherever a computation is skipped because an
// input is unknown; each such place is changed here:
//
//   - A conditional c ? a : b with c unknown is unknown because of c and
//     of the unknown facts of both branches (cel-go: c alone). Inside the
//     map(x, p, f) macro, whose step is a conditional, this keeps the
//     facts of every element.
//   - A filter whose predicate is unknown for some members is unknown
//     because of all those predicates (cel-go kept only the last one), and
//     its unknown names the members that may be in the result (a trail
//     @members).
//   - A comprehension over such a list (paid.map(c, …), .exists, .all …)
//     adds the unknown facts its body reads for each member that may be in
//     the list (cel-go returned the list's unknown without looking).
//   - A library function that cannot run because an argument is unknown
//     (the relatives of dependents(), the role of income_measure()) adds
//     the unknown facts it would read for any value the argument may take.
//
// All of this is a rewrite of the checked expression (rewriteForMissing)
// into calls of internal functions whose names start with '@' (a rule
// cannot write them), planned by missingDecorator. When every fact is
// known, the rewritten expression evaluates exactly like the original,
// only the branch chosen of a conditional being evaluated.

// Internal functions of the rewrite.
const (
	condFunction       = "@onestop_cond"
	condOverload       = "onestop_cond"
	filterStepFunction = "@onestop_filter_step"
	filterStepOverload = "onestop_filter_step"
	filterDoneFunction = "@onestop_filter_done"
	filterDoneOverload = "onestop_filter_done"
	foldFunction       = "@onestop_fold"
	foldOverload       = "onestop_fold"
	candidatesFunction = "@onestop_candidates"
	candidatesOverload = "onestop_candidates"
	probeInitFunction  = "@onestop_probe_init"
	probeInitOverload  = "onestop_probe_init"
	probeStepFunction  = "@onestop_probe_step"
	probeStepOverload  = "onestop_probe_step"
)

// missingDecls declares the internal functions. Their bindings compute the
// same results eagerly; missingDecorator replaces the calls that must be
// lazy (the conditional, the fold guard) and those that read the household
// (candidates).
func missingDecls() []cel.EnvOption {
	// Arguments are dyn: the calls are made after type-checking, and the
	// bindings see internal values (a filter's partial accumulator, a
	// probe's unknown) that a typed signature would refuse at run time.
	dyn := cel.DynType
	fn := func(name, overload string, args int, binding cel.OverloadOpt) cel.EnvOption {
		params := make([]*cel.Type, args)
		for i := range params {
			params[i] = dyn
		}
		return cel.Function(name, cel.Overload(overload, params, dyn, cel.OverloadIsNonStrict(), binding))
	}
	return []cel.EnvOption{
		fn(condFunction, condOverload, 3, cel.FunctionBinding(func(args ...ref.Val) ref.Val { return condResult(args[0], args[1], args[2]) })),
		fn(filterStepFunction, filterStepOverload, 3, cel.FunctionBinding(func(args ...ref.Val) ref.Val { return filterStep(args[0], args[1], args[2]) })),
		fn(filterDoneFunction, filterDoneOverload, 1, cel.UnaryBinding(filterDone)),
		fn(foldFunction, foldOverload, 2, cel.BinaryBinding(foldResult)),
		fn(candidatesFunction, candidatesOverload, 1, cel.UnaryBinding(func(ref.Val) ref.Val { return types.NewRefValList(types.DefaultTypeAdapter, nil) })),
		fn(probeInitFunction, probeInitOverload, 0, cel.FunctionBinding(func(...ref.Val) ref.Val { return probeUnknown() })),
		fn(probeStepFunction, probeStepOverload, 2, cel.BinaryBinding(probeStep)),
	}
}

// rewriteForMissing rewrites a checked expression as described above,
// keeping node ids (and so types and source positions) of what it keeps.
func rewriteForMissing(a *cel.Ast) {
	native := a.NativeRep()
	r := &missingRewriter{native: native, fac: celast.NewExprFactory()}
	for id := range native.IDs() {
		r.next = max(r.next, id)
	}
	// Comprehensions first, innermost first, so that a probe copies an
	// inner comprehension already rewritten; conditionals last.
	celast.PostOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() == celast.ComprehensionKind {
			r.comprehension(e)
		}
	}))
	celast.PostOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.CallKind {
			return
		}
		call := e.AsCall()
		if call.FunctionName() != operators.Conditional || len(call.Args()) != 3 {
			return
		}
		args := call.Args()
		e.SetKindCase(r.fac.NewCall(e.ID(), condFunction, args[0], args[1], args[2]))
		native.SetReference(e.ID(), celast.NewFunctionReference(condOverload))
	}))
}

type missingRewriter struct {
	native *celast.AST
	fac    celast.ExprFactory
	next   int64
}

func (r *missingRewriter) newID(like int64) int64 {
	r.next++
	if t := r.native.GetType(like); t != nil {
		r.native.SetType(r.next, t)
	}
	return r.next
}

func (r *missingRewriter) dynIdent(name string) celast.Expr {
	id := r.newID(0)
	r.native.SetType(id, types.DynType)
	return r.fac.NewIdent(id, name)
}

func (r *missingRewriter) call(id int64, fn, overload string, t *types.Type, args ...celast.Expr) celast.Expr {
	r.native.SetReference(id, celast.NewFunctionReference(overload))
	if t != nil {
		r.native.SetType(id, t)
	}
	return r.fac.NewCall(id, fn, args...)
}

// copyExpr copies e with fresh ids, carrying types and references over.
func (r *missingRewriter) copyExpr(e celast.Expr) celast.Expr {
	c := r.fac.CopyExpr(e)
	c.RenumberIDs(func(old int64) int64 {
		id := r.newID(old)
		if ref, ok := r.native.ReferenceMap()[old]; ok {
			r.native.SetReference(id, ref)
		}
		return id
	})
	return c
}

func isIdent(e celast.Expr, name string) bool {
	return e.Kind() == celast.IdentKind && e.AsIdent() == name
}

// comprehension rewrites a filter's step and result, and guards a
// comprehension whose range is a list of members that may be unknown.
func (r *missingRewriter) comprehension(e celast.Expr) {
	comp := e.AsComprehension()
	if comp.HasIterVar2() {
		return
	}
	accu, iter := comp.AccuVar(), comp.IterVar()
	step := comp.LoopStep()
	// filter: p ? accu + [x] : accu, result accu.
	if step.Kind() == celast.CallKind && isIdent(comp.Result(), accu) {
		sc := step.AsCall()
		if sc.FunctionName() == operators.Conditional && len(sc.Args()) == 3 && isIdent(sc.Args()[2], accu) {
			add := sc.Args()[1]
			if add.Kind() == celast.CallKind && add.AsCall().FunctionName() == operators.Add && len(add.AsCall().Args()) == 2 {
				l, rr := add.AsCall().Args()[0], add.AsCall().Args()[1]
				if isIdent(l, accu) && rr.Kind() == celast.ListKind && rr.AsList().Size() == 1 && isIdent(rr.AsList().Elements()[0], iter) {
					stepID, resultID := step.ID(), comp.Result().ID()
					step.SetKindCase(r.call(stepID, filterStepFunction, filterStepOverload, nil, sc.Args()[0], sc.Args()[2], rr.AsList().Elements()[0]))
					res := comp.Result()
					res.SetKindCase(r.call(resultID, filterDoneFunction, filterDoneOverload, nil, r.fac.NewIdent(r.newID(resultID), accu)))
					r.native.SetType(res.ID(), r.native.GetType(e.ID()))
				}
			}
		}
	}
	if !r.mayBeUnknownMembers(comp.IterRange()) {
		return
	}
	// Guard: @onestop_fold(C, probe), the probe running the step over the
	// members that may be in the range, with an unknown accumulator.
	compID := e.ID()
	compType := r.native.GetType(compID)
	orig := r.fac.NewComprehension(r.newID(compID), comp.IterRange(), iter, accu, comp.AccuInit(), comp.LoopCondition(), comp.LoopStep(), comp.Result())
	rangeType := r.native.GetType(comp.IterRange().ID())
	dyn := types.DynType
	probe := r.fac.NewComprehension(r.newID(compID),
		r.call(r.newID(comp.IterRange().ID()), candidatesFunction, candidatesOverload, rangeType, r.copyExpr(comp.IterRange())),
		iter, accu,
		r.call(r.newID(0), probeInitFunction, probeInitOverload, dyn),
		r.fac.NewLiteral(r.newID(0), types.True),
		r.call(r.newID(0), probeStepFunction, probeStepOverload, dyn, r.dynIdent(accu), r.copyExpr(comp.LoopStep())),
		r.dynIdent(accu))
	r.native.SetType(probe.ID(), dyn)
	e.SetKindCase(r.call(compID, foldFunction, foldOverload, compType, orig, probe))
}

// mayBeUnknownMembers reports whether a comprehension range is a list of
// members that may be unknown: not household.members, not children().
func (r *missingRewriter) mayBeUnknownMembers(rng celast.Expr) bool {
	t := r.native.GetType(rng.ID())
	if t == nil || t.Kind() != types.ListKind || len(t.Parameters()) != 1 || t.Parameters()[0].TypeName() != celMember {
		return false
	}
	switch rng.Kind() {
	case celast.SelectKind:
		return rng.AsSelect().FieldName() != "members"
	case celast.CallKind:
		return rng.AsCall().FunctionName() != "children"
	case celast.ListKind:
		return false
	}
	return true
}

// missingDecorator plans the internal calls that cannot be plain
// functions: the lazy conditional, the lazy fold guard, and the
// candidates, which read the household; and the filter step, which is hot.
func missingDecorator(i interpreter.InterpretableV2) (interpreter.InterpretableV2, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok {
		return i, nil
	}
	args := call.Args()
	switch {
	case call.OverloadID() == condOverload && len(args) == 3:
		return &completeCond{id: call.ID(), cond: args[0], t: args[1], f: args[2]}, nil
	case call.OverloadID() == foldOverload && len(args) == 2:
		return &foldGuard{id: call.ID(), fold: args[0], probe: args[1]}, nil
	case call.OverloadID() == candidatesOverload && len(args) == 1:
		return &candidates{id: call.ID(), list: args[0]}, nil
	case call.OverloadID() == filterStepOverload && len(args) == 3:
		// Planned directly: as a variadic call cel-go would allocate the
		// argument slice on every element of every filter.
		return &filterStepCall{id: call.ID(), p: args[0], accu: args[1], x: args[2]}, nil
	}
	return i, nil
}

// filterStepCall is a filter's step (filterStep) without an argument slice.
type filterStepCall struct {
	id         int64
	p, accu, x interpreter.InterpretableV2
}

func (c *filterStepCall) ID() int64 { return c.id }

func (c *filterStepCall) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, c.Exec)
}

func (c *filterStepCall) Exec(fr *interpreter.ExecutionFrame) ref.Val {
	return types.LabelErrNode(c.id, filterStep(c.p.Exec(fr), c.accu.Exec(fr), c.x.Exec(fr)))
}

// completeCond is c ? t : f, evaluating only the branch chosen when c is
// known, and both when c is unknown, to collect their unknown facts.
type completeCond struct {
	id         int64
	cond, t, f interpreter.InterpretableV2
}

func (c *completeCond) ID() int64 { return c.id }

func (c *completeCond) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, c.Exec)
}

func (c *completeCond) Exec(fr *interpreter.ExecutionFrame) ref.Val {
	switch v := c.cond.Exec(fr); v {
	case types.True:
		return c.t.Exec(fr)
	case types.False:
		return c.f.Exec(fr)
	default:
		u, ok := v.(*types.Unknown)
		if !ok {
			return types.LabelErrNode(c.id, types.MaybeNoSuchOverloadErr(v))
		}
		return mergeUnknownsOf(u, c.t.Exec(fr), c.f.Exec(fr))
	}
}

// condResult is the eager conditional.
func condResult(c, t, f ref.Val) ref.Val {
	switch c {
	case types.True:
		return t
	case types.False:
		return f
	}
	u, ok := c.(*types.Unknown)
	if !ok {
		return types.MaybeNoSuchOverloadErr(c)
	}
	return mergeUnknownsOf(u, t, f)
}

// mergeUnknownsOf adds to u the unknowns among vals; known values and
// errors add nothing.
func mergeUnknownsOf(u *types.Unknown, vals ...ref.Val) *types.Unknown {
	for _, v := range vals {
		if vu, ok := v.(*types.Unknown); ok {
			u = types.MergeUnknowns(u, vu)
		}
	}
	return u
}

// partialList is a filter's accumulator: the elements whose predicate
// held, those whose predicate is unknown, and the predicates' unknowns.
// Only filterStep and filterDone see it.
type partialList struct {
	elems []ref.Val
	maybe []ref.Val
	unk   *types.Unknown
}

var errInternalValue = errors.New("eligibility: an internal value cannot be converted")

var partialListType = types.NewOpaqueType("onestop.partial_list")

func (p *partialList) ConvertToNative(reflect.Type) (any, error) { return nil, errInternalValue }
func (p *partialList) ConvertToType(ref.Type) ref.Val            { return types.NewErr("internal value") }
func (p *partialList) Equal(o ref.Val) ref.Val                   { return types.Bool(o == ref.Val(p)) }
func (p *partialList) Type() ref.Type                            { return partialListType }
func (p *partialList) Value() any                                { return p }

// filterStep is one step of a filter: p ? accu + [x] : accu.
func filterStep(p, accu, x ref.Val) ref.Val {
	switch a := accu.(type) {
	case *types.Err:
		return a
	case *types.Unknown: // a probe's accumulator
		return mergeUnknownsOf(a, p)
	case traits.Lister: // the initial []
		pl := &partialList{}
		it := a.Iterator()
		for it.HasNext() == types.True {
			pl.elems = append(pl.elems, it.Next())
		}
		accu = pl
	}
	pl, ok := accu.(*partialList)
	if !ok {
		return types.NewErr("filter: unexpected accumulator %T", accu)
	}
	switch v := p.(type) {
	case types.Bool:
		if v {
			pl.elems = append(pl.elems, x)
		}
	case *types.Unknown:
		pl.maybe = append(pl.maybe, x)
		pl.unk = types.MergeUnknowns(pl.unk, v)
	default:
		return types.MaybeNoSuchOverloadErr(p)
	}
	return pl
}

// filterDone turns a filter's accumulator into its result: the list, or,
// when some predicates are unknown, their unknown with the members that
// may be in the list.
func filterDone(accu ref.Val) ref.Val {
	pl, ok := accu.(*partialList)
	if !ok {
		return accu
	}
	if pl.unk == nil {
		return types.NewRefValList(types.DefaultTypeAdapter, pl.elems)
	}
	var set uint64
	for _, l := range [][]ref.Val{pl.elems, pl.maybe} {
		for _, v := range l {
			if m, ok := v.(*memberVal); ok {
				set |= 1 << uint(m.idx)
			}
		}
	}
	if set == 0 {
		return pl.unk
	}
	return types.MergeUnknowns(pl.unk, membersUnknown(set))
}

// membersTrail is the variable of the trail naming the members that may be
// in an unknown list; Missing ignores it.
const membersTrail = "@members"

func membersUnknown(set uint64) *types.Unknown {
	trail := types.NewAttributeTrail(membersTrail)
	types.QualifyAttribute[int64](trail, int64(set))
	return types.NewUnknown(1<<60|int64(set), trail)
}

// candidateSet returns the members (as a bit set) that an unknown list of
// members may hold.
func candidateSet(u *types.Unknown) uint64 {
	var set uint64
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			if t.Variable() != membersTrail {
				continue
			}
			if q := t.QualifierPath(); len(q) == 1 {
				if s, ok := q[0].(int64); ok {
					set |= uint64(s)
				}
			}
		}
	}
	return set
}

// candidateList returns the members of hv in set, as a CEL list.
func (hv *householdVal) candidateList(set uint64) traits.Lister {
	var out []ref.Val
	for i := range hv.h.Members {
		if set&(1<<uint(i)) != 0 {
			out = append(out, hv.members.Get(types.Int(i)))
		}
	}
	return types.NewRefValList(types.DefaultTypeAdapter, out).(traits.Lister)
}

// candidates evaluates to the members an unknown list may hold, and to
// the empty list when the list is known (the fold it feeds then has
// nothing to add).
type candidates struct {
	id   int64
	list interpreter.InterpretableV2
}

func (c *candidates) ID() int64 { return c.id }

func (c *candidates) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, c.Exec)
}

func (c *candidates) Exec(fr *interpreter.ExecutionFrame) ref.Val {
	u, ok := c.list.Exec(fr).(*types.Unknown)
	if !ok {
		return types.NewRefValList(types.DefaultTypeAdapter, nil)
	}
	set := candidateSet(u)
	h, found := fr.ResolveName("household")
	hv, isHV := h.(*householdVal)
	if set == 0 || !found || !isHV {
		return types.NewRefValList(types.DefaultTypeAdapter, nil)
	}
	return hv.candidateList(set)
}

// foldGuard is a comprehension over a range that may be unknown: when the
// comprehension is unknown, the probe adds the facts its step reads for
// the members the range may hold.
type foldGuard struct {
	id          int64
	fold, probe interpreter.InterpretableV2
}

func (g *foldGuard) ID() int64 { return g.id }

func (g *foldGuard) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, g.Exec)
}

func (g *foldGuard) Exec(fr *interpreter.ExecutionFrame) ref.Val {
	v := g.fold.Exec(fr)
	if u, ok := v.(*types.Unknown); ok {
		return mergeUnknownsOf(u, g.probe.Exec(fr))
	}
	return v
}

func foldResult(fold, probe ref.Val) ref.Val {
	if u, ok := fold.(*types.Unknown); ok {
		return mergeUnknownsOf(u, probe)
	}
	return fold
}

// probeTrail names the probe's own unknown accumulator; Missing ignores it.
const probeTrail = "@probe"

func probeUnknown() *types.Unknown {
	return types.NewUnknown(1<<59, types.NewAttributeTrail(probeTrail))
}

// probeStep keeps a probe's accumulator unknown, adding the unknowns of
// one step.
func probeStep(accu, step ref.Val) ref.Val {
	u, ok := accu.(*types.Unknown)
	if !ok {
		u = probeUnknown()
	}
	return mergeUnknownsOf(u, step)
}
