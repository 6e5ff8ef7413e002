package consent

import (
	"fmt"
)

// Field is one value in a View: a leaf of a record, flattened. Path names
// it with "."-separated ASCII segments, list indices as segments
// ("person.address", "contacts.0.value"); masks of a DV等支援措置 match
// paths by prefix on segment boundaries. Category decides which consent
// provision covers it; Subject is the person the value is about (empty:
// the View's Subject), since one case record holds several people's data.
type Field struct {
	Path     string   `json:"path"`
	Category Category `json:"category"`
	Subject  string   `json:"subject,omitempty"`
	Value    any      `json:"value"`
}

// View is a record as the consent package sees it: a flat list of fields.
// A record store (casefile) builds a View from its own records, redacts it
// with Decider.Redact or Redact, and renders only the RedactedView.
type View struct {
	Subject string  `json:"subject"`
	Fields  []Field `json:"fields"`
}

// Withheld tells what a RedactedView left out and why; it carries no value.
type Withheld struct {
	Path     string   `json:"path"`
	Subject  string   `json:"subject"`
	Category Category `json:"category,omitzero"` // zero for an uncategorised field
	Reason   Reason   `json:"reason"`
}

// RedactedView is a View after decisions were applied: Fields holds only
// what may be shown, each denied field is absent (never a blank value) and
// listed in Withheld. Decisions are the decisions applied, one per subject,
// for the audit log; they are not part of the JSON form.
type RedactedView struct {
	Subject   string     `json:"subject"`
	Fields    []Field    `json:"fields"`
	Withheld  []Withheld `json:"withheld"`
	Decisions []Decision `json:"-"`
}

// ForReader returns the view as it may be handed to the reader: the
// decisions are dropped (they name every category the record holds), and
// Withheld keeps only what the reader may learn exists. A subject about
// whom nothing was kept gets no Withheld entries at all, and withheld
// fields of the sensitive categories (health_disability, dv_related) are
// never listed: that a DV consultation or a disability certificate is on
// file is itself 要配慮 information. Keep the full view, with its
// decisions, for the audit log.
func (v RedactedView) ForReader() RedactedView {
	kept := make(map[string]bool, 2)
	for _, f := range v.Fields {
		kept[f.subject(&View{Subject: v.Subject})] = true
	}
	out := RedactedView{Subject: v.Subject, Fields: append([]Field{}, v.Fields...), Withheld: []Withheld{}}
	for _, w := range v.Withheld {
		s := w.Subject
		if s == "" {
			s = v.Subject
		}
		if kept[s] && !w.Category.Sensitive() {
			out.Withheld = append(out.Withheld, w)
		}
	}
	return out
}

// Get returns the value at path, if it was kept.
func (v RedactedView) Get(path string) (any, bool) {
	for _, f := range v.Fields {
		if f.Path == path {
			return f.Value, true
		}
	}
	return nil, false
}

// Has reports whether a field at path was kept.
func (v RedactedView) Has(path string) bool {
	_, ok := v.Get(path)
	return ok
}

func (v View) validate() error {
	var ps problems
	for i, f := range v.Fields {
		if !validPath(f.Path) {
			ps.add(fmt.Sprintf("fields[%d].path", i), "項目のパスが正しくありません（例: address, contacts.0.value）")
		}
		if f.Subject == "" && v.Subject == "" {
			ps.add(fmt.Sprintf("fields[%d].subject", i), "誰の情報かを指定してください（view.subject または field.subject）")
		}
	}
	return ps.err("view")
}

func (f Field) subject(v *View) string {
	if f.Subject != "" {
		return f.Subject
	}
	return v.Subject
}

// Redact applies decisions, one per subject (Decision.Request.Subject), to a
// view. A field is kept only if a decision for its subject permits its
// category and masks none of its path; everything else is left out and
// listed in Withheld: My Number fields and fields without a valid category
// always, fields of a subject without a decision always (deny by default).
// It returns a *ValidationError for a malformed view and an error for two
// decisions about the same subject.
func Redact(v View, decisions ...Decision) (RedactedView, error) {
	if err := v.validate(); err != nil {
		return RedactedView{}, err
	}
	bySubject := make(map[string]int, len(decisions))
	for i, d := range decisions {
		if _, dup := bySubject[d.Request.Subject]; dup {
			return RedactedView{}, fmt.Errorf("consent: redact: two decisions for subject %q: %w", d.Request.Subject, ErrInvalidRequest)
		}
		bySubject[d.Request.Subject] = i
	}
	out := RedactedView{Subject: v.Subject, Fields: []Field{}, Withheld: []Withheld{}, Decisions: decisions}
	for _, f := range v.Fields {
		subj := f.subject(&v)
		reason := ReasonPermittedByConsent
		i, ok := bySubject[subj]
		switch {
		case f.Category == CategoryMyNumber:
			reason = ReasonMyNumber
		case !f.Category.Valid():
			reason = ReasonUncategorized
		case !ok:
			reason = ReasonNoDecision
		case decisions[i].Masked(f.Path):
			reason = ReasonRestricted
		case !decisions[i].Request.Categories.Has(f.Category):
			reason = ReasonNotRequested
		case !decisions[i].Permitted.Has(f.Category):
			reason = decisions[i].CategoryReason(f.Category)
			if reason == 0 {
				reason = decisions[i].Reason()
			}
		default:
			out.Fields = append(out.Fields, f)
			continue
		}
		out.Withheld = append(out.Withheld, Withheld{Path: f.Path, Subject: subj, Category: f.Category, Reason: reason})
	}
	return out, nil
}

// Redact decides for every subject in the view and applies the decisions.
// req is a template: its Subject and Categories are replaced, per subject,
// by the subject and the categories of that subject's fields. The
// decisions are returned in the view for the audit log.
func (d *Decider) Redact(req Request, v View) (RedactedView, error) {
	if err := v.validate(); err != nil {
		return RedactedView{}, err
	}
	var order []string
	cats := make(map[string]CategorySet)
	for _, f := range v.Fields {
		s := f.subject(&v)
		if _, ok := cats[s]; !ok {
			order = append(order, s)
			cats[s] = 0
		}
		if f.Category.Valid() && f.Category != CategoryMyNumber {
			cats[s] |= 1 << f.Category
		}
	}
	var decisions []Decision
	for _, s := range order {
		if cats[s].Empty() {
			continue // nothing decidable: every field is withheld anyway
		}
		r := req
		r.Subject, r.Categories = s, cats[s]
		dec, err := d.Decide(r)
		if err != nil {
			return RedactedView{}, fmt.Errorf("consent: redact subject %q: %w", s, err)
		}
		decisions = append(decisions, dec)
	}
	return Redact(v, decisions...)
}
