package eligibility

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
)

type program struct {
	src        *Program
	library    uint32 // the library version it was compiled against
	layer      PackInfo
	values     []*compiledExpr
	valueIndex map[string]int
	conds      []compiledCond
	amount     *compiledExpr
	facts      []string
	// uses are the programmes it refers to with program('id'), by index;
	// referenced says another programme refers to this one, and exports
	// are the values (by index) other programmes read from it.
	uses       []int
	referenced bool
	exports    []int
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
	slices.Sort(cp.facts)
	c.lintUnusedValues(cp)
	return cp
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
			c.ps.add(Problem{Position: Position{e.File, line, col}, Code: "cel", Message: what + ": " + translateCELError(ce.Message, env, cp, c.engine), Detail: ce.Message})
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
	c.analyseProgramRefs(ce)
	rewriteForMissing(ast)
	est, err := env.EstimateCost(ast, costEstimator{engine: c.engine})
	ce.estimate = est
	ce.interruptible = err != nil || est.Max > DefaultCostBudget
	if err != nil {
		p := e.Pos()
		c.ps.add(Problem{Position: Position{e.File, p.Line, p.Col}, Code: "cost", Message: what + ": 計算量を見積もれません", Detail: err.Error()})
	} else if est.Max == math.MaxUint64 {
		p := e.Pos()
		c.ps.errorf(e.File, p.Line, p.Col, "cost", "%s: この式の計算量の上限を見積もれません（大きさの決まらない並びを作って繰り返している可能性があります）。上限 %d を守れることが分かる書き方にしてください", what, c.opts.costBudget)
	} else if est.Max > c.opts.costBudget {
		p := e.Pos()
		c.ps.errorf(e.File, p.Line, p.Col, "cost", "%s: この式は最も重い場合の計算量が %d と見積もられ、上限 %d を超えます（世帯員 %d 人までを前提にしています。入れ子の繰り返しを減らしてください）", what, est.Max, c.opts.costBudget, MaxMembers)
	}
	popts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize), cel.CustomDecoratorV2(missingDecorator), cel.CustomDecoratorV2(programDecorator)}
	if ce.interruptible {
		popts = append(popts, cel.InterruptCheckFrequency(c.opts.interruptEvery))
	}
	if c.opts.runtimeCostLimit > 0 {
		popts = append(popts, cel.CostLimit(c.opts.runtimeCostLimit), cel.CostTracking(costEstimator{engine: c.engine}))
	}
	prg, err := env.Program(ast, popts...)
	if err != nil {
		p := e.Pos()
		c.ps.add(Problem{Position: Position{e.File, p.Line, p.Col}, Code: "cel", Message: what + ": 式を準備できません", Detail: err.Error()})
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
		ce.tracked, _ = ce.env.Program(ce.ast, cel.EvalOptions(cel.OptTrackState), cel.CustomDecoratorV2(missingDecorator), cel.CustomDecoratorV2(programDecorator),
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
