package eligibility

import (
	"context"
	"errors"
	"fmt"
	"maps"
	mbits "math/bits"
	"slices"
	"sync/atomic"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// ScreenOption configures one screening.
type ScreenOption func(screenOpts) screenOpts

// screenOpts are passed by value: a screening's options stay on its stack
// (a pointer passed to an option, a func value, would move them to the
// heap on every call).
type screenOpts struct {
	explain bool
	// interpret: screen with the interpreter only (tests: the reference
	// the closures are held to).
	interpret bool
	// sel is the programmes of the OnlyPrograms option (of several,
	// merged), nil for every programme: small options are cheap to pass.
	sel *selection
	// mem is a batch job's memory reused from one screening to the next
	// (Batch.Reuse); nil: everything is allocated for the caller to keep.
	mem *screenMem
}

// WithExplanations makes outcomes carry every condition with its result,
// the named values and parameters used (with their dated sources), the
// programme's sources and each condition's explain text. It costs more
// than a plain screening; use it where a person reads the result.
func WithExplanations() ScreenOption {
	return func(o screenOpts) screenOpts { o.explain = true; return o }
}

// OnlyPrograms screens only the programmes with these ids.
func OnlyPrograms(ids ...string) ScreenOption {
	// The set is built once: an option made once and passed to every
	// Screen of a batch costs nothing per household.
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	sel := &selection{programs: set, ids: slices.Clone(ids)}
	return func(o screenOpts) screenOpts {
		if o.sel == nil {
			o.sel = sel // read only
			return o
		}
		merged := maps.Clone(o.sel.programs)
		maps.Copy(merged, set)
		o.sel = &selection{programs: merged, ids: append(slices.Clone(o.sel.ids), ids...)}
		return o
	}
}

// selection is the programmes an OnlyPrograms option screens, and its
// plan, made on its first screening with an engine and kept for the next
// ones with that engine (a batch passes one option to every Screen). It
// keeps that engine reachable while the option is.
type selection struct {
	programs map[string]bool
	ids      []string // the keys of programs, in the order given
	plan     atomic.Pointer[selectionPlan]
}

type selectionPlan struct {
	e *Engine
	p screenPlan
}

// ErrNoApplicant is returned by Screen for a household without a member
// whose relation is "self".
var ErrNoApplicant = errors.New("eligibility: the household has no applicant (a member with relation \"self\")")

// ErrUnknownProgram is wrapped by the error of Screen for an
// OnlyPrograms id the engine does not have.
var ErrUnknownProgram = errors.New("eligibility: no programme with this id in the packs")

// Screen screens a household on the date asOf (the 基準日: the day the
// outcome is for) against every programme of the engine, in pack order.
// A rule that fails at run time is reported on its programme's outcome;
// the other programmes are still screened. Screen returns an error only
// for an unusable call (no applicant, no date) or when ctx is done.
//
// Screen trusts h's values: households from DecodeHousehold are valid;
// call Validate on a household built in Go. It does check h's size, and
// returns ErrTooLarge beyond the facts model's bounds, and it refuses a
// member born after asOf with a *FactsError (ErrBornAfterAsOf): the facts
// describe the household on asOf.
func (e *Engine) Screen(ctx context.Context, h *Household, asOf civil.Date, opts ...ScreenOption) (*Screening, error) {
	var so screenOpts
	for _, o := range opts {
		so = o(so)
	}
	if h == nil || h.Self() == nil {
		return nil, ErrNoApplicant
	}
	if err := checkSizes(h); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, errors.New("eligibility: Screen needs a date (as of)")
	}
	// Without explanations the compiled closures screen (closure.go); the
	// interpreter explains, and screens what the closures hand back. The
	// household's shape is found in the closures' environment (or on the
	// stack), with the check that no member is born after asOf.
	closures := e.closures != nil && !so.explain && !so.interpret
	var env *cenv
	var hh hhInfo
	info := &hh
	if closures {
		env = e.newEnv(ctx, h, asOf)
		info = &env.hh
	}
	if newHHInfo(info, h, asOf) {
		if env != nil {
			e.release(env)
		}
		return nil, &FactsError{Errors: checkAsOf(h, asOf)}
	}
	plan, err := e.planOf(&so)
	if err != nil {
		if env != nil {
			e.release(env)
		}
		return nil, err
	}
	pl, asked := plan.pl, plan.asked
	top := &e.layers[len(e.layers)-1]
	var s *Screening
	var one *oneScreening
	if so.mem == nil && closures && asked <= 1 {
		one = new(oneScreening)
		one.s.Results = one.r[:0]
		s = &one.s
	} else {
		s = so.mem.screening(asked)
	}
	s.HouseholdID, s.AsOf, s.Pack = h.ID, asOf, PackRef{ID: top.ID, Version: top.Version}
	if len(e.layers) > 1 {
		s.Pack.Layers = append([]PackInfo(nil), e.layers...)
	}
	var ec *evalCtx
	if closures {
		env.out.hint = asked
		so.mem.lend(&env.out)
		if one != nil {
			env.out.mon = one.m[:]
		}
		// Released at every return below (not deferred: a defer costs
		// more than the rest of the bookkeeping of a small screening).
		if e.dependent && plan.records {
			env.results = env.resultsBuffer(e)
		}
	} else {
		ec = e.newEvalCtx(ctx, h, asOf, so.explain)
		if e.dependent {
			ec.results = &programResults{byID: e.byID, vals: make([]ref.Val, len(e.programs))}
		}
	}
	cancellable := ctx.Done() != nil
	// Each outcome is screened into its place in s.Results (pack order);
	// a programme screened only because one asked for refers to it
	// (program('id')) is screened into other, and only recorded.
	s.Results = s.Results[:asked]
	var other *Outcome
	where := plan.where
	for _, i := range plan.run {
		p := e.programs[i]
		var out *Outcome
		if pl[i]&planAsked != 0 {
			out = &s.Results[where[i]]
		} else {
			if other == nil {
				other = new(Outcome)
			}
			*other = Outcome{}
			out = other
		}
		var err error
		if cancellable {
			if cerr := ctx.Err(); cerr != nil {
				err = fmt.Errorf("eligibility: screening stopped: %w", cerr)
			}
		}
		if err == nil {
			if env != nil {
				err = e.screenCompiled(env, p, e.closures.progs[i], out)
			} else {
				err = e.screenProgram(ec, p, so.explain && pl[i]&planAsked != 0, out)
			}
		}
		if err == nil && pl[i]&planRecord != 0 {
			if env != nil {
				err = e.recordCompiled(env, i, p, out)
			} else if ec.recordResult(i, p, out); ec.cancel != nil {
				err = fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
			}
		}
		if err != nil {
			if env != nil {
				e.release(env)
			}
			return nil, err
		}
	}
	if env != nil {
		e.release(env)
	}
	return s, nil
}

// oneScreening is a screening of one programme on the closure path, in
// one allocation with an amount (outBlocks.money), the part an eligible
// outcome has: 416 bytes. The condition that failed and its false of an
// ineligible one come in a block of their own (outBlocks.condsFalse, 96
// bytes): with them here every screening would take 512 bytes, and
// what a screening allocates, not how many times, is what the collector
// costs it when the heap holds a population (BenchmarkChildRearingAllowance).
type oneScreening struct {
	s Screening
	r [1]Outcome
	m [1]Money
}

// condFalse1 is one condition result and a false.
type condFalse1 struct {
	c [1]ConditionResult
	f bool
}

// newScreening returns a screening with room for n outcomes, in one
// allocation for the common sizes.
func newScreening(n int) *Screening {
	switch {
	case n <= 1:
		b := new(struct {
			s Screening
			r [1]Outcome
		})
		b.s.Results = b.r[:0]
		return &b.s
	case n <= 4:
		b := new(struct {
			s Screening
			r [4]Outcome
		})
		b.s.Results = b.r[:0:n]
		return &b.s
	case n <= 16:
		b := new(struct {
			s Screening
			r [16]Outcome
		})
		b.s.Results = b.r[:0:n]
		return &b.s
	}
	return &Screening{Results: make([]Outcome, 0, n)}
}

// newEvalCtx is the interpreter's evaluation context of one screening.
func (e *Engine) newEvalCtx(ctx context.Context, h *Household, asOf civil.Date, explain bool) *evalCtx {
	ec := &evalCtx{
		ctx:    ctx,
		hh:     newHouseholdVal(h),
		asOf:   dateVal{asOf},
		set:    e.cache.get(e.params, e.paramIndex, asOf),
		values: make([]ref.Val, e.maxValues),
		state:  make([]uint8, e.maxValues),
		used:   make([]uint64, (len(e.params)+63)/64),
	}
	ec.params.ec = ec
	ec.params.typ = paramsType
	if explain {
		ec.hh.rec = ec
	}
	return ec
}

// outsideEffective is the outcome of a programme screened on a date
// outside its effective period (done true), for either path.
func (e *Engine) outsideEffective(p *program, asOf civil.Date, explain bool) (Outcome, bool) {
	if p.src.Effective.Contains(asOf) {
		return Outcome{}, false
	}
	out := Outcome{Program: p.src.ID, Name: p.src.Name, Category: p.src.Category, Kind: p.src.Kind, Status: Ineligible}
	if explain {
		out.Sources = slices.Clone(p.src.Sources)
	}
	out.Conditions = []ConditionResult{{Reason: effectiveReason(p.src.Effective), Result: new(false)}}
	return out, true
}

// screenProgram screens programme p with the interpreter into out.
func (e *Engine) screenProgram(ec *evalCtx, p *program, explain bool, out *Outcome) error {
	ec.condUnknown, ec.amountUnknown = nil, nil
	if o, done := e.outsideEffective(p, ec.asOf.d, explain); done {
		*out = o
		return nil
	}
	*out = Outcome{Program: p.src.ID, Name: p.src.Name, Category: p.src.Category, Kind: p.src.Kind}
	if explain {
		out.Sources = slices.Clone(p.src.Sources)
	}
	ec.reset(p)
	var unknown *types.Unknown
	failed := false
	for _, c := range p.conds {
		if c.expr == nil {
			continue
		}
		v := ec.eval(c.expr)
		if ec.cancel != nil {
			return fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
		}
		var cr ConditionResult
		record := explain
		switch t := v.(type) {
		case types.Bool:
			// A fresh bool per result: the outcome is the caller's to keep
			// and to change.
			cr.Result = new(bool(t))
			if !t {
				failed = true
				record = true
			}
		case *types.Unknown:
			unknown = types.MergeUnknowns(unknown, t)
			ec.condUnknown = unknown
			record = true
			if explain {
				cr.Missing = e.missingList(ec.hh.h, t)
			}
		default:
			// An error: reported on the outcome below; the condition
			// neither holds nor fails.
			record = true
		}
		if record {
			cr.Reason = c.reason
			if explain {
				cr.Values = ec.valueUses(c.expr.values)
				if c.explain != nil {
					if s, ok := ec.eval(c.explain).(types.String); ok {
						cr.Explanation = string(s)
					}
				}
			}
			out.Conditions = append(out.Conditions, cr)
		}
		if failed && !explain {
			break
		}
	}
	switch {
	case failed:
		out.Status = Ineligible
	case ec.err != nil || unknown != nil:
		out.Status = Undetermined
	default:
		out.Status = Eligible
	}
	if out.Status != Ineligible && p.amount != nil {
		switch v := ec.eval(p.amount).(type) {
		case types.Int:
			out.Amount = &Money{Yen: int64(v), Per: p.src.Amount.Per}
		case *types.Unknown:
			unknown = types.MergeUnknowns(unknown, v)
			ec.amountUnknown = v
		}
		if ec.cancel != nil {
			return fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
		}
	}
	if ec.err != nil && !failed {
		out.Error = ec.err
		out.Status = Undetermined
	}
	if unknown != nil && out.Status != Ineligible {
		out.Missing = e.missingList(ec.hh.h, unknown)
	}
	e.warnUsed(ec.used, ec.set, out)
	if explain {
		for i, ce := range p.values {
			if ec.state[i] == 2 && ce != nil {
				out.Values = append(out.Values, ValueUse{Name: p.src.Values[i].Name, Description: p.src.Values[i].Description, Value: jsonValue(ec.values[i])})
			}
		}
		for i, pd := range e.params {
			if ec.used[i/64]&(1<<(i%64)) != 0 {
				out.Parameters = append(out.Parameters, ec.set.use(pd, i))
			}
		}
		out.Breakdowns = ec.breakdowns
	}
	return nil
}

// A screening's plan: per programme, planScreen says it is evaluated
// (asked for, or referred to by one that is), planRecord that its result
// is kept as the value of program('id') for one that is, planAsked that
// its outcome is reported.
const (
	planScreen uint8 = 1 << iota
	planRecord
	planAsked
)

// screenPlan is the plan of a screening: per programme its plan flags
// (pl), the number of outcomes reported, the place in the results of each
// programme asked for (where), and the programmes to screen in screening
// order (run). Read only once made.
type screenPlan struct {
	pl    []uint8
	asked int
	where []int
	run   []int
	// records: a programme screened is recorded for another (planRecord);
	// without, a screening needs no buffer of results.
	records bool
}

// makePlan plans a screening of the programmes asked for (every one when
// asked is nil).
func (e *Engine) makePlan(ids []string, all bool) (*screenPlan, error) {
	p := &screenPlan{pl: make([]uint8, len(e.programs))}
	if all {
		for i := range e.programs {
			e.mark(p.pl, i)
		}
		p.asked = len(e.programs)
	}
	for _, id := range ids {
		i, ok := e.byID[id]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownProgram, id)
		}
		if p.pl[i]&planAsked == 0 {
			p.asked++
			e.mark(p.pl, i)
		}
	}
	p.where = make([]int, len(p.pl))
	n := 0
	for i := range p.pl {
		p.where[i] = n
		if p.pl[i]&planAsked != 0 {
			n++
		}
	}
	for _, i := range e.order {
		if p.pl[i]&planScreen != 0 {
			p.run = append(p.run, i)
			p.records = p.records || p.pl[i]&planRecord != 0
		}
	}
	return p, nil
}

// mark plans programme i as asked for, and those it refers to.
func (e *Engine) mark(pl []uint8, i int) {
	pl[i] |= planAsked
	e.markUsed(pl, i)
}

func (e *Engine) markUsed(pl []uint8, i int) {
	if pl[i]&planScreen != 0 {
		return
	}
	pl[i] |= planScreen
	for _, j := range e.programs[i].uses {
		pl[j] |= planRecord
		e.markUsed(pl, j)
	}
}

// planOf is the plan of a screening with options so: the engine's plan of
// every programme, an OnlyPrograms option's kept plan, or a new one.
func (e *Engine) planOf(so *screenOpts) (*screenPlan, error) {
	if so.sel == nil {
		if e.planAll == nil { // an engine not made by Compile (tests)
			return e.makePlan(nil, true)
		}
		return e.planAll, nil
	}
	if sp := so.sel.plan.Load(); sp != nil && sp.e == e {
		return &sp.p, nil
	}
	p, err := e.makePlan(so.sel.ids, false)
	if err != nil {
		return nil, err
	}
	so.sel.plan.Store(&selectionPlan{e: e, p: *p})
	return p, nil
}

// recordResult keeps the outcome of programme i, which others refer to,
// as the value of program('id'), with the values they read from it.
func (ec *evalCtx) recordResult(i int, p *program, out *Outcome) {
	if ec.prog != p {
		ec.reset(p) // outside its period: not evaluated
	}
	var vals map[ref.Val]ref.Val
	if len(p.exports) > 0 {
		vals = make(map[ref.Val]ref.Val, len(p.exports))
		for _, vi := range p.exports {
			vals[types.String(p.src.Values[vi].Name)] = ec.value(vi)
		}
	}
	ec.results.vals[i] = programResult(p, out, ec.condUnknown, ec.amountUnknown, vals)
}

// warnUsed attaches the warnings of the parameters the evaluation read
// (used, a bit set over the engine's parameters) as resolved in set.
func (e *Engine) warnUsed(used []uint64, set *paramSet, out *Outcome) {
	if set.warn == nil {
		return // no parameter has a warning on the date
	}
	for w, bits := range used {
		bits &= set.warn[w]
		for bits != 0 {
			b := mbits.TrailingZeros64(bits)
			bits &^= 1 << b
			i := w*64 + b
			r := &set.res[i]
			if r.carried {
				out.Warnings = append(out.Warnings, Warning{Code: WarningCarriedForward, Message: r.carriedMsg, Parameter: e.params[i].name})
			}
			if r.review {
				out.Warnings = append(out.Warnings, Warning{Code: WarningPastReview, Parameter: e.params[i].name, Message: r.reviewMsg})
			}
		}
	}
}

func effectiveReason(p Period) string {
	if p.Until.IsZero() {
		return fmt.Sprintf("制度の実施期間（%s から）であること", p.From)
	}
	return fmt.Sprintf("制度の実施期間（%s から %s まで）であること", p.From, p.Until)
}
