package forms

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func definitionProblems(t *testing.T, src string) []Problem {
	t.Helper()
	_, err := Parse([]byte(src), "bad.yaml")
	var de *DefinitionError
	require.True(t, errors.As(err, &de), "want a *DefinitionError, got %v", err)
	return de.Problems
}

func TestLoadProblemsHavePositions(t *testing.T) {
	const head = "form: {id: t, version: \"1\", title: T}\npages:\n  - id: p\n    title: P\n    fields:\n"
	cases := []struct {
		name   string
		fields string
		line   int
		col    int
		code   ProblemCode
		text   string
	}{
		{"unknown key with suggestion", "      - {id: a, type: text, label: A, requird: true}\n", 6, 39, ProblemUnknownKey, "「requird」という項目はありません（もしかして「required」？）"},
		{"unknown type", "      - {id: a, type: txt, label: A}\n", 6, 23, ProblemInvalid, "もしかして \"text\""},
		{"missing label", "      - {id: a, type: text}\n", 6, 9, ProblemMissing, "「label」を書いてください"},
		{"bad id", "      - {id: Name, type: text, label: A}\n", 6, 14, ProblemInvalid, "\"Name\" は形式が違います"},
		{"wrong value type", "      - {id: a, type: text, label: A, required: yes please}\n", 6, 49, ProblemType, "真偽値"},
		{"duplicate id", "      - {id: a, type: text, label: A}\n      - {id: a, type: text, label: B}\n", 7, 14, ProblemDuplicate, "2回あります"},
		{"cel syntax", "      - {id: a, type: bool, label: A}\n      - {id: b, type: text, label: B, visible_if: \"a &&\"}\n", 7, 55, ProblemCEL, "表示条件が読めません"},
		{"cel unknown name", "      - {id: a, type: bool, label: A}\n      - {id: b, type: text, label: B, visible_if: \"c == 1\"}\n", 7, 52, ProblemCEL, "表示条件が読めません"},
		{"cel not bool", "      - {id: a, type: int, label: A}\n      - {id: b, type: text, label: B, visible_if: \"a + 1\"}\n", 7, 52, ProblemCEL, "真偽値"},
		{"cel reads a later field", "      - {id: b, type: text, label: B, visible_if: \"a\"}\n      - {id: a, type: bool, label: A}\n", 6, 52, ProblemCEL, "後にある項目 a"},
		{"fact not a fact", "      - {id: a, type: text, label: A, fact: situaton}\n", 6, 45, ProblemBinding, "世帯の事実 \"situaton\" はありません"},
		{"fact type", "      - {id: a, type: text, label: A, fact: de_facto_partner}\n", 6, 45, ProblemBinding, "型 bool"},
		{"member fact outside member group", "      - {id: a, type: date, label: A, fact: birth_date}\n", 6, 45, ProblemBinding, "世帯員の事実です"},
		{"enum value", "      - id: a\n        type: choice\n        label: A\n        fact: situation\n        choices: [{value: divorsed, label: 離婚}]\n", 6, 9, ProblemBinding, "選択肢 \"divorsed\" は situation に使えません"},
		{"record not a record", "      - {id: a, type: text, label: A, record: person.nickname}\n", 6, 47, ProblemBinding, "記録の項目 \"person.nickname\" はありません"},
		{"units on text", "      - {id: a, type: text, label: A, units: true}\n", 6, 9, ProblemInvalid, "units は yen の項目だけ"},
		{"choices missing", "      - {id: a, type: choice, label: A}\n", 6, 9, ProblemInvalid, "choices: は choice・choices の項目に書き"},
		{"consent without spec", "      - {id: a, type: consent, label: A}\n", 6, 9, ProblemInvalid, "consent: を書き"},
		{"consent category my_number", "      - id: a\n        type: consent\n        label: A\n        consent: {purposes: [sharing], actions: [view], categories: [my_number], recipients: [{kind: department, code: x, name: X}], notice: N, notice_version: \"1\"}\n", 9, 70, ProblemInvalid, "\"my_number\" は使えません"},
		{"local fact without category", "      - {id: a, type: bool, label: A, fact: extra.x}\n", 6, 45, ProblemBinding, "category（program・consultation・health_disability など）を書いてください"},
		{"category without local fact", "      - {id: a, type: bool, label: A, fact: de_facto_partner, category: household}\n", 6, 73, ProblemBinding, "category は fact が extra. の項目にだけ"},
		{"local fact category my_number", "      - {id: a, type: bool, label: A, fact: extra.x, category: my_number}\n", 6, 64, ProblemInvalid, "my_number"},
		{"two categories for one local fact", "      - {id: a, type: bool, label: A, fact: extra.x, category: program}\n      - {id: b, type: bool, label: B, fact: extra.x, category: health_disability}\n", 7, 64, ProblemBinding, "extra.x の category が別の項目（program）と違います"},
		{"income outside member", "      - {id: a, type: yen, label: A, fact: \"incomes[-1].salary_revenue\"}\n", 6, 44, ProblemBinding, "member:"},
		{"income year", "      - id: g\n        type: group\n        label: G\n        member: self\n        fields:\n          - {id: a, type: yen, label: A, fact: \"incomes[-9].salary_revenue\"}\n", 11, 48, ProblemBinding, "incomes[-1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := definitionProblems(t, head+c.fields)
			var found *Problem
			for i := range ps {
				if ps[i].Code == c.code && strings.Contains(ps[i].Message, c.text) {
					found = &ps[i]
				}
			}
			require.NotNil(t, found, "no %s problem containing %q in %v", c.code, c.text, ps)
			assert.Equal(t, "bad.yaml", found.File)
			assert.Equal(t, c.line, found.Line, "%v", found)
			assert.Equal(t, c.col, found.Col, "%v", found)
		})
	}
}

// TestLoadGuaranteesValidHouseholds: what the facts model refuses is
// refused when the form is loaded, so that Check need not re-validate
// every household.
func TestLoadGuaranteesValidHouseholds(t *testing.T) {
	const head = "form: {id: t, version: \"1\", title: T}\npages:\n  - id: p\n    title: P\n    fields:\n"
	cases := []struct{ name, fields, text string }{
		{"birth date may be after the form date", "      - {id: me, type: group, label: M, member: self, fields: [{id: b, type: date, label: B, fact: birth_date}]}\n", "past: true"},
		{"grade area without bounds", "      - {id: g, type: int, label: G, fact: grade_area}\n", "1〜3"},
		{"grade area choice out of range", "      - {id: g, type: choice, label: G, fact: grade_area, choices: [{value: \"4\", label: 4級地}]}\n", "1〜3"},
		{"too many members", "      - {id: me, type: group, label: M, member: self, fields: [{id: x, type: text, label: X}]}\n      - {id: k, type: list, label: K, member: child, max_items: 19, fields: [{id: x, type: text, label: X}]}\n      - {id: o, type: list, label: O, member: other, max_items: 5, fields: [{id: x, type: text, label: X}]}\n", "max_items"},
		{"long extra text", "      - {id: e, type: text, label: E, multiline: true, fact: extra.note, category: consultation}\n", "200 文字"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := definitionProblems(t, head+c.fields)
			assert.Contains(t, fmt.Sprint(ps), c.text)
		})
	}
}

func TestCheckGradeFitsKind(t *testing.T) {
	f := mustParse(t, `
form: {id: g, version: "1", title: G}
pages:
  - id: p
    title: P
    fields:
      - id: me
        type: group
        label: 本人
        member: self
        fields:
          - {id: kind, type: choice, label: 手帳, fact: disability.kind, choices: [{value: none, label: なし}, {value: physical, label: 身体}]}
          - {id: grade, type: choice, label: 等級, fact: disability.grade, choices: [{value: "1", label: 1級}, {value: A, label: A}]}
`)
	_, err := f.Check([]byte(`{"form":"g","date":"2026-12-04","answers":{"me":{"kind":"physical","grade":"1"}}}`))
	require.NoError(t, err)
	for _, bad := range []string{`{"kind":"none","grade":"1"}`, `{"kind":"physical","grade":"A"}`} {
		_, err = f.Check([]byte(`{"form":"g","date":"2026-12-04","answers":{"me":` + bad + `}}`))
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), bad)
		assert.Equal(t, CodeFacts, ve.Errors[0].Code)
	}
}

func TestLoadWholeFileProblems(t *testing.T) {
	ps := definitionProblems(t, "pages: []\n")
	assert.Contains(t, fmt.Sprint(ps), "「form」を書いてください")
	ps = definitionProblems(t, "form: [\n")
	assert.Equal(t, ProblemSyntax, ps[0].Code)
	ps = definitionProblems(t, "form: {id: t, version: \"1\", title: T, kind: application}\npages: []\n")
	assert.Contains(t, fmt.Sprint(ps), "application: を書いてください")
	ps = definitionProblems(t, strings.Repeat("#", MaxDefinitionSize+1))
	assert.Contains(t, ps[0].Message, "大きすぎます")
}

func TestLoadFromFS(t *testing.T) {
	fsys := fstest.MapFS{"f.yaml": {Data: []byte(testForm)}}
	f, err := Load(fsys, "f.yaml")
	require.NoError(t, err)
	assert.Equal(t, "test-form", f.ID())
	assert.Equal(t, "1", f.Version())
	_, err = Load(fsys, "missing.yaml")
	assert.Error(t, err)
}

func TestPagesAreCopies(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	pages := f.Pages()
	require.NotEmpty(t, pages)
	pages[0].Fields[0].Label = "changed"
	pages[0].Fields[0].Choices = nil
	for i := range pages {
		for j := range pages[i].Fields {
			if pages[i].Fields[j].Consent != nil {
				pages[i].Fields[j].Consent.Recipients[0].Code = "changed"
			}
		}
	}
	again := f.Pages()
	assert.NotEqual(t, "changed", again[0].Fields[0].Label)
	for i := range again {
		for j := range again[i].Fields {
			if again[i].Fields[j].Consent != nil {
				assert.NotEqual(t, "changed", again[i].Fields[j].Consent.Recipients[0].Code)
			}
		}
	}
	fd, ok := f.Field("children[].birth_date")
	require.True(t, ok)
	assert.Equal(t, "生年月日", fd.Label)
	assert.Equal(t, "birth_date", fd.Fact)
}

func TestModelFormCovers(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	var ids []string
	for _, p := range f.Pages() {
		ids = append(ids, p.ID)
	}
	// the pages the national programme's model form has (issue 14)
	assert.Equal(t, []string{"sumai", "komarigoto", "setai", "shotoku", "riyouchu", "shuro", "renraku", "renrakusaki", "doui"}, ids)
	var consents int
	for _, n := range f.consents {
		consents++
		assert.NotEmpty(t, n.f.Consent.Notice)
	}
	assert.Equal(t, 4, consents)
}
