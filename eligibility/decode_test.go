package eligibility

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const contractHousehold = `{
  "id": "h1",
  "municipality_code": "131016",
  "situation": "divorced",
  "de_facto_partner": false,
  "members": [
    {"id": "p", "relation": "self", "birth_date": "1988-07-15",
     "incomes": [{"year": 2024, "salary_revenue": 2400000, "child_support_received": 360000}]},
    {"id": "c1", "relation": "child", "birth_date": "2016-05-01",
     "disability": {"kind": "physical", "grade": "3"}}
  ],
  "receiving": ["child-allowance"]
}`

func TestDecodeContractHousehold(t *testing.T) {
	h, err := DecodeHousehold([]byte(contractHousehold))
	require.NoError(t, err)
	assert.Equal(t, "h1", h.ID)
	assert.Equal(t, SituationDivorced, *h.Situation)
	require.Len(t, h.Members, 2)
	self := h.Self()
	require.NotNil(t, self)
	inc := self.IncomeFor(2024)
	require.NotNil(t, inc)
	assert.Equal(t, int64(2400000), *inc.SalaryRevenue)
	assert.Nil(t, inc.PensionRevenue, "absent means unknown, not zero")
	assert.Nil(t, self.IncomeFor(2023))
	assert.Nil(t, h.Members[1].Incomes, "a child's incomes are unknown when absent")
	assert.Equal(t, "3", h.Members[1].Disability.Grade)
	assert.Equal(t, []string{"child-allowance"}, h.Receiving)
	assert.Nil(t, h.GradeArea)

	// The Go form round-trips through encoding/json.
	out, err := json.Marshal(h)
	require.NoError(t, err)
	var back Household
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, h, &back)
}

func TestDecodeZeroIsNotUnknown(t *testing.T) {
	h, err := DecodeHousehold([]byte(`{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":0,"pension_revenue":null}]}]}`))
	require.NoError(t, err)
	inc := h.Members[0].Incomes[0]
	require.NotNil(t, inc.SalaryRevenue)
	assert.Equal(t, int64(0), *inc.SalaryRevenue)
	assert.Nil(t, inc.PensionRevenue, "null is not known, like absent")
	assert.Equal(t, []string(nil), h.Receiving)
	h2, err := DecodeHousehold([]byte(`{"members":[{"relation":"self"}],"receiving":[]}`))
	require.NoError(t, err)
	assert.NotNil(t, h2.Receiving, "an empty list is known: none")
}

func TestDecodeErrors(t *testing.T) {
	// at is the text the error must point at (its first occurrence).
	tests := []struct {
		name, src, path, msg, at string
	}{
		{"unknown key with suggestion", `{"members":[{"relation":"self","birth_dat":"2000-01-01"}]}`, "members[0].birth_dat", `もしかして "birth_date"`, `"birth_dat"`},
		{"unknown key without suggestion", `{"members":[{"relation":"self"}],"zzzzzzzz":1}`, "zzzzzzzz", "使える項目", `"zzzzzzzz"`},
		{"wrong type", `{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":"240万"}]}]}`, "members[0].incomes[0].salary_revenue", "円単位の整数", `"240万"`},
		{"impossible date", "{\"members\":[\n{\"relation\":\"self\",\"birth_date\":\"2023-02-29\"}]}", "members[0].birth_date", "存在しない日付", `"2023-02-29"`},
		{"unreadable date", `{"members":[{"relation":"self","birth_date":"令和5年1月1日"}]}`, "members[0].birth_date", "YYYY-MM-DD", `"令和`},
		{"negative yen", `{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":-1}]}]}`, "members[0].incomes[0].salary_revenue", "負の金額", `-1`},
		{"fractional yen", `{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":1.5}]}]}`, "members[0].incomes[0].salary_revenue", "整数", `1.5`},
		{"bad enum", `{"situation":"divorsed","members":[{"relation":"self"}]}`, "situation", "使える値", `"divorsed"`},
		{"no applicant", `{"members":[{"relation":"child"}]}`, "members", "申請者", `[`},
		{"two applicants", `{"members":[{"relation":"self"},{"relation":"self"}]}`, "members[1].relation", "1人だけ", `"self"}]`},
		{"no members", `{"id":"x"}`, "members", "必須", `{`},
		{"duplicate member id", `{"members":[{"id":"a","relation":"self"},{"id":"a","relation":"child"}]}`, "members[1].id", "重複", `"a","relation":"child"`},
		{"duplicate income year", `{"members":[{"relation":"self","incomes":[{"year":2024},{"year":2025}, {"year":2024}]}]}`, "members[0].incomes[2].year", "2回", `2024}]`},
		{"check digit", `{"municipality_code":"131017","members":[{"relation":"self"}]}`, "municipality_code", "131016", `"131017"`},
		{"grade", `{"members":[{"relation":"self","disability":{"kind":"physical","grade":"8"}}]}`, "members[0].disability.grade", "1", `"8"`},
		{"too many members", `{"members":[` + strings.Repeat(`{"relation":"child"},`, MaxMembers) + `{"relation":"self"}]}`, "members", "20 件まで", `[`},
		{"income year out of range", `{"members":[{"relation":"self","incomes":[{"year":1900}]}]}`, "members[0].incomes[0].year", "範囲", `1900`},
		{"syntax", `{"members": [}`, "", "JSON の書き方", `}`},
		{"extra key", `{"members":[{"relation":"self"}],"extra":{"Bad Key":1}}`, "extra.Bad Key", "英小文字", `"Bad Key"`},
		{"receiving id", `{"members":[{"relation":"self"}],"receiving":["Child Allowance"]}`, "receiving[0]", "制度ID", `"Child Allowance"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeHousehold([]byte(tc.src))
			require.Error(t, err)
			var fe *FactsError
			require.True(t, errors.As(err, &fe), "%T", err)
			require.NotEmpty(t, fe.Errors)
			e := fe.Errors[0]
			assert.Equal(t, tc.path, e.Path)
			assert.Contains(t, e.Message, tc.msg)
			line, col := posOf(tc.src, tc.at)
			assert.Equal(t, line, e.Line, "line")
			assert.Equal(t, col, e.Col, "col")
		})
	}
}

// posOf returns the 1-based line and column (in characters) of the first
// occurrence of at in src.
func posOf(src, at string) (int, int) {
	i := strings.Index(src, at)
	if i < 0 {
		panic("marker not found: " + at)
	}
	before := src[:i]
	line := strings.Count(before, "\n") + 1
	if j := strings.LastIndex(before, "\n"); j >= 0 {
		before = before[j+1:]
	}
	return line, utf8.RuneCountInString(before) + 1
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	_, err := DecodeHousehold([]byte(`{"situation":"x","members":[{"relation":"self","birth_date":"bad","sex":"x"}]}`))
	var fe *FactsError
	require.ErrorAs(t, err, &fe)
	assert.Len(t, fe.Errors, 3)
}

func TestMunicipalityCheckDigit(t *testing.T) {
	for _, ok := range []string{"131016", "011002", "131041", "131130", "271004", "13101"} {
		assert.Empty(t, checkMunicipalityCode(ok), ok)
	}
	for _, bad := range []string{"131017", "1310", "48100", "13a01", "001007"} {
		assert.NotEmpty(t, checkMunicipalityCode(bad), bad)
	}
}

func TestHouseholdReader(t *testing.T) {
	src := `{"id":"a","members":[{"relation":"self"}]}
{"id":"b","members":[{"relation":"selff"}]}
{"id":"c","members":[{"relation":"self"}]}
`
	r := NewHouseholdReader(strings.NewReader(src), "in.jsonl")
	var ids []string
	var errs []string
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		ids = append(ids, h.ID)
	}
	assert.Equal(t, []string{"a", "c"}, ids)
	require.Len(t, errs, 1)
	assert.True(t, strings.HasPrefix(errs[0], "in.jsonl:2:34: 2件目: members[0].relation:"), errs[0])
}

func FuzzDecodeHousehold(f *testing.F) {
	f.Add([]byte(contractHousehold))
	f.Add([]byte(`{"members":[{"relation":"self","incomes":[{"year":2024,"salary_revenue":0}]}],"extra":{"a":[1,"x",true]}}`))
	f.Add([]byte(`[{"members":[{"relation":"self"}]},{"members":[]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeHousehold(data)
		if err != nil {
			var fe *FactsError
			if !errors.As(err, &fe) || len(fe.Errors) == 0 {
				t.Fatalf("error %T without positioned problems: %v", err, err)
			}
			_ = err.Error()
			return
		}
		if h.Self() == nil {
			t.Fatal("decoded household without an applicant")
		}
		// What decodes, re-encodes and decodes to the same facts.
		out, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		h2, err := DecodeHousehold(out)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, _ := json.Marshal(h2)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed the facts:\n%s\n%s", out, out2)
		}
		r := NewHouseholdReader(strings.NewReader(string(data)), "")
		for i := 0; i < 100; i++ {
			if _, err := r.Next(); err == io.EOF {
				break
			}
		}
	})
}

func TestValidateGoBuiltHousehold(t *testing.T) {
	neg := int64(-1)
	h := &Household{Members: []Member{{Relation: RelationSelf, Incomes: []Income{{Year: 2024, SalaryRevenue: &neg}}}, {Relation: "grandchild"}}}
	err := h.Validate()
	var fe *FactsError
	require.ErrorAs(t, err, &fe)
	require.Len(t, fe.Errors, 2)
	assert.Equal(t, "members[0].incomes[0].salary_revenue", fe.Errors[0].Path)
	assert.Equal(t, 0, fe.Errors[0].Line, "no positions for Go values")
	assert.Equal(t, "members[1].relation", fe.Errors[1].Path)
	ok := &Household{Members: []Member{{Relation: RelationSelf}}}
	assert.NoError(t, ok.Validate())
}

func FuzzLoadPack(f *testing.F) {
	for _, p := range []string{"testdata/samplepack/pack.yaml", "testdata/samplepack/parameters.yaml", "testdata/samplepack/programs.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("pack: {id: t, version: '1', title: t, jurisdiction: {level: national, code: JP}}\nprograms: [{id: p, name: n, category: c, sources: [{title: t}], effective: {from: 2020-01-01}, conditions: [{reason: r, expr: 'household.members.size() > 0'}]}]\n"))
	base, err := os.ReadFile("testdata/samplepack/pack.yaml")
	if err != nil {
		f.Fatal(err)
	}
	params, err := os.ReadFile("testdata/samplepack/parameters.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The fuzzed file sits beside a valid pack's metadata and parameters,
		// so that programmes written in it reach the compiler.
		fsys := fstest.MapFS{
			"pack.yaml":       {Data: base},
			"parameters.yaml": {Data: params},
			"fuzz.yaml":       {Data: data},
		}
		if _, err := LoadRuleTests(fstest.MapFS{"tests/t.yaml": {Data: data}}, "fuzz"); err != nil {
			var pe *PackError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("rule-test error %T without problems: %v", err, err)
			}
		}
		// Compiling is fuzzed expression by expression in FuzzRuleExpression,
		// which is fast enough to explore.
		p, err := LoadPack(fsys, "fuzz")
		if err != nil {
			var pe *PackError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("error %T without problems: %v", err, err)
			}
			return
		}
		if p.ID == "" {
			t.Fatal("a loaded pack without an id")
		}
	})
}

func BenchmarkDecodeHousehold(b *testing.B) {
	data := []byte(benchHousehold)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeHousehold(data); err != nil {
			b.Fatal(err)
		}
	}
}
