package eligibility

import (
	"context"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"slices"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// ScreenOption configures one screening.
type ScreenOption func(*screenOpts)

type screenOpts struct {
	explain  bool
	programs map[string]bool
}

// WithExplanations makes outcomes carry every condition with its result,
// the named values and parameters used (with their dated sources), the
// programme's sources and each condition's explain text. It costs more
// than a plain screening; use it where a person reads the result.
func WithExplanations() ScreenOption { return func(o *screenOpts) { o.explain = true } }

// OnlyPrograms screens only the programmes with these ids.
func OnlyPrograms(ids ...string) ScreenOption {
	return func(o *screenOpts) {
		if o.programs == nil {
			o.programs = map[string]bool{}
		}
		for _, id := range ids {
			o.programs[id] = true
		}
	}
}

// ErrTooLarge is returned by Screen for a household beyond the facts
// model's size bounds (MaxMembers, MaxIncomes, MaxReceiving, MaxExtra,
// MaxStringLength). DecodeHousehold never returns such a household; the
// bounds are what the compile-time cost estimate of every rule assumes.
var ErrTooLarge = errors.New("eligibility: the household exceeds the facts model's size bounds")

// checkBounds enforces the size bounds the cost estimates rely on.
func checkBounds(h *Household) error {
	tooLong := func(s string) bool { return len(s) > MaxStringLength && utf8.RuneCountInString(s) > MaxStringLength }
	switch {
	case len(h.Members) > MaxMembers:
		return fmt.Errorf("%w: %d members (at most %d)", ErrTooLarge, len(h.Members), MaxMembers)
	case len(h.Receiving) > MaxReceiving:
		return fmt.Errorf("%w: %d programmes in receiving (at most %d)", ErrTooLarge, len(h.Receiving), MaxReceiving)
	case len(h.Extra) > MaxExtra:
		return fmt.Errorf("%w: %d extra facts (at most %d)", ErrTooLarge, len(h.Extra), MaxExtra)
	case tooLong(h.ID) || (h.MunicipalityCode != nil && tooLong(*h.MunicipalityCode)):
		return fmt.Errorf("%w: a string longer than %d characters", ErrTooLarge, MaxStringLength)
	}
	for i := range h.Members {
		m := &h.Members[i]
		if len(m.Incomes) > MaxIncomes {
			return fmt.Errorf("%w: members[%d] has %d income years (at most %d)", ErrTooLarge, i, len(m.Incomes), MaxIncomes)
		}
		if tooLong(m.ID) || (m.Disability != nil && tooLong(m.Disability.Grade)) {
			return fmt.Errorf("%w: a string longer than %d characters", ErrTooLarge, MaxStringLength)
		}
	}
	for _, r := range h.Receiving {
		if tooLong(r) {
			return fmt.Errorf("%w: a string longer than %d characters", ErrTooLarge, MaxStringLength)
		}
	}
	for _, v := range h.Extra {
		switch t := v.(type) {
		case string:
			if tooLong(t) {
				return fmt.Errorf("%w: a string longer than %d characters", ErrTooLarge, MaxStringLength)
			}
		case []any:
			if len(t) > MaxReceiving {
				return fmt.Errorf("%w: an extra list longer than %d", ErrTooLarge, MaxReceiving)
			}
		}
	}
	return nil
}

// ErrNoApplicant is returned by Screen for a household without a member
// whose relation is "self".
var ErrNoApplicant = errors.New("eligibility: the household has no applicant (a member with relation \"self\")")

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
		o(&so)
	}
	if h == nil || h.Self() == nil {
		return nil, ErrNoApplicant
	}
	if err := checkBounds(h); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, errors.New("eligibility: Screen needs a date (as of)")
	}
	if errs := checkAsOf(h, asOf); len(errs) > 0 {
		return nil, &FactsError{Errors: errs}
	}
	for id := range so.programs {
		if _, ok := e.byID[id]; !ok {
			return nil, fmt.Errorf("eligibility: no programme %q in the pack", id)
		}
	}
	top := e.layers[len(e.layers)-1]
	s := &Screening{HouseholdID: h.ID, AsOf: asOf, Pack: PackRef{ID: top.ID, Version: top.Version}}
	if len(e.layers) > 1 {
		s.Pack.Layers = append([]PackInfo(nil), e.layers...)
	}
	n := len(e.programs)
	if so.programs != nil {
		n = len(so.programs)
	}
	s.Results = make([]Outcome, 0, n)
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
	if so.explain {
		ec.hh.rec = ec
	}
	cancellable := ctx.Done() != nil
	for _, p := range e.programs {
		if so.programs != nil && !so.programs[p.src.ID] {
			continue
		}
		if cancellable {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("eligibility: screening stopped: %w", err)
			}
		}
		out, err := e.screenProgram(ec, p, so.explain)
		if err != nil {
			return nil, err
		}
		s.Results = append(s.Results, out)
	}
	return s, nil
}

// evalCtx is the activation rules are evaluated against: the household,
// the date, the parameters of the date, and the programme's named values,
// evaluated on first use and kept for the programme's other expressions.
type evalCtx struct {
	ctx    context.Context
	hh     *householdVal
	asOf   dateVal
	set    *paramSet
	params ctxParams
	prog   *program
	values []ref.Val
	state  []uint8 // per value: 0 not evaluated, 1 being evaluated, 2 done
	used   []uint64
	err    *EvalError // the first run-time error
	cancel error      // set when evaluation was interrupted
	// breakdowns are the income computations recorded while explaining.
	breakdowns []Breakdown
}

// ResolveName implements interpreter.Activation.
func (ec *evalCtx) ResolveName(name string) (any, bool) {
	switch name {
	case "household":
		return ec.hh, true
	case "as_of":
		return ec.asOf, true
	case "params":
		return &ec.params, true
	}
	if i, ok := ec.prog.valueIndex[name]; ok {
		return ec.value(i), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (ec *evalCtx) Parent() interpreter.Activation { return nil }

func (ec *evalCtx) reset(p *program) {
	ec.prog = p
	for i := range p.values {
		ec.values[i] = nil
		ec.state[i] = 0
	}
	for i := range ec.used {
		ec.used[i] = 0
	}
	ec.err = nil
	ec.breakdowns = nil
}

// value evaluates named value i of the current programme once.
func (ec *evalCtx) value(i int) ref.Val {
	switch ec.state[i] {
	case 2:
		return ec.values[i]
	case 1:
		return types.NewErr("value %q refers to itself", ec.prog.src.Values[i].Name)
	}
	ce := ec.prog.values[i]
	if ce == nil {
		return types.NewErr("value %q did not compile", ec.prog.src.Values[i].Name)
	}
	ec.state[i] = 1
	v := ec.eval(ce)
	ec.values[i], ec.state[i] = v, 2
	return v
}

// eval evaluates one expression, recording the first run-time error with
// its position.
//
// The context is checked before each expression, not inside it: every
// expression's cost is bounded at compile time (the cost budget, from the
// facts model's size bounds that Screen enforces), so an expression ends
// quickly, and handing cel-go a cancellable context would make it create
// and cancel a context of its own for every expression (measured: 18 % of
// a batch screening's CPU). Only an expression estimated beyond the
// default budget — a pack compiled WithCostBudget above it — is evaluated
// with the context, so that cancelling still stops it midway.
func (ec *evalCtx) eval(ce *compiledExpr) ref.Val {
	if ec.cancel != nil {
		return types.NewErr("evaluation cancelled: %v", ec.cancel)
	}
	if ec.ctx.Done() != nil {
		if err := ec.ctx.Err(); err != nil {
			ec.cancel = err
			return types.NewErr("evaluation cancelled: %v", err)
		}
	}
	var out ref.Val
	var err error
	if ce.interruptible && ec.ctx.Done() != nil {
		out, _, err = ce.prg.ContextEval(ec.ctx, ec)
		if ec.ctx.Err() != nil && (err != nil || types.IsError(out)) {
			ec.cancel = ec.ctx.Err()
			return types.NewErr("evaluation cancelled: %v", ec.cancel)
		}
	} else {
		out, _, err = ce.prg.Eval(ec)
	}
	// cel-go returns an error value both as out and as err; an evaluation
	// that was stopped by the cost limit has no useful out.
	if err != nil && !stopped(err) {
		if e, ok := out.(*types.Err); ok {
			if ec.err == nil {
				node := e.NodeID()
				if node == 0 {
					node = ce.failedNode(ec.ctx, ec)
				}
				ec.fail(ce, node, e.Error())
			}
			return out
		}
	}
	if err != nil {
		msg := err.Error()
		if stopped(err) {
			msg = "計算量の上限を超えたため評価を中止しました（" + msg + "）"
		}
		ec.fail(ce, 0, msg)
		return types.NewErr("%s", msg)
	}
	return out
}

// stopped reports whether err is cel-go stopping an evaluation (cost limit
// or interruption) rather than an error value of the rule.
func stopped(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "cost limit exceeded") || strings.Contains(msg, "operation interrupted")
}

func (ec *evalCtx) fail(ce *compiledExpr, node int64, msg string) {
	if ec.err != nil {
		return
	}
	ee := &EvalError{Message: msg, File: ce.src.File, Where: ce.what}
	if node != 0 {
		ee.Line, ee.Col = ce.nodePosition(node)
	} else {
		p := ce.src.Pos()
		ee.Line, ee.Col = p.Line, p.Col
	}
	ec.err = ee
}

// ctxParams is the params variable of one evaluation: it reads the date's
// resolved parameters and notes which were used.
type ctxParams struct {
	paramsVal
	ec *evalCtx
}

func (p *ctxParams) Get(idx ref.Val) ref.Val {
	name, _ := fieldName(idx)
	i, ok := p.ec.set.index[name]
	if !ok {
		return noSuchField("params", idx)
	}
	p.ec.used[i/64] |= 1 << (i % 64)
	return p.ec.set.vals[i]
}

func (p *ctxParams) IsSet(idx ref.Val) ref.Val {
	name, _ := fieldName(idx)
	i, ok := p.ec.set.index[name]
	return types.Bool(ok && !types.IsError(p.ec.set.vals[i]))
}

func (p *ctxParams) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(p)) }

func (e *Engine) screenProgram(ec *evalCtx, p *program, explain bool) (Outcome, error) {
	out := Outcome{Program: p.src.ID, Name: p.src.Name, Category: p.src.Category, Kind: p.src.Kind}
	if explain {
		out.Sources = slices.Clone(p.src.Sources)
	}
	if !p.src.Effective.Contains(ec.asOf.d) {
		out.Status = Ineligible
		out.Conditions = []ConditionResult{{Reason: effectiveReason(p.src.Effective), Result: new(false)}}
		return out, nil
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
			return out, fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
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
		}
		if ec.cancel != nil {
			return out, fmt.Errorf("eligibility: screening stopped: %w", ec.cancel)
		}
	}
	if ec.err != nil && !failed {
		out.Error = ec.err
		out.Status = Undetermined
	}
	if unknown != nil && out.Status != Ineligible {
		out.Missing = e.missingList(ec.hh.h, unknown)
	}
	e.warn(ec, &out)
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
	return out, nil
}

// warn attaches the warnings of the parameters the evaluation read.
func (e *Engine) warn(ec *evalCtx, out *Outcome) {
	for w, bits := range ec.used {
		for bits != 0 {
			b := trailingZeros(bits)
			bits &^= 1 << b
			i := w*64 + b
			r := ec.set.res[i]
			pd := e.params[i]
			if r.carried {
				msg := pd.param.CarryForwardWarning
				v := pd.param.Values[r.value]
				if msg == "" {
					msg = fmt.Sprintf("%s（params.%s）は %s 以降の値が未登録のため、%s から適用の値で計算しています", pd.param.Title, pd.name, v.Until.AddDays(1), v.From)
				}
				out.Warnings = append(out.Warnings, Warning{Code: "parameter_carried_forward", Message: msg, Parameter: pd.name})
			}
			if r.review {
				v := pd.param.Values[r.value]
				out.Warnings = append(out.Warnings, Warning{Code: "parameter_past_review", Parameter: pd.name,
					Message: fmt.Sprintf("%s（params.%s）の値は %s までに見直す予定でした。最新の値か確認してください", pd.param.Title, pd.name, v.ReviewBy)})
			}
		}
	}
}

func trailingZeros(x uint64) int {
	n := 0
	for x&1 == 0 {
		x >>= 1
		n++
	}
	return n
}

func (ec *evalCtx) valueUses(idx []int) []ValueUse {
	var out []ValueUse
	for _, i := range idx {
		nv := ec.prog.src.Values[i]
		out = append(out, ValueUse{Name: nv.Name, Description: nv.Description, Value: jsonValue(ec.value(i))})
	}
	return out
}

func effectiveReason(p Period) string {
	if p.Until.IsZero() {
		return fmt.Sprintf("制度の実施期間（%s から）であること", p.From)
	}
	return fmt.Sprintf("制度の実施期間（%s から %s まで）であること", p.From, p.Until)
}

// missingList lists the facts of an unknown value, in a stable order.
func (e *Engine) missingList(h *Household, u *types.Unknown) []Missing {
	var out []Missing
	seen := map[string]bool{}
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			if t.Variable() != "household" {
				continue
			}
			m, ok := missingFromTrail(h, t.QualifierPath())
			if !ok || seen[m.Path] {
				continue
			}
			if f, ok := e.factByKey[m.Field]; ok && strings.HasPrefix(m.Path, "extra.") {
				m.Label = f.Label
			}
			seen[m.Path] = true
			out = append(out, m)
		}
	}
	sortMissing(out)
	return out
}

func sortMissing(ms []Missing) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Path < ms[j-1].Path; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}
