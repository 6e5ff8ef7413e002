package casefile

import (
	"context"
	"errors"
	"fmt"

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
	owners  map[string]string // case id -> owner org
	denied  *audit.Record
	deniedE *DeniedError

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
		c = &Changes{ctx: ctx, s: s, tx: tx, actor: a, purpose: purpose, owners: map[string]string{}}
		if err := fn(c); err != nil {
			return err
		}
		if summary != nil {
			r := *summary
			r.At, r.Actor, r.Decision, r.Outcome, r.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
			r.Entities, r.Subjects = c.created, c.subjects
			return tx.Audit(r)
		}
		return nil
	})
	if c != nil && c.denied != nil && errors.As(err, new(*DeniedError)) {
		return s.deny(ctx, a, *c.denied, c.deniedE.Action, c.deniedE.Reason, c.deniedE.Detail)
	}
	return err
}

// refuse remembers a denial to record after the change set rolls back.
func (c *Changes) refuse(r audit.Record, action, reason, detail string) error {
	c.denied = &r
	c.deniedE = &DeniedError{Action: action, Reason: reason, Detail: detail}
	return c.deniedE
}

// categoryOf is the consent data category an entity belongs to.
func categoryOf(e Entity) consent.Category {
	switch x := e.(type) {
	case *Person:
		return consent.CategoryIdentity
	case *HouseholdMember:
		return consent.CategoryHousehold
	case *SupportInUse:
		return consent.CategorySupportInUse
	case *Program, *Task:
		return consent.CategoryProgram
	case *Consultation:
		return labelCategory(x.Labels, consent.CategoryConsultation)
	case *Conference:
		return labelCategory(x.Labels, consent.CategoryConsultation)
	case *AddressRestriction:
		return consent.CategoryDVRelated
	}
	return consent.CategoryConsultation
}

func labelCategory(labels []string, def consent.Category) consent.Category {
	c := def
	for _, l := range labels {
		switch l {
		case "dv_related":
			return consent.CategoryDVRelated
		case "health_disability":
			c = consent.CategoryHealthDisability
		}
	}
	return c
}

func sensitive(c consent.Category) bool {
	return c == consent.CategoryDVRelated || c == consent.CategoryHealthDisability
}

// owner returns the owning org of a case (cached for the change set).
func (c *Changes) owner(caseID string) (*CaseFile, error) {
	var cf CaseFile
	if err := c.get(KindCase, caseID, &cf); err != nil {
		return nil, err
	}
	c.owners[caseID] = cf.OwnerOrg
	return &cf, nil
}

func (c *Changes) get(k Kind, id string, into Entity) error {
	r, err := c.tx.Get(c.ctx, k, id)
	if err != nil {
		return err
	}
	return DecodeRow(r, into)
}

// authorize checks that the actor may write e: the desk owning the case
// (for a new case, the desk it is created for); another desk only where the
// subject's consent permits "update" of that category. 要配慮 and DV data
// also need PermSensitive.
func (c *Changes) authorize(e Entity, action audit.Action) error {
	cat := categoryOf(e)
	caseID, personID := e.Refs()
	rec := audit.Record{Action: action, Purpose: c.purpose.String(), CaseID: caseID,
		Entities: []audit.EntityRef{{Type: string(e.EntityKind()), ID: e.EntityMeta().ID}}, Categories: []string{cat.String()}}
	if personID != "" {
		rec.Subjects = []string{personID}
	}
	if e.EntityKind() == KindConsent {
		return c.refuse(rec, "同意の変更", "use_record_consent", "同意は RecordConsent で記録してください")
	}
	if sensitive(cat) && !c.s.can(c.actor, PermSensitive) {
		return c.refuse(rec, "要配慮情報の記録", "no_role", "要配慮個人情報・DV関連情報を扱う権限がありません")
	}
	var owner, subject string
	switch x := e.(type) {
	case *CaseFile:
		owner, subject = x.OwnerOrg, x.SubjectID
		if x.Version > 0 && action == audit.ActionUpdate {
			cur, err := c.owner(x.ID)
			if err != nil {
				return err
			}
			owner = cur.OwnerOrg // a transfer is decided by the current owner
		}
	default:
		if caseID == "" {
			return nil // persons and restrictions: the desk's role decides
		}
		cf, err := c.owner(caseID)
		if err != nil {
			return err
		}
		owner, subject = cf.OwnerOrg, cf.SubjectID
	}
	if owner == c.actor.Org {
		return nil
	}
	d, err := c.s.decider(c.ctx, c.tx, []string{subject})
	if err != nil {
		return err
	}
	dec, err := d.Decide(consent.Request{Actor: c.actor.consent(), Subject: subject, Action: consent.ActionUpdate,
		Purpose: c.purpose, Categories: consent.Categories(cat), At: c.s.clock()})
	if err != nil || !dec.Permitted.Has(cat) {
		return c.refuse(rec, "他部署の記録の変更", "no_consent", "このケースを担当していないため、本人の同意がなければ変更できません")
	}
	return nil
}

// Create stores a new entity: it assigns the id (when empty), tenant,
// version 1 and timestamps into e.
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
	m.CreatedAt, m.CreatedBy, m.UpdatedAt, m.UpdatedBy = now, c.actor.User, now, c.actor.User
	if err := e.Validate(); err != nil {
		return err
	}
	if err := c.authorize(e, audit.ActionCreate); err != nil {
		return err
	}
	row, err := EncodeRow(e)
	if err != nil {
		return err
	}
	if err := c.tx.Insert(c.ctx, row); err != nil {
		return err
	}
	c.created = append(c.created, audit.EntityRef{Type: string(e.EntityKind()), ID: m.ID, Version: 1})
	if p, ok := e.(*Person); ok {
		c.subjects = append(c.subjects, p.ID)
	}
	return c.audit(e, audit.ActionCreate)
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
	if err := c.authorize(e, audit.ActionUpdate); err != nil {
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
	return c.audit(e, audit.ActionUpdate)
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

// Get reads an entity for the change set (the owning desk's working read;
// audited as a read on the role basis). Entities of a case are readable by
// the desk owning the case; a person by a desk owning a case they belong
// to (or anyone with PermWrite while they belong to no case); restrictions
// need PermSensitive. Other departments use Service.ReadCase.
func (c *Changes) Get(id string, into Entity) error {
	if err := c.get(into.EntityKind(), id, into); err != nil {
		return err
	}
	refuse := func(caseID string) error {
		return c.refuse(audit.Record{Action: audit.ActionRead, CaseID: caseID,
			Entities: []audit.EntityRef{{Type: string(into.EntityKind()), ID: id}}},
			"記録の参照", "not_owner", "担当部署以外は ReadCase で閲覧してください")
	}
	caseID, personID := into.Refs()
	switch {
	case into.EntityKind() == KindCase:
		if c.owners[id] = into.(*CaseFile).OwnerOrg; c.owners[id] != c.actor.Org {
			return refuse(id)
		}
	case caseID != "":
		cf, err := c.owner(caseID)
		if err != nil {
			return err
		}
		if cf.OwnerOrg != c.actor.Org {
			return refuse(caseID)
		}
	case into.EntityKind() == KindRestriction:
		if !c.s.can(c.actor, PermSensitive) {
			return refuse("")
		}
	case into.EntityKind() == KindPerson:
		ok, err := c.ownsPerson(personID)
		if err != nil {
			return err
		}
		if !ok {
			return refuse("")
		}
	}
	return c.audit(into, audit.ActionRead)
}

// ownsPerson reports whether the person is the subject or a member of a
// case of the actor's desk, or of no case at all.
func (c *Changes) ownsPerson(personID string) (bool, error) {
	return ownsPerson(c.ctx, c.tx, c.actor.Org, personID)
}

func ownsPerson(ctx context.Context, tx Tx, org, personID string) (bool, error) {
	var caseIDs []string
	for _, k := range []Kind{KindCase, KindMember} {
		rows, err := tx.List(ctx, Query{Kind: k, PersonID: personID})
		if err != nil {
			return false, err
		}
		for _, r := range rows {
			caseIDs = append(caseIDs, r.CaseID)
		}
	}
	if len(caseIDs) == 0 {
		return true, nil
	}
	for _, id := range caseIDs {
		r, err := tx.Get(ctx, KindCase, id)
		if err != nil {
			return false, err
		}
		var cf CaseFile
		if err := DecodeRow(r, &cf); err != nil {
			return false, err
		}
		if cf.OwnerOrg == org {
			return true, nil
		}
	}
	return false, nil
}

func (c *Changes) audit(e Entity, action audit.Action) error {
	m := e.EntityMeta()
	caseID, personID := e.Refs()
	r := audit.Record{At: c.s.clock(), Actor: c.actor.audit(), Action: action, Purpose: c.purpose.String(),
		Basis: audit.Basis{Kind: "role"}, Decision: audit.Permit, Outcome: "ok", CaseID: caseID,
		Entities: []audit.EntityRef{{Type: string(e.EntityKind()), ID: m.ID, Version: m.Version}}, Categories: []string{categoryOf(e).String()}}
	if personID != "" {
		r.Subjects = []string{personID}
	}
	if cf, ok := e.(*CaseFile); ok {
		r.Subjects = []string{cf.SubjectID}
	}
	if ar, ok := e.(*AddressRestriction); ok {
		r.Subjects = append([]string(nil), ar.Restriction.Subjects...)
	}
	return c.tx.Audit(r)
}

// History returns every version of an entity, oldest first (for example
// each revision of a 自立支援プログラム). Only the owning desk may read it.
func (s *Service) History(ctx context.Context, a Actor, kind Kind, id string) ([]Entity, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !s.can(a, PermRead) {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Entities: []audit.EntityRef{{Type: string(kind), ID: id}}}, "履歴の閲覧", "no_role", "閲覧の権限がありません")
	}
	var out []Entity
	var refused *DeniedError
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		rows, err := tx.Revisions(ctx, kind, id)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, r := range rows {
			e := newEntity(kind)
			if e == nil {
				return fmt.Errorf("%w: kind %q", ErrInvalid, kind)
			}
			if err := DecodeRow(r, e); err != nil {
				return err
			}
			out = append(out, e)
		}
		caseID, personID := out[len(out)-1].Refs()
		if kind == KindCase {
			caseID = id
		}
		notOwner := func() error {
			refused = &DeniedError{Action: "履歴の閲覧", Reason: "not_owner", Detail: "履歴は担当部署だけが閲覧できます"}
			return refused
		}
		switch {
		case kind == KindConsent && !s.can(a, PermConsent), kind == KindRestriction && !s.can(a, PermSensitive):
			return notOwner()
		case kind == KindPerson:
			ok, err := ownsPerson(ctx, tx, a.Org, id)
			if err != nil {
				return err
			}
			if !ok {
				return notOwner()
			}
		}
		if caseID != "" {
			cr, err := tx.Get(ctx, KindCase, caseID)
			if err != nil {
				return err
			}
			var cf CaseFile
			if err := DecodeRow(cr, &cf); err != nil {
				return err
			}
			if cf.OwnerOrg != a.Org {
				return notOwner()
			}
			personID = cf.SubjectID
		}
		rec := audit.Record{At: s.clock(), Actor: a.audit(), Action: audit.ActionRead, Purpose: "history", Basis: audit.Basis{Kind: "role"},
			Decision: audit.Permit, Outcome: "ok", CaseID: caseID, Categories: []string{categoryOf(out[0]).String()}}
		if personID != "" {
			rec.Subjects = []string{personID}
		}
		for _, e := range out {
			rec.Entities = append(rec.Entities, audit.EntityRef{Type: string(kind), ID: id, Version: e.EntityMeta().Version})
		}
		return tx.Audit(rec)
	})
	if refused != nil {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Entities: []audit.EntityRef{{Type: string(kind), ID: id}}}, refused.Action, refused.Reason, refused.Detail)
	}
	return out, err
}
