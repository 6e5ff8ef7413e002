package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// This file is the one place that writes the case record (casefile) from
// a checked submission.

// RecordOptions qualify the recording of a submission.
type RecordOptions struct {
	// SubmissionID identifies the submission in the front end's system
	// (its receipt number). It is the evidence reference of every consent
	// the submission gives; required.
	SubmissionID string
	// At is when the family sent the form; zero: the Service's clock.
	At time.Time
	// NoticeShownAt is when the consent notices were shown; zero: At.
	NoticeShownAt time.Time
}

// Ref says where a submission went in the case record. Keep it with the
// submission: a correction (UpdateCase) needs it.
type Ref struct {
	CaseID  string `json:"case_id"`
	Form    string `json:"form"`
	Version string `json:"version"`
	// Members maps the submission's member ids (p for the applicant, c1 …)
	// to the persons and memberships recorded.
	Members map[string]MemberRef `json:"members"`
	// Consultation is the consultation entry holding the form's topics
	// and text (the latest correction).
	Consultation string `json:"consultation,omitempty"`
	// Supports maps the programmes the family said they receive to the
	// support records made for them.
	Supports map[string]string `json:"supports,omitempty"`
}

// MemberRef is one household member in the record.
type MemberRef struct {
	PersonID     string `json:"person_id"`
	MembershipID string `json:"membership_id"`
}

// RecordError is a checked submission the case record refused (a denied
// change, a conflict, a consent the log does not accept). Nothing was
// written.
type RecordError struct {
	Err error
}

func (e *RecordError) Error() string {
	return "forms: the case record refused the submission: " + e.Err.Error()
}
func (e *RecordError) Unwrap() error { return e.Err }

// sourceOf names the form in records it makes.
func (c *Checked) sourceOf() string { return "forms:" + c.form.info.ID + "@" + c.form.info.Version }

// CreateCase records a checked submission as a new case, atomically: the
// persons (names, birth dates, the applicant's address and contacts with
// ok-to-contact and safe times, disabilities, incomes of the years asked),
// the case (owned by the actor's desk, intake route form), the household
// memberships, the consultation entry with the family's topics and text
// (labelled dv_related or health_disability when they say so), the
// support they receive, and each consent they gave as a consent event
// with the notice's hash — all in one change set with its audit entries,
// or nothing. The actor needs PermWrite, PermConsent and, for DV and
// health topics, PermSensitive.
func CreateCase(ctx context.Context, svc *casefile.Service, a casefile.Actor, c *Checked, o RecordOptions) (*Ref, error) {
	if c == nil || c.form.info.Kind != KindForm {
		return nil, errors.New("forms: CreateCase needs a checked submission of an input form")
	}
	if strings.TrimSpace(o.SubmissionID) == "" {
		return nil, errors.New("forms: RecordOptions.SubmissionID is required (the consents' evidence)")
	}
	p := c.plan(svc, o)
	var ref *Ref
	err := svc.Change(ctx, a, consent.PurposeConsultation, func(ch *casefile.Changes) error {
		ref = &Ref{Form: c.form.info.ID, Version: c.form.info.Version, Members: map[string]MemberRef{}}
		for _, m := range p.members {
			person := m.person
			if err := ch.Create(&person); err != nil {
				return fmt.Errorf("person %s: %w", m.id, err)
			}
			ref.Members[m.id] = MemberRef{PersonID: person.ID}
		}
		subject := ref.Members[selfID].PersonID
		cf := casefile.CaseFile{SubjectID: subject, Status: casefile.StatusOpen, OwnerOrg: a.Org, OpenedOn: c.date, IntakeRoute: "form"}
		p.applyHeader(&cf)
		if err := ch.Create(&cf); err != nil {
			return fmt.Errorf("case: %w", err)
		}
		ref.CaseID = cf.ID
		for _, m := range p.members {
			hm := m.membership(cf.ID, ref.Members[m.id].PersonID)
			if err := ch.Create(&hm); err != nil {
				return fmt.Errorf("membership %s: %w", m.id, err)
			}
			mr := ref.Members[m.id]
			mr.MembershipID = hm.ID
			ref.Members[m.id] = mr
		}
		if p.consultation != nil {
			entry := p.entry(cf.ID, a)
			if err := ch.Create(&entry); err != nil {
				return fmt.Errorf("consultation: %w", err)
			}
			ref.Consultation = entry.ID
		}
		if p.receiving != nil {
			ref.Supports = map[string]string{}
			for _, code := range p.receiving {
				s := p.support(cf.ID, subject, code)
				if err := ch.Create(&s); err != nil {
					return fmt.Errorf("support %s: %w", code, err)
				}
				ref.Supports[code] = s.ID
			}
		}
		return p.recordConsents(ch, a, ref, nil)
	})
	if err != nil {
		return nil, &RecordError{Err: err}
	}
	return ref, nil
}

// UpdateCase records a re-submission or correction of a submission
// recorded under prev, atomically and without losing earlier data: the
// answers given overwrite the record's fields (an answer not given leaves
// the field as it was), persons new to the household are added, persons
// no longer in it have their membership ended on the form date (never
// deleted), incomes are replaced only for the years asked, the
// consultation entry is corrected (the old entry stays, superseded),
// support no longer received is marked ended, and consents follow the
// answers: a new yes is given, a no withdraws, a changed notice amends.
// Every earlier version stays in the record's history. It returns the
// new Ref.
func UpdateCase(ctx context.Context, svc *casefile.Service, a casefile.Actor, prev *Ref, c *Checked, o RecordOptions) (*Ref, error) {
	if c == nil || c.form.info.Kind != KindForm || prev == nil || prev.CaseID == "" {
		return nil, errors.New("forms: UpdateCase needs the previous Ref and a checked submission of an input form")
	}
	if prev.Form != c.form.info.ID {
		return nil, fmt.Errorf("forms: the case was recorded from form %s, not %s", prev.Form, c.form.info.ID)
	}
	if strings.TrimSpace(o.SubmissionID) == "" {
		return nil, errors.New("forms: RecordOptions.SubmissionID is required (the consents' evidence)")
	}
	p := c.plan(svc, o)
	// the consents already recorded, per person (an audited read)
	existing := map[string][]consent.Record{}
	if len(c.form.consents) > 0 {
		for id, mr := range prev.Members {
			if !p.hasMember(id) {
				continue
			}
			recs, err := svc.ConsentRecords(ctx, a, mr.PersonID)
			if err != nil {
				return nil, &RecordError{Err: err}
			}
			existing[mr.PersonID] = recs
		}
	}
	var ref *Ref
	err := svc.Change(ctx, a, consent.PurposeConsultation, func(ch *casefile.Changes) error {
		ref = &Ref{CaseID: prev.CaseID, Form: c.form.info.ID, Version: c.form.info.Version, Members: map[string]MemberRef{}}
		var cf casefile.CaseFile
		if err := ch.Get(prev.CaseID, &cf); err != nil {
			return fmt.Errorf("case: %w", err)
		}
		for _, m := range p.members {
			old, ok := prev.Members[m.id]
			if !ok {
				person := m.person
				if err := ch.Create(&person); err != nil {
					return fmt.Errorf("person %s: %w", m.id, err)
				}
				hm := m.membership(cf.ID, person.ID)
				if err := ch.Create(&hm); err != nil {
					return fmt.Errorf("membership %s: %w", m.id, err)
				}
				ref.Members[m.id] = MemberRef{PersonID: person.ID, MembershipID: hm.ID}
				continue
			}
			var person casefile.Person
			if err := ch.Get(old.PersonID, &person); err != nil {
				return fmt.Errorf("person %s: %w", m.id, err)
			}
			if m.apply(&person) {
				if err := ch.Update(&person); err != nil {
					return fmt.Errorf("person %s: %w", m.id, err)
				}
			}
			var hm casefile.HouseholdMember
			if err := ch.Get(old.MembershipID, &hm); err != nil {
				return fmt.Errorf("membership %s: %w", m.id, err)
			}
			if m.applyMembership(&hm) {
				if err := ch.Update(&hm); err != nil {
					return fmt.Errorf("membership %s: %w", m.id, err)
				}
			}
			ref.Members[m.id] = old
		}
		for id, old := range prev.Members {
			if p.hasMember(id) || id == selfID {
				continue
			}
			var hm casefile.HouseholdMember
			if err := ch.Get(old.MembershipID, &hm); err != nil {
				return fmt.Errorf("membership %s: %w", id, err)
			}
			if hm.Period.To.IsZero() {
				hm.Period.To = c.date
				if hm.Period.To.Before(hm.Period.From) {
					hm.Period.To = hm.Period.From
				}
				if err := ch.Update(&hm); err != nil {
					return fmt.Errorf("membership %s: %w", id, err)
				}
			}
		}
		if p.applyHeader(&cf) {
			if err := ch.Update(&cf); err != nil {
				return fmt.Errorf("case: %w", err)
			}
		}
		ref.Consultation = prev.Consultation
		if p.consultation != nil {
			entry := p.entry(cf.ID, a)
			if prev.Consultation == "" {
				if err := ch.Create(&entry); err != nil {
					return fmt.Errorf("consultation: %w", err)
				}
			} else {
				var old casefile.Consultation
				if err := ch.Get(prev.Consultation, &old); err != nil {
					return fmt.Errorf("consultation: %w", err)
				}
				if !slices.Equal(old.Topics, entry.Topics) || old.Body != entry.Body || !slices.Equal(old.Labels, entry.Labels) {
					if err := ch.Correct(&old, &entry); err != nil {
						return fmt.Errorf("consultation: %w", err)
					}
				} else {
					entry.ID = old.ID
				}
			}
			ref.Consultation = entry.ID
		}
		if err := p.updateSupports(ch, prev, ref, cf.ID); err != nil {
			return err
		}
		return p.recordConsents(ch, a, ref, existing)
	})
	if err != nil {
		return nil, &RecordError{Err: err}
	}
	return ref, nil
}

// recordPlan is what a checked submission puts in the record.
type recordPlan struct {
	c            *Checked
	o            RecordOptions
	at           time.Time
	members      []*memberPlan
	situation    string
	consultation *consultationPlan
	receiving    []string // nil: not answered
	consents     []consentAnswer
	// the household facts the case header keeps; unanswered: "" or nil
	role      string // applicant_role
	deFacto   *bool
	gradeArea *int
	local     []casefile.LocalFact // the local facts answered, each under its form-given category
}

type memberPlan struct {
	id             string
	relation       string
	person         casefile.Person // for a new person
	birth          civil.Date
	livesWith      *bool
	sameLivelihood *bool
	supported      *bool
	inFacility     *bool
	// person facts answered ("" or nil when not)
	residesInJapan  *bool
	school          string
	schoolPrivate   *bool
	healthInsurance string
	pensionCategory string
	// what the form answered, applied to a stored person on update
	names       map[string]string
	address     map[string]string
	contacts    []casefile.Contact
	hasContacts bool
	sex         string
	disability  *casefile.Disability
	incomes     []casefile.Income
	incomeYears []int
}

type consultationPlan struct {
	topics []string
	body   string
	labels []string
}

type consentAnswer struct {
	n   *node
	yes bool
}

func (p *recordPlan) hasMember(id string) bool {
	for _, m := range p.members {
		if m.id == id {
			return true
		}
	}
	return false
}

// plan maps a checked submission to the records it makes.
func (c *Checked) plan(svc *casefile.Service, o RecordOptions) *recordPlan {
	p := &recordPlan{c: c, o: o, at: o.At}
	if p.at.IsZero() {
		p.at = svc.Now()
	}
	p.at = p.at.UTC().Truncate(time.Microsecond)
	h, refs := c.form.household(c.root, c.date, false)
	if h.Situation != nil {
		p.situation = string(*h.Situation)
	}
	if h.ApplicantRole != nil {
		p.role = string(*h.ApplicantRole)
	}
	p.deFacto, p.gradeArea = h.DeFactoPartner, h.GradeArea
	for _, k := range slices.Sorted(maps.Keys(h.Extra)) {
		if lf, err := casefile.NewLocalFact(k, h.Extra[k], c.form.localCategories[k]); err == nil {
			p.local = append(p.local, lf)
		}
	}
	if h.Receiving != nil {
		p.receiving = h.Receiving
	}
	years := c.form.incomeYears(c.date)
	byID := map[string]*memberPlan{}
	for i, r := range refs {
		em := h.Members[i]
		m := &memberPlan{id: r.id, relation: string(em.Relation), names: map[string]string{}, address: map[string]string{},
			livesWith: em.LivesWith, sameLivelihood: em.SameLivelihood, supported: em.Supported, inFacility: em.InFacility,
			residesInJapan: em.ResidesInJapan, schoolPrivate: em.SchoolPrivate, incomeYears: years}
		if em.BirthDate != nil {
			m.birth = *em.BirthDate
		}
		if em.Sex != nil {
			m.sex = string(*em.Sex)
		}
		if em.School != nil {
			m.school = string(*em.School)
		}
		if em.HealthInsurance != nil {
			m.healthInsurance = string(*em.HealthInsurance)
		}
		if em.PensionCategory != nil {
			m.pensionCategory = string(*em.PensionCategory)
		}
		if d := em.Disability; d != nil && d.Kind != "" {
			m.disability = &casefile.Disability{Kind: string(d.Kind), Grade: d.Grade, AllowanceLevel: d.AllowanceLevel, ConstantCare: d.ConstantCare}
			if d.SpecialChildGrade != nil {
				m.disability.SpecialChildGrade = string(*d.SpecialChildGrade)
			}
		}
		m.incomes = recordIncomes(em.Incomes, years, c.sourceOf())
		p.members = append(p.members, m)
		byID[r.id] = m
	}
	// the record bindings: names, address, contacts, membership text,
	// consultation
	cp := &consultationPlan{}
	var contact contactAnswers
	var walk func(g *group, cur *memberPlan)
	walk = func(g *group, cur *memberPlan) {
		for i, n := range g.n.kids {
			v := &g.vals[i]
			if !v.set {
				continue
			}
			switch n.typ {
			case TypeGroup:
				m := cur
				if n.f.Member == "self" {
					m = byID[selfID]
				}
				walk(v.g, m)
				continue
			case TypeList:
				for _, it := range v.items {
					m := cur
					if n.f.Member != "" && n.f.Member != "self" {
						m = byID[it.id]
					}
					walk(it, m)
				}
				continue
			case TypeConsent:
				p.consents = append(p.consents, consentAnswer{n: n, yes: v.ok && v.b})
				continue
			}
			if !v.ok {
				continue
			}
			rb := n.record
			switch rb.op {
			case recPerson:
				if k, ok := strings.CutPrefix(rb.key, "name."); ok {
					cur.names[k] = v.s
				} else if k, ok := strings.CutPrefix(rb.key, "address."); ok {
					cur.address[k] = v.s
				}
			case recMembership:
				if rb.key == "relationship" && v.s != "" {
					cur.relation = v.s
				}
				if rb.key == "lives_with" {
					cur.livesWith = new(v.b)
				}
			case recContact:
				if cur.id == selfID {
					contact.set(rb.key, v)
				}
			case recConsultation:
				if rb.key == "topics" {
					cp.topics = slices.Clone(v.ss)
				} else {
					cp.body = v.s
				}
			}
		}
	}
	walk(c.root, byID[selfID])
	for _, m := range p.members {
		if m.id == selfID && contact.any {
			var addr casefile.Address
			for k, v := range m.address {
				*addressField(&addr, k) = v
			}
			m.hasContacts = true
			m.contacts = contact.contacts(addr)
		}
		m.person = casefile.Person{}
		m.apply(&m.person) // a new person is the answers applied to nothing
	}
	if cp.topics != nil || cp.body != "" {
		p.consultation = cp.finish()
	}
	return p
}

// incomeYears are the calendar years the form's income questions cover.
func (f *Form) incomeYears(date civil.Date) []int {
	var out []int
	for _, n := range f.all {
		switch n.fact.op {
		case factIncomeKinds, factIncomeAmount, factDeductionKinds, factDeductionAmount:
			if y := date.Year() - n.fact.yearOff; !slices.Contains(out, y) {
				out = append(out, y)
			}
		}
	}
	slices.Sort(out)
	return out
}

// recordIncomes turns a member's incomes into the record's income
// entries. A member without any income (incomes: []) gets zero entries for
// every year the form asks, so the record says "none" rather than "not
// known"; an income year's deductions become the deduction kinds
// (deductions_none when the 控除欄 lists none).
func recordIncomes(in []eligibility.Income, years []int, source string) []casefile.Income {
	if in == nil {
		return nil
	}
	var out []casefile.Income
	add := func(year int, kind string, amount int64) {
		out = append(out, casefile.Income{Year: year, Kind: kind, Amount: amount, Source: source})
	}
	if len(in) == 0 {
		for _, y := range years {
			for _, k := range []string{"salary_revenue", "pension_revenue", "business_income", "other_income"} {
				add(y, k, 0)
			}
			add(y, "deductions_none", 0)
		}
		return out
	}
	for _, inc := range in {
		for _, f := range []struct {
			kind string
			v    *int64
		}{{"salary_revenue", inc.SalaryRevenue}, {"pension_revenue", inc.PensionRevenue}, {"business_income", inc.BusinessIncome},
			{"other_income", inc.OtherIncome}, {"child_support_received", inc.ChildSupportReceived}} {
			if f.v != nil {
				add(inc.Year, f.kind, *f.v)
			}
		}
		if d := inc.Deductions; d != nil {
			n := len(out)
			for _, e := range []struct {
				kind string
				v    int64
			}{{"medical_expense_deduction", d.Medical}, {"casualty_loss_deduction", d.CasualtyLoss},
				{"small_business_mutual_aid_deduction", d.SmallBusinessMutualAid}, {"spouse_special_deduction", d.SpouseSpecial},
				{"disability_deduction_count", int64(d.Disabled)}, {"special_disability_deduction_count", int64(d.SpecialDisabled)},
				{"working_student_deduction", b2i(d.WorkingStudent)}, {"widow_deduction", b2i(d.Widow)}, {"single_parent_deduction", b2i(d.SingleParent)}} {
				if e.v != 0 {
					add(inc.Year, e.kind, e.v)
				}
			}
			if len(out) == n {
				add(inc.Year, "deductions_none", 0)
			}
		}
	}
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// contactAnswers collects the contact.* bindings.
type contactAnswers struct {
	any     bool
	ok      bool
	methods []string
	times   []string
	note    string
	phone   string
	email   string
}

func (ca *contactAnswers) set(key string, v *value) {
	ca.any = true
	switch key {
	case "ok":
		ca.ok = v.b
	case "methods":
		ca.methods = v.ss
	case "safe_times":
		if v.ss != nil {
			ca.times = v.ss
		} else if v.s != "" {
			ca.times = []string{v.s}
		}
	case "note":
		ca.note = v.s
	case "phone":
		ca.phone = v.s
	case "email":
		ca.email = v.s
	}
}

// contacts are the applicant's contacts: each way the family gave, with
// whether the desk may use it (they agreed to be contacted and chose that
// method), the times and care they asked for, and the first chosen method
// preferred. A family that asked not to be contacted gets no contact.
func (ca *contactAnswers) contacts(addr casefile.Address) []casefile.Contact {
	safe := strings.Join(ca.times, "、")
	if ca.note != "" {
		if safe != "" {
			safe += "。"
		}
		safe += ca.note
	}
	chosen := func(m string) bool { return ca.ok && slices.Contains(ca.methods, m) }
	preferred := func(m string) bool { return len(ca.methods) > 0 && ca.methods[0] == m }
	var out []casefile.Contact
	if ca.phone != "" {
		typ := "phone"
		if d := phoneDigits(ca.phone); len(d) == 11 && (strings.HasPrefix(d, "070") || strings.HasPrefix(d, "080") || strings.HasPrefix(d, "090")) {
			typ = "mobile"
		}
		out = append(out, casefile.Contact{Type: typ, Value: ca.phone, OKToContact: chosen("phone"), SafeTimes: safe, Preferred: preferred("phone")})
	}
	if ca.email != "" {
		out = append(out, casefile.Contact{Type: "email", Value: ca.email, OKToContact: chosen("email"), SafeTimes: ca.note, Preferred: preferred("email")})
	}
	if chosen("post") && !addr.IsZero() {
		v := strings.TrimSpace(addr.Prefecture + addr.City + addr.Town + addr.Block + " " + addr.Building)
		if addr.PostalCode != "" {
			v = "〒" + addr.PostalCode + " " + v
		}
		out = append(out, casefile.Contact{Type: "post", Value: v, OKToContact: true, SafeTimes: ca.note, Preferred: preferred("post")})
	}
	return out
}

func (cp *consultationPlan) finish() *consultationPlan {
	var topics []string
	for _, t := range cp.topics {
		if t == "none" {
			t = "other"
		}
		if !slices.Contains(topics, t) && slices.ContainsFunc(casefile.Topics(), func(l casefile.Label) bool { return l.Code == t }) {
			topics = append(topics, t)
		}
	}
	if len(topics) == 0 {
		topics = []string{"other"}
	}
	cp.topics = topics
	if slices.Contains(topics, "dv") {
		cp.labels = append(cp.labels, "dv_related")
	}
	if slices.Contains(topics, "medical") {
		cp.labels = append(cp.labels, "health_disability")
	}
	return cp
}

func (p *recordPlan) entry(caseID string, a casefile.Actor) casefile.Consultation {
	cp := p.consultation
	return casefile.Consultation{CaseID: caseID, OccurredAt: p.at, Channel: "web_form", Staff: a.User, Org: a.Org,
		Topics: slices.Clone(cp.topics), Summary: fmt.Sprintf("入力フォーム（%s）からの相談（受付番号 %s）", p.c.form.info.Title, p.o.SubmissionID),
		Body: cp.body, Labels: slices.Clone(cp.labels)}
}

func (p *recordPlan) support(caseID, personID, code string) casefile.SupportInUse {
	return casefile.SupportInUse{PersonID: personID, CaseID: caseID, SchemeCode: code, Status: "receiving",
		Period: casefile.Period{From: p.c.date}, SourceSystem: p.c.sourceOf() + "（本人の申告）", AsOf: p.at, SourceRef: p.o.SubmissionID}
}

// membership is a new membership: the household facts answered (nil
// when not: the form does not ask the 住民票 household at all) and an open
// period — the form says who is in the household on its date, not since
// when.
func (m *memberPlan) membership(caseID, personID string) casefile.HouseholdMember {
	rel := m.relation
	if m.id == selfID {
		rel = "self"
	}
	return casefile.HouseholdMember{CaseID: caseID, PersonID: personID, Relationship: casefile.Relationship{Code: rel},
		LivesWith: clonePtr(m.livesWith), SameLivelihood: clonePtr(m.sameLivelihood), Supported: clonePtr(m.supported),
		InFacility: clonePtr(m.inFacility)}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	return new(*p)
}

// apply writes the answers onto a stored person and reports whether
// anything changed; fields without an answer keep their value.
func (m *memberPlan) apply(p *casefile.Person) bool {
	before := fingerprint(p)
	for k, v := range m.names {
		*nameField(&p.Name, k) = v
	}
	for k, v := range m.address {
		*addressField(&p.Address, k) = v
	}
	if !m.birth.IsZero() {
		p.BirthDate = m.birth
	}
	if m.sex != "" {
		p.Sex = m.sex
	}
	if d := m.disability; d != nil {
		nd := *d
		nd.AllowanceLevel, nd.ConstantCare = clonePtr(d.AllowanceLevel), clonePtr(d.ConstantCare)
		p.Disability = &nd
	}
	if m.residesInJapan != nil {
		p.ResidesInJapan = new(*m.residesInJapan)
	}
	if m.school != "" {
		p.School = m.school
	}
	if m.schoolPrivate != nil {
		p.SchoolPrivate = new(*m.schoolPrivate)
	}
	if m.healthInsurance != "" {
		p.HealthInsurance = m.healthInsurance
	}
	if m.pensionCategory != "" {
		p.PensionCategory = m.pensionCategory
	}
	if m.hasContacts {
		// the form's kinds of contact are replaced; others (LINE …) kept
		kept := p.Contacts[:0:0]
		for _, c := range p.Contacts {
			switch c.Type {
			case "phone", "mobile", "email", "post":
			default:
				kept = append(kept, c)
			}
		}
		p.Contacts = append(kept, slices.Clone(m.contacts)...)
	}
	if m.incomes != nil {
		years := map[int]bool{}
		for _, in := range m.incomes {
			years[in.Year] = true
		}
		kept := p.Incomes[:0:0]
		for _, in := range p.Incomes {
			if !years[in.Year] {
				kept = append(kept, in)
			}
		}
		p.Incomes = append(kept, slices.Clone(m.incomes)...)
	}
	return fingerprint(p) != before
}

// fingerprint is an entity's content, to tell whether answers changed it.
func fingerprint(e any) string {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Sprintf("%p", e) // never equal: write it
	}
	return string(b)
}

// nameField and addressField are the record's fields the person.name.*
// and person.address.* bindings name (parseRecord accepts no other key).
func nameField(n *casefile.Name, key string) *string {
	return map[string]*string{"family": &n.Family, "given": &n.Given, "family_kana": &n.FamilyKana, "given_kana": &n.GivenKana,
		"alias": &n.Alias, "former_family": &n.FormerFamily}[key]
}

func addressField(a *casefile.Address, key string) *string {
	return map[string]*string{"postal_code": &a.PostalCode, "prefecture": &a.Prefecture, "city": &a.City, "town": &a.Town,
		"block": &a.Block, "building": &a.Building}[key]
}

// applyHeader writes the household facts answered onto the case header
// and reports whether anything changed: the situation, the applicant's
// role, a de-facto partner, the 級地, and the local facts answered (each
// replaces the fact of the same key; local facts not asked this time are
// kept).
func (p *recordPlan) applyHeader(cf *casefile.CaseFile) bool {
	before := fingerprint(cf)
	if p.situation != "" {
		cf.Situation = p.situation
	}
	if p.role != "" {
		cf.ApplicantRole = p.role
	}
	if p.deFacto != nil {
		cf.DeFactoPartner = new(*p.deFacto)
	}
	if p.gradeArea != nil {
		cf.GradeArea = new(*p.gradeArea)
	}
	for _, lf := range p.local {
		i := slices.IndexFunc(cf.Local, func(x casefile.LocalFact) bool { return x.Key == lf.Key })
		if i < 0 {
			cf.Local = append(cf.Local, lf)
		} else {
			cf.Local[i] = lf
		}
	}
	return fingerprint(cf) != before
}

// applyMembership writes the answers onto a stored membership.
func (m *memberPlan) applyMembership(hm *casefile.HouseholdMember) bool {
	before := fingerprint(hm)
	if m.id != selfID && m.relation != "" {
		hm.Relationship.Code = m.relation
	}
	for _, f := range []struct {
		dst **bool
		v   *bool
	}{{&hm.LivesWith, m.livesWith}, {&hm.SameLivelihood, m.sameLivelihood},
		{&hm.Supported, m.supported}, {&hm.InFacility, m.inFacility}} {
		if f.v != nil {
			*f.dst = new(*f.v)
		}
	}
	hm.Period.To = civil.Date{} // back in the household
	return fingerprint(hm) != before
}

// updateSupports records newly reported support and ends what the family
// no longer reports.
func (p *recordPlan) updateSupports(ch *casefile.Changes, prev, ref *Ref, caseID string) error {
	ref.Supports = map[string]string{}
	for k, v := range prev.Supports {
		ref.Supports[k] = v
	}
	if p.receiving == nil {
		return nil
	}
	subject := ref.Members[selfID].PersonID
	for _, code := range p.receiving {
		if id, ok := prev.Supports[code]; ok {
			var s casefile.SupportInUse
			if err := ch.Get(id, &s); err != nil {
				return fmt.Errorf("support %s: %w", code, err)
			}
			if s.Status != "receiving" {
				s.Status, s.Period.To, s.AsOf, s.SourceRef = "receiving", civil.Date{}, p.at, p.o.SubmissionID
				if err := ch.Update(&s); err != nil {
					return fmt.Errorf("support %s: %w", code, err)
				}
			}
			continue
		}
		s := p.support(caseID, subject, code)
		if err := ch.Create(&s); err != nil {
			return fmt.Errorf("support %s: %w", code, err)
		}
		ref.Supports[code] = s.ID
	}
	for code, id := range prev.Supports {
		if slices.Contains(p.receiving, code) {
			continue
		}
		var s casefile.SupportInUse
		if err := ch.Get(id, &s); err != nil {
			return fmt.Errorf("support %s: %w", code, err)
		}
		if s.Status == "receiving" {
			s.Status, s.Period.To, s.AsOf, s.SourceRef = "ended", p.c.date, p.at, p.o.SubmissionID
			if s.Period.To.Before(s.Period.From) {
				s.Period.To = s.Period.From
			}
			if err := ch.Update(&s); err != nil {
				return fmt.Errorf("support %s: %w", code, err)
			}
		}
	}
	return nil
}
