package storetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/csvio"
	"github.com/onestop-jp/onestop/consent"
)

// Findings F1–F4 of the privacy probe: paths by which a DV victim's
// protected address (or other DV facts) left the record.

// shown returns subject -> path -> value of everything a case view shows.
func shown(v *casefile.CaseView) map[string]map[string]any {
	out := map[string]map[string]any{}
	add := func(subject string, fs []consent.Field) {
		for _, f := range fs {
			s := f.Subject
			if s == "" {
				s = subject
			}
			if out[s] == nil {
				out[s] = map[string]any{}
			}
			out[s][f.Path] = f.Value
		}
	}
	if v == nil {
		return out
	}
	add(v.Case.Subject, v.Case.Fields)
	for _, p := range v.Persons {
		add(p.PersonID, p.View.Fields)
	}
	return out
}

func isDenied(err error) bool { return errors.Is(err, casefile.ErrDenied) }

// F1: an export is decided for the department running it as well as for
// the named recipient; the masks apply unless both are responsible desks.
func testExportRecipient(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	f.give(consentSpec{id: "cM", subject: f.M.ID, orgs: []string{desk, kosodate},
		purposes: purposes(consent.PurposeConsultation, consent.PurposeSharing),
		actions:  actions(consent.ActionView, consent.ActionCopy), cats: cats(consent.CategoryIdentity)})
	zei := actor("zei-1", zeimu, "exporter")

	v, err := f.svc.ReadCase(f.ctx, zei, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	assert.Empty(t, shown(v), "zeimu-ka has no consent")

	for _, recipient := range []string{desk, kosodate} {
		before := f.head()
		vs, err := f.svc.ExportCases(f.ctx, zei, consent.PurposeConsultation, recipient, []string{f.CF.ID})
		if err == nil {
			out := dump(t, vs)
			assertNoneOf(t, out, "ExportCases by zeimu-ka for "+recipient, append(allSecrets, motherGiven, childGiven)...)
		} else {
			assert.True(t, isDenied(err), err.Error())
		}
		var buf bytes.Buffer
		err = csvio.Export(f.ctx, f.svc, zei, []string{f.CF.ID}, &buf, csvio.ExportOptions{Encoding: csvio.UTF8, Purpose: consent.PurposeConsultation, Recipient: recipient})
		if err != nil {
			assert.True(t, isDenied(err), err.Error())
		}
		assertNoneOf(t, buf.String(), "csvio.Export by zeimu-ka for "+recipient, append(allSecrets, motherGiven, childGiven)...)
		for _, e := range f.since(before) {
			assert.NotEqual(t, audit.Permit, e.Decision, "nothing may be disclosed to zeimu-ka: %+v", e.Record)
		}
	}

	// zeimu-ka with a consent of its own, exporting for the responsible
	// desk: the intersection, with zeimu-ka's masks.
	f.give(consentSpec{id: "cM-zei", subject: f.M.ID, orgs: []string{zeimu},
		purposes: purposes(consent.PurposeConsultation), actions: actions(consent.ActionView, consent.ActionCopy), cats: cats(consent.CategoryIdentity)})
	vs, err := f.svc.ExportCases(f.ctx, zei, consent.PurposeConsultation, desk, []string{f.CF.ID})
	require.NoError(t, err)
	out := dump(t, vs)
	assertAllOf(t, out, "zeimu-ka with consent", motherGiven)
	assertNoneOf(t, out, "zeimu-ka with consent, for the responsible desk", allSecrets...)

	// The desk exporting a copy for kosodate-shien: what kosodate-shien may
	// receive, masked; the audit and the disclosure register name the
	// recipient.
	before := f.head()
	vs, err = f.svc.ExportCases(f.ctx, f.W, consent.PurposeSharing, kosodate, []string{f.CF.ID})
	require.NoError(t, err)
	out = dump(t, vs)
	assertAllOf(t, out, "desk's copy for kosodate-shien", motherGiven)
	assertNoneOf(t, out, "desk's copy for kosodate-shien", append(allSecrets, childGiven)...)
	var exported bool
	for _, e := range f.since(before) {
		if e.Action != audit.ActionExport || e.Decision != audit.Permit {
			continue
		}
		assert.Equal(t, []string{f.M.ID}, e.Subjects)
		assert.Equal(t, []string{"identity"}, e.Categories, "the categories actually handed over")
		switch e.Recipient {
		case kosodate:
			exported = true
			assert.Equal(t, "consent", e.Basis.Kind)
		case "":
			assert.Equal(t, "role", e.Basis.Kind, "the owning desk prepared the copy by role")
		default:
			t.Errorf("unexpected recipient %q", e.Recipient)
		}
	}
	assert.True(t, exported)
	ds, err := f.svc.Disclosures(f.ctx, actor("audit-1", "audit-office", "auditor"), f.M.ID)
	require.NoError(t, err)
	var recipients []string
	for _, d := range ds {
		recipients = append(recipients, d.Recipient)
		if d.Recipient == zeimu {
			assert.Equal(t, []string{"cM-zei"}, d.ConsentIDs, "zeimu-ka received only what its own consent covers")
		}
	}
	assert.Contains(t, recipients, kosodate)
	assert.Contains(t, recipients, zeimu, "zeimu-ka ran the consented export itself: it received the data")
	assert.NotContains(t, recipients, desk, "the owning desk's own work is not a disclosure")
}

// F2: Changes.Get and History pass through the same decision as ReadCase,
// and a department cannot make itself "owner" of another desk's client.
func testGetAndHistory(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	kos := actor("kos-2", kosodate, "writer")

	// kosodate-shien opens its own case about the child, or names the
	// mother in a case of its own: refused and audited.
	before := f.head()
	err := f.svc.Change(f.ctx, kos, consent.PurposeConsultation, func(c *casefile.Changes) error {
		own := casefile.CaseFile{SubjectID: f.C.ID, Status: casefile.StatusOpen, OwnerOrg: kosodate, OpenedOn: f.CF.OpenedOn}
		return c.Create(&own)
	})
	assert.True(t, isDenied(err), "a case about another desk's client: %v", err)
	err = f.svc.Change(f.ctx, kos, consent.PurposeConsultation, func(c *casefile.Changes) error {
		p := casefile.Person{Name: casefile.Name{Family: "鈴木"}}
		if err := c.Create(&p); err != nil {
			return err
		}
		own := casefile.CaseFile{SubjectID: p.ID, Status: casefile.StatusOpen, OwnerOrg: kosodate, OpenedOn: f.CF.OpenedOn}
		if err := c.Create(&own); err != nil {
			return err
		}
		return c.Create(&casefile.HouseholdMember{CaseID: own.ID, PersonID: f.M.ID, Relationship: casefile.Relationship{Code: "parent"}})
	})
	assert.True(t, isDenied(err), "membership of another desk's client: %v", err)
	denies := 0
	for _, e := range f.since(before) {
		if e.Decision == audit.Deny {
			denies++
		}
	}
	assert.Equal(t, 2, denies, "both refusals audited")

	get := func(a casefile.Actor, id string, into casefile.Entity) (string, error) {
		err := f.svc.Change(f.ctx, a, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Get(id, into) })
		return dump(t, into), err
	}
	// kosodate-shien's Get and History of the family: refused, nothing handed over.
	out, err := get(kos, f.M.ID, &casefile.Person{})
	assert.True(t, isDenied(err))
	assertNoneOf(t, out, "Get(M) by kosodate-shien", append(allSecrets, motherGiven)...)
	h, err := f.svc.History(f.ctx, kos, casefile.KindPerson, f.C.ID)
	assert.True(t, isDenied(err))
	assertNoneOf(t, dump(t, h), "History(C) by kosodate-shien", append(allSecrets, childGiven)...)

	// The counterparty, employed at the owning desk.
	cp := f.W
	cp.User, cp.Person = "staff-f", f.F.ID
	for _, id := range []string{f.M.ID, f.C.ID} {
		out, err := get(cp, id, &casefile.Person{})
		assert.True(t, isDenied(err), "Get by the counterparty")
		assertNoneOf(t, out, "Get by the counterparty", append(allSecrets, motherGiven, childGiven)...)
		h, err := f.svc.History(f.ctx, cp, casefile.KindPerson, id)
		assert.True(t, isDenied(err), "History by the counterparty")
		assertNoneOf(t, dump(t, h), "History by the counterparty", append(allSecrets, motherGiven, childGiven)...)
	}
	out, err = get(cp, f.dvNote.ID, &casefile.Consultation{})
	assert.True(t, isDenied(err))
	assertNoneOf(t, out, "Get(dv consultation) by the counterparty", secretSummary)
	out, err = get(cp, f.CF.ID, &casefile.CaseFile{})
	assert.True(t, isDenied(err))
	assertNoneOf(t, out, "Get(case) by the counterparty", secretNote)

	// An owning-desk user without PermSensitive: no 要配慮 or DV data.
	ws := actor("staff-w", desk, "writer")
	out, err = get(ws, f.dvNote.ID, &casefile.Consultation{})
	assert.True(t, isDenied(err))
	assertNoneOf(t, out, "Get(dv consultation) without PermSensitive", secretSummary)
	h, err = f.svc.History(f.ctx, ws, casefile.KindPerson, f.C.ID)
	assert.True(t, isDenied(err), "the child's record holds a disability")
	assertNoneOf(t, dump(t, h), "History(C) without PermSensitive", childGrade)
	out, err = get(ws, f.CF.ID, &casefile.CaseFile{})
	assert.True(t, isDenied(err), "a DV case header")
	assertNoneOf(t, out, "Get(case) without PermSensitive", secretNote)
	out, err = get(ws, f.note.ID, &casefile.Consultation{})
	require.NoError(t, err, "an ordinary consultation")
	assertAllOf(t, out, "Get(note) without PermSensitive", "就職の相談")

	// The responsible desk with PermSensitive works as before.
	out, err = get(f.W, f.M.ID, &casefile.Person{})
	require.NoError(t, err)
	assertAllOf(t, out, "Get(M) by the desk", secretBlock, secretPhone)
	h, err = f.svc.History(f.ctx, f.W, casefile.KindPerson, f.C.ID)
	require.NoError(t, err)
	assertAllOf(t, dump(t, h), "History(C) by the desk", childGrade)

	// A person in no case is the creating desk's.
	var p casefile.Person
	require.NoError(t, f.svc.Change(f.ctx, kos, consent.PurposeConsultation, func(c *casefile.Changes) error {
		p = casefile.Person{Name: casefile.Name{Family: "鈴木", Given: "ORPHAN-Z"}}
		return c.Create(&p)
	}))
	out, err = get(kos, p.ID, &casefile.Person{})
	require.NoError(t, err)
	assertAllOf(t, out, "own new person", "ORPHAN-Z")
	out, err = get(actor("zei-2", zeimu, "writer"), p.ID, &casefile.Person{})
	assert.True(t, isDenied(err))
	assertNoneOf(t, out, "another desk's new person", "ORPHAN-Z")
}

// F3: a DV measure on one member protects the address wherever it appears
// in the case, and any request by or for a counterparty is refused.
func testDVScope(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	kos := actor("kos-1", kosodate, "staff")
	for _, s := range []string{f.M.ID, f.C.ID} {
		grantor := s
		if s == f.C.ID {
			grantor = f.M.ID
		}
		f.give(consentSpec{id: "c-" + s[len(s)-6:], subject: s, grantor: grantor, orgs: []string{kosodate},
			purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView),
			cats: cats(consent.CategoryIdentity, consent.CategoryHousehold)})
	}
	v, err := f.svc.ReadCase(f.ctx, kos, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	got := shown(v)
	assert.Equal(t, childGiven, got[f.C.ID]["name.given"], "the child's ordinary data are shared")
	out := dump(t, v)
	assertNoneOf(t, out, "co-resident child's record", secretBlock, secretPhone)

	// The counterparty, as the child's 法定代理人, consents; a request on
	// his behalf, and anything resting on his consent, is refused.
	f.give(consentSpec{id: "cC-F", subject: f.C.ID, grantor: f.F.ID, orgs: []string{zeimu},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	zei := actor("zei-1", zeimu, "staff")
	v, err = f.svc.ReadCase(f.ctx, zei, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	assert.Empty(t, shown(v), "a consent granted by the counterparty does not count")
	v, err = f.svc.ReadCase(f.ctx, kos, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing, OnBehalfOf: f.F.ID})
	if err == nil {
		assert.Empty(t, shown(v), "a read at the counter for the counterparty shows nothing")
	}
	assertNoneOf(t, dump(t, v), "read for the counterparty", append(allSecrets, motherGiven, childGiven)...)

	// The counterparty employed at the owning desk sees nothing of the case.
	cp := f.W
	cp.User, cp.Person = "staff-f", f.F.ID
	v, err = f.svc.ReadCase(f.ctx, cp, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	if err == nil {
		assert.Empty(t, shown(v))
	}
	assertNoneOf(t, dump(t, v), "counterparty at the desk", append(allSecrets, motherGiven, childGiven)...)
	h, err := f.svc.Household(f.ctx, cp, f.CF.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	if err == nil {
		assert.Empty(t, h.Members)
	}
}

// F4: DV facts of the case header are dv_related, not plain consultation
// or household data, and Household shows only what the read permitted.
func testDVCategories(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	kos := actor("kos-1", kosodate, "staff")
	f.give(consentSpec{id: "cM-cons", subject: f.M.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryConsultation)})
	v, err := f.svc.ReadCase(f.ctx, kos, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	got := shown(v)[f.M.ID]
	assert.Equal(t, "open", got["case.status"], "ordinary header fields are consultation data")
	assertNoneOf(t, dump(t, v), "consultation-only consent", secretNote, "dv_protection_order", secretSummary)

	ws := actor("staff-w", desk, "writer")
	v, err = f.svc.ReadCase(f.ctx, ws, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	assertNoneOf(t, dump(t, v), "owning desk without PermSensitive", secretNote, "dv_protection_order", secretSummary, childGrade)
	assert.Equal(t, "open", shown(v)[f.M.ID]["case.status"])

	// Household: with no consent nothing at all, not even relation codes.
	h, err := f.svc.Household(f.ctx, kos, f.CF.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeSharing})
	if err == nil {
		for _, m := range h.Members {
			assert.Empty(t, m.Relation, "relation codes need the household category")
		}
	} else {
		assert.True(t, isDenied(err), err.Error())
	}
	// With household consent for both: relations, never the DV situation.
	for _, s := range []string{f.M.ID, f.C.ID} {
		f.give(consentSpec{id: "h-" + s[len(s)-6:], subject: s, grantor: f.M.ID, orgs: []string{kosodate},
			purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView),
			cats: cats(consent.CategoryIdentity, consent.CategoryHousehold)})
	}
	h, err = f.svc.Household(f.ctx, kos, f.CF.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	require.Len(t, h.Members, 2)
	assert.Nil(t, h.Situation, "dv_protection_order is dv_related")
	assertNoneOf(t, dump(t, h), "Household under household consent", "dv_protection_order")
	// The desk with PermSensitive screens with the situation.
	h, err = f.svc.Household(f.ctx, f.W, f.CF.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	require.NotNil(t, h.Situation)
	assert.Equal(t, "dv_protection_order", string(*h.Situation))
}
