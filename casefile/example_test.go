package casefile_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/consent"
)

func exampleService() (*casefile.Service, *family) {
	s, err := casefile.New(memstore.New(), casefile.Config{Roles: roles, Now: func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, jst) }})
	if err != nil {
		panic(err)
	}
	return s, seedFamily(nopTB{}, s)
}

// Create a household's case in one atomic, audited change set.
func ExampleService_Change() {
	s, _ := casefile.New(memstore.New(), casefile.Config{Roles: roles})
	ctx := context.Background()
	var cf casefile.CaseFile
	err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		mother := casefile.Person{Name: casefile.Name{Family: "山田", Given: "花子", FamilyKana: "ヤマダ", GivenKana: "ハナコ"},
			BirthDate: civil.MustDate(1990, 5, 1), ExternalIDs: []casefile.ExternalID{{System: "atena", Value: "0012345"}}}
		if err := c.Create(&mother); err != nil {
			return err
		}
		cf = casefile.CaseFile{SubjectID: mother.ID, Status: casefile.StatusOpen, OwnerOrg: worker.Org, OpenedOn: civil.MustDate(2025, 4, 1)}
		return c.Create(&cf)
	})
	fmt.Println(err, cf.Version, casefile.ValidID(cf.ID))

	// A stale update is refused with the current version.
	stale := cf
	cf.Status = casefile.StatusMonitoring
	_ = s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&cf) })
	stale.Status = casefile.StatusClosed
	stale.ClosedOn = civil.MustDate(2025, 6, 1)
	err = s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&stale) })
	var ce *casefile.ConflictError
	fmt.Println(errors.As(err, &ce), ce.Current)
	// Output:
	// <nil> 1 true
	// true 2
}

// Another department sees only what the mother consented to share.
func ExampleService_ReadCase() {
	s, f := exampleService()
	ctx := context.Background()
	if _, err := s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID)); err != nil {
		panic(err)
	}
	v, _ := s.ReadCase(ctx, other, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	m, _ := v.Person(f.mother.ID)
	name, _ := m.View.Get("name.family")
	fmt.Println("basis:", v.Basis)
	fmt.Println("name:", name)
	fmt.Println("income shown:", m.View.Has("incomes.0.amount"))
	fmt.Println("consultations shown:", len(v.Case.Fields))
	// Output:
	// basis: consent
	// name: 山田
	// income shown: false
	// consultations shown: 0
}

// A resident asks who received their data.
func ExampleService_Disclosures() {
	s, f := exampleService()
	ctx := context.Background()
	_, _ = s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID))
	_, _ = s.ReadCase(ctx, other, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	ds, _ := s.Disclosures(ctx, auditor, f.mother.ID)
	for _, d := range ds {
		fmt.Println(d.At.In(jst).Format("2006-01-02"), d.Recipient, d.Basis, d.ConsentIDs, d.Categories)
	}
	// Output:
	// 2025-06-02 kosodate-shien consent [c-2025-0001] [identity contact]
}

// Verify the audit log against checkpoints exported to an outside copy.
func ExampleService_VerifyAudit() {
	signer, _ := audit.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	var outside bytes.Buffer // the audit division's copy
	s, err := casefile.New(memstore.New(), casefile.Config{Roles: roles, Signer: signer,
		Sink: &audit.WriterSink{W: &outside}, CheckpointEvery: 5})
	if err != nil {
		panic(err)
	}
	seedFamily(nopTB{}, s)
	cps, _ := audit.ReadCheckpoints(&outside)
	rep, err := s.VerifyAudit(context.Background(), auditor, signer.Public(), cps)
	fmt.Println(err, rep.Entries, len(cps) > 0 && rep.CheckpointsChecked == len(cps))
	// Output:
	// <nil> 9 true
}

// nopTB lets the test fixtures run inside examples: a failure panics.
type nopTB struct{}

func (nopTB) Helper()                           {}
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) FailNow()                          { panic("fixture failed") }
