package eligibility

import (
	"context"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

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
	// condUnknown and amountUnknown are the unknowns of the programme's
	// conditions and amount (for program('id'), lib_program.go); results
	// are the outcomes of the programmes others refer to, when any do.
	condUnknown, amountUnknown *types.Unknown
	results                    *programResults
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
	case programsVar:
		return ec.results, ec.results != nil
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
	ee := &EvalError{Message: msg, Position: Position{File: ce.src.File}, Where: ce.what}
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

func (ec *evalCtx) valueUses(idx []int) []ValueUse {
	var out []ValueUse
	for _, i := range idx {
		nv := ec.prog.src.Values[i]
		out = append(out, ValueUse{Name: nv.Name, Description: nv.Description, Value: jsonValue(ec.value(i))})
	}
	return out
}
