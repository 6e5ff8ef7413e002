package casefile

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// Permission is what a role may do (RBAC). Consent and DV等支援措置 only ever
// narrow what a role allows.
type Permission uint16

// Permissions.
const (
	PermRead       Permission = 1 << iota // read records (consent-gated outside the owning desk)
	PermWrite                             // create and change records of the desk's cases
	PermSensitive                         // see and record 要配慮 (health_disability) and DV-related data
	PermExport                            // export CSV and disclosure copies
	PermImport                            // import legacy CSV
	PermReport                            // produce aggregate reports
	PermConsent                           // record consent events
	PermAudit                             // verify the audit log, read the disclosure register
	PermStatistics                        // read the unsuppressed statistical facts (ReportFacts)
)

// Actor is who acts: a staff member (User) of a department (Org) in a Role,
// in a municipality (Tenant), through a client application. Person is the
// staff member's own person id as a resident, when known, so that a DV
// counterparty working at the city hall is refused too.
type Actor struct {
	Tenant string
	User   string
	Org    string
	Role   string
	Client string
	Person string
}

func (a Actor) audit() audit.Actor {
	return audit.Actor{User: a.User, Org: a.Org, Role: a.Role, Client: a.Client}
}

func (a Actor) consent() consent.Actor {
	return consent.Actor{User: a.User, Org: a.Org, Role: a.Role, Person: a.Person}
}

// Config configures a Service.
type Config struct {
	// Roles maps role names to permissions; an unknown role has none.
	Roles map[string]Permission
	// Contracts (委託契約) and Mandates (statutory bases held) are the
	// municipality's configuration for consent decisions.
	Contracts []consent.Contract
	Mandates  []consent.Mandate
	// Signer and Sink, when both set, sign and export an audit checkpoint
	// every CheckpointEvery entries (default 1,000) per tenant.
	Signer          *audit.Signer
	Sink            audit.Sink
	CheckpointEvery uint64
	// QueryKey keys the HMAC-SHA-256 that hides search terms in the audit
	// log (the log holds the MAC, never the 宛名番号 searched). Keep it
	// secret and stable to correlate searches over time; nil: a random key
	// per Service.
	QueryKey []byte
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// ReportK is the smallest count a released table shows (0:
	// DefaultReportK, 3); ReportGraceMonths the months after a fiscal year
	// ends before it can be released (0: DefaultReportGraceMonths, 2);
	// OrgNames the Japanese names of department codes in the tables.
	ReportK           int
	ReportGraceMonths int
	OrgNames          map[string]string
	// SelfConsentAge is the age from which a child's own consent counts
	// (0: DefaultSelfConsentAge, 16). Below it a 法定代理人 consents; from
	// the day the child reaches 18 only the child does. Both are decided
	// from Person.BirthDate; without one, no age limit applies.
	SelfConsentAge int
}

// Service is the case record as departments use it: every read is decided
// (RBAC for the owning desk's in-purpose work, consent.Decide otherwise),
// redacted and audited; every change is versioned, validated, authorised
// and audited in the same transaction. It is safe for concurrent use.
type Service struct {
	store Store
	cfg   Config
	now   func() time.Time

	mu       sync.Mutex
	exported map[string]uint64 // tenant -> seq of the last exported checkpoint
}

// New returns a Service on store.
func New(store Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("casefile: store is required")
	}
	for i, c := range cfg.Contracts {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("casefile: contracts[%d]: %w", i, err)
		}
	}
	for i, m := range cfg.Mandates {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("casefile: mandates[%d]: %w", i, err)
		}
	}
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = 1000
	}
	if len(cfg.QueryKey) == 0 {
		cfg.QueryKey = make([]byte, 32)
		if _, err := rand.Read(cfg.QueryKey); err != nil {
			return nil, err
		}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, cfg: cfg, now: now, exported: map[string]uint64{}}, nil
}

// Store returns the underlying store (for backups and administration; it
// bypasses access control and audit).
func (s *Service) Store() Store { return s.store }

// Now returns the Service's clock reading.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) can(a Actor, p Permission) bool { return s.cfg.Roles[a.Role]&p == p }

func checkActor(a Actor) error {
	if a.Tenant == "" || a.User == "" || a.Org == "" {
		return fmt.Errorf("%w: actor needs tenant, user and org", ErrInvalid)
	}
	return nil
}

// deny records a refused attempt in its own transaction (the refused work
// was not done, so there is nothing to roll back with it) and returns the
// *DeniedError.
func (s *Service) deny(ctx context.Context, a Actor, r audit.Record, action, reason, detail string) error {
	r.At, r.Actor, r.Decision, r.Reason = s.clock(), a.audit(), audit.Deny, reason
	if r.Outcome == "" {
		r.Outcome = "denied"
	}
	if err := s.store.Update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(r) }); err != nil {
		return fmt.Errorf("casefile: record denied %s: %w", action, err)
	}
	s.maybeCheckpoint(ctx, a.Tenant)
	return &DeniedError{Action: action, Reason: reason, Detail: detail}
}

// update runs fn and then exports a checkpoint when one is due.
func (s *Service) update(ctx context.Context, tenant string, fn func(Tx) error) error {
	if err := s.store.Update(ctx, tenant, fn); err != nil {
		return err
	}
	s.maybeCheckpoint(ctx, tenant)
	return nil
}

// maybeCheckpoint signs and exports the head when a multiple of
// CheckpointEvery was crossed. A failing sink does not fail the change that
// was already committed: the next due checkpoint covers it, and
// Checkpoint can be called explicitly and checked.
func (s *Service) maybeCheckpoint(ctx context.Context, tenant string) {
	if s.cfg.Signer == nil || s.cfg.Sink == nil {
		return
	}
	head, err := s.store.AuditHead(ctx, tenant)
	if err != nil || head.Seq == 0 {
		return
	}
	s.mu.Lock()
	due := head.Seq >= s.exported[tenant]+s.cfg.CheckpointEvery
	s.mu.Unlock()
	if due {
		_, _ = s.Checkpoint(ctx, tenant)
	}
}

func (s *Service) noteCheckpoint(tenant string, seq uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq > s.exported[tenant] {
		s.exported[tenant] = seq
	}
}

// Checkpoint signs the tenant's current audit head and exports it through
// the configured sink.
func (s *Service) Checkpoint(ctx context.Context, tenant string) (audit.Checkpoint, error) {
	if s.cfg.Signer == nil || s.cfg.Sink == nil {
		return audit.Checkpoint{}, errors.New("casefile: no checkpoint signer and sink configured")
	}
	head, err := s.store.AuditHead(ctx, tenant)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	cp := s.cfg.Signer.Sign(head, s.clock())
	if err := s.cfg.Sink.Export(ctx, cp); err != nil {
		return audit.Checkpoint{}, fmt.Errorf("casefile: export checkpoint: %w", err)
	}
	s.noteCheckpoint(tenant, head.Seq)
	return cp, nil
}

// VerifyAudit checks the tenant's audit log up to the head it reads first,
// that head row, and the given checkpoints (signed with pub); entries
// others append meanwhile are left for the next verification, so it can
// run on a live system. It is itself audited: outcome "ok", "tampered"
// (an *audit.TamperError) or "error" (the check could not finish).
func (s *Service) VerifyAudit(ctx context.Context, a Actor, pub []byte, checkpoints []audit.Checkpoint) (audit.Report, error) {
	if err := checkActor(a); err != nil {
		return audit.Report{}, err
	}
	if !s.can(a, PermAudit) {
		return audit.Report{}, s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Purpose: "audit"}, "監査ログの検証", "no_role", "監査の権限がありません")
	}
	head, err := s.store.AuditHead(ctx, a.Tenant)
	if err != nil {
		return audit.Report{}, err
	}
	rep, err := audit.Verify(ctx, a.Tenant, func(ctx context.Context, from uint64, fn func(audit.Entry) error) error {
		return s.store.ScanAudit(ctx, a.Tenant, from, fn)
	}, head, pub, checkpoints)
	outcome := "ok"
	switch {
	case errors.Is(err, audit.ErrTampered):
		outcome = "tampered"
	case err != nil:
		outcome = "error"
	}
	rec := audit.Record{At: s.clock(), Actor: a.audit(), Action: audit.ActionRead, Purpose: "audit", Basis: audit.Basis{Kind: "role"},
		Decision: audit.Permit, Outcome: outcome, Entities: []audit.EntityRef{{Type: "audit_log", ID: a.Tenant, Version: int64(head.Seq)}}}
	if aerr := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); aerr != nil && err == nil {
		err = aerr
	}
	return rep, err
}

// queryHash hides a search term: HMAC-SHA-256 with the Service's key.
func (s *Service) queryHash(parts ...string) string {
	m := hmac.New(sha256.New, s.cfg.QueryKey)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// FindPersons returns the ids of the persons holding an external
// identifier (宛名番号 …) that the actor's department may know about: the
// persons it owns, and those whose identity it may see for purpose under
// their consent. Being on the record is itself information (the resident
// is a client of the single-parent desk), so any other match is left out
// of the answer. The search is audited with an HMAC of the term, never
// the term, naming the persons returned; matches left out are recorded
// in a second, refused entry, so the person's access log shows the search.
func (s *Service) FindPersons(ctx context.Context, a Actor, purpose consent.Purpose, id ExternalID) ([]string, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	rec := audit.Record{Action: audit.ActionSearch, Purpose: purpose.String(), QueryHash: s.queryHash(id.System, id.Value)}
	if !s.can(a, PermRead) {
		return nil, s.deny(ctx, a, rec, "検索", "no_role", "閲覧の権限がありません")
	}
	if !purpose.Valid() {
		return nil, fmt.Errorf("%w: search purpose is required", ErrInvalid)
	}
	var out []string
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		rows, err := tx.List(ctx, Query{Kind: KindPerson, Key: id.System + ":" + id.Value})
		if err != nil {
			return err
		}
		out = out[:0]
		var hidden []string
		for _, r := range rows {
			ok, err := s.mayKnow(ctx, tx, a, purpose, r.ID)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, r.ID)
			} else {
				hidden = append(hidden, r.ID)
			}
		}
		now := s.clock()
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Subjects = now, a.audit(), audit.Permit, "ok", out
		rec.Basis = audit.Basis{Kind: "role"}
		if len(out) > 0 {
			rec.Categories = []string{consent.CategoryIdentity.String()}
		}
		if err := tx.Audit(rec); err != nil {
			return err
		}
		if len(hidden) == 0 {
			return nil
		}
		left := audit.Record{At: now, Actor: a.audit(), Action: audit.ActionSearch, Purpose: purpose.String(), QueryHash: rec.QueryHash,
			Decision: audit.Deny, Outcome: "withheld", Reason: "not_permitted", Subjects: hidden}
		return tx.Audit(left)
	})
	return out, err
}

// mayKnow reports whether a's department may learn that the person is on
// the record: it owns them, or may see their identity for purpose (and is
// no counterparty of a measure on their household).
func (s *Service) mayKnow(ctx context.Context, tx Tx, a Actor, purpose consent.Purpose, person string) (bool, error) {
	sc, err := s.personScope(ctx, tx, person)
	if err != nil {
		return false, err
	}
	if sc.counterparty(a.Person) {
		return false, nil
	}
	owns, err := ownsPerson(ctx, tx, a.Org, person)
	if err != nil || owns {
		return owns, err
	}
	d, err := sc.decider(person)
	if err != nil {
		return false, err
	}
	dec, err := d.Decide(consent.Request{Actor: a.consent(), Subject: person, Action: consent.ActionView,
		Purpose: purpose, Categories: consent.Categories(consent.CategoryIdentity), At: sc.at})
	if err != nil {
		return false, err
	}
	return dec.Permitted.Has(consent.CategoryIdentity), nil
}

// RecordConsent appends a consent event to the subject's log after the
// consent package has checked it against the subject's history, and
// returns the event as stored (with its Seq). Who may record what:
//
//   - a withdrawal or a recorded expiry, any department with PermConsent
//     (a resident may withdraw wherever they ask);
//   - a new consent, the desk that owns the person (the subject or a
//     member of its case, or registered by it and in no case yet);
//   - an amendment, reconfirmation or correction, that desk or the
//     consent's manager (Consent.Manager);
//   - nothing, a counterparty of a DV等支援措置 on the household.
//
// A consent id is unique in the municipality: a consent given under an id
// another person's consent already uses is refused (*ValidationError), so
// one paper form signed for several household members needs one id per
// person (evidence.ref keeps the form's number).
func (s *Service) RecordConsent(ctx context.Context, a Actor, subject string, ev consent.Event) (consent.Event, error) {
	if err := checkActor(a); err != nil {
		return consent.Event{}, err
	}
	rec := audit.Record{Action: audit.ActionConsent, Subjects: []string{subject}, Categories: nil}
	if !s.can(a, PermConsent) {
		return consent.Event{}, s.deny(ctx, a, rec, "同意の記録", "no_role", "同意を記録する権限がありません")
	}
	if ev.Type == consent.EventGiven && (ev.Consent == nil || ev.Consent.Subject != subject) {
		return consent.Event{}, fmt.Errorf("%w: the consent's subject must be %s", ErrInvalid, subject)
	}
	var stored consent.Event
	var refused string
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		var done audit.Record
		var err error
		stored, refused, done, err = s.appendConsent(ctx, tx, a, subject, ev)
		if refused != "" {
			return ErrDenied
		}
		if err != nil {
			return err
		}
		return tx.Audit(done)
	})
	if refused != "" {
		rec.Basis = audit.Basis{ConsentIDs: []string{ev.ConsentID}}
		return consent.Event{}, s.deny(ctx, a, rec, "同意の記録", refused, refusalDetail(refused))
	}
	return stored, err
}

// appendConsent checks ev against the subject's consent log and the desk
// rule, and appends it inside tx. refused is the reason of a refusal (""
// when the event is accepted); rec is the audit record of an accepted
// event, for the caller to append in the same transaction.
func (s *Service) appendConsent(ctx context.Context, tx Tx, a Actor, subject string, ev consent.Event) (consent.Event, string, audit.Record, error) {
	rec := audit.Record{Action: audit.ActionConsent, Subjects: []string{subject}}
	log, err := subjectLog(ctx, tx, subject)
	if err != nil {
		return consent.Event{}, "", rec, err
	}
	if refused, err := s.mayRecordConsent(ctx, tx, a, subject, ev, log); err != nil || refused != "" {
		return consent.Event{}, refused, rec, err
	}
	if pr, err := tx.Get(ctx, KindPerson, subject); err == nil {
		var p Person
		if err := DecodeRow(pr, &p); err != nil {
			return consent.Event{}, "", rec, err
		}
		if err := s.checkCapacity(&p, ev); err != nil {
			return consent.Event{}, "", rec, err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return consent.Event{}, "", rec, err
	}
	ev.Seq = 0
	stored, err := log.Append(ev)
	if err != nil {
		return consent.Event{}, "", rec, err
	}
	now := s.clock()
	ce := &ConsentEvent{Meta: Meta{ID: NewID(), TenantID: a.Tenant, Version: 1, CreatedAt: now, CreatedBy: a.User, CreatedOrg: a.Org, UpdatedAt: now, UpdatedBy: a.User},
		Subject: subject, Seq: stored.Seq, Event: stored}
	if err := ce.Validate(); err != nil {
		return consent.Event{}, "", rec, err
	}
	row, err := EncodeRow(ce)
	if err != nil {
		return consent.Event{}, "", rec, err
	}
	if err := tx.Insert(ctx, row); err != nil {
		var de *DuplicateKeyError
		switch {
		case errors.As(err, &de) && de.Key == consentIDKey(ev.ConsentID):
			return consent.Event{}, "", rec, &ValidationError{Kind: KindConsent, Problems: []Problem{{"consent_id",
				"この同意番号は別の方の同意で使われています。同じ同意書で世帯員ごとに記録するときは、人ごとに別の同意番号にしてください（同意書の番号は evidence.ref に記録します）"}}}
		case errors.Is(err, ErrDuplicateKey):
			return consent.Event{}, "", rec, &ConflictError{Kind: KindConsent, ID: subject, Expected: int64(stored.Seq - 1), Current: int64(stored.Seq)}
		}
		return consent.Event{}, "", rec, err
	}
	rec.At, rec.Actor, rec.Decision, rec.Outcome = now, a.audit(), audit.Permit, "ok"
	rec.Basis = audit.Basis{Kind: "role", ConsentIDs: []string{ev.ConsentID}}
	rec.Reason = stored.Type.String()
	rec.Entities = []audit.EntityRef{{Type: string(KindConsent), ID: ce.ID, Version: 1}}
	return stored, "", rec, nil
}

// mayRecordConsent applies the rules of RecordConsent; it returns the
// reason of a refusal, or "".
func (s *Service) mayRecordConsent(ctx context.Context, tx Tx, a Actor, subject string, ev consent.Event, log *consent.Log) (string, error) {
	sc, err := s.personScope(ctx, tx, subject)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if sc != nil && sc.counterparty(a.Person) {
		return "counterparty", nil
	}
	switch ev.Type {
	case consent.EventWithdrawn, consent.EventExpired:
		return "", nil
	}
	owns, err := ownsPerson(ctx, tx, a.Org, subject)
	if errors.Is(err, ErrNotFound) {
		return "not_owner", nil
	}
	if err != nil || owns {
		return "", err
	}
	if ev.Type != consent.EventGiven {
		if r, err := log.Record(ev.ConsentID); err == nil && r.Versions[len(r.Versions)-1].Consent.Manager == a.Org {
			return "", nil
		}
	}
	return "not_owner", nil
}

// consentAccess is the desk rule for reading consent records: PermConsent,
// no counterparty of a measure on the household, and the desk owning the
// person, or the manager of the consent asked about (consentID; "" for
// none). It returns the reason of a refusal, or "".
func (s *Service) consentAccess(ctx context.Context, tx Tx, a Actor, subject, consentID string) (string, error) {
	if !s.can(a, PermConsent) {
		return "no_role", nil
	}
	sc, err := s.personScope(ctx, tx, subject)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if sc != nil && sc.counterparty(a.Person) {
		return "counterparty", nil
	}
	owns, err := ownsPerson(ctx, tx, a.Org, subject)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if owns {
		return "", nil
	}
	if consentID != "" {
		log, err := subjectLog(ctx, tx, subject)
		if err != nil {
			return "", err
		}
		if r, err := log.Record(consentID); err == nil && r.Versions[len(r.Versions)-1].Consent.Manager == a.Org {
			return "", nil
		}
	}
	return "not_owner", nil
}

// subjectEvents loads a subject's consent events in their order, numbered
// 1, 2, … as consent.Replay expects.
func subjectEvents(ctx context.Context, tx Tx, subject string) ([]consent.Event, error) {
	rows, err := tx.List(ctx, Query{Kind: KindConsent, PersonID: subject})
	if err != nil {
		return nil, err
	}
	out := make([]consent.Event, 0, len(rows))
	for _, r := range rows {
		var ce ConsentEvent
		if err := DecodeRow(r, &ce); err != nil {
			return nil, err
		}
		out = append(out, ce.Event)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// subjectLog replays a subject's consent events into a consent.Log.
func subjectLog(ctx context.Context, tx Tx, subject string) (*consent.Log, error) {
	evs, err := subjectEvents(ctx, tx, subject)
	if err != nil {
		return nil, err
	}
	log, err := consent.Replay(evs)
	if err != nil {
		return nil, fmt.Errorf("casefile: consent log of %s: %w", subject, err)
	}
	return log, nil
}

// ConsentRecords returns the subject's consents with their derived state
// (for receipts and withdrawal handling). The desk owning the person sees
// all of them; another department with PermConsent only the consents it
// manages (Consent.Manager); a counterparty of a DV等支援措置 on the
// household none. The read and any refusal are audited with the consent
// ids returned.
func (s *Service) ConsentRecords(ctx context.Context, a Actor, subject string) ([]consent.Record, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	rec := audit.Record{Action: audit.ActionRead, Purpose: "consent", Subjects: []string{subject}, Categories: nil}
	if !s.can(a, PermConsent) {
		return nil, s.deny(ctx, a, rec, "同意の閲覧", "no_role", "同意を扱う権限がありません")
	}
	var out []consent.Record
	var refused string
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		log, err := subjectLog(ctx, tx, subject)
		if err != nil {
			return err
		}
		out = out[:0]
		if refused, err = s.consentAccess(ctx, tx, a, subject, ""); err != nil {
			return err
		}
		all := log.Subject(subject)
		if refused == "" {
			out = all
		} else if refused == "not_owner" {
			for _, r := range all {
				if r.Versions[len(r.Versions)-1].Consent.Manager == a.Org {
					out = append(out, r)
				}
			}
			if len(out) > 0 {
				refused = ""
			}
		}
		if refused != "" {
			return ErrDenied
		}
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
		for _, r := range out {
			rec.Basis.ConsentIDs = append(rec.Basis.ConsentIDs, r.ID)
		}
		return tx.Audit(rec)
	})
	if refused != "" {
		return nil, s.deny(ctx, a, rec, "同意の閲覧", refused, refusalDetail(refused))
	}
	return out, err
}
