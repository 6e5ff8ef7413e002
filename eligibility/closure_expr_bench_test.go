package eligibility_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// benchExpressions are the shapes of expression the national pack is made
// of, each the one condition of a programme of its own, for
// BenchmarkExpressions: the cost of one expression on each path (with the
// cost of a screening of one programme, which both paths pay).
var benchExpressions = []struct{ name, expr string }{
	{"field", "household.applicant().resides_in_japan"},
	{"in-list", "household.situation in ['divorced', 'bereaved', 'unmarried', 'spouse_disabled']"},
	{"filter-size", "size(household.children().filter(c, as_of <= first_march31_after_age(c.birth_date, 18) && !c.in_facility)) > 0"},
	{"exists", "household.members.exists(m, m.relation == 'child' && m.age_on(as_of) < 3)"},
	{"income-measure", "household.applicant().income_measure(income_year(as_of, 11), 'child_rearing_allowance', 'parent') < params.limits[1]"},
	{"dependents-table", "table_with_step(params.limits, params.step, household.applicant().dependents(income_year(as_of, 11), household.members.filter(m, m.relation != 'self')).count) > 1000000"},
	{"decimal-round", "round_yen(decimal(household.applicant().total_income(income_year(as_of, 11))) * params.rate, 10, 'half_up') >= 20000"},
}

// benchExpressionPack is a pack with one programme per benchExpressions.
func benchExpressionPack(t testing.TB) *eligibility.Engine {
	t.Helper()
	var b strings.Builder
	b.WriteString(`pack: {id: bench, version: "1", title: 式の計測, library: 2, jurisdiction: {level: national, code: JP}}
parameters:
  step: {title: 加算, type: yen, values: [{from: 2020-01-01, value: 380000, source: "https://example.org/s"}]}
  limits: {title: 限度額, type: yen_list, values: [{from: 2020-01-01, value: [690000, 1070000, 1450000], source: "https://example.org/l"}]}
  rate: {title: 率, type: decimal, values: [{from: 2020-01-01, value: "0.0264029", source: "https://example.org/r"}]}
programs:
`)
	for _, x := range benchExpressions {
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    category: 手当\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: 式\n        expr: |\n          %s\n", x.name, x.name, x.expr)
	}
	p, err := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(b.String())}}, "bench")
	if err != nil {
		t.Fatal(err)
	}
	e, err := eligibility.Compile([]*eligibility.Pack{p})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestBenchExpressionsAreCompiled: every expression BenchmarkExpressions
// measures runs on the closures, and both paths agree on a population.
func TestBenchExpressionsAreCompiled(t *testing.T) {
	e := benchExpressionPack(t)
	if got := e.InterpretedExpressions(); len(got) != 0 {
		t.Fatalf("interpreted: %v", got)
	}
	hs, err := synth.Households(synth.Config{Seed: 13, AsOf: benchAsOf, UnknownPercent: 10}, 200)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]map[eligibility.Status]bool{}
	for _, h := range hs {
		requireSameScreening(t, e, h, benchAsOf, h.ID)
		s, err := e.Screen(context.Background(), h, benchAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range s.Results {
			if statuses[o.Program] == nil {
				statuses[o.Program] = map[eligibility.Status]bool{}
			}
			statuses[o.Program][o.Status] = true
		}
	}
	// Each expression decides both ways on the population: the
	// benchmark measures work, not a constant.
	for _, x := range benchExpressions {
		if len(statuses[x.name]) < 2 {
			t.Errorf("%s: only %v", x.name, statuses[x.name])
		}
	}
}

// BenchmarkExpressions screens each one-expression programme on both
// paths, cycling through 10,000 generated households:
//
//	./elig.test -test.run '^$' -test.bench Expressions -test.benchmem
func BenchmarkExpressions(b *testing.B) {
	e := benchExpressionPack(b)
	hs := population(b, 10_000)
	for _, x := range benchExpressions {
		for _, path := range bothPaths(eligibility.OnlyPrograms(x.name)) {
			b.Run("expr="+x.name+"/"+path.name, func(b *testing.B) { screenCycling(b, e, hs, path.opts...) })
		}
	}
}
