package casefile

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; the typed errors below wrap them so callers can use
// errors.Is for the kind and errors.As for the details.
var (
	ErrNotFound     = errors.New("casefile: not found")
	ErrConflict     = errors.New("casefile: version conflict")
	ErrExists       = errors.New("casefile: already exists")
	ErrDuplicateKey = errors.New("casefile: duplicate key")
	ErrAppendOnly   = errors.New("casefile: append-only entity cannot be changed")
	ErrReadOnly     = errors.New("casefile: read-only transaction")
	ErrInvalid      = errors.New("casefile: invalid")
	ErrDenied       = errors.New("casefile: access denied")
	ErrMyNumber     = errors.New("casefile: My Number (個人番号) must not be stored")
)

// ConflictError is returned when an update carried a stale version: someone
// else changed the entity first. Nothing was written; reload, reapply the
// change and retry with Current.
type ConflictError struct {
	Kind     Kind
	ID       string
	Expected int64 // the version the caller based the change on
	Current  int64 // the version stored now
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("casefile: %s %s was changed by someone else (expected version %d, current %d)", e.Kind, e.ID, e.Expected, e.Current)
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// RetryError is returned when the database aborted a transaction to settle
// a conflict with a concurrent one: a deadlock (PostgreSQL 40P01), a
// serialization failure (40001), or a lock another process held longer
// than the busy timeout (SQLite SQLITE_BUSY). Nothing was written; reload,
// reapply and retry, as after a *ConflictError (HTTP 409). errors.Is(err,
// ErrConflict) is true.
type RetryError struct {
	Reason string // "deadlock", "serialization_failure", "busy"
	Err    error  // the database's error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("casefile: the database aborted the transaction (%s); nothing was written, retry: %v", e.Reason, e.Err)
}

// Unwrap makes errors.Is(err, ErrConflict) true and keeps the database's
// error reachable.
func (e *RetryError) Unwrap() []error { return []error{ErrConflict, e.Err} }

// NotFoundError names the missing entity.
type NotFoundError struct {
	Kind Kind
	ID   string
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("casefile: %s %s not found", e.Kind, e.ID) }

// Unwrap makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// DuplicateKeyError is returned when a lookup key (such as a 宛名番号) is
// already used by another entity of the same kind.
type DuplicateKeyError struct {
	Kind Kind
	Key  string // the key, e.g. "atena:0012345": personal data, never logged
	// OwnerID is the entity holding the key. Service.Change leaves it
	// empty when the key is a person's and the acting department does not
	// own that person: it learns that the number is on file, not who.
	OwnerID string
}

// Error names the key's system for a person (a 宛名番号 is personal data
// and stays out of messages and logs; Key still holds it) and the holder
// only when the caller may know it.
func (e *DuplicateKeyError) Error() string {
	key := e.Key
	if e.Kind == KindPerson {
		system, _, _ := strings.Cut(e.Key, ":")
		key = system + ":…"
	}
	if e.OwnerID == "" {
		return fmt.Sprintf("casefile: %s key %q is already taken", e.Kind, key)
	}
	return fmt.Sprintf("casefile: %s key %q already belongs to %s", e.Kind, key, e.OwnerID)
}

// Unwrap makes errors.Is(err, ErrDuplicateKey) true.
func (e *DuplicateKeyError) Unwrap() error { return ErrDuplicateKey }

// Problem is one invalid field; Message is Japanese, for staff.
type Problem struct {
	Field   string
	Message string
}

// ValidationError lists everything wrong with an entity.
type ValidationError struct {
	Kind     Kind
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return fmt.Sprintf("casefile: %s の入力に誤りがあります: %s", e.Kind, strings.Join(parts, "; "))
}

// Unwrap makes errors.Is(err, ErrInvalid) true, and ErrMyNumber when one of
// the problems is an attempt to store a 個人番号.
func (e *ValidationError) Unwrap() []error {
	out := []error{ErrInvalid}
	for _, p := range e.Problems {
		if p.Message == myNumberMessage {
			out = append(out, ErrMyNumber)
			break
		}
	}
	return out
}

// DeniedError is returned when the actor may not do what was asked. It was
// recorded in the audit log.
type DeniedError struct {
	Action string
	Reason string // code, e.g. "no_role", "no_consent", "restricted"
	Detail string // Japanese explanation for staff
}

func (e *DeniedError) Error() string {
	return fmt.Sprintf("casefile: %s は許可されていません（%s）: %s", e.Action, e.Reason, e.Detail)
}

// Unwrap makes errors.Is(err, ErrDenied) true.
func (e *DeniedError) Unwrap() error { return ErrDenied }

type problems []Problem

func (ps *problems) add(field, msg string) { *ps = append(*ps, Problem{field, msg}) }

func (ps problems) err(k Kind) error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Kind: k, Problems: ps}
}
