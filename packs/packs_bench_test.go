package packs_test

import (
	"context"
	"github.com/onestop-jp/onestop/civil"
	"testing"

	"github.com/onestop-jp/onestop/eligibility"
)

// benchHousehold is examples/households.jsonl's first household: a divorced
// mother working part-time with two children and 養育費, screened against
// every programme of the pack on 2026-11-23.
func benchHousehold(b *testing.B) *eligibility.Household {
	b.Helper()
	h, err := eligibility.DecodeHousehold([]byte(`{"id":"bench","municipality_code":"131041","grade_area":1,"situation":"divorced",
	 "applicant_role":"parent","de_facto_partner":false,"receiving":["child-allowance"],"members":[
	 {"id":"p","relation":"self","birth_date":"1991-07-15","sex":"female","resides_in_japan":true,"disability":{"kind":"none"},
	  "incomes":[{"year":2024,"salary_revenue":1480000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":360000,"deductions":{}},
	             {"year":2025,"salary_revenue":1520000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":360000,"deductions":{}}]},
	 {"id":"c1","relation":"child","birth_date":"2018-05-20","in_facility":false,"resides_in_japan":true,"disability":{"kind":"none"},"incomes":[]},
	 {"id":"c2","relation":"child","birth_date":"2021-09-03","in_facility":false,"resides_in_japan":true,"disability":{"kind":"none"},"incomes":[]}]}`))
	if err != nil {
		b.Fatal(err)
	}
	return h
}

func benchScreen(b *testing.B, tokyo bool, opts ...eligibility.ScreenOption) {
	benchScreenCtx(b, context.Background(), tokyo, opts...)
}

func benchScreenCtx(b *testing.B, ctx context.Context, tokyo bool, opts ...eligibility.ScreenOption) {
	e := compileEmbedded(b, tokyo)
	h := benchHousehold(b)
	on := civil.MustDate(2026, 11, 23)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Screen(ctx, h, on, opts...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScreenNational: one household against the whole default pack.
func BenchmarkScreenNational(b *testing.B) { benchScreen(b, false) }

// BenchmarkScreenNationalCancellable: the same with a context that can be
// cancelled, as the CLI and a server pass (context.Background has no Done
// channel; a request's context has one).
func BenchmarkScreenNationalCancellable(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	benchScreenCtx(b, ctx, false)
}

// BenchmarkScreenNationalExplained: the same with explanations.
func BenchmarkScreenNationalExplained(b *testing.B) {
	benchScreen(b, false, eligibility.WithExplanations())
}

// BenchmarkScreenTokyo: national and Tokyo packs layered.
func BenchmarkScreenTokyo(b *testing.B) { benchScreen(b, true) }
