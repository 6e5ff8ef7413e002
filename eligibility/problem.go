package eligibility

import (
	"fmt"
	"sort"
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

// Problem is something wrong (or worth a look) in a rule pack, at a file,
// line and column, in words for the policy officer who wrote it.
type Problem struct {
	File     string
	Line     int // 1-based; 0 when the problem concerns the whole file
	Col      int // 1-based, in characters
	Severity Severity
	// Code is a stable identifier of the kind of problem, for tools:
	// "yaml", "unknown-key", "missing", "invalid", "cel", "type", "cost",
	// "duplicate", "layer", "unused", "review".
	Code string
	// Message is the explanation, in Japanese.
	Message string
	// Detail is the underlying technical message (English, from CEL or the
	// YAML parser), when there is one.
	Detail string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
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

func (ps *problems) errorf(file string, line, col int, code, format string, args ...any) {
	ps.add(Problem{File: file, Line: line, Col: col, Severity: SeverityError, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) warnf(file string, line, col int, code, format string, args ...any) {
	ps.add(Problem{File: file, Line: line, Col: col, Severity: SeverityWarning, Code: code, Message: fmt.Sprintf(format, args...)})
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
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
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
