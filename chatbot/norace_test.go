package chatbot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// skipUnderRace skips a long single-goroutine table under the race
// detector. The chatbot package starts no goroutines (a Matcher and a
// Session are used concurrently, under -race, in session_test.go), so the
// detector has nothing to find in a table that compiles knowledge bases and
// matches questions one by one; it only makes it some seven times slower.
// .ci/test runs these tables again without -race.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("a single-goroutine table: .ci/test runs it without -race")
	}
}

// TestNoRaceTablesListed checks that every test calling skipUnderRace, in
// this package and in chatbot/yomi, is in .ci/test's noRaceTables pattern
// and that the pattern names no other test: a table skipped under -race
// cannot be forgotten by CI.
func TestNoRaceTablesListed(t *testing.T) {
	script, err := os.ReadFile("../.ci/test")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^noRaceTables='\^\(([A-Za-z0-9_|]+)\)\$'$`).FindSubmatch(script)
	require.NotNil(t, m, ".ci/test has no noRaceTables='^(A|B)$' line")
	listed := regexp.MustCompile(`\|`).Split(string(m[1]), -1)
	var callers []string
	for _, dir := range []string{".", "yomi"} {
		files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		require.NoError(t, err)
		for _, f := range files {
			callers = append(callers, skipUnderRaceCallers(t, f)...)
		}
	}
	// -run matches a name in every package: a name used in both is listed once.
	slices.Sort(listed)
	slices.Sort(callers)
	callers = slices.Compact(callers)
	require.NotEmpty(t, callers)
	assert.Equal(t, callers, listed, "tests that call skipUnderRace vs .ci/test's noRaceTables")
}

// skipUnderRaceCallers returns the top-level functions of a Go file whose
// body calls skipUnderRace.
func skipUnderRaceCallers(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	require.NoError(t, err, path)
	var out []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || fn.Name.Name == "skipUnderRace" {
			continue
		}
		found := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "skipUnderRace" {
					found = true
				}
			}
			return !found
		})
		if found {
			out = append(out, fn.Name.Name)
		}
	}
	return out
}
