package population

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
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
