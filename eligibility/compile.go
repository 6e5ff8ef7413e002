package eligibility

import (
	"context"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"math"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
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

type program struct {
	src        *Program
	library    uint32 // the library version it was compiled against
	layer      PackInfo
	values     []*compiledExpr
	valueIndex map[string]int
	conds      []compiledCond
	amount     *compiledExpr
	facts      []string
}

type compiledCond struct {
	reason  string
	expr    *compiledExpr
	explain *compiledExpr
}

type compiledExpr struct {
	src    Expr
	what   string // where it is, for messages: 値 income / 要件 2 / 金額
	prg    cel.Program
	ast    *cel.Ast
	env    *cel.Env
	values []int // named values it reads
	params []int // parameters it reads
	source []byte
	// costLimit bounds the re-evaluation that locates an error.
	costLimit uint64
	// estimate is the compile-time cost estimate.
	estimate cost.CostEstimate
	// interruptible: the estimate exceeds DefaultCostBudget (a pack
	// compiled WithCostBudget above it), so the expression is evaluated
	// with the screening's context to be stopped midway when it is
	// cancelled. Expressions within the default budget end quickly and
	// are evaluated without one (see evalCtx.eval).
	interruptible bool

	// tracked is a second program of the same expression that records
	// every node's value; built on the first run-time error, to find the
	// node that failed.
	trackedOnce sync.Once
	tracked     cel.Program
}

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
	e := &Engine{opts: o, paramIndex: map[string]int{}, byID: map[string]int{}}
	e.factByKey = map[string]*ExtraFact{}
	for _, p := range packs {
		e.layers = append(e.layers, PackInfo{ID: p.ID, Version: p.Version, Title: p.Title, Jurisdiction: p.Jurisdiction})
		for _, f := range p.Facts {
			if prev, dup := e.factByKey[f.Key]; dup {
				if prev.Type != f.Type {
					c.ps.errorf(f.File, f.Pos.Line, f.Pos.Col, "layer", "地域独自の項目 %q は %s:%d で型 %s として定義済みです", f.Key, prev.File, prev.Pos.Line, prev.Type)
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
	for _, pp := range progs {
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
	if err := c.ps.err(); err != nil {
		return nil, err
	}
	e.env = c.env
	e.warnings = c.ps.warnings()
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
	// members[].birth_date: never ask a family for anything else.
	Facts []string
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
		for _, c := range p.conds {
			out[i].Conditions = append(out[i].Conditions, c.reason)
		}
	}
	return out
}

type compiler struct {
	opts    options
	ps      problems
	engine  *Engine
	env     *cel.Env // of the current library version
	envs    map[uint32]*cel.Env
	sources map[string][]byte
	// usedParams marks parameters read by some expression.
	usedParams map[int]bool
}

type layeredProgram struct {
	prog    *Program
	layer   PackInfo
	library uint32 // the library version its pack was written for
}

// layer merges the packs' parameters and programmes, checking that each
// later pack extends an earlier one and that overrides are explicit.
func (c *compiler) layer(packs []*Pack) ([]*Parameter, []layeredProgram) {
	var params []*Parameter
	pIndex := map[string]int{}
	var progs []layeredProgram
	gIndex := map[string]int{}
	seen := map[string]bool{}
	for li, p := range packs {
		for f, src := range p.sources {
			c.sources[f] = src
		}
		info := PackInfo{ID: p.ID, Version: p.Version, Title: p.Title}
		switch {
		case seen[p.ID]:
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q が2回指定されています", p.ID)
			continue
		case li == 0 && p.Extends != "":
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は %q に重ねるパックです。先に %q を指定してください", p.ID, p.Extends, p.Extends)
			continue
		case li > 0 && p.Extends == "":
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は土台となるパックです。重ねるパックには extends: で土台のパックIDを書いてください", p.ID)
			continue
		case li > 0 && !seen[p.Extends]:
			c.ps.errorf(p.Name, 0, 0, "layer", "ルールパック %q は %q に重ねるパックですが、%q がその前に指定されていません", p.ID, p.Extends, p.Extends)
			continue
		}
		seen[p.ID] = true
		lib := p.Library
		if lib == 0 {
			lib = LibraryVersion
		}
		for _, par := range p.Parameters {
			i, exists := pIndex[par.Name]
			switch {
			case exists && !par.Override:
				prev := params[i]
				c.ps.errorf(par.File, par.Pos.Line, par.Pos.Col, "layer", "パラメータ %q は %s:%d で定義済みです。置き換えるときは override: true を書いてください", par.Name, prev.File, prev.Pos.Line)
			case !exists && par.Override:
				c.ps.errorf(par.File, par.Pos.Line, par.Pos.Col, "layer", "override: true のパラメータ %q に置き換える元がありません", par.Name)
			case exists:
				if params[i].Type != par.Type {
					c.ps.errorf(par.File, par.Pos.Line, par.Pos.Col, "layer", "パラメータ %q の型 %s は置き換え元の型 %s と同じにしてください", par.Name, par.Type, params[i].Type)
				}
				params[i] = par
			default:
				pIndex[par.Name] = len(params)
				params = append(params, par)
			}
		}
		for _, pr := range p.Programs {
			i, exists := gIndex[pr.ID]
			switch {
			case exists && !pr.Override:
				prev := progs[i].prog
				c.ps.errorf(pr.File, pr.Pos.Line, pr.Pos.Col, "layer", "制度ID %q は %s:%d で定義済みです。置き換えるときは override: true を書いてください", pr.ID, prev.File, prev.Pos.Line)
			case !exists && pr.Override:
				c.ps.errorf(pr.File, pr.Pos.Line, pr.Pos.Col, "layer", "override: true の制度 %q に置き換える元がありません", pr.ID)
			case exists:
				progs[i] = layeredProgram{pr, info, lib}
			default:
				gIndex[pr.ID] = len(progs)
				progs = append(progs, layeredProgram{pr, info, lib})
			}
		}
	}
	return params, progs
}

// buildEnv builds the environment of the current library version; envFor
// those of older versions that packs pin.
func (c *compiler) buildEnv() error {
	c.envs = map[uint32]*cel.Env{}
	env, err := c.newEnv(LibraryVersion)
	if err != nil {
		return err
	}
	c.env = env
	c.envs[LibraryVersion] = env
	c.usedParams = map[int]bool{}
	return nil
}

func (c *compiler) envFor(version uint32) (*cel.Env, error) {
	if env, ok := c.envs[version]; ok {
		return env, nil
	}
	env, err := c.newEnv(version)
	if err != nil {
		return nil, err
	}
	c.envs[version] = env
	return env, nil
}

func (c *compiler) newEnv(version uint32) (*cel.Env, error) {
	provider, err := newTypeProvider(c.engine.params)
	if err != nil {
		return nil, err
	}
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(provider),
		cel.Variable("household", householdType),
		cel.Variable("as_of", dateType),
		cel.Variable("params", paramsType),
		cel.OptionalTypes(),
		ext.Strings(), ext.Lists(), ext.Sets(), ext.Math(), ext.Bindings(),
	}
	opts = append(opts, cel.Lib(&library{version: version}))
	return cel.NewEnv(opts...)
}

func (c *compiler) program(env *cel.Env, p *Program, library uint32) *program {
	cp := &program{src: p, valueIndex: map[string]int{}, library: library}
	facts := map[string]bool{}
	for i, v := range p.Values {
		ce := c.compile(env, v.Expr, nil, fmt.Sprintf("値 %s", v.Name), cp, facts)
		cp.values = append(cp.values, ce)
		if v.Name == "" {
			continue
		}
		cp.valueIndex[v.Name] = i
		t := types.DynType
		if ce != nil {
			t = ce.ast.OutputType()
		}
		next, err := env.Extend(cel.Variable(v.Name, t))
		if err != nil {
			c.ps.errorf(v.Expr.File, v.Expr.Pos().Line, v.Expr.Pos().Col, "cel", "値 %q を定義できません: %v", v.Name, err)
			continue
		}
		env = next
	}
	for i, cond := range p.Conditions {
		cc := compiledCond{reason: cond.Reason}
		cc.expr = c.compile(env, cond.Expr, types.BoolType, fmt.Sprintf("要件 %d", i+1), cp, facts)
		if cond.Explain != nil {
			cc.explain = c.compile(env, *cond.Explain, types.StringType, fmt.Sprintf("要件 %d の説明", i+1), cp, facts)
		}
		cp.conds = append(cp.conds, cc)
	}
	if p.Amount != nil {
		cp.amount = c.compile(env, p.Amount.Expr, types.IntType, "金額", cp, facts)
	}
	for f := range facts {
		cp.facts = append(cp.facts, f)
	}
	sort.Strings(cp.facts)
	c.lintUnusedValues(cp)
	return cp
}

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
			c.ps.warnf(p.File, p.Pos.Line, p.Pos.Col, "unused", "パラメータ %q はどの制度からも使われていません", p.Name)
		}
	}
}

// compile compiles one expression in env, checking its result type.
func (c *compiler) compile(env *cel.Env, e Expr, want *types.Type, what string, cp *program, facts map[string]bool) *compiledExpr {
	if strings.TrimSpace(e.Source) == "" {
		return nil // reported by the loader
	}
	src := c.sources[e.File]
	ast, iss := env.Compile(e.Source)
	if iss.Err() != nil {
		for _, ce := range iss.Errors() {
			line, col := c.position(e, src, ce.Location.Line(), ce.Location.Column())
			c.ps.add(Problem{File: e.File, Line: line, Col: col, Code: "cel", Message: what + ": " + translateCELError(ce.Message, env, cp, c.engine), Detail: ce.Message})
		}
		return nil
	}
	if want != nil && !want.IsAssignableType(ast.OutputType()) && ast.OutputType() != types.DynType {
		p := e.Pos()
		c.ps.errorf(e.File, p.Line, p.Col, "type", "%s: この式の結果は %s である必要がありますが、%s になっています", what, typeName(want), typeName(ast.OutputType()))
		return nil
	}
	ce := &compiledExpr{src: e, what: what, ast: ast, env: env, source: src, costLimit: c.opts.runtimeCostLimit}
	if ce.costLimit == 0 {
		ce.costLimit = locateCostLimit
	}
	c.analyse(ce, cp, facts)
	rewriteForMissing(ast)
	est, err := env.EstimateCost(ast, costEstimator{engine: c.engine})
	ce.estimate = est
	ce.interruptible = err != nil || est.Max > DefaultCostBudget
	if err != nil {
		p := e.Pos()
		c.ps.add(Problem{File: e.File, Line: p.Line, Col: p.Col, Code: "cost", Message: what + ": 計算量を見積もれません", Detail: err.Error()})
	} else if est.Max == math.MaxUint64 {
		p := e.Pos()
		c.ps.errorf(e.File, p.Line, p.Col, "cost", "%s: この式の計算量の上限を見積もれません（大きさの決まらない並びを作って繰り返している可能性があります）。上限 %d を守れることが分かる書き方にしてください", what, c.opts.costBudget)
	} else if est.Max > c.opts.costBudget {
		p := e.Pos()
		c.ps.errorf(e.File, p.Line, p.Col, "cost", "%s: この式は最も重い場合の計算量が %d と見積もられ、上限 %d を超えます（世帯員 %d 人までを前提にしています。入れ子の繰り返しを減らしてください）", what, est.Max, c.opts.costBudget, MaxMembers)
	}
	popts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize), cel.CustomDecoratorV2(missingDecorator)}
	if ce.interruptible {
		popts = append(popts, cel.InterruptCheckFrequency(c.opts.interruptEvery))
	}
	if c.opts.runtimeCostLimit > 0 {
		popts = append(popts, cel.CostLimit(c.opts.runtimeCostLimit), cel.CostTracking(costEstimator{engine: c.engine}))
	}
	prg, err := env.Program(ast, popts...)
	if err != nil {
		p := e.Pos()
		c.ps.add(Problem{File: e.File, Line: p.Line, Col: p.Col, Code: "cel", Message: what + ": 式を準備できません", Detail: err.Error()})
		return nil
	}
	ce.prg = prg
	return ce
}

// position maps a CEL location (1-based line, 0-based column in code
// points) inside an expression to the file position.
func (c *compiler) position(e Expr, src []byte, line, col int) (int, int) {
	if e.node == nil {
		return 0, 0
	}
	lines := strings.Split(e.Source, "\n")
	off := 0
	for i := 0; i < line-1 && i < len(lines); i++ {
		off += len([]rune(lines[i])) + 1
	}
	off += col
	p := e.node.PosAt(src, off)
	return p.Line, p.Col
}

// failedNode re-evaluates the expression with every node's value recorded
// and returns the innermost node whose value is an error: where a run-time
// error such as a division by zero happened. 0 if none is found.
func (ce *compiledExpr) failedNode(ctx context.Context, act any) int64 {
	ce.trackedOnce.Do(func() {
		ce.tracked, _ = ce.env.Program(ce.ast, cel.EvalOptions(cel.OptTrackState), cel.CustomDecoratorV2(missingDecorator),
			cel.CostLimit(max(ce.costLimit, 1)), cel.InterruptCheckFrequency(100))
	})
	if ce.tracked == nil {
		return 0
	}
	var det *cel.EvalDetails
	if ce.interruptible {
		_, det, _ = ce.tracked.ContextEval(ctx, act)
	} else {
		// Bounded by the cost limit; no context of its own (see evalCtx.eval).
		_, det, _ = ce.tracked.Eval(act)
	}
	if det == nil || det.State() == nil {
		return 0
	}
	state := det.State()
	isErr := func(id int64) bool {
		v, ok := state.Value(id)
		return ok && types.IsError(v)
	}
	var found int64
	celast.PostOrderVisit(ce.ast.NativeRep().Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if found != 0 || !isErr(e.ID()) {
			return
		}
		// Post-order: the first failing node seen has no failing child.
		found = e.ID()
	}))
	return found
}

// nodePosition maps an expression node id to its file position.
func (ce *compiledExpr) nodePosition(id int64) (int, int) {
	e := ce.src
	if e.node == nil {
		return 0, 0
	}
	loc := ce.ast.NativeRep().SourceInfo().GetStartLocation(id)
	if loc.Line() < 1 {
		p := e.Pos()
		return p.Line, p.Col
	}
	lines := strings.Split(e.Source, "\n")
	off := 0
	for i := 0; i < loc.Line()-1 && i < len(lines); i++ {
		off += len([]rune(lines[i])) + 1
	}
	off += loc.Column()
	p := e.node.PosAt(ce.source, off)
	return p.Line, p.Col
}

func typeName(t *types.Type) string {
	switch t {
	case types.BoolType:
		return "真偽値（bool）"
	case types.IntType:
		return "整数（int, 円）"
	case types.StringType:
		return "文字列（string）"
	case decimalType:
		return "小数（Decimal。round_yen で円にしてください）"
	case dateType:
		return "日付（Date）"
	}
	return t.String()
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
	sort.Ints(ce.values)
	sort.Ints(ce.params)
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

// objectTypeNames are the object types onestop declares.
var objectTypeNames = map[string]bool{
	celHousehold: true, celMember: true, celIncome: true, celDisability: true, celDeductions: true,
	celDate: true, celDecimal: true, celParams: true,
}

// isRecordType reports whether name is a result record of the library.
func isRecordType(name string) bool {
	for _, rd := range recordDecls {
		if rd.t.TypeName() == name {
			return true
		}
	}
	return false
}

// EstimateSize implements cost.Estimator.
func (e costEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	// onestop's objects (a member, a date, a decimal …) compare by
	// identity or by a fixed-size value: their "size" for equality is 1.
	if t := n.Type(); t != nil && t.Kind() == types.StructKind {
		if _, ours := objectTypeNames[t.TypeName()]; ours || isRecordType(t.TypeName()) {
			return &cost.SizeEstimate{Min: 1, Max: 1}
		}
	}
	p := n.Path()
	if len(p) == 0 {
		if t := n.Type(); t != nil && t.Kind() == types.StringKind {
			return &cost.SizeEstimate{Min: 0, Max: MaxStringLength}
		}
		return nil
	}
	if p[0] == "params" && len(p) == 2 {
		if i, ok := e.engine.paramIndex[p[1]]; ok {
			longest := uint64(0)
			for _, v := range e.engine.params[i].param.Values {
				switch x := v.Value.(type) {
				case []int64:
					longest = max(longest, uint64(len(x)))
				default:
					longest = max(longest, 1)
				}
			}
			return &cost.SizeEstimate{Min: 0, Max: max(longest, MaxStringLength)}
		}
	}
	switch p[len(p)-1] {
	case "members":
		return &cost.SizeEstimate{Min: 1, Max: MaxMembers}
	case "incomes":
		return &cost.SizeEstimate{Min: 0, Max: MaxIncomes}
	case "receiving":
		return &cost.SizeEstimate{Min: 0, Max: MaxReceiving}
	case "extra":
		return &cost.SizeEstimate{Min: 0, Max: MaxExtra}
	}
	if t := n.Type(); t != nil && t.Kind() == types.ListKind && len(t.Parameters()) == 1 && t.Parameters()[0].TypeName() == celMember {
		// Any list of members is a part of the household's members.
		return &cost.SizeEstimate{Min: 0, Max: MaxMembers}
	}
	if t := n.Type(); t != nil && (t.Kind() == types.StringKind || t.Kind() == types.ListKind) {
		return &cost.SizeEstimate{Min: 0, Max: MaxStringLength}
	}
	return nil
}

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

func closest(name string, cands []string) string {
	best, bestD := "", 3
	for _, c := range cands {
		if d := editDistance(name, c); d < bestD && d < len(name) {
			best, bestD = c, d
		}
	}
	return best
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
