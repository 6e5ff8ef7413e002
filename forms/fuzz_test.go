package forms

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/onestop-jp/onestop/civil"
)

// FuzzCheck feeds arbitrary submissions to the model form. Check never
// panics; it returns either a *ValidationError and nothing else, or a
// checked submission whose household is valid and whose normalised form
// checks again to the same answers.
func FuzzCheck(f *testing.F) {
	form, seed := modelAndSeed(f)
	f.Add(seed)
	f.Add([]byte(`{"form":"jp-model","date":"R8.12.4","answers":{"children":[{"birth_date":"R2.1.1"}],"applicant_income":{"prev_salary":"1万2千"}}}`))
	f.Add([]byte(`{"form":"jp-model","answers":{"troubles":["none","dv"],"phone":"０９０ー１２３４ー５６７８"}}`))
	f.Add([]byte(`{"form":"jp-model","date":"2026-12-04","answers":{"others":[{"relation":"parent","has_income":true,"prev_kinds":["pension_revenue"],"prev_pension":"180万"}]}}`))
	f.Add([]byte(`[1,2,{"a":null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := form.Check(data, On(civil.MustDate(2026, 12, 4)))
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) == 0 || c != nil {
				t.Fatalf("want a non-empty *ValidationError alone, got %v, %v", c, err)
			}
			return
		}
		if herr := c.Household().Validate(); herr != nil {
			t.Fatalf("a checked submission maps to an invalid household: %v", herr)
		}
		again, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := form.Check(again)
		if err != nil {
			t.Fatalf("the normalised submission does not check: %v\n%s", err, again)
		}
		a, b := mustJSON(t, c.Answers()), mustJSON(t, c2.Answers())
		if a != b {
			t.Fatalf("normalisation is not idempotent:\n%s\n%s", a, b)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const memberForm = `form: {id: m, version: "1", title: T}
pages:
  - id: p
    title: P
    fields:
      - {id: situation, type: choice, label: S, fact: situation, choices: [{value: divorced, label: 離婚}]}
      - id: me
        type: group
        label: 本人
        member: self
        fields:
          - {id: born, type: date, label: 生年月日, past: true, fact: birth_date}
          - {id: kinds, type: choices, label: 種類, fact: "incomes[-1].kinds", choices: [{value: salary_revenue, label: 給与}, {value: none, label: なし, exclusive: true}]}
          - {id: salary, type: yen, units: true, label: 給与, visible_if: "'salary_revenue' in kinds", fact: "incomes[-1].salary_revenue"}
      - id: kids
        type: list
        label: 子
        member: child
        fields:
          - {id: born, type: date, label: 生年月日, fact: birth_date, record: person.birth_date}
      - id: ok
        type: consent
        label: 同意
        consent: {purposes: [sharing], actions: [view], categories: ["*"], recipients: [{kind: department, code: d, name: D}], notice: 説明, notice_version: "1"}
`

// FuzzParse feeds arbitrary definition files to the loader: it never
// panics, and returns a *DefinitionError with at least one positioned
// problem or a form whose schema is valid JSON.
func FuzzParse(f *testing.F) {
	// small seeds: the fuzzer minimises every new input, which is slow
	// for a file the size of the model form (tested on its own elsewhere)
	f.Add([]byte(testForm))
	f.Add([]byte(memberForm))
	f.Add([]byte("form: {id: a, version: 1, title: t}\npages:\n  - {id: p, title: P, fields: [{id: x, type: bool, label: X}, {id: y, type: int, label: Y, visible_if: \"x && y > 1\"}]}\n"))
	f.Add([]byte("form: {id: a, version: 1, title: t, kind: application, application: {program: p, recipient: {kind: department, code: d, name: D}}}\npages: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		form, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) || len(de.Problems) == 0 || form != nil {
				t.Fatalf("want a non-empty *DefinitionError alone, got %v", err)
			}
			return
		}
		if !json.Valid(form.Schema()) {
			t.Fatal("the schema is not JSON")
		}
		_, _ = form.Check([]byte(`{"form":"`+form.ID()+`","date":"2026-12-04","answers":{}}`), On(civil.MustDate(2026, 12, 4)))
	})
}

// FuzzRecord records arbitrary submissions to the model form: a submission
// Check refuses cannot be recorded at all (there is no *Checked), and a
// checked one is recorded whole or, when the record refuses it, not at
// all.
func FuzzRecord(f *testing.F) {
	form, seed := modelAndSeed(f)
	f.Add(seed)
	f.Add([]byte(`{"form":"jp-model","date":"2026-12-04","answers":{"municipality_code":"131016","postal_code":"1000001","prefecture":"東京都","city":"千代田区","town":"1","troubles":["dv"],"applicant":{"family_name":"山田","given_name":"花子","family_kana":"ヤマダ","given_kana":"ハナコ"},"contact_ok":false,"consent_sharing":true,"consent_online_application":false}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := form.Check(data, On(civil.MustDate(2026, 12, 4)))
		if err != nil {
			return
		}
		svc, st := newService(t)
		ref, err := CreateCase(context.Background(), svc, formDesk, c, RecordOptions{SubmissionID: "FUZZ-1"})
		if err != nil {
			if n := rowCount(t, st); n != 0 {
				t.Fatalf("a refused submission wrote %d rows: %v", n, err)
			}
			return
		}
		if ref.CaseID == "" || ref.Members[selfID].PersonID == "" {
			t.Fatalf("recorded without a case or an applicant: %+v", ref)
		}
	})
}

// modelAndSeed is the model form and the sample submission, for seeds.
func modelAndSeed(f *testing.F) (*Form, []byte) {
	form, err := Model()
	if err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile("testdata/submission.json")
	if err != nil {
		f.Fatal(err)
	}
	return form, seed
}
