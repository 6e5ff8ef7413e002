package storetest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/consent"
)

// F5: what a department is refused does not tell it what is on file: no
// withheld list for a person nothing was shown of (the probe saw a
// dv_related consultation and a graded disability certificate listed for
// a department with no consent), no withheld sensitive field ever, no
// decisions in the view, no household size.
func testWithheldMetadata(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	zei := actor("zei-1", zeimu, "staff")
	v, err := f.svc.ReadCase(f.ctx, zei, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	for _, s := range []string{"dv_related", "health_disability", "disability", "consultations.", f.M.ID, f.C.ID, "review_restriction"} {
		assert.NotContains(t, string(b), s, "a department with no consent learns nothing")
	}
	assert.Empty(t, v.Persons)
	assert.Empty(t, v.Case.Withheld)
	assert.Empty(t, v.Case.Decisions)

	// With the mother's identity shared: her restricted address is listed
	// (departments must know, not to mail there); nothing sensitive is,
	// and the child, of whom nothing is shown, is not there at all.
	f.give(consentSpec{id: "cM", subject: f.M.ID, orgs: []string{zeimu}, purposes: purposes(consent.PurposeSharing),
		actions: actions(consent.ActionView), cats: cats(consent.CategoryIdentity)})
	v, err = f.svc.ReadCase(f.ctx, zei, f.CF.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
	require.NoError(t, err)
	require.Len(t, v.Persons, 1)
	m := v.Persons[0].View
	assert.Empty(t, m.Decisions)
	restricted := false
	for _, w := range m.Withheld {
		assert.False(t, w.Category.Sensitive(), "%s listed", w.Path)
		if w.Path == "address.block" {
			restricted = w.Reason == consent.ReasonRestricted
		}
	}
	assert.True(t, restricted)
	b, err = json.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(b), f.C.ID)
	assert.NotContains(t, string(b), "dv_related")
}
