package forms

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// jst is Japan time, in which a consent's date-only limits are days.
var jst = time.FixedZone("JST", 9*60*60)

// consentSubject is a person a consent question's answer is recorded for.
type consentSubject struct {
	person  string
	grantor string
	// child is set for a child the applicant consents for as 法定代理人.
	child *memberPlan
}

// recordConsents records the consent events the answers call for: a yes
// with no consent in force is given (a new id when an earlier one was
// withdrawn or expired), a yes whose notice or scope changed amends, a no
// withdraws a consent in force. existing holds each person's consents
// (nil for a new case).
func (p *recordPlan) recordConsents(ch *casefile.Changes, a casefile.Actor, ref *Ref, existing map[string][]consent.Record) error {
	applicant := ref.Members[selfID].PersonID
	for _, ca := range p.consents {
		spec := ca.n.f.Consent
		subjects := []consentSubject{{person: applicant, grantor: applicant}}
		if spec.Children && p.role == string(eligibility.RoleParent) {
			for _, m := range p.members {
				if m.relation == string(eligibility.RelationChild) && !m.birth.IsZero() && childAge(m.birth, p.c.date) < 18 {
					subjects = append(subjects, consentSubject{person: ref.Members[m.id].PersonID, grantor: applicant, child: m})
				}
			}
		}
		for _, s := range subjects {
			if err := p.consentEvent(ch, a, ca, s, existing[s.person]); err != nil {
				return fmt.Errorf("consent %s: %w", ca.n.f.ID, err)
			}
		}
	}
	return nil
}

func (p *recordPlan) consentEvent(ch *casefile.Changes, a casefile.Actor, ca consentAnswer, s consentSubject, recs []consent.Record) error {
	base := ca.n.f.ID + "." + s.person
	var latest *consent.Record
	seq := 0
	for i := range recs {
		n, ok := consentSeq(recs[i].ID, base)
		if ok && n > seq {
			seq, latest = n, &recs[i]
		}
	}
	inForce := latest != nil && !latest.Ended()
	evidence := consent.Evidence{Channel: consent.ChannelWebForm, Ref: p.o.SubmissionID, RecordedBy: a.User}
	ev := consent.Event{Type: consent.EventGiven, At: p.at, EffectiveAt: p.at, By: a.User, Evidence: &evidence}
	switch {
	case ca.yes && !inForce:
		id := base
		if seq > 0 {
			id = base + "." + strconv.Itoa(seq+1)
		}
		c := p.consentContent(ca.n.f.Consent, id, s, a)
		ev.ConsentID, ev.Consent = id, &c
	case ca.yes:
		c := p.consentContent(ca.n.f.Consent, latest.ID, s, a)
		cur := latest.Current()
		if sameScope(cur, c) {
			return nil
		}
		c.Period.Start = cur.Period.Start
		ev.Type, ev.ConsentID, ev.Consent = consent.EventAmended, latest.ID, &c
	case inForce:
		ev.Type, ev.ConsentID = consent.EventWithdrawn, latest.ID
	default:
		return nil
	}
	_, err := ch.RecordConsent(s.person, ev)
	return err
}

// consentSeq reads the number of a consent id made by this package: base
// is 1, base.N is N.
func consentSeq(id, base string) (int, bool) {
	if id == base {
		return 1, true
	}
	rest, ok := strings.CutPrefix(id, base+".")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 1
}

// sameScope reports whether a recorded consent already says what the new
// answer says (same notice, same provisions).
func sameScope(a, b consent.Consent) bool {
	ja, _ := json.Marshal(a.Provisions)
	jb, _ := json.Marshal(b.Provisions)
	return a.Notice.Version == b.Notice.Version && a.Notice.TextHash == b.Notice.TextHash && string(ja) == string(jb)
}

// consentContent is the consent a yes gives, for one person: the
// question's provision, the notice's hash, the form as evidence, and a
// period of the question's months — for a child, never past the day the
// child reaches 18 (the age of majority, 民法第4条), when a 法定代理人's
// consent stops speaking for them.
func (p *recordPlan) consentContent(spec *ConsentSpec, id string, s consentSubject, a casefile.Actor) consent.Consent {
	shown := p.o.NoticeShownAt
	if shown.IsZero() || shown.After(p.at) {
		shown = p.at
	}
	c := consent.Consent{
		ID: id, Subject: s.person,
		Grantor:  consent.Grantor{Person: s.grantor, Capacity: consent.CapacitySelf},
		Manager:  a.Org,
		GivenAt:  p.at,
		Period:   consent.Period{Start: p.at},
		Notice:   consent.Notice{Version: spec.NoticeVersion, TextHash: consent.HashNotice(spec.Notice), Language: "ja", ShownAt: shown.UTC().Truncate(time.Microsecond)},
		Evidence: consent.Evidence{Channel: consent.ChannelWebForm, Ref: p.o.SubmissionID, RecordedBy: a.User},
	}
	if spec.PeriodMonths > 0 {
		c.Period.End = p.at.AddDate(0, spec.PeriodMonths, 0)
	}
	if s.child != nil {
		c.Grantor.Capacity, c.Grantor.Basis = consent.CapacityLegalRepresentative, "親権者"
		b := s.child.birth
		adult := civil.ReachesAge(b, 18)
		end := time.Date(adult.Year(), adult.Month(), adult.Day(), 0, 0, 0, 0, jst).UTC()
		if c.Period.End.IsZero() || end.Before(c.Period.End) {
			c.Period.End = end
		}
	}
	pr := consent.Provision{}
	for _, r := range spec.Recipients {
		k, _ := consent.ParseRecipientKind(r.Kind)
		pr.Recipients = append(pr.Recipients, consent.Recipient{Kind: k, Code: r.Code, Name: r.Name})
	}
	for _, x := range spec.Purposes {
		v, _ := consent.ParsePurpose(x)
		pr.Purposes = append(pr.Purposes, v)
	}
	for _, x := range spec.Actions {
		v, _ := consent.ParseAction(x)
		pr.Actions = append(pr.Actions, v)
	}
	for _, x := range spec.Categories {
		v, _ := consent.ParseCategory(x)
		pr.Categories = append(pr.Categories, v)
	}
	c.Provisions = []consent.Provision{pr}
	return c
}

// childAge is the age on a date as statutes count it (年齢計算ニ関スル法律).
func childAge(birth, on civil.Date) int {
	return civil.StatutoryAge(birth, on)
}
