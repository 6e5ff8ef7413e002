package consent

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecipientsToTell(t *testing.T) {
	c := standardConsent()
	tWithdraw := t0.AddDate(0, 2, 0)
	l := NewLog()
	for _, e := range []Event{givenEvent(c), withdrawnEvent("c-1", tWithdraw.Add(time.Hour), tWithdraw)} {
		_, err := l.Append(e)
		require.NoError(t, err)
	}
	rec, err := l.Record("c-1")
	require.NoError(t, err)

	ds := []Disclosure{
		{Subject: mother, Recipient: orgKosodate, Action: ActionView, Purpose: PurposeSharing,
			Categories: Categories(CategoryIdentity), ConsentIDs: []string{"c-1"}, At: t0.AddDate(0, 0, 3)},
		{Subject: mother, Recipient: orgKosodate, Action: ActionCopy, Purpose: PurposeSharing,
			Categories: Categories(CategoryHousehold), ConsentIDs: []string{"c-0", "c-1"}, At: t0.AddDate(0, 0, 1)},
		{Subject: mother, Recipient: orgItaku, Action: ActionView, Purpose: PurposeContractorProcessing,
			Categories: Categories(CategoryContact), ConsentIDs: []string{"c-1"}, At: tWithdraw.Add(30 * time.Minute)}, // after: recorded late
		// Not affected: a statutory disclosure, another consent, another subject.
		{Subject: mother, Recipient: "jidosodanjo", Action: ActionCopy, Purpose: PurposeSharing,
			Categories: Categories(CategoryConsultation), Statute: StatuteChildAbusePrevention, At: t0.AddDate(0, 0, 5)},
		{Subject: mother, Recipient: orgHoken, Action: ActionView, Purpose: PurposeSharing,
			Categories: Categories(CategoryIncomeTax), ConsentIDs: []string{"c-other"}, At: t0.AddDate(0, 0, 5)},
		{Subject: child, Recipient: orgShakyo, Action: ActionView, Purpose: PurposeSharing,
			Categories: Categories(CategoryIdentity), ConsentIDs: []string{"c-1"}, At: t0.AddDate(0, 0, 5)},
	}
	got, err := RecipientsToTell(rec, ds)
	require.NoError(t, err)
	assert.Equal(t, []PastRecipient{
		{Recipient: orgItaku, Name: "株式会社コールセンター", Kind: RecipientContractor,
			Actions: []Action{ActionView}, Purposes: []Purpose{PurposeContractorProcessing},
			Categories: Categories(CategoryContact), First: tWithdraw.Add(30 * time.Minute), Last: tWithdraw.Add(30 * time.Minute),
			Count: 1, AfterWithdrawal: 1},
		{Recipient: orgKosodate, Name: "子育て支援課", Kind: RecipientDepartment,
			Actions: []Action{ActionView, ActionCopy}, Purposes: []Purpose{PurposeSharing},
			Categories: Categories(CategoryIdentity, CategoryHousehold), First: t0.AddDate(0, 0, 1), Last: t0.AddDate(0, 0, 3),
			Count: 2},
	}, got)

	none, err := RecipientsToTell(rec, nil)
	require.NoError(t, err)
	assert.Empty(t, none)

	active := NewLog()
	_, err = active.Append(givenEvent(c))
	require.NoError(t, err)
	r2, _ := active.Record("c-1")
	_, err = RecipientsToTell(r2, ds)
	assert.ErrorIs(t, err, ErrNotWithdrawn)
}

func TestWithdrawalStopsLaterDecisionsEndToEnd(t *testing.T) {
	// Decide, record the disclosures, withdraw, decide again, tell.
	c := standardConsent()
	l := NewLog()
	_, err := l.Append(givenEvent(c))
	require.NoError(t, err)
	d := compile(t, Policy{Events: l.Events()})
	var log []Disclosure
	for _, r := range []Request{
		req(orgKosodate, ActionView, PurposeSharing, tPlus1h, CategoryIdentity, CategoryHousehold),
		req(orgDesk, ActionCopy, PurposeConsultation, tPlus1h, CategoryContact),
		req("nobody", ActionView, PurposeSharing, tPlus1h, CategoryIdentity),
	} {
		dec, err := d.Decide(r)
		require.NoError(t, err)
		if disc, ok := dec.Disclosure(); ok {
			log = append(log, disc)
		}
	}
	require.Len(t, log, 2)

	tW := t0.AddDate(0, 0, 7)
	_, err = l.Append(withdrawnEvent("c-1", tW, tW))
	require.NoError(t, err)
	d = compile(t, Policy{Events: l.Events()})
	dec, err := d.Decide(req(orgKosodate, ActionView, PurposeSharing, tW, CategoryIdentity))
	require.NoError(t, err)
	assert.Equal(t, EffectDeny, dec.Effect)
	assert.Equal(t, ReasonWithdrawn, dec.Reason())

	rec, err := l.Record("c-1")
	require.NoError(t, err)
	tell, err := RecipientsToTell(rec, log)
	require.NoError(t, err)
	require.Len(t, tell, 2)
	assert.Equal(t, orgDesk, tell[0].Recipient)
	assert.Equal(t, orgKosodate, tell[1].Recipient)
	assert.Zero(t, tell[0].AfterWithdrawal+tell[1].AfterWithdrawal)
}
