package eligibility

import (
	"context"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types/ref"
)

// Test hooks for the external tests of this package (package
// eligibility_test), kept out of the public API.

// ExprCost is one expression's run-time charge and compile-time estimate.
type ExprCost struct {
	Program, Where string
	Actual, EstMax uint64
}

// ExprCostsForTest evaluates every expression of every programme on h
// with cost tracking and returns each expression's charge and estimate.
// The engine must be compiled WithRuntimeCostLimit.
func (e *Engine) ExprCostsForTest(h *Household, asOf civil.Date) []ExprCost {
	ec := &evalCtx{ctx: context.Background(), hh: newHouseholdVal(h), asOf: dateVal{asOf},
		set: e.cache.get(e.params, e.paramIndex, asOf), values: make([]ref.Val, e.maxValues),
		state: make([]uint8, e.maxValues), used: make([]uint64, (len(e.params)+63)/64)}
	ec.params.ec, ec.params.typ = ec, paramsType
	var out []ExprCost
	for _, p := range e.programs {
		ec.reset(p)
		var exprs []*compiledExpr
		exprs = append(exprs, p.values...)
		for _, c := range p.conds {
			exprs = append(exprs, c.expr, c.explain)
		}
		exprs = append(exprs, p.amount)
		for _, ce := range exprs {
			if ce == nil {
				continue
			}
			_, det, _ := ce.prg.Eval(ec)
			var actual uint64
			if det != nil && det.ActualCost() != nil {
				actual = *det.ActualCost()
			}
			out = append(out, ExprCost{Program: p.src.ID, Where: ce.what, Actual: actual, EstMax: ce.estimate.Max})
		}
	}
	return out
}

// BigHouseholdForTest is the largest household the facts model allows.
func BigHouseholdForTest() *Household { return bigHousehold() }

// InterpretedForTest screens with cel-go's interpreter only: the reference
// the compiled closures are held to.
func InterpretedForTest() ScreenOption {
	return func(o screenOpts) screenOpts { o.interpret = true; return o }
}

// HandedBackForTest is how many programmes the closures have handed back
// to the interpreter so far.
func (e *Engine) HandedBackForTest() int64 {
	if e.closures == nil {
		return 0
	}
	return e.closures.handedBack.Load()
}

// FillMissingPartsForTest makes the engine's cache of written Missing
// parts full, so that every entry not in it yet is written in full.
func (e *Engine) FillMissingPartsForTest() { e.jsonFragments().nparts.Store(maxMissingParts) }
