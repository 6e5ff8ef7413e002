package eligibility

import (
	"fmt"

	"cel.dev/cel-go/cel"
)

// Engine is a compiled rule set: one pack, or a national pack with local
// packs layered on it, type-checked and cost-checked once, ready to screen
// any number of households concurrently. Build it with Compile.
type Engine struct {
	layers     []PackInfo
	env        *cel.Env
	params     []*paramDecl
	paramIndex map[string]int
	programs   []*program
	byID       map[string]int
	opts       options
	warnings   []Problem
	cache      paramCache
	maxValues  int
	facts      []*ExtraFact
	factByKey  map[string]*ExtraFact
	render     *jsonFragments // for AppendJSON (render.go)
	// order is the order programmes are screened in: each after those it
	// refers to with program('id'); pack order when none does (dependent
	// is then false).
	order     []int
	dependent bool
	// planAll is the plan of a screening of every programme.
	planAll *screenPlan
	// closures screen without explanations (closure.go); nil: the
	// interpreter screens everything.
	closures *compiledPrograms
	// missing holds the Missing entries of the facts screenings reported
	// (missing.go).
	missing *missingCache
}

// PackInfo identifies a compiled pack layer.
type PackInfo struct {
	ID           string       `json:"id"`
	Version      string       `json:"version"`
	Title        string       `json:"title,omitempty"`
	Jurisdiction Jurisdiction `json:"-"`
}

// Option configures Compile.
type Option func(*options)

type options struct {
	costBudget       uint64
	runtimeCostLimit uint64
	interruptEvery   uint
}

// Default budgets. The estimate of every expression, with the facts model's
// size bounds (at most MaxMembers members …), must stay within the budget,
// and Screen refuses a household beyond those bounds, so the estimate is an
// upper bound of every evaluation. Run-time cost tracking is therefore off
// by default: measured on this engine it multiplies the cost of a small
// expression by about four. WithRuntimeCostLimit turns it on as a second
// guard. Screen checks its context between expressions; an expression
// whose estimate exceeds DefaultCostBudget (allowed WithCostBudget) is also
// stopped midway when the context is cancelled.
const (
	DefaultCostBudget = 200_000
	// DefaultRuntimeCostLimit is 0: no run-time cost tracking.
	DefaultRuntimeCostLimit = 0
	// locateCostLimit bounds the re-evaluation that locates a run-time
	// error inside an expression.
	locateCostLimit = 1_000_000
)

// WithCostBudget sets the largest estimated cost allowed for one
// expression; a pack with a costlier expression does not compile.
func WithCostBudget(n uint64) Option { return func(o *options) { o.costBudget = n } }

// WithRuntimeCostLimit sets the largest actual cost of evaluating one
// expression; an evaluation that exceeds it stops with an error on its
// programme. 0 turns run-time cost tracking off: the compile-time budget
// still bounds every expression for households within the facts model's
// size limits, and context cancellation still stops a screening between
// expressions (and inside one estimated beyond DefaultCostBudget).
func WithRuntimeCostLimit(n uint64) Option { return func(o *options) { o.runtimeCostLimit = n } }

// Compile layers the packs (the first is the base; each later pack must
// extend one before it) and compiles them. Every expression is parsed,
// type-checked against the facts model and the parameters, and its cost
// estimated; any problem is returned as a *PackError with file positions.
// Warnings (unused values, unused parameters …) are available from the
// Engine's Warnings method.
func Compile(packs []*Pack, opts ...Option) (*Engine, error) {
	o := options{costBudget: DefaultCostBudget, runtimeCostLimit: DefaultRuntimeCostLimit, interruptEvery: 100}
	for _, opt := range opts {
		opt(&o)
	}
	if len(packs) == 0 {
		return nil, &PackError{Problems: []Problem{{Severity: SeverityError, Code: "missing", Message: "ルールパックが指定されていません"}}}
	}
	snap := make([]*Pack, len(packs))
	for i, p := range packs {
		if p == nil {
			return nil, &PackError{Problems: []Problem{{Severity: SeverityError, Code: "missing", Message: fmt.Sprintf("%d 番目のルールパックがありません（nil）", i+1)}}}
		}
		snap[i] = p.snapshot()
	}
	packs = snap
	c := &compiler{opts: o, sources: map[string][]byte{}}
	params, progs := c.layer(packs)
	if c.ps.hasErrors() {
		return nil, c.ps.err()
	}
	e := &Engine{opts: o, paramIndex: map[string]int{}, byID: map[string]int{}, missing: &missingCache{}}
	e.factByKey = map[string]*ExtraFact{}
	for _, p := range packs {
		e.layers = append(e.layers, PackInfo{ID: p.ID, Version: p.Version, Title: p.Title, Jurisdiction: p.Jurisdiction})
		for _, f := range p.Facts {
			if prev, dup := e.factByKey[f.Key]; dup {
				if prev.Type != f.Type {
					c.ps.errorf(f.Pos.File, f.Pos.Line, f.Pos.Col, "layer", "地域独自の項目 %q は %s:%d で型 %s として定義済みです", f.Key, prev.Pos.File, prev.Pos.Line, prev.Type)
				}
				continue
			}
			e.factByKey[f.Key] = f
			e.facts = append(e.facts, f)
		}
	}
	for i, p := range params {
		pd := &paramDecl{name: p.Name, celType: celTypeOf(p.Type), param: p}
		for _, v := range p.Values {
			pd.vals = append(pd.vals, celValueOf(v.Value))
		}
		e.params = append(e.params, pd)
		e.paramIndex[p.Name] = i
	}
	c.engine = e
	if err := c.buildEnv(); err != nil {
		return nil, fmt.Errorf("building the CEL environment: %w", err)
	}
	c.deps = newProgramDeps(progs)
	for i, pp := range progs {
		c.deps.cur = i
		env, err := c.envFor(pp.library)
		if err != nil {
			return nil, fmt.Errorf("building the CEL environment of library version %d: %w", pp.library, err)
		}
		cp := c.program(env, pp.prog, pp.library)
		cp.layer = pp.layer
		e.byID[cp.src.ID] = len(e.programs)
		e.programs = append(e.programs, cp)
		e.maxValues = max(e.maxValues, len(cp.values))
	}
	c.lintUnusedParams()
	e.order = c.orderPrograms()
	if err := c.ps.err(); err != nil {
		return nil, err
	}
	c.linkPrograms()
	e.planAll, _ = e.makePlan(nil, true)
	e.env = c.env
	e.warnings = c.ps.warnings()
	e.render = newJSONFragments(e)
	e.closures = compileClosures(e)
	return e, nil
}

// ExtraFacts returns the local facts the packs declare (household.extra
// keys with their Japanese labels and types), in declaration order.
func (e *Engine) ExtraFacts() []ExtraFact {
	out := make([]ExtraFact, len(e.facts))
	for i, f := range e.facts {
		out[i] = *f
	}
	return out
}

// Packs returns the compiled layers, base first.
func (e *Engine) Packs() []PackInfo { return append([]PackInfo(nil), e.layers...) }

// Warnings returns the compile-time warnings (unused values and
// parameters …); they do not stop the pack.
func (e *Engine) Warnings() []Problem { return append([]Problem(nil), e.warnings...) }

// ProgramInfo describes a compiled programme.
type ProgramInfo struct {
	ID        string
	Name      string
	Category  string
	Kind      Kind
	Authority string
	Pack      string // id of the pack layer that defines it
	Sources   []Source
	Effective Period
	// Conditions are the reasons of the conditions, in order.
	Conditions []string
	// Facts are the facts the programme's rules can read, as paths such as
	// members[].birth_date, those of the programmes it refers to included:
	// never ask a family for anything else.
	Facts []string
	// Uses are the ids of the programmes its rules refer to with
	// program('id'); they are screened before it.
	Uses []string
}

// Programs describes the compiled programmes in pack order.
func (e *Engine) Programs() []ProgramInfo {
	out := make([]ProgramInfo, len(e.programs))
	for i, p := range e.programs {
		out[i] = ProgramInfo{
			ID: p.src.ID, Name: p.src.Name, Category: p.src.Category, Kind: p.src.Kind, Authority: p.src.Authority,
			Pack: p.layer.ID, Sources: append([]Source(nil), p.src.Sources...), Effective: p.src.Effective,
			Facts: append([]string(nil), p.facts...),
		}
		for _, u := range p.uses {
			out[i].Uses = append(out[i].Uses, e.programs[u].src.ID)
		}
		for _, c := range p.conds {
			out[i].Conditions = append(out[i].Conditions, c.reason)
		}
	}
	return out
}
