package eligibility

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"github.com/shopspring/decimal"
)

// compiledPrograms is the closure path of an engine: its programmes
// compiled, the expressions left to the interpreter, the parameters of
// each date in typed slots, and a pool of screening environments.
type compiledPrograms struct {
	progs       []*cprogram
	interpreted []interpretedExpr
	maxLoc      int
	// expOff is, per programme, where its exported values (the named
	// values others read: program('id').values.x) start in cenv.expv.
	expOff []int
	nexp   int
	params typedParamCache
	pool   sync.Pool
	// handedBack counts the programmes the closures handed back to the
	// interpreter (a run-time error, a decimal beyond fixed point …).
	handedBack atomic.Int64
}

func compileClosures(e *Engine) *compiledPrograms {
	cps := &compiledPrograms{}
	cps.progs, cps.interpreted = compilePrograms(e)
	for i, cp := range cps.progs {
		cps.maxLoc = max(cps.maxLoc, cp.nloc)
		cps.expOff = append(cps.expOff, cps.nexp)
		cps.nexp += len(e.programs[i].exports)
	}
	return cps
}

// InterpretedExpressions lists the expressions that the engine evaluates
// with cel-go's interpreter instead of compiled code when screening
// without explanations, with the reason (a function or a kind of value the
// compiler does not cover). Their results are the same; only slower.
// `onestop pack check` prints them.
func (e *Engine) InterpretedExpressions() []Problem {
	if e.closures == nil {
		return nil
	}
	var out []Problem
	for _, ie := range e.closures.interpreted {
		p := ie.ce.src.Pos()
		out = append(out, Problem{Position: p, Severity: SeverityWarning, Code: ProblemInterpreted,
			Message: fmt.Sprintf("%s: この式はインタプリタで評価します（結果は同じですが遅くなります）。理由: %s", ie.ce.what, ie.why)})
	}
	return out
}

// typedParams are the parameters resolved for one date, in typed slots.
type typedParams struct {
	set  *paramSet
	vals []lval
	// vals[i].st is 0 when the closures do not hold parameter i's value on
	// the date (none, or a decimal that does not fit a dec), 1 when they
	// do, 2 when they do and it has a warning on the date (its use is
	// noted: cenv.used, warnUsed).
	has []bool // has(params.x): the parameter has a value on the date
}

type typedParamCache struct {
	mu   sync.RWMutex
	sets map[civil.Date]*typedParams
}

func (e *Engine) typedParamsAt(at civil.Date) *typedParams {
	c := &e.closures.params
	c.mu.RLock()
	tp := c.sets[at]
	c.mu.RUnlock()
	if tp != nil {
		return tp
	}
	ps := e.cache.get(e.params, e.paramIndex, at)
	tp = &typedParams{set: ps, vals: make([]lval, len(e.params)), has: make([]bool, len(e.params))}
	for i, pd := range e.params {
		r := ps.res[i]
		if r.value < 0 {
			continue
		}
		tp.has[i] = true
		if paramSlot(pd.param.Values[r.value].Value, &tp.vals[i]) {
			tp.vals[i].st = slotValue
			if ps.warn != nil && ps.warn[i/64]&(1<<(i%64)) != 0 {
				tp.vals[i].st = slotWarned
			}
		}
	}
	c.mu.Lock()
	if c.sets == nil || len(c.sets) >= maxCachedDates {
		c.sets = map[civil.Date]*typedParams{}
	}
	c.sets[at] = tp
	c.mu.Unlock()
	return tp
}

func paramSlot(v any, l *lval) bool {
	switch t := v.(type) {
	case int64:
		l.i = t
	case bool:
		l.i = b2i(t)
	case string:
		l.s = t
	case civil.Date:
		l.d = t
	case decimal.Decimal:
		d, ok := decFrom(t)
		l.x = d
		return ok
	case []int64:
		l.il = t
	case []decimal.Decimal:
		for _, x := range t {
			d, ok := decFrom(x)
			if !ok {
				return false
			}
			l.dl = append(l.dl, d)
		}
		if l.dl == nil {
			l.dl = []dec{}
		}
	default:
		return false
	}
	return true
}

// newEnv takes a screening environment from the pool.
func (e *Engine) newEnv(ctx context.Context, h *Household, asOf civil.Date) *cenv {
	env, _ := e.closures.pool.Get().(*cenv)
	if env == nil {
		env = &cenv{eng: e}
	}
	env.h, env.asOf, env.ctx = h, asOf, ctx
	if env.tpLast == nil || env.tpLast.set.date != asOf {
		// A batch screens on one date: the environment keeps its
		// parameters from one household to the next.
		env.tpLast = e.typedParamsAt(asOf)
	}
	env.tp = env.tpLast
	if !env.sized {
		// The pool is the engine's: its environments keep their sizes.
		env.vals = grow(env.vals, e.maxValues)
		env.loc = grow(env.loc, e.closures.maxLoc)
		env.next = grow(env.next, e.closures.maxLoc)
		env.used = grow(env.used, (len(e.params)+63)/64)
		env.expv = grow(env.expv, e.closures.nexp)
		env.sized = true
	}
	env.ua.reset()
	env.memo = env.memo[:0]
	env.nrec = 0
	env.ec, env.results = nil, nil
	env.bridge.e = env
	return env
}

// outBlocks hands out the parts of a screening's outcomes — condition
// results, their false results, amounts, Missing lists — from blocks
// allocated per screening, not one allocation per part. A screening of one
// programme gets blocks of exactly what it needs (the bytes of a screening
// are what a batch's collector pays for); one of several programmes gets
// blocks of a few parts (blockParts). Every part is a slice of its own
// (capacity = length: appending to one copies it) or a value of its own, so
// outcomes stay independent; a block is never reused by another screening
// (release drops them).
type outBlocks struct {
	// hint is the number of programmes screened.
	hint int
	cs   []ConditionResult
	bs   []bool
	ms   []Missing
	mon  []Money
	// used counts the parts handed out, by kind (blockParts' order), for
	// mem: a batch job's memory lent for the screening (screenMem).
	used [4]int
	mem  *screenMem
}

// size is the size of a new block of kind k for n parts: small and fixed
// (a part that does not fit leaves at most a few unused behind).
func (o *outBlocks) size(k, n int) int {
	if o.hint <= 1 {
		return n
	}
	return max(n, blockParts[k])
}

// blockParts are the block sizes of a screening of several programmes:
// condition results, false results, Missing entries, amounts.
var blockParts = [4]int{4, 8, 4, 4}

// money returns an amount of its own.
func (o *outBlocks) money(m Money) *Money {
	o.used[3]++
	if len(o.mon) == 0 {
		o.mon = make([]Money, o.size(3, 1))
	}
	r := &o.mon[0]
	*r = m
	o.mon = o.mon[1:]
	return r
}

// conds returns n condition results of their own.
func (o *outBlocks) conds(n int) []ConditionResult {
	o.used[0] += n
	if len(o.cs) < n {
		o.cs = make([]ConditionResult, o.size(0, n))
	}
	r := o.cs[:n:n]
	o.cs = o.cs[n:]
	return r
}

// condsFalse returns n condition results of their own and a false of its
// own: for a screening of one programme, in one allocation when n is 1 or
// 2 (an ineligible outcome's usual parts; no more bytes than the two
// allocations it replaces).
func (o *outBlocks) condsFalse(n int) ([]ConditionResult, *bool) {
	if o.hint <= 1 && len(o.cs) < n && n <= 2 {
		o.used[0] += n
		o.used[1]++
		switch n {
		case 1:
			b := new(condFalse1)
			return b.c[:], &b.f
		case 2:
			b := new(struct {
				c [2]ConditionResult
				f bool
			})
			return b.c[:], &b.f
		}
	}
	return o.conds(n), o.falseBool()
}

// falseBool returns a false of its own.
func (o *outBlocks) falseBool() *bool {
	o.used[1]++
	if len(o.bs) == 0 {
		o.bs = make([]bool, o.size(1, 8))
	}
	r := &o.bs[0]
	*r = false // a lent block's (screenMem) may have been set by its reader
	o.bs = o.bs[1:]
	return r
}

// missing returns n Missing entries of their own.
func (o *outBlocks) missing(n int) []Missing {
	o.used[2] += n
	if len(o.ms) < n {
		o.ms = make([]Missing, o.size(2, n))
	}
	r := o.ms[:n:n]
	o.ms = o.ms[n:]
	return r
}

// resultsBuffer is the environment's buffer of the results kept for
// program('id') in a pack whose programmes refer to others (cleared at
// release).
func (env *cenv) resultsBuffer(e *Engine) *programResults {
	env.res.byID = e.byID
	env.res.vals = grow(env.res.vals, len(e.programs))
	env.pend = grow(env.pend, len(e.programs))
	env.res.lazy = env
	return &env.res
}

// screenMem is the memory a batch job reuses from one screening to the
// next (Batch.Reuse): the Screening with its outcomes, and blocks for the
// outcomes' parts sized by what the last screening used. The screening
// before is gone by then (its reader has moved on), so its memory is
// written over; a screening that needs more parts than lent gets blocks
// of its own (outBlocks), and the next one a bigger loan.
type screenMem struct {
	s    *Screening
	cs   []ConditionResult
	bs   []bool
	ms   []Missing
	mon  []Money
	used [4]int // parts the last screening used, by kind
}

// screening returns the job's Screening with room for n zero outcomes (a
// new one for a nil m).
func (m *screenMem) screening(n int) *Screening {
	if m == nil {
		return newScreening(n)
	}
	s := m.s
	if s == nil || cap(s.Results) < n {
		s = newScreening(n)
		m.s = s
		return s
	}
	r := s.Results[:n]
	clear(r) // the closures write only a programme's fields of a zero outcome
	*s = Screening{Results: r[:0]}
	return s
}

// lend lends the job's part blocks to the screening's outBlocks.
func (m *screenMem) lend(o *outBlocks) {
	if m == nil {
		return
	}
	o.mem = m
	m.cs = lendBlock(m.cs, m.used[0])
	m.bs = lendBlock(m.bs, m.used[1])
	m.ms = lendBlock(m.ms, m.used[2])
	m.mon = lendBlock(m.mon, m.used[3])
	o.cs, o.bs, o.ms, o.mon = m.cs, m.bs, m.ms, m.mon
}

// lendBlock returns b at its full capacity, or a new block with room for
// n parts and a quarter more when b is smaller.
func lendBlock[T any](b []T, n int) []T {
	if cap(b) >= n {
		return b[:cap(b)]
	}
	return make([]T, n+n/4)
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// release returns an environment to the pool.
func (e *Engine) release(env *cenv) {
	// The slots keep values of this household until the next screening
	// overwrites them (every slot is written before it is read); the
	// household itself and the interpreter's view of it are let go.
	if env.results != nil {
		clear(env.res.vals)
		clear(env.pend)
	}
	env.h, env.ec, env.ctx, env.tp, env.prog, env.results = nil, nil, nil, nil, nil, nil
	if m := env.out.mem; m != nil {
		m.used = env.out.used
	}
	env.out = outBlocks{}
	e.closures.pool.Put(env)
}

// interp returns the interpreter's evaluation context of the screening,
// building it on first use.
func (e *cenv) interp() *evalCtx {
	if e.ec == nil {
		e.ec = e.eng.newEvalCtx(e.ctx, e.h, e.asOf, false)
		e.ec.results = e.results
	}
	return e.ec
}

// start prepares the environment for a programme.
func (e *cenv) start(cp *cprogram) {
	e.prog = cp
	// A new stamp: every value is not evaluated (lval.st); after 2³¹
	// programmes the stamps start again from clear slots.
	if e.gen += 2; e.gen == 0 {
		for i := range e.vals {
			e.vals[i].st = 0
		}
		e.gen = 2
	}
	if e.usedAny {
		clear(e.used)
		e.usedAny = false
	}
	e.bail = false
	e.iu = 0
}

// screenCompiled screens one programme on the closure path into out; a
// programme the closures cannot screen exactly (env.bail) is screened
// again by the interpreter.
func (e *Engine) screenCompiled(env *cenv, p *program, cp *cprogram, out *Outcome) error {
	env.condU, env.amountU, env.handedBack = 0, 0, false
	if !p.src.Effective.Contains(env.asOf) {
		*out, _ = e.outsideEffective(p, env.asOf, false)
		return nil
	}
	if !e.runCompiled(env, p, cp, out) {
		e.closures.handedBack.Add(1)
		env.handedBack = true
		return e.screenProgram(env.interp(), p, false, out)
	}
	return nil
}

// runCompiled runs a programme's closures into out; it returns false when
// they stopped (cenv.fail).
func (e *Engine) runCompiled(env *cenv, p *program, cp *cprogram, out *Outcome) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			ok = false
		}
	}()
	// out is zero (Screen's fresh results): only the programme is set.
	out.Program, out.Name, out.Category, out.Kind = p.src.ID, p.src.Name, p.src.Category, p.src.Kind
	env.start(cp)
	var unknown unk
	failed := false
	// The conditions reported are gathered in the environment's scratch
	// and copied once, at their number.
	conds := env.conds[:0]
	for i, b := range cp.bconds {
		var r cres
		var u unk
		if b != nil {
			// A bool condition, called directly (conds[i] is its
			// wrapper); one that holds is all the loop does.
			v, bu := b(env)
			if v && bu == 0 {
				continue
			}
			r, u = cFalse, bu
		} else if cond := cp.conds[i]; cond != nil {
			if r, u = cond(env); r == cTrue && u == 0 {
				continue
			}
		} else {
			continue
		}
		conds, unknown, failed = env.noteCond(conds, unknown, r, u, p.conds[i].reason)
		if failed {
			break
		}
	}
	if len(conds) > 0 {
		if failed {
			// The failed condition is the last: its false comes with the
			// block (condsFalse).
			var f *bool
			out.Conditions, f = env.out.condsFalse(len(conds))
			conds[len(conds)-1].Result = f
		} else {
			out.Conditions = env.out.conds(len(conds))
		}
		copy(out.Conditions, conds)
		clear(conds) // the scratch keeps no pointer of this outcome
	}
	env.conds = conds[:0]
	switch {
	case failed:
		out.Status = Ineligible
	case unknown != 0:
		out.Status = Undetermined
	default:
		out.Status = Eligible
	}
	if out.Status != Ineligible && cp.amount != nil {
		v, known, u := cp.amount(env)
		if known {
			out.Amount = env.out.money(Money{Yen: v, Per: p.src.Amount.Per})
		}
		unknown = env.merge(unknown, u)
		env.amountU = u
	}
	if unknown != 0 && out.Status != Ineligible {
		out.Missing = e.missingOf(env.h, &env.ua, unknown, &env.out)
	}
	e.warnUsed(env.used, env.tp.set, out)
	return !env.bail
}

// noteCond notes a condition that does not hold, or is unknown, among
// the conditions reported (runCompiled): failed when it is false (its
// false, Result, is given with the block).
func (e *cenv) noteCond(conds []ConditionResult, unknown unk, r cres, u unk, reason string) (_ []ConditionResult, _ unk, failed bool) {
	switch {
	case u != 0:
		unknown = e.merge(unknown, u)
		e.condU = unknown
	case r == cFalse:
		failed = true
	case r == cTrue:
		return conds, unknown, false
	}
	return append(conds, ConditionResult{Reason: reason}), unknown, failed
}

// bridge is the activation of an expression the interpreter evaluates on
// the closure path: the household and the date as the interpreter sees
// them, the parameters (noting their use), and the programme's named
// values from the closures' slots.
type bridge struct {
	e      *cenv
	params bridgeParams
}

type bridgeParams struct {
	paramsVal
	e *cenv
}

func (b *bridge) ResolveName(name string) (any, bool) {
	e := b.e
	switch name {
	case "household":
		return e.interp().hh, true
	case "as_of":
		return dateVal{e.asOf}, true
	case "params":
		b.params.e, b.params.typ, b.params.set = e, paramsType, e.tp.set
		return &b.params, true
	case programsVar:
		return e.results, e.results != nil
	}
	if i, ok := e.prog.src.valueIndex[name]; ok {
		e.prog.fillValue(e, i)
		return opsOf(e.prog.values[i].t.k).box(e, &e.vals[i]), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (b *bridge) Parent() interpreter.Activation { return nil }

func (p *bridgeParams) Get(idx ref.Val) ref.Val {
	name, _ := fieldName(idx)
	i, ok := p.set.index[name]
	if !ok {
		return noSuchField("params", idx)
	}
	p.e.noteUsed(i/64, 1<<(i%64))
	return p.set.vals[i]
}

func (p *bridgeParams) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(p)) }

// interpretInto evaluates an expression with cel-go on the closure path,
// into a slot of type t.
func interpretInto(ce *compiledExpr, t ctype) func(*cenv, *lval) {
	ops := opsOf(t.k)
	return func(e *cenv, l *lval) {
		var out ref.Val
		var err error
		act := &e.bridge
		if ce.interruptible && e.ctx.Done() != nil {
			out, _, err = ce.prg.ContextEval(e.ctx, act)
		} else {
			out, _, err = ce.prg.Eval(act)
		}
		if err != nil || types.IsError(out) || !ops.unbox(e, out, l) {
			e.fail()
		}
	}
}

// recordCompiled keeps the outcome of programme i, which others refer to,
// as the value of program('id') — the same value the interpreter's
// recordResult keeps (the record is the interpreter's: a programme screened
// by either path can read it).
func (e *Engine) recordCompiled(env *cenv, i int, p *program, out *Outcome) error {
	ec := func() error {
		ec := env.interp()
		ec.recordResult(i, p, out)
		if ec.cancel != nil {
			return fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
		}
		return nil
	}
	if env.handedBack {
		return ec()
	}
	cp := e.closures.progs[i]
	if !e.exports(env, i, p, cp) {
		// An exported value the closures cannot give exactly: the
		// interpreter screens the programme again (same outcome) and
		// records it.
		var again Outcome
		if err := e.screenProgram(env.interp(), p, false, &again); err != nil {
			return err
		}
		return ec()
	}
	// Boxed (cenv.boxResult) only if something reads it as a whole: the
	// closures read its values from expv (programValue).
	env.pend[i] = pendResult{set: true, out: *out, condU: env.condU, amountU: env.amountU}
	return nil
}

// pendResult is an outcome recorded on the closure path for program('id'),
// not boxed yet: the outcome (a copy: the next programme may be screened
// into the same place), and the unknowns of its conditions and amount.
type pendResult struct {
	set            bool
	out            Outcome
	condU, amountU unk
}

// boxResult builds the value of program('id') of programme i recorded on
// the closure path — the value the interpreter's recordResult builds —
// or returns nil when none is pending.
func (env *cenv) boxResult(i int) ref.Val {
	if i >= len(env.pend) || !env.pend[i].set {
		return nil
	}
	e := env.eng
	pr := &env.pend[i]
	p, cp := e.programs[i], e.closures.progs[i]
	var vals map[ref.Val]ref.Val
	if len(p.exports) > 0 {
		vals = make(map[ref.Val]ref.Val, len(p.exports))
		off := e.closures.expOff[i]
		for k, vi := range p.exports {
			vals[types.String(p.src.Values[vi].Name)] = opsOf(cp.values[vi].t.k).box(env, &env.expv[off+k])
		}
	}
	var cond, amount *types.Unknown
	if pr.condU != 0 {
		cond = env.ua.toUnknown(pr.condU)
	}
	if pr.amountU != 0 {
		amount = env.ua.toUnknown(pr.amountU)
	}
	return programResult(p, &pr.out, cond, amount, vals)
}

// exports evaluates the values of programme i that others read and copies
// them from the closures' slots to the screening's expv; ok is false when
// the closures stopped.
func (e *Engine) exports(env *cenv, i int, p *program, cp *cprogram) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(bailout); !bail {
				panic(r)
			}
			ok = false
		}
	}()
	if env.prog != cp {
		env.start(cp) // outside its period: not evaluated yet
	}
	off := e.closures.expOff[i]
	for k, vi := range p.exports {
		cp.fillValue(env, vi)
		env.expv[off+k] = env.vals[vi]
	}
	return true
}
