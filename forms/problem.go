package forms

import (
	"fmt"
	"strings"
)

// ProblemCode is a stable identifier of the kind of problem in a form
// definition, for tools.
type ProblemCode string

// Problem codes.
const (
	ProblemSyntax     ProblemCode = "syntax"      // the file is not YAML or JSON
	ProblemUnknownKey ProblemCode = "unknown-key" // a key the format does not have
	ProblemMissing    ProblemCode = "missing"     // a required key is absent
	ProblemType       ProblemCode = "type"        // a value of the wrong type
	ProblemInvalid    ProblemCode = "invalid"     // a value the format does not allow
	ProblemDuplicate  ProblemCode = "duplicate"   // an id used twice
	ProblemCEL        ProblemCode = "cel"         // a visibility condition that does not compile
	ProblemBinding    ProblemCode = "binding"     // a fact or record binding that does not exist here
)

// Problem is one thing wrong in a form definition, at a file, line and
// column, explained in Japanese for the person who wrote the file.
type Problem struct {
	File    string      `json:"file"`
	Line    int         `json:"line,omitempty"`
	Col     int         `json:"col,omitempty"`
	Code    ProblemCode `json:"code"`
	Message string      `json:"message"`
	// Detail is the underlying technical message (English, from CEL or
	// the YAML parser), when there is one.
	Detail string `json:"detail,omitempty"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	fmt.Fprintf(&b, ": %s", p.Message)
	if p.Detail != "" {
		fmt.Fprintf(&b, "\n    (%s)", p.Detail)
	}
	return b.String()
}

// DefinitionError is a form definition that cannot be loaded: every
// problem found, in file order. Nothing of such a definition is used.
type DefinitionError struct {
	Problems []Problem
}

func (e *DefinitionError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
