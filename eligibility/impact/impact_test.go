package impact_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/impact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBase = `pack: {id: tb, version: "1", title: 試験の土台, jurisdiction: {level: national, code: JP, name: 日本}}
facts:
  earnings: {label: 所得, type: yen}
parameters:
  limit: {title: 限度額, type: yen, unit: 円, values: [{from: 2020-01-01, value: 2000000, source: "https://example.org/t"}]}
  amount: {title: 月額, type: yen, unit: 円/月, values: [{from: 2020-01-01, value: 40000, source: "https://example.org/t"}]}
  grant: {title: 一時金, type: yen, unit: 円, values: [{from: 2020-01-01, value: 100000, source: "https://example.org/t"}]}
programs:
  - id: allowance
    name: 試験の手当
    category: 手当
    sources: [{title: 試験}]
    effective: {from: 2020-01-01}
    conditions:
      - reason: 所得が限度額未満であること
        expr: household.extra.earnings < params.limit
    amount: {per: month, expr: params.amount}
  - id: grant
    name: 試験の一時金
    category: 手当
    sources: [{title: 試験}]
    effective: {from: 2020-01-01}
    conditions:
      - reason: 所得が150万円未満であること
        expr: household.extra.earnings < 1500000
    amount: {per: once, expr: params.grant}
`

const testReform = `pack: {id: tr, version: "1", title: 試験の改正, extends: tb, jurisdiction: {level: national, code: JP, name: 日本}}
parameters:
  limit: {override: true, title: 限度額, type: yen, unit: 円, values: [{from: 2020-01-01, value: 2500000, source: "https://example.org/t"}]}
  amount: {override: true, title: 月額, type: yen, unit: 円/月, values: [{from: 2020-01-01, value: 38000, source: "https://example.org/t"}]}
  bonus: {title: 新しい年額, type: yen, unit: 円/年, values: [{from: 2020-01-01, value: 12000, source: "https://example.org/t"}]}
programs:
  - id: bonus
    name: 試験の新制度
    category: 手当
    sources: [{title: 試験}]
    effective: {from: 2020-01-01}
    conditions:
      - reason: 所得が100万円未満であること
        expr: household.extra.earnings < 1000000
    amount: {per: year, expr: params.bonus}
`

var testDate = civil.MustDate(2025, 6, 1)

func testEngines(t *testing.T) (*eligibility.Engine, *eligibility.Engine) {
	t.Helper()
	bp, err := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(testBase)}}, "tb")
	require.NoError(t, err)
	rp, err := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(testReform)}}, "tr")
	require.NoError(t, err)
	base, err := eligibility.Compile([]*eligibility.Pack{bp})
	require.NoError(t, err)
	reform, err := eligibility.Compile([]*eligibility.Pack{bp, rp})
	require.NoError(t, err)
	return base, reform
}

// Five records: h0 keeps the allowance at a lower amount and gains the new
// programme; h1 becomes eligible for the allowance; h2 changes nothing; h3
// (earnings unknown) is undetermined for the new programme; the fifth
// cannot be read.
const testHouseholds = `{"id":"h0","members":[{"relation":"self","incomes":[]},{"relation":"child"}],"extra":{"earnings":500000}}
{"id":"h1","members":[{"relation":"self","incomes":[]}],"extra":{"earnings":2200000}}
{"id":"h2","members":[{"relation":"self","incomes":[]},{"relation":"child"},{"relation":"child"}],"extra":{"earnings":3000000}}
{"id":"h3","members":[{"relation":"self","incomes":[]}]}
{"id":"h4","members":[{"relation":"selff"}]}
`

func TestCompareCountsEveryKindOfChange(t *testing.T) {
	base, reform := testEngines(t)
	rep, err := impact.Compare(context.Background(), base, reform, strings.NewReader(testHouseholds), "h.jsonl", impact.Options{AsOf: testDate, Workers: 2})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Households)
	assert.Equal(t, 1, rep.Skipped)
	require.Len(t, rep.SkipErrors, 1)
	assert.Contains(t, rep.SkipErrors[0], "h.jsonl:5:")
	assert.Equal(t, 3, rep.Changed)
	assert.Equal(t, 2, rep.Gaining)
	assert.Equal(t, 1, rep.Losing)
	assert.Equal(t, impact.Cost{Monthly: 36000, Yearly: 36000*12 + 12000}, rep.Cost, "exact yen: −2,000 + 38,000 a month, +12,000 a year")

	require.Len(t, rep.Programs, 3)
	allowance, grant, bonus := rep.Programs[0], rep.Programs[1], rep.Programs[2]
	assert.Equal(t, impact.ProgramImpact{Program: "allowance", Name: "試験の手当", Per: eligibility.PerMonth, InBase: true, InReform: true,
		Gain: 1, Lose: 1, AmountDown: 1, StatusChanged: 1,
		Transitions: []impact.Transition{{From: eligibility.Ineligible, To: eligibility.Eligible, Households: 1}},
		Cost:        impact.Cost{Monthly: 36000, Yearly: 432000}}, allowance)
	assert.Equal(t, "grant", grant.Program)
	assert.Zero(t, grant.Gain+grant.Lose+grant.StatusChanged)
	assert.Equal(t, eligibility.PerOnce, grant.Per)
	assert.Equal(t, impact.ProgramImpact{Program: "bonus", Name: "試験の新制度", Per: eligibility.PerYear, InReform: true,
		Gain: 1, StatusChanged: 2,
		Transitions: []impact.Transition{{From: eligibility.Ineligible, To: eligibility.Eligible, Households: 1}, {From: eligibility.Ineligible, To: eligibility.Undetermined, Households: 1}},
		Cost:        impact.Cost{Yearly: 12000}}, bonus)

	// Every household has no income at all: the first band; sizes 2, 1, 3, 1.
	assert.Equal(t, impact.Group{Label: "100万円未満", Households: 4, Changed: 3, Gaining: 2, Losing: 1, Cost: rep.Cost}, rep.ByIncome[0])
	assert.Equal(t, "500万円以上", rep.ByIncome[len(rep.ByIncome)-2].Label)
	assert.Equal(t, "不明", rep.ByIncome[len(rep.ByIncome)-1].Label)
	assert.Equal(t, impact.Group{Label: "1人", Households: 2, Changed: 2, Gaining: 1, Cost: impact.Cost{Monthly: 38000, Yearly: 456000}}, rep.BySize[0])
	assert.Equal(t, impact.Group{Label: "2人", Households: 1, Changed: 1, Gaining: 1, Losing: 1, Cost: impact.Cost{Monthly: -2000, Yearly: -24000 + 12000}}, rep.BySize[1])
	assert.Equal(t, impact.Group{Label: "3人", Households: 1}, rep.BySize[2])

	// The sample: the three changed households, in input order, explained.
	require.Len(t, rep.Sample, 3)
	h0 := rep.Sample[0]
	assert.Equal(t, 0, h0.Index)
	assert.Equal(t, "h0", h0.HouseholdID)
	assert.Equal(t, []string{"allowance", "bonus"}, h0.Programs)
	assert.Equal(t, int64(40000), h0.Base[0].Amount.Yen)
	assert.Equal(t, int64(38000), h0.Reform[0].Amount.Yen)
	assert.NotEmpty(t, h0.Reform[0].Parameters, "explained")
	assert.Empty(t, h0.Base[1].Program, "the base has no bonus")
	assert.Equal(t, []int{1, 3}, []int{rep.Sample[1].Index, rep.Sample[2].Index})
}

// TestCompareReportsProgress: Progress is called once per household, the
// unreadable one included, in order, with the offset of the end of its
// record.
func TestCompareReportsProgress(t *testing.T) {
	base, reform := testEngines(t)
	var done []int
	var offsets []int64
	_, err := impact.Compare(context.Background(), base, reform, strings.NewReader(testHouseholds), "h.jsonl", impact.Options{AsOf: testDate, Workers: 2,
		Progress: func(n int, offset int64) { done, offsets = append(done, n), append(offsets, offset) }})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, done)
	var ends []int64
	for i, c := range testHouseholds {
		if c == '\n' {
			ends = append(ends, int64(i))
		}
	}
	assert.Equal(t, ends, offsets, "each record's end")
}

func TestCompareSampleIsBoundedAndReproducible(t *testing.T) {
	base, reform := testEngines(t)
	var in strings.Builder
	for i := 0; i < 200; i++ {
		in.WriteString(`{"members":[{"relation":"self","incomes":[]}],"extra":{"earnings":2200000}}` + "\n")
	}
	run := func(seed uint64, sample int) []int {
		rep, err := impact.Compare(context.Background(), base, reform, strings.NewReader(in.String()), "", impact.Options{AsOf: testDate, Sample: sample, Seed: seed})
		require.NoError(t, err)
		require.Equal(t, 200, rep.Changed)
		var idx []int
		for _, c := range rep.Sample {
			idx = append(idx, c.Index)
		}
		return idx
	}
	a := run(1, 0)
	assert.Len(t, a, impact.DefaultSample)
	assert.True(t, a[len(a)-1] >= impact.DefaultSample, "a sample of the whole input, not its head: %v", a)
	assert.Equal(t, a, run(1, 0), "the same seed, the same sample")
	assert.NotEqual(t, a, run(2, 0))
	assert.Empty(t, run(1, -1))
}

func TestCompareRefusesUnusableOptions(t *testing.T) {
	base, reform := testEngines(t)
	for _, o := range []impact.Options{{}, {AsOf: testDate, IncomeBands: []int64{3, 2}}, {AsOf: testDate, IncomeBands: []int64{}}} {
		_, err := impact.Compare(context.Background(), base, reform, strings.NewReader(""), "", o)
		require.ErrorIs(t, err, impact.ErrOptions)
	}
	_, err := impact.Compare(context.Background(), nil, reform, strings.NewReader(""), "", impact.Options{AsOf: testDate})
	require.ErrorIs(t, err, impact.ErrOptions)
}

func TestCompareStopsWithTheContext(t *testing.T) {
	base, reform := testEngines(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := impact.Compare(ctx, base, reform, strings.NewReader(testHouseholds), "", impact.Options{AsOf: testDate})
	require.ErrorIs(t, err, context.Canceled)
	_, err = impact.Compare(context.Background(), base, reform, io.MultiReader(strings.NewReader(testHouseholds), errReader{}), "h.jsonl", impact.Options{AsOf: testDate})
	require.ErrorContains(t, err, "disk on fire")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// TestSVGIsWellFormed parses the chart as XML to its end and checks its
// bars: one per group and direction, labelled.
func TestSVGIsWellFormed(t *testing.T) {
	base, reform := testEngines(t)
	rep, err := impact.Compare(context.Background(), base, reform, strings.NewReader(testHouseholds), "", impact.Options{AsOf: testDate})
	require.NoError(t, err)
	rep.IncomeLabel = `所得 <"&">` // text that must be escaped
	var b bytes.Buffer
	require.NoError(t, rep.WriteSVG(&b))
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	d.Strict = true
	var root string
	bars, texts := 0, []string{}
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "well-formed XML")
		switch e := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = e.Name.Local
				assert.Equal(t, "http://www.w3.org/2000/svg", e.Name.Space)
			}
			if e.Name.Local == "rect" {
				for _, a := range e.Attr {
					if a.Name.Local == "fill" && a.Value != "#ffffff" {
						bars++
					}
				}
			}
			inText = e.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(e))
			}
		case xml.EndElement:
			inText = false
		}
	}
	assert.Equal(t, "svg", root)
	groups := len(rep.ByIncome) + len(rep.BySize)
	assert.Equal(t, 2*groups+2, bars, "two bars per group, two legend swatches")
	assert.Contains(t, texts, `所得階級別（所得 <"&">）`, "escaped and read back")
	assert.Contains(t, texts, "月額 +38,000円")
}
