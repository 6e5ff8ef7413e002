package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// The service-level part of the suite: the privacy, audit and concurrency
// guarantees of casefile.Service, run on every store. The family is the one
// of the privacy probe of 2026-12 (docs/casefile.md): a mother M under a
// DV等支援措置 against F, her child C at the same address, a case owned by
// the ひとり親 desk with a DV-labelled consultation.

var jst = time.FixedZone("JST", 9*60*60)

// Organisations of the fixture.
const (
	desk     = "hitorioya-desk" // owns the case; responsible desk of the DV measure
	kosodate = "kosodate-shien" // another department of the city
	zeimu    = "zeimu-ka"       // tax department: no consent at all
)

// Canaries: values that must never reach a reader the decision does not
// permit. Each is unique in the fixture, so finding it in an output is a
// leak of exactly that field.
const (
	secretBlock   = "1-1-SECRET"    // M's (and C's) protected address
	secretPhone   = "090-1111-2222" // M's protected contact
	secretNote    = "元夫から避難中"       // the case note of a DV case
	secretSummary = "避難先シェルターSHELTER-7"
	motherGiven   = "花子"
	childGiven    = "さくら"
	childGrade    = "3級"
	motherIncome  = 2_000_123
)

var serviceRoles = map[string]casefile.Permission{
	"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent |
		casefile.PermExport | casefile.PermImport,
	"writer":      casefile.PermRead | casefile.PermWrite,
	"staff":       casefile.PermRead,
	"exporter":    casefile.PermRead | casefile.PermExport,
	"consentdesk": casefile.PermRead | casefile.PermConsent,
	"auditor":     casefile.PermAudit,
	"reporter":    casefile.PermReport,
	"statistics":  casefile.PermStatistics,
}

func actor(user, org, role string) casefile.Actor {
	return casefile.Actor{Tenant: tenant, User: user, Org: org, Role: role}
}

// clock is the fixture's settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// today is the fixture clock's day in Japan: the date households are
// screened for unless a test says otherwise.
func (f *fixture) today() civil.Date { return civil.DateOf(f.clk.t.In(jst)) }

// fixture is the probe's family on a fresh store.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	st     casefile.Store
	svc    *casefile.Service
	clk    *clock
	W      casefile.Actor // caseworker at the desk
	M, C   casefile.Person
	F      casefile.Person // the counterparty (相手方), in no case
	CF     casefile.CaseFile
	note   casefile.Consultation
	dvNote casefile.Consultation
	prog   casefile.Program
	R      casefile.AddressRestriction
}

func newFixture(t *testing.T, newStore Factory) *fixture {
	return newFixtureConfig(t, newStore, casefile.Config{})
}

func newFixtureConfig(t *testing.T, newStore Factory, cfg casefile.Config) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), st: newStore(t), clk: &clock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, jst)}}
	cfg.Roles = serviceRoles
	cfg.Now = f.clk.now
	if cfg.QueryKey == nil {
		cfg.QueryKey = []byte("storetest query key")
	}
	svc, err := casefile.New(f.st, cfg)
	require.NoError(t, err)
	f.svc = svc
	f.W = actor("staff-a", desk, "caseworker")
	f.M = casefile.Person{
		ExternalIDs: []casefile.ExternalID{{System: "atena", Value: "0012345"}},
		Name:        casefile.Name{Family: "山田", Given: motherGiven, FamilyKana: "ヤマダ", GivenKana: "ハナコ"},
		BirthDate:   civil.MustDate(1990, 5, 1), Sex: "female",
		Address:  casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1丁目", Block: secretBlock},
		Contacts: []casefile.Contact{{Type: "mobile", Value: secretPhone, OKToContact: true}},
		Incomes:  []casefile.Income{{Year: 2025, Kind: "salary_revenue", Amount: motherIncome, Source: "課税証明書"}},
	}
	f.C = casefile.Person{Name: casefile.Name{Family: "山田", Given: childGiven}, BirthDate: civil.MustDate(2015, 7, 7), Sex: "female",
		Address:    f.M.Address,
		Disability: &casefile.Disability{Kind: "physical", Grade: childGrade}}
	f.F = casefile.Person{Name: casefile.Name{Family: "佐藤", Given: "一郎"}, BirthDate: civil.MustDate(1988, 3, 3), Sex: "male"}
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, p := range []*casefile.Person{&f.M, &f.C, &f.F} {
			if err := c.Create(p); err != nil {
				return err
			}
		}
		f.CF = casefile.CaseFile{SubjectID: f.M.ID, Status: casefile.StatusOpen, OwnerOrg: desk, AssignedStaff: []string{"staff-a"},
			OpenedOn: civil.MustDate(2026, 6, 1), IntakeRoute: "counter", Situation: "dv_protection_order", Note: secretNote}
		if err := c.Create(&f.CF); err != nil {
			return err
		}
		for _, m := range []casefile.HouseholdMember{
			{CaseID: f.CF.ID, PersonID: f.M.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true), RegisteredSameHousehold: new(true)},
			{CaseID: f.CF.ID, PersonID: f.C.ID, Relationship: casefile.Relationship{Code: "child", Text: "長女"}, LivesWith: new(true), RegisteredSameHousehold: new(true)},
		} {
			if err := c.Create(&m); err != nil {
				return err
			}
		}
		f.prog = casefile.Program{CaseID: f.CF.ID, Goals: []string{"就職する"}, ReviewDue: civil.MustDate(2027, 3, 31)}
		if err := c.Create(&f.prog); err != nil {
			return err
		}
		f.note = casefile.Consultation{CaseID: f.CF.ID, OccurredAt: time.Date(2026, 6, 1, 10, 0, 0, 0, jst), Channel: "counter",
			Staff: "staff-a", Org: desk, Topics: []string{"employment"}, Summary: "就職の相談"}
		if err := c.Create(&f.note); err != nil {
			return err
		}
		f.dvNote = casefile.Consultation{CaseID: f.CF.ID, OccurredAt: time.Date(2026, 6, 8, 10, 0, 0, 0, jst), Channel: "phone",
			Staff: "staff-a", Org: desk, Topics: []string{"dv"}, Summary: secretSummary, Labels: []string{"dv_related"}}
		if err := c.Create(&f.dvNote); err != nil {
			return err
		}
		f.R = casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV,
			Subjects: []string{f.M.ID}, Counterparties: []string{f.F.ID},
			ProtectedFields: []string{"address", "contacts"}, ResponsibleOrgs: []string{desk},
			Period: consent.Period{Start: time.Date(2026, 6, 1, 0, 0, 0, 0, jst), End: time.Date(2027, 6, 1, 0, 0, 0, 0, jst)},
			Source: "配偶者暴力相談支援センター", VerifiedBy: "staff-a"}}
		return c.Create(&f.R)
	}))
	return f
}

// consentSpec describes a consent for give.
type consentSpec struct {
	id        string
	subject   string
	grantor   string // empty: the subject, as self
	capacity  consent.Capacity
	orgs      []string
	purposes  []consent.Purpose
	actions   []consent.Action
	cats      []consent.Category
	excepting []consent.Category // an exception for every recipient
}

const time1h = time.Hour

// give records a consent through the Service and fails the test on error.
func (f *fixture) give(c consentSpec) {
	f.t.Helper()
	_, err := f.svc.RecordConsent(f.ctx, f.W, c.subject, c.event(f.clk.t.Add(-time.Hour)))
	require.NoError(f.t, err)
}

func (c consentSpec) event(at time.Time) consent.Event {
	g := consent.Grantor{Person: c.subject, Capacity: consent.CapacitySelf}
	if c.grantor != "" && c.grantor != c.subject {
		g = consent.Grantor{Person: c.grantor, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"}
	}
	if c.capacity != 0 {
		g.Capacity = c.capacity
	}
	var rs []consent.Recipient
	for _, o := range c.orgs {
		rs = append(rs, consent.Recipient{Kind: consent.RecipientDepartment, Code: o, Name: o})
	}
	p := consent.Provision{Recipients: rs, Purposes: c.purposes, Actions: c.actions, Categories: c.cats}
	if len(c.excepting) > 0 {
		p.Exceptions = []consent.Provision{{Categories: c.excepting}}
	}
	cs := consent.Consent{ID: c.id, Subject: c.subject, Grantor: g, Manager: desk, GivenAt: at,
		Period:     consent.Period{Start: at, End: at.AddDate(1, 0, 0)},
		Notice:     consent.Notice{Version: "1", TextHash: consent.HashNotice("説明文"), Language: "ja", ShownAt: at.Add(-time.Minute)},
		Evidence:   consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-" + c.id, RecordedBy: "staff-a"},
		Provisions: []consent.Provision{p}}
	return consent.Event{ConsentID: c.id, Type: consent.EventGiven, At: at, EffectiveAt: at, By: "staff-a", Evidence: &cs.Evidence, Consent: &cs}
}

func purposes(p ...consent.Purpose) []consent.Purpose { return p }
func actions(a ...consent.Action) []consent.Action    { return a }
func cats(c ...consent.Category) []consent.Category   { return c }

// head returns the current audit head's sequence number.
func (f *fixture) head() uint64 {
	f.t.Helper()
	h, err := f.st.AuditHead(f.ctx, tenant)
	require.NoError(f.t, err)
	return h.Seq
}

// since returns the audit entries after seq.
func (f *fixture) since(seq uint64) []audit.Entry {
	f.t.Helper()
	var out []audit.Entry
	require.NoError(f.t, f.st.ScanAudit(f.ctx, tenant, seq+1, func(e audit.Entry) error { out = append(out, e); return nil }))
	return out
}

// dump is everything a caller received, as text, to search for canaries.
func dump(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	// Go values too: a field with a json:"-" tag is still handed over.
	return string(b) + fmt.Sprintf("%+v", v)
}

// assertNoneOf fails for every canary found in out.
func assertNoneOf(t *testing.T, out string, what string, canaries ...string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(out, c) {
			t.Errorf("%s: %q leaked", what, c)
		}
	}
}

// assertAllOf fails for every canary missing from out.
func assertAllOf(t *testing.T, out string, what string, canaries ...string) {
	t.Helper()
	for _, c := range canaries {
		if !strings.Contains(out, c) {
			t.Errorf("%s: %q missing", what, c)
		}
	}
}

// allSecrets are the values only the responsible desk (with PermSensitive)
// may see.
var allSecrets = []string{secretBlock, secretPhone, secretNote, secretSummary, childGrade}
