package eligibility

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// FactError is one problem in household facts, at a JSON path and, when the
// facts came from a file, a line and column.
type FactError struct {
	Path    string // members[1].birth_date; "" for the whole record
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based, in characters
	Message string // Japanese, for the person who wrote the facts
	// Err is the kind of problem when callers may branch on it
	// (ErrBornAfterAsOf), else nil; FactsError unwraps to it.
	Err error
}

func (e FactError) String() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// FactsError reports every problem found in one household's facts. Nothing
// of a household with a FactsError is used.
type FactsError struct {
	Source string // file name, if any
	Record int    // 1-based record number in a stream; 0 for a single document
	Errors []FactError
}

// Unwrap returns the kinds of the problems (FactError.Err), so that
// errors.Is(err, ErrBornAfterAsOf) works.
func (e *FactsError) Unwrap() []error {
	var out []error
	for _, fe := range e.Errors {
		if fe.Err != nil {
			out = append(out, fe.Err)
		}
	}
	return out
}

func (e *FactsError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		if e.Source != "" {
			b.WriteString(e.Source)
			b.WriteByte(':')
		}
		if fe.Line > 0 {
			fmt.Fprintf(&b, "%d:%d:", fe.Line, fe.Col)
		}
		if b.Len() > 0 && (e.Source != "" || fe.Line > 0) {
			b.WriteByte(' ')
		}
		if e.Record > 0 {
			fmt.Fprintf(&b, "%d件目: ", e.Record)
		}
		if fe.Path != "" {
			b.WriteString(fe.Path)
			b.WriteString(": ")
		}
		b.WriteString(fe.Message)
	}
	return b.String()
}

// maxFactErrors bounds the problems reported for one household.
const maxFactErrors = 20

func syntaxFactsError(source string, record int, err error) error {
	var se *docnode.SyntaxError
	if errors.As(err, &se) {
		return &FactsError{Source: source, Record: record, Errors: []FactError{{
			Line: se.Pos.Line, Col: se.Pos.Col, Message: "JSON の書き方に誤りがあります: " + se.Msg,
		}}}
	}
	return &FactsError{Source: source, Record: record, Errors: []FactError{{Message: err.Error()}}}
}
