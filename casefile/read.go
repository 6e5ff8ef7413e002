package casefile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// ReadOptions qualify a read.
type ReadOptions struct {
	// Purpose of the read; required.
	Purpose consent.Purpose
	// Assertion claims a statutory basis (要対協, 支援会議 …) explicitly; it
	// is decided, recorded and flagged for supervisor review.
	Assertion consent.Assertion
	// OnBehalfOf is the resident the read is made for (at the counter).
	OnBehalfOf string
}

// PersonView is one person's part of a case, redacted: paths are relative
// to the person (name.family, address.city, contacts.0.value,
// household.relationship.code, incomes.0.amount, support_in_use.0.status),
// so DV等支援措置 masks such as "address" apply to each protected person.
type PersonView struct {
	PersonID string               `json:"person_id"`
	View     consent.RedactedView `json:"view"`
}

// CaseView is a case as one department may see it. Denied fields are
// absent. Persons lists only the persons something was shown of; each
// view's Withheld lists the withheld fields of that person that the
// reader may know exist (never those of the sensitive categories, see
// consent.RedactedView.ForReader), with the reason. A view carries no
// decisions: they are in the audit log.
type CaseView struct {
	CaseID string `json:"case_id"`
	// Case holds the case header (case.*), the 自立支援プログラム (program.*),
	// consultations.N.*, conferences.N.* and tasks.N.*, about the case
	// subject.
	Case    consent.RedactedView `json:"case"`
	Persons []PersonView         `json:"persons"`
	// Basis is "role" for the owning desk's in-purpose work, otherwise
	// "consent" or "statute" (or "none" when nothing could be shown).
	Basis string `json:"basis"`
	// Obligations are the reader's duties: always audit; record_disclosure,
	// supervisor_review (a statutory basis was used), confidentiality and
	// apply_masks from the decisions that showed something;
	// review_restriction only for a responsible desk of a DV等支援措置 on the
	// household that ends within a month or has ended without being lifted
	// (decide on an extension; it stays in force).
	Obligations consent.Obligations `json:"obligations"`
}

// Person returns the view of one person.
func (v *CaseView) Person(id string) (PersonView, bool) {
	for _, p := range v.Persons {
		if p.PersonID == id {
			return p, true
		}
	}
	return PersonView{}, false
}

// readRecord is the audit record of what one subject's view disclosed to
// one party (the reading department, or an export's recipient): kept is
// what was actually handed over.
func (s *Service) readRecord(a Actor, r reader, owner, caseID, subject string, kept consent.CategorySet, rv consent.RedactedView) audit.Record {
	rec := audit.Record{At: s.clock(), Actor: a.audit(), Action: audit.ActionRead, Purpose: r.purpose.String(),
		CaseID: caseID, Subjects: []string{subject}, Decision: audit.Permit, Outcome: "ok"}
	for _, c := range kept.List() {
		rec.Categories = append(rec.Categories, c.String())
	}
	switch {
	case r.byRole:
		rec.Basis.Kind = "role"
	case len(rv.Decisions) > 0 && rv.Decisions[0].Basis == consent.BasisStatute:
		rec.Basis = audit.Basis{Kind: "statute", Statute: rv.Decisions[0].Statute().String()}
	case len(rv.Decisions) > 0 && rv.Decisions[0].Basis == consent.BasisConsent:
		rec.Basis = audit.Basis{Kind: "consent", ConsentIDs: rv.Decisions[0].ConsentIDs()}
	}
	if kept.Empty() {
		rec.Decision, rec.Outcome, rec.Reason = audit.Deny, "denied", "nothing_permitted"
		switch {
		case len(rv.Withheld) > 0:
			rec.Reason = rv.Withheld[0].Reason.String()
		case len(rv.Decisions) > 0:
			rec.Reason = rv.Decisions[0].Reason().String()
		}
		return rec
	}
	if r.org != owner {
		rec.Recipient = r.org // provision to another department: a disclosure
	}
	return rec
}

// ReadCase returns the case as actor's department may see it and records
// in the audit log, per person, what was shown (or refused) on which basis.
// An unknown case id is a *NotFoundError, and the attempt is audited.
func (s *Service) ReadCase(ctx context.Context, a Actor, caseID string, opts ReadOptions) (*CaseView, error) {
	if err := s.mayRead(ctx, a, caseID, opts); err != nil {
		return nil, err
	}
	var out *CaseView
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		var err error
		out, _, err = s.readCase(ctx, tx, a, caseID, opts, consent.ActionView, audit.ActionRead, "")
		return err
	})
	if err != nil {
		return nil, s.failedRead(ctx, a, audit.ActionRead, opts.Purpose, caseID, err)
	}
	return out, nil
}

// failedRead records a read that failed because its case does not exist
// (probing for ids is audited too) and returns err.
func (s *Service) failedRead(ctx context.Context, a Actor, action audit.Action, purpose consent.Purpose, caseID string, err error) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	rec := audit.Record{At: s.clock(), Actor: a.audit(), Action: action, Purpose: purpose.String(), CaseID: caseID,
		Decision: audit.Deny, Outcome: "not_found", Reason: "not_found"}
	if aerr := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// mayRead checks the actor, the purpose and the role of a case read; a
// refusal is audited.
func (s *Service) mayRead(ctx context.Context, a Actor, caseID string, opts ReadOptions) error {
	if err := checkActor(a); err != nil {
		return err
	}
	if !opts.Purpose.Valid() {
		return fmt.Errorf("%w: read purpose is required", ErrInvalid)
	}
	if !s.can(a, PermRead) {
		return s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Purpose: opts.Purpose.String(), CaseID: caseID}, "ケースの閲覧", "no_role", "閲覧の権限がありません")
	}
	return nil
}

// ExportCases returns the cases as a copy (consent action "copy") for
// recipient. The copy is decided for the department running the export
// and for the recipient, and holds only what both may receive: a field
// withheld from either is withheld, so a DV-protected field leaves only
// when both are responsible desks of the measure. The owning desk works
// by role; any other department by consent (or statute). Each person's
// export is audited once per department that received data, naming it
// as recipient when it is not the owning desk, and so appears in the
// disclosure register. All cases are read in one transaction: the export
// is consistent.
func (s *Service) ExportCases(ctx context.Context, a Actor, purpose consent.Purpose, recipient string, caseIDs []string) ([]*CaseView, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !purpose.Valid() || recipient == "" {
		return nil, fmt.Errorf("%w: export needs a purpose and a recipient", ErrInvalid)
	}
	if !s.can(a, PermRead|PermExport) {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionExport, Purpose: purpose.String(), Recipient: recipient}, "データの出力", "no_role", "出力の権限がありません")
	}
	var out []*CaseView
	var failed string
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		out = out[:0]
		for _, id := range caseIDs {
			v, _, err := s.readCase(ctx, tx, a, id, ReadOptions{Purpose: purpose}, consent.ActionCopy, audit.ActionExport, recipient)
			if err != nil {
				failed = id
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, s.failedRead(ctx, a, audit.ActionExport, purpose, failed, err)
	}
	return out, nil
}

// CaseIDs lists the ids of the tenant's cases owned by the actor's desk, in
// creation order (for exports and reports). It needs PermRead and is
// audited as a search (the number of ids returned; they name no person).
func (s *Service) CaseIDs(ctx context.Context, a Actor) ([]string, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	rec := audit.Record{Action: audit.ActionSearch, Reason: "case_ids"}
	if !s.can(a, PermRead) {
		return nil, s.deny(ctx, a, rec, "ケース一覧", "no_role", "閲覧の権限がありません")
	}
	var out []string
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		out = out[:0]
		cases, err := listTyped[CaseFile](ctx, tx, Query{Kind: KindCase})
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.OwnerOrg == a.Org {
				out = append(out, c.ID)
			}
		}
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
		rec.Entities = []audit.EntityRef{{Type: "case_list", ID: a.Org, Version: int64(len(out))}}
		return tx.Audit(rec)
	})
	return out, err
}

// readCase builds, redacts and audits one case view inside tx; it also
// returns the typed records it read. recipient is an export's recipient
// ("" for a read): the view is then what both the actor's department and
// the recipient may receive.
func (s *Service) readCase(ctx context.Context, tx Tx, a Actor, caseID string, opts ReadOptions, action consent.Action, auditAction audit.Action, recipient string) (*CaseView, *caseData, error) {
	d, err := loadCase(ctx, tx, caseID)
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.newScope(ctx, tx, []*household{&d.household})
	if err != nil {
		return nil, nil, err
	}
	cv, err := d.caseView(sc.restricted(d.cf.SubjectID))
	if err != nil {
		return nil, nil, err
	}
	views := []consent.View{cv}
	for _, id := range d.personIDs() {
		pv, err := d.personView(id)
		if err != nil {
			return nil, nil, err
		}
		views = append(views, pv)
	}
	owner := d.cf.OwnerOrg
	orgs := []string{a.Org}
	if recipient != "" && recipient != a.Org {
		orgs = append(orgs, recipient)
	}
	readers := make([]reader, len(orgs))
	for i, org := range orgs {
		readers[i] = reader{actor: a, org: org, purpose: opts.Purpose, action: action, assertion: opts.Assertion, onBehalfOf: opts.OnBehalfOf,
			// the owning desk works by role: on its own consultation work,
			// and when it prepares a copy for another recipient
			byRole: org == owner && opts.Assertion.Statute == 0 && (opts.Purpose == consent.PurposeConsultation || (recipient != "" && org != recipient))}
	}
	last := readers[len(readers)-1]
	out := &CaseView{CaseID: caseID, Basis: "none", Obligations: consent.ObligationAudit}
	for i, v := range views {
		rvs := make([]consent.RedactedView, len(readers))
		for j, r := range readers {
			if rvs[j], err = s.redact(sc, r, v); err != nil {
				return nil, nil, err
			}
		}
		final := rvs[0]
		for _, rv := range rvs[1:] {
			final = intersect(final, rv)
		}
		kept := keptCategories(final)
		for j, r := range readers {
			rec := s.readRecord(a, r, owner, caseID, v.Subject, kept, rvs[j])
			rec.Action = auditAction
			if err := tx.Audit(rec); err != nil {
				return nil, nil, err
			}
		}
		if !kept.Empty() {
			lastRV := rvs[len(rvs)-1]
			if out.Basis == "none" {
				switch {
				case last.byRole:
					out.Basis = "role"
				case len(lastRV.Decisions) > 0:
					out.Basis = lastRV.Decisions[0].Basis.String()
				}
			}
			for j, rv := range rvs {
				if readers[j].byRole {
					continue // the role decides, not the decision's obligations
				}
				for _, dec := range rv.Decisions {
					if !dec.Permitted.Empty() {
						out.Obligations |= dec.Obligations &^ (consent.ObligationReviewRestriction | consent.ObligationApplyMasks)
					}
				}
			}
			for _, w := range final.Withheld {
				if w.Reason == consent.ReasonRestricted {
					out.Obligations |= consent.ObligationApplyMasks
				}
			}
		}
		pub := final.ForReader()
		if i == 0 {
			out.Case = pub
		} else if len(pub.Fields) > 0 {
			out.Persons = append(out.Persons, PersonView{PersonID: v.Subject, View: pub})
		}
	}
	if sc.reviewFor(a.Org) {
		out.Obligations |= consent.ObligationReviewRestriction
	}
	return out, d, nil
}

// Disclosure is one entry of the disclosure register (提供記録): a
// department outside the owning desk received some categories of the
// person's data, on a basis, at a time.
type Disclosure struct {
	At         time.Time `json:"at"`
	Recipient  string    `json:"recipient"` // organisation code
	User       string    `json:"user"`
	Action     string    `json:"action"` // read, export, notify
	Purpose    string    `json:"purpose"`
	Basis      string    `json:"basis"` // consent, statute
	ConsentIDs []string  `json:"consent_ids,omitempty"`
	Statute    string    `json:"statute,omitempty"`
	Categories []string  `json:"categories"`
	CaseID     string    `json:"case_id,omitempty"`
	Seq        uint64    `json:"seq"` // the audit entry, for verification
}

// Disclosures answers a resident's 「私の情報を誰が受け取ったか」: every
// permitted read, export or notification of the person's data by another
// department, oldest first, from the audit log. The lookup is audited too.
func (s *Service) Disclosures(ctx context.Context, a Actor, personID string) ([]Disclosure, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	rec := audit.Record{Action: audit.ActionRead, Purpose: "disclosure_register", Subjects: []string{personID}}
	if !s.can(a, PermAudit) {
		return nil, s.deny(ctx, a, rec, "提供記録の閲覧", "no_role", "提供記録を閲覧する権限がありません")
	}
	seqs, err := s.store.AuditBySubject(ctx, a.Tenant, personID)
	if err != nil {
		return nil, err
	}
	want := map[uint64]bool{}
	for _, q := range seqs {
		want[q] = true
	}
	var out []Disclosure
	if len(seqs) > 0 {
		err = s.store.ScanAudit(ctx, a.Tenant, seqs[0], func(e audit.Entry) error {
			if !want[e.Seq] || e.Decision != audit.Permit || e.Recipient == "" {
				return nil
			}
			switch e.Action {
			case audit.ActionRead, audit.ActionExport, audit.ActionNotify, audit.ActionBreakGlass:
			default:
				return nil
			}
			out = append(out, Disclosure{At: e.At, Recipient: e.Recipient, User: e.Actor.User, Action: string(e.Action), Purpose: e.Purpose,
				Basis: e.Basis.Kind, ConsentIDs: e.Basis.ConsentIDs, Statute: e.Basis.Statute, Categories: e.Categories, CaseID: e.CaseID, Seq: e.Seq})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
	if err := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); err != nil {
		return nil, err
	}
	return out, nil
}
