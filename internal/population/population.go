// Package population generates synthetic case records (電子個人票) for tests
// and benchmarks of notification work: the households of
// eligibility/synth turned into casefile persons, cases, memberships,
// incomes and support in use, with contacts (ok-to-contact, safe times in
// people's words, preferred channel, amounts chosen or not), consents —
// for 支援情報の通知 or another purpose, withdrawn, expired, missing — and
// DV等支援措置 whose counterparty may share a phone with the victim. Nothing
// here describes a real person. Generation is deterministic for a Config.
package population

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// Config says what to generate. Percentages are of households.
type Config struct {
	Seed   uint64
	Tenant string     // municipality code of the store's tenant
	Org    string     // the desk owning the cases and receiving consents
	AsOf   civil.Date // the date households are generated for
	// Now is when the records are said to be written; consents are given
	// before it (default: AsOf at 09:00 JST).
	Now time.Time
	// Consent mix: NoConsent households have none at all; of the others,
	// OtherPurpose consented only to sharing, Withdrawn withdrew, Expired
	// have a period that ended, ViewOnly let their data be used for
	// notifications but not to be notified (no notify action, or no
	// contact), and the rest consented to notifications.
	NoConsent, OtherPurpose, Withdrawn, Expired, ViewOnly int
	// MemberGap is the percentage of consenting households where one other
	// member gave no consent.
	MemberGap int
	// DV is the percentage of households under a DV等支援措置.
	DV int
	// NotOK is the percentage of contacts the person did not choose.
	NotOK int
	// Unknown is synth's UnknownPercent.
	Unknown int
}

// Defaults fills the zero fields of the mix with a plausible one.
func (c Config) withDefaults() Config {
	if c.Now.IsZero() {
		c.Now = c.AsOf.Time(jst).Add(9 * time.Hour)
	}
	return c
}

// Default returns a Config with a realistic mix.
func Default(seed uint64, tenant, org string, asOf civil.Date) Config {
	return Config{Seed: seed, Tenant: tenant, Org: org, AsOf: asOf, NoConsent: 20, OtherPurpose: 5, Withdrawn: 3, Expired: 3, ViewOnly: 2,
		MemberGap: 3, DV: 2, NotOK: 10, Unknown: 10}
}

var jst = time.FixedZone("JST", 9*60*60)

// Family is one generated household as case records.
type Family struct {
	Persons      []casefile.Person // subject first; a counterparty outside the case last
	Case         casefile.CaseFile
	Members      []casefile.HouseholdMember
	Supports     []casefile.SupportInUse
	Events       []casefile.ConsentEvent
	Restrictions []casefile.AddressRestriction
	// Source is the synthetic household the records were made from, as
	// screening would see it with every fact the record holds.
	Source *eligibility.Household
}

// Generator produces families one at a time; not safe for concurrent use.
type Generator struct {
	cfg Config
	hh  *synth.Generator
	rng *rand.Rand
	n   int
}

// New returns a generator.
func New(cfg Config) (*Generator, error) {
	cfg = cfg.withDefaults()
	if cfg.Tenant == "" || cfg.Org == "" {
		return nil, fmt.Errorf("population: tenant and org are required")
	}
	hh, err := synth.New(synth.Config{Seed: cfg.Seed, AsOf: cfg.AsOf, UnknownPercent: cfg.Unknown})
	if err != nil {
		return nil, err
	}
	return &Generator{cfg: cfg, hh: hh, rng: rand.New(rand.NewPCG(cfg.Seed, 0x706f70))}, nil
}

func (g *Generator) pct(p int) bool { return g.rng.IntN(100) < p }

// safeTimes are the answers people give, the form's choices among them.
var safeTimes = []string{"", "", "", "平日9時〜12時", "平日12時〜17時", "平日17時以降", "土日祝日", "平日9時〜12時、土日祝日",
	"平日10時〜15時", "平日 10:00-16:00", "土日の午前中", "月・水・金 9時～17時", "いつでも", "夜は避けてください", "18時以降は不可"}

// Next returns the next family.
func (g *Generator) Next() *Family {
	g.n++
	h := g.hh.Next()
	c := g.cfg
	meta := func() casefile.Meta {
		return casefile.Meta{ID: casefile.NewID(), TenantID: c.Tenant, Version: 1, CreatedAt: c.Now.UTC(), CreatedBy: "generator",
			CreatedOrg: c.Org, UpdatedAt: c.Now.UTC(), UpdatedBy: "generator"}
	}
	f := &Family{Source: h}
	ids := map[string]string{} // synth member id -> person id
	for i, m := range h.Members {
		p := casefile.Person{Meta: meta(), Name: casefile.Name{Family: "試験", Given: fmt.Sprintf("%d-%d", g.n, i)}}
		p.ExternalIDs = []casefile.ExternalID{{System: "atena", Value: fmt.Sprintf("G%d-%d-%d", c.Seed, g.n, i)}}
		if m.BirthDate != nil {
			p.BirthDate = *m.BirthDate
		}
		if m.Sex != nil {
			p.Sex = string(*m.Sex)
		}
		memberFacts(&p, &m)
		for _, in := range m.Incomes {
			p.Incomes = append(p.Incomes, incomes(in)...)
		}
		if m.Incomes != nil && len(m.Incomes) == 0 {
			// no income at all (a young child): the record says so as
			// a 課税証明書 does, a zero for each year on file
			p.Incomes = noIncome(h.Members[0].Incomes)
		}
		ids[m.ID] = p.ID
		f.Persons = append(f.Persons, p)
	}
	subject := &f.Persons[0]
	subject.Address = casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1丁目", Block: fmt.Sprintf("%d-%d", g.n%97+1, g.n%13+1)}
	for i := range f.Persons[1:] {
		if h.Members[i+1].LivesWith != nil && *h.Members[i+1].LivesWith {
			f.Persons[i+1].Address = subject.Address
		}
	}
	g.contacts(subject)

	f.Case = casefile.CaseFile{Meta: meta(), SubjectID: subject.ID, Status: casefile.StatusOpen, OwnerOrg: c.Org,
		OpenedOn: c.AsOf.AddDays(-30 - g.rng.IntN(700)), IntakeRoute: "form"}
	if h.Situation != nil {
		f.Case.Situation = string(*h.Situation)
	}
	caseFacts(&f.Case, h)
	if g.pct(2) {
		f.Case.Status, f.Case.ClosedOn = casefile.StatusClosed, f.Case.OpenedOn.AddDays(1+g.rng.IntN(20))
	}
	for i, m := range h.Members {
		hm := casefile.HouseholdMember{Meta: meta(), CaseID: f.Case.ID, PersonID: f.Persons[i].ID,
			Relationship: casefile.Relationship{Code: string(m.Relation)}, RegisteredSameHousehold: new(true), LivesWith: new(true)}
		if m.LivesWith != nil {
			hm.LivesWith = new(*m.LivesWith)
		}
		if m.SameLivelihood != nil {
			hm.SameLivelihood = new(*m.SameLivelihood)
		}
		hm.Supported, hm.InFacility = clone(m.Supported), clone(m.InFacility)
		f.Members = append(f.Members, hm)
	}
	asOf := c.Now.Add(-24 * time.Hour).UTC()
	for _, prog := range h.Receiving {
		f.Supports = append(f.Supports, casefile.SupportInUse{Meta: meta(), PersonID: subject.ID, CaseID: f.Case.ID, SchemeCode: prog,
			Status: "receiving", SourceSystem: "jukyu", AsOf: asOf})
	}
	if h.Receiving != nil && g.pct(5) {
		f.Supports = append(f.Supports, casefile.SupportInUse{Meta: meta(), PersonID: subject.ID, CaseID: f.Case.ID,
			SchemeCode: "single-parent-medical", Status: "applied", SourceSystem: "jukyu", AsOf: asOf})
	}
	g.consents(f)
	if g.pct(c.DV) {
		g.measure(f, meta)
	}
	return f
}

// memberFacts writes a member's own facts onto the person: disability
// with its judgements, residence, school, insurance and pension.
func memberFacts(p *casefile.Person, m *eligibility.Member) {
	if d := m.Disability; d != nil {
		p.Disability = &casefile.Disability{Kind: string(d.Kind), Grade: d.Grade, AllowanceLevel: clone(d.AllowanceLevel),
			ConstantCare: clone(d.ConstantCare)}
		if d.SpecialChildGrade != nil {
			p.Disability.SpecialChildGrade = string(*d.SpecialChildGrade)
		}
	}
	p.ResidesInJapan, p.SchoolPrivate = clone(m.ResidesInJapan), clone(m.SchoolPrivate)
	if m.School != nil {
		p.School = string(*m.School)
	}
	if m.HealthInsurance != nil {
		p.HealthInsurance = string(*m.HealthInsurance)
	}
	if m.PensionCategory != nil {
		p.PensionCategory = string(*m.PensionCategory)
	}
}

// LocalFactCategory is the consent category the generated local facts
// (synth's training facts, extra.*) are kept under, as the model form
// asks them.
const LocalFactCategory = "program"

// caseFacts writes the household's facts onto the case: the applicant's
// role, de-facto partner, 級地 and local facts.
func caseFacts(c *casefile.CaseFile, h *eligibility.Household) {
	if h.ApplicantRole != nil {
		c.ApplicantRole = string(*h.ApplicantRole)
	}
	c.DeFactoPartner, c.GradeArea = clone(h.DeFactoPartner), clone(h.GradeArea)
	keys := make([]string, 0, len(h.Extra))
	for k := range h.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a deterministic record
	for _, k := range keys {
		lf, err := casefile.NewLocalFact(k, h.Extra[k], LocalFactCategory)
		if err != nil {
			panic(fmt.Sprintf("population: synth local fact %s: %v", k, err)) // synth writes bool and int64 only
		}
		c.Local = append(c.Local, lf)
	}
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Record returns the family's case as casefile.ToHousehold converts it,
// in the municipality of the source household (tenant when it has none).
func (f *Family) Record(tenant string) casefile.HouseholdRecord {
	r := casefile.HouseholdRecord{Case: &f.Case, Members: f.Members, Persons: map[string]*casefile.Person{},
		Supports: map[string][]casefile.SupportInUse{}, Tenant: tenant}
	if f.Source != nil && f.Source.MunicipalityCode != nil {
		r.Tenant = *f.Source.MunicipalityCode
	}
	for i := range f.Persons {
		r.Persons[f.Persons[i].ID] = &f.Persons[i]
	}
	for _, s := range f.Supports {
		r.Supports[s.PersonID] = append(r.Supports[s.PersonID], s)
	}
	return r
}

// contacts gives the subject one to three contacts, preferred first.
func (g *Generator) contacts(p *casefile.Person) {
	n := 1 + g.rng.IntN(3)
	kinds := []string{"mobile", "email", "line", "post", "phone"}
	g.rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	for i := 0; i < n; i++ {
		ct := casefile.Contact{Type: kinds[i], OKToContact: !g.pct(g.cfg.NotOK), SafeTimes: safeTimes[g.rng.IntN(len(safeTimes))],
			Preferred: i == 0, AmountsOK: g.pct(15)}
		switch ct.Type {
		case "mobile":
			ct.Value = fmt.Sprintf("090-%04d-%04d", g.n%10000, g.rng.IntN(10000))
		case "phone":
			ct.Value = fmt.Sprintf("03-%04d-%04d", g.n%10000, g.rng.IntN(10000))
		case "email":
			ct.Value = fmt.Sprintf("family%d@example.jp", g.n)
		case "line":
			ct.Value = fmt.Sprintf("U%032x", g.rng.Uint64())
		case "post":
			ct.Value = "住所あて"
		}
		p.Contacts = append(p.Contacts, ct)
	}
}

// consents records the household's consents for notifications (or not).
func (g *Generator) consents(f *Family) {
	c := g.cfg
	if g.pct(c.NoConsent) {
		return
	}
	kind := "notify"
	switch r := g.rng.IntN(100); {
	case r < c.OtherPurpose:
		kind = "other"
	case r < c.OtherPurpose+c.Withdrawn:
		kind = "withdrawn"
	case r < c.OtherPurpose+c.Withdrawn+c.Expired:
		kind = "expired"
	case r < c.OtherPurpose+c.Withdrawn+c.Expired+c.ViewOnly:
		kind = "view_only"
	}
	gap := -1
	if len(f.Persons) > 1 && g.pct(c.MemberGap) {
		gap = 1 + g.rng.IntN(len(f.Persons)-1)
	}
	subject := f.Persons[0].ID
	given := c.Now.Add(-time.Duration(24*(30+g.rng.IntN(300))) * time.Hour)
	for i, p := range f.Persons {
		if i == gap {
			continue
		}
		grantor := consent.Grantor{Person: p.ID, Capacity: consent.CapacitySelf}
		if i > 0 && !p.BirthDate.IsZero() && civil.StatutoryAge(p.BirthDate, civil.DateOf(given.In(jst))) < 18 {
			grantor = consent.Grantor{Person: subject, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"}
		}
		cats := []consent.Category{consent.CategoryIdentity, consent.CategoryHousehold, consent.CategoryIncomeTax,
			consent.CategorySupportInUse, consent.CategoryHealthDisability}
		acts := []consent.Action{consent.ActionView}
		if i == 0 {
			switch {
			case kind != "view_only":
				cats = append(cats, consent.CategoryContact)
				acts = append(acts, consent.ActionNotify)
			case g.pct(50):
				acts = append(acts, consent.ActionNotify) // to be notified, but not through their contacts
			default:
				cats = append(cats, consent.CategoryContact)
			}
		}
		purposes := []consent.Purpose{consent.PurposeNotification}
		if kind == "other" {
			purposes = []consent.Purpose{consent.PurposeSharing}
		}
		end := given.AddDate(2, 0, 0)
		if kind == "expired" {
			end = c.Now.Add(-time.Duration(24*(1+g.rng.IntN(20))) * time.Hour)
			if !end.After(given) {
				given = end.Add(-24 * time.Hour)
			}
		}
		id := fmt.Sprintf("c-%d-%d-%d", c.Seed, g.n, i)
		cs := consent.Consent{ID: id, Subject: p.ID, Grantor: grantor, Manager: c.Org, GivenAt: given,
			Period:     consent.Period{Start: given, End: end},
			Notice:     consent.Notice{Version: "1", TextHash: consent.HashNotice("支援情報の通知についての説明"), Language: "ja", ShownAt: given.Add(-time.Minute)},
			Evidence:   consent.Evidence{Channel: consent.ChannelWebForm, Ref: "FORM-" + id, RecordedBy: "generator"},
			Provisions: []consent.Provision{{Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: c.Org, Name: "ひとり親相談窓口"}}, Purposes: purposes, Actions: acts, Categories: cats}}}
		events := []consent.Event{{ConsentID: id, Type: consent.EventGiven, At: given, EffectiveAt: given, By: "generator", Evidence: &cs.Evidence, Consent: &cs}}
		if kind == "withdrawn" {
			w := given.Add(time.Duration(24*(1+g.rng.IntN(20))) * time.Hour)
			if w.After(c.Now) {
				w = c.Now.Add(-time.Hour)
			}
			events = append(events, consent.Event{ConsentID: id, Type: consent.EventWithdrawn, At: w, EffectiveAt: w, By: "generator",
				Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W-" + id, RecordedBy: "generator"}})
		}
		for seq, e := range events {
			e.Seq = uint64(seq + 1)
			f.Events = append(f.Events, casefile.ConsentEvent{Meta: casefile.Meta{ID: casefile.NewID(), TenantID: c.Tenant, Version: 1,
				CreatedAt: c.Now.UTC(), CreatedBy: "generator", CreatedOrg: c.Org, UpdatedAt: c.Now.UTC(), UpdatedBy: "generator"},
				Subject: p.ID, Seq: e.Seq, Event: e})
		}
	}
}

// measure puts the household under a DV等支援措置 against a former spouse,
// who sometimes still shares the phone or knows the e-mail address.
func (g *Generator) measure(f *Family, meta func() casefile.Meta) {
	c := g.cfg
	subject := &f.Persons[0]
	cp := casefile.Person{Meta: meta(), Name: casefile.Name{Family: "相手方", Given: fmt.Sprint(g.n)}, Sex: "male"}
	if len(subject.Contacts) > 0 && subject.Contacts[0].Type != "post" && g.pct(30) {
		cp.Contacts = []casefile.Contact{{Type: subject.Contacts[0].Type, Value: subject.Contacts[0].Value}}
	}
	if g.pct(20) {
		cp.Address = subject.Address
	}
	fields := [][]string{{"address", "contacts"}, {"address"}, {"contacts.0"}, {"address", "contacts.1"}}[g.rng.IntN(4)]
	start := c.Now.AddDate(0, -g.rng.IntN(11)-1, 0)
	r := casefile.AddressRestriction{Meta: meta()}
	r.Restriction = consent.Restriction{ID: r.ID, Kind: consent.RestrictionDV, Subjects: []string{subject.ID}, Counterparties: []string{cp.ID},
		ProtectedFields: fields, ResponsibleOrgs: []string{c.Org}, Period: consent.Period{Start: start, End: start.AddDate(1, 0, 0)},
		Source: "配偶者暴力相談支援センター", VerifiedBy: "generator"}
	if g.pct(30) {
		// decided by another desk: its masks apply to the one notifying
		r.Restriction.ResponsibleOrgs = []string{"shimin-ka"}
	}
	if g.pct(25) {
		r.Restriction.ProtectedCategories = []consent.Category{[]consent.Category{consent.CategoryIncomeTax, consent.CategoryHealthDisability}[g.rng.IntN(2)]}
	}
	if g.pct(10) {
		r.Restriction.LiftedAt = c.Now.Add(-time.Hour)
	}
	f.Persons = append(f.Persons, cp)
	f.Restrictions = append(f.Restrictions, r)
}

// incomes turns one year of facts into case record incomes.
func incomes(in eligibility.Income) []casefile.Income {
	var out []casefile.Income
	add := func(kind string, v *int64) {
		if v != nil {
			out = append(out, casefile.Income{Year: in.Year, Kind: kind, Amount: *v, Source: "課税証明書"})
		}
	}
	add("salary_revenue", in.SalaryRevenue)
	add("pension_revenue", in.PensionRevenue)
	add("business_income", in.BusinessIncome)
	add("other_income", in.OtherIncome)
	add("child_support_received", in.ChildSupportReceived)
	if d := in.Deductions; d != nil {
		n := len(out)
		for _, x := range []struct {
			kind string
			v    int64
		}{{"medical_expense_deduction", d.Medical}, {"casualty_loss_deduction", d.CasualtyLoss},
			{"small_business_mutual_aid_deduction", d.SmallBusinessMutualAid}, {"spouse_special_deduction", d.SpouseSpecial},
			{"disability_deduction_count", int64(d.Disabled)}, {"special_disability_deduction_count", int64(d.SpecialDisabled)},
			{"working_student_deduction", b2i(d.WorkingStudent)}, {"widow_deduction", b2i(d.Widow)},
			{"single_parent_deduction", b2i(d.SingleParent)}, {"social_insurance_deduction", d.SocialInsurance},
			{"insurance_premiums_deduction", d.InsurancePremiums}} {
			if x.v != 0 {
				out = append(out, casefile.Income{Year: in.Year, Kind: x.kind, Amount: x.v, Source: "課税証明書"})
			}
		}
		if len(out) == n {
			out = append(out, casefile.Income{Year: in.Year, Kind: "deductions_none", Source: "課税証明書"})
		}
	}
	return out
}

// noIncome returns zero amounts of every kind, and no deductions, for
// each year the household has incomes on file for.
func noIncome(years []eligibility.Income) []casefile.Income {
	var out []casefile.Income
	for _, y := range years {
		for _, kind := range []string{"salary_revenue", "pension_revenue", "business_income", "other_income", "child_support_received", "deductions_none"} {
			out = append(out, casefile.Income{Year: y.Year, Kind: kind, Source: "課税証明書"})
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

// Rows returns the family's records as store rows, in an order a store
// accepts.
func (f *Family) Rows() ([]casefile.Row, error) {
	var es []casefile.Entity
	for i := range f.Persons {
		es = append(es, &f.Persons[i])
	}
	es = append(es, &f.Case)
	for i := range f.Members {
		es = append(es, &f.Members[i])
	}
	for i := range f.Supports {
		es = append(es, &f.Supports[i])
	}
	for i := range f.Events {
		es = append(es, &f.Events[i])
	}
	for i := range f.Restrictions {
		es = append(es, &f.Restrictions[i])
	}
	out := make([]casefile.Row, 0, len(es))
	for _, e := range es {
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("population: generated %s is invalid: %w", e.EntityKind(), err)
		}
		r, err := casefile.EncodeRow(e)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Write stores families directly through the store, batch families per
// transaction: loading generated data, not staff work, so nothing is
// audited.
func Write(ctx context.Context, st casefile.Store, tenant string, fs []*Family, batch int) error {
	if batch <= 0 {
		batch = 200
	}
	for start := 0; start < len(fs); start += batch {
		part := fs[start:min(start+batch, len(fs))]
		var rows []casefile.Row
		for _, f := range part {
			rs, err := f.Rows()
			if err != nil {
				return err
			}
			rows = append(rows, rs...)
		}
		if err := st.Update(ctx, tenant, func(tx casefile.Tx) error {
			for _, r := range rows {
				if err := tx.Insert(ctx, r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("population: write: %w", err)
		}
	}
	return nil
}
