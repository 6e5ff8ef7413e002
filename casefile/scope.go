package casefile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/onestop-jp/onestop/consent"
)

// household is the part of a case that decides who is protected by a
// DV等支援措置: the case, its memberships and its persons.
type household struct {
	cf      CaseFile
	members []HouseholdMember
	persons map[string]*Person
}

// loadHousehold reads a case with its members and persons.
func loadHousehold(ctx context.Context, tx Tx, caseID string) (*household, error) {
	h, err := loadMembers(ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	return h, h.ensurePersons(ctx, tx)
}

// loadMembers reads a case with its members; the persons are read when
// needed (ensurePersons).
func loadMembers(ctx context.Context, tx Tx, caseID string) (*household, error) {
	h := &household{persons: map[string]*Person{}}
	r, err := tx.Get(ctx, KindCase, caseID)
	if err != nil {
		return nil, err
	}
	if err := DecodeRow(r, &h.cf); err != nil {
		return nil, err
	}
	if h.members, err = listTyped[HouseholdMember](ctx, tx, Query{Kind: KindMember, CaseID: caseID}); err != nil {
		return nil, err
	}
	return h, nil
}

// ensurePersons reads the persons of the household not read yet.
func (h *household) ensurePersons(ctx context.Context, tx Tx) error {
	for _, id := range h.personIDs() {
		if h.persons[id] != nil {
			continue
		}
		pr, err := tx.Get(ctx, KindPerson, id)
		if err != nil {
			return err
		}
		p := &Person{}
		if err := DecodeRow(pr, p); err != nil {
			return err
		}
		h.persons[id] = p
	}
	return nil
}

// personIDs lists the subject first, then the other members.
func (h *household) personIDs() []string {
	ids := []string{h.cf.SubjectID}
	for _, m := range h.members {
		if !slices.Contains(ids, m.PersonID) {
			ids = append(ids, m.PersonID)
		}
	}
	return ids
}

// livesHere reports whether the person lives in the case's household: a
// membership whose LivesWith is true or not known (a protected value is
// protected wherever it may be), or the subject without a membership of
// their own (the applicant lives in the household they apply for). The
// membership period does not matter: a member who moved out may still
// share the address on file.
func (h *household) livesHere(id string) bool {
	member := false
	for _, m := range h.members {
		if m.PersonID == id {
			member = true
			if m.LivesWith == nil || *m.LivesWith {
				return true
			}
		}
	}
	return !member && id == h.cf.SubjectID
}

// sharesProtected reports whether x carries a value of p that a measure
// protecting p would mask: the same (non-empty) address or a contact with
// the same value.
func sharesProtected(x, p *Person) bool {
	if x == nil || p == nil {
		return false
	}
	if !x.Address.IsZero() && x.Address == p.Address {
		return true
	}
	for _, a := range x.Contacts {
		for _, b := range p.Contacts {
			if a.Value != "" && a.Value == b.Value {
				return true
			}
		}
	}
	return false
}

// scope is the policy that applies to one read or write: the DV等支援措置
// of the tenant, each extended to the persons of the households at hand
// who live with a protected person or carry the same address or contact
// (the protected value is protected wherever it appears), and the consent
// deciders of those persons, compiled when first asked for. A scope lives
// within one transaction.
type scope struct {
	at           time.Time
	persons      []string
	restrictions []consent.Restriction
	known        map[string]*Person          // persons already read, for their birth dates
	deciders     map[string]*consent.Decider // per person: their own consent log
	load         func(subject string) (*consent.Decider, error)
}

// decider returns the consent decider for one subject. Each person's log
// is compiled on its own, as it is kept and appended: a consent id that
// two persons' logs share (data recorded before ids were unique in the
// tenant) is then no collision.
func (sc *scope) decider(subject string) (*consent.Decider, error) {
	if d := sc.deciders[subject]; d != nil {
		return d, nil
	}
	d, err := sc.load(subject)
	if err != nil {
		return nil, err
	}
	sc.deciders[subject] = d
	return d, nil
}

// newScope builds the scope of the given households and of the extra
// persons (read outside any household).
func (s *Service) newScope(ctx context.Context, tx Tx, hs []*household, extra ...string) (*scope, error) {
	sc := &scope{at: s.clock(), known: map[string]*Person{}, deciders: map[string]*consent.Decider{}}
	for _, h := range hs {
		for _, id := range h.personIDs() {
			if !slices.Contains(sc.persons, id) {
				sc.persons = append(sc.persons, id)
			}
		}
		for id, p := range h.persons {
			sc.known[id] = p
		}
	}
	for _, id := range extra {
		if id != "" && !slices.Contains(sc.persons, id) {
			sc.persons = append(sc.persons, id)
		}
	}
	rows, err := tx.List(ctx, Query{Kind: KindRestriction})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var ar AddressRestriction
		if err := DecodeRow(r, &ar); err != nil {
			return nil, err
		}
		for _, h := range hs { // the extension compares addresses and contacts
			if slices.ContainsFunc(h.personIDs(), func(id string) bool { return slices.Contains(ar.Restriction.Subjects, id) }) {
				if err := h.ensurePersons(ctx, tx); err != nil {
					return nil, err
				}
				for id, p := range h.persons {
					sc.known[id] = p
				}
			}
		}
		sc.restrictions = append(sc.restrictions, extend(ar.Restriction, hs))
	}
	sc.load = func(subject string) (*consent.Decider, error) {
		events, err := subjectEvents(ctx, tx, subject)
		if err != nil {
			return nil, err
		}
		var minors []consent.Minor
		if len(events) > 0 {
			p := sc.known[subject]
			if p == nil {
				if r, err := tx.Get(ctx, KindPerson, subject); err == nil {
					p = &Person{}
					if err := DecodeRow(r, p); err != nil {
						return nil, err
					}
				} else if !errors.Is(err, ErrNotFound) {
					return nil, err
				}
			}
			if m, ok := s.minor(p); ok {
				minors = append(minors, m)
			}
		}
		d, err := s.compile(events, sc.restrictions, minors...)
		if err != nil {
			return nil, fmt.Errorf("casefile: consent policy of %s: %w", subject, err)
		}
		return d, nil
	}
	return sc, nil
}

// compile compiles a consent policy with the configured contracts and
// mandates.
func (s *Service) compile(events []consent.Event, rs []consent.Restriction, minors ...consent.Minor) (*consent.Decider, error) {
	return consent.Compile(consent.Policy{Events: events, Restrictions: rs, Contracts: s.cfg.Contracts, Mandates: s.cfg.Mandates, Minors: minors})
}

// emptyScope is the scope of a person not yet stored: no measure, no
// consent.
func (s *Service) emptyScope() *scope {
	return &scope{at: s.clock(), deciders: map[string]*consent.Decider{},
		load: func(string) (*consent.Decider, error) { return s.compile(nil, nil) }}
}

// extend adds to r's subjects every person of the households who lives
// with a protected person, or shares their address or a contact, and is
// not a counterparty. The restriction's own list is the minimum: a DV等支援
// 措置 can cover the household members at the same address, and the
// record must not show the victim's address under a child's name.
func extend(r consent.Restriction, hs []*household) consent.Restriction {
	subjects := slices.Clone(r.Subjects)
	for _, h := range hs {
		for changed := true; changed; {
			changed = false
			for _, x := range h.personIDs() {
				if slices.Contains(subjects, x) || r.IsCounterparty(x) {
					continue
				}
				for _, p := range subjects {
					if !slices.Contains(h.personIDs(), p) {
						continue
					}
					if (h.livesHere(x) && h.livesHere(p)) || sharesProtected(h.persons[x], h.persons[p]) {
						subjects = append(subjects, x)
						changed = true
						break
					}
				}
			}
		}
	}
	r.Subjects = subjects
	return r
}

// inForce returns the restrictions in force that protect any of ids.
func (sc *scope) inForce(ids []string) []consent.Restriction {
	var out []consent.Restriction
	for _, r := range sc.restrictions {
		if !r.State(sc.at).InForce() {
			continue
		}
		for _, id := range ids {
			if slices.Contains(r.Subjects, id) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// counterparty reports whether person is a counterparty of a restriction
// in force on anyone in scope: everything is then refused, whatever is
// asked, for the whole household.
func (sc *scope) counterparty(person string) bool {
	if person == "" {
		return false
	}
	for _, r := range sc.inForce(sc.persons) {
		if r.IsCounterparty(person) {
			return true
		}
	}
	return false
}

// masked reports whether org may not see the field of subject: a
// restriction in force protects subject, org is not one of its
// responsible desks, and the field is one of its protected fields or
// categories.
func (sc *scope) masked(org, subject, path string, c consent.Category) bool {
	for _, r := range sc.inForce([]string{subject}) {
		if !slices.Contains(r.ResponsibleOrgs, org) && r.Protects(path, c) {
			return true
		}
	}
	return false
}

// restricted reports whether a restriction in force protects the person.
func (sc *scope) restricted(person string) bool { return len(sc.inForce([]string{person})) > 0 }

// reviewFor reports whether org is a responsible desk of a restriction on
// someone in scope that is within a month of its end or past it and not
// lifted: the desk must decide on an extension (it stays in force).
func (sc *scope) reviewFor(org string) bool {
	for _, r := range sc.inForce(sc.persons) {
		st := r.State(sc.at)
		if (st == consent.RestrictionExpiring || st == consent.RestrictionOverdue) && slices.Contains(r.ResponsibleOrgs, org) {
			return true
		}
	}
	return false
}

// responsible reports whether org is a responsible desk of every
// restriction in force that protects person.
func (sc *scope) responsible(org, person string) bool {
	for _, r := range sc.inForce([]string{person}) {
		if !slices.Contains(r.ResponsibleOrgs, org) {
			return false
		}
	}
	return true
}
