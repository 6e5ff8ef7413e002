package packs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmePrograms checks the README's Go programs: each marked block
// (<!-- readme-example: FILE FUNC -->) is a valid main package whose
// main body is the body of the runnable example FUNC in FILE, whose
// imports are exactly the packages the body uses, and whose output block
// is the example's verified Output. So the README's code runs as written
// and prints what it says.
func TestReadmePrograms(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	marker := regexp.MustCompile("<!-- readme-example: (\\S+) (\\S+) -->\n```go\n((?s:.*?))\n```\n((?s:.*?))```text\n((?s:.*?))```")
	found := marker.FindAllStringSubmatch(string(readme), -1)
	require.Len(t, found, 2, "the README shows the screening and the case-record programs")
	for _, m := range found {
		file, fn, program, output := m[1], m[2], m[3], m[5]
		t.Run(fn, func(t *testing.T) {
			fset := token.NewFileSet()
			prog, err := parser.ParseFile(fset, "README.md", program, parser.ParseComments)
			require.NoError(t, err, "the README program does not parse")
			assert.Equal(t, "main", prog.Name.Name)
			mainFn := findFunc(prog, "main")
			require.NotNil(t, mainFn, "no func main")

			src, err := os.ReadFile("../" + file)
			require.NoError(t, err)
			exFile, err := parser.ParseFile(fset, file, src, parser.ParseComments)
			require.NoError(t, err)
			ex := findFunc(exFile, fn)
			require.NotNil(t, ex, "%s has no %s", file, fn)

			exBody, exOutput := splitOutput(bodyText(fset, src, ex))
			readmeBody, _ := splitOutput(bodyText(fset, []byte(program), mainFn))
			assert.Equal(t, normalise(exBody), normalise(readmeBody), "README block differs from %s %s", file, fn)
			assert.Equal(t, normalise(exOutput), normalise(output), "README output differs from the example's Output")

			// Imports: exactly the packages the body names.
			used := map[string]bool{}
			ast.Inspect(mainFn.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
						used[id.Name] = true
					}
				}
				return true
			})
			imported := map[string]bool{}
			for _, imp := range prog.Imports {
				p, err := strconv.Unquote(imp.Path.Value)
				require.NoError(t, err)
				imported[path.Base(p)] = true
			}
			for name := range imported {
				assert.True(t, used[name], "import %q is not used", name)
			}
			for name := range used {
				if !isLocal(mainFn, name) {
					assert.True(t, imported[name], "%s is used but not imported", name)
				}
			}
		})
	}
}

func findFunc(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name && fd.Recv == nil {
			return fd
		}
	}
	return nil
}

// bodyText is the source between the braces of fn's body.
func bodyText(fset *token.FileSet, src []byte, fn *ast.FuncDecl) string {
	from := fset.Position(fn.Body.Lbrace).Offset + 1
	to := fset.Position(fn.Body.Rbrace).Offset
	return string(src[from:to])
}

// splitOutput splits an example body at its // Output: comment.
func splitOutput(body string) (code, output string) {
	code, out, _ := strings.Cut(body, "// Output:")
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "//"), " "))
	}
	return code, strings.Join(lines, "\n")
}

// normalise drops indentation and blank lines.
func normalise(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// isLocal reports whether name is declared inside fn (a variable whose
// methods or fields the body selects).
func isLocal(fn *ast.FuncDecl, name string) bool {
	local := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					local = true
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				if id.Name == name {
					local = true
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok && id.Name == name {
					local = true
				}
			}
		}
		return true
	})
	return local
}
