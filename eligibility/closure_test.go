package eligibility

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryLibraryOverloadIsCompiled: every declaration of the rule
// library has a typed form on the closure path (closure_lib.go,
// closure_income.go) or, for an operator, is compiled by the operator
// itself. A function added without one still works — its cel-go binding is
// called with boxed values — but slower; add its typed form beside the
// others.
func TestEveryLibraryOverloadIsCompiled(t *testing.T) {
	for _, d := range libraryDecls() {
		if d.operator {
			continue
		}
		assert.NotNil(t, typedBuiltin(d.id), "%s (%s) has no typed form on the closure path", d.id, d.signature())
	}
	for id := range libraryBuiltins() {
		assert.NotNil(t, overloadDecl(id), "typed form of %s, which the library does not declare", id)
	}
}

// TestShippedPacksAreCompiled: no expression of the shipped packs is left
// to the interpreter.
func TestShippedPacksAreCompiled(t *testing.T) {
	for _, dirs := range [][]string{{"../packs/national"}, {"../packs/national", "../packs/tokyo"}, {"testdata/samplepack"}} {
		var ps []*Pack
		for _, d := range dirs {
			p, err := LoadPack(os.DirFS(d), d)
			require.NoError(t, err)
			ps = append(ps, p)
		}
		e, err := Compile(ps)
		require.NoError(t, err)
		assert.Empty(t, e.InterpretedExpressions(), "%v", dirs)
	}
}

// TestInterpretedExpressionsAreListed: an expression the compiler does not
// cover is screened by the interpreter, with the same outcome, and listed
// with its position and reason.
func TestInterpretedExpressionsAreListed(t *testing.T) {
	// A map literal: not compiled.
	body := "    conditions:\n      - reason: r\n        expr: \"{'a': 1}['a'] == 1\"\n      - reason: s\n        expr: household.members.size() > 0\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	in := e.InterpretedExpressions()
	require.Len(t, in, 1)
	assert.Equal(t, ProblemInterpreted, in[0].Code)
	assert.Equal(t, "pk/p.yaml", in[0].File)
	assert.Contains(t, in[0].Message, "要件 1")
	h := household(t, `{"members":[{"relation":"self"}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, Eligible, s.Outcome("p").Status)
	assert.Zero(t, e.closures.handedBack.Load())
}

// TestClosuresHandBackRuntimeErrors: a run-time error (here a division by
// zero) makes the closures hand the programme to the interpreter, which
// reports it with its position; the other programmes stay on closures.
func TestClosuresHandBackRuntimeErrors(t *testing.T) {
	body := "    values:\n      - name: n\n        expr: household.count('child')\n    conditions:\n      - reason: r\n        expr: params.limit / n > 10\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	require.NotNil(t, o.Error)
	assert.Contains(t, o.Error.Message, "division by zero")
	assert.Equal(t, int64(1), e.closures.handedBack.Load())
}

// TestClosuresReadEveryFact: every field of the fact catalog can be read
// and presence-tested on the closure path (closure_attr.go). A field added
// to the catalog without its accessor there is read by the interpreter —
// correctly, but every expression that reads it is interpreted.
func TestClosuresReadEveryFact(t *testing.T) {
	root := map[string]string{
		"Household": "household", "Member": "household.applicant()", "Income": "household.applicant().income(2024)",
		"Disability": "household.applicant().disability", "Deductions": "household.applicant().income(2024).deductions",
	}
	for _, ft := range FactTypes() {
		for _, f := range ft.Fields {
			if ft.Name == "Member" && f.Key == "incomes" {
				continue // a list of incomes: not a kind the closures hold
			}
			srcs := []string{fmt.Sprintf("has(%s.%s)", root[ft.Name], f.Key)}
			switch f.Kind {
			case KindObject, KindMap:
				// Objects compare by identity: the closures read their fields.
			default:
				srcs = append(srcs, fmt.Sprintf("%s.%s == %s.%s", root[ft.Name], f.Key, root[ft.Name], f.Key))
			}
			for _, src := range srcs {
				body := "    conditions:\n      - reason: r\n        expr: \"" + src + "\"\n"
				p, err := LoadPack(programPack(body), "pk")
				require.NoError(t, err, src)
				e, err := Compile([]*Pack{p})
				if err != nil {
					continue // == is not defined on the field's type
				}
				assert.Empty(t, e.InterpretedExpressions(), "%s.%s: %s", ft.Name, f.Key, src)
			}
		}
	}
}

// TestValueOfAnUncompiledType: a named value of a type the closures do not
// hold (a list of incomes) is interpreted and kept boxed; expressions
// reading it still agree with the interpreter.
func TestValueOfAnUncompiledType(t *testing.T) {
	body := "    values:\n      - name: incs\n        expr: household.applicant().incomes\n" +
		"    conditions:\n      - reason: r\n        expr: incs.exists(i, i.year == 2024)\n      - reason: s\n        expr: size(incs) < 3\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	assert.Len(t, e.InterpretedExpressions(), 3)
	for _, js := range []string{
		`{"members":[{"relation":"self","incomes":[{"year":2024}]}]}`,
		`{"members":[{"relation":"self","incomes":[{"year":2023}]}]}`,
		`{"members":[{"relation":"self"}]}`,
	} {
		h := household(t, js)
		want, got := screenBothWays(t, e, h, d("2025-06-01"))
		assert.Equal(t, want, got, js)
	}
}

// screenBothWays screens h on asOf with the interpreter (want, the
// reference) and with the compiled closures (got), requiring both to
// succeed.
func screenBothWays(t *testing.T, e *Engine, h *Household, asOf civil.Date) (want, got *Screening) {
	t.Helper()
	got, err := e.Screen(context.Background(), h, asOf)
	require.NoError(t, err)
	want, err = e.Screen(context.Background(), h, asOf, InterpretedForTest())
	require.NoError(t, err)
	return want, got
}
