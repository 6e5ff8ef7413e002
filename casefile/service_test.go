package casefile_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

func auditLog(t *testing.T, s *casefile.Service) []audit.Entry {
	var out []audit.Entry
	require.NoError(t, s.Store().ScanAudit(context.Background(), tenant, 1, func(e audit.Entry) error { out = append(out, e); return nil }))
	return out
}

func TestOwnerReadsByRole(t *testing.T) {
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	v, err := s.ReadCase(context.Background(), worker, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assert.Equal(t, "role", v.Basis)
	mother, ok := v.Person(f.mother.ID)
	require.True(t, ok)
	assert.True(t, mother.View.Has("address.city"))
	assert.True(t, mother.View.Has("incomes.0.amount"))
	assert.True(t, mother.View.Has("household.relationship.code"))
	child, _ := v.Person(f.child.ID)
	assert.True(t, child.View.Has("disability.kind"), "the desk's role includes 要配慮 data")
	assert.True(t, v.Case.Has("consultations.1.summary"), "DV-labelled entry visible to the desk")
	assert.True(t, v.Case.Has("program.goals.0"))
	assert.Empty(t, mother.View.Withheld)

	// Every person's read was audited, by role, with no recipient (internal use).
	log := auditLog(t, s)
	last := log[len(log)-3:]
	for _, e := range last {
		assert.Equal(t, audit.ActionRead, e.Action)
		assert.Equal(t, "role", e.Basis.Kind)
		assert.Empty(t, e.Recipient)
	}
}

func TestOtherDepartmentNeedsConsent(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	read := func() *casefile.CaseView {
		v, err := s.ReadCase(ctx, other, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
		require.NoError(t, err)
		return v
	}
	v := read()
	_, shown := v.Person(f.mother.ID)
	assert.False(t, shown, "deny by default: a person nothing may be shown of is left out, with what is on file")
	assert.Empty(t, v.Case.Withheld, "nor does the reader learn which records exist")
	last := auditLog(t, s)
	assert.Equal(t, audit.Deny, last[len(last)-1].Decision)
	assert.Equal(t, "no_consent", last[len(last)-1].Reason)

	_, err := s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID))
	require.NoError(t, err)
	v = read()
	assert.Equal(t, "consent", v.Basis)
	m, _ := v.Person(f.mother.ID)
	assert.True(t, m.View.Has("name.family"))
	assert.True(t, m.View.Has("address.city"))
	assert.True(t, m.View.Has("contacts.0.value"))
	assert.False(t, m.View.Has("incomes.0.amount"), "income not consented")
	assert.False(t, m.View.Has("household.relationship.code"))
	c, _ := v.Person(f.child.ID)
	assert.Empty(t, c.View.Fields, "the child has no consent of their own")
	assert.Empty(t, v.Case.Fields, "consultations not consented")

	// The DV等支援措置 masks the mother's address and contacts outside the desk.
	var r casefile.AddressRestriction
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		r = casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV,
			Subjects: []string{f.mother.ID, f.child.ID}, Counterparties: []string{f.father.ID},
			ProtectedFields: []string{"address", "contacts"}, ResponsibleOrgs: []string{desk},
			Period: consent.Period{Start: time.Date(2025, 5, 1, 0, 0, 0, 0, jst), End: time.Date(2026, 5, 1, 0, 0, 0, 0, jst)},
			Source: "配偶者暴力相談支援センター", VerifiedBy: "staff-a"}}
		return c.Create(&r)
	}))
	v = read()
	m, _ = v.Person(f.mother.ID)
	assert.True(t, m.View.Has("name.family"))
	assert.False(t, m.View.Has("address.city"), "DV-protected address never leaks")
	assert.False(t, m.View.Has("contacts.0.value"))
	var restricted bool
	for _, w := range m.View.Withheld {
		if w.Path == "address.city" {
			restricted = w.Reason == consent.ReasonRestricted
		}
	}
	assert.True(t, restricted)

	// The responsible desk still sees it.
	dv, err := s.ReadCase(ctx, worker, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	dm, _ := dv.Person(f.mother.ID)
	assert.True(t, dm.View.Has("address.city"))

	// A counterparty working at the city hall gets nothing, even at the desk.
	father := worker
	father.User, father.Person = "staff-f", f.father.ID
	fv, err := s.ReadCase(ctx, father, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	fm, _ := fv.Person(f.mother.ID)
	assert.Empty(t, fm.View.Fields)
	assert.Empty(t, fv.Case.Fields)

	// The disclosure register lists the consented reads by the other desk.
	ds, err := s.Disclosures(ctx, auditor, f.mother.ID)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	for _, d := range ds {
		assert.Equal(t, kosodate, d.Recipient)
		assert.Equal(t, "consent", d.Basis)
		assert.Equal(t, []string{"c-2025-0001"}, d.ConsentIDs)
	}
	assert.ElementsMatch(t, []string{"identity", "contact"}, ds[0].Categories)
	assert.Equal(t, []string{"identity"}, ds[1].Categories, "after the restriction only identity was disclosed")
	_, err = s.Disclosures(ctx, other, f.mother.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied)
}

func TestOptimisticConcurrencyThroughService(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	a, b := f.program, f.program // two staff loaded version 1
	a.Goals = append(a.Goals, "資格を取得する")
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&a) }))
	assert.Equal(t, int64(2), a.Version)
	b.ReviewDue = civil.MustDate(2025, 12, 31)
	err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&b) })
	var ce *casefile.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(2), ce.Current)
	assert.Equal(t, int64(1), b.Version, "the caller's version is left as read")

	hist, err := s.History(ctx, worker, casefile.KindProgram, f.program.ID)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Len(t, hist[0].(*casefile.Program).Goals, 1)
	assert.Len(t, hist[1].(*casefile.Program).Goals, 2)
	_, err = s.History(ctx, other, casefile.KindProgram, f.program.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied)
}

func TestChangeRules(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	head0, _ := s.Store().AuditHead(ctx, tenant)

	// All or nothing: a bad entity after a good one writes neither.
	var p casefile.Person
	err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		p = casefile.Person{Name: casefile.Name{Family: "鈴木"}}
		if err := c.Create(&p); err != nil {
			return err
		}
		return c.Create(&casefile.Task{CaseID: f.cf.ID, Title: "", Status: "todo"})
	})
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	_, err = s.History(ctx, worker, casefile.KindPerson, p.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	// No My Number anywhere.
	err = s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.Person{Name: casefile.Name{Family: "鈴木"}, ExternalIDs: []casefile.ExternalID{{System: "my_number", Value: "123456789012"}}})
	})
	assert.ErrorIs(t, err, casefile.ErrMyNumber)

	// Consultation entries are append-only; a correction supersedes.
	note := f.note
	note.Summary = "書き換え"
	err = s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&note) })
	assert.ErrorIs(t, err, casefile.ErrAppendOnly)
	var fixed casefile.Consultation
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		fixed = f.note
		fixed.Summary = "就職と養育費の相談（訂正: 面談は2回目）"
		return c.Correct(&f.note, &fixed)
	}))
	assert.Equal(t, f.note.ID, fixed.Supersedes)
	assert.NotEqual(t, f.note.ID, fixed.ID)

	// Another desk may not change the case; the attempt is audited.
	writer := other
	writer.Role = "writer"
	before, _ := s.Store().AuditHead(ctx, tenant)
	err = s.Change(ctx, writer, consent.PurposeSharing, func(c *casefile.Changes) error {
		return c.Create(&casefile.Task{CaseID: f.cf.ID, Title: "家庭訪問", AssigneeOrg: kosodate, Due: civil.MustDate(2025, 7, 1), Status: "todo"})
	})
	var de *casefile.DeniedError
	require.ErrorAs(t, err, &de)
	after, _ := s.Store().AuditHead(ctx, tenant)
	assert.Equal(t, before.Seq+1, after.Seq)
	log := auditLog(t, s)
	assert.Equal(t, audit.Deny, log[len(log)-1].Decision)
	assert.Equal(t, kosodate, log[len(log)-1].Actor.Org)

	// No role: denied and audited.
	_, err = s.ReadCase(ctx, stranger, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	assert.ErrorIs(t, err, casefile.ErrDenied)
	assert.Greater(t, after.Seq, head0.Seq)
}

func TestFindPersonsHidesTheTerm(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{QueryKey: []byte("k")})
	f := seedFamily(t, s)
	ids, err := s.FindPersons(ctx, worker, consent.PurposeConsultation, casefile.ExternalID{System: "atena", Value: "0012345"})
	require.NoError(t, err)
	assert.Equal(t, []string{f.mother.ID}, ids)
	log := auditLog(t, s)
	e := log[len(log)-1]
	assert.Equal(t, audit.ActionSearch, e.Action)
	assert.Equal(t, []string{f.mother.ID}, e.Subjects)
	assert.NotContains(t, string(e.Canonical(nil)), "0012345", "no search term in the log")
	assert.Len(t, e.QueryHash, 64)
}

func TestAuditCheckpointsAndTampering(t *testing.T) {
	ctx := context.Background()
	signer, err := audit.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)))
	require.NoError(t, err)
	var notes bytes.Buffer
	s, st, _ := newService(t, casefile.Config{Signer: signer, Sink: &audit.WriterSink{W: &notes}, CheckpointEvery: 5})
	f := seedFamily(t, s)
	for i := 0; i < 3; i++ {
		_, err := s.ReadCase(ctx, worker, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
		require.NoError(t, err)
	}
	cps, err := audit.ReadCheckpoints(&notes)
	require.NoError(t, err)
	require.NotEmpty(t, cps, "checkpoints exported as the log grew")
	rep, err := s.VerifyAudit(ctx, auditor, signer.Public(), cps)
	require.NoError(t, err)
	assert.Equal(t, len(cps), rep.CheckpointsChecked)

	kinds := map[string]func([]audit.Entry) []audit.Entry{
		"edit":     func(l []audit.Entry) []audit.Entry { l[2].Purpose = "curiosity"; return l },
		"reorder":  func(l []audit.Entry) []audit.Entry { l[2], l[3] = l[3], l[2]; return l },
		"delete":   func(l []audit.Entry) []audit.Entry { return append(l[:4:4], l[5:]...) },
		"truncate": func(l []audit.Entry) []audit.Entry { return l[:cps[len(cps)-1].Seq-1] },
	}
	for name, tamper := range kinds {
		t.Run(name, func(t *testing.T) {
			var saved []audit.Entry
			st.Tamper(tenant, func(l []audit.Entry) []audit.Entry {
				saved = append([]audit.Entry(nil), l...)
				return tamper(append([]audit.Entry(nil), l...))
			})
			defer st.Tamper(tenant, func([]audit.Entry) []audit.Entry { return saved })
			_, err := s.VerifyAudit(ctx, auditor, signer.Public(), cps)
			require.Error(t, err)
			assert.True(t, errors.Is(err, audit.ErrTampered), err.Error())
		})
	}
	_, err = s.VerifyAudit(ctx, other, signer.Public(), cps)
	assert.ErrorIs(t, err, casefile.ErrDenied)
}

func TestReportFactsAndNotifications(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	// No consent to be notified: refused and recorded.
	err := s.RecordNotification(ctx, worker, f.mother.ID, "child-rearing-allowance", "sms")
	assert.ErrorIs(t, err, casefile.ErrDenied)
	assert.ErrorIs(t, err, casefile.ErrNotifyDenied)

	ev := shareConsent(f.mother.ID)
	ev.Consent.ID, ev.ConsentID = "c-notify", "c-notify"
	ev.Consent.Provisions[0] = consent.Provision{
		Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: desk, Name: "ひとり親相談窓口"}},
		Purposes:   []consent.Purpose{consent.PurposeNotification}, Actions: []consent.Action{consent.ActionNotify},
		Categories: []consent.Category{consent.CategoryContact}}
	_, err = s.RecordConsent(ctx, worker, f.mother.ID, ev)
	require.NoError(t, err)
	require.NoError(t, s.RecordNotification(ctx, worker, f.mother.ID, "child-rearing-allowance", "sms"))

	_, err = s.ReportFacts(ctx, other, 2025)
	assert.ErrorIs(t, err, casefile.ErrDenied)
	_, err = s.ReportFacts(ctx, worker, 2025)
	assert.ErrorIs(t, err, casefile.ErrDenied, "a report role gets released tables, not the facts")
	stat := casefile.Actor{Tenant: tenant, User: "stat-1", Org: "tokei-ka", Role: "statistics"}
	facts, err := s.ReportFacts(ctx, stat, 2025)
	require.NoError(t, err)
	assert.Len(t, facts.Consultations, 2)
	assert.Equal(t, civil.MustDate(2025, 4, 1), facts.Consultations[0].On)
	require.Len(t, facts.Notifications, 1)
	assert.Equal(t, "sms", facts.Notifications[0].Channel)
	assert.Equal(t, "child-rearing-allowance", facts.Notifications[0].Event)
	none, err := s.ReportFacts(ctx, stat, 2023)
	require.NoError(t, err)
	assert.Empty(t, none.Consultations)
}

func TestHouseholdConversion(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	h, err := s.Household(ctx, worker, f.cf.ID, civil.MustDate(2026, 4, 1), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	require.NoError(t, h.Validate())
	require.Len(t, h.Members, 2)
	self := h.Self()
	require.NotNil(t, self)
	assert.Equal(t, f.mother.ID, self.ID)
	assert.Equal(t, "1990-05-01", self.BirthDate.String())
	require.Len(t, self.Incomes, 1)
	assert.Equal(t, int64(2_000_000), *self.Incomes[0].SalaryRevenue)
	assert.Equal(t, "divorced", string(*h.Situation))
	assert.Equal(t, "131016", *h.MunicipalityCode)
	child := h.Members[1]
	assert.Equal(t, "child", string(child.Relation))
	assert.True(t, *child.LivesWith)
	require.NotNil(t, child.Disability)
	assert.Equal(t, "physical", string(child.Disability.Kind))
	assert.Nil(t, h.Receiving, "no support records: unknown, not none")

	// Another department with consent for the mother's identity only does
	// not see the household composition: no household to screen on blanks.
	_, err = s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID))
	require.NoError(t, err)
	_, err = s.Household(ctx, other, f.cf.ID, civil.MustDate(2026, 4, 1), casefile.ReadOptions{Purpose: consent.PurposeSharing})
	assert.ErrorIs(t, err, casefile.ErrHouseholdIncomplete)
	assert.ErrorIs(t, err, casefile.ErrDenied)

	// With the household category of both: the rest stays unknown.
	for i, subject := range []string{f.mother.ID, f.child.ID} {
		ev := shareConsent(subject)
		ev.Consent.ID = fmt.Sprintf("c-household-%d", i)
		ev.ConsentID = ev.Consent.ID
		if subject == f.child.ID {
			ev.Consent.Grantor = consent.Grantor{Person: f.mother.ID, Capacity: consent.CapacityLegalRepresentative, Basis: "親権者"}
		}
		ev.Consent.Provisions[0].Categories = []consent.Category{consent.CategoryHousehold}
		_, err = s.RecordConsent(ctx, worker, subject, ev)
		require.NoError(t, err)
	}
	h, err = s.Household(ctx, other, f.cf.ID, civil.MustDate(2026, 4, 1), casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	self = h.Self()
	require.NotNil(t, self.BirthDate)
	assert.Nil(t, self.Incomes, "income not consented: unknown, not zero")
	require.NotNil(t, self.LivesWith)
	assert.Equal(t, "divorced", string(*h.Situation), "a situation other than a protection order is household data")
	assert.Nil(t, h.Receiving)
	require.Len(t, h.Members, 2)
	assert.Equal(t, "child", string(h.Members[1].Relation))
	assert.Nil(t, h.Members[1].BirthDate, "the child's identity is not consented")
}

func TestChangesGetIsLimitedToTheOwningDesk(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	var p casefile.Person
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Get(f.mother.ID, &p) }))
	assert.Equal(t, "山田", p.Name.Family)
	writer := other
	writer.Role = "writer"
	for _, get := range []func(c *casefile.Changes) error{
		func(c *casefile.Changes) error { return c.Get(f.mother.ID, &casefile.Person{}) },
		func(c *casefile.Changes) error { return c.Get(f.cf.ID, &casefile.CaseFile{}) },
		func(c *casefile.Changes) error { return c.Get(f.program.ID, &casefile.Program{}) },
	} {
		err := s.Change(ctx, writer, consent.PurposeSharing, get)
		assert.ErrorIs(t, err, casefile.ErrDenied)
	}
	// a person in no case yet is the registering desk's, not anyone's
	err := s.Change(ctx, writer, consent.PurposeSharing, func(c *casefile.Changes) error {
		return c.Get(f.father.ID, &casefile.Person{})
	})
	assert.ErrorIs(t, err, casefile.ErrDenied)
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Get(f.father.ID, &casefile.Person{})
	}))
}

func TestHistoryOfAPersonIsTheOwningDesks(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	h, err := s.History(ctx, worker, casefile.KindPerson, f.mother.ID)
	require.NoError(t, err)
	assert.Len(t, h, 1)
	_, err = s.History(ctx, other, casefile.KindPerson, f.mother.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied)
}

func TestConsentExceptionNarrowsTheDesk(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	ev := shareConsent(f.mother.ID)
	ev.Consent.ID, ev.ConsentID = "c-narrow", "c-narrow"
	ev.Consent.Provisions[0] = consent.Provision{
		Recipients: []consent.Recipient{{Kind: consent.RecipientDepartment, Code: desk, Name: "ひとり親相談窓口"}},
		Purposes:   []consent.Purpose{consent.PurposeConsultation}, Actions: []consent.Action{consent.ActionView},
		Categories: []consent.Category{consent.CategoryAny},
		Exceptions: []consent.Provision{{Categories: []consent.Category{consent.CategoryIncomeTax}}}}
	_, err := s.RecordConsent(ctx, worker, f.mother.ID, ev)
	require.NoError(t, err)
	v, err := s.ReadCase(ctx, worker, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	m, _ := v.Person(f.mother.ID)
	assert.True(t, m.View.Has("name.family"))
	assert.False(t, m.View.Has("incomes.0.amount"), "the mother excepted her income from the desk")
	c, _ := v.Person(f.child.ID)
	assert.True(t, c.View.Has("birth_date"), "the child's data are not narrowed by the mother's consent")
}

func TestExpiringRestrictionAlertsTheDeskAndStaysInForce(t *testing.T) {
	ctx := context.Background()
	s, _, clk := newService(t, casefile.Config{})
	f := seedFamily(t, s)
	require.NoError(t, s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV,
			Subjects: []string{f.mother.ID}, Counterparties: []string{f.father.ID}, ProtectedFields: []string{"address"},
			ResponsibleOrgs: []string{desk}, Source: "警察", VerifiedBy: "staff-a",
			Period: consent.Period{Start: time.Date(2024, 6, 20, 0, 0, 0, 0, jst), End: time.Date(2025, 6, 20, 0, 0, 0, 0, jst)}}})
	}))
	v, err := s.ReadCase(ctx, worker, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assert.True(t, v.Obligations.Has(consent.ObligationReviewRestriction), "within a month of the end: %v", v.Obligations)

	// After the end, not lifted: still masked for other departments.
	clk.t = time.Date(2025, 7, 1, 10, 0, 0, 0, jst)
	_, err = s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID))
	require.NoError(t, err)
	ov, err := s.ReadCase(ctx, other, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	m, _ := ov.Person(f.mother.ID)
	assert.True(t, m.View.Has("name.family"))
	assert.False(t, m.View.Has("address.city"), "an expired measure never unmasks silently")
}
