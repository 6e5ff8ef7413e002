package eligibility

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/internal/docnode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadSample(t testing.TB, dirs ...string) *Engine {
	t.Helper()
	var packs []*Pack
	for _, d := range dirs {
		p, err := LoadPack(os.DirFS(d), d)
		require.NoError(t, err)
		packs = append(packs, p)
	}
	e, err := Compile(packs)
	require.NoError(t, err)
	return e
}

func household(t testing.TB, js string) *Household {
	t.Helper()
	h, err := DecodeHousehold([]byte(js))
	require.NoError(t, err)
	return h
}

// parent builds a divorced applicant with the given income entry JSON and
// children (birth dates).
func parent(income string, children ...string) string {
	var b strings.Builder
	b.WriteString(`{"id":"h","situation":"divorced","de_facto_partner":false,"members":[{"id":"p","relation":"self","resides_in_japan":true`)
	if income != "" {
		b.WriteString(`,"incomes":[` + income + `]`)
	}
	b.WriteString(`}`)
	for i, c := range children {
		b.WriteString(`,{"id":"c` + string(rune('1'+i)) + `","relation":"child","birth_date":"` + c + `"}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

func TestScreenChildRearingAllowance(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	inc := func(business int) string {
		return `{"year":2023,"business_income":` + itoa(business) + `,"other_income":0,"child_support_received":0}`
	}
	tests := []struct {
		name    string
		facts   string
		asOf    string
		status  Status
		amount  int64 // -1: no amount
		missing []string
	}{
		// 所得額 = business − 80,000; one child: full limit 1,070,000, partial 2,460,000 (from 2024-11).
		{"full payment, one yen below the full limit", parent(inc(1_149_999), "2015-05-01"), "2025-06-01", Eligible, 46690, nil},
		{"partial at the full limit: 46,690 − 10", parent(inc(1_150_000), "2015-05-01"), "2025-06-01", Eligible, 46680, nil},
		{"partial, formula rounds the subtracted term", parent(inc(1_840_000), "2015-05-01"), "2025-06-01", Eligible, 28970, nil},
		{"one yen below the partial limit: the minimum", parent(inc(2_539_999), "2015-05-01"), "2025-06-01", Eligible, 11010, nil},
		{"at the partial limit: nothing", parent(inc(2_540_000), "2015-05-01"), "2025-06-01", Ineligible, -1, nil},
		{"second child add-on", parent(inc(0), "2015-05-01", "2018-01-01"), "2025-06-01", Eligible, 46690 + 11030, nil},
		{"FY2023 amounts and pre-reform limits", parent(`{"year":2021,"business_income":570000,"other_income":0,"child_support_received":0}`, "2015-05-01"), "2023-06-01", Eligible, 44140, nil},
		{"the income year switches in November", parent(`{"year":2024,"business_income":0,"other_income":0,"child_support_received":0}`, "2015-05-01"), "2025-11-01", Eligible, 46690, nil},
		{"unknown income: undetermined, asks for that year", parent("", "2015-05-01"), "2025-06-01", Undetermined, -1, []string{"members[0].incomes[year=2023]"}},
		{"income of another year does not help", parent(`{"year":2024,"business_income":0}`, "2015-05-01"), "2025-06-01", Undetermined, -1, []string{"members[0].incomes[year=2023]"}},
		{"zero is known, absent is not", parent(`{"year":2023,"business_income":0}`, "2015-05-01"), "2025-06-01", Undetermined, -1,
			[]string{"members[0].incomes[year=2023].child_support_received", "members[0].incomes[year=2023].other_income"}},
		{"child past 18歳年度末: ineligible", parent(inc(0), "2006-04-02"), "2025-04-01", Undetermined, -1, []string{"members[1].disability"}},
		{"child born 1 April leaves a year earlier", parent(inc(0), "2007-04-01"), "2025-04-01", Undetermined, -1, []string{"members[1].disability"}},
		{"child reaching 18 stays until 31 March", parent(`{"year":2024,"business_income":0,"other_income":0,"child_support_received":0}`, "2007-04-02"), "2026-03-31", Eligible, 46690, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := e.Screen(context.Background(), household(t, tc.facts), d(tc.asOf))
			require.NoError(t, err)
			o := s.Outcome("child-rearing-allowance")
			require.NotNil(t, o)
			assert.Equal(t, tc.status, o.Status, "%+v", o)
			if tc.amount < 0 {
				if o.Status == Ineligible {
					assert.Nil(t, o.Amount)
				}
			} else {
				require.NotNil(t, o.Amount)
				assert.Equal(t, tc.amount, o.Amount.Yen)
				assert.Equal(t, PerMonth, o.Amount.Per)
			}
			var paths []string
			for _, m := range o.Missing {
				paths = append(paths, m.Path)
			}
			assert.Equal(t, tc.missing, paths)
		})
	}
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for v > 0 {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
	}
	return string(b)
}

func TestUnknownThatCannotMatterIsNotAsked(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	// A married applicant with no income given: ineligible whatever the
	// income, so nothing is asked.
	h := household(t, `{"situation":"married","de_facto_partner":false,"members":[{"relation":"self"},{"relation":"child","birth_date":"2015-05-01"}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("child-rearing-allowance")
	assert.Equal(t, Ineligible, o.Status)
	assert.Empty(t, o.Missing)
	require.Len(t, o.Conditions, 1, "without explanations only the failing condition is listed")
	assert.Equal(t, "父母の離婚・死別などの支給要件に該当すること", o.Conditions[0].Reason)
	assert.False(t, *o.Conditions[0].Result)

	// Situation unknown but income known: only the situation is asked.
	h = household(t, `{"de_facto_partner":false,"members":[{"relation":"self","incomes":[{"year":2023,"business_income":0,"other_income":0,"child_support_received":0}]},{"relation":"child","birth_date":"2015-05-01"}]}`)
	s, err = e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o = s.Outcome("child-rearing-allowance")
	assert.Equal(t, Undetermined, o.Status)
	require.Len(t, o.Missing, 1)
	assert.Equal(t, "situation", o.Missing[0].Path)
	assert.Equal(t, "ひとり親になった事情", o.Missing[0].Label)
	require.NotNil(t, o.Amount, "the amount is known even while eligibility is not")
	assert.Equal(t, int64(46690), o.Amount.Yen)
}

func TestChildAllowanceRanking(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	// Children aged 20 (supported), 17, 14, 7 and 2 on 2025-06-01:
	// 0 + 10,000 + 30,000 + 30,000 + 30,000 (other-programmes.md §1).
	facts := `{"situation":"divorced","members":[{"relation":"self"},
	 {"id":"a","relation":"child","birth_date":"2005-01-10","supported":true},
	 {"id":"b","relation":"child","birth_date":"2008-03-01"},
	 {"id":"c","relation":"child","birth_date":"2010-12-24"},
	 {"id":"d","relation":"child","birth_date":"2018-02-02"},
	 {"id":"e","relation":"child","birth_date":"2023-01-15"}]}`
	s, err := e.Screen(context.Background(), household(t, facts), d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("child-allowance")
	require.Equal(t, Eligible, o.Status)
	require.NotNil(t, o.Amount)
	assert.Equal(t, int64(100000), o.Amount.Yen)

	// Whether the 20-year-old is supported decides the ranks: asked.
	unk := strings.Replace(facts, `,"supported":true`, ``, 1)
	s, err = e.Screen(context.Background(), household(t, unk), d("2025-06-01"))
	require.NoError(t, err)
	o = s.Outcome("child-allowance")
	assert.Equal(t, Eligible, o.Status)
	assert.Nil(t, o.Amount)
	require.Len(t, o.Missing, 1)
	assert.Equal(t, "members[1].supported", o.Missing[0].Path)
	assert.Equal(t, "a", o.Missing[0].MemberID)
	assert.Equal(t, "子（1人目）の生活費を負担しているか", o.Missing[0].Label)

	// Twins: the same birth date, ranked in household order.
	twins := `{"members":[{"relation":"self"},
	 {"relation":"child","birth_date":"2015-01-01"},
	 {"relation":"child","birth_date":"2020-06-01"},
	 {"relation":"child","birth_date":"2020-06-01"}]}`
	s, err = e.Screen(context.Background(), household(t, twins), d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, int64(10000+10000+30000), s.Outcome("child-allowance").Amount.Yen)
}

func TestEffectivePeriodAndLocalFacts(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	h := household(t, `{"members":[{"relation":"self","resides_in_japan":true}],"extra":{"wants_visit":true}}`)
	s, err := e.Screen(context.Background(), h, d("2026-01-01"))
	require.NoError(t, err)
	o := s.Outcome("visit-support")
	assert.Equal(t, Ineligible, o.Status)
	assert.Contains(t, o.Conditions[0].Reason, "2025-01-01 から 2025-12-31 まで")

	s, err = e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o = s.Outcome("visit-support")
	assert.Equal(t, Eligible, o.Status)
	assert.Equal(t, Money{Yen: 5000, Per: PerOnce}, *o.Amount)

	h = household(t, `{"members":[{"relation":"self","resides_in_japan":true}]}`)
	s, err = e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o = s.Outcome("visit-support")
	assert.Equal(t, Undetermined, o.Status)
	require.Len(t, o.Missing, 1)
	assert.Equal(t, "extra.wants_visit", o.Missing[0].Path)
}

func TestWarnings(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	facts := parent(`{"year":2024,"business_income":0,"other_income":0,"child_support_received":0}`, "2015-05-01", "2017-05-01", "2019-05-01")
	// FY2026 amounts are not in the pack: carried forward with the
	// parameter's own warning.
	s, err := e.Screen(context.Background(), household(t, facts), d("2026-06-01"))
	require.NoError(t, err)
	o := s.Outcome("child-rearing-allowance")
	require.Equal(t, Eligible, o.Status)
	assert.Equal(t, int64(46690+11030), o.Amount.Yen)
	require.NotEmpty(t, o.Warnings)
	assert.Equal(t, WarningCarriedForward, o.Warnings[0].Code)
	assert.Equal(t, "令和8年度の手当額は未登録のため令和7年度の額で計算しています", o.Warnings[0].Message)
	var params []string
	for _, w := range o.Warnings {
		params = append(params, w.Parameter)
	}
	assert.ElementsMatch(t, []string{"cra_full_first", "cra_full_second"}, params, "only the parameters the evaluation read")

	// Within FY2025 there is no warning.
	s, err = e.Screen(context.Background(), household(t, facts), d("2026-03-31"))
	require.NoError(t, err)
	assert.Empty(t, s.Outcome("child-rearing-allowance").Warnings)

	// Past a value's review-by date.
	s, err = e.Screen(context.Background(), household(t, facts), d("2026-10-01"))
	require.NoError(t, err)
	ws := s.Outcome("child-allowance").Warnings
	require.Len(t, ws, 1)
	assert.Equal(t, WarningPastReview, ws[0].Code)
	assert.Equal(t, "ca_third", ws[0].Parameter)
	assert.Contains(t, ws[0].Message, "2026-09-30")
}

func TestExplanations(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	facts := parent(`{"year":2023,"business_income":1840000,"other_income":0,"child_support_received":0}`, "2015-05-01")
	s, err := e.Screen(context.Background(), household(t, facts), d("2025-06-01"), WithExplanations())
	require.NoError(t, err)
	o := s.Outcome("child-rearing-allowance")
	require.Len(t, o.Conditions, 4, "every condition with explanations")
	for _, c := range o.Conditions {
		require.NotNil(t, c.Result)
		assert.True(t, *c.Result)
	}
	last := o.Conditions[3]
	assert.Equal(t, "所得額 1,760,000円、限度額 2,460,000円", last.Explanation)
	require.Len(t, last.Values, 2)
	assert.Equal(t, ValueUse{Name: "income", Description: "所得額（簡略化。事業所得＋その他の所得＋養育費の8割−8万円）", Value: int64(1760000)}, last.Values[0])
	byName := map[string]ValueUse{}
	for _, v := range o.Values {
		byName[v.Name] = v
	}
	assert.Equal(t, int64(28970), byName["first_child_amount"].Value)
	assert.Equal(t, int64(2023), byName["year"].Value)
	var coef *ParamUse
	for i := range o.Parameters {
		if o.Parameters[i].Name == "cra_coef_first" {
			coef = &o.Parameters[i]
		}
	}
	require.NotNil(t, coef)
	assert.Equal(t, "0.0256619", coef.Value)
	assert.Equal(t, "2025-04-01", coef.From.String())
	assert.Equal(t, "https://www.city.togane.chiba.jp/0000000309.html", coef.Source)
	assert.Equal(t, "児童扶養手当法施行令第2条の4第3項", coef.Reference)
	require.NotEmpty(t, o.Sources)
}

func TestLayering(t *testing.T) {
	e := loadSample(t, "testdata/samplepack", "testdata/samplelocal")
	assert.Len(t, e.Packs(), 2)
	h := household(t, `{"municipality_code":"131016","members":[{"relation":"self","resides_in_japan":true},
	 {"relation":"child","birth_date":"2012-05-01"},{"relation":"child","birth_date":"2008-05-01"}],"extra":{"wants_visit":true}}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, "sample-local", s.Pack.ID)
	require.Len(t, s.Pack.Layers, 2)
	assert.Equal(t, int64(8000), s.Outcome("visit-support").Amount.Yen, "the local pack overrides the parameter")
	lb := s.Outcome("local-bonus")
	require.NotNil(t, lb)
	assert.Equal(t, Eligible, lb.Status)
	assert.Equal(t, Money{Yen: 12000, Per: PerYear}, *lb.Amount, "one child aged 0–15")
	infos := e.Programs()
	assert.Equal(t, "sample-local", infos[len(infos)-1].Pack)
}

func TestLayeringErrors(t *testing.T) {
	base, err := LoadPack(os.DirFS("testdata/samplepack"), "base")
	require.NoError(t, err)
	local, err := LoadPack(os.DirFS("testdata/samplelocal"), "local")
	require.NoError(t, err)
	_, err = Compile([]*Pack{local})
	assert.ErrorContains(t, err, `"sample" に重ねるパック`)
	_, err = Compile([]*Pack{base, base})
	assert.ErrorContains(t, err, "2回指定")

	redefine := packFS(map[string]string{"pack.yaml": `pack: {id: other, version: "1", title: t, extends: sample, jurisdiction: {level: municipality, code: "131016"}}
parameters:
  limit_step:
    title: x
    type: yen
    values: [{from: 2020-01-01, value: 1, source: "https://example.org"}]
`})
	p, err := LoadPack(redefine, "redefine")
	require.NoError(t, err)
	_, err = Compile([]*Pack{base, p})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "override: true を書いてください")
	assert.Contains(t, err.Error(), "redefine/pack.yaml:3:3")
}

func packFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

const minimalPack = `pack: {id: t, version: "1", title: テスト, jurisdiction: {level: national, code: JP}}
parameters:
  rate:
    title: 率
    type: decimal
    values: [{from: 2020-01-01, value: 0.8, source: "https://example.org/r"}]
  limit:
    title: 限度額
    type: yen
    values: [{from: 2020-01-01, value: 1000, source: "https://example.org/l"}]
`

// program returns a pack whose one programme has the given body lines
// (indented under the programme).
func programPack(body string) fstest.MapFS {
	return packFS(map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs:\n  - id: p\n    name: テスト\n    category: 手当\n    sources: [{title: テスト}]\n    effective: {from: 2020-01-01}\n" + body})
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name, body string
		code       ProblemCode
		msg        string
		at         string // text the problem points at in p.yaml
	}{
		{"typo in a fact", "    conditions:\n      - reason: r\n        expr: household.situaton == 'divorced'\n", "cel", `もしかして "situation"`, ".situaton"},
		{"unknown name", "    conditions:\n      - reason: r\n        expr: houshold.situation == 'divorced'\n", "cel", `もしかして "household"`, "houshold"},
		{"parameter without params.", "    conditions:\n      - reason: r\n        expr: limit > 0\n", "cel", "params.limit と書きます", "limit >"},
		{"value used before it is defined", "    values:\n      - name: a\n        expr: b + 1\n      - name: b\n        expr: \"1\"\n    conditions:\n      - reason: r\n        expr: a > 0\n", "cel", "後で定義", "b + 1"},
		{"condition that is not a boolean", "    conditions:\n      - reason: r\n        expr: params.limit + 1\n", "type", "真偽値", "params.limit + 1"},
		{"amount left as a decimal", "    conditions:\n      - reason: r\n        expr: \"true\"\n    amount:\n      per: month\n      expr: decimal(params.limit) * params.rate\n", "type", "round_yen", "decimal(params.limit)"},
		{"int times decimal", "    conditions:\n      - reason: r\n        expr: \"true\"\n    amount:\n      per: month\n      expr: round_yen(params.limit * params.rate, 1, 'half_up')\n", "cel", "decimal(x)", "* params.rate"},
		{"float literal", "    conditions:\n      - reason: r\n        expr: params.limit * 0.8 > 1\n", "cel", "decimal('0.8')", "* 0.8"},
		{"impossible date literal", "    conditions:\n      - reason: r\n        expr: as_of < date('2025-02-30')\n", "invalid", "日付として読めません", "'2025-02-30'"},
		{"unknown enum value", "    conditions:\n      - reason: r\n        expr: household.situation in ['divorced', 'divorsed']\n", "invalid", `"divorsed" は situation`, "'divorsed'"},
		{"unknown relation in count", "    conditions:\n      - reason: r\n        expr: household.count('childs') > 0\n", "invalid", `"childs"`, "'childs'"},
		{"unknown rounding mode", "    conditions:\n      - reason: r\n        expr: round_yen(decimal(1), 1, 'round') > 0\n", "invalid", "丸め方", "'round'"},
		{"round_yen without a mode", "    conditions:\n      - reason: r\n        expr: round_yen(decimal(params.limit), 10) > 0\n", "cel", "関数 round_yen に渡した引数 (onestop.Decimal, int) の数か型が合いません。丸め方を3つ目の引数に書いてください", ""},
		{"odd rounding unit", "    conditions:\n      - reason: r\n        expr: round_yen(decimal(1), 5, 'down') > 0\n", "invalid", "丸めの単位 5", "5, 'down'"},
		{"syntax error in a block", "    conditions:\n      - reason: r\n        expr: |\n          household.members.size() > 0 &&\n            (as_of > date('2020-01-01')\n", "cel", "書き方に誤り", ""},
		{"unknown key", "    conditons:\n      - reason: r\n        expr: \"true\"\n", "unknown-key", `もしかして "conditions"`, "conditons"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := programPack(tc.body)
			p, err := LoadPack(fsys, "pk")
			if err == nil {
				_, err = Compile([]*Pack{p})
			}
			require.Error(t, err)
			var pe *PackError
			require.True(t, errors.As(err, &pe), "%T", err)
			var found *Problem
			for i := range pe.Problems {
				if pe.Problems[i].Code == tc.code && strings.Contains(pe.Problems[i].Message, tc.msg) {
					found = &pe.Problems[i]
				}
			}
			require.NotNil(t, found, "want %s %q in:\n%v", tc.code, tc.msg, err)
			assert.Equal(t, "pk/p.yaml", found.File)
			if tc.at != "" {
				src := string(fsys["p.yaml"].Data)
				line, col := posOf(src, tc.at)
				assert.Equal(t, line, found.Line, "line: %v", found)
				assert.Equal(t, col, found.Col, "col: %v", found)
			} else {
				assert.Greater(t, found.Line, 6)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		msg   string
	}{
		{"no pack metadata", map[string]string{"p.yaml": "parameters: {}\n"}, "pack:"},
		{"empty directory", map[string]string{}, "ファイル"},
		{"missing sources", map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs:\n  - id: p\n    name: n\n    category: c\n    effective: {from: 2020-01-01}\n    conditions: [{reason: r, expr: 'true'}]\n"}, "sources:"},
		{"overlapping values", map[string]string{"pack.yaml": minimalPack + "  x:\n    title: x\n    type: yen\n    values:\n      - {from: 2020-01-01, until: 2021-12-31, value: 1, source: 'https://e.org'}\n      - {from: 2021-04-01, value: 2, source: 'https://e.org'}\n"}, "期間が重なっています"},
		{"values out of order", map[string]string{"pack.yaml": minimalPack + "  x:\n    title: x\n    type: yen\n    values:\n      - {from: 2021-01-01, value: 1, source: 'https://e.org'}\n      - {from: 2020-04-01, value: 2, source: 'https://e.org'}\n"}, "古い順"},
		{"fractional yen", map[string]string{"pack.yaml": minimalPack + "  x:\n    title: x\n    type: yen\n    values: [{from: 2020-01-01, value: 1.5, source: 'https://e.org'}]\n"}, "整数"},
		{"source not a URL", map[string]string{"pack.yaml": minimalPack + "  x:\n    title: x\n    type: yen\n    values: [{from: 2020-01-01, value: 1, source: 児童扶養手当法}]\n"}, "URL"},
		{"unknown type", map[string]string{"pack.yaml": minimalPack + "  x:\n    title: x\n    type: money\n    values: [{from: 2020-01-01, value: 1, source: 'https://e.org'}]\n"}, "使える型"},
		{"duplicate programme", map[string]string{"pack.yaml": minimalPack, "a.yaml": "programs: [{id: p, name: n, category: c, sources: [{title: t}], effective: {from: 2020-01-01}, conditions: [{reason: r, expr: 'true'}]}]\n", "b.yaml": "programs: [{id: p, name: n, category: c, sources: [{title: t}], effective: {from: 2020-01-01}, conditions: [{reason: r, expr: 'true'}]}]\n"}, "でも使われています"},
		{"reserved value name", map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs: [{id: p, name: n, category: c, sources: [{title: t}], effective: {from: 2020-01-01}, values: [{name: household, expr: '1'}], conditions: [{reason: r, expr: 'true'}]}]\n"}, "予約された名前"},
		{"yaml colon trap", map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs:\n  - id: p\n    name: n\n    category: c\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: r\n        expr: as_of > date('2020-01-01') ? true : false\n"}, "expr: | と書き、式は次の行から"},
		{"yaml duplicate key", map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs:\n  - id: p\n    name: a\n    name: b\n"}, `YAML の書き方に誤りがあります: 項目 "name" が2回書かれています`},
		{"yaml colon in text", map[string]string{"pack.yaml": minimalPack, "p.yaml": "programs:\n  - id: p\n    name: 注意: 名前\n"}, "値全体を \"…\" で囲むか"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadPack(packFS(tc.files), "pk")
			require.Error(t, err)
			var pe *PackError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), tc.msg)
			// The full-width 「：」 once advised here breaks an expression.
			assert.NotContains(t, err.Error(), "全角の「：」")
		})
	}
}

func TestCostBudget(t *testing.T) {
	compile := func(expr string, opts ...Option) error {
		p, err := LoadPack(programPack("    conditions:\n      - reason: r\n        expr: "+expr+"\n"), "pk")
		require.NoError(t, err)
		_, err = Compile([]*Pack{p}, opts...)
		return err
	}
	// Three nested walks over the members: 20 × 20 × 20 at worst.
	triple := "household.members.all(a, household.members.all(b, household.members.all(c, a.relation == b.relation || b.relation == c.relation)))"
	err := compile(triple)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "上限 200000 を超えます")
	double := "household.members.all(a, household.members.all(b, a.relation == b.relation))"
	require.NoError(t, compile(double), "within the default budget")
	err = compile(double, WithCostBudget(1000))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "上限 1000 を超えます")
	assert.ErrorIs(t, err, ProblemCost, "the code is typed: errors.Is finds it")
	assert.NotErrorIs(t, err, ProblemCEL)
	// Comparing members (identity) is cheap, even inside comprehensions.
	require.NoError(t, compile("household.members.filter(m, household.members.exists(o, o != m)).size() >= 0"))
}

func TestRuntimeErrorStaysOnItsProgramme(t *testing.T) {
	body := "    values:\n      - name: n\n        expr: household.count('child')\n    conditions:\n      - reason: r\n        expr: params.limit / n > 10\n"
	fsys := programPack(body)
	fsys["q.yaml"] = &fstest.MapFile{Data: []byte("programs:\n  - id: q\n    name: 他の制度\n    category: 手当\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions: [{reason: r, expr: 'true'}]\n")}
	p, err := LoadPack(fsys, "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	assert.Equal(t, Undetermined, o.Status)
	require.NotNil(t, o.Error)
	assert.Contains(t, o.Error.Message, "division by zero")
	assert.Equal(t, "pk/p.yaml", o.Error.File)
	line, col := posOf(string(fsys["p.yaml"].Data), "/ n")
	assert.Equal(t, line, o.Error.Line)
	assert.Equal(t, col, o.Error.Col)
	assert.Equal(t, "要件 1", o.Error.Where)
	assert.Equal(t, Eligible, s.Outcome("q").Status, "the other programme still evaluates")
}

func TestRunawayRuleIsStopped(t *testing.T) {
	body := "    conditions:\n      - reason: r\n        expr: lists.range(100000).all(i, lists.range(100).all(j, i + j >= 0))\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p}, WithCostBudget(1<<62), WithRuntimeCostLimit(1_000_000))
	require.NoError(t, err)
	h := household(t, `{"members":[{"relation":"self"}]}`)

	// The run-time cost limit stops it.
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	require.NotNil(t, o.Error)
	assert.Contains(t, o.Error.Message, "計算量の上限")

	// Without the limit (the default), cancelling the context stops it.
	e, err = Compile([]*Pack{p}, WithCostBudget(1<<62))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20_000_000) // 20 ms
	defer cancel()
	_, err = e.Screen(ctx, h, d("2025-06-01"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}

func TestScreenRefusesHouseholdsBeyondTheBounds(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	big := &Household{Members: make([]Member, MaxMembers+1)}
	big.Members[0].Relation = RelationSelf
	_, err := e.Screen(context.Background(), big, d("2025-06-01"))
	assert.ErrorIs(t, err, ErrTooLarge)
	long := &Household{ID: strings.Repeat("x", MaxStringLength+1), Members: []Member{{Relation: RelationSelf}}}
	_, err = e.Screen(context.Background(), long, d("2025-06-01"))
	assert.ErrorIs(t, err, ErrTooLarge)
	years := &Household{Members: []Member{{Relation: RelationSelf, Incomes: make([]Income, MaxIncomes+1)}}}
	_, err = e.Screen(context.Background(), years, d("2025-06-01"))
	assert.ErrorIs(t, err, ErrTooLarge)
	ok := &Household{ID: strings.Repeat("あ", MaxStringLength), Members: []Member{{Relation: RelationSelf}}}
	_, err = e.Screen(context.Background(), ok, d("2025-06-01"))
	assert.NoError(t, err, "200 characters (600 bytes) is within the bound")
}

func TestScreenArguments(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	_, err := e.Screen(context.Background(), &Household{}, d("2025-06-01"))
	assert.ErrorIs(t, err, ErrNoApplicant)
	h := household(t, `{"members":[{"relation":"self"}]}`)
	_, err = e.Screen(context.Background(), h, civil.Date{})
	assert.Error(t, err)
	_, err = e.Screen(context.Background(), h, d("2025-06-01"), OnlyPrograms("nope"))
	assert.ErrorContains(t, err, "nope")
	s, err := e.Screen(context.Background(), h, d("2025-06-01"), OnlyPrograms("child-allowance"))
	require.NoError(t, err)
	require.Len(t, s.Results, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = e.Screen(ctx, h, d("2025-06-01"))
	assert.ErrorIs(t, err, context.Canceled)
}

func TestProgramFacts(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	byID := map[string]ProgramInfo{}
	for _, p := range e.Programs() {
		byID[p.ID] = p
	}
	cra := byID["child-rearing-allowance"]
	assert.Subset(t, cra.Facts, []string{"situation", "de_facto_partner", "members[].birth_date", "members[].disability.kind",
		"members[].incomes[].business_income", "members[].incomes[].child_support_received"})
	assert.NotContains(t, cra.Facts, "extra", "a rule is only asked what it reads")
	assert.NotContains(t, cra.Facts, "members[].resides_in_japan")
	assert.Equal(t, []string{"extra.wants_visit", "members[].relation", "members[].resides_in_japan"}, byID["visit-support"].Facts)
}

func TestWarningsOfThePack(t *testing.T) {
	body := "    values:\n      - name: unused\n        expr: \"1\"\n    conditions:\n      - reason: r\n        expr: \"true\"\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	var msgs []string
	for _, w := range e.Warnings() {
		msgs = append(msgs, w.Message)
	}
	assert.Contains(t, msgs, `値 "unused" はどの要件・金額・値からも使われていません`)
	assert.Contains(t, msgs, `パラメータ "rate" はどの制度からも使われていません`)
}

// FuzzRuleExpression compiles arbitrary expressions as a condition and an
// amount against the sample pack's environment and screens households with
// them: no expression may panic the compiler, the library or the engine.
func FuzzRuleExpression(f *testing.F) {
	for _, s := range []string{
		"household.members.exists(m, m.age_on(as_of) < 18)",
		"date(2025, 2, 29) < as_of",
		"as_of.add_months(-99999) < as_of",
		"table_with_step(params.cra_full_limits, params.limit_step, -1) > 0",
		"round_yen(decimal('1e3') * params.cra_coef_first, 7, 'x') > 0",
		"household.applicant().income(2023).salary_revenue > 0",
		"household.applicant().dependents(2024, household.members).count > 0",
		"household.applicant().income_measure(2031, 'child_rearing_allowance', 'parent') > 0",
		"resident_tax(2024, -1, 99, 9, true, true, true, true).exempt",
		"household.extra.x == 1",
		"first_march31_after_age(date('9999-12-31'), 9999) > as_of",
		"sum([9223372036854775807, 1]) > 0",
		"household.children().map(c, c.rank_among(household.members)).sum() > 0",
	} {
		f.Add(s)
	}
	base := loadSample(f, "testdata/samplepack")
	hs := []*Household{
		household(f, `{"members":[{"relation":"self"}]}`),
		household(f, benchHousehold),
		household(f, `{"situation":"divorced","members":[{"relation":"self","birth_date":"1952-02-29","incomes":[]},{"relation":"child","birth_date":"2025-06-01","disability":{"kind":"physical","grade":"1"}},{"relation":"parent","incomes":[{"year":2023,"pension_revenue":3000000,"salary_revenue":0,"business_income":0,"other_income":0}]}]}`),
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2000 {
			return
		}
		node := &docnode.Node{Kind: docnode.String, Text: src, Pos: docnode.Pos{Line: 1, Col: 1}}
		p := &Program{ID: "fuzz", Name: "fuzz", Effective: Period{From: civil.MustDate(2020, 1, 1)},
			Conditions: []Condition{{Reason: "r", Expr: Expr{Source: src, File: "fuzz.yaml", node: node}}},
			Amount:     &Amount{Per: PerMonth, Expr: Expr{Source: "size(household.members)", File: "fuzz.yaml", node: node}}}
		c := &compiler{opts: base.opts, engine: base, env: base.env, sources: map[string][]byte{"fuzz.yaml": []byte(src)}, usedParams: map[int]bool{}}
		cp := c.program(base.env, p, LibraryVersion)
		if c.ps.hasErrors() {
			for _, pr := range c.ps.list {
				if pr.Message == "" {
					t.Fatalf("problem without a message: %+v", pr)
				}
			}
			return
		}
		e := &Engine{layers: base.layers, env: base.env, params: base.params, paramIndex: base.paramIndex, opts: base.opts,
			programs: []*program{cp}, byID: map[string]int{"fuzz": 0}, order: []int{0}}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, h := range hs {
			for _, at := range []civil.Date{civil.MustDate(2025, 6, 1), civil.MustDate(2026, 11, 1)} {
				if _, err := e.Screen(ctx, h, at, WithExplanations()); err != nil && ctx.Err() == nil {
					t.Fatalf("screening %q: %v", src, err)
				}
			}
		}
	})
}

func TestLocalFactsAreDeclared(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	facts := e.ExtraFacts()
	require.Len(t, facts, 1)
	assert.Equal(t, ExtraFact{Key: "wants_visit", Label: "自宅への訪問支援を希望するか", Type: ExtraBool,
		Pos: facts[0].Pos}, facts[0])
	assert.Equal(t, "testdata/samplepack/programs.yaml", facts[0].Pos.File)
	h := household(t, `{"members":[{"relation":"self","resides_in_japan":true}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	m := s.Outcome("visit-support").Missing
	require.Len(t, m, 1)
	assert.Equal(t, "自宅への訪問支援を希望するか", m[0].Label, "a declared local fact is asked by its label")

	// An undeclared key is a warning pointing at it, with a suggestion.
	body := "    conditions:\n      - reason: r\n        expr: household.extra.wants_vist == true\n"
	fsys := programPack(body)
	fsys["facts.yaml"] = &fstest.MapFile{Data: []byte("facts:\n  wants_visit: {label: 訪問, type: bool}\n")}
	p, err := LoadPack(fsys, "pk")
	require.NoError(t, err)
	eng, err := Compile([]*Pack{p})
	require.NoError(t, err)
	var found *Problem
	for _, w := range eng.Warnings() {
		if w.Code == "undeclared" {
			found = &w
		}
	}
	require.NotNil(t, found)
	assert.Contains(t, found.Message, `"wants_vist"`)
	assert.Contains(t, found.Message, `もしかして "wants_visit"`)
	line, col := posOf(string(fsys["p.yaml"].Data), ".wants_vist")
	assert.Equal(t, line, found.Line)
	assert.Equal(t, col, found.Col)

	_, err = LoadPack(packFS(map[string]string{"pack.yaml": minimalPack + "facts:\n  x: {label: l, type: number}\n"}), "pk")
	assert.ErrorContains(t, err, "bool, int, yen, text")
}
