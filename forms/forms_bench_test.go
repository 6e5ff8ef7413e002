package forms

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkCheckAndMap is one model-form submission validated, normalised
// and mapped to the eligibility facts: Check (decoding, normalisation,
// visibility, validation, the household's own validation) and Household.
// Target: ≤ 100 µs.
func BenchmarkCheckAndMap(b *testing.B) {
	f, err := Model()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("testdata/submission.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := f.Check(data)
		if err != nil {
			b.Fatal(err)
		}
		if h := c.Household(); len(h.Members) != 3 {
			b.Fatal("wrong household")
		}
	}
}

// BenchmarkNext is the next-questions call on the national pack, for the
// first page of a family that has answered the address and their
// situation (the others still to come). Target: ≤ 1 ms.
func BenchmarkNext(b *testing.B) {
	f, err := Model()
	if err != nil {
		b.Fatal(err)
	}
	eng := engine(b)
	data := firstPage(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		q, err := f.Next(ctx, eng, data)
		if err != nil || len(q.Ask) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextAnswered is Next on a complete submission (the last page).
func BenchmarkNextAnswered(b *testing.B) {
	f, err := Model()
	if err != nil {
		b.Fatal(err)
	}
	eng := engine(b)
	data, err := os.ReadFile("testdata/submission.json")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Next(ctx, eng, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextScreenOnly is the baseline of BenchmarkNext: the engine
// screening the same household Next builds (the applicant, and the child
// and the household members it imagines while those lists are not
// answered), without anything of forms around it.
func BenchmarkNextScreenOnly(b *testing.B) {
	f, err := Model()
	if err != nil {
		b.Fatal(err)
	}
	eng := engine(b)
	data := firstPage(b)
	st, _ := f.evaluate(data, options{}, true)
	h, _ := f.household(st.root, st.date, true)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.Screen(ctx, h, st.date); err != nil {
			b.Fatal(err)
		}
	}
}

// firstPage is a submission after the first pages: the address and the
// family's situation, the household and everything else still to come.
func firstPage(b *testing.B) []byte {
	a := municipality()
	a["postal_code"], a["prefecture"], a["city"], a["town"] = "1000001", "東京都", "千代田区", "千代田1-1"
	a["situation"] = "divorced"
	data, err := json.Marshal(map[string]any{"form": "jp-model", "date": "2026-12-04", "answers": a})
	if err != nil {
		b.Fatal(err)
	}
	return data
}
