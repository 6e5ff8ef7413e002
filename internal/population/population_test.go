package population

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/packs"
)

func TestFamiliesAreValidRecords(t *testing.T) {
	cfg := Default(3, "131016", "hitorioya-desk", civil.MustDate(2026, 12, 4))
	cfg.DV = 20
	g, err := New(cfg)
	require.NoError(t, err)
	var dv, withConsent, withdrawn, contacts int
	for i := 0; i < 500; i++ {
		f := g.Next()
		_, err := f.Rows()
		require.NoError(t, err, "family %d", i)
		assert.Equal(t, f.Persons[0].ID, f.Case.SubjectID)
		contacts += len(f.Persons[0].Contacts)
		dv += len(f.Restrictions)
		bySubject := map[string][]consent.Event{}
		for _, e := range f.Events {
			bySubject[e.Subject] = append(bySubject[e.Subject], e.Event)
			if e.Event.Type == consent.EventWithdrawn {
				withdrawn++
			}
		}
		if len(bySubject) > 0 {
			withConsent++
		}
		for s, evs := range bySubject {
			_, err := consent.Replay(evs)
			require.NoError(t, err, "consent log of %s", s)
		}
		if len(f.Restrictions) > 0 {
			require.NoError(t, f.Restrictions[0].Validate())
			assert.Len(t, f.Persons, len(f.Members)+1, "the counterparty is in no case")
		}
	}
	assert.InDelta(t, 100, dv, 40)
	assert.InDelta(t, 400, withConsent, 50)
	assert.Greater(t, withdrawn, 3)
	assert.Greater(t, contacts, 500)
}

// The case records of a family give screening what the synthetic household
// gives it: every outcome is the same, except where the household left the
// support in use unknown (the record holds the municipality's, none
// included).
func TestRecordScreensLikeTheHousehold(t *testing.T) {
	ctx := context.Background()
	asOf := civil.MustDate(2026, 12, 4)
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	require.NoError(t, err)
	eng, err := eligibility.Compile([]*eligibility.Pack{nat})
	require.NoError(t, err)
	g, err := New(Default(11, "131016", "hitorioya-desk", asOf))
	require.NoError(t, err)
	all := consent.Categories(consent.AllCategories()...)
	compared := 0
	for i := 0; i < 300; i++ {
		f := g.Next()
		r := f.Record("131016")
		vis := casefile.Visible{}
		for id := range r.Persons {
			vis[id] = all
		}
		h, err := casefile.ToHousehold(r, asOf, vis)
		require.NoError(t, err)
		want, err := eng.Screen(ctx, f.Source, asOf)
		require.NoError(t, err)
		got, err := eng.Screen(ctx, &h, asOf)
		require.NoError(t, err)
		require.Len(t, got.Results, len(want.Results))
		for k, w := range want.Results {
			if slices.ContainsFunc(w.Missing, func(m eligibility.Missing) bool { return m.Field == "receiving" }) {
				continue
			}
			compared++
			assert.Equal(t, w.Status, got.Results[k].Status, "family %d, %s: missing in the record %v", i, w.Program, got.Results[k].Missing)
		}
	}
	assert.Greater(t, compared, 4000)
}
