package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// The notification outbox as the Service keeps it: plans decided again
// and written with their audit entries, claims that decide once more
// before reading a destination, delivery reports.

const (
	bPhone = "080-5555-0001"
	bMail  = "b-family@example.jp"
)

// notifyFamily adds a family B (mother and child, no DV measure) whose
// consents cover notifications, and gives the probe's mother M the same
// consent (her contacts and address are under the measure).
func (f *fixture) notifyFamily() (mother, child casefile.Person, cf casefile.CaseFile) {
	f.t.Helper()
	mother = casefile.Person{Name: casefile.Name{Family: "鈴木", Given: "和子"}, BirthDate: civil.MustDate(1988, 2, 2), Sex: "female",
		Address: casefile.Address{PostalCode: "1000002", Prefecture: "東京都", City: "千代田区", Town: "皇居外苑", Block: "2-2"},
		Contacts: []casefile.Contact{
			{Type: "mobile", Value: bPhone, OKToContact: true, Preferred: true, SafeTimes: "平日9時〜12時"},
			{Type: "email", Value: bMail, OKToContact: true, AmountsOK: true},
			{Type: "post", Value: "住所あて", OKToContact: true},
		}}
	child = casefile.Person{Name: casefile.Name{Family: "鈴木", Given: "陽"}, BirthDate: civil.MustDate(2018, 8, 8)}
	require.NoError(f.t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		if err := c.Create(&mother); err != nil {
			return err
		}
		if err := c.Create(&child); err != nil {
			return err
		}
		cf = casefile.CaseFile{SubjectID: mother.ID, Status: casefile.StatusOpen, OwnerOrg: desk, OpenedOn: civil.MustDate(2026, 5, 1), Situation: "divorced"}
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
	}))
	all := cats(consent.CategoryIdentity, consent.CategoryContact, consent.CategoryHousehold, consent.CategoryIncomeTax, consent.CategorySupportInUse)
	f.give(consentSpec{id: "n-b-mother", subject: mother.ID, orgs: []string{desk}, purposes: purposes(consent.PurposeNotification),
		actions: actions(consent.ActionView, consent.ActionNotify), cats: all})
	f.give(consentSpec{id: "n-b-child", subject: child.ID, grantor: mother.ID, orgs: []string{desk}, purposes: purposes(consent.PurposeNotification),
		actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity, consent.CategoryHousehold)})
	f.give(consentSpec{id: "n-m", subject: f.M.ID, orgs: []string{desk}, purposes: purposes(consent.PurposeNotification),
		actions: actions(consent.ActionView, consent.ActionNotify), cats: all})
	f.give(consentSpec{id: "n-c", subject: f.C.ID, grantor: f.M.ID, orgs: []string{desk}, purposes: purposes(consent.PurposeNotification),
		actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity, consent.CategoryHousehold)})
	return mother, child, cf
}

func plan(cf casefile.CaseFile, program string, chans ...casefile.NotificationChannel) casefile.NotificationPlan {
	due := time.Date(2026, 12, 7, 9, 0, 0, 0, jst)
	return casefile.NotificationPlan{CaseID: cf.ID, Program: program, Period: "2026", Outcome: "eligible", Variant: "standard",
		Channels: chans, Due: due, WindowEnd: due.Add(3 * time.Hour), AmountYen: 46690, AmountPer: "month"}
}

func testOutboxPlan(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	mother, _, cfB := f.notifyFamily()
	sms := casefile.NotificationChannel{Type: casefile.ChannelSMS, Contact: 0, Amount: true}
	mail := casefile.NotificationChannel{Type: casefile.ChannelEmail, Contact: 1, Amount: true}
	before := f.head()
	res, err := f.svc.PlanNotifications(f.ctx, f.W, "run-1", []casefile.NotificationPlan{
		plan(cfB, "child-rearing-allowance", sms, mail),
		plan(f.CF, "child-rearing-allowance", casefile.NotificationChannel{Type: casefile.ChannelSMS, Contact: 0}),
		plan(cfB, "child-rearing-allowance", mail), // the same person, programme and period again
	})
	require.NoError(t, err)
	require.Len(t, res, 3)
	assert.Equal(t, casefile.PlanPlanned, res[0].Status)
	n := res[0].Notification
	assert.Equal(t, mother.ID, n.PersonID)
	assert.Equal(t, casefile.NotificationKey(mother.ID, "child-rearing-allowance", "2026"), n.Key)
	assert.Equal(t, []casefile.NotificationChannel{{Type: "sms", Contact: 0}, {Type: "email", Contact: 1, Amount: true}}, n.Channels,
		"an amount only where the person chose it")
	assert.Equal(t, int64(46690), n.AmountYen)
	assert.Equal(t, casefile.PlanRefused, res[1].Status, "M's contacts are protected by the measure")
	assert.Equal(t, "no_channel", res[1].Reason)
	assert.Equal(t, casefile.PlanExists, res[2].Status)
	assert.Equal(t, n.ID, res[2].Notification.ID)

	var permits, denies int
	for _, e := range f.since(before) {
		require.Equal(t, audit.ActionNotify, e.Action)
		assert.Equal(t, "child-rearing-allowance", e.Entities[0].ID)
		switch e.Decision {
		case audit.Permit:
			permits++
			assert.Equal(t, []string{mother.ID}, e.Subjects)
			assert.Equal(t, "sms", e.Reason, "the first channel, as reports count it")
			assert.Equal(t, []string{"n-b-mother"}, e.Basis.ConsentIDs)
			assert.Equal(t, []string{"identity", "contact", "income_tax"}, e.Categories)
			assert.Equal(t, audit.EntityRef{Type: "outbox", ID: n.ID, Version: 1}, e.Entities[1])
		case audit.Deny:
			denies++
			assert.Equal(t, "no_channel", e.Reason)
		}
	}
	assert.Equal(t, 1, permits)
	assert.Equal(t, 1, denies)
	assertNoneOf(t, dump(t, res), "plan results", bPhone, bMail, secretPhone, secretBlock)

	// Another desk cannot plan for the desk's case; the plan is checked.
	res, err = f.svc.PlanNotifications(f.ctx, actor("staff-w", kosodate, "writer"), "run-2", []casefile.NotificationPlan{plan(cfB, "child-allowance", sms)})
	require.NoError(t, err)
	assert.Equal(t, "not_owner", res[0].Reason)
	_, err = f.svc.PlanNotifications(f.ctx, f.W, "run-2", []casefile.NotificationPlan{{CaseID: cfB.ID, Program: "a|b", Period: "2026"}})
	assert.ErrorIs(t, err, casefile.ErrInvalid)
	_, err = f.svc.PlanNotifications(f.ctx, actor("staff-s", desk, "staff"), "run-2", []casefile.NotificationPlan{plan(cfB, "x", sms)})
	assert.ErrorIs(t, err, casefile.ErrDenied)

	// Withdrawn: the next plan is refused with the consent's reason.
	withdraw(f, mother.ID, "n-b-mother")
	res, err = f.svc.PlanNotifications(f.ctx, f.W, "run-3", []casefile.NotificationPlan{plan(cfB, "child-allowance", sms)})
	require.NoError(t, err)
	assert.Equal(t, casefile.PlanRefused, res[0].Status)
	assert.Equal(t, "withdrawn", res[0].Reason)
}

func withdraw(f *fixture, subject, id string) {
	f.t.Helper()
	at := f.clk.t.Add(-time.Minute)
	_, err := f.svc.RecordConsent(f.ctx, f.W, subject, consent.Event{ConsentID: id, Type: consent.EventWithdrawn, At: at, EffectiveAt: at, By: "staff-a",
		Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W-" + id, RecordedBy: "staff-a"}})
	require.NoError(f.t, err)
}

func testOutboxClaim(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	mother, _, cfB := f.notifyFamily()
	sms := casefile.NotificationChannel{Type: casefile.ChannelSMS, Contact: 0}
	post := casefile.NotificationChannel{Type: casefile.ChannelPost, Contact: 2}
	res, err := f.svc.PlanNotifications(f.ctx, f.W, "run-1", []casefile.NotificationPlan{
		plan(cfB, "child-rearing-allowance", sms, post), plan(cfB, "child-allowance", post)})
	require.NoError(t, err)
	first, second := res[0].Notification, res[1].Notification

	// Nothing is due before its window.
	ds, err := f.svc.ClaimNotifications(f.ctx, f.W, 10, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, ds)

	f.clk.t = time.Date(2026, 12, 7, 9, 30, 0, 0, jst)
	before := f.head()
	ds, err = f.svc.ClaimNotifications(f.ctx, f.W, 10, 5*time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	d := ds[0]
	assert.Equal(t, first.ID, d.Notification.ID)
	assert.Equal(t, casefile.NotifySending, d.Notification.Status)
	assert.Equal(t, casefile.Destination{Channel: "sms", Address: bPhone}, d.To, "an SMS names nobody")
	assert.Equal(t, "平日9時〜12時", d.SafeTimes)
	assert.False(t, d.Resumed)
	p := ds[1].To
	assert.Equal(t, "post", p.Channel)
	assert.Equal(t, "鈴木 和子", p.Name)
	assert.Contains(t, p.Address, "〒1000002")
	reads := 0
	for _, e := range f.since(before) {
		if e.Action == audit.ActionRead && e.Purpose == consent.PurposeNotification.String() {
			reads++
			assert.Equal(t, []string{mother.ID}, e.Subjects)
			assert.Equal(t, audit.Permit, e.Decision)
		}
	}
	assert.Equal(t, 2, reads, "every destination read is audited")

	// Leased: no second dispatcher gets them; after the lease (a crash
	// between send and record) they come back, marked resumed.
	ds2, err := f.svc.ClaimNotifications(f.ctx, f.W, 10, 5*time.Minute)
	require.NoError(t, err)
	assert.Empty(t, ds2)
	f.clk.t = f.clk.t.Add(6 * time.Minute)
	ds2, err = f.svc.ClaimNotifications(f.ctx, f.W, 1, 5*time.Minute)
	require.NoError(t, err)
	require.Len(t, ds2, 1)
	assert.True(t, ds2[0].Resumed)
	assert.Equal(t, d.Notification.DeliveryKey(), ds2[0].Notification.DeliveryKey(), "the same idempotency key")

	// Reports: accepted, a stale version, delivered, a repeated report.
	n, err := f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: first.ID, Version: ds2[0].Notification.Version, Result: casefile.DeliveryAccepted, ProviderRef: "msg-1"})
	require.NoError(t, err)
	assert.Equal(t, casefile.NotifySent, n.Status)
	_, err = f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: first.ID, Version: ds2[0].Notification.Version, Result: casefile.DeliveryDelivered})
	var ce *casefile.ConflictError
	assert.ErrorAs(t, err, &ce)
	n, err = f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: first.ID, Result: casefile.DeliveryDelivered})
	require.NoError(t, err)
	assert.Equal(t, casefile.NotifyDelivered, n.Status)
	again, err := f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: first.ID, Result: casefile.DeliveryDelivered})
	require.NoError(t, err)
	assert.Equal(t, n.Version, again.Version, "a repeated report changes nothing")
	_, err = f.svc.RecordDelivery(f.ctx, actor("staff-w", kosodate, "writer"), casefile.DeliveryReport{ID: first.ID, Result: casefile.DeliveryDelivered})
	assert.ErrorIs(t, err, casefile.ErrNotFound, "another desk's notification")

	// The post notice fails for good: no channel left, undeliverable.
	claimed := ds[1].Notification
	n, err = f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: second.ID, Version: claimed.Version, Result: casefile.DeliveryFailed, Code: "returned"})
	require.NoError(t, err)
	assert.Equal(t, casefile.NotifyUndeliverable, n.Status)
	assert.Equal(t, "returned", n.Reason)
}

func testOutboxRecheck(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	mother, _, cfB := f.notifyFamily()
	sms := casefile.NotificationChannel{Type: casefile.ChannelSMS, Contact: 0}
	mail := casefile.NotificationChannel{Type: casefile.ChannelEmail, Contact: 1}
	res, err := f.svc.PlanNotifications(f.ctx, f.W, "run-1", []casefile.NotificationPlan{plan(cfB, "child-rearing-allowance", sms, mail)})
	require.NoError(t, err)
	n := res[0].Notification
	f.clk.t = time.Date(2026, 12, 7, 9, 30, 0, 0, jst)

	// A measure recorded after planning protects the phone: the claim
	// moves on to the e-mail address.
	var r casefile.AddressRestriction
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		r = casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV, Subjects: []string{mother.ID},
			Counterparties: []string{f.F.ID}, ProtectedFields: []string{"contacts.0"}, ResponsibleOrgs: []string{desk},
			Period: consent.Period{Start: f.clk.t.Add(-time.Hour), End: f.clk.t.AddDate(1, 0, 0)}, Source: "警察署", VerifiedBy: "staff-a"}}
		return c.Create(&r)
	}))
	ds, err := f.svc.ClaimNotifications(f.ctx, f.W, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Empty(t, ds[0].Refused)
	assert.Equal(t, 1, ds[0].Notification.Channel)
	assert.Equal(t, "email", ds[0].To.Channel)
	assert.Equal(t, bMail, ds[0].To.Address)
	assertNoneOf(t, dump(t, ds), "claim under the new measure", bPhone)

	// The e-mail times out (retry later); then the consent is withdrawn:
	// the next claim cancels instead of sending.
	got, err := f.svc.RecordDelivery(f.ctx, f.W, casefile.DeliveryReport{ID: n.ID, Version: ds[0].Notification.Version, Channel: 1, Result: casefile.DeliveryRetry, Code: "timeout", RetryAt: f.clk.t.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, casefile.NotifyPlanned, got.Status)
	assert.Equal(t, 1, got.Attempts)
	withdraw(f, mother.ID, "n-b-mother")
	f.clk.t = f.clk.t.Add(2 * time.Minute)
	before := f.head()
	ds, err = f.svc.ClaimNotifications(f.ctx, f.W, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "withdrawn", ds[0].Refused)
	assert.Equal(t, casefile.NotifyCancelled, ds[0].Notification.Status)
	assert.Empty(t, ds[0].To)
	es := f.since(before)
	require.Len(t, es, 1)
	assert.Equal(t, audit.Deny, es[0].Decision)
	assert.Equal(t, "withdrawn", es[0].Reason)
	ds, err = f.svc.ClaimNotifications(f.ctx, f.W, 10, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, ds, "a cancelled notification is final")

	list, err := f.svc.Notifications(f.ctx, f.W, casefile.NotificationQuery{PersonID: mother.ID})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, casefile.NotifyCancelled, list[0].Status)
}
