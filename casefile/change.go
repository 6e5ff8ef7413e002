package casefile

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// Changes is one atomic change set: everything created or updated through
// it is written, with its audit entries, when the function given to
// Service.Change returns nil, and nothing is written otherwise.
type Changes struct {
	ctx     context.Context
	s       *Service
	tx      Tx
	actor   Actor
	purpose consent.Purpose
	// refusals are recorded whatever fn does with the error: with the
	// change set when it commits, on their own when it rolls back.
	refusals []audit.Record

	created  []audit.EntityRef // for an import's summary record
	subjects []string
}

// Change runs fn with a change set for actor, for purpose. A stale update
// returns a *ConflictError (nothing written: reload and retry); an
// unauthorised one a *DeniedError (recorded in the audit log); invalid
// data a *ValidationError.
func (s *Service) Change(ctx context.Context, a Actor, purpose consent.Purpose, fn func(*Changes) error) error {
	return s.change(ctx, a, purpose, PermWrite, nil, fn)
}

// Import is a Change made from a legacy file: it also needs PermImport and
// adds one import record (source names the file or system, never its
// content) to the audit log with the entities created.
func (s *Service) Import(ctx context.Context, a Actor, source string, fn func(*Changes) error) error {
	rec := &audit.Record{Action: audit.ActionImport, Purpose: consent.PurposeConsultation.String(), Reason: source}
	return s.change(ctx, a, consent.PurposeConsultation, PermWrite|PermImport, rec, fn)
}

func (s *Service) change(ctx context.Context, a Actor, purpose consent.Purpose, perm Permission, summary *audit.Record, fn func(*Changes) error) error {
	if err := checkActor(a); err != nil {
		return err
	}
	if !s.can(a, perm) {
		r := audit.Record{Action: audit.ActionUpdate, Purpose: purpose.String()}
		if summary != nil {
			r = *summary
		}
		return s.deny(ctx, a, r, "記録の変更", "no_role", "記録を変更する権限がありません")
	}
	var c *Changes
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		c = &Changes{ctx: ctx, s: s, tx: tx, actor: a, purpose: purpose}
		if err := fn(c); err != nil {
			return err
		}
		for _, r := range c.refusals {
			if err := tx.Audit(r); err != nil {
				return err
			}
		}
		if summary != nil {
			r := *summary
			r.At, r.Actor, r.Decision, r.Outcome, r.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
			r.Entities, r.Subjects = c.created, c.subjects
			return tx.Audit(r)
		}
		return nil
	})
	if err != nil && c != nil && len(c.refusals) > 0 {
		// The change set rolled back: its refusals are recorded on their own.
		if aerr := s.update(ctx, a.Tenant, func(tx Tx) error {
			for _, r := range c.refusals {
				if err := tx.Audit(r); err != nil {
					return err
				}
			}
			return nil
		}); aerr != nil {
			return errors.Join(err, fmt.Errorf("casefile: record refusals: %w", aerr))
		}
	}
	return err
}

// refuse records a refusal and returns its *DeniedError.
func (c *Changes) refuse(r audit.Record, action, reason, detail string) error {
	r.At, r.Actor, r.Decision, r.Reason = c.s.clock(), c.actor.audit(), audit.Deny, reason
	if r.Outcome == "" {
		r.Outcome = "denied"
	}
	if r.Purpose == "" {
		r.Purpose = c.purpose.String()
	}
	c.refusals = append(c.refusals, r)
	return &DeniedError{Action: action, Reason: reason, Detail: detail}
}

// notFound records a working read or write of an unknown id and returns
// err (probing for ids is audited).
func (c *Changes) notFound(k Kind, id string, err error) error {
	if errors.Is(err, ErrNotFound) {
		c.refusals = append(c.refusals, audit.Record{At: c.s.clock(), Actor: c.actor.audit(), Action: audit.ActionRead, Purpose: c.purpose.String(),
			Entities: []audit.EntityRef{{Type: string(k), ID: id}}, Decision: audit.Deny, Outcome: "not_found", Reason: "not_found"})
	}
	return err
}

// stored reads the current version of e's entity, or nil when there is
// none yet.
func (c *Changes) stored(e Entity) (Entity, error) {
	m := e.EntityMeta()
	if m.ID == "" {
		return nil, nil
	}
	r, err := c.tx.Get(c.ctx, e.EntityKind(), m.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	old := newEntity(e.EntityKind())
	if err := DecodeRow(r, old); err != nil {
		return nil, err
	}
	return old, nil
}

// authorize checks that the actor may write e (created or updated):
//
//   - a counterparty of a measure on the household may write nothing;
//   - 要配慮 and DV data need PermSensitive;
//   - the owning desk writes by role, but may replace only what it may
//     see whole (no blind overwrite of a protected address or an excepted
//     category), and may not write protected fields outside the
//     responsible desks;
//   - another department writes case records only where the subject's
//     consent permits action "update" of every category written, and
//     never persons, restrictions or support outside a case;
//   - a case or a membership may name only a person the department
//     already owns (it cannot make itself owner of another desk's client);
//   - a DV等支援措置 is written by one of its responsible desks.
func (c *Changes) authorize(e Entity, action audit.Action, old Entity) (*access, error) {
	ac, err := c.checkWrite(e, action, old)
	if err != nil {
		return nil, err
	}
	return ac, nil
}

// checkWrite applies the rules of authorize; it returns the access it
// worked out, for the audit entry.
func (c *Changes) checkWrite(e Entity, action audit.Action, old Entity) (*access, error) {
	caseID, personID := e.Refs()
	m := e.EntityMeta()
	rec := audit.Record{Action: action, Purpose: c.purpose.String(), CaseID: caseID,
		Entities: []audit.EntityRef{{Type: string(e.EntityKind()), ID: m.ID}}}
	if personID != "" {
		rec.Subjects = []string{personID}
	}
	switch e.EntityKind() {
	case KindConsent:
		return nil, c.refuse(rec, "同意の変更", "use_record_consent", "同意は RecordConsent で記録してください")
	case KindRelease:
		return nil, c.refuse(rec, "統計表の変更", "use_report", "統計表は Service.Report が公表し、変更できません")
	}
	ac, err := c.s.entityAccess(c.ctx, c.tx, c.actor, e)
	if err != nil {
		return nil, err
	}
	rec.Subjects = ac.subjects
	if ac.sc.counterparty(c.actor.Person) {
		return nil, c.refuse(rec, "記録の変更", "counterparty", refusalDetail("counterparty"))
	}
	v, err := entityView(e, ac.caseSubject, ac.sc.restricted(ac.caseSubject))
	if err != nil {
		return nil, err
	}
	cats := viewCategories(v)
	ac.cats = cats
	for _, cat := range cats.List() {
		rec.Categories = append(rec.Categories, cat.String())
	}
	for _, cat := range cats.List() {
		if cat.Sensitive() && !c.s.can(c.actor, PermSensitive) {
			return nil, c.refuse(rec, "要配慮情報の記録", "no_role", "要配慮個人情報・DV関連情報を扱う権限がありません")
		}
	}
	if r, ok := e.(*AddressRestriction); ok {
		orgs := r.Restriction.ResponsibleOrgs
		if o, ok := old.(*AddressRestriction); ok {
			orgs = o.Restriction.ResponsibleOrgs // lifting or extending is the current desks' decision
		}
		if !slices.Contains(orgs, c.actor.Org) {
			return nil, c.refuse(rec, "支援措置の記録", "not_responsible", "支援措置は担当窓口が記録します")
		}
	}
	if err := c.authorizeLink(e, old, rec); err != nil {
		return nil, err
	}
	if old != nil {
		oldAC := ac
		if oc, _ := old.Refs(); oc != caseID {
			if oldAC, err = c.s.entityAccess(c.ctx, c.tx, c.actor, old); err != nil {
				return nil, err
			}
		}
		if _, ok := old.(*AddressRestriction); !ok && oldAC.owner {
			if _, reason, err := c.s.wholeView(oldAC, c.actor, old); err != nil {
				return nil, err
			} else if reason != "" {
				return nil, c.refuse(rec, "記録の変更", reason, refusalDetail(reason))
			}
		}
	}
	if ac.owner {
		for _, f := range v.Fields {
			if ac.sc.masked(c.actor.Org, f.Subject, f.Path, f.Category) {
				return nil, c.refuse(rec, "記録の変更", "restricted", refusalDetail("restricted"))
			}
		}
		return ac, nil
	}
	switch e.(type) {
	case *Person, *AddressRestriction:
		return nil, c.refuse(rec, "他部署の記録の変更", "not_owner", "この方を担当する部署だけが変更できます")
	}
	if caseID == "" {
		return nil, c.refuse(rec, "他部署の記録の変更", "not_owner", "この方を担当する部署だけが変更できます")
	}
	subject := ac.caseSubject
	d, err := ac.sc.decider(subject)
	if err != nil {
		return nil, err
	}
	dec, err := d.Decide(consent.Request{Actor: c.actor.consent(), Subject: subject, Action: consent.ActionUpdate,
		Purpose: c.purpose, Categories: cats, At: ac.sc.at})
	if err != nil || dec.Permitted != cats || len(v.Fields) == 0 {
		return nil, c.refuse(rec, "他部署の記録の変更", "no_consent", "このケースを担当していないため、本人の同意がなければ変更できません")
	}
	for _, f := range v.Fields {
		if ac.sc.masked(c.actor.Org, f.Subject, f.Path, f.Category) {
			return nil, c.refuse(rec, "他部署の記録の変更", "restricted", refusalDetail("restricted"))
		}
	}
	return ac, nil
}

// authorizeLink refuses a case or membership that would name a person the
// acting department does not own: the department would otherwise become
// an "owner" of another desk's client and read them by role.
func (c *Changes) authorizeLink(e Entity, old Entity, rec audit.Record) error {
	var person string
	switch x := e.(type) {
	case *CaseFile:
		if o, ok := old.(*CaseFile); ok && o.SubjectID == x.SubjectID {
			return nil
		}
		person = x.SubjectID
	case *HouseholdMember:
		if o, ok := old.(*HouseholdMember); ok && o.PersonID == x.PersonID {
			return nil
		}
		person = x.PersonID
	default:
		return nil
	}
	ok, err := ownsPerson(c.ctx, c.tx, c.actor.Org, person)
	if errors.Is(err, ErrNotFound) {
		return &ValidationError{Kind: e.EntityKind(), Problems: []Problem{{"person", "指定された方が見つかりません"}}}
	}
	if err != nil {
		return err
	}
	if !ok {
		rec.Subjects = []string{person}
		return c.refuse(rec, "ケースへの登録", "not_owner", "この方は他の部署が担当しています。担当部署に引き継ぎを依頼してください")
	}
	return nil
}

// Create stores a new entity: it assigns the id (when empty), tenant,
// version 1, timestamps and the creating department into e.
func (c *Changes) Create(e Entity) error {
	m := e.EntityMeta()
	if m.ID == "" {
		m.ID = NewID()
		if r, ok := e.(*AddressRestriction); ok {
			r.Restriction.ID = m.ID
		}
	}
	now := c.s.clock()
	m.TenantID, m.Version = c.actor.Tenant, 1
	m.CreatedAt, m.CreatedBy, m.CreatedOrg, m.UpdatedAt, m.UpdatedBy = now, c.actor.User, c.actor.Org, now, c.actor.User
	if err := e.Validate(); err != nil {
		return err
	}
	ac, err := c.authorize(e, audit.ActionCreate, nil)
	if err != nil {
		return err
	}
	row, err := EncodeRow(e)
	if err != nil {
		return err
	}
	if err := c.tx.Insert(c.ctx, row); err != nil {
		return c.keyTaken(e, err)
	}
	c.created = append(c.created, audit.EntityRef{Type: string(e.EntityKind()), ID: m.ID, Version: 1})
	if p, ok := e.(*Person); ok {
		c.subjects = append(c.subjects, p.ID)
	}
	return c.audit(e, audit.ActionCreate, ac)
}

// RecordConsent appends a consent event to the subject's log as part of
// the change set, with the checks of Service.RecordConsent (PermConsent,
// the subject's history, the desk rule), so that a case and the consents
// given with it are written together or not at all: a family's form
// creates its record and records its consents in one transaction. The
// person must already belong to a case of the actor's desk, which a
// Create earlier in the same change set counts for.
func (c *Changes) RecordConsent(subject string, ev consent.Event) (consent.Event, error) {
	rec := audit.Record{Action: audit.ActionConsent, Subjects: []string{subject}}
	if !c.s.can(c.actor, PermConsent) {
		return consent.Event{}, c.refuse(rec, "同意の記録", "no_role", "同意を記録する権限がありません")
	}
	if ev.Type == consent.EventGiven && (ev.Consent == nil || ev.Consent.Subject != subject) {
		return consent.Event{}, fmt.Errorf("%w: the consent's subject must be %s", ErrInvalid, subject)
	}
	stored, refused, done, err := c.s.appendConsent(c.ctx, c.tx, c.actor, subject, ev)
	if refused != "" {
		rec.Basis = audit.Basis{ConsentIDs: []string{ev.ConsentID}}
		return consent.Event{}, c.refuse(rec, "同意の記録", refused, refusalDetail(refused))
	}
	if err != nil {
		return consent.Event{}, err
	}
	c.created = append(c.created, done.Entities...)
	return stored, c.tx.Audit(done)
}

// keyTaken hides, from a department that does not own the person already
// registered under a 宛名番号, who that person is: the error says only
// that the number is taken. The attempt is audited with that person as
// subject (registering a number is a way of asking whether it is on file).
func (c *Changes) keyTaken(e Entity, err error) error {
	var de *DuplicateKeyError
	if !errors.As(err, &de) || e.EntityKind() != KindPerson || de.OwnerID == "" {
		return err
	}
	owned, oerr := ownsPerson(c.ctx, c.tx, c.actor.Org, de.OwnerID)
	if oerr != nil {
		return errors.Join(err, oerr)
	}
	c.refusals = append(c.refusals, audit.Record{At: c.s.clock(), Actor: c.actor.audit(), Action: audit.ActionCreate, Purpose: c.purpose.String(),
		Subjects: []string{de.OwnerID}, Decision: audit.Deny, Outcome: "duplicate_key", Reason: "key_taken", QueryHash: c.s.queryHash(de.Key)})
	if owned {
		return err
	}
	return &DuplicateKeyError{Kind: de.Kind, Key: de.Key}
}

// Update replaces an entity. e.Version must be the version it was read at;
// on success it is the new version. A stale version is a *ConflictError.
func (c *Changes) Update(e Entity) error {
	m := e.EntityMeta()
	if m.ID == "" || m.Version < 1 {
		return fmt.Errorf("%w: update needs the id and the version read", ErrInvalid)
	}
	if e.EntityKind().AppendOnly() {
		return fmt.Errorf("casefile: %s %s: %w (add a new entry that supersedes it)", e.EntityKind(), m.ID, ErrAppendOnly)
	}
	if err := e.Validate(); err != nil {
		return err
	}
	old, err := c.stored(e)
	if err != nil {
		return err
	}
	if old == nil {
		return c.notFound(e.EntityKind(), m.ID, &NotFoundError{Kind: e.EntityKind(), ID: m.ID})
	}
	m.CreatedOrg = old.EntityMeta().CreatedOrg
	ac, err := c.authorize(e, audit.ActionUpdate, old)
	if err != nil {
		return err
	}
	expected := m.Version
	m.TenantID, m.Version = c.actor.Tenant, expected+1
	m.UpdatedAt, m.UpdatedBy = c.s.clock(), c.actor.User
	row, err := EncodeRow(e)
	if err == nil {
		err = c.tx.Update(c.ctx, row)
	}
	if err != nil {
		m.Version = expected
		return err
	}
	return c.audit(e, audit.ActionUpdate, ac)
}

// Correct records a correction of a consultation entry: the new entry
// supersedes old, which stays in the record unchanged.
func (c *Changes) Correct(old *Consultation, corrected *Consultation) error {
	if old.ID == "" {
		return fmt.Errorf("%w: the entry to correct has no id", ErrInvalid)
	}
	corrected.Supersedes = old.ID
	corrected.CaseID = old.CaseID
	corrected.ID, corrected.Version = "", 0
	return c.Create(corrected)
}

// Get reads an entity for the change set: the owning desk's working read,
// audited as a read on the role basis with the categories it returns.
// It returns the whole record or refuses (a *DeniedError, audited even if
// the caller's function ignores it): the department must own the entity
// (the case's desk; for a person, the desk of a case they belong to, or
// the registering desk while they belong to none; for a DV等支援措置, a
// responsible desk), the actor must not be a counterparty of a measure on
// the household, and nothing in the record may be withheld from the
// desk's role view: DV-protected fields outside the responsible desk,
// 要配慮 and DV data without PermSensitive, or a category the person's
// consent excepts from the desk. Consent events need PermConsent and the
// desk rule of ConsentRecords. Other departments use Service.ReadCase.
// On a refusal into is left untouched.
func (c *Changes) Get(id string, into Entity) error {
	kind := into.EntityKind()
	r, err := c.tx.Get(c.ctx, kind, id)
	if err != nil {
		return c.notFound(kind, id, err)
	}
	e := newEntity(kind)
	if err := DecodeRow(r, e); err != nil {
		return err
	}
	rec := audit.Record{Action: audit.ActionRead, Purpose: c.purpose.String(), Entities: []audit.EntityRef{{Type: string(kind), ID: id}}}
	if kind == KindRelease {
		return c.refuse(rec, "統計表の参照", "use_report", "統計表は Service.Report で取得してください")
	}
	if ce, ok := e.(*ConsentEvent); ok {
		rec.Subjects = []string{ce.Subject}
		reason, err := c.s.consentAccess(c.ctx, c.tx, c.actor, ce.Subject, ce.Event.ConsentID)
		if err != nil {
			return err
		}
		if reason != "" {
			return c.refuse(rec, "同意の参照", reason, refusalDetail(reason))
		}
		if err := DecodeRow(r, into); err != nil {
			return err
		}
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = c.s.clock(), c.actor.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
		rec.Entities[0].Version = ce.Version
		return c.tx.Audit(rec)
	}
	ac, err := c.s.entityAccess(c.ctx, c.tx, c.actor, e)
	if err != nil {
		return err
	}
	rec.CaseID, _ = e.Refs()
	rec.Subjects = ac.subjects
	cats, reason, err := c.s.wholeView(ac, c.actor, e)
	if err != nil {
		return err
	}
	if reason != "" {
		return c.refuse(rec, "記録の参照", reason, refusalDetail(reason))
	}
	if err := DecodeRow(r, into); err != nil {
		return err
	}
	return c.tx.Audit(c.readEntry(rec, cats, e.EntityMeta().Version))
}

func (c *Changes) readEntry(rec audit.Record, cats consent.CategorySet, version int64) audit.Record {
	rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = c.s.clock(), c.actor.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
	for _, cat := range cats.List() {
		rec.Categories = append(rec.Categories, cat.String())
	}
	rec.Entities[0].Version = version
	return rec
}

// audit records a create or update with the subjects and categories the
// entity holds, as authorize worked them out.
func (c *Changes) audit(e Entity, action audit.Action, ac *access) error {
	m := e.EntityMeta()
	caseID, _ := e.Refs()
	r := audit.Record{At: c.s.clock(), Actor: c.actor.audit(), Action: action, Purpose: c.purpose.String(),
		Basis: audit.Basis{Kind: "role"}, Decision: audit.Permit, Outcome: "ok", CaseID: caseID,
		Entities: []audit.EntityRef{{Type: string(e.EntityKind()), ID: m.ID, Version: m.Version}}, Subjects: ac.subjects}
	if !ac.owner {
		r.Basis.Kind = "consent" // another department, under the subject's consent
	}
	for _, cat := range ac.cats.List() {
		r.Categories = append(r.Categories, cat.String())
	}
	return c.tx.Audit(r)
}

// History returns every version of an entity, oldest first (for example
// each revision of a 自立支援プログラム), under the rules of Changes.Get:
// the owning desk only, and only when it may see every revision whole.
// Reads and refusals are audited with the subjects and the categories
// returned.
func (s *Service) History(ctx context.Context, a Actor, kind Kind, id string) ([]Entity, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	ref := []audit.EntityRef{{Type: string(kind), ID: id}}
	if !s.can(a, PermRead) {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Purpose: "history", Entities: ref}, "履歴の閲覧", "no_role", "閲覧の権限がありません")
	}
	if !kind.Valid() {
		return nil, fmt.Errorf("%w: kind %q", ErrInvalid, kind)
	}
	var out []Entity
	var refused *audit.Record
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		rows, err := tx.Revisions(ctx, kind, id)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, r := range rows {
			e := newEntity(kind)
			if err := DecodeRow(r, e); err != nil {
				return err
			}
			out = append(out, e)
		}
		latest := out[len(out)-1]
		rec := audit.Record{Action: audit.ActionRead, Purpose: "history", Entities: ref}
		refuse := func(reason string) error {
			rec.Reason = reason
			refused = &rec
			return &DeniedError{Action: "履歴の閲覧", Reason: reason, Detail: refusalDetail(reason)}
		}
		var cats consent.CategorySet
		if kind == KindRelease {
			return refuse("use_report")
		}
		if ce, ok := latest.(*ConsentEvent); ok {
			rec.Subjects = []string{ce.Subject}
			reason, err := s.consentAccess(ctx, tx, a, ce.Subject, ce.Event.ConsentID)
			if err != nil {
				return err
			}
			if reason != "" {
				return refuse(reason)
			}
		} else {
			ac, err := s.entityAccess(ctx, tx, a, latest)
			if err != nil {
				return err
			}
			rec.CaseID, _ = latest.Refs()
			rec.Subjects = ac.subjects
			for _, e := range out {
				cs, reason, err := s.wholeView(ac, a, e)
				if err != nil {
					return err
				}
				if reason != "" {
					return refuse(reason)
				}
				cats |= cs
			}
		}
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
		for _, cat := range cats.List() {
			rec.Categories = append(rec.Categories, cat.String())
		}
		rec.Entities = nil
		for _, e := range out {
			rec.Entities = append(rec.Entities, audit.EntityRef{Type: string(kind), ID: id, Version: e.EntityMeta().Version})
		}
		return tx.Audit(rec)
	})
	if refused != nil {
		var de *DeniedError
		errors.As(err, &de)
		return nil, s.deny(ctx, a, *refused, de.Action, de.Reason, de.Detail)
	}
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			rec := audit.Record{At: s.clock(), Actor: a.audit(), Action: audit.ActionRead, Purpose: "history", Entities: ref,
				Decision: audit.Deny, Outcome: "not_found", Reason: "not_found"}
			if aerr := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); aerr != nil {
				return nil, errors.Join(err, aerr)
			}
		}
		return nil, err
	}
	return out, nil
}
