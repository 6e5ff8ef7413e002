package eligibility

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a Problem stops a pack from compiling.
type Severity uint8

// Severities.
const (
	SeverityError Severity = iota + 1
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "警告"
	}
	return "エラー"
}

// Position is a place in a file a person wrote (a rule pack, a rule
// test): 1-based line and column, the column counted in characters so that
// it is where a person sees it under Japanese text. Line 0 means the whole
// file.
type Position struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// String formats the position as file:line:col (file alone for line 0).
func (p Position) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// ProblemCode is the kind of a Problem, for tools to branch on. It is an
// error, so errors.Is(err, eligibility.ProblemCost) reports whether a
// *PackError holds a problem of that kind.
type ProblemCode string

// The problem codes.
const (
	ProblemYAML       ProblemCode = "yaml"        // the file is not valid YAML (or JSON)
	ProblemUnknownKey ProblemCode = "unknown-key" // a key the format does not have (a typo)
	ProblemMissing    ProblemCode = "missing"     // something required is not written
	ProblemInvalid    ProblemCode = "invalid"     // a value that cannot be used
	ProblemDuplicate  ProblemCode = "duplicate"   // written twice
	ProblemLayer      ProblemCode = "layer"       // packs that do not layer (extends, override)
	ProblemCEL        ProblemCode = "cel"         // an expression that does not parse or type-check
	ProblemType       ProblemCode = "type"        // an expression of the wrong result type
	ProblemCost       ProblemCode = "cost"        // an expression over the cost budget
	ProblemCycle      ProblemCode = "cycle"       // programmes that refer to each other in a cycle
	ProblemUnused     ProblemCode = "unused"      // warning: a value or parameter nothing reads
	ProblemUndeclared ProblemCode = "undeclared"  // warning: a local fact the packs do not declare
	// ProblemInterpreted: an expression evaluated by the interpreter, not
	// compiled (Engine.InterpretedExpressions; same results, slower).
	ProblemInterpreted ProblemCode = "interpreted"
)

// Error implements error, so that a code is a target for errors.Is.
func (c ProblemCode) Error() string { return "eligibility: rule pack problem " + string(c) }

// Problem is something wrong (or worth a look) in a rule pack, at a file,
// line and column, in words for the policy officer who wrote it.
type Problem struct {
	Position
	Severity Severity
	// Code is the kind of problem, stable for tools.
	Code ProblemCode
	// Message is the explanation, in Japanese.
	Message string
	// Detail is the underlying technical message (English, from CEL or the
	// YAML parser), when there is one.
	Detail string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Position.String())
	fmt.Fprintf(&b, ": %s: %s", p.Severity, p.Message)
	if p.Detail != "" {
		fmt.Fprintf(&b, "\n    (%s)", p.Detail)
	}
	return b.String()
}

// PackError is the error of a pack that cannot be loaded or compiled: every
// problem of severity error that was found, in file order.
type PackError struct {
	Problems []Problem
}

// Unwrap returns the codes of the problems, so that errors.Is(err,
// ProblemCost) works.
func (e *PackError) Unwrap() []error {
	out := make([]error, 0, len(e.Problems))
	for _, p := range e.Problems {
		out = append(out, p.Code)
	}
	return out
}

func (e *PackError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems while loading or compiling.
type problems struct {
	list []Problem
}

func (ps *problems) add(p Problem) {
	if p.Severity == 0 {
		p.Severity = SeverityError
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) errorf(file string, line, col int, code ProblemCode, format string, args ...any) {
	ps.add(Problem{Position: Position{file, line, col}, Severity: SeverityError, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) warnf(file string, line, col int, code ProblemCode, format string, args ...any) {
	ps.add(Problem{Position: Position{file, line, col}, Severity: SeverityWarning, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) hasErrors() bool {
	for _, p := range ps.list {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

func (ps *problems) sorted() []Problem {
	out := append([]Problem(nil), ps.list...)
	slices.SortStableFunc(out, func(a, b Problem) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Col, b.Col)
	})
	return out
}

// err returns a *PackError with the error problems, or nil.
func (ps *problems) err() error {
	var errs []Problem
	for _, p := range ps.sorted() {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &PackError{Problems: errs}
}

// warnings returns the warning problems.
func (ps *problems) warnings() []Problem {
	var ws []Problem
	for _, p := range ps.sorted() {
		if p.Severity == SeverityWarning {
			ws = append(ws, p)
		}
	}
	return ws
}
