package ruletest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSamplePack(t *testing.T) {
	r := RunDirs(t, "../testdata/samplepack")
	assert.Equal(t, 0, r.Failed())
	assert.Equal(t, 14, len(r.Cases))
}

func TestLayeredPackTests(t *testing.T) {
	// The local pack has no tests of its own.
	_, tests, err := LoadDirs("../testdata/samplepack", "../testdata/samplelocal")
	require.NoError(t, err)
	assert.Empty(t, tests)
}

func TestFailuresAreReported(t *testing.T) {
	e, _, err := LoadDirs("../testdata/samplepack")
	require.NoError(t, err)
	fsys := fstest.MapFS{"tests/wrong.yaml": &fstest.MapFile{Data: []byte(`tests:
  - name: 間違った期待
    as_of: 2025-06-01
    household:
      situation: divorced
      de_facto_partner: false
      members:
        - {relation: self, incomes: [{year: 2023, business_income: 1840000, other_income: 0, child_support_received: 0}]}
        - {relation: child, birth_date: 2015-05-01}
    expect:
      child-rearing-allowance: {status: ineligible, amount: 28960, missing: [situation]}
      child-allowance: {warnings: [parameter_past_review]}
      no-such-programme: {status: eligible}
`)}}
	tests, err := eligibility.LoadRuleTests(fsys, "pk")
	require.NoError(t, err)
	r, err := Run(context.Background(), e, tests)
	require.NoError(t, err)
	require.Equal(t, 1, r.Failed())
	var msgs []string
	for _, f := range r.Cases[0].Failures {
		msgs = append(msgs, f.Message)
	}
	require.Len(t, msgs, 5)
	assert.Contains(t, msgs[0], "判定が 対象（eligible）になりました。期待は 対象外（ineligible）")
	assert.Equal(t, "金額が 28,970円 になりました。期待は 28,960円（差 10円）", msgs[1])
	assert.Contains(t, msgs[2], "不足している情報が [] になりました。期待は [situation]")
	assert.Contains(t, msgs[3], "警告が [] になりました")
	assert.Contains(t, msgs[4], `"no-such-programme"`)

	var b strings.Builder
	require.NoError(t, r.WriteText(&b))
	assert.Contains(t, b.String(), "不合格 pk/tests/wrong.yaml:11: 間違った期待 [child-rearing-allowance]")
	assert.Contains(t, b.String(), "テスト 1 件: 合格 0 件、不合格 1 件")
	assert.Contains(t, b.String(), "未確認 child-rearing-allowance 要件1")
}

func TestBadTestFiles(t *testing.T) {
	tests := []struct{ src, msg string }{
		{"tests:\n  - name: x\n    as_of: 2025-06-01\n    household: {members: [{relation: selff}]}\n    expect: {a: {status: eligible}}\n", "relation"},
		{"tests:\n  - name: x\n    as_of: 2025-13-01\n    household: {members: [{relation: self}]}\n    expect: {a: {status: eligible}}\n", "日付"},
		{"tests:\n  - name: x\n    as_of: 2025-06-01\n    household: {members: [{relation: self}]}\n    expect: {a: {status: ok}}\n", "status は"},
		{"tests:\n  - name: x\n    as_of: 2025-06-01\n    household: {members: [{relation: self}]}\n", "expect:"},
		{"tests:\n  - name: x\n    as_of: 2025-06-01\n    houshold: {}\n    expect: {a: {status: eligible}}\n", "もしかして"},
		{"tests: [\n", "YAML"},
	}
	for _, tc := range tests {
		_, err := eligibility.LoadRuleTests(fstest.MapFS{"tests/t.yaml": &fstest.MapFile{Data: []byte(tc.src)}}, "pk")
		require.Error(t, err, tc.src)
		assert.Contains(t, err.Error(), tc.msg)
		assert.Contains(t, err.Error(), "pk/tests/t.yaml:")
	}
}

func TestNoTestsFolder(t *testing.T) {
	tests, err := eligibility.LoadRuleTests(os.DirFS("../testdata/samplelocal"), "x")
	require.NoError(t, err)
	assert.Nil(t, tests)
}

// values: {name: scalar} checks named values of the outcome.
func TestValuesExpectation(t *testing.T) {
	e, _, err := LoadDirs("../testdata/samplepack")
	require.NoError(t, err)
	src := `tests:
  - name: 値
    as_of: 2025-06-01
    household:
      situation: divorced
      de_facto_partner: false
      members:
        - {relation: self, incomes: [{year: 2023, business_income: 1840000, other_income: 0, child_support_received: 0}]}
        - {relation: child, birth_date: 2015-05-01}
    expect:
      child-rearing-allowance: {values: {year: %s, dependents: 1, nothing: 1}}
`
	run := func(year string) []string {
		tests, err := eligibility.LoadRuleTests(fstest.MapFS{"tests/v.yaml": &fstest.MapFile{Data: []byte(fmt.Sprintf(src, year))}}, "pk")
		require.NoError(t, err)
		r, err := Run(context.Background(), e, tests)
		require.NoError(t, err)
		var msgs []string
		for _, f := range r.Cases[0].Failures {
			msgs = append(msgs, f.Message)
		}
		return msgs
	}
	msgs := run("2023")
	require.Len(t, msgs, 1, "%v", msgs) // year and dependents match; nothing is not a value
	assert.Contains(t, msgs[0], "値 nothing がありません")
	msgs = run("2024")
	require.Len(t, msgs, 2, "%v", msgs)
	assert.Contains(t, msgs[1], "値 year が 2023 になりました。期待は 2024")

	_, err = eligibility.LoadRuleTests(fstest.MapFS{"tests/v.yaml": &fstest.MapFile{Data: []byte(
		"tests:\n  - name: x\n    as_of: 2025-06-01\n    household: {members: [{relation: self}]}\n    expect: {a: {values: [1]}}\n")}}, "pk")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "values は {名前: 値, …}")
}

// The coverage of a local pack's tests is that of the local pack's
// programmes; the base pack's only on request.
func TestCoverageIsOfThePackUnderTest(t *testing.T) {
	e, tests, err := LoadDirs("../testdata/samplepack")
	require.NoError(t, err)
	local, _, err := LoadDirs("../testdata/samplepack", "../testdata/samplelocal")
	require.NoError(t, err)
	layers := local.Packs()
	require.Len(t, layers, 2)
	localIDs := map[string]bool{}
	for _, p := range local.Programs() {
		if p.Pack == layers[1].ID {
			localIDs[p.ID] = true
		}
	}
	require.NotEmpty(t, localIDs)

	r, err := Run(context.Background(), local, tests)
	require.NoError(t, err)
	assert.Equal(t, []string{layers[1].ID}, r.CoveredPacks)
	require.NotEmpty(t, r.Coverage)
	for _, c := range r.Coverage {
		assert.True(t, localIDs[c.Program], "%s is not the local pack's", c.Program)
	}
	var b strings.Builder
	require.NoError(t, r.WriteText(&b))
	assert.Contains(t, b.String(), "要件の網羅（"+layers[1].ID+"）")

	all, err := Run(context.Background(), local, tests, CoverAllLayers())
	require.NoError(t, err)
	assert.Equal(t, []string{layers[0].ID, layers[1].ID}, all.CoveredPacks)
	base, err := Run(context.Background(), e, tests)
	require.NoError(t, err)
	assert.Equal(t, len(base.Coverage)+len(r.Coverage), len(all.Coverage))
}

// With CoverExpectedOnly a case counts only the conditions of the
// programmes it states an expectation for: the same cases stripped of
// their expectations cover nothing, and each programme's counts are those
// of the cases that expect it.
func TestCoverExpectedOnly(t *testing.T) {
	e, tests, err := LoadDirs("../testdata/samplepack")
	require.NoError(t, err)
	ctx := context.Background()

	unchecked := make([]eligibility.RuleTest, len(tests))
	for i, tc := range tests {
		tc.Expect = nil
		unchecked[i] = tc
	}
	seen, err := Run(ctx, e, unchecked)
	require.NoError(t, err)
	none, err := Run(ctx, e, unchecked, CoverExpectedOnly())
	require.NoError(t, err)
	require.Equal(t, len(seen.Coverage), len(none.Coverage))
	counted := 0
	for i, c := range none.Coverage {
		counted += seen.Coverage[i].True + seen.Coverage[i].False
		assert.Zero(t, c.True+c.False+c.Unknown, "%s condition %d", c.Program, c.Condition)
		assert.False(t, c.Covered())
	}
	require.Positive(t, counted, "the cases screen the sample programmes")

	checked, err := Run(ctx, e, tests, CoverExpectedOnly())
	require.NoError(t, err)
	for i, c := range checked.Coverage {
		var want Coverage
		for _, tc := range tests {
			if !expects(tc, c.Program) {
				continue
			}
			one, err := Run(ctx, e, []eligibility.RuleTest{tc})
			require.NoError(t, err)
			want.True += one.Coverage[i].True
			want.False += one.Coverage[i].False
			want.Unknown += one.Coverage[i].Unknown
		}
		assert.Equal(t, [3]int{want.True, want.False, want.Unknown}, [3]int{c.True, c.False, c.Unknown},
			"%s condition %d", c.Program, c.Condition)
	}
}
