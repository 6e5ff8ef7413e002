package storetest

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// F11: every read and every refusal leaves an audit entry naming the
// subjects and the categories actually returned.
func testAuditGaps(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	kos := actor("kos-2", kosodate, "writer")

	// A refused Changes.Get whose error the caller ignores.
	before := f.head()
	require.NoError(t, f.svc.Change(f.ctx, kos, consent.PurposeConsultation, func(c *casefile.Changes) error {
		_ = c.Get(f.M.ID, &casefile.Person{}) // "not ours": skipped
		return nil
	}))
	es := f.since(before)
	require.Len(t, es, 1, "the ignored refusal is recorded")
	assert.Equal(t, audit.Deny, es[0].Decision)
	assert.Equal(t, []string{f.M.ID}, es[0].Subjects)

	// CaseIDs needs a role and is audited.
	before = f.head()
	_, err := f.svc.CaseIDs(f.ctx, actor("x", kosodate, "none"))
	assert.ErrorIs(t, err, casefile.ErrDenied)
	ids, err := f.svc.CaseIDs(f.ctx, f.W)
	require.NoError(t, err)
	assert.Equal(t, []string{f.CF.ID}, ids)
	es = f.since(before)
	require.Len(t, es, 2)
	assert.Equal(t, audit.Deny, es[0].Decision)
	assert.Equal(t, audit.ActionSearch, es[1].Action)

	// Probing unknown ids.
	unknown := casefile.NewID()
	before = f.head()
	_, err = f.svc.ReadCase(f.ctx, f.W, unknown, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.svc.History(f.ctx, f.W, casefile.KindPerson, unknown)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.svc.Household(f.ctx, f.W, unknown, f.today(), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.svc.ExportCases(f.ctx, f.W, consent.PurposeConsultation, desk, []string{unknown})
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	err = f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Get(unknown, &casefile.Person{}) })
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	es = f.since(before)
	require.Len(t, es, 5, "each probe is recorded")
	for _, e := range es {
		assert.Equal(t, "not_found", e.Outcome)
		assert.True(t, e.CaseID == unknown || slices.ContainsFunc(e.Entities, func(r audit.EntityRef) bool { return r.ID == unknown }), "%+v", e.Record)
	}

	// History and Get record what they returned.
	before = f.head()
	h, err := f.svc.History(f.ctx, f.W, casefile.KindPerson, f.M.ID)
	require.NoError(t, err)
	require.NotEmpty(t, h)
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Get(f.dvNote.ID, &casefile.Consultation{})
	}))
	es = f.since(before)
	require.Len(t, es, 2)
	assert.Equal(t, []string{f.M.ID}, es[0].Subjects)
	assert.ElementsMatch(t, []string{"identity", "contact", "income_tax"}, es[0].Categories, "History(M) returned address, contacts and incomes")
	assert.Equal(t, []string{f.M.ID}, es[1].Subjects, "a consultation is about the case subject")
	assert.Equal(t, []string{"dv_related"}, es[1].Categories)
	seqs, err := f.st.AuditBySubject(f.ctx, tenant, f.M.ID)
	require.NoError(t, err)
	assert.Contains(t, seqs, es[1].Seq, "findable by subject")
}

// F12: error strings carry no 宛名番号 and no birth date.
func testErrorsWithoutPersonalData(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	dup := casefile.Person{Name: casefile.Name{Family: "重複"}, ExternalIDs: []casefile.ExternalID{{System: "atena", Value: "0012345"}}}
	for _, a := range []casefile.Actor{f.W, actor("kos-2", kosodate, "writer")} {
		err := f.svc.Change(f.ctx, a, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Create(&dup) })
		var de *casefile.DuplicateKeyError
		require.True(t, errors.As(err, &de), "%v", err)
		assert.NotContains(t, err.Error(), "0012345")
		if a.Org == kosodate {
			assert.Empty(t, de.OwnerID, "another desk does not learn who holds the number")
		} else {
			assert.Equal(t, f.M.ID, de.OwnerID)
		}
	}
	var p casefile.Person
	err := json.Unmarshal([]byte(`{"name":{"family":"山田"},"birth_date":"1990-02-31","address":{}}`), &p)
	require.Error(t, err)
	assert.False(t, strings.Contains(err.Error(), "1990-02-31") || strings.Contains(err.Error(), "1990"), "birth date in %q", err.Error())
	err = json.Unmarshal([]byte(`{"name":{"family":"山田"},"birth_date":"平成2年2月31日"}`), &p)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "平成2年")
}
