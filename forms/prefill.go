package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// This file is the one place that reads the case record for an
// application (part ⑤ of the model programme: online application reusing
// the record's data).

// ItemStatus says whether an application item was filled from the record.
type ItemStatus string

// Item statuses.
const (
	// ItemFilled: copied from the case record; the family checks it.
	ItemFilled ItemStatus = "filled"
	// ItemToEnter: the family enters it (not in the record, not covered
	// by their consent, or not in the form the application needs).
	ItemToEnter ItemStatus = "to_enter"
)

// Reason codes of items to enter.
const (
	ReasonNotRecorded = "not_recorded" // the application asks what the record never keeps (a bank account)
	ReasonNoConsent   = "no_consent"   // the record has it, the consent does not cover it
	ReasonNotInRecord = "not_in_record"
	ReasonInvalid     = "invalid" // the record's value does not fit the application
)

// Item is one entry of an application.
type Item struct {
	Path     string     `json:"path"`
	Section  string     `json:"section"`
	Label    string     `json:"label"`
	Required bool       `json:"required,omitempty"`
	Status   ItemStatus `json:"status"`
	// Value is the normalised answer of a filled item; Display says it in
	// Japanese (choice labels, 和暦 dates, formatted yen).
	Value   any    `json:"value,omitempty"`
	Display string `json:"display,omitempty"`
	// Reason (a code) and Note (Japanese) say why an item is to enter.
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Application is an online application prefilled from a case record: the
// items copied where the person's consent covers online_application for
// the application's recipient, and the items the family still enters. Its
// answers are a submission to the application's form (Submission), which
// validates with Check once completed.
type Application struct {
	Form        string          `json:"form"`
	Version     string          `json:"version"`
	Title       string          `json:"title"`
	Application ApplicationInfo `json:"application"`
	CaseID      string          `json:"case_id"`
	Date        string          `json:"date"`
	Items       []Item          `json:"items"`
	Filled      int             `json:"filled"`
	ToEnter     int             `json:"to_enter"`
	answers     map[string]any
}

// Submission returns the prefilled answers as a submission to the
// application's form: what a front end shows for the family to complete,
// and Check validates.
func (a *Application) Submission() []byte {
	b, _ := json.Marshal(map[string]any{"form": a.Form, "version": a.Version, "date": a.Date, "answers": a.answers})
	return b
}

// PrefillOptions qualify Prefill.
type PrefillOptions struct {
	// Applicant is the applicant's person id (Ref.Members["p"].PersonID);
	// empty: the person whose relation in the case is self. The read is
	// made on their behalf, so a counterparty of a DV等支援措置 is refused.
	Applicant string
	// On is the application's date, which decides 前年 and 前々年; zero:
	// today in Japan by the Service's clock.
	On civil.Date
}

// Prefill fills an application from a case record. The read is the
// recipient department's (the actor must belong to the department the
// application names), for the purpose online_application: casefile decides
// it per person by their consent, masks what a DV等支援措置 protects, and
// records it in the audit log — and, for a department other than the
// owning desk, in the disclosure register (提供記録). Only what that read
// shows is copied; everything else is left for the family to enter, with
// the reason.
func Prefill(ctx context.Context, svc *casefile.Service, a casefile.Actor, app *Form, caseID string, o PrefillOptions) (*Application, error) {
	if app == nil || app.info.Kind != KindApplication || app.info.Application == nil {
		return nil, errors.New("forms: Prefill needs an application definition (kind: application)")
	}
	rcpt := app.info.Application.Recipient
	if a.Org != rcpt.Code {
		return nil, fmt.Errorf("forms: the application %s goes to %s (%s): prefill it as a member of that department, not %s", app.info.ID, rcpt.Code, rcpt.Name, a.Org)
	}
	date := o.On
	if date.IsZero() {
		date = civil.DateOf(svc.Now().In(jst))
	}
	view, err := svc.ReadCase(ctx, a, caseID, casefile.ReadOptions{Purpose: consent.PurposeOnlineApplication, OnBehalfOf: o.Applicant})
	if err != nil {
		return nil, fmt.Errorf("forms: reading the case for the application: %w", err)
	}
	rv := newRecordView(view, o.Applicant)
	fill := &filler{f: app, rv: rv, date: date, src: map[string]source{}}
	answers := fill.group(app.root, rv.applicant, "")
	out := &Application{Form: app.info.ID, Version: app.info.Version, Title: app.info.Title, Application: *app.Info().Application,
		CaseID: caseID, Date: date.String(), Items: []Item{}}
	data, err := json.Marshal(map[string]any{"form": app.info.ID, "version": app.info.Version, "date": date.String(), "answers": answers})
	if err != nil {
		return nil, fmt.Errorf("forms: the prefilled answers: %w", err)
	}
	st, errs := app.evaluate(data, options{}, true)
	invalid := map[string]string{}
	for _, e := range errs {
		invalid[e.Path] = e.Message
	}
	fill.items(out, st.root, "", app.pages, invalid)
	out.answers = st.root.jsonMap()
	return out, nil
}

// source is where a prefilled answer came from, or why there is none.
type source struct {
	reason string // "" when filled
}

// recordView indexes what the read showed.
type recordView struct {
	persons   []*personData
	applicant *personData
	caseF     map[string]any
	caseW     map[string]bool
}

type personData struct {
	id       string
	fields   map[string]any
	withheld map[string]bool
	rel      string
}

func newRecordView(v *casefile.CaseView, applicant string) *recordView {
	rv := &recordView{caseF: map[string]any{}, caseW: map[string]bool{}}
	for _, f := range v.Case.Fields {
		rv.caseF[f.Path] = f.Value
	}
	for _, w := range v.Case.Withheld {
		rv.caseW[w.Path] = true
	}
	for _, pv := range v.Persons {
		p := &personData{id: pv.PersonID, fields: map[string]any{}, withheld: map[string]bool{}}
		for _, f := range pv.View.Fields {
			p.fields[f.Path] = f.Value
		}
		for _, w := range pv.View.Withheld {
			p.withheld[w.Path] = true
		}
		p.rel, _ = p.fields["household.relationship.code"].(string)
		rv.persons = append(rv.persons, p)
		if (applicant != "" && p.id == applicant) || (applicant == "" && p.rel == "self" && rv.applicant == nil) {
			rv.applicant = p
		}
	}
	return rv
}

// filler builds the application's answers from the record view.
type filler struct {
	f    *Form
	rv   *recordView
	date civil.Date
	src  map[string]source // by answer path: why an answer is missing
}

// group fills the answers of g about person p (the applicant outside
// member groups).
func (fl *filler) group(g *node, p *personData, path string) map[string]any {
	out := map[string]any{}
	for _, n := range g.kids {
		np := joinPath(path, n.f.ID)
		switch n.typ {
		case TypeGroup:
			who := p
			if n.f.Member == "self" {
				who = fl.rv.applicant
			}
			if sub := fl.group(n, who, np); len(sub) > 0 {
				out[n.f.ID] = sub
			}
			continue
		case TypeList:
			var items []any
			for _, q := range fl.members(n) {
				i := len(items)
				item := fl.group(n, q, np+"["+strconv.Itoa(i)+"]")
				if n.f.IDPrefix != "" {
					item["id"] = n.f.IDPrefix + strconv.Itoa(i+1)
				}
				items = append(items, item)
			}
			if items != nil {
				out[n.f.ID] = items
			}
			continue
		}
		v, reason := fl.read(n, p)
		if reason != "" {
			fl.src[np] = source{reason: reason}
			continue
		}
		out[n.f.ID] = v
	}
	return out
}

// members lists the persons a member list of the application holds.
func (fl *filler) members(n *node) []*personData {
	var out []*personData
	for _, p := range fl.rv.persons {
		switch {
		case p == fl.rv.applicant || p.rel == "" || p.rel == "self":
		case n.f.Member == "item" && p.rel != "child":
			out = append(out, p)
		case n.f.Member == p.rel:
			out = append(out, p)
		}
	}
	return out
}

// read reads one record binding about person p: the value, or the reason
// there is none.
func (fl *filler) read(n *node, p *personData) (any, string) {
	rb := n.record
	if rb.op == recNone {
		return nil, ReasonNotRecorded
	}
	switch rb.op {
	case recCase:
		return lookup(fl.rv.caseF, fl.rv.caseW, "case."+rb.key)
	case recConsultation:
		return nil, ReasonNotRecorded // consultations are never copied into applications
	}
	if p == nil {
		return nil, ReasonNoConsent // nothing of the person was shown
	}
	switch rb.op {
	case recPerson:
		return lookup(p.fields, p.withheld, rb.key)
	case recPersonIncome:
		return p.income(fl.date.Year()-rb.yearOff, rb.key)
	case recMembership:
		key := map[string]string{"relationship": "household.relationship.code", "relationship_text": "household.relationship.text",
			"lives_with": "household.lives_with", "same_livelihood": "household.same_livelihood"}[rb.key]
		return lookup(p.fields, p.withheld, key)
	case recContact:
		return p.contact(rb.key, n.typ)
	case recSupport:
		return p.receiving()
	}
	return nil, ReasonNotInRecord
}

func lookup(fields map[string]any, withheld map[string]bool, path string) (any, string) {
	if v, ok := fields[path]; ok {
		return v, ""
	}
	if withheld[path] || hasUnder(withheld, path) {
		return nil, ReasonNoConsent
	}
	return nil, ReasonNotInRecord
}

// hasUnder reports whether a path below p (or p's parent object) is in m.
func hasUnder(m map[string]bool, p string) bool {
	for k := range m {
		if under(k, p) || under(p, k) {
			return true
		}
	}
	return false
}

// indexed collects the list entries of a person view (incomes.0.year …)
// as one map per index.
func (p *personData) indexed(prefix string) []map[string]any {
	var out []map[string]any
	for k, v := range p.fields {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		i, field, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(i)
		if err != nil || n < 0 || n > 1000 {
			continue
		}
		for len(out) <= n {
			out = append(out, map[string]any{})
		}
		out[n][field] = v
	}
	return out
}

func (p *personData) withheldUnder(prefix string) bool {
	for k := range p.withheld {
		if k == prefix || strings.HasPrefix(k, prefix+".") {
			return true
		}
	}
	return false
}

// income sums the person's recorded amounts of one kind in one year.
func (p *personData) income(year int, kind string) (any, string) {
	var sum int64
	found := false
	for _, e := range p.indexed("incomes") {
		y, _ := asInt(e["year"])
		if y != int64(year) || e["kind"] != kind {
			continue
		}
		a, ok := asInt(e["amount"])
		if !ok {
			a = 0 // amount 0 is left out of the view (an empty value)
		}
		sum += a
		found = true
	}
	switch {
	case found:
		return sum, ""
	case p.withheldUnder("incomes"):
		return nil, ReasonNoConsent
	}
	return nil, ReasonNotInRecord
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case float64:
		return int64(x), x == float64(int64(x))
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

// contact reads the contact bindings from the person's contacts.
func (p *personData) contact(key string, t FieldType) (any, string) {
	cs := p.indexed("contacts")
	if len(cs) == 0 {
		if p.withheldUnder("contacts") {
			return nil, ReasonNoConsent
		}
		return nil, ReasonNotInRecord
	}
	method := func(typ string) string {
		if typ == "mobile" {
			return "phone"
		}
		return typ
	}
	switch key {
	case "phone", "email":
		for _, c := range cs {
			if typ, _ := c["type"].(string); method(typ) == key {
				if v, ok := c["value"].(string); ok && v != "" {
					return v, ""
				}
			}
		}
	case "ok":
		ok := false
		for _, c := range cs {
			ok = ok || c["ok_to_contact"] == true
		}
		return ok, ""
	case "methods":
		var out []string
		for _, c := range cs {
			typ, _ := c["type"].(string)
			if c["ok_to_contact"] == true && !slices.Contains(out, method(typ)) {
				out = append(out, method(typ))
			}
		}
		if out == nil {
			return nil, ReasonNotInRecord
		}
		return out, ""
	case "safe_times":
		for _, c := range cs {
			if v, ok := c["safe_times"].(string); ok && v != "" {
				if t == TypeChoices {
					return nil, ReasonNotInRecord // the record keeps the person's words, not choices
				}
				return v, ""
			}
		}
	}
	return nil, ReasonNotInRecord
}

// receiving lists the programmes the person is recorded as receiving.
func (p *personData) receiving() (any, string) {
	entries := p.indexed("support_in_use")
	if len(entries) == 0 {
		if p.withheldUnder("support_in_use") {
			return nil, ReasonNoConsent
		}
		return nil, ReasonNotInRecord
	}
	var out []string
	for _, e := range entries {
		if e["status"] == "receiving" {
			if code, ok := e["scheme_code"].(string); ok && !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	slices.Sort(out)
	return out, ""
}

// notes are the Japanese explanations of the reasons.
var notes = map[string]string{
	ReasonNotRecorded: "申請のときに入力する項目です（記録には保存していません）",
	ReasonNoConsent:   "オンライン申請での転記に同意いただいた範囲の外にあるため、記録から転記していません",
	ReasonNotInRecord: "記録にないため入力してください",
	ReasonInvalid:     "記録の値が申請書の形式に合わないため、入力し直してください",
}

// items lists the application's items in order, with their status.
func (fl *filler) items(out *Application, g *group, path string, pages []pageDef, invalid map[string]string) {
	title := map[string]string{}
	for _, p := range pages {
		title[p.page.ID] = p.page.Title
	}
	var walk func(g *group, path, section string)
	walk = func(g *group, path, section string) {
		for i, n := range g.n.kids {
			v := &g.vals[i]
			p := joinPath(path, n.f.ID)
			sec := section
			if sec == "" {
				sec = title[n.page]
			}
			if v.vis == visHidden || v.vis == visPending {
				continue // not asked (yet): a follow-up of an answer to give
			}
			switch n.typ {
			case TypeGroup:
				sub := sec
				if n.f.Label != sec {
					sub = sec + "／" + n.f.Label
				}
				if v.set {
					walk(v.g, p, sub)
				} else {
					walk(newGroup(n), p, sub)
				}
				continue
			case TypeList:
				if !v.set || len(v.items) == 0 {
					it := Item{Path: p, Section: sec, Label: n.f.Label, Status: ItemToEnter, Reason: ReasonNotInRecord,
						Note: "記録から転記できる方がいません。該当する方がいれば入力してください"}
					out.Items = append(out.Items, it)
					out.ToEnter++
					continue
				}
				for j, item := range v.items {
					walk(item, p+"["+strconv.Itoa(j)+"]", fmt.Sprintf("%s／%s %d", sec, n.f.Label, j+1))
				}
				continue
			}
			it := Item{Path: p, Section: sec, Label: n.f.Label, Required: n.f.Required}
			switch {
			case v.set && v.ok && invalid[p] == "":
				it.Status, it.Value, it.Display = ItemFilled, v.json(n.typ), display(n, v)
				out.Filled++
			default:
				it.Status = ItemToEnter
				it.Reason = fl.src[p].reason
				if msg, bad := invalid[p]; bad {
					it.Reason, it.Note = ReasonInvalid, notes[ReasonInvalid]+"（"+msg+"）"
				}
				if it.Reason == "" {
					it.Reason = ReasonNotInRecord
				}
				if it.Note == "" {
					it.Note = notes[it.Reason]
				}
				out.ToEnter++
			}
			out.Items = append(out.Items, it)
		}
	}
	walk(g, path, "")
}
