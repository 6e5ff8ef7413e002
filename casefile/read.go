package casefile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// decider compiles a consent.Decider for the given subjects: their consent
// events (each subject's own log, renumbered into one), every DV等支援措置 of
// the tenant, and the configured contracts and mandates.
func (s *Service) decider(ctx context.Context, tx Tx, subjects []string) (*consent.Decider, error) {
	var events []consent.Event
	seen := map[string]bool{}
	for _, subj := range subjects {
		if subj == "" || seen[subj] {
			continue
		}
		seen[subj] = true
		evs, err := subjectEvents(ctx, tx, subj)
		if err != nil {
			return nil, err
		}
		base := uint64(len(events))
		for _, e := range evs {
			e.Seq += base
			if e.Corrects != 0 {
				e.Corrects += base
			}
			events = append(events, e)
		}
	}
	rows, err := tx.List(ctx, Query{Kind: KindRestriction})
	if err != nil {
		return nil, err
	}
	var rs []consent.Restriction
	for _, r := range rows {
		var ar AddressRestriction
		if err := DecodeRow(r, &ar); err != nil {
			return nil, err
		}
		rs = append(rs, ar.Restriction)
	}
	d, err := consent.Compile(consent.Policy{Events: events, Restrictions: rs, Contracts: s.cfg.Contracts, Mandates: s.cfg.Mandates})
	if err != nil {
		return nil, fmt.Errorf("casefile: consent policy: %w", err)
	}
	return d, nil
}

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
// absent and listed in each view's Withheld with the reason.
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
	// Obligations are the consent decisions' duties for the reader, e.g.
	// review_restriction (a DV等支援措置 ends within a month or has ended
	// without being lifted: decide on an extension; it stays in force),
	// supervisor_review (a statutory basis was used), confidentiality.
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

// caseData is everything stored about a case, typed.
type caseData struct {
	cf            CaseFile
	members       []HouseholdMember
	persons       map[string]*Person
	supports      map[string][]SupportInUse
	program       *Program
	consultations []Consultation
	conferences   []Conference
	tasks         []Task
}

func listTyped[T any, P interface {
	*T
	Entity
}](ctx context.Context, tx Tx, q Query) ([]T, error) {
	rows, err := tx.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := DecodeRow(r, P(&out[i])); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadCase(ctx context.Context, tx Tx, caseID string) (*caseData, error) {
	d := &caseData{persons: map[string]*Person{}, supports: map[string][]SupportInUse{}}
	r, err := tx.Get(ctx, KindCase, caseID)
	if err != nil {
		return nil, err
	}
	if err := DecodeRow(r, &d.cf); err != nil {
		return nil, err
	}
	if d.members, err = listTyped[HouseholdMember](ctx, tx, Query{Kind: KindMember, CaseID: caseID}); err != nil {
		return nil, err
	}
	ids := []string{d.cf.SubjectID}
	for _, m := range d.members {
		if !slices.Contains(ids, m.PersonID) {
			ids = append(ids, m.PersonID)
		}
	}
	for _, id := range ids {
		pr, err := tx.Get(ctx, KindPerson, id)
		if err != nil {
			return nil, err
		}
		p := &Person{}
		if err := DecodeRow(pr, p); err != nil {
			return nil, err
		}
		d.persons[id] = p
		if d.supports[id], err = listTyped[SupportInUse](ctx, tx, Query{Kind: KindSupport, PersonID: id}); err != nil {
			return nil, err
		}
	}
	progs, err := listTyped[Program](ctx, tx, Query{Kind: KindProgram, CaseID: caseID})
	if err != nil {
		return nil, err
	}
	if len(progs) > 0 {
		d.program = &progs[len(progs)-1]
	}
	if d.consultations, err = listTyped[Consultation](ctx, tx, Query{Kind: KindConsultation, CaseID: caseID}); err != nil {
		return nil, err
	}
	if d.conferences, err = listTyped[Conference](ctx, tx, Query{Kind: KindConference, CaseID: caseID}); err != nil {
		return nil, err
	}
	if d.tasks, err = listTyped[Task](ctx, tx, Query{Kind: KindTask, CaseID: caseID}); err != nil {
		return nil, err
	}
	return d, nil
}

// personIDs lists the subject first, then the other members.
func (d *caseData) personIDs() []string {
	ids := []string{d.cf.SubjectID}
	for _, m := range d.members {
		if !slices.Contains(ids, m.PersonID) {
			ids = append(ids, m.PersonID)
		}
	}
	return ids
}

// metaSkip are entity fields left out of views: tenancy and bookkeeping.
var metaSkip = map[string]bool{"tenant_id": true, "created_at": true, "created_by": true, "updated_at": true, "updated_by": true}

// flatten appends the leaves of v (any JSON-encodable value) under prefix.
func flatten(out []consent.Field, prefix string, v any, subject string, cat func(top string) consent.Category) ([]consent.Field, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	var walk func(path, top string, x any, depth int)
	walk = func(path, top string, x any, depth int) {
		switch t := x.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				if depth == 0 && metaSkip[k] {
					continue
				}
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				tp := top
				if depth == 0 {
					tp = k
				}
				walk(join(path, k), tp, t[k], depth+1)
			}
		case []any:
			for i, e := range t {
				walk(join(path, strconv.Itoa(i)), top, e, depth+1)
			}
		case nil:
		default:
			if s, ok := t.(string); ok && s == "" {
				return
			}
			out = append(out, consent.Field{Path: path, Category: cat(top), Subject: subject, Value: t})
		}
	}
	walk(prefix, "", tree, 0)
	return out, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func fixed(c consent.Category) func(string) consent.Category {
	return func(string) consent.Category { return c }
}

func personCategory(top string) consent.Category {
	switch top {
	case "contacts":
		return consent.CategoryContact
	case "disability":
		return consent.CategoryHealthDisability
	case "incomes":
		return consent.CategoryIncomeTax
	}
	return consent.CategoryIdentity
}

// personView flattens one person with their membership and support.
func (d *caseData) personView(id string) (consent.View, error) {
	v := consent.View{Subject: id}
	var err error
	if v.Fields, err = flatten(nil, "", d.persons[id], id, personCategory); err != nil {
		return v, err
	}
	for _, m := range d.members {
		if m.PersonID == id {
			hm := struct {
				Relationship            Relationship `json:"relationship"`
				LivesWith               bool         `json:"lives_with"`
				RegisteredSameHousehold bool         `json:"registered_same_household"`
				SameLivelihood          *bool        `json:"same_livelihood,omitempty"`
				Role                    string       `json:"role,omitempty"`
				Period                  Period       `json:"period"`
				ID                      string       `json:"member_id"`
				Version                 int64        `json:"member_version"`
			}{m.Relationship, m.LivesWith, m.RegisteredSameHousehold, m.SameLivelihood, m.Role, m.Period, m.ID, m.Version}
			if v.Fields, err = flatten(v.Fields, "household", hm, id, fixed(consent.CategoryHousehold)); err != nil {
				return v, err
			}
		}
	}
	for i := range d.supports[id] {
		if v.Fields, err = flatten(v.Fields, "support_in_use."+strconv.Itoa(i), &d.supports[id][i], id, fixed(consent.CategorySupportInUse)); err != nil {
			return v, err
		}
	}
	return v, nil
}

// caseView flattens the case-level records about the subject.
func (d *caseData) caseView() (consent.View, error) {
	subj := d.cf.SubjectID
	v := consent.View{Subject: subj}
	var err error
	if v.Fields, err = flatten(nil, "case", &d.cf, subj, fixed(consent.CategoryConsultation)); err != nil {
		return v, err
	}
	if d.program != nil {
		if v.Fields, err = flatten(v.Fields, "program", d.program, subj, fixed(consent.CategoryProgram)); err != nil {
			return v, err
		}
	}
	for i := range d.consultations {
		c := &d.consultations[i]
		if v.Fields, err = flatten(v.Fields, "consultations."+strconv.Itoa(i), c, subj, fixed(labelCategory(c.Labels, consent.CategoryConsultation))); err != nil {
			return v, err
		}
	}
	for i := range d.conferences {
		c := &d.conferences[i]
		if v.Fields, err = flatten(v.Fields, "conferences."+strconv.Itoa(i), c, subj, fixed(labelCategory(c.Labels, consent.CategoryConsultation))); err != nil {
			return v, err
		}
	}
	for i := range d.tasks {
		if v.Fields, err = flatten(v.Fields, "tasks."+strconv.Itoa(i), &d.tasks[i], subj, fixed(consent.CategoryProgram)); err != nil {
			return v, err
		}
	}
	return v, nil
}

func viewCategories(v consent.View) consent.CategorySet {
	var cs consent.CategorySet
	for _, f := range v.Fields {
		if f.Category.Valid() && f.Category != consent.CategoryMyNumber {
			cs = cs.With(f.Category)
		}
	}
	return cs
}

// roleRedact is the owning desk's in-purpose view: the role decides, an
// explicit exception in the person's consent narrows it, and the hard
// denies of the consent decision still apply (a DV counterparty is
// refused everything; protected fields and categories of a DV等支援措置 are
// withheld outside the responsible desk; My Number never appears).
// Sensitive categories need PermSensitive.
func roleRedact(v consent.View, dec consent.Decision, sensitiveOK bool) consent.RedactedView {
	out := consent.RedactedView{Subject: v.Subject, Fields: []consent.Field{}, Withheld: []consent.Withheld{}, Decisions: []consent.Decision{dec}}
	counterparty := dec.Reason() == consent.ReasonCounterparty
	for _, f := range v.Fields {
		reason := consent.Reason(0)
		switch {
		case f.Category == consent.CategoryMyNumber:
			reason = consent.ReasonMyNumber
		case !f.Category.Valid():
			reason = consent.ReasonUncategorized
		case counterparty:
			reason = consent.ReasonCounterparty
		case dec.Masked(f.Path), dec.CategoryReason(f.Category) == consent.ReasonRestricted:
			reason = consent.ReasonRestricted
		case dec.CategoryReason(f.Category) == consent.ReasonExcepted:
			// the person's consent explicitly excepts this desk: consent
			// narrows what the role allows
			reason = consent.ReasonExcepted
		case sensitive(f.Category) && !sensitiveOK:
			reason = consent.ReasonNotRequested
		}
		if reason == 0 {
			out.Fields = append(out.Fields, f)
			continue
		}
		out.Withheld = append(out.Withheld, consent.Withheld{Path: f.Path, Subject: f.Subject, Category: f.Category, Reason: reason})
	}
	return out
}

// readRecord is the audit record of what one subject's view disclosed.
func (s *Service) readRecord(a Actor, opts ReadOptions, owner, caseID string, rv consent.RedactedView, byRole bool) audit.Record {
	var cats consent.CategorySet
	for _, f := range rv.Fields {
		cats = cats.With(f.Category)
	}
	r := audit.Record{At: s.clock(), Actor: a.audit(), Action: audit.ActionRead, Purpose: opts.Purpose.String(),
		CaseID: caseID, Subjects: []string{rv.Subject}, Decision: audit.Permit, Outcome: "ok"}
	for _, c := range cats.List() {
		r.Categories = append(r.Categories, c.String())
	}
	if cats.Empty() {
		r.Decision, r.Reason = audit.Deny, "nothing_permitted"
		if len(rv.Decisions) > 0 {
			r.Reason = rv.Decisions[0].Reason().String()
		}
	}
	switch {
	case byRole:
		r.Basis.Kind = "role"
	case len(rv.Decisions) > 0 && rv.Decisions[0].Basis == consent.BasisStatute:
		r.Basis = audit.Basis{Kind: "statute", Statute: rv.Decisions[0].Statute().String()}
	case len(rv.Decisions) > 0 && rv.Decisions[0].Basis == consent.BasisConsent:
		r.Basis = audit.Basis{Kind: "consent", ConsentIDs: rv.Decisions[0].ConsentIDs()}
	}
	if a.Org != owner && !cats.Empty() {
		r.Recipient = a.Org // provision to another desk: a disclosure
	}
	return r
}

// ReadCase returns the case as actor's department may see it and records
// in the audit log, per person, what was shown (or refused) on which basis.
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
		return nil, err
	}
	return out, nil
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

// ExportCases returns the cases as recipient may receive them in a file
// (consent action "copy"; the owning desk exporting for itself works by
// role) and records each person's export, with the recipient, in the audit
// log and so in the disclosure register. All cases are read in one
// transaction: the export is consistent.
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
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		out = out[:0]
		for _, id := range caseIDs {
			v, _, err := s.readCase(ctx, tx, a, id, ReadOptions{Purpose: purpose}, consent.ActionCopy, audit.ActionExport, recipient)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CaseIDs lists the ids of the tenant's cases owned by the actor's desk, in
// creation order (for exports and reports).
func (s *Service) CaseIDs(ctx context.Context, a Actor) ([]string, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	var out []string
	err := s.store.View(ctx, a.Tenant, func(tx Tx) error {
		cases, err := listTyped[CaseFile](ctx, tx, Query{Kind: KindCase})
		for _, c := range cases {
			if c.OwnerOrg == a.Org {
				out = append(out, c.ID)
			}
		}
		return err
	})
	return out, err
}

// readCase builds, redacts and audits one case view inside tx; it also
// returns the typed records it read.
func (s *Service) readCase(ctx context.Context, tx Tx, a Actor, caseID string, opts ReadOptions, action consent.Action, auditAction audit.Action, recipient string) (*CaseView, *caseData, error) {
	var out *CaseView
	var d *caseData
	err := func() error {
		var err error
		if d, err = loadCase(ctx, tx, caseID); err != nil {
			return err
		}
		views := []consent.View{}
		cv, err := d.caseView()
		if err != nil {
			return err
		}
		views = append(views, cv)
		for _, id := range d.personIDs() {
			pv, err := d.personView(id)
			if err != nil {
				return err
			}
			views = append(views, pv)
		}
		dcd, err := s.decider(ctx, tx, d.personIDs())
		if err != nil {
			return err
		}
		byRole := a.Org == d.cf.OwnerOrg && opts.Purpose == consent.PurposeConsultation && opts.Assertion.Statute == 0 &&
			(recipient == "" || recipient == d.cf.OwnerOrg)
		tmpl := consent.Request{Actor: a.consent(), Action: action, Purpose: opts.Purpose, At: s.clock(),
			OnBehalfOf: opts.OnBehalfOf, Assertion: opts.Assertion}
		if recipient != "" {
			// a copy is decided for the organisation that receives it
			tmpl.Actor.Org = recipient
		}
		out = &CaseView{CaseID: caseID, Basis: "none"}
		if byRole {
			out.Basis = "role"
		}
		for i, v := range views {
			var rv consent.RedactedView
			if byRole {
				req := tmpl
				req.Subject, req.Categories = v.Subject, viewCategories(v)
				if req.Categories.Empty() {
					rv = consent.RedactedView{Subject: v.Subject, Fields: []consent.Field{}, Withheld: []consent.Withheld{}}
				} else {
					dec, err := dcd.Decide(req)
					if err != nil {
						return err
					}
					rv = roleRedact(v, dec, s.can(a, PermSensitive))
				}
			} else {
				if rv, err = dcd.Redact(tmpl, v); err != nil {
					return err
				}
				if len(rv.Fields) > 0 && out.Basis == "none" && len(rv.Decisions) > 0 {
					out.Basis = rv.Decisions[0].Basis.String()
				}
			}
			for _, dec := range rv.Decisions {
				out.Obligations |= dec.Obligations
			}
			if i == 0 {
				out.Case = rv
			} else {
				out.Persons = append(out.Persons, PersonView{PersonID: v.Subject, View: rv})
			}
			rec := s.readRecord(a, opts, d.cf.OwnerOrg, caseID, rv, byRole)
			rec.Action = auditAction
			if recipient != "" && recipient != d.cf.OwnerOrg && rec.Decision == audit.Permit {
				rec.Recipient = recipient
			}
			if err := tx.Audit(rec); err != nil {
				return err
			}
		}
		return nil
	}()
	return out, d, err
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
