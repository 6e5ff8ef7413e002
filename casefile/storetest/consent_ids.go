package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
)

// F8: one paper form used as the consent id of two household members.
// RecordConsent refuses the second id, and a collision already in the
// store (recorded before the check existed) locks no one out.
func testConsentIDs(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	mother := consentSpec{id: "DOC-2026-001", subject: f.M.ID, orgs: []string{kosodate},
		purposes: purposes(consent.PurposeSharing), actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)}
	f.give(mother)
	child := mother
	child.subject, child.grantor = f.C.ID, f.M.ID
	_, err := f.svc.RecordConsent(f.ctx, f.W, f.C.ID, child.event(f.clk.t.Add(-time1h)))
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve, "a consent id another person's consent uses")
	assert.Contains(t, ve.Problems[0].Message, "同意番号")

	// The collision as old data holds it: written around the check.
	ev := child.event(f.clk.t.Add(-time1h))
	ev.Seq = 1
	ce := &casefile.ConsentEvent{Meta: casefile.Meta{ID: casefile.NewID(), TenantID: tenant, Version: 1, CreatedAt: t0, CreatedBy: "legacy", UpdatedAt: t0, UpdatedBy: "legacy"},
		Subject: f.C.ID, Seq: 1, Event: ev}
	row, err := casefile.EncodeRow(ce)
	require.NoError(t, err)
	row.Keys = []string{f.C.ID + ":1"}
	require.NoError(t, f.st.Update(f.ctx, tenant, func(tx casefile.Tx) error { return tx.Insert(f.ctx, row) }))

	v, err := f.svc.ReadCase(f.ctx, f.W, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err, "the owning desk still reads the case")
	assert.Equal(t, motherGiven, shown(v)[f.M.ID]["name.given"])
	kos := actor("kos-1", kosodate, "staff")
	v, err = f.svc.ReadCase(f.ctx, kos, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	got := shown(v)
	assert.Equal(t, motherGiven, got[f.M.ID]["name.given"], "each person's consent counts for that person")
	assert.Equal(t, childGiven, got[f.C.ID]["name.given"])
	_, err = f.svc.Household(f.ctx, f.W, f.CF.ID, f.today(), casefile.ReadOptions{Purpose: consent.PurposeConsultation})
	require.NoError(t, err)
	for _, s := range []string{f.M.ID, f.C.ID} {
		recs, err := f.svc.ConsentRecords(f.ctx, f.W, s)
		require.NoError(t, err)
		require.Len(t, recs, 1)
		assert.Equal(t, s, recs[0].Subject)
	}
}
