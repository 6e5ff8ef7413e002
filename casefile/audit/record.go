package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Action is what was done.
type Action string

// The actions recorded.
const (
	ActionRead       Action = "read"       // a record was viewed
	ActionSearch     Action = "search"     // a search ran; Subjects are the persons returned
	ActionCreate     Action = "create"     // an entity was created
	ActionUpdate     Action = "update"     // an entity was changed
	ActionExport     Action = "export"     // data left the system (CSV, disclosure copy)
	ActionImport     Action = "import"     // data came in from a legacy file
	ActionReport     Action = "report"     // an aggregate report was produced
	ActionConsent    Action = "consent"    // a consent event was recorded
	ActionNotify     Action = "notify"     // a notification was produced
	ActionBreakGlass Action = "breakglass" // access under a statutory emergency basis
)

var knownActions = map[Action]bool{ActionRead: true, ActionSearch: true, ActionCreate: true, ActionUpdate: true,
	ActionExport: true, ActionImport: true, ActionReport: true, ActionConsent: true, ActionNotify: true, ActionBreakGlass: true}

// Decision is the access decision the action ran under.
type Decision string

// Decisions.
const (
	Permit Decision = "permit"
	Deny   Decision = "deny"
)

// Actor is who acted: a staff user of a department (org) in a role, through
// a client application.
type Actor struct {
	User   string `json:"user"`
	Org    string `json:"org"`
	Role   string `json:"role,omitempty"`
	Client string `json:"client,omitempty"`
}

// Basis is why the action was allowed (or what was claimed when denied).
type Basis struct {
	// Kind is "consent", "statute", "role" (the owning desk's in-purpose
	// work) or "" when there was none.
	Kind       string   `json:"kind,omitempty"`
	ConsentIDs []string `json:"consent_ids,omitempty"`
	Statute    string   `json:"statute,omitempty"`
}

// EntityRef names one entity version touched.
type EntityRef struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Version int64  `json:"version,omitempty"`
}

// Record is one thing to log. It holds identifiers, never content.
type Record struct {
	At         time.Time   `json:"at"`
	Actor      Actor       `json:"actor"`
	Action     Action      `json:"action"`
	Purpose    string      `json:"purpose,omitempty"`
	Basis      Basis       `json:"basis"`
	Decision   Decision    `json:"decision"`
	Outcome    string      `json:"outcome,omitempty"` // "ok" or an error class such as "conflict"
	Reason     string      `json:"reason,omitempty"`  // a code (e.g. "no_consent"), never free text
	Subjects   []string    `json:"subjects,omitempty"`
	CaseID     string      `json:"case_id,omitempty"`
	Entities   []EntityRef `json:"entities,omitempty"`
	Categories []string    `json:"categories,omitempty"`
	Recipient  string      `json:"recipient,omitempty"` // department that received data
	QueryHash  string      `json:"query_hash,omitempty"`
}

// Entry is a sealed Record: its place in the tenant's chain and its hashes.
type Entry struct {
	Tenant   string   `json:"tenant"`
	Seq      uint64   `json:"seq"`
	Record            // embedded
	PrevHash [32]byte `json:"-"`
	Leaf     [32]byte `json:"-"`
	Hash     [32]byte `json:"-"`
}

// Head is the state of a tenant's chain: the last sequence number and hash.
// Seq 0 with a zero Hash is the empty log.
type Head struct {
	Tenant string
	Seq    uint64
	Hash   [32]byte
}

// HashHex returns the head hash in hex.
func (h Head) HashHex() string { return hex.EncodeToString(h.Hash[:]) }

// ErrInvalidRecord is returned by Seal for a record that cannot be logged.
var ErrInvalidRecord = errors.New("audit: invalid record")

// Validate checks that r names an actor, a known action and a decision.
func (r Record) Validate() error {
	switch {
	case r.Actor.User == "" || r.Actor.Org == "":
		return fmt.Errorf("%w: actor user and org are required", ErrInvalidRecord)
	case !knownActions[r.Action]:
		return fmt.Errorf("%w: unknown action %q", ErrInvalidRecord, r.Action)
	case r.Decision != Permit && r.Decision != Deny:
		return fmt.Errorf("%w: decision must be permit or deny, got %q", ErrInvalidRecord, r.Decision)
	case r.At.IsZero():
		return fmt.Errorf("%w: time is required", ErrInvalidRecord)
	}
	return nil
}

// Seal turns r into the entry that follows head. The time is truncated to
// microseconds, the precision every store keeps.
func Seal(head Head, r Record) (Entry, error) {
	if head.Tenant == "" {
		return Entry{}, fmt.Errorf("%w: tenant is required", ErrInvalidRecord)
	}
	if err := r.Validate(); err != nil {
		return Entry{}, err
	}
	r.At = r.At.UTC().Truncate(time.Microsecond)
	e := Entry{Tenant: head.Tenant, Seq: head.Seq + 1, Record: r, PrevHash: head.Hash}
	e.Leaf = e.LeafHash()
	e.Hash = ChainHash(e.PrevHash, e.Leaf)
	return e, nil
}

// Head returns the chain head after e.
func (e Entry) Head() Head { return Head{Tenant: e.Tenant, Seq: e.Seq, Hash: e.Hash} }

// LeafHash computes SHA-256(0x00 ‖ canonical(e)).
func (e Entry) LeafHash() [32]byte {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(e.Canonical(nil))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// ChainHash computes SHA-256(0x01 ‖ prev ‖ leaf).
func ChainHash(prev, leaf [32]byte) [32]byte {
	var buf [65]byte
	buf[0] = 1
	copy(buf[1:], prev[:])
	copy(buf[33:], leaf[:])
	return sha256.Sum256(buf[:])
}

// canonicalVersion prefixes every encoding so the format can evolve.
const canonicalVersion = 1

// Canonical appends the fixed binary encoding of e (without its hashes) to
// b: a version byte, then every field in declaration order; strings and
// lists as unsigned varint length followed by the items; integers as
// big-endian 8 bytes; the time as Unix microseconds. Two entries have equal
// encodings exactly when their fields are equal.
func (e Entry) Canonical(b []byte) []byte {
	b = append(b, canonicalVersion)
	b = appendStr(b, e.Tenant)
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = appendStr(b, e.Actor.User)
	b = appendStr(b, e.Actor.Org)
	b = appendStr(b, e.Actor.Role)
	b = appendStr(b, e.Actor.Client)
	b = appendStr(b, string(e.Action))
	b = appendStr(b, e.Purpose)
	b = appendStr(b, e.Basis.Kind)
	b = appendList(b, e.Basis.ConsentIDs)
	b = appendStr(b, e.Basis.Statute)
	b = appendStr(b, string(e.Decision))
	b = appendStr(b, e.Outcome)
	b = appendStr(b, e.Reason)
	b = appendList(b, e.Subjects)
	b = appendStr(b, e.CaseID)
	b = binary.AppendUvarint(b, uint64(len(e.Entities)))
	for _, r := range e.Entities {
		b = appendStr(b, r.Type)
		b = appendStr(b, r.ID)
		b = binary.BigEndian.AppendUint64(b, uint64(r.Version))
	}
	b = appendList(b, e.Categories)
	b = appendStr(b, e.Recipient)
	b = appendStr(b, e.QueryHash)
	return b
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendList(b []byte, l []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, s := range l {
		b = appendStr(b, s)
	}
	return b
}
