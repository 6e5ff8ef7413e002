package consent

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The property test generates random policies (consents with their event
// histories, DV restrictions, contracts, mandates) and random requests, and
// checks every decision against an independent, deliberately naive oracle
// written from the rules in the issue, not from the compiled decider:
//
//   - a decision permits exactly the categories that an active provision
//     (or an asserted and held statute) covers — in particular never more;
//   - every consent a permit cites does cover something permitted;
//   - in a redacted view, no field under a DV restriction's protected path
//     appears for an actor outside the responsible desk, nothing appears
//     for a counterparty, and every kept field's category is covered.
//
// It is seeded and reproducible: a failure prints the seed and the
// iteration; rerun with -consent.seed.
var propSeed = flag.Uint64("consent.seed", 0x0A1E_2025_0401, "seed for the consent property test")

// propertyRequestsPerPolicy requests are asked of each random policy.
const propertyRequestsPerPolicy = 50

// propertyRequests is the number of random requests per run.
const propertyRequests = 100_000

type propGen struct {
	r         *rand.Rand
	base      time.Time
	times     []time.Time // boundaries of the current policy, to probe
	templates []template  // provisions of the current policy, to aim requests at
	mandates  []Mandate
}

// template is what one provision permits, so that many requests hit (or
// just miss) something permitted instead of being denied at random.
type template struct {
	subject string
	from    time.Time
	p       Provision
}

var (
	propOrgs = []Recipient{rDesk, rKosodate, rHoken, rItaku, rShakyo,
		recipient(RecipientExternal, "jidosodanjo", "児童相談所")}
	propRequestOrgs = []string{orgDesk, orgKosodate, orgHoken, orgItaku, orgShakyo, "jidosodanjo", "zeimu-ka"}
	propSubjects    = []string{"s0", "s1", "s2"}
	propOthers      = []string{"g0", "g1", "x0", "x1"} // representatives and counterparties
	propConcrete    = []Category{CategoryIdentity, CategoryContact, CategoryHousehold, CategoryIncomeTax,
		CategorySupportInUse, CategoryProgram, CategoryConsultation, CategoryHealthDisability, CategoryDVRelated}
	propFields = []Field{
		{Path: "name", Category: CategoryIdentity},
		{Path: "address", Category: CategoryIdentity},
		{Path: "address.line1", Category: CategoryIdentity},
		{Path: "addressee", Category: CategoryIdentity},
		{Path: "contacts.0.value", Category: CategoryContact},
		{Path: "contacts.1.value", Category: CategoryContact},
		{Path: "contactsx", Category: CategoryContact},
		{Path: "income.2024", Category: CategoryIncomeTax},
		{Path: "support.0.scheme", Category: CategorySupportInUse},
		{Path: "health.notes", Category: CategoryHealthDisability},
		{Path: "dv.notes", Category: CategoryDVRelated},
		{Path: "household.members.0.name", Category: CategoryHousehold},
		{Path: "consultations.0.summary", Category: CategoryConsultation},
		{Path: "mynumber", Category: CategoryMyNumber},
		{Path: "memo"},
	}
	propProtectedPaths = []string{"address", "contacts", "dv", "household.members.0", "contacts.0"}
)

func (g *propGen) chance(p float64) bool { return g.r.Float64() < p }

func pickN[T any](g *propGen, xs []T, lo, hi int) []T {
	n := lo + g.r.IntN(hi-lo+1)
	perm := g.r.Perm(len(xs))
	out := make([]T, 0, n)
	for _, i := range perm[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

func pick[T any](g *propGen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// timeIn returns a time between base+from and base+to days, to the minute.
func (g *propGen) timeIn(fromDays, toDays int) time.Time {
	mins := g.r.IntN((toDays - fromDays) * 24 * 60)
	t := g.base.Add(time.Duration(fromDays)*24*time.Hour + time.Duration(mins)*time.Minute)
	g.times = append(g.times, t)
	return t
}

func (g *propGen) note(ts ...time.Time) {
	for _, t := range ts {
		if !t.IsZero() {
			g.times = append(g.times, t)
		}
	}
}

// requestTime is random, or a boundary of the policy (exact or just before).
func (g *propGen) requestTime() time.Time {
	if len(g.times) > 0 && g.chance(0.4) {
		t := pick(g, g.times)
		if g.chance(0.5) {
			t = t.Add(-time.Nanosecond)
		}
		return t
	}
	return g.timeIn(-40, 420)
}

func (g *propGen) period(start time.Time, open float64) Period {
	p := Period{Start: start}
	if !g.chance(open) {
		p.End = start.Add(time.Duration(1+g.r.IntN(400*24)) * time.Hour)
	}
	g.note(p.Start, p.End)
	return p
}

func (g *propGen) categories(lo, hi int, anyP float64) []Category {
	cs := pickN(g, propConcrete, lo, hi)
	if g.chance(anyP) {
		cs = append(cs, CategoryAny)
	}
	return cs
}

func (g *propGen) provision(from time.Time) Provision {
	p := Provision{
		Recipients: pickN(g, propOrgs, 1, 3),
		Purposes:   pickN(g, AllPurposes(), 1, 3),
		Actions:    pickN(g, AllActions(), 1, 3),
		Categories: g.categories(1, 4, 0.3),
	}
	if g.chance(0.2) {
		p.Period = g.period(from.Add(time.Duration(g.r.IntN(60*24))*time.Hour), 0.3)
	}
	for range g.r.IntN(3) {
		e := Provision{
			Recipients: pickN(g, propOrgs, 0, 2),
			Purposes:   pickN(g, AllPurposes(), 0, 2),
			Actions:    pickN(g, AllActions(), 0, 2),
			Categories: g.categories(0, 2, 0.1),
		}
		if g.chance(0.1) {
			e.Period = g.period(from.Add(time.Duration(g.r.IntN(90*24))*time.Hour), 0.3)
		}
		p.Exceptions = append(p.Exceptions, e)
	}
	return p
}

func (g *propGen) content(id, subject string, at time.Time) Consent {
	c := newConsent(id)
	c.Subject = subject
	c.Grantor = Grantor{Person: subject, Capacity: CapacitySelf}
	if g.chance(0.3) {
		c.Grantor = Grantor{Person: pick(g, propOthers), Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	}
	c.GivenAt = at
	c.Notice.ShownAt = at.Add(-5 * time.Minute)
	c.Period = g.period(at.Add(time.Duration(g.r.IntN(3))*24*time.Hour), 0.2)
	for range 1 + g.r.IntN(4) {
		c.Provisions = append(c.Provisions, g.provision(c.Period.Start))
	}
	return c
}

// correctsGiven stands for "the seq of this consent's given event", known
// only once it is appended.
const correctsGiven = ^uint64(0)

// consentEvents is one consent's random, valid history.
func (g *propGen) consentEvents(id, subject string) []Event {
	at := g.timeIn(-30, 200)
	c := g.content(id, subject, at)
	evs := []Event{givenEvent(c)}
	g.note(at)
	next := func() time.Time {
		at = at.Add(time.Duration(1+g.r.IntN(60*24)) * time.Hour)
		g.note(at)
		return at
	}
	if g.chance(0.3) {
		t := next()
		a := g.content(id, subject, t)
		evs = append(evs, Event{ConsentID: id, Type: EventAmended, At: t, EffectiveAt: t, By: staffA, Evidence: &a.Evidence, Consent: &a})
	}
	if g.chance(0.2) {
		t := next()
		p := g.period(c.Period.Start, 0.3)
		evs = append(evs, Event{ConsentID: id, Type: EventReconfirmed, At: t, EffectiveAt: t, By: staffA, Evidence: &c.Evidence, Period: &p})
	}
	if g.chance(0.15) {
		t := next()
		fix := g.content(id, subject, c.GivenAt)
		evs = append(evs, Event{ConsentID: id, Type: EventCorrected, At: t, EffectiveAt: t, By: staffB, Reason: "記載誤り", Corrects: correctsGiven, Consent: &fix})
	}
	switch x := g.r.Float64(); {
	case x < 0.25:
		t := next()
		eff := t
		if g.chance(0.3) { // recorded late
			eff = c.GivenAt.Add(time.Duration(g.r.Int64N(int64(t.Sub(c.GivenAt)) + 1)))
			g.note(eff)
		}
		evs = append(evs, withdrawnEvent(id, t, eff))
	case x < 0.35:
		t := next()
		evs = append(evs, Event{ConsentID: id, Type: EventExpired, At: t, EffectiveAt: t, By: staffA})
	}
	return evs
}

func (g *propGen) policy(t *testing.T) Policy {
	g.times = g.times[:0]
	var p Policy
	log := NewLog()
	n := 0
	for _, s := range propSubjects {
		for range g.r.IntN(4) {
			n++
			var given uint64
			for _, e := range g.consentEvents(fmt.Sprintf("c%d", n), s) {
				if e.Corrects == correctsGiven {
					e.Corrects = given
				}
				stored, err := log.Append(e)
				if err != nil {
					t.Fatalf("generator made an invalid event: %v", err)
				}
				if e.Type == EventGiven {
					given = stored.Seq
				}
			}
		}
	}
	p.Events = log.Events()
	g.templates = g.templates[:0]
	for _, rec := range log.Records() {
		for _, v := range rec.Versions {
			for _, pr := range v.Consent.Provisions {
				g.templates = append(g.templates, template{subject: rec.Subject, from: v.From, p: pr})
			}
		}
	}
	for i := range g.r.IntN(3) {
		start := g.timeIn(-60, 300)
		r := Restriction{
			ID:                  fmt.Sprintf("r%d", i),
			Kind:                RestrictionDV,
			Subjects:            pickN(g, propSubjects, 1, 2),
			Counterparties:      pickN(g, propOthers, 1, 2),
			ProtectedFields:     pickN(g, propProtectedPaths, 0, 3),
			ProtectedCategories: pickN(g, propConcrete, 0, 2),
			ResponsibleOrgs:     []string{pick(g, propRequestOrgs)},
			Period:              g.period(start, 0),
			Source:              "警察署",
			VerifiedBy:          staffB,
		}
		if len(r.ProtectedFields) == 0 && len(r.ProtectedCategories) == 0 {
			r.ProtectedFields = []string{"address"}
		}
		if g.chance(0.2) {
			r.LiftedAt = g.timeIn(-60, 420)
		}
		p.Restrictions = append(p.Restrictions, r)
	}
	for i := range g.r.IntN(3) {
		p.Contracts = append(p.Contracts, Contract{ID: fmt.Sprintf("k%d", i), Org: orgItaku,
			Period: g.period(g.timeIn(-60, 300), 0), Categories: pickN(g, propConcrete, 1, 4)})
	}
	for range g.r.IntN(4) {
		m := Mandate{Statute: Statute(1 + g.r.IntN(4)), Org: pick(g, propRequestOrgs),
			Period: g.period(g.timeIn(-60, 300), 0.3)}
		if g.chance(0.5) {
			m.Role = pick(g, []string{"r1", "r2"})
		}
		if g.chance(0.3) {
			m.User = staffA
		}
		if m.Statute.NeedsConference() {
			m.Conference = pick(g, []string{"conf1", "conf2"})
		}
		p.Mandates = append(p.Mandates, m)
	}
	g.mandates = p.Mandates
	for _, subj := range propSubjects {
		if g.chance(0.4) {
			adult := g.timeIn(-60, 420)
			m := Minor{Subject: subj, AdultFrom: adult}
			if g.chance(0.7) {
				m.SelfFrom = adult.Add(-time.Duration(g.r.IntN(400*24)) * time.Hour)
			}
			p.Minors = append(p.Minors, m)
		}
	}
	return p
}

func (g *propGen) request() Request {
	r := Request{
		Actor: Actor{User: pick(g, []string{staffA, staffB}), Org: pick(g, propRequestOrgs),
			Role: pick(g, []string{"r1", "r2"})},
		Subject: pick(g, append(propSubjects, "s-unknown")),
		Action:  Action(1 + g.r.IntN(4)),
		Purpose: Purpose(1 + g.r.IntN(6)),
		At:      g.requestTime(),
	}
	r.Categories = Categories(pickN(g, propConcrete, 1, 5)...)
	if len(g.templates) > 0 && g.chance(0.6) {
		// Aim at a provision: its subject, one of its recipients, purposes
		// and actions, some of its categories plus maybe others, at a time
		// after its version began.
		tp := pick(g, g.templates)
		r.Subject = tp.subject
		r.Actor.Org = pick(g, tp.p.Recipients).Code
		r.Purpose = pick(g, tp.p.Purposes)
		r.Action = pick(g, tp.p.Actions)
		r.Categories = Categories(pickN(g, tp.p.Categories, 1, 3)...)
		if r.Categories.Empty() || g.chance(0.3) {
			r.Categories = r.Categories.With(pick(g, propConcrete))
		}
		if g.chance(0.5) {
			r.At = tp.from.Add(time.Duration(g.r.IntN(200*24)) * time.Hour)
		}
	}
	if g.chance(0.03) {
		r.Categories = r.Categories.With(CategoryMyNumber)
	}
	if g.chance(0.08) {
		r.Actor.Person = pick(g, propOthers)
	}
	if g.chance(0.08) {
		r.OnBehalfOf = pick(g, propOthers)
	}
	if g.chance(0.2) {
		s := Statute(1 + g.r.IntN(4))
		r.Assertion = Assertion{Statute: s, By: r.Actor.User, Reason: "理由"}
		if s.NeedsConference() {
			r.Assertion.Conference = pick(g, []string{"conf1", "conf2"})
		}
		if len(g.mandates) > 0 && g.chance(0.6) {
			// Aim at a mandate, so that assertions are often held.
			m := pick(g, g.mandates)
			r.Actor.Org = m.Org
			if m.Role != "" {
				r.Actor.Role = m.Role
			}
			if m.User != "" {
				r.Actor.User = m.User
			}
			r.Assertion = Assertion{Statute: m.Statute, By: r.Actor.User, Reason: "理由", Conference: m.Conference}
		}
		if g.chance(0.05) { // malformed: someone else's claim, or no reason
			if g.chance(0.5) {
				r.Assertion.By = "someone-else"
			} else {
				r.Assertion.Reason = ""
			}
		}
	}
	return r
}

// --- the oracle: the rules, read literally, over the uncompiled policy ---

type oracle struct {
	p    Policy
	recs []Record
}

func (o *oracle) restrictionsOn(subject string, at time.Time) []Restriction {
	var out []Restriction
	for _, r := range o.p.Restrictions {
		if slices.Contains(r.Subjects, subject) && r.State(at).InForce() {
			out = append(out, r)
		}
	}
	return out
}

// minor returns the subject's age limits, if any.
func (o *oracle) minor(subject string) (Minor, bool) {
	for _, m := range o.p.Minors {
		if m.Subject == subject {
			return m, true
		}
	}
	return Minor{}, false
}

// permitted is what the rules permit for req; by maps each consent id to
// what it covers.
func (o *oracle) permitted(req Request) (CategorySet, map[string]CategorySet) {
	by := map[string]CategorySet{}
	if req.Categories.Has(CategoryMyNumber) {
		return 0, by
	}
	in := o.restrictionsOn(req.Subject, req.At)
	var restricted CategorySet
	for _, r := range in {
		if (req.Actor.Person != "" && slices.Contains(r.Counterparties, req.Actor.Person)) ||
			(req.OnBehalfOf != "" && slices.Contains(r.Counterparties, req.OnBehalfOf)) {
			return 0, by
		}
		if !slices.Contains(r.ResponsibleOrgs, req.Actor.Org) {
			restricted |= Categories(r.ProtectedCategories...)
		}
	}
	want := req.Categories &^ restricted
	if a := req.Assertion; a.Statute != 0 {
		held := false
		for _, m := range o.p.Mandates {
			if m.Statute == a.Statute && m.Org == req.Actor.Org && (m.Role == "" || m.Role == req.Actor.Role) &&
				(m.User == "" || m.User == req.Actor.User) && m.Conference == a.Conference && m.Period.Contains(req.At) {
				held = true
			}
		}
		if !held || (req.Action != ActionView && req.Action != ActionCopy) {
			return 0, by
		}
		return want, by
	}
	var out CategorySet
	for _, rec := range o.recs {
		if rec.Subject != req.Subject || rec.Status(req.At) != StatusActive {
			continue
		}
		v, _ := rec.VersionAt(req.At)
		// capacity: a self consent given below the age to consent, a
		// representative's consent once the subject came of age
		if m, ok := o.minor(req.Subject); ok {
			switch v.Consent.Grantor.Capacity {
			case CapacitySelf:
				if v.From.Before(m.SelfFrom) {
					continue
				}
			case CapacityLegalRepresentative:
				if !req.At.Before(m.AdultFrom) {
					continue
				}
			}
		}
		// a grant by a counterparty of any restriction in force, whoever
		// it protects, does not count
		blocked := false
		for _, r := range o.p.Restrictions {
			if r.State(req.At).InForce() && slices.Contains(r.Counterparties, v.Consent.Grantor.Person) {
				blocked = true
			}
		}
		if blocked {
			continue
		}
		for _, p := range v.Consent.Provisions {
			for _, c := range want.List() {
				if o.provisionCovers(p, req, c) {
					by[rec.ID] = by[rec.ID].With(c)
					out = out.With(c)
				}
			}
		}
	}
	return out, by
}

func (o *oracle) provisionCovers(p Provision, req Request, c Category) bool {
	if !p.Period.IsZero() && !p.Period.Contains(req.At) {
		return false
	}
	var kind RecipientKind
	for _, r := range p.Recipients {
		if r.Code == req.Actor.Org {
			kind = r.Kind
		}
	}
	if kind == 0 || !slices.Contains(p.Purposes, req.Purpose) || !slices.Contains(p.Actions, req.Action) {
		return false
	}
	named := slices.Contains(p.Categories, c)
	viaWildcard := slices.Contains(p.Categories, CategoryAny) && !c.Sensitive() && c != CategoryMyNumber
	if !named && !viaWildcard {
		return false
	}
	for _, e := range p.Exceptions {
		recipientOK := len(e.Recipients) == 0 || slices.ContainsFunc(e.Recipients, func(r Recipient) bool { return r.Code == req.Actor.Org })
		if recipientOK &&
			(len(e.Purposes) == 0 || slices.Contains(e.Purposes, req.Purpose)) &&
			(len(e.Actions) == 0 || slices.Contains(e.Actions, req.Action)) &&
			(e.Period.IsZero() || e.Period.Contains(req.At)) &&
			(len(e.Categories) == 0 || slices.Contains(e.Categories, c) || slices.Contains(e.Categories, CategoryAny)) {
			return false
		}
	}
	if kind == RecipientContractor {
		for _, k := range o.p.Contracts {
			if k.Org == req.Actor.Org && k.Period.Contains(req.At) && slices.Contains(k.Categories, c) {
				return true
			}
		}
		return false
	}
	return true
}

// protectedFor reports whether path of subject must never be shown to req's actor.
func (o *oracle) protectedFor(subject, path string, req Request) bool {
	for _, r := range o.restrictionsOn(subject, req.At) {
		if slices.Contains(r.ResponsibleOrgs, req.Actor.Org) {
			continue
		}
		for _, f := range r.ProtectedFields {
			if path == f || strings.HasPrefix(path, f+".") {
				return true
			}
		}
	}
	return false
}

func (g *propGen) view(subject string) View {
	v := View{Subject: subject}
	other := pick(g, propSubjects)
	for _, f := range pickN(g, propFields, 3, 8) {
		f.Value = "v:" + f.Path
		if g.chance(0.25) {
			f.Subject = other
		}
		v.Fields = append(v.Fields, f)
	}
	return v
}

type propStats struct {
	requests, permit, partial, deny, statute, masked, redactions, keptFields, invalid int
}

func runProperty(t *testing.T, seed uint64, requests int) propStats {
	g := &propGen{r: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15)), base: t0}
	var st propStats
	for st.requests < requests {
		p := g.policy(t)
		d, err := Compile(p)
		if err != nil {
			t.Fatalf("seed %d: compile: %v", seed, err)
		}
		log, _ := Replay(p.Events)
		o := &oracle{p: p, recs: log.Records()}
		for range propertyRequestsPerPolicy {
			st.requests++
			req := g.request()
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("seed %d, request %d: %s\nrequest: %+v\npolicy: %+v", seed, st.requests, fmt.Sprintf(format, args...), req, p)
			}
			dec, err := d.Decide(req)
			if err != nil {
				var re *RequestError
				if !errors.As(err, &re) || dec.Allowed() {
					fail("bad error %v or permit %s", err, dec)
				}
				st.invalid++
				continue
			}
			want, by := o.permitted(req)
			if got := dec.Permitted; got&^want != 0 {
				fail("permitted %s which nothing covers (oracle: %s); %s", got&^want, want, dec)
			} else if got != want {
				fail("permitted %s, oracle %s; %s", got, want, dec)
			}
			switch {
			case dec.Permitted.Empty():
				st.deny++
				if dec.Effect != EffectDeny || dec.Basis != BasisNone {
					fail("effect %s basis %s for nothing permitted", dec.Effect, dec.Basis)
				}
			case dec.Withheld.Empty():
				st.permit++
			default:
				st.partial++
			}
			if dec.Basis == BasisStatute {
				st.statute++
				if req.Assertion.Statute == 0 || !dec.ReviewRequired() {
					fail("statutory basis without assertion or review")
				}
			}
			if dec.Basis == BasisConsent {
				ids := dec.ConsentIDs()
				if len(ids) == 0 {
					fail("consent basis without consent ids")
				}
				for _, id := range ids {
					if by[id]&dec.Permitted == 0 {
						fail("consent %s cited but covers nothing permitted", id)
					}
				}
			}
			if len(dec.Masks()) > 0 {
				st.masked++
			}

			// Redaction of a random view over this request.
			v := g.view(req.Subject)
			rv, err := d.Redact(req, v)
			if err != nil {
				fail("redact: %v", err)
			}
			st.redactions++
			if len(rv.Fields)+len(rv.Withheld) != len(v.Fields) {
				fail("redaction lost fields: %d kept + %d withheld != %d", len(rv.Fields), len(rv.Withheld), len(v.Fields))
			}
			for _, f := range rv.Fields {
				st.keptFields++
				subj := f.subject(&v)
				if o.protectedFor(subj, f.Path, req) {
					fail("DV-protected field %s of %s appears in the redacted view", f.Path, subj)
				}
				if f.Category == CategoryMyNumber || !f.Category.Valid() {
					fail("field %s with category %s kept", f.Path, f.Category)
				}
				r := req
				r.Subject, r.Categories = subj, 0
				for _, vf := range v.Fields {
					if vf.subject(&v) == subj {
						r.Categories = r.Categories.With(vf.Category)
					}
				}
				r.Categories &^= myNumberBit
				if covered, _ := o.permitted(r); !covered.Has(f.Category) {
					fail("field %s (%s) of %s kept but not covered", f.Path, f.Category, subj)
				}
			}
		}
	}
	return st
}

func TestPropertyDecisions(t *testing.T) {
	start := time.Now()
	st := runProperty(t, *propSeed, propertyRequests)
	t.Logf("seed %d: %d requests (%d permit, %d partial, %d deny, %d statutory, %d masked, %d invalid), %d redactions keeping %d fields, in %v",
		*propSeed, st.requests, st.permit, st.partial, st.deny, st.statute, st.masked, st.invalid, st.redactions, st.keptFields, time.Since(start))
	if st.requests < propertyRequests {
		t.Fatalf("ran %d requests, want %d", st.requests, propertyRequests)
	}
	// The generator must exercise every outcome, or the test proves little.
	for name, n := range map[string]int{"permit": st.permit, "partial": st.partial, "deny": st.deny,
		"statutory": st.statute, "masked": st.masked, "invalid": st.invalid} {
		if n < st.requests/200 {
			t.Errorf("only %d %s decisions in %d requests: the generator is too narrow", n, name, st.requests)
		}
	}
}
