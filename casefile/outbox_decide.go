package casefile

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// OutreachCase is one case as the notification purpose (支援情報の通知) may
// use it: the household facts its consents permit for screening, the
// support already in use, and whether and through which of the subject's
// contacts a notice may go. It is decided like Service.Household with
// purpose notification — each person's consent, DV等支援措置 masks extended
// to the household, counterparty denies — and carries no contact value:
// the dispatcher reads the destination just before sending.
type OutreachCase struct {
	CaseID string `json:"case_id"`
	// Subject is the case subject, the person a notice goes to.
	Subject string `json:"subject"`
	// Refused says why the case cannot be screened for a notice; "" when it
	// can. Codes: case_closed; counterparty (a request for the subject is
	// one by or for a DV counterparty of the household); a consent reason
	// for the subject's own data (no_consent — none, or none for this
	// purpose —, withdrawn, expired, no_capacity, representation_ended,
	// grantor_counterparty, restricted, …); member_not_visible (another
	// member's household composition may not be used: screening without
	// them would decide on a household that is not theirs); record_error
	// (the stored record could not be read).
	Refused string `json:"refused,omitempty"`
	// Household holds the facts the notification purpose permits, as the
	// household stands on the scan's AsOf (nil when Refused): a fact of a
	// category that may not be used is unknown.
	Household *eligibility.Household `json:"household,omitempty"`
	// Support maps programme ids to the status of support already in use
	// by someone in the household on the scan's date (the subject, and the
	// members whose membership covers it): receiving, applied, suspended, ended;
	// the most current if several) — for persons whose support_in_use may
	// be used. SupportKnown is false when the subject's may not: whether
	// the family already receives a programme is then unknown. (With it, a
	// programme without a record is one the family does not receive.)
	Support      map[string]string `json:"support,omitempty"`
	SupportKnown bool              `json:"support_known"`
	// Notify is the subject's consent decision for notify.
	Notify NotifyDecision `json:"notify"`
	// Channels are the subject's contacts usable as notification channels,
	// preferred first, each with why it is blocked ("" when usable).
	Channels []OutreachChannel `json:"channels,omitempty"`
}

// NotifyDecision is consent.Decide with action notify, purpose
// notification and the subject as addressee (a counterparty is refused).
type NotifyDecision struct {
	// Permitted: the contact category may be used to notify.
	Permitted bool `json:"permitted"`
	// Reason is the consent reason when not permitted (no_consent,
	// withdrawn, expired, restricted, counterparty, …).
	Reason     string   `json:"reason,omitempty"`
	ConsentIDs []string `json:"consent_ids,omitempty"`
	// Name: the identity category is covered too, so a notice may be
	// addressed by name (post, e-mail) and sent to the address (post).
	Name bool `json:"name"`
	// Amounts: the income_tax category is covered too, so an amount may
	// be stated — only on a contact the person chose for it (AmountsOK).
	Amounts bool `json:"amounts"`
	// Language is the language (BCP 47) of the notice the person was shown
	// for the consent the permit rests on ("ja", "vi", "ja-x-easy" …): a
	// person who read it in another language or in やさしい日本語 is written
	// to in やさしい日本語.
	Language string `json:"language,omitempty"`
}

// OutreachChannel is one contact of the subject as a notification channel.
type OutreachChannel struct {
	Type      string `json:"type"`    // sms, email, line, post
	Contact   int    `json:"contact"` // index in Person.Contacts
	Preferred bool   `json:"preferred,omitempty"`
	AmountsOK bool   `json:"amounts_ok,omitempty"`
	// SafeTimes are the person's words for when the contact is safe.
	SafeTimes string `json:"safe_times,omitempty"`
	// Blocked is "" for a usable channel, else: not_ok_to_contact (the
	// person did not choose it, or the desk must not use it); restricted
	// (a DV等支援措置 in force protects this contact or the address, for
	// post); counterparty_shared (a counterparty of a measure on the
	// household has the same phone, e-mail, LINE or address); no_identity
	// (post needs the name and address, which consent does not cover);
	// no_address (post without an address).
	Blocked string `json:"blocked,omitempty"`
}

// Usable reports whether c may be used.
func (c OutreachChannel) Usable() bool { return c.Blocked == "" }

// personRead is what a case decision read of one person, for the audit.
type personRead struct {
	id       string
	kept     consent.CategorySet
	consents []string
	reason   string // when nothing was kept
}

// decided is a case decision with what it read.
type decided struct {
	oc    OutreachCase
	reads []personRead
	// persons and the case, typed, for the dispatcher's destination.
	h *household
}

// channelOf maps a contact to a notification channel; "" for a contact
// that cannot carry a push notice (a landline).
func channelOf(c Contact) string {
	switch c.Type {
	case "mobile":
		return ChannelSMS
	case "phone":
		if mobileNumber(c.Value) {
			return ChannelSMS
		}
		return ""
	case "email":
		return ChannelEmail
	case "line":
		return ChannelLINE
	case "post":
		return ChannelPost
	}
	return ""
}

// mobileNumber reports whether a Japanese phone number is a mobile one
// (070, 080, 090: 11 digits), which can receive SMS.
func mobileNumber(v string) bool {
	d := digits(v)
	return len(d) == 11 && (strings.HasPrefix(d, "070") || strings.HasPrefix(d, "080") || strings.HasPrefix(d, "090"))
}

func digits(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	return b.String()
}

// sameContact reports whether two contact values reach the same place:
// phone numbers by their digits, e-mail case-insensitively, others as
// written (spaces trimmed).
func sameContact(a, b Contact) bool {
	switch {
	case a.Value == "" || b.Value == "":
		return false
	case isPhone(a.Type) && isPhone(b.Type):
		da := digits(a.Value)
		return da != "" && da == digits(b.Value)
	case a.Type == "email" && b.Type == "email":
		return strings.EqualFold(strings.TrimSpace(a.Value), strings.TrimSpace(b.Value))
	}
	return strings.TrimSpace(a.Value) == strings.TrimSpace(b.Value)
}

func isPhone(t string) bool { return t == "phone" || t == "mobile" }

// coversPath reports whether a protected field mask and a path overlap: the
// mask covers the path, or lies inside it (a mask on contacts.0.value
// blocks the contact contacts.0).
func coversPath(mask, path string) bool {
	inside := func(a, b string) bool { return strings.HasPrefix(b, a) && (len(b) == len(a) || b[len(a)] == '.') }
	return inside(mask, path) || inside(path, mask)
}

// protects reports whether a restriction protects anything under path or
// the whole category.
func protects(r consent.Restriction, path string, c consent.Category) bool {
	if slices.Contains(r.ProtectedCategories, c) {
		return true
	}
	for _, f := range r.ProtectedFields {
		if coversPath(f, path) {
			return true
		}
	}
	return false
}

// outreachRequest is the template of the notification purpose's reads.
func outreachReader(a Actor) reader {
	return reader{actor: a, org: a.Org, purpose: consent.PurposeNotification, action: consent.ActionView}
}

// decideOutreach decides one case for the notification purpose at time
// at, with the restrictions of rx (those naming a person of the case or a
// grantor of their consents), and builds its household as it stands on
// asOf (none when asOf is zero: planning and dispatch decide again without
// screening).
func (s *Service) decideOutreach(a Actor, at time.Time, asOf civil.Date, rc *rawCase, rx *restrictionIndex, others map[string]Row) decided {
	var out decided
	oc := &out.oc
	oc.CaseID, oc.Subject = rc.row.ID, rc.row.PersonID
	h, events, supports, err := decodeRaw(rc)
	if err != nil {
		oc.Refused = "record_error"
		return out
	}
	out.h = h
	if h.cf.Status == StatusClosed {
		oc.Refused = "case_closed"
		return out
	}
	ids := h.personIDs()
	for _, id := range ids {
		if h.persons[id] == nil {
			oc.Refused = "record_error"
			return out
		}
	}
	sc := s.outreachScope(h, events, rx, at)
	subject := h.cf.SubjectID
	if sc.counterparty(a.Person) || sc.counterparty(subject) {
		oc.Refused = "counterparty"
		return out
	}

	// What each person's consents let the notification purpose use.
	r := outreachReader(a)
	d := &caseData{household: *h, supports: supports}
	vis := Visible{}
	var subjectReason string
	for _, id := range ids {
		var kept consent.CategorySet
		var dec consent.Decision
		if sc.restricted(id) {
			// Under a measure: the exact view, field by field, as
			// Service.Household builds it.
			kept, dec, err = s.keptExactly(sc, r, d, id)
			if err != nil {
				oc.Refused = "record_error"
				return out
			}
		} else {
			req := r.template(at)
			req.Subject, req.Categories = id, presentCategories(h, supports, id)
			d, derr := sc.decider(id)
			if derr != nil {
				oc.Refused = "record_error"
				return out
			}
			if dec, err = d.Decide(req); err != nil {
				oc.Refused = "record_error"
				return out
			}
			kept = dec.Permitted
		}
		vis[id] = kept
		pr := personRead{id: id, kept: kept}
		if !kept.Empty() {
			pr.consents = dec.ConsentIDs()
		} else {
			pr.reason = dec.Reason().String()
		}
		if id == subject {
			subjectReason = dec.CategoryReason(consent.CategoryIdentity).String()
		}
		out.reads = append(out.reads, pr)
	}
	switch {
	case !vis[subject].Has(consent.CategoryIdentity):
		oc.Refused = subjectReason
		if oc.Refused == "" {
			oc.Refused = consent.ReasonNoConsent.String()
		}
		return out
	case slices.ContainsFunc(ids, func(id string) bool { return id != subject && !vis[id].Has(consent.CategoryHousehold) }):
		oc.Refused = "member_not_visible"
		return out
	}
	if !asOf.IsZero() {
		hh, err := ToHousehold(HouseholdRecord{Case: &h.cf, Members: h.members, Persons: h.persons, Supports: supports, Tenant: a.Tenant}, asOf, vis)
		if err != nil {
			oc.Refused = "record_error"
			return out
		}
		oc.Household = &hh
	}

	// Whether the family already receives a programme is known when the
	// subject's support_in_use may be used: support recorded is seen, and
	// none recorded means none (an import from the allowance systems adds
	// a row for each programme received).
	sreq := r.template(at)
	sreq.Subject, sreq.Categories = subject, consent.Categories(consent.CategorySupportInUse)
	sd, err := sc.decider(subject)
	if err != nil {
		oc.Refused, oc.Household = "record_error", nil
		return out
	}
	if sdec, err := sd.Decide(sreq); err == nil && sdec.Permitted.Has(consent.CategorySupportInUse) &&
		!slices.ContainsFunc(sc.inForce([]string{subject}), func(r consent.Restriction) bool {
			return !slices.Contains(r.ResponsibleOrgs, a.Org) && protects(r, "support_in_use", consent.CategorySupportInUse)
		}) {
		oc.SupportKnown = true
	}
	for _, id := range ids {
		if !vis[id].Has(consent.CategorySupportInUse) || !inHouseholdOn(h, id, asOf) {
			continue
		}
		for _, su := range supports[id] {
			if oc.Support == nil {
				oc.Support = map[string]string{}
			}
			if cur, ok := oc.Support[su.SchemeCode]; !ok || supportRank(su.Status) > supportRank(cur) {
				oc.Support[su.SchemeCode] = su.Status
			}
		}
	}

	// The notice itself: consent to notify, and the contacts.
	req := consent.Request{Actor: a.consent(), Subject: subject, Action: consent.ActionNotify, Purpose: consent.PurposeNotification,
		Categories: consent.Categories(consent.CategoryContact, consent.CategoryIdentity, consent.CategoryIncomeTax), At: at, OnBehalfOf: subject}
	dec, err := sd.Decide(req)
	if err != nil {
		oc.Refused = "record_error"
		oc.Household = nil
		return out
	}
	oc.Notify = NotifyDecision{Permitted: dec.Permitted.Has(consent.CategoryContact), Name: dec.Permitted.Has(consent.CategoryIdentity),
		Amounts: dec.Permitted.Has(consent.CategoryIncomeTax)}
	if oc.Notify.Permitted {
		oc.Notify.ConsentIDs = dec.ConsentIDs()
		if len(oc.Notify.ConsentIDs) > 0 {
			oc.Notify.Language = noticeLanguage(events[subject], oc.Notify.ConsentIDs[0])
		}
		out.reads = addCategories(out.reads, subject, dec.Permitted, oc.Notify.ConsentIDs)
	} else {
		oc.Notify.Reason = dec.CategoryReason(consent.CategoryContact).String()
	}
	oc.Channels = channels(h, sc, others, oc.Notify)
	return out
}

// inHouseholdOn reports whether the person is the subject or a member
// whose membership covers asOf (any member when asOf is zero).
func inHouseholdOn(h *household, id string, asOf civil.Date) bool {
	if id == h.cf.SubjectID || asOf.IsZero() {
		return true
	}
	return slices.ContainsFunc(h.members, func(m HouseholdMember) bool { return m.PersonID == id && m.Period.Covers(asOf) })
}

// noticeLanguage is the language of the latest notice of consent id.
func noticeLanguage(events []consent.Event, id string) string {
	lang := ""
	for _, e := range events {
		switch {
		case e.ConsentID != id:
		case e.Notice != nil:
			lang = e.Notice.Language
		case e.Consent != nil:
			lang = e.Consent.Notice.Language
		}
	}
	return lang
}

// supportRank orders support statuses by how current they are.
func supportRank(status string) int {
	switch status {
	case "receiving":
		return 4
	case "applied":
		return 3
	case "suspended":
		return 2
	case "ended":
		return 1
	}
	return 0
}

func addCategories(reads []personRead, id string, cs consent.CategorySet, consents []string) []personRead {
	for i := range reads {
		if reads[i].id == id {
			reads[i].kept |= cs
			for _, c := range consents {
				if !slices.Contains(reads[i].consents, c) {
					reads[i].consents = append(reads[i].consents, c)
				}
			}
			reads[i].reason = ""
			return reads
		}
	}
	return append(reads, personRead{id: id, kept: cs, consents: consents})
}

// channels lists the subject's contacts as notification channels,
// preferred first, each with what blocks it.
func channels(h *household, sc *scope, others map[string]Row, nd NotifyDecision) []OutreachChannel {
	subject := h.cf.SubjectID
	p := h.persons[subject]
	if p == nil {
		return nil
	}
	var measures []consent.Restriction // in force on the subject
	var counterparties []*Person       // of measures in force on the household
	for _, r := range sc.inForce(sc.persons) {
		if slices.Contains(r.Subjects, subject) {
			measures = append(measures, r)
		}
		for _, c := range r.Counterparties {
			if cp := h.persons[c]; cp != nil {
				counterparties = append(counterparties, cp)
			} else if row, ok := others[c]; ok {
				var x Person
				if DecodeRow(row, &x) == nil {
					counterparties = append(counterparties, &x)
				}
			}
		}
	}
	var out []OutreachChannel
	for i, c := range p.Contacts {
		typ := channelOf(c)
		if typ == "" {
			continue
		}
		ch := OutreachChannel{Type: typ, Contact: i, Preferred: c.Preferred, AmountsOK: c.AmountsOK, SafeTimes: c.SafeTimes}
		path, cat := "contacts."+strconv.Itoa(i), consent.CategoryContact
		if typ == ChannelPost {
			path, cat = "address", consent.CategoryIdentity
		}
		switch {
		case !c.OKToContact:
			ch.Blocked = "not_ok_to_contact"
		case slices.ContainsFunc(measures, func(r consent.Restriction) bool {
			return protects(r, path, cat) || (typ == ChannelPost && protects(r, "contacts."+strconv.Itoa(i), consent.CategoryContact))
		}):
			ch.Blocked = "restricted"
		case slices.ContainsFunc(counterparties, func(cp *Person) bool { return sharesChannel(cp, p, c, typ) }):
			ch.Blocked = "counterparty_shared"
		case typ == ChannelPost && !nd.Name:
			ch.Blocked = "no_identity"
		case typ == ChannelPost && p.Address.IsZero():
			ch.Blocked = "no_address"
		}
		out = append(out, ch)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Preferred && !out[j].Preferred })
	return out
}

// sharesChannel reports whether the counterparty cp can read what is
// sent to contact c of p: the same phone, e-mail or LINE, or, for post,
// the same address.
func sharesChannel(cp, p *Person, c Contact, typ string) bool {
	if typ == ChannelPost {
		return !p.Address.IsZero() && cp.Address == p.Address
	}
	for _, x := range cp.Contacts {
		if sameContact(x, c) {
			return true
		}
	}
	return false
}

// presentCategories is the set of categories a person's view holds (see
// views.go, personCategory and flattenCase): identity always (id,
// version, name), contact, health, income, household (a membership of the
// case, the school) and support (support in use, social insurance) when
// recorded; for the subject, the case header's categories too
// (consultation, the situation's, the note's and labels' when set, the
// applicant role's, and each local fact's).
func presentCategories(h *household, supports map[string][]SupportInUse, id string) consent.CategorySet {
	cs := consent.Categories(consent.CategoryIdentity)
	p := h.persons[id]
	if len(p.Contacts) > 0 {
		cs = cs.With(consent.CategoryContact)
	}
	if p.Disability != nil {
		cs = cs.With(consent.CategoryHealthDisability)
	}
	if len(p.Incomes) > 0 {
		cs = cs.With(consent.CategoryIncomeTax)
	}
	if p.School != "" || p.SchoolPrivate != nil || slices.ContainsFunc(h.members, func(m HouseholdMember) bool { return m.PersonID == id }) {
		cs = cs.With(consent.CategoryHousehold)
	}
	if p.HealthInsurance != "" || p.PensionCategory != "" {
		cs = cs.With(consent.CategorySupportInUse)
	}
	if len(supports[id]) > 0 {
		cs = cs.With(consent.CategorySupportInUse)
	}
	if id == h.cf.SubjectID {
		cs = cs.With(consent.CategoryConsultation)
		cat := headerCategory(&h.cf, false)
		if h.cf.Situation != "" {
			cs = cs.With(cat("situation"))
		}
		if h.cf.Note != "" || len(h.cf.Labels) > 0 {
			cs = cs.With(cat("note"))
		}
		if h.cf.ApplicantRole != "" || h.cf.DeFactoPartner != nil {
			cs = cs.With(cat("applicant_role"))
		}
		for _, f := range h.cf.Local {
			if c, err := consent.ParseCategory(f.Category); err == nil && c.Valid() {
				cs = cs.With(c)
			} else {
				cs = cs.With(consent.CategoryDVRelated)
			}
		}
	}
	return cs
}

// keptExactly decides a person under a DV等支援措置 as Service.Household
// does: the person's view (and, for the subject, the case header) field by
// field, masks of the scope applied; it returns the categories kept and
// the person's decision.
func (s *Service) keptExactly(sc *scope, r reader, d *caseData, id string) (consent.CategorySet, consent.Decision, error) {
	pv, err := d.personView(id)
	if err != nil {
		return 0, consent.Decision{}, err
	}
	rv, err := s.redact(sc, r, pv)
	if err != nil {
		return 0, consent.Decision{}, err
	}
	kept := keptCategories(rv)
	var dec consent.Decision
	if len(rv.Decisions) > 0 {
		dec = rv.Decisions[0]
	}
	if id == d.cf.SubjectID {
		cv, err := (&caseData{household: d.household}).caseView(sc.restricted(id))
		if err != nil {
			return 0, consent.Decision{}, err
		}
		crv, err := s.redact(sc, r, cv)
		if err != nil {
			return 0, consent.Decision{}, err
		}
		kept |= keptCategories(crv)
	}
	return kept, dec, nil
}

// outreachScope is newScope for one household whose rows are already
// read: the restrictions naming its persons or their consents' grantors,
// extended to the household, and one decider per person.
func (s *Service) outreachScope(h *household, events map[string][]consent.Event, rx *restrictionIndex, at time.Time) *scope {
	sc := &scope{at: at, persons: h.personIDs()}
	names := slices.Clone(sc.persons)
	for _, evs := range events {
		for _, e := range evs {
			if e.Consent != nil {
				names = append(names, e.Consent.Grantor.Person)
			}
		}
	}
	for _, r := range rx.about(names) {
		sc.restrictions = append(sc.restrictions, extend(r, []*household{h}))
	}
	sc.known = h.persons
	sc.deciders = make(map[string]*consent.Decider, len(sc.persons))
	sc.load = func(id string) (*consent.Decider, error) {
		var minors []consent.Minor
		if len(events[id]) > 0 {
			if m, ok := s.minor(h.persons[id]); ok {
				minors = append(minors, m)
			}
		}
		d, err := s.compile(events[id], sc.restrictions, minors...)
		if err != nil {
			return nil, fmt.Errorf("casefile: consent policy of %s: %w", id, err)
		}
		return d, nil
	}
	return sc
}

// decodeRaw decodes a case's rows.
func decodeRaw(rc *rawCase) (*household, map[string][]consent.Event, map[string][]SupportInUse, error) {
	h := &household{persons: map[string]*Person{}}
	if err := DecodeRow(rc.row, &h.cf); err != nil {
		return nil, nil, nil, err
	}
	h.members = make([]HouseholdMember, len(rc.members))
	for i, r := range rc.members {
		if err := DecodeRow(r, &h.members[i]); err != nil {
			return nil, nil, nil, err
		}
	}
	for id, r := range rc.persons {
		p := &Person{}
		if err := DecodeRow(r, p); err != nil {
			return nil, nil, nil, err
		}
		h.persons[id] = p
	}
	supports := map[string][]SupportInUse{}
	for id, rows := range rc.supports {
		for _, r := range rows {
			var su SupportInUse
			if err := DecodeRow(r, &su); err != nil {
				return nil, nil, nil, err
			}
			supports[id] = append(supports[id], su)
		}
	}
	events := map[string][]consent.Event{}
	for id, rows := range rc.events {
		for _, r := range rows {
			var ce ConsentEvent
			if err := DecodeRow(r, &ce); err != nil {
				return nil, nil, nil, err
			}
			events[id] = append(events[id], ce.Event)
		}
		sort.Slice(events[id], func(i, j int) bool { return events[id][i].Seq < events[id][j].Seq })
	}
	return h, events, supports, nil
}
