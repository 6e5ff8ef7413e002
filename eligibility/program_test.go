package eligibility

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packWith builds a one-file pack of the given programmes (YAML list
// items, indented by four spaces) for library version lib.
func packWith(t *testing.T, lib string, programs string) (*Pack, error) {
	t.Helper()
	meta := "pack: {id: t, version: \"1\", title: テスト, library: " + lib + ", jurisdiction: {level: national, code: JP}}\n"
	return LoadPack(fstest.MapFS{
		"pack.yaml": &fstest.MapFile{Data: []byte(meta)},
		"p.yaml":    &fstest.MapFile{Data: []byte("programs:\n" + programs)},
	}, "pk")
}

func compileWith(t *testing.T, lib, programs string) (*Engine, error) {
	t.Helper()
	p, err := packWith(t, lib, programs)
	require.NoError(t, err)
	return Compile([]*Pack{p})
}

func prog(id, body string) string {
	return "  - id: " + id + "\n    name: " + id + "\n    category: 手当\n    sources: [{title: テスト}]\n    effective: {from: 2020-01-01}\n" + body
}

// The dependent programme comes first in the pack: the engine screens
// the programme it refers to first anyway.
var dependentPack = prog("local-top-up", `    values:
      - name: base_limit
        expr: program('base').values.limit
    conditions:
      - reason: base の対象であること
        expr: program('base').eligible
      - reason: 上限の範囲
        expr: program('base').amount <= base_limit
    amount:
      per: month
      expr: program('base').amount / 2
`) + prog("base", `    values:
      - name: limit
        expr: 2000
    conditions:
      - reason: 離婚・死別
        expr: household.situation in ['divorced', 'bereaved']
      - reason: 子がいる
        expr: household.children().exists(c, c.age_on(as_of) < 18)
    amount:
      per: month
      expr: 1000 * size(household.children())
`)

func TestProgramRefersToAnotherProgramme(t *testing.T) {
	e, err := compileWith(t, "2", dependentPack)
	require.NoError(t, err)
	infos := e.Programs()
	require.Equal(t, "local-top-up", infos[0].ID, "Programs stay in pack order")
	assert.Equal(t, []string{"base"}, infos[0].Uses)
	assert.Contains(t, infos[0].Facts, "situation", "the facts of the programme referred to")
	assert.Contains(t, infos[0].Facts, "members[].birth_date")

	screen := func(js string, opts ...ScreenOption) *Screening {
		s, err := e.Screen(context.Background(), household(t, js), d("2025-06-01"), opts...)
		require.NoError(t, err)
		return s
	}
	// Eligible for base: the dependent sees its amount and values.
	s := screen(`{"situation":"divorced","members":[{"relation":"self"},{"relation":"child","birth_date":"2015-01-01"}]}`)
	require.Equal(t, []string{"local-top-up", "base"}, []string{s.Results[0].Program, s.Results[1].Program})
	assert.Equal(t, Eligible, s.Outcome("local-top-up").Status)
	assert.Equal(t, int64(500), s.Outcome("local-top-up").Amount.Yen)

	// Ineligible for base: ineligible here, without asking anything.
	s = screen(`{"situation":"married","members":[{"relation":"self"}]}`)
	assert.Equal(t, Ineligible, s.Outcome("local-top-up").Status)
	assert.Empty(t, s.Outcome("local-top-up").Missing)

	// Undetermined for base: the unknowns flow through, so its Missing is
	// this programme's Missing too, in one round.
	s = screen(`{"members":[{"relation":"self"},{"relation":"child"}]}`)
	top := s.Outcome("local-top-up")
	assert.Equal(t, Undetermined, top.Status)
	assert.Equal(t, missingPaths(s.Outcome("base")), missingPaths(top))
	assert.Equal(t, []string{"members[1].birth_date", "situation"}, missingPaths(top))

	// Asked for alone: base is screened (not reported).
	s = screen(`{"situation":"divorced","members":[{"relation":"self"},{"relation":"child","birth_date":"2015-01-01"}]}`, OnlyPrograms("local-top-up"), WithExplanations())
	require.Len(t, s.Results, 1)
	assert.Equal(t, Eligible, s.Results[0].Status)
}

// An error in the programme referred to is an error here, naming it.
func TestProgramReferenceToAFailedProgramme(t *testing.T) {
	e, err := compileWith(t, "2", prog("dep", `    conditions:
      - reason: r
        expr: program('broken').eligible
`)+prog("broken", `    conditions:
      - reason: r
        expr: 10 / (size(household.members) - 1) > 0
`))
	require.NoError(t, err)
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	out := s.Outcome("dep")
	assert.Equal(t, Undetermined, out.Status)
	require.NotNil(t, out.Error)
	assert.Contains(t, out.Error.Message, `制度 "broken"（broken）の判定でエラーが起きた`)
}

func TestProgramReferenceProblems(t *testing.T) {
	cond := func(expr string) string {
		return "    conditions:\n      - reason: r\n        expr: " + expr + "\n"
	}
	withAmount := "    amount: {per: month, expr: '1'}\n"
	tests := []struct {
		name     string
		programs string
		code     ProblemCode
		message  string
	}{
		{"cycle", prog("a", cond("program('b').eligible")) + prog("b", cond("program('c').eligible")) + prog("c", cond("program('a').eligible")),
			ProblemCycle, "制度の参照が循環しています: a → b → c → a"},
		{"self", prog("a", cond("program('a').eligible")), ProblemCycle, `制度 "a" が program("a") で自分自身の判定結果を参照しています`},
		{"unknown id", prog("a", cond("program('bse').eligible")) + prog("base", cond("true")), ProblemInvalid, `制度ID "bse" はありません（もしかして "base"？）`},
		{"not a literal", prog("a", cond("program('b' + 'ase').eligible")) + prog("base", cond("true")), ProblemInvalid, "program() には制度IDを文字列でそのまま書いてください"},
		{"no such value", prog("a", cond("program('base').values.limt > 0")) + prog("base", "    values:\n      - {name: limit, expr: '1'}\n"+cond("limit > 0")),
			ProblemInvalid, `制度 "base" に値 "limt" はありません（もしかして "limit"？）`},
		{"values as a whole", prog("a", cond("size(program('base').values) > 0")) + prog("base", cond("true")), ProblemInvalid, ".values.値の名前 の形で"},
		{"no amount", prog("a", cond("program('base').amount > 0")) + prog("base", cond("true")), ProblemInvalid, `制度 "base" には金額（amount:）がありません`},
		{"amount ok", prog("a", cond("program('base').amount > 0")) + prog("base", cond("true")+withAmount), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileWith(t, "2", tc.programs)
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			var pe *PackError
			require.ErrorAs(t, err, &pe)
			require.NotEmpty(t, pe.Problems)
			assert.ErrorIs(t, err, tc.code)
			assert.Contains(t, pe.Problems[0].Message, tc.message)
			assert.Positive(t, pe.Problems[0].Line, "positioned")
		})
	}
	// program() is in library version 2: a pack written for 1 is told so.
	_, err := compileWith(t, "1", dependentPack)
	require.ErrorContains(t, err, "関数 program は関数ライブラリの版 2 からです")
}

// The 学年 follows the 4月1日/4月2日 rule.
func TestSchoolYearFunctions(t *testing.T) {
	e, err := compileWith(t, "2", prog("first-graders", `    conditions:
      - reason: 小学1年生の子がいる
        expr: household.children().exists(c, c.school_grade(as_of) == 1)
    amount:
      per: once
      expr: household.children().filter(c, c.elementary_entry_year() == as_of.fiscal_year()).size() * 10000
`))
	require.NoError(t, err)
	for _, tc := range []struct {
		born   string
		status Status
	}{{"2019-04-01", Eligible}, {"2019-04-02", Ineligible}, {"2018-04-02", Eligible}, {"2018-04-01", Ineligible}} {
		s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"},{"relation":"child","birth_date":"`+tc.born+`"}]}`), d("2025-04-01"))
		require.NoError(t, err)
		assert.Equal(t, tc.status, s.Results[0].Status, tc.born)
	}
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"},{"relation":"child"}]}`), d("2025-04-01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"members[1].birth_date"}, missingPaths(&s.Results[0]))
}
