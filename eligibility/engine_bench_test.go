package eligibility

import (
	"context"
	"os"
	"testing"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types/ref"
)

// benchHousehold is a typical applicant: divorced, two children, income
// known for the year the date uses.
const benchHousehold = `{"id":"bench","situation":"divorced","de_facto_partner":false,
 "members":[
  {"id":"p","relation":"self","birth_date":"1988-07-15","resides_in_japan":true,
   "incomes":[{"year":2023,"business_income":1840000,"other_income":0,"child_support_received":360000}]},
  {"id":"c1","relation":"child","birth_date":"2015-05-01"},
  {"id":"c2","relation":"child","birth_date":"2019-09-30"}],
 "extra":{"wants_visit":true}}`

// bareEval evaluates every compiled expression of every programme once,
// in the order the engine would, straight through cel-go's Program.Eval
// with a map activation: the baseline the engine's overhead is measured
// against. Values are stored into the activation as they are computed.
func bareEval(e *Engine, hv *householdVal, asOf dateVal, pv *paramsVal) int {
	n := 0
	for _, p := range e.programs {
		act := map[string]any{"household": hv, "as_of": asOf, "params": pv}
		for i, v := range p.values {
			out, _, _ := v.prg.Eval(act)
			act[p.src.Values[i].Name] = out
		}
		for _, c := range p.conds {
			out, _, _ := c.expr.prg.Eval(act)
			if out == ref.Val(nil) {
				n++
			}
		}
		if p.amount != nil {
			p.amount.prg.Eval(act)
		}
	}
	return n
}

func benchSetup(b *testing.B) (*Engine, *Household, civil.Date) {
	e := loadSample(b, "testdata/samplepack")
	h, err := DecodeHousehold([]byte(benchHousehold))
	if err != nil {
		b.Fatal(err)
	}
	return e, h, d("2025-06-01")
}

// BenchmarkScreen screens one household against the sample pack, without
// explanations.
func BenchmarkScreen(b *testing.B) {
	e, h, at := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Screen(ctx, h, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScreenExplained is BenchmarkScreen with explanations.
func BenchmarkScreenExplained(b *testing.B) {
	e, h, at := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Screen(ctx, h, at, WithExplanations()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareCEL evaluates the same compiled expressions through cel-go
// directly (see bareEval), with the input wrapped once outside the loop.
func BenchmarkBareCEL(b *testing.B) {
	e, h, at := benchSetup(b)
	hv := newHouseholdVal(h)
	ps := e.cache.get(e.params, e.paramIndex, at)
	b.ReportAllocs()
	for b.Loop() {
		bareEval(e, hv, dateVal{at}, ps.val)
	}
}

// compileSample compiles the sample pack with options.
func compileSample(b *testing.B, opts ...Option) *Engine {
	p, err := LoadPack(os.DirFS("testdata/samplepack"), "samplepack")
	if err != nil {
		b.Fatal(err)
	}
	e, err := Compile([]*Pack{p}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkScreenCostLimit is BenchmarkScreen with run-time cost
// tracking turned on (WithRuntimeCostLimit).
func BenchmarkScreenCostLimit(b *testing.B) {
	e := compileSample(b, WithRuntimeCostLimit(DefaultCostBudget*5))
	h, _ := DecodeHousehold([]byte(benchHousehold))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Screen(ctx, h, d("2025-06-01")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareCELCostLimit is BenchmarkBareCEL on the programs compiled
// with run-time cost tracking: the baseline of BenchmarkScreenCostLimit.
func BenchmarkBareCELCostLimit(b *testing.B) {
	e := compileSample(b, WithRuntimeCostLimit(DefaultCostBudget*5))
	h, _ := DecodeHousehold([]byte(benchHousehold))
	at := d("2025-06-01")
	hv := newHouseholdVal(h)
	ps := e.cache.get(e.params, e.paramIndex, at)
	b.ReportAllocs()
	for b.Loop() {
		bareEval(e, hv, dateVal{at}, ps.val)
	}
}

// BenchmarkCompile loads and compiles the sample pack: the start-up cost.
func BenchmarkCompile(b *testing.B) {
	fsys := os.DirFS("testdata/samplepack")
	b.ReportAllocs()
	for b.Loop() {
		p, err := LoadPack(fsys, "samplepack")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Compile([]*Pack{p}); err != nil {
			b.Fatal(err)
		}
	}
}
