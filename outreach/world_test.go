package outreach

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

// The test world: a desk of a municipality on one store, the national
// pack, the default texts, and families built for each filter.

const (
	tenant = "131016"
	desk   = "hitorioya-desk"
)

var roles = map[string]casefile.Permission{
	"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent,
	"outreach":   casefile.PermRead | casefile.PermWrite,
	"auditor":    casefile.PermAudit,
}

var (
	worker = casefile.Actor{Tenant: tenant, User: "staff-a", Org: desk, Role: "caseworker"}
	system = casefile.Actor{Tenant: tenant, User: "outreach-batch", Org: desk, Role: "outreach", Client: "onestop-outreach"}
)

var engineOnce = sync.OnceValues(func() (*eligibility.Engine, error) {
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		return nil, err
	}
	return eligibility.Compile([]*eligibility.Pack{nat})
})

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

type world struct {
	t    testing.TB
	ctx  context.Context
	st   casefile.Store
	svc  *casefile.Service
	clk  *clock
	msgs *Messages
	run  *Runner
	n    int
}

// asOf is the date the tests screen for: Friday 4 December 2026.
var asOf = civil.MustDate(2026, 12, 4)

func newWorld(t testing.TB, st casefile.Store, opts ...Option) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: st, clk: &clock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, jst)}}
	svc, err := casefile.New(st, casefile.Config{Roles: roles, Now: w.clk.now, QueryKey: []byte("outreach test")})
	require.NoError(t, err)
	w.svc = svc
	eng, err := engineOnce()
	require.NoError(t, err)
	w.msgs, err = DefaultMessages(testDesk)
	require.NoError(t, err)
	w.run, err = New(svc, eng, w.msgs, opts...)
	require.NoError(t, err)
	return w
}

// fam describes a family: a mother after divorce with one child and a low
// income, so that 児童扶養手当 is worth a notice, unless a field says
// otherwise.
type fam struct {
	consent   string // "notify" (default), "none", "withdrawn", "expired", "sharing", "view_only"
	notOK     bool   // the mobile phone is not a contact the mother chose
	safeTimes string // default 平日9時〜17時
	dv        []string
	receiving []string // programmes already received
	applied   []string
	language  string // the consent notice's language (default ja)
	amountsOK bool
	contacts  []casefile.Contact // replaces the mobile phone
	dvShares  bool               // the counterparty has the same phone
}

type family struct {
	mother, child, father casefile.Person
	cf                    casefile.CaseFile
}

func (w *world) family(f fam) family {
	w.t.Helper()
	w.n++
	var out family
	out.mother = casefile.Person{Name: casefile.Name{Family: "試験", Given: fmt.Sprintf("母%d", w.n)}, BirthDate: civil.MustDate(1990, 5, 1), Sex: "female",
		Address: casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1丁目", Block: fmt.Sprintf("%d-1", w.n)},
		Incomes: []casefile.Income{{Year: 2024, Kind: "salary_revenue", Amount: 1_500_000}, {Year: 2025, Kind: "salary_revenue", Amount: 1_500_000},
			{Year: 2024, Kind: "deductions_none"}, {Year: 2025, Kind: "deductions_none"}}}
	safe := "平日9時〜17時"
	if f.safeTimes != "" {
		safe = f.safeTimes
	}
	phone := fmt.Sprintf("090-1234-%04d", w.n)
	out.mother.Contacts = []casefile.Contact{{Type: "mobile", Value: phone, OKToContact: !f.notOK, SafeTimes: safe, Preferred: true, AmountsOK: f.amountsOK}}
	if f.contacts != nil {
		out.mother.Contacts = f.contacts
	}
	out.child = casefile.Person{Name: casefile.Name{Family: "試験", Given: fmt.Sprintf("子%d", w.n)}, BirthDate: civil.MustDate(2018, 8, 8)}
	out.father = casefile.Person{Name: casefile.Name{Family: "相手", Given: fmt.Sprintf("父%d", w.n)}}
	if f.dvShares {
		out.father.Contacts = []casefile.Contact{{Type: "mobile", Value: phone}}
	}
	require.NoError(w.t, w.svc.Change(w.ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, p := range []*casefile.Person{&out.mother, &out.child, &out.father} {
			if err := c.Create(p); err != nil {
				return err
			}
		}
		out.cf = casefile.CaseFile{SubjectID: out.mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk, OpenedOn: civil.MustDate(2026, 4, 1), Situation: "divorced"}
		if err := c.Create(&out.cf); err != nil {
			return err
		}
		for _, m := range []casefile.HouseholdMember{
			{CaseID: out.cf.ID, PersonID: out.mother.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true)},
			{CaseID: out.cf.ID, PersonID: out.child.ID, Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(true)},
		} {
			if err := c.Create(&m); err != nil {
				return err
			}
		}
		for prog, status := range map[string][]string{"receiving": f.receiving, "applied": f.applied} {
			for _, p := range status {
				su := casefile.SupportInUse{PersonID: out.mother.ID, CaseID: out.cf.ID, SchemeCode: p, Status: prog, SourceSystem: "jukyu", AsOf: w.clk.now().Add(-time.Hour)}
				if err := c.Create(&su); err != nil {
					return err
				}
			}
		}
		if len(f.dv) > 0 {
			r := casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV, Subjects: []string{out.mother.ID},
				Counterparties: []string{out.father.ID}, ProtectedFields: f.dv, ResponsibleOrgs: []string{desk},
				Period: consent.Period{Start: w.clk.now().AddDate(0, -1, 0), End: w.clk.now().AddDate(1, 0, 0)}, Source: "警察署", VerifiedBy: "staff-a"}}
			if err := c.Create(&r); err != nil {
				return err
			}
		}
		return nil
	}))
	w.consents(out, f)
	return out
}

// consents records the family's consents as the case says.
func (w *world) consents(out family, f fam) {
	kind := f.consent
	if kind == "" {
		kind = "notify"
	}
	if kind == "none" {
		return
	}
	given := w.clk.now().AddDate(0, -2, 0)
	end := given.AddDate(1, 0, 0)
	if kind == "expired" {
		end = w.clk.now().AddDate(0, 0, -1)
	}
	purpose := consent.PurposeNotification
	if kind == "sharing" {
		purpose = consent.PurposeSharing
	}
	lang := "ja"
	if f.language != "" {
		lang = f.language
	}
	for i, who := range []casefile.Person{out.mother, out.child} {
		cats := []consent.Category{consent.CategoryIdentity, consent.CategoryHousehold, consent.CategoryIncomeTax, consent.CategorySupportInUse}
		acts := []consent.Action{consent.ActionView}
		grantor := consent.Grantor{Person: who.ID, Capacity: consent.CapacitySelf}
		if i == 0 {
			cats = append(cats, consent.CategoryContact)
			if kind != "view_only" {
				acts = append(acts, consent.ActionNotify)
			}
		} else {
			grantor = consent.Grantor{Person: out.mother.ID, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"}
		}
		id := fmt.Sprintf("c-%d-%d", w.n, i)
		cs := consent.Consent{ID: id, Subject: who.ID, Grantor: grantor, Manager: desk, GivenAt: given,
			Period:   consent.Period{Start: given, End: end},
			Notice:   consent.Notice{Version: "1", TextHash: consent.HashNotice("通知の説明"), Language: lang, ShownAt: given.Add(-time.Minute)},
			Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-" + id, RecordedBy: "staff-a"},
			Provisions: []consent.Provision{{Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: desk, Name: "ひとり親相談窓口"}},
				Purposes: []consent.Purpose{purpose}, Actions: acts, Categories: cats}}}
		_, err := w.svc.RecordConsent(w.ctx, worker, who.ID, consent.Event{ConsentID: id, Type: consent.EventGiven, At: given, EffectiveAt: given,
			By: "staff-a", Evidence: &cs.Evidence, Consent: &cs})
		require.NoError(w.t, err)
		if kind == "withdrawn" && i == 0 {
			at := w.clk.now().Add(-time.Hour)
			_, err := w.svc.RecordConsent(w.ctx, worker, who.ID, consent.Event{ConsentID: id, Type: consent.EventWithdrawn, At: at, EffectiveAt: at,
				By: "staff-a", Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W-" + id, RecordedBy: "staff-a"}})
			require.NoError(w.t, err)
		}
	}
}

// outbox returns the desk's outbox.
func (w *world) outbox() []casefile.Notification {
	w.t.Helper()
	ns, err := w.svc.Notifications(w.ctx, system, casefile.NotificationQuery{})
	require.NoError(w.t, err)
	return ns
}

// outboxOf returns the notifications to one person.
func (w *world) outboxOf(person string) []casefile.Notification {
	var out []casefile.Notification
	for _, n := range w.outbox() {
		if n.PersonID == person {
			out = append(out, n)
		}
	}
	return out
}

func (w *world) runOnce(dry bool) *Report {
	w.t.Helper()
	rep, err := w.run.Run(w.ctx, system, asOf, RunOptions{DryRun: dry})
	require.NoError(w.t, err)
	return rep
}

func dumpJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
