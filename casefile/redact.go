package casefile

import (
	"time"

	"github.com/onestop-jp/onestop/consent"
)

// reader is whose decision a view is redacted for: one organisation (the
// actor's own, or an export's recipient), a purpose and an action.
type reader struct {
	actor      Actor
	org        string
	purpose    consent.Purpose
	action     consent.Action
	assertion  consent.Assertion
	onBehalfOf string
	// byRole: the owning desk's in-purpose work, decided by its role
	// (RBAC); consent only narrows it.
	byRole bool
}

func (r reader) template(at time.Time) consent.Request {
	return consent.Request{Actor: consent.Actor{User: r.actor.User, Org: r.org, Role: r.actor.Role, Person: r.actor.Person},
		Action: r.action, Purpose: r.purpose, At: at, OnBehalfOf: r.onBehalfOf, Assertion: r.assertion}
}

// redact decides one view for the reader within the scope: a request by
// or for a counterparty of any measure in scope gets nothing; the owning
// desk sees by role; everyone else by consent.Decide. DV masks of the
// scope (extended to co-residents) apply in every case, whatever the
// consent or role said.
func (s *Service) redact(sc *scope, r reader, v consent.View) (consent.RedactedView, error) {
	if sc.counterparty(r.actor.Person) || sc.counterparty(r.onBehalfOf) {
		return withholdAll(v, consent.ReasonCounterparty), nil
	}
	var rv consent.RedactedView
	tmpl := r.template(sc.at)
	if r.byRole {
		cats := viewCategories(v)
		if cats.Empty() {
			return withholdAll(v, consent.ReasonUncategorized), nil
		}
		// The role's access is the desk's consultation work, whatever the
		// read is for (a copy it prepares for another department too): an
		// exception that narrows the desk's consultation work narrows it.
		req := tmpl
		req.Subject, req.Categories, req.Purpose = v.Subject, cats, consent.PurposeConsultation
		d, err := sc.decider(v.Subject)
		if err != nil {
			return consent.RedactedView{}, err
		}
		dec, err := d.Decide(req)
		if err != nil {
			return consent.RedactedView{}, err
		}
		rv = roleRedact(v, dec, s.can(r.actor, PermSensitive))
	} else {
		d, err := sc.decider(v.Subject)
		if err != nil {
			return consent.RedactedView{}, err
		}
		if rv, err = d.Redact(tmpl, v); err != nil {
			return consent.RedactedView{}, err
		}
	}
	return sc.mask(r.org, rv), nil
}

// mask moves every kept field the scope protects from org to Withheld.
func (sc *scope) mask(org string, rv consent.RedactedView) consent.RedactedView {
	kept := rv.Fields[:0:0]
	for _, f := range rv.Fields {
		subj := f.Subject
		if subj == "" {
			subj = rv.Subject
		}
		if sc.masked(org, subj, f.Path, f.Category) {
			rv.Withheld = append(rv.Withheld, consent.Withheld{Path: f.Path, Subject: subj, Category: f.Category, Reason: consent.ReasonRestricted})
			continue
		}
		kept = append(kept, f)
	}
	rv.Fields = kept
	return rv
}

// withholdAll withholds every field of v for one reason.
func withholdAll(v consent.View, reason consent.Reason) consent.RedactedView {
	out := consent.RedactedView{Subject: v.Subject, Fields: []consent.Field{}, Withheld: []consent.Withheld{}}
	for _, f := range v.Fields {
		subj := f.Subject
		if subj == "" {
			subj = v.Subject
		}
		out.Withheld = append(out.Withheld, consent.Withheld{Path: f.Path, Subject: subj, Category: f.Category, Reason: reason})
	}
	return out
}

// roleRedact is the owning desk's in-purpose view: the role decides and an
// explicit exception in the person's consent narrows it (a consent that
// excepts the desk withholds that category from it too). Sensitive
// categories need PermSensitive. Masks and counterparty denies are the
// scope's (see redact).
func roleRedact(v consent.View, dec consent.Decision, sensitiveOK bool) consent.RedactedView {
	out := consent.RedactedView{Subject: v.Subject, Fields: []consent.Field{}, Withheld: []consent.Withheld{}, Decisions: []consent.Decision{dec}}
	for _, f := range v.Fields {
		reason := consent.Reason(0)
		switch {
		case f.Category == consent.CategoryMyNumber:
			reason = consent.ReasonMyNumber
		case !f.Category.Valid():
			reason = consent.ReasonUncategorized
		case dec.Reason() == consent.ReasonCounterparty:
			reason = consent.ReasonCounterparty
		case dec.CategoryReason(f.Category) == consent.ReasonRestricted:
			reason = consent.ReasonRestricted
		case dec.CategoryReason(f.Category) == consent.ReasonExcepted:
			reason = consent.ReasonExcepted
		case f.Category.Sensitive() && !sensitiveOK:
			reason = consent.ReasonNotRequested
		}
		if reason == 0 {
			out.Fields = append(out.Fields, f)
			continue
		}
		subj := f.Subject
		if subj == "" {
			subj = v.Subject
		}
		out.Withheld = append(out.Withheld, consent.Withheld{Path: f.Path, Subject: subj, Category: f.Category, Reason: reason})
	}
	return out
}

// intersect keeps the fields both views kept (an export is decided for the
// department running it and for its recipient); a field either withheld is
// withheld with that view's reason.
func intersect(a, b consent.RedactedView) consent.RedactedView {
	key := func(subject, path string) string { return subject + "\x00" + path }
	subj := func(v consent.RedactedView, s string) string {
		if s == "" {
			return v.Subject
		}
		return s
	}
	inB := map[string]bool{}
	for _, f := range b.Fields {
		inB[key(subj(b, f.Subject), f.Path)] = true
	}
	whyB := map[string]consent.Reason{}
	for _, w := range b.Withheld {
		whyB[key(subj(b, w.Subject), w.Path)] = w.Reason
	}
	out := consent.RedactedView{Subject: a.Subject, Fields: []consent.Field{}, Withheld: append([]consent.Withheld{}, a.Withheld...)}
	for _, f := range a.Fields {
		k := key(subj(a, f.Subject), f.Path)
		if inB[k] {
			out.Fields = append(out.Fields, f)
			continue
		}
		out.Withheld = append(out.Withheld, consent.Withheld{Path: f.Path, Subject: subj(a, f.Subject), Category: f.Category, Reason: whyB[k]})
	}
	return out
}

// viewCategories is the set of valid categories of v's fields.
func viewCategories(v consent.View) consent.CategorySet {
	var cs consent.CategorySet
	for _, f := range v.Fields {
		if f.Category.Valid() && f.Category != consent.CategoryMyNumber {
			cs = cs.With(f.Category)
		}
	}
	return cs
}

// keptCategories is the set of categories of the fields a view kept.
func keptCategories(rv consent.RedactedView) consent.CategorySet {
	var cs consent.CategorySet
	for _, f := range rv.Fields {
		cs = cs.With(f.Category)
	}
	return cs
}
