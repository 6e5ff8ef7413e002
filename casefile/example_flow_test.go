package casefile_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

// The README's second Go program: the single-parent desk records a family
// (電子個人票), the mother consents to the child-support department using
// her identity, household and income data, and that department screens
// the family from the record — within the consent, audited. Without the
// consent the read is refused. TestReadmePrograms checks that the README
// shows exactly this body and this output.
func Example_caseRecordAndConsent() {
	ctx := context.Background()
	jst := time.FixedZone("JST", 9*3600)
	// The service's clock (time.Now by default); memstore for the example, sqlstore.OpenSQLite or OpenPostgres in production.
	today := func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, jst) }
	svc, err := casefile.New(memstore.New(), casefile.Config{Now: today, Roles: map[string]casefile.Permission{
		"caseworker": casefile.PermRead | casefile.PermWrite | casefile.PermConsent,
		"staff":      casefile.PermRead,
	}})
	if err != nil {
		log.Fatal(err)
	}
	desk := casefile.Actor{Tenant: "131016", User: "staff-a", Org: "hitorioya-desk", Role: "caseworker"}
	kosodate := casefile.Actor{Tenant: "131016", User: "staff-k", Org: "kosodate-shien", Role: "staff"}

	// The desk records the family in one atomic, audited change set.
	mother := casefile.Person{Name: casefile.Name{Family: "山田", Given: "花子"}, BirthDate: civil.MustDate(1990, 5, 1), Sex: "female",
		Incomes: []casefile.Income{{Year: 2024, Kind: "salary_revenue", Amount: 2_000_000}}}
	child := casefile.Person{Name: casefile.Name{Family: "山田", Given: "太郎"}, BirthDate: civil.MustDate(2015, 7, 7)}
	var cf casefile.CaseFile
	err = svc.Change(ctx, desk, consent.PurposeConsultation, func(c *casefile.Changes) error {
		for _, p := range []*casefile.Person{&mother, &child} {
			if err := c.Create(p); err != nil {
				return err
			}
		}
		cf = casefile.CaseFile{SubjectID: mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk.Org, OpenedOn: civil.MustDate(2025, 4, 1), Situation: "divorced"}
		if err := c.Create(&cf); err != nil {
			return err
		}
		for _, m := range []casefile.HouseholdMember{
			{CaseID: cf.ID, PersonID: mother.ID, Relationship: casefile.Relationship{Code: "self"}, LivesWith: new(true)},
			{CaseID: cf.ID, PersonID: child.ID, Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(true)},
		} {
			if err := c.Create(&m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	// Without consent the other department gets nothing (and the refusal is audited).
	read := casefile.ReadOptions{Purpose: consent.PurposeSharing}
	asOf := civil.DateOf(today()) // the date screened for: the household as it stands that day
	_, err = svc.Household(ctx, kosodate, cf.ID, asOf, read)
	fmt.Println("before consent:", errors.Is(err, casefile.ErrDenied))

	// The mother consents, on paper at the desk, for one year: for herself and, as 親権者, for her son.
	at := time.Date(2025, 4, 1, 10, 0, 0, 0, jst)
	consents := map[string]consent.Grantor{
		"c-2025-0001": {Person: mother.ID, Capacity: consent.CapacitySelf},
		"c-2025-0002": {Person: mother.ID, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"},
	}
	for id, subject := range map[string]string{"c-2025-0001": mother.ID, "c-2025-0002": child.ID} {
		c := consent.Consent{ID: id, Subject: subject, Grantor: consents[id], Manager: desk.Org, GivenAt: at,
			Period:   consent.Period{Start: at, End: at.AddDate(1, 0, 0)},
			Notice:   consent.Notice{Version: "3", TextHash: consent.HashNotice("同意説明文 第3版"), Language: "ja", ShownAt: at.Add(-10 * time.Minute)},
			Evidence: consent.Evidence{Channel: consent.ChannelPaper, Ref: "DOC-2025-0001", RecordedBy: desk.User},
			Provisions: []consent.Provision{{
				Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: kosodate.Org, Name: "子育て支援課"}},
				Purposes:   []consent.Purpose{consent.PurposeSharing},
				Actions:    []consent.Action{consent.ActionView},
				Categories: []consent.Category{consent.CategoryIdentity, consent.CategoryHousehold, consent.CategoryIncomeTax},
			}}}
		ev := consent.Event{ConsentID: id, Type: consent.EventGiven, At: at, EffectiveAt: at, By: desk.User, Evidence: &c.Evidence, Consent: &c}
		if _, err := svc.RecordConsent(ctx, desk, subject, ev); err != nil {
			log.Fatal(err)
		}
	}

	// Now the department screens the family from the record: only the consented categories reach the engine.
	h, err := svc.Household(ctx, kosodate, cf.ID, asOf, read)
	if err != nil {
		log.Fatal(err)
	}
	pack, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		log.Fatal(err)
	}
	engine, err := eligibility.Compile([]*eligibility.Pack{pack})
	if err != nil {
		log.Fatal(err)
	}
	s, err := engine.Screen(ctx, h, asOf, eligibility.OnlyPrograms("child-allowance", "single-parent-deduction"))
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range s.Results {
		fmt.Println(o)
	}
	// Output:
	// before consent: true
	// 児童手当: 判定保留（要確認: 申請者の日本国内に住所があるか、子の施設入所・里親委託の有無、子の日本国内に住所があるか）
	// ひとり親控除: 判定保留（要確認: 申請者と子どもの関係（父母か養育者か）、事実婚の相手がいるか、申請者の2024年分の事業所得、申請者の2024年分のその他の所得、申請者の2024年分の公的年金等の収入、子の2024年分の所得）
}
