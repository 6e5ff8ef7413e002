package casefile_test

import (
	"context"
	"github.com/onestop-jp/onestop/civil"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/consent"
)

var jst = time.FixedZone("JST", 9*60*60)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

const (
	tenant   = "131016"
	desk     = "hitorioya-desk"
	kosodate = "kosodate-shien"
)

var roles = map[string]casefile.Permission{
	"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive | casefile.PermConsent |
		casefile.PermExport | casefile.PermImport | casefile.PermReport,
	"staff":      casefile.PermRead,
	"writer":     casefile.PermRead | casefile.PermWrite,
	"auditor":    casefile.PermAudit,
	"statistics": casefile.PermStatistics,
}

var (
	worker   = casefile.Actor{Tenant: tenant, User: "staff-a", Org: desk, Role: "caseworker"}
	other    = casefile.Actor{Tenant: tenant, User: "staff-k", Org: kosodate, Role: "staff"}
	auditor  = casefile.Actor{Tenant: tenant, User: "audit-1", Org: "audit-office", Role: "auditor"}
	stranger = casefile.Actor{Tenant: tenant, User: "staff-x", Org: kosodate, Role: "none"}
)

// family is a case with a mother, a child and the usual records.
type family struct {
	mother, child, father casefile.Person
	cf                    casefile.CaseFile
	program               casefile.Program
	note, dvNote          casefile.Consultation
}

func newService(t testing.TB, cfg casefile.Config) (*casefile.Service, *memstore.Store, *clock) {
	t.Helper()
	st := memstore.New()
	clk := &clock{t: time.Date(2025, 6, 2, 10, 0, 0, 0, jst)}
	cfg.Roles = roles
	cfg.Now = clk.now
	s, err := casefile.New(st, cfg)
	require.NoError(t, err)
	return s, st, clk
}

// tb is what the fixtures need of a testing.TB, so examples can use them too.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

func seedFamily(t tb, s *casefile.Service) *family {
	t.Helper()
	f := &family{}
	f.mother = casefile.Person{
		ExternalIDs: []casefile.ExternalID{{System: "atena", Value: "0012345"}},
		Name:        casefile.Name{Family: "山田", Given: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ", FormerFamily: "佐藤"},
		BirthDate:   civil.MustDate(1990, 5, 1), Sex: "female",
		Address:  casefile.Address{PostalCode: "1000001", Prefecture: "東京都", City: "千代田区", Town: "千代田1丁目", Block: "1-1"},
		Contacts: []casefile.Contact{{Type: "mobile", Value: "090-0000-0000", OKToContact: true, SafeTimes: "平日10時〜15時"}},
		Incomes:  []casefile.Income{{Year: 2024, Kind: "salary_revenue", Amount: 2_000_000, Source: "課税証明書"}},
	}
	f.child = casefile.Person{Name: casefile.Name{Family: "山田", Given: "太郎"}, BirthDate: civil.MustDate(2015, 7, 7), Sex: "male",
		Disability: &casefile.Disability{Kind: "physical", Grade: "3"}}
	f.father = casefile.Person{Name: casefile.Name{Family: "佐藤", Given: "一郎"}}
	err := s.Change(context.Background(), worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, p := range []*casefile.Person{&f.mother, &f.child, &f.father} {
			if err := c.Create(p); err != nil {
				return err
			}
		}
		f.cf = casefile.CaseFile{SubjectID: f.mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk, AssignedStaff: []string{"staff-a"},
			OpenedOn: civil.MustDate(2025, 4, 1), IntakeRoute: "counter", Situation: "divorced"}
		if err := c.Create(&f.cf); err != nil {
			return err
		}
		for _, m := range []casefile.HouseholdMember{
			{CaseID: f.cf.ID, PersonID: f.mother.ID, Relationship: casefile.Relationship{Code: "self", Text: "本人"}, LivesWith: new(true), RegisteredSameHousehold: new(true)},
			{CaseID: f.cf.ID, PersonID: f.child.ID, Relationship: casefile.Relationship{Code: "child", Text: "長男"}, LivesWith: new(true), RegisteredSameHousehold: new(true)},
		} {
			if err := c.Create(&m); err != nil {
				return err
			}
		}
		f.program = casefile.Program{CaseID: f.cf.ID, Goals: []string{"正社員として就職する"}, ReviewDue: civil.MustDate(2025, 9, 30),
			Measures: []casefile.Measure{{Type: "高等職業訓練促進給付金", Provider: "ハローワーク", Status: "planned"}}}
		if err := c.Create(&f.program); err != nil {
			return err
		}
		f.note = casefile.Consultation{CaseID: f.cf.ID, OccurredAt: time.Date(2025, 4, 1, 10, 0, 0, 0, jst), Channel: "counter",
			Staff: "staff-a", Org: desk, Topics: []string{"employment", "child_support"}, Summary: "就職と養育費の相談"}
		if err := c.Create(&f.note); err != nil {
			return err
		}
		f.dvNote = casefile.Consultation{CaseID: f.cf.ID, OccurredAt: time.Date(2025, 4, 8, 10, 0, 0, 0, jst), Channel: "phone",
			Staff: "staff-a", Org: desk, Topics: []string{"dv"}, Summary: "元夫からの連絡について", Labels: []string{"dv_related"}}
		return c.Create(&f.dvNote)
	})
	require.NoError(t, err)
	return f
}

// shareConsent is the mother's consent: the child-support department may
// view her identity and contacts for sharing.
func shareConsent(subject string) consent.Event {
	at := time.Date(2025, 4, 1, 10, 0, 0, 0, jst)
	c := consent.Consent{
		ID: "c-2025-0001", Subject: subject,
		Grantor: consent.Grantor{Person: subject, Capacity: consent.CapacitySelf},
		Manager: desk, GivenAt: at,
		Period:   consent.Period{Start: at, End: time.Date(2026, 4, 1, 0, 0, 0, 0, jst)},
		Notice:   consent.Notice{Version: "3", TextHash: consent.HashNotice("同意説明文 第3版"), Language: "ja", ShownAt: at.Add(-10 * time.Minute)},
		Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-2025-0001", RecordedBy: "staff-a"},
		Provisions: []consent.Provision{{
			Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: kosodate, Name: "子育て支援課"}},
			Purposes:   []consent.Purpose{consent.PurposeSharing},
			Actions:    []consent.Action{consent.ActionView},
			Categories: []consent.Category{consent.CategoryIdentity, consent.CategoryContact},
		}},
	}
	return consent.Event{ConsentID: c.ID, Type: consent.EventGiven, At: at, EffectiveAt: at, By: "staff-a", Evidence: &c.Evidence, Consent: &c}
}
