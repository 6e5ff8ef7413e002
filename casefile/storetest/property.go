package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/csvio"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// The property test: random households (members living together or not,
// shared addresses and phones, children of every age), random DV等支援措置
// (on one member or several, in force, overdue or lifted, with different
// responsible desks), random consents (self, 法定代理人, the counterparty as
// 法定代理人, withdrawn, expired, with exceptions, naming sensitive
// categories or not), random staff (every department, every role, the
// counterparty himself) and every read path: ReadCase, Household,
// ExportCases, csvio.Export, Changes.Get and History of every entity,
// FindPersons, ConsentRecords and Disclosures. Every value of the household
// is a unique canary; for each call, every canary found in what the caller
// received must be permitted to that caller by an oracle written from the
// rules in docs/casefile.md — ownership and role, PermSensitive, the
// measure extended to the household, counterparty denies, the export's two
// departments, whole records for working reads — with consent.Decide
// (tested on its own by the consent package) answering only "does this
// consent cover this category". And every call left audit entries: a
// refusal a deny entry; every canary returned an entry naming its subject
// and category.
//
// Seeded: the same households on every run; ONESTOP_PROPERTY_SEED=n runs
// other ones (a failure names the seed of its household).

const (
	shimin = "shimin-ka" // 市民課: a second desk that can be responsible for a measure
	kyoiku = "kyoiku-iinkai"
)

var propOrgs = []string{desk, shimin, kosodate, zeimu, kyoiku}

var propRoles = map[string]casefile.Permission{
	"caseworker":  serviceRoles["caseworker"],
	"writer":      serviceRoles["writer"],
	"staff":       serviceRoles["staff"],
	"exporter":    serviceRoles["exporter"],
	"consentdesk": serviceRoles["consentdesk"] | casefile.PermWrite,
	"auditor":     serviceRoles["auditor"],
}

// canary is one unique value planted in the household.
type canary struct {
	text    string
	subject string
	cat     consent.Category
	path    string // as the person or case view names it (for masks)
	entity  string // id of the entity holding it
}

// world is one random household on a fresh store.
type world struct {
	t        *testing.T
	rng      *rand.Rand
	ctx      context.Context
	st       casefile.Store
	svc      *casefile.Service
	now      time.Time
	owner    string
	W        casefile.Actor // the owning desk's caseworker
	persons  []*casefile.Person
	livesIn  map[string]bool
	F        *casefile.Person // the counterparty
	cf       casefile.CaseFile
	entities []casefile.Entity // everything Get and History may be asked about
	rs       []consent.Restriction
	events   map[string][]consent.Event // stored consent events per subject
	canaries []canary
	seq      int
	fInCase  bool                        // the counterparty is a member of the case
	deciders map[string]*consent.Decider // the oracle's, per subject
}

func (w *world) canaryText(kind string) string {
	w.seq++
	return fmt.Sprintf("%s%04dZ", kind, w.seq)
}

func (w *world) chance(p float64) bool { return w.rng.Float64() < p }

func testProperty(t *testing.T, newStore Factory, worlds int) {
	seed := uint64(0x2026_1204)
	if s := os.Getenv("ONESTOP_PROPERTY_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
		seed = v
	}
	calls := 0
	for n := 0; n < worlds; n++ {
		s := seed + uint64(n)
		w := newWorld(t, newStore, s)
		calls += w.check(s)
		if t.Failed() {
			t.Fatalf("failed with ONESTOP_PROPERTY_SEED=%d", s)
		}
	}
	t.Logf("%d random households, %d read calls checked (seed %d)", worlds, calls, seed)
}

func newWorld(t *testing.T, newStore Factory, seed uint64) *world {
	w := &world{t: t, rng: rand.New(rand.NewPCG(seed, 0x10)), ctx: context.Background(), st: newStore(t),
		now: time.Date(2026, 12, 4, 10, 0, 0, 0, jst), owner: desk, events: map[string][]consent.Event{}, livesIn: map[string]bool{}}
	clk := &clock{t: w.now.AddDate(0, -6, 0)}
	svc, err := casefile.New(w.st, casefile.Config{Roles: propRoles, Now: clk.now, QueryKey: []byte("k")})
	require.NoError(t, err)
	w.svc, w.W = svc, actor("staff-a", desk, "caseworker")
	ctx := w.ctx

	// The household: a subject, 1–3 members; co-residents often share the
	// subject's address and sometimes a phone.
	n := 2 + w.rng.IntN(3)
	home := casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1丁目", Block: w.canaryText("ADDR")}
	phone := w.canaryText("TEL")
	births := []civil.Date{civil.MustDate(1985+w.rng.IntN(10), time.Month(1+w.rng.IntN(12)), 1+w.rng.IntN(28))}
	for i := 1; i < n; i++ {
		var b civil.Date
		switch w.rng.IntN(4) {
		case 0: // turns 18 around now
			b = civil.MustDate(2008, 12, 3+w.rng.IntN(4))
		case 1: // a young child
			b = civil.MustDate(2014+w.rng.IntN(8), time.Month(1+w.rng.IntN(12)), 1+w.rng.IntN(28))
		case 2: // 15–17
			b = civil.MustDate(2009+w.rng.IntN(2), time.Month(1+w.rng.IntN(12)), 1+w.rng.IntN(28))
		default: // a grandparent
			b = civil.MustDate(1950+w.rng.IntN(10), time.Month(1+w.rng.IntN(12)), 1+w.rng.IntN(28))
		}
		births = append(births, b)
	}
	for i := 0; i < n; i++ {
		p := &casefile.Person{Name: casefile.Name{Family: "山田", Given: w.canaryText("NAME")}, BirthDate: births[i],
			ExternalIDs: []casefile.ExternalID{{System: "atena", Value: strconv.Itoa(1000000 + int(seed%100000)*10 + i)}}}
		lives := i == 0 || w.chance(0.7)
		w.livesIn[strconv.Itoa(i)] = lives
		switch {
		case lives && w.chance(0.8):
			p.Address = home
		default:
			p.Address = casefile.Address{City: "港区", Block: w.canaryText("ADDR")}
		}
		if i == 0 || (lives && w.chance(0.3)) {
			p.Contacts = []casefile.Contact{{Type: "mobile", Value: phone, OKToContact: true}}
		} else if w.chance(0.5) {
			p.Contacts = []casefile.Contact{{Type: "email", Value: w.canaryText("MAIL") + "@example.jp"}}
		}
		if w.chance(0.4) {
			p.Disability = &casefile.Disability{Kind: "physical", Grade: w.canaryText("GRADE")}
		}
		if w.chance(0.6) {
			p.Incomes = []casefile.Income{{Year: 2025, Kind: "salary_revenue", Amount: int64(3_000_000 + w.seq*7919)}}
			w.seq++
		}
		w.persons = append(w.persons, p)
	}
	w.F = &casefile.Person{Name: casefile.Name{Family: "佐藤", Given: w.canaryText("NAME")}, BirthDate: civil.MustDate(1980, 1, 1)}
	situations := []string{"divorced", "dv_protection_order", "spouse_detained", "unmarried"}
	var consultations []*casefile.Consultation
	require.NoError(t, svc.Change(ctx, w.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, p := range append(slices.Clone(w.persons), w.F) {
			if err := c.Create(p); err != nil {
				return err
			}
		}
		w.cf = casefile.CaseFile{SubjectID: w.persons[0].ID, Status: casefile.StatusOpen, OwnerOrg: desk, OpenedOn: civil.MustDate(2026, 4, 1),
			Situation: situations[w.rng.IntN(len(situations))], Note: w.canaryText("NOTE")}
		if w.chance(0.3) {
			w.cf.Labels = []string{"dv_related"}
		}
		if err := c.Create(&w.cf); err != nil {
			return err
		}
		for i, p := range w.persons {
			rel := "child"
			if i == 0 {
				rel = "self"
			} else if p.BirthDate.Year() < 1970 {
				rel = "parent"
			}
			m := casefile.HouseholdMember{CaseID: w.cf.ID, PersonID: p.ID, Relationship: casefile.Relationship{Code: rel}, LivesWith: new(w.livesIn[strconv.Itoa(i)])}
			if err := c.Create(&m); err != nil {
				return err
			}
			w.entities = append(w.entities, &m)
		}
		if w.chance(0.3) { // the counterparty on the case, living elsewhere
			m := casefile.HouseholdMember{CaseID: w.cf.ID, PersonID: w.F.ID, Relationship: casefile.Relationship{Code: "other"}}
			if err := c.Create(&m); err != nil {
				return err
			}
			w.entities = append(w.entities, &m)
			w.fInCase = true
		}
		prog := casefile.Program{CaseID: w.cf.ID, Goals: []string{w.canaryText("GOAL")}, ReviewDue: civil.MustDate(2027, 3, 31)}
		if err := c.Create(&prog); err != nil {
			return err
		}
		w.entities = append(w.entities, &prog)
		w.canaries = append(w.canaries, canary{text: prog.Goals[0], subject: w.cf.SubjectID, cat: consent.CategoryProgram, path: "program.goals.0", entity: prog.ID})
		for i := 0; i < 3; i++ {
			e := &casefile.Consultation{CaseID: w.cf.ID, OccurredAt: w.now.AddDate(0, -7, i), Channel: "counter", Staff: "staff-a", Org: desk,
				Topics: []string{"employment"}, Summary: w.canaryText("SUMM")}
			switch w.rng.IntN(3) {
			case 0:
				e.Labels, e.Topics = []string{"dv_related"}, []string{"dv"}
			case 1:
				e.Labels = []string{"health_disability"}
			}
			if err := c.Create(e); err != nil {
				return err
			}
			consultations = append(consultations, e)
			w.entities = append(w.entities, e)
		}
		task := casefile.Task{CaseID: w.cf.ID, Title: w.canaryText("TASK"), AssigneeOrg: desk, Due: civil.MustDate(2027, 1, 31), Status: "todo"}
		if err := c.Create(&task); err != nil {
			return err
		}
		w.entities = append(w.entities, &task)
		w.canaries = append(w.canaries, canary{text: task.Title, subject: w.cf.SubjectID, cat: consent.CategoryProgram, path: "tasks.0.title", entity: task.ID})
		return nil
	}))
	// A revision: the subject moved (the old address stays in History).
	moved := *w.persons[0]
	oldBlock := moved.Address.Block
	moved.Address.Block = w.canaryText("ADDR")
	require.NoError(t, svc.Change(ctx, w.W, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&moved) }))
	for _, p := range w.persons[1:] {
		if p.Address.Block == oldBlock {
			p.Address.Block = oldBlock // co-residents keep theirs: both addresses are canaries
		}
	}
	w.persons[0] = &moved
	w.canaries = append(w.canaries, canary{text: oldBlock, subject: moved.ID, cat: consent.CategoryIdentity, path: "address.block", entity: moved.ID})

	// Canaries of the persons and the case.
	for _, p := range append(slices.Clone(w.persons), w.F) {
		add := func(text string, cat consent.Category, path string) {
			w.canaries = append(w.canaries, canary{text: text, subject: p.ID, cat: cat, path: path, entity: p.ID})
		}
		add(p.Name.Given, consent.CategoryIdentity, "name.given")
		if p.Address.Block != "" {
			add(p.Address.Block, consent.CategoryIdentity, "address.block")
		}
		for _, ct := range p.Contacts {
			add(ct.Value, consent.CategoryContact, "contacts.0.value")
		}
		if p.Disability != nil {
			add(p.Disability.Grade, consent.CategoryHealthDisability, "disability.grade")
		}
		for _, in := range p.Incomes {
			add(strconv.FormatInt(in.Amount, 10), consent.CategoryIncomeTax, "incomes.0.amount")
		}
		w.entities = append(w.entities, p)
	}
	subject := w.persons[0].ID
	restricted := false // decided below; the note's category depends on it
	w.entities = append(w.entities, &w.cf)
	for _, e := range consultations {
		cat := consent.CategoryConsultation
		if slices.Contains(e.Labels, "dv_related") {
			cat = consent.CategoryDVRelated
		} else if slices.Contains(e.Labels, "health_disability") {
			cat = consent.CategoryHealthDisability
		}
		w.canaries = append(w.canaries, canary{text: e.Summary, subject: subject, cat: cat, path: "consultations.summary", entity: e.ID})
	}

	// Measures: none, one or two.
	for i := w.rng.IntN(3); i > 0; i-- {
		r := consent.Restriction{Kind: consent.RestrictionDV, Counterparties: []string{w.F.ID}, Source: "警察", VerifiedBy: "staff-a",
			Period: consent.Period{Start: w.now.AddDate(-1, 0, 0), End: w.now.AddDate(0, 6, 0)}}
		r.Subjects = []string{w.persons[w.rng.IntN(len(w.persons))].ID}
		if w.chance(0.3) {
			for _, p := range w.persons {
				if !slices.Contains(r.Subjects, p.ID) && w.chance(0.5) {
					r.Subjects = append(r.Subjects, p.ID)
				}
			}
		}
		r.ProtectedFields = pickSome(w, []string{"address", "contacts"})
		if w.chance(0.2) {
			r.ProtectedCategories = []consent.Category{consent.CategoryIncomeTax}
		}
		r.ResponsibleOrgs = pickSome(w, []string{desk, shimin, kosodate})
		switch w.rng.IntN(4) {
		case 0:
			r.Period.End = w.now.AddDate(0, 0, -10) // overdue: still in force
		case 1:
			r.LiftedAt = w.now.AddDate(0, -1, 0)
		}
		by := actor("resp-"+r.ResponsibleOrgs[0], r.ResponsibleOrgs[0], "caseworker")
		var ar casefile.AddressRestriction
		require.NoError(t, svc.Change(ctx, by, consent.PurposeConsultation, func(c *casefile.Changes) error {
			ar = casefile.AddressRestriction{Restriction: r}
			return c.Create(&ar)
		}))
		w.rs = append(w.rs, ar.Restriction)
		w.entities = append(w.entities, &ar)
	}
	for _, r := range w.rs { // a measure on the subject, as extended to the household
		if slices.Contains(w.protects(r), subject) && r.State(w.now).InForce() {
			restricted = true
		}
	}
	noteCat := consent.CategoryConsultation
	if restricted || w.cf.Situation == "dv_protection_order" || slices.Contains(w.cf.Labels, "dv_related") {
		noteCat = consent.CategoryDVRelated
	}
	w.canaries = append(w.canaries, canary{text: w.cf.Note, subject: subject, cat: noteCat, path: "case.note", entity: w.cf.ID})

	// Consents, recorded by the owning desk; refusals (capacity) skipped.
	clk.t = w.now
	for _, p := range append(slices.Clone(w.persons), w.F) {
		for k := w.rng.IntN(3); k > 0; k-- {
			w.giveRandom(p)
		}
	}
	return w
}

// pickSome returns a random non-empty subset of xs, in xs's order.
func pickSome[T any](w *world, xs []T) []T {
	var out []T
	for _, x := range xs {
		if w.chance(0.5) {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, xs[w.rng.IntN(len(xs))])
	}
	return out
}

var propCats = []consent.Category{consent.CategoryIdentity, consent.CategoryContact, consent.CategoryHousehold, consent.CategoryIncomeTax,
	consent.CategoryProgram, consent.CategoryConsultation, consent.CategoryHealthDisability, consent.CategoryDVRelated, consent.CategoryAny}

func (w *world) giveRandom(p *casefile.Person) {
	w.seq++
	spec := consentSpec{id: fmt.Sprintf("c-%d", w.seq), subject: p.ID,
		orgs:     pickSome(w, propOrgs),
		purposes: pickSome(w, []consent.Purpose{consent.PurposeConsultation, consent.PurposeSharing}),
		actions:  pickSome(w, []consent.Action{consent.ActionView, consent.ActionCopy}),
		cats:     pickSome(w, propCats)}
	switch w.rng.IntN(4) {
	case 0:
		spec.grantor = w.persons[0].ID // the parent, as 法定代理人
	case 1:
		spec.grantor = w.F.ID // the counterparty, as 法定代理人
	}
	if spec.grantor == p.ID {
		spec.grantor = ""
	}
	if w.chance(0.2) {
		spec.excepting = pickSome(w, propCats[:8])
	}
	at := w.now.AddDate(0, -5, 0).Add(time.Duration(w.rng.IntN(24*60)) * time.Minute)
	ev := spec.event(at)
	if w.chance(0.15) {
		ev.Consent.Period.End = w.now.AddDate(0, -1, 0) // expired
	}
	stored, err := w.svc.RecordConsent(w.ctx, w.W, p.ID, ev)
	var ve *casefile.ValidationError
	if errors.As(err, &ve) {
		return // a consent the grantor could not give (age): refused, as it should be
	}
	require.NoError(w.t, err)
	w.events[p.ID] = append(w.events[p.ID], stored)
	if w.chance(0.2) {
		wd := at.Add(24 * time.Hour)
		stored, err := w.svc.RecordConsent(w.ctx, w.W, p.ID, consent.Event{ConsentID: spec.id, Type: consent.EventWithdrawn, At: wd, EffectiveAt: wd,
			By: "staff-a", Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W", RecordedBy: "staff-a"}})
		require.NoError(w.t, err)
		w.events[p.ID] = append(w.events[p.ID], stored)
	}
}

// ---- the oracle, from the rules in docs/casefile.md ----

func (w *world) index(id string) int {
	for i, p := range w.persons {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func (w *world) person(id string) *casefile.Person {
	if i := w.index(id); i >= 0 {
		return w.persons[i]
	}
	if id == w.F.ID {
		return w.F
	}
	return nil
}

// protects lists whom a measure protects: the persons it names, and every
// member of the household who lives with one of them or shares their
// address or a contact (never a counterparty).
func (w *world) protects(r consent.Restriction) []string {
	out := slices.Clone(r.Subjects)
	lives := func(id string) bool { i := w.index(id); return i >= 0 && w.livesIn[strconv.Itoa(i)] }
	shares := func(a, b *casefile.Person) bool {
		if a.Address != (casefile.Address{}) && a.Address == b.Address {
			return true
		}
		for _, x := range a.Contacts {
			for _, y := range b.Contacts {
				if x.Value == y.Value {
					return true
				}
			}
		}
		return false
	}
	for grown := true; grown; {
		grown = false
		for _, x := range w.persons {
			if slices.Contains(out, x.ID) || r.IsCounterparty(x.ID) {
				continue
			}
			for _, id := range out {
				p := w.person(id)
				if p != nil && w.index(id) >= 0 && ((lives(x.ID) && lives(id)) || shares(x, p)) {
					out = append(out, x.ID)
					grown = true
					break
				}
			}
		}
	}
	return out
}

func (w *world) inForce() []consent.Restriction {
	var out []consent.Restriction
	for _, r := range w.rs {
		if r.State(w.now).InForce() {
			out = append(out, r)
		}
	}
	return out
}

// counterparty: a request by or for him gets nothing of this household
// (the restrictions all protect members of the case).
func (w *world) counterparty(person string) bool {
	if person == "" {
		return false
	}
	for _, r := range w.inForce() {
		if r.IsCounterparty(person) {
			return true
		}
	}
	return false
}

func (w *world) masked(org, subject, path string, cat consent.Category) bool {
	for _, r := range w.inForce() {
		if slices.Contains(w.protects(r), subject) && !slices.Contains(r.ResponsibleOrgs, org) && r.Protects(path, cat) {
			return true
		}
	}
	return false
}

// decide asks consent.Decide about one subject's own consents, with the
// measures as the oracle extends them and the age limits of the subject.
func (w *world) decide(subject, org string, a casefile.Actor, purpose consent.Purpose, action consent.Action, onBehalfOf string, cat consent.Category) consent.Decision {
	d := w.deciders[subject]
	if d == nil {
		rs := make([]consent.Restriction, len(w.rs))
		for i, r := range w.rs {
			rs[i] = r
			rs[i].Subjects = w.protects(r)
		}
		p := consent.Policy{Events: w.events[subject], Restrictions: rs}
		if per := w.person(subject); per != nil && len(w.events[subject]) > 0 {
			p.Minors = []consent.Minor{{Subject: subject, SelfFrom: civil.ReachesAge(per.BirthDate, casefile.DefaultSelfConsentAge).Time(jst),
				AdultFrom: civil.ReachesAge(per.BirthDate, casefile.AgeOfMajority).Time(jst)}}
		}
		var err error
		d, err = consent.Compile(p)
		require.NoError(w.t, err)
		if w.deciders == nil {
			w.deciders = map[string]*consent.Decider{}
		}
		w.deciders[subject] = d
	}
	dec, err := d.Decide(consent.Request{Actor: consent.Actor{User: a.User, Org: org, Role: a.Role, Person: a.Person}, Subject: subject,
		Action: action, Purpose: purpose, Categories: consent.Categories(cat), At: w.now, OnBehalfOf: onBehalfOf})
	require.NoError(w.t, err)
	return dec
}

// reader is one department a read is decided for.
type propReader struct {
	a          casefile.Actor
	org        string
	purpose    consent.Purpose
	action     consent.Action
	onBehalfOf string
	byRole     bool
}

// allowed: may this reader receive a value of subject, of category cat, at
// path?
func (w *world) allowed(r propReader, subject string, cat consent.Category, path string) bool {
	if w.counterparty(r.a.Person) || w.counterparty(r.onBehalfOf) || w.masked(r.org, subject, path, cat) {
		return false
	}
	if r.byRole {
		if cat.Sensitive() && propRoles[r.a.Role]&casefile.PermSensitive == 0 {
			return false
		}
		dec := w.decide(subject, r.org, r.a, consent.PurposeConsultation, r.action, r.onBehalfOf, cat)
		return dec.CategoryReason(cat) != consent.ReasonExcepted
	}
	return w.decide(subject, r.org, r.a, r.purpose, r.action, r.onBehalfOf, cat).Permitted.Has(cat)
}

// categoryOf is the oracle's own categorisation of a shown field: a
// canary's category, the situation's by its code, otherwise the field's.
func (w *world) categoryOf(subject, path string, value any, given consent.Category) (consent.Category, string) {
	text := fmt.Sprint(value)
	for _, c := range w.canaries {
		if c.text == text && c.subject == subject {
			return c.cat, c.path
		}
	}
	if path == "case.situation" {
		switch text {
		case "dv_protection_order":
			return consent.CategoryDVRelated, path
		case "spouse_detained", "spouse_disabled":
			return consent.CategoryHealthDisability, path
		}
		return consent.CategoryHousehold, path
	}
	if strings.HasPrefix(path, "case.labels") {
		return consent.CategoryDVRelated, path
	}
	return given, path
}

// foreign reports a canary of another person (or of the case) in a value
// attributed to subject.
func (w *world) foreign(subject string, value any) (canary, bool) {
	text := fmt.Sprint(value)
	for _, c := range w.canaries {
		if strings.Contains(text, c.text) {
			own := false
			for _, d := range w.canaries {
				if d.text == c.text && d.subject == subject {
					own = true
				}
			}
			if !own {
				return c, true
			}
		}
	}
	return canary{}, false
}

// returned is what one call handed over: subject → categories.
type returned map[string]consent.CategorySet

// checkView checks every field of a view against the readers (all must
// allow it) and collects what was returned.
func (w *world) checkView(what string, rs []propReader, v consent.RedactedView, got returned) {
	for _, f := range v.Fields {
		subj := f.Subject
		if subj == "" {
			subj = v.Subject
		}
		if c, bad := w.foreign(subj, f.Value); bad {
			w.t.Errorf("%s: %s carries %s's value %q", what, f.Path, c.subject, c.text)
		}
		cat, path := w.categoryOf(subj, f.Path, f.Value, f.Category)
		for _, r := range rs {
			if !w.allowed(r, subj, cat, path) {
				w.t.Errorf("%s: %s of %s (%s) shown to %s/%s (%s, %s)", what, f.Path, subj, cat, r.a.Org, r.org, r.a.Role, r.purpose)
			}
		}
		got[subj] = got[subj].With(f.Category)
	}
}

// checkAudit: a refusal left a deny entry; a read left entries naming the
// subjects and categories it returned.
func (w *world) checkAudit(what string, before uint64, err error, got returned) {
	var es []audit.Entry
	require.NoError(w.t, w.st.ScanAudit(w.ctx, tenant, before+1, func(e audit.Entry) error { es = append(es, e); return nil }))
	if len(es) == 0 {
		w.t.Errorf("%s: no audit entry", what)
		return
	}
	if err != nil && (errors.Is(err, casefile.ErrDenied) || errors.Is(err, casefile.ErrNotFound)) {
		if !slices.ContainsFunc(es, func(e audit.Entry) bool { return e.Decision == audit.Deny }) {
			w.t.Errorf("%s: refused (%v) without a deny entry", what, err)
		}
	}
	for subj, cats := range got {
		for _, c := range cats.List() {
			if !slices.ContainsFunc(es, func(e audit.Entry) bool {
				return e.Decision == audit.Permit && slices.Contains(e.Subjects, subj) && slices.Contains(e.Categories, c.String())
			}) {
				w.t.Errorf("%s: returned %s of %s with no audit entry naming them", what, c, subj)
			}
		}
	}
}

func (w *world) head() uint64 {
	h, err := w.st.AuditHead(w.ctx, tenant)
	require.NoError(w.t, err)
	return h.Seq
}

// ---- the calls ----

// check runs every read path for random staff and returns the number of
// calls checked.
func (w *world) check(seed uint64) int {
	calls := 0
	roles := []string{"caseworker", "writer", "staff", "exporter", "consentdesk"}
	purposesR := []consent.Purpose{consent.PurposeConsultation, consent.PurposeSharing}
	for k := 0; k < 6; k++ {
		a := actor(fmt.Sprintf("u%d", k), propOrgs[w.rng.IntN(len(propOrgs))], roles[w.rng.IntN(len(roles))])
		if w.chance(0.15) {
			a.Person = w.F.ID // the counterparty, on the staff
		}
		purpose := purposesR[w.rng.IntN(len(purposesR))]
		onBehalf := ""
		if w.chance(0.15) {
			onBehalf = w.F.ID
		}
		w.t.Run(fmt.Sprintf("seed%d-%s-%s-%s", seed, a.Org, a.Role, purpose), func(t *testing.T) {
			ww := *w
			ww.t = t
			calls += ww.checkActor(a, purpose, onBehalf)
		})
	}
	return calls
}

func (w *world) checkActor(a casefile.Actor, purpose consent.Purpose, onBehalf string) int {
	calls := 0
	ctx := w.ctx
	view := propReader{a: a, org: a.Org, purpose: purpose, action: consent.ActionView, onBehalfOf: onBehalf,
		byRole: a.Org == w.owner && purpose == consent.PurposeConsultation}

	// ReadCase
	before := w.head()
	v, err := w.svc.ReadCase(ctx, a, w.cf.ID, casefile.ReadOptions{Purpose: purpose, OnBehalfOf: onBehalf})
	got := returned{}
	if err == nil {
		w.checkView("ReadCase", []propReader{view}, v.Case, got)
		for _, p := range v.Persons {
			if len(p.View.Fields) == 0 {
				w.t.Errorf("ReadCase: person %s listed with nothing shown", p.PersonID)
			}
			for _, wh := range p.View.Withheld {
				if wh.Category.Sensitive() {
					w.t.Errorf("ReadCase: withheld sensitive field %s listed", wh.Path)
				}
			}
			w.checkView("ReadCase", []propReader{view}, p.View, got)
		}
		if len(v.Case.Fields) == 0 && len(v.Case.Withheld) > 0 {
			w.t.Errorf("ReadCase: withheld case fields listed with nothing shown")
		}
	}
	w.checkAudit("ReadCase", before, err, got)
	calls++

	// Household
	before = w.head()
	h, err := w.svc.Household(ctx, a, w.cf.ID, civil.DateOf(w.now.In(jst)), casefile.ReadOptions{Purpose: purpose, OnBehalfOf: onBehalf})
	got = returned{}
	if err == nil {
		for _, m := range h.Members {
			check := func(cat consent.Category, path string, value any) {
				if !w.allowed(view, m.ID, cat, path) {
					w.t.Errorf("Household: %s of %s (%s) given to %s/%s", path, m.ID, cat, a.Org, a.Role)
				}
				got[m.ID] = got[m.ID].With(cat)
				if c, bad := w.foreign(m.ID, value); bad {
					w.t.Errorf("Household: %s carries %s's %q", path, c.subject, c.text)
				}
			}
			if m.ID != w.cf.SubjectID {
				check(consent.CategoryHousehold, "household.relationship.code", m.Relation)
			}
			if m.BirthDate != nil {
				check(consent.CategoryIdentity, "birth_date", m.BirthDate.String())
			}
			for _, in := range m.Incomes {
				if in.SalaryRevenue != nil {
					check(consent.CategoryIncomeTax, "incomes.0.amount", *in.SalaryRevenue)
				}
			}
			if m.Disability != nil {
				check(consent.CategoryHealthDisability, "disability.grade", m.Disability.Grade)
			}
		}
		if h.Situation != nil {
			cat, _ := w.categoryOf(w.cf.SubjectID, "case.situation", string(*h.Situation), 0)
			if !w.allowed(view, w.cf.SubjectID, cat, "case.situation") {
				w.t.Errorf("Household: situation %s given to %s/%s", *h.Situation, a.Org, a.Role)
			}
		}
	}
	w.checkAudit("Household", before, err, got)
	calls++

	// ExportCases and csvio.Export, for a random recipient
	recipient := propOrgs[w.rng.IntN(len(propOrgs))]
	var readers []propReader
	for _, org := range []string{a.Org, recipient} {
		if len(readers) == 1 && org == readers[0].org {
			continue
		}
		readers = append(readers, propReader{a: a, org: org, purpose: purpose, action: consent.ActionCopy,
			byRole: org == w.owner && (purpose == consent.PurposeConsultation || org != recipient)})
	}
	before = w.head()
	vs, err := w.svc.ExportCases(ctx, a, purpose, recipient, []string{w.cf.ID})
	got = returned{}
	texts := map[string]bool{}
	if err == nil {
		for _, ev := range vs {
			w.checkView("ExportCases", readers, ev.Case, got)
			for _, p := range ev.Persons {
				w.checkView("ExportCases", readers, p.View, got)
				for _, f := range p.View.Fields {
					texts[fmt.Sprint(f.Value)] = true
				}
			}
		}
	}
	w.checkAudit("ExportCases", before, err, got)
	var buf bytes.Buffer
	before = w.head()
	err = csvio.Export(ctx, w.svc, a, []string{w.cf.ID}, &buf, csvio.ExportOptions{Encoding: csvio.UTF8, Purpose: purpose, Recipient: recipient})
	for _, c := range w.canaries {
		if strings.Contains(buf.String(), c.text) && !texts[c.text] && !texts[strings.TrimSuffix(c.text, "@example.jp")] {
			found := false
			for t := range texts {
				if strings.Contains(t, c.text) {
					found = true
				}
			}
			if !found {
				w.t.Errorf("csvio.Export wrote %q (%s of %s), which the export's views did not hold", c.text, c.path, c.subject)
			}
		}
	}
	w.checkAudit("csvio.Export", before, err, nil)
	calls += 2

	// Changes.Get and History of every entity
	for _, e := range w.entities {
		kind, id := e.EntityKind(), e.EntityMeta().ID
		mayWhole := w.mayWhole(a, e)
		before = w.head()
		into := newOf(kind)
		err := w.svc.Change(ctx, a, purpose, func(c *casefile.Changes) error { return c.Get(id, into) })
		got = returned{}
		if err == nil {
			if !mayWhole {
				w.t.Errorf("Changes.Get(%s %s) by %s/%s (person %q) succeeded", kind, id, a.Org, a.Role, a.Person)
			}
			w.collect(e, got)
		} else if into.EntityMeta().ID != "" {
			w.t.Errorf("Changes.Get(%s) refused but filled the caller's value", kind)
		}
		w.checkAudit("Changes.Get("+string(kind)+")", before, err, got)
		before = w.head()
		hist, err := w.svc.History(ctx, a, kind, id)
		got = returned{}
		if err == nil {
			if !mayWhole {
				w.t.Errorf("History(%s %s) by %s/%s (person %q) succeeded", kind, id, a.Org, a.Role, a.Person)
			}
			for _, r := range hist {
				w.collect(r, got)
			}
		}
		w.checkAudit("History("+string(kind)+")", before, err, got)
		calls += 2
	}

	// FindPersons
	for _, p := range w.persons {
		before = w.head()
		ids, err := w.svc.FindPersons(ctx, a, purpose, p.ExternalIDs[0])
		if err == nil {
			for _, id := range ids {
				owns := a.Org == w.owner
				mayKnow := !w.counterparty(a.Person) && (owns || w.decide(id, a.Org, a, purpose, consent.ActionView, "", consent.CategoryIdentity).Permitted.Has(consent.CategoryIdentity))
				if !mayKnow {
					w.t.Errorf("FindPersons told %s/%s that %s is on file", a.Org, a.Role, id)
				}
			}
		}
		var es []audit.Entry
		require.NoError(w.t, w.st.ScanAudit(ctx, tenant, before+1, func(e audit.Entry) error { es = append(es, e); return nil }))
		if len(es) == 0 {
			w.t.Errorf("FindPersons: no audit entry")
		}
		for _, id := range ids {
			if !slices.ContainsFunc(es, func(e audit.Entry) bool { return e.Decision == audit.Permit && slices.Contains(e.Subjects, id) }) {
				w.t.Errorf("FindPersons: %s returned without an audit entry naming it", id)
			}
		}
		calls++
	}

	// ConsentRecords and Disclosures
	for _, p := range w.persons {
		before = w.head()
		recs, err := w.svc.ConsentRecords(ctx, a, p.ID)
		if err == nil {
			if propRoles[a.Role]&casefile.PermConsent == 0 || w.counterparty(a.Person) {
				w.t.Errorf("ConsentRecords(%s) by %s/%s (person %q)", p.ID, a.Org, a.Role, a.Person)
			}
			for _, r := range recs {
				if a.Org != w.owner && r.Versions[len(r.Versions)-1].Consent.Manager != a.Org {
					w.t.Errorf("ConsentRecords: %s's consent %s shown to %s", p.ID, r.ID, a.Org)
				}
			}
		}
		w.checkAudit("ConsentRecords", before, err, nil)
		before = w.head()
		_, err = w.svc.Disclosures(ctx, a, p.ID)
		if err == nil && propRoles[a.Role]&casefile.PermAudit == 0 {
			w.t.Errorf("Disclosures by %s", a.Role)
		}
		w.checkAudit("Disclosures", before, err, nil)
		calls += 2
	}
	return calls
}

func newOf(k casefile.Kind) casefile.Entity {
	switch k {
	case casefile.KindPerson:
		return &casefile.Person{}
	case casefile.KindCase:
		return &casefile.CaseFile{}
	case casefile.KindMember:
		return &casefile.HouseholdMember{}
	case casefile.KindProgram:
		return &casefile.Program{}
	case casefile.KindConsultation:
		return &casefile.Consultation{}
	case casefile.KindTask:
		return &casefile.Task{}
	case casefile.KindRestriction:
		return &casefile.AddressRestriction{}
	}
	panic("no entity of kind " + string(k))
}

// collect records the canaries an entity holds as returned.
func (w *world) collect(e casefile.Entity, got returned) {
	id := e.EntityMeta().ID
	for _, c := range w.canaries {
		if c.entity == id {
			got[c.subject] = got[c.subject].With(c.cat)
		}
	}
}

// mayWhole: may the actor have the whole entity (Changes.Get, History)?
// Its department owns it, the actor is no counterparty, it has the role,
// and nothing in it would be withheld from the owning desk's role view.
func (w *world) mayWhole(a casefile.Actor, e casefile.Entity) bool {
	perm := propRoles[a.Role]
	if perm&casefile.PermRead == 0 {
		return false
	}
	if p, ok := e.(*casefile.Person); ok && p.ID == w.F.ID && !w.fInCase {
		// the counterparty's own record, in no case: no measure in its scope
		return a.Org == w.owner
	}
	if w.counterparty(a.Person) {
		return false
	}
	role := propReader{a: a, org: a.Org, purpose: consent.PurposeConsultation, action: consent.ActionView, byRole: true}
	switch x := e.(type) {
	case *casefile.AddressRestriction:
		return perm&casefile.PermSensitive != 0 && slices.Contains(x.Restriction.ResponsibleOrgs, a.Org)
	case *casefile.Person:
		if a.Org != w.owner {
			return false
		}
	case *casefile.CaseFile:
		if a.Org != w.owner || (!w.allowed(role, x.SubjectID, w.situationCat(), "case.situation") && x.Situation != "") {
			return false
		}
	default:
		if a.Org != w.owner {
			return false
		}
	}
	if c, ok := e.(*casefile.Consultation); ok && len(c.Labels) > 0 && perm&casefile.PermSensitive == 0 {
		return false
	}
	if _, ok := e.(*casefile.CaseFile); ok && len(w.cf.Labels) > 0 && perm&casefile.PermSensitive == 0 {
		return false
	}
	id := e.EntityMeta().ID
	for _, c := range w.canaries {
		if c.entity == id && !w.allowed(role, c.subject, c.cat, c.path) {
			return false
		}
	}
	return true
}

func (w *world) situationCat() consent.Category {
	c, _ := w.categoryOf(w.cf.SubjectID, "case.situation", w.cf.Situation, 0)
	return c
}
