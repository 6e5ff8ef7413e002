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

// The probe's four observations, as decided (docs/casefile.md).

// ConsentRecords: the desk owning the person sees all consents, another
// department only those it manages, a counterparty none; recording a new
// consent is the owning desk's, a withdrawal anyone's.
func testConsentDesk(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	f.give(consentSpec{id: "cM-1", subject: f.M.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	kosC := actor("kos-c", kosodate, "consentdesk")
	zeiC := actor("zei-c", zeimu, "consentdesk")
	before := f.head()
	_, err := f.svc.ConsentRecords(f.ctx, zeiC, f.C.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied, "another department's consent records")
	_, err = f.svc.ConsentRecords(f.ctx, zeiC, f.M.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied)
	cp := actor("staff-f", desk, "caseworker")
	cp.Person = f.F.ID
	_, err = f.svc.ConsentRecords(f.ctx, cp, f.M.ID)
	assert.ErrorIs(t, err, casefile.ErrDenied, "the counterparty, even at the owning desk")
	for _, e := range f.since(before) {
		assert.Equal(t, audit.Deny, e.Decision)
	}
	recs, err := f.svc.ConsentRecords(f.ctx, f.W, f.M.ID)
	require.NoError(t, err)
	require.Len(t, recs, 1)

	// kosodate-shien may not record a consent for the desk's client…
	ev := consentSpec{id: "cM-kos", subject: f.M.ID, orgs: []string{kosodate}, purposes: purposes(consent.PurposeSharing),
		actions: actions(consent.ActionView), cats: cats(consent.CategoryIncomeTax)}.event(f.clk.t.Add(-time.Hour))
	ev.Consent.Manager = kosodate
	_, err = f.svc.RecordConsent(f.ctx, kosC, f.M.ID, ev)
	assert.ErrorIs(t, err, casefile.ErrDenied, "a department cannot grant itself a consent")
	// …but the resident may withdraw at any desk.
	at := f.clk.t.Add(-time.Minute)
	_, err = f.svc.RecordConsent(f.ctx, kosC, f.M.ID, consent.Event{ConsentID: "cM-1", Type: consent.EventWithdrawn, At: at, EffectiveAt: at,
		By: "kos-c", Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W-1", RecordedBy: "kos-c"}})
	require.NoError(t, err)
	// A consent the desk records with kosodate-shien as manager is theirs to read.
	ev.ConsentID, ev.Consent.ID = "cM-managed", "cM-managed"
	_, err = f.svc.RecordConsent(f.ctx, f.W, f.M.ID, ev)
	require.NoError(t, err)
	recs, err = f.svc.ConsentRecords(f.ctx, kosC, f.M.ID)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "cM-managed", recs[0].ID)
}

// FindPersons answers "is this resident on file" only to a department
// that may know: the owner, or one the person's consent lets see their
// identity. The other searches are recorded against the person.
func testFindPersons(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	atena := casefile.ExternalID{System: "atena", Value: "0012345"}
	zei := actor("zei-1", zeimu, "staff")
	before := f.head()
	ids, err := f.svc.FindPersons(f.ctx, zei, consent.PurposeSharing, atena)
	require.NoError(t, err)
	assert.Empty(t, ids, "zeimu-ka does not learn that she is a client")
	es := f.since(before)
	require.Len(t, es, 2)
	assert.Empty(t, es[0].Subjects)
	assert.Equal(t, []string{f.M.ID}, es[1].Subjects, "the search is in her access log")
	assert.Equal(t, audit.Deny, es[1].Decision)
	assert.NotContains(t, string(es[0].Canonical(nil))+string(es[1].Canonical(nil)), "0012345")

	ids, err = f.svc.FindPersons(f.ctx, f.W, consent.PurposeConsultation, atena)
	require.NoError(t, err)
	assert.Equal(t, []string{f.M.ID}, ids)
	f.give(consentSpec{id: "cM-zei", subject: f.M.ID, orgs: []string{zeimu},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	ids, err = f.svc.FindPersons(f.ctx, zei, consent.PurposeSharing, atena)
	require.NoError(t, err)
	assert.Equal(t, []string{f.M.ID}, ids, "with her consent")
	cp := f.W
	cp.User, cp.Person = "staff-f", f.F.ID
	ids, err = f.svc.FindPersons(f.ctx, cp, consent.PurposeConsultation, atena)
	require.NoError(t, err)
	assert.Empty(t, ids, "never to the counterparty")
}

// Capacity by age: a consent "by the child herself" at 11 is refused, and
// a 法定代理人's consent stops counting the day the child reaches 18
// (2008-12-05 born: 18 on 2026-12-04, the day before the birthday).
func testConsentCapacity(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	_, err := f.svc.RecordConsent(f.ctx, f.W, f.C.ID, consentSpec{id: "cC-self", subject: f.C.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)}.event(f.clk.t.Add(-time.Hour)))
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve, "a consent by the child herself at 11")
	assert.Contains(t, ve.Problems[0].Message, "16歳未満")

	var older casefile.Person
	now := f.clk.t
	f.clk.t = time.Date(2026, 6, 1, 10, 0, 0, 0, jst)
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		older = casefile.Person{Name: casefile.Name{Family: "山田", Given: "長男"}, BirthDate: civil.MustDate(2008, 12, 5)}
		if err := c.Create(&older); err != nil {
			return err
		}
		return c.Create(&casefile.HouseholdMember{CaseID: f.CF.ID, PersonID: older.ID, Relationship: casefile.Relationship{Code: "child"}, LivesWith: new(false)})
	}))
	f.give(consentSpec{id: "cO-rep", subject: older.ID, grantor: f.M.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	kos := actor("kos-1", kosodate, "staff")
	read := func() map[string]any {
		v, err := f.svc.ReadCase(f.ctx, kos, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
		require.NoError(t, err)
		return shown(v)[older.ID]
	}
	f.clk.t = time.Date(2026, 12, 3, 23, 59, 0, 0, jst)
	assert.Equal(t, "長男", read()["name.given"], "17 on the 3rd")
	f.clk.t = now
	assert.Empty(t, read(), "18 on the 4th: the representative's consent no longer counts")
	_, err = f.svc.RecordConsent(f.ctx, f.W, older.ID, consentSpec{id: "cO-rep2", subject: older.ID, grantor: f.M.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)}.event(now.Add(-time.Minute)))
	require.ErrorAs(t, err, &ve, "a 法定代理人 no longer consents for an adult")
	f.give(consentSpec{id: "cO-self", subject: older.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	assert.Equal(t, "長男", read()["name.given"], "his own consent")
}
