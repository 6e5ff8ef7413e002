package consent

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventValidate(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	tests := []struct {
		name  string
		ev    Event
		paths []string
	}{
		{"given", givenEvent(c), nil},
		{"withdrawn needs only channel", withdrawnEvent("c-1", tPlus1h, tPlus1h), nil},
		{"no type", Event{ConsentID: "c-1"}, []string{"type"}},
		{"given without consent and evidence", Event{ConsentID: "c-1", Type: EventGiven, At: t0, EffectiveAt: t0, By: staffA},
			[]string{"consent", "evidence"}},
		{"given with invalid consent", func() Event {
			e := givenEvent(c)
			bad := c
			bad.Provisions = nil
			e.Consent = &bad
			return e
		}(), []string{"consent.provisions"}},
		{"id mismatch", func() Event { e := givenEvent(c); e.ConsentID = "c-2"; return e }(), []string{"consent.id"}},
		{"effective before agreement", func() Event { e := givenEvent(c); e.EffectiveAt = t0.Add(-time.Hour); return e }(),
			[]string{"effective_at"}},
		{"withdrawn with content", func() Event {
			e := withdrawnEvent("c-1", tPlus1h, tPlus1h)
			e.Consent = &c
			return e
		}(), []string{"consent"}},
		{"withdrawn without evidence", Event{ConsentID: "c-1", Type: EventWithdrawn, At: t0, EffectiveAt: t0, By: staffA},
			[]string{"evidence"}},
		{"missing times and by", Event{ConsentID: "c-1", Type: EventExpired}, []string{"at", "effective_at", "by"}},
		{"corrected needs reason and target", Event{ConsentID: "c-1", Type: EventCorrected, At: t0, EffectiveAt: t0, By: staffA, Consent: &c},
			[]string{"reason", "corrects"}},
		{"corrects only on corrected", Event{ConsentID: "c-1", Type: EventExpired, At: t0, EffectiveAt: t0, By: staffA, Corrects: 1},
			[]string{"corrects"}},
		{"period only on reconfirmed", Event{ConsentID: "c-1", Type: EventExpired, At: t0, EffectiveAt: t0, By: staffA,
			Period: &Period{Start: t0}, Notice: &Notice{}}, []string{"period", "notice"}},
		{"reconfirmed with bad notice", Event{ConsentID: "c-1", Type: EventReconfirmed, At: t0, EffectiveAt: t0, By: staffA,
			Evidence: &c.Evidence, Notice: &Notice{Version: "4"}}, []string{"notice.text_hash", "notice.language", "notice.shown_at"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.ev.Validate()
			if tc.paths == nil {
				require.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Path)
			}
			assert.ElementsMatch(t, tc.paths, got, "%v", ve.Problems)
		})
	}
}

func TestLogAppendConflicts(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	amended := c
	amended.Provisions = []Provision{permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, []Action{ActionView}, []Category{CategoryIdentity})}
	amend := func(at, eff time.Time) Event {
		a := amended
		a.GivenAt = eff
		return Event{ConsentID: "c-1", Type: EventAmended, At: at, EffectiveAt: eff, By: staffA, Evidence: &c.Evidence, Consent: &a}
	}
	tests := []struct {
		name    string
		history []Event
		next    Event
		ok      bool
	}{
		{"first given", nil, givenEvent(c), true},
		{"given twice", []Event{givenEvent(c)}, givenEvent(c), false},
		{"amend unknown", nil, amend(tPlus1h, tPlus1h), false},
		{"amend", []Event{givenEvent(c)}, amend(tPlus1h, tPlus1h), true},
		{"amend effective before current version", []Event{givenEvent(c)}, amend(tPlus1h, t0.Add(-time.Minute)), false},
		{"recorded before previous event", []Event{givenEvent(c), amend(tPlus1h, tPlus1h)}, amend(t0.Add(30*time.Minute), tPlus1h), false},
		{"subject cannot change", []Event{givenEvent(c)}, func() Event {
			e := amend(tPlus1h, tPlus1h)
			e.Consent.Subject = child
			e.Consent.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
			return e
		}(), false},
		{"withdraw", []Event{givenEvent(c)}, withdrawnEvent("c-1", tPlus1h, tPlus1h), true},
		{"withdraw retroactively", []Event{givenEvent(c)}, withdrawnEvent("c-1", tPlus1h, t0.Add(time.Minute)), true},
		{"withdraw before it took effect", []Event{givenEvent(c)}, withdrawnEvent("c-1", tPlus1h, t0.Add(-time.Minute)), false},
		{"amend after withdrawal", []Event{givenEvent(c), withdrawnEvent("c-1", tPlus1h, tPlus1h)}, amend(tPlus1h.Add(time.Minute), tPlus1h.Add(time.Minute)), false},
		{"withdraw twice", []Event{givenEvent(c), withdrawnEvent("c-1", tPlus1h, tPlus1h)}, withdrawnEvent("c-1", tPlus1h, tPlus1h), false},
		{"correct after withdrawal", []Event{givenEvent(c), withdrawnEvent("c-1", tPlus1h, tPlus1h)},
			Event{ConsentID: "c-1", Type: EventCorrected, At: tPlus1h, EffectiveAt: tPlus1h, By: staffB, Reason: "提供先の記載誤り", Corrects: 1, Consent: &amended}, true},
		{"correct a withdrawal", []Event{givenEvent(c), withdrawnEvent("c-1", tPlus1h, tPlus1h)},
			Event{ConsentID: "c-1", Type: EventCorrected, At: tPlus1h, EffectiveAt: tPlus1h, By: staffB, Reason: "誤り", Corrects: 2, Consent: &amended}, false},
		{"correct unknown event", []Event{givenEvent(c)},
			Event{ConsentID: "c-1", Type: EventCorrected, At: tPlus1h, EffectiveAt: tPlus1h, By: staffB, Reason: "誤り", Corrects: 9, Consent: &amended}, false},
		{"seq out of order", []Event{givenEvent(c)}, func() Event { e := withdrawnEvent("c-1", tPlus1h, tPlus1h); e.Seq = 5; return e }(), false},
		{"seq in order", []Event{givenEvent(c)}, func() Event { e := withdrawnEvent("c-1", tPlus1h, tPlus1h); e.Seq = 2; return e }(), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLog()
			for _, e := range tc.history {
				_, err := l.Append(e)
				require.NoError(t, err)
			}
			before := l.Events()
			got, err := l.Append(tc.next)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, uint64(len(before)+1), got.Seq)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrConflict)
			var ce *ConflictError
			assert.ErrorAs(t, err, &ce)
			assert.Equal(t, before, l.Events(), "a rejected event leaves the log unchanged")
		})
	}
}

func TestRecordHistory(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	tAmend := t0.AddDate(0, 1, 0)
	tReconf := t0.AddDate(0, 11, 0)
	tWithdraw := time.Date(2026, 6, 1, 0, 0, 0, 0, jst)
	amended := c
	amended.GivenAt = tAmend
	amended.Provisions = append(slicesClone(c.Provisions), permit([]Recipient{rHoken}, []Purpose{PurposeSharing},
		[]Action{ActionView}, []Category{CategoryIncomeTax}))
	newEnd := time.Date(2027, 4, 1, 0, 0, 0, 0, jst)
	l := NewLog()
	for _, e := range []Event{
		givenEvent(c),
		{ConsentID: "c-1", Type: EventAmended, At: tAmend, EffectiveAt: tAmend, By: staffA, Evidence: &c.Evidence, Consent: &amended},
		{ConsentID: "c-1", Type: EventReconfirmed, At: tReconf, EffectiveAt: tReconf, By: staffA, Evidence: &c.Evidence,
			Period: &Period{Start: t0, End: newEnd}},
		withdrawnEvent("c-1", tWithdraw, tWithdraw),
	} {
		_, err := l.Append(e)
		require.NoError(t, err)
	}
	r, err := l.Record("c-1")
	require.NoError(t, err)
	require.Len(t, r.Versions, 3)
	assert.Len(t, r.Events, 4)
	assert.Equal(t, EventWithdrawn, r.EndType)
	assert.True(t, r.EndAt.Equal(tWithdraw))
	assert.Equal(t, uint64(4), r.EndSeq)
	assert.True(t, r.LastConfirmedAt.Equal(tReconf))
	assert.Len(t, r.Current().Provisions, 2)
	assert.True(t, r.Current().Period.End.Equal(newEnd), "reconfirmation renewed the period")

	tests := []struct {
		at        time.Time
		status    Status
		provCount int
	}{
		{t0.Add(-time.Second), StatusPending, 0},
		{t0, StatusActive, 1},
		{tAmend.Add(-time.Second), StatusActive, 1},
		{tAmend, StatusActive, 2},
		{tNextYear.Add(time.Hour), StatusActive, 2}, // renewed past the first end
		{tWithdraw.Add(-time.Second), StatusActive, 2},
		{tWithdraw, StatusWithdrawn, 2},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.status, r.Status(tc.at), "status at %v", tc.at)
		if v, ok := r.VersionAt(tc.at); ok {
			assert.Len(t, v.Consent.Provisions, tc.provCount, "at %v", tc.at)
		} else {
			assert.Zero(t, tc.provCount)
		}
	}

	// Expiry without an event: the period ends.
	l2 := NewLog()
	_, err = l2.Append(givenEvent(c))
	require.NoError(t, err)
	r2, err := l2.Record("c-1")
	require.NoError(t, err)
	assert.Equal(t, StatusExpired, r2.Status(tNextYear))
	assert.Equal(t, StatusActive, r2.Status(tNextYear.Add(-time.Nanosecond)))
}

func TestCorrectionIsRetroactiveAndKeepsHistory(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	fixed := c
	fixed.Provisions = []Provision{permit([]Recipient{rDesk}, []Purpose{PurposeConsultation}, []Action{ActionView}, []Category{CategoryIdentity})}
	tReconf := t0.AddDate(0, 2, 0)
	evs := events(t,
		givenEvent(c),
		Event{ConsentID: "c-1", Type: EventReconfirmed, At: tReconf, EffectiveAt: tReconf, By: staffA, Evidence: &c.Evidence},
		Event{ConsentID: "c-1", Type: EventCorrected, At: tReconf.Add(time.Hour), EffectiveAt: tReconf.Add(time.Hour), By: staffB,
			Reason: "子育て支援課は同意書に記載がなかった", Corrects: 1, Consent: &fixed},
	)
	l, err := Replay(evs)
	require.NoError(t, err)
	r, err := l.Record("c-1")
	require.NoError(t, err)
	require.Len(t, r.Versions, 2)
	for _, v := range r.Versions {
		require.Len(t, v.Consent.Provisions, 1, "the correction applies from the corrected version on, reconfirmation included")
		assert.Len(t, v.Consent.Provisions[0].Recipients, 1)
	}
	assert.Equal(t, c.Provisions, r.Events[0].Consent.Provisions, "the original event is kept as recorded")
}

func TestLogReturnsCopies(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	l := NewLog()
	ev := givenEvent(c)
	_, err := l.Append(ev)
	require.NoError(t, err)
	ev.Consent.Provisions[0].Categories[0] = CategoryHealthDisability // caller mutates its copy
	r, err := l.Record("c-1")
	require.NoError(t, err)
	assert.Equal(t, CategoryIdentity, r.Current().Provisions[0].Categories[0])
	r.Versions[0].Consent.Provisions[0].Purposes[0] = PurposeStatistics
	r2, _ := l.Record("c-1")
	assert.Equal(t, PurposeConsultation, r2.Current().Provisions[0].Purposes[0])
	evs := l.Events()
	evs[0].Consent.ID = "tampered"
	assert.Equal(t, "c-1", l.Events()[0].Consent.ID)
}

func TestLogQueries(t *testing.T) {
	l := NewLog()
	a := newConsent("c-a", basicProvision())
	b := newConsent("c-b", basicProvision())
	b.Subject = child
	b.Grantor = Grantor{Person: mother, Capacity: CapacityLegalRepresentative, Basis: "親権者"}
	for _, e := range []Event{givenEvent(b), givenEvent(a)} {
		_, err := l.Append(e)
		require.NoError(t, err)
	}
	assert.Equal(t, 2, l.Len())
	rs := l.Records()
	require.Len(t, rs, 2)
	assert.Equal(t, "c-b", rs[0].ID, "in order given")
	sub := l.Subject(child)
	require.Len(t, sub, 1)
	assert.Equal(t, "c-b", sub[0].ID)
	assert.Empty(t, l.Subject("nobody"))
	_, err := l.Record("nope")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestReplay(t *testing.T) {
	c := newConsent("c-1", basicProvision())
	evs := events(t, givenEvent(c), withdrawnEvent("c-1", tPlus1h, tPlus1h))
	l, err := Replay(evs)
	require.NoError(t, err)
	assert.Equal(t, evs, l.Events())

	bad := slicesClone(evs)
	bad[1].Seq = 3
	_, err = Replay(bad)
	assert.ErrorIs(t, err, ErrConflict)

	bad = slicesClone(evs)
	bad[0].Seq = 0
	_, err = Replay(bad)
	assert.ErrorIs(t, err, ErrConflict, "stored events must carry their seq")
}

func TestLogConcurrentAppend(t *testing.T) {
	l := NewLog()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				c := newConsent(fmt.Sprintf("c-%d-%d", i, j), basicProvision())
				_, err := l.Append(givenEvent(c))
				assert.NoError(t, err)
				_ = l.Records()
			}
		}(i)
	}
	wg.Wait()
	evs := l.Events()
	require.Len(t, evs, 160)
	for i, e := range evs {
		assert.Equal(t, uint64(i+1), e.Seq)
	}
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }
