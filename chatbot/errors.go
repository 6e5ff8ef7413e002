package chatbot

import (
	"errors"
	"strings"
)

// Sentinel errors a caller can test with errors.Is on a *LoadError or on the
// *LoadErrors that loading returns.
var (
	ErrSyntax              = errors.New("chatbot: syntax error")
	ErrMissingField        = errors.New("chatbot: missing field")
	ErrUnknownField        = errors.New("chatbot: unknown field")
	ErrDuplicateID         = errors.New("chatbot: duplicate id")
	ErrTooManyQuickReplies = errors.New("chatbot: too many quick replies")
	ErrLabelTooLong        = errors.New("chatbot: quick reply label too long")
	ErrBadURL              = errors.New("chatbot: bad URL")
	ErrBadDate             = errors.New("chatbot: bad date")
	ErrUnknownDesk         = errors.New("chatbot: unknown desk")
	ErrUnusedException     = errors.New("chatbot: danger exception holds no danger keyword")
	ErrEncoding            = errors.New("chatbot: bad text encoding")
	ErrEmpty               = errors.New("chatbot: no entries")
	ErrUnknownExpected     = errors.New("chatbot: expected id not in knowledge base")
	ErrSeparator           = errors.New("chatbot: value holds a CSV cell separator")
)

// LoadError is one problem in a knowledge-base or query file, with its
// position and a message staff can act on (Japanese).
type LoadError struct {
	Pos   Position
	Field string
	Msg   string
	Err   error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel (ErrSyntax, ErrTooManyQuickReplies, …).
func (e *LoadError) Unwrap() error { return e.Err }

// LoadErrors is every problem found in one file; loading reports them all at
// once so staff can fix a spreadsheet in one pass.
type LoadErrors []*LoadError

func (es *LoadErrors) Error() string {
	var b strings.Builder
	for i, e := range *es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As see every LoadError.
func (es *LoadErrors) Unwrap() []error {
	out := make([]error, len(*es))
	for i, e := range *es {
		out[i] = e
	}
	return out
}
