package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/onestop-jp/onestop/casefile/audit"
)

// Row is an entity as stores keep it: the indexed columns and the JSON body.
// Stores never interpret Body.
type Row struct {
	Kind      Kind
	ID        string
	Tenant    string
	Version   int64
	CaseID    string
	PersonID  string
	Keys      []string // lookup keys, unique per tenant and kind; written by Insert and Update, not filled in by reads
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Body      []byte
}

// CheckFor reports why r cannot be written by a transaction of tenant: an
// unknown kind, no id, or another tenant's row. The error wraps ErrInvalid.
// Every Store checks rows with it before writing.
func (r Row) CheckFor(tenant string) error {
	switch {
	case !r.Kind.Valid():
		return fmt.Errorf("unknown kind %q: %w", r.Kind, ErrInvalid)
	case r.ID == "":
		return fmt.Errorf("%s without id: %w", r.Kind, ErrInvalid)
	case r.Tenant != tenant:
		return fmt.Errorf("%s %s belongs to tenant %q, not %q: %w", r.Kind, r.ID, r.Tenant, tenant, ErrInvalid)
	}
	return nil
}

// Query selects rows of one kind in one tenant; empty fields do not filter.
// Results are ordered by ID (UUIDv7, so creation order) and paged with
// AfterID and Limit (0: no limit). IDs, CaseIDs and PersonIDs select rows
// whose id, case or person is any of the list (batch reads: one query for
// a page of cases instead of one per case); a non-nil empty list selects
// nothing.
type Query struct {
	Kind      Kind
	CaseID    string
	PersonID  string
	Key       string
	AfterID   string
	Limit     int
	IDs       []string
	CaseIDs   []string
	PersonIDs []string
}

// Tx is one transaction on one tenant. A Tx is used by one goroutine.
type Tx interface {
	// Tenant returns the municipality code the transaction works on.
	Tenant() string
	// Get returns the current row, or a *NotFoundError.
	Get(ctx context.Context, kind Kind, id string) (Row, error)
	// List returns rows matching q.
	List(ctx context.Context, q Query) ([]Row, error)
	// Insert stores a new row with Version 1: *DuplicateKeyError when a key
	// is taken, ErrExists when the id is.
	Insert(ctx context.Context, r Row) error
	// Update replaces the row if its stored version is r.Version-1 and
	// keeps the old one as a revision; a *ConflictError carries the current
	// version otherwise. Append-only kinds return ErrAppendOnly.
	Update(ctx context.Context, r Row) error
	// Revisions returns every version of an entity, oldest first.
	Revisions(ctx context.Context, kind Kind, id string) ([]Row, error)
	// Audit queues a record; the store seals and appends it to the
	// tenant's chain in this transaction, at commit, so a change and its
	// audit entry are written together or not at all.
	Audit(r audit.Record) error
}

// Store keeps case records for many tenants. Implementations are safe for
// concurrent use; casefile/storetest is the conformance suite every one
// must pass.
type Store interface {
	// Update runs fn in a read-write transaction and commits when fn
	// returns nil. If fn or the commit fails nothing is written.
	Update(ctx context.Context, tenant string, fn func(Tx) error) error
	// View runs fn in a read-only transaction; writes return ErrReadOnly.
	View(ctx context.Context, tenant string, fn func(Tx) error) error
	// AuditHead returns the head of the tenant's audit chain.
	AuditHead(ctx context.Context, tenant string) (audit.Head, error)
	// ScanAudit calls fn for each audit entry with Seq >= from, in order.
	ScanAudit(ctx context.Context, tenant string, from uint64, fn func(audit.Entry) error) error
	// AuditBySubject returns the sequence numbers of the entries that name
	// person among their subjects, ascending.
	AuditBySubject(ctx context.Context, tenant, person string) ([]uint64, error)
	// Close releases the store's resources.
	Close() error
}

// NewID returns a new UUIDv7 (time-ordered, random, from crypto/rand).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a UUID in canonical text form.
func ValidID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// EncodeRow turns e into a row (it does not touch e).
func EncodeRow(e Entity) (Row, error) {
	m := e.EntityMeta()
	body, err := json.Marshal(e)
	if err != nil {
		return Row{}, fmt.Errorf("casefile: encode %s %s: %w", e.EntityKind(), m.ID, err)
	}
	caseID, personID := e.Refs()
	return Row{Kind: e.EntityKind(), ID: m.ID, Tenant: m.TenantID, Version: m.Version, CaseID: caseID, PersonID: personID,
		Keys: e.Keys(), CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy, Body: body}, nil
}

// DecodeRow fills e from r; the row's columns win over the body's copy.
func DecodeRow(r Row, e Entity) error {
	if e.EntityKind() != r.Kind {
		return fmt.Errorf("casefile: decode %s row into %s", r.Kind, e.EntityKind())
	}
	if err := json.Unmarshal(r.Body, e); err != nil {
		return fmt.Errorf("casefile: decode %s %s: %w", r.Kind, r.ID, err)
	}
	m := e.EntityMeta()
	m.ID, m.TenantID, m.Version = r.ID, r.Tenant, r.Version
	m.CreatedAt, m.CreatedBy, m.UpdatedAt, m.UpdatedBy = r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy
	return nil
}

// newEntity returns a zero entity of kind k.
func newEntity(k Kind) Entity {
	switch k {
	case KindPerson:
		return &Person{}
	case KindCase:
		return &CaseFile{}
	case KindMember:
		return &HouseholdMember{}
	case KindSupport:
		return &SupportInUse{}
	case KindProgram:
		return &Program{}
	case KindConsultation:
		return &Consultation{}
	case KindConference:
		return &Conference{}
	case KindTask:
		return &Task{}
	case KindRestriction:
		return &AddressRestriction{}
	case KindConsent:
		return &ConsentEvent{}
	case KindRelease:
		return &ReportRelease{}
	}
	return nil
}
