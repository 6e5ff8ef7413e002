package consent

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors callers can test with errors.Is.
var (
	// ErrInvalid is wrapped by *ValidationError: a value breaks the model's
	// rules (a verbal consent without a witness, a provision without a
	// purpose, …).
	ErrInvalid = errors.New("invalid")
	// ErrInvalidRequest is wrapped by *RequestError.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrConflict is returned by Log.Append for an event that does not fit
	// the consent's history (an amendment after a withdrawal, a second
	// "given", a sequence number out of order …).
	ErrConflict = errors.New("event conflicts with the consent's history")
	// ErrNotFound is returned for an unknown consent id.
	ErrNotFound = errors.New("consent not found")
	// ErrNotWithdrawn is returned by RecipientsToTell for a consent that
	// was not withdrawn.
	ErrNotWithdrawn = errors.New("consent is not withdrawn")
)

// Problem is one broken rule: where (a JSON-style path such as
// "provisions[0].purposes") and what, in Japanese for the staff who
// recorded the data.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// ValidationError lists every problem found in a value. It wraps ErrInvalid.
type ValidationError struct {
	What     string // "consent", "event", "restriction", …
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "consent: invalid %s:", e.What)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, " %s: %s", p.Path, p.Message)
	}
	return b.String()
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// problems collects Problems while validating.
type problems struct{ list []Problem }

func (ps *problems) add(path, msg string) {
	ps.list = append(ps.list, Problem{Path: path, Message: msg})
}

func (ps *problems) err(what string) error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{What: what, Problems: ps.list}
}

// RequestError reports a malformed decision request. It wraps
// ErrInvalidRequest. The decision returned with it is a deny.
type RequestError struct {
	Field   string
	Message string
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("consent: invalid request: %s: %s", e.Field, e.Message)
}

func (e *RequestError) Unwrap() error { return ErrInvalidRequest }

// ConflictError reports an event that does not fit the history of its
// consent. It wraps ErrConflict.
type ConflictError struct {
	ConsentID string
	Seq       uint64
	Message   string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("consent: event %d for consent %q: %s", e.Seq, e.ConsentID, e.Message)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }
