package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
)

// The notification outbox (casefile.OutboxTx), store level: unique keys
// that leave the transaction usable, compare-and-swap updates, the
// dispatcher's queue, lookups, and entries committed with their audit
// entries or not at all.

func outboxTx(t *testing.T, tx casefile.Tx) casefile.OutboxTx {
	t.Helper()
	o, ok := tx.(casefile.OutboxTx)
	require.True(t, ok, "the store's transactions must implement casefile.OutboxTx")
	return o
}

func note(person, program, period string, due time.Time) casefile.Notification {
	return casefile.Notification{ID: casefile.NewID(), Tenant: tenant, Key: casefile.NotificationKey(person, program, period),
		Org: "kodomo", PersonID: person, CaseID: "case-" + person, Program: program, Period: period, RunID: "run-1",
		Outcome: "eligible", Variant: "standard", Status: casefile.NotifyPlanned,
		Channels: []casefile.NotificationChannel{{Type: casefile.ChannelSMS, Contact: 0}, {Type: casefile.ChannelPost, Contact: 1}},
		Due:      due.UTC(), WindowEnd: due.Add(3 * time.Hour).UTC(), Version: 1, CreatedAt: t0, UpdatedAt: t0, UpdatedBy: "u1",
		History: []casefile.NotificationEvent{{At: t0, Status: casefile.NotifyPlanned, Code: "planned"}}}
}

func insertNotes(t *testing.T, s casefile.Store, ns ...casefile.Notification) {
	t.Helper()
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		for _, n := range ns {
			if err := outboxTx(t, tx).InsertNotification(context.Background(), n); err != nil {
				return err
			}
		}
		return nil
	}))
}

func getNote(t *testing.T, s casefile.Store, id string) (casefile.Notification, error) {
	t.Helper()
	var n casefile.Notification
	err := s.View(context.Background(), tenant, func(tx casefile.Tx) error {
		var err error
		n, err = outboxTx(t, tx).GetNotification(context.Background(), id)
		return err
	})
	return n, err
}

func testOutboxRoundTrip(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	n := note("p1", "child-rearing-allowance", "2026", t0.Add(time.Hour))
	n.AmountYen, n.AmountPer = 46690, "month"
	n.Channels[0].Amount = true
	insertNotes(t, s, n)
	got, err := getNote(t, s, n.ID)
	require.NoError(t, err)
	assert.Equal(t, n.Key, got.Key)
	assert.Equal(t, n.Channels, got.Channels)
	assert.Equal(t, int64(46690), got.AmountYen)
	assert.True(t, n.Due.Equal(got.Due), "%v != %v", n.Due, got.Due)
	assert.True(t, n.WindowEnd.Equal(got.WindowEnd))
	assert.Equal(t, int64(1), got.Version)
	require.Len(t, got.History, 1)
	assert.Equal(t, "planned", got.History[0].Code)

	_, err = getNote(t, s, casefile.NewID())
	var nf *casefile.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, casefile.KindNotification, nf.Kind)

	// Not writable in a view; invalid entries are refused.
	err = s.View(ctx, tenant, func(tx casefile.Tx) error {
		return outboxTx(t, tx).InsertNotification(ctx, note("p9", "x", "2026", t0))
	})
	assert.ErrorIs(t, err, casefile.ErrReadOnly)
	for name, mutate := range map[string]func(*casefile.Notification){
		"other tenant": func(n *casefile.Notification) { n.Tenant = "999999" },
		"bad key":      func(n *casefile.Notification) { n.Key = "p1|x" },
		"no channel":   func(n *casefile.Notification) { n.Channels = nil },
		"bad channel":  func(n *casefile.Notification) { n.Channels[0].Type = "fax" },
		"bad status":   func(n *casefile.Notification) { n.Status = "lost" },
		"version 2":    func(n *casefile.Notification) { n.Version = 2 },
	} {
		bad := note("p8", "x", "2026", t0)
		mutate(&bad)
		err := update(t, s, func(tx casefile.Tx) error { return outboxTx(t, tx).InsertNotification(ctx, bad) })
		assert.ErrorIs(t, err, casefile.ErrInvalid, name)
	}
}

// testOutboxKeys: one entry per person, programme and period; a second
// insert of a key is ErrExists and leaves the transaction usable.
func testOutboxKeys(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	first := note("p1", "child-allowance", "2026", t0)
	insertNotes(t, s, first)
	again := note("p1", "child-allowance", "2026", t0)
	other := note("p1", "child-allowance", "2027", t0)
	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		o := outboxTx(t, tx)
		err := o.InsertNotification(ctx, again)
		assert.ErrorIs(t, err, casefile.ErrExists)
		sameID := note("p2", "child-allowance", "2026", t0)
		sameID.ID = first.ID
		assert.ErrorIs(t, o.InsertNotification(ctx, sameID), casefile.ErrExists)
		return o.InsertNotification(ctx, other) // the transaction goes on
	}))
	_, err := getNote(t, s, again.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = getNote(t, s, other.ID)
	require.NoError(t, err)

	// Two transactions racing for one key: exactly one wins.
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			errs <- update(t, s, func(tx casefile.Tx) error {
				return outboxTx(t, tx).InsertNotification(ctx, note("p3", "child-allowance", "2026", t0))
			})
		}()
	}
	var ok, exists int
	for i := 0; i < 2; i++ {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case errors.Is(err, casefile.ErrExists) || errors.Is(err, casefile.ErrConflict):
			exists++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 1, ok)
	var ns []casefile.Notification
	require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
		var err error
		ns, err = outboxTx(t, tx).ListNotifications(ctx, casefile.NotificationQuery{PersonID: "p3"})
		return err
	}))
	assert.Len(t, ns, 1)
}

func testOutboxCAS(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	n := note("p1", "child-allowance", "2026", t0)
	insertNotes(t, s, n)
	n2 := n
	n2.Version, n2.Status, n2.Due = 2, casefile.NotifySending, t0.Add(5*time.Minute).UTC()
	require.NoError(t, update(t, s, func(tx casefile.Tx) error { return outboxTx(t, tx).UpdateNotification(ctx, n2) }))
	stale := n
	stale.Version, stale.Status = 2, casefile.NotifyCancelled
	err := update(t, s, func(tx casefile.Tx) error { return outboxTx(t, tx).UpdateNotification(ctx, stale) })
	var ce *casefile.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(2), ce.Current)
	assert.Equal(t, casefile.KindNotification, ce.Kind)
	moved := n2
	moved.Version, moved.Key, moved.Period = 3, casefile.NotificationKey("p1", "child-allowance", "2027"), "2027"
	err = update(t, s, func(tx casefile.Tx) error { return outboxTx(t, tx).UpdateNotification(ctx, moved) })
	assert.ErrorIs(t, err, casefile.ErrInvalid, "the key never changes")
	missing := note("p4", "x", "2026", t0)
	missing.Version = 2
	err = update(t, s, func(tx casefile.Tx) error { return outboxTx(t, tx).UpdateNotification(ctx, missing) })
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	got, err := getNote(t, s, n.ID)
	require.NoError(t, err)
	assert.Equal(t, casefile.NotifySending, got.Status)
	assert.Equal(t, int64(2), got.Version)
}

func testOutboxQueue(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	base := t0.Add(24 * time.Hour)
	var ns []casefile.Notification
	for i := 0; i < 8; i++ {
		n := note(fmt.Sprintf("q%d", i), "child-allowance", "2026", base.Add(time.Duration(7-i)*time.Minute))
		switch i {
		case 5:
			n.Status = casefile.NotifySent
		case 6:
			n.Status = casefile.NotifySending // an expired lease is due too
		case 7:
			n.Org = "other-desk"
		}
		ns = append(ns, n)
	}
	insertNotes(t, s, ns...)
	due := func(at time.Time, limit int) []string {
		var out []string
		require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
			got, err := outboxTx(t, tx).DueNotifications(ctx, "kodomo", at, limit)
			for _, n := range got {
				out = append(out, n.PersonID)
			}
			return err
		}))
		return out
	}
	assert.Equal(t, []string{"q6", "q4", "q3", "q2", "q1", "q0"}, due(base.Add(time.Hour), 0), "earliest due first; only planned and sending; one desk")
	assert.Equal(t, []string{"q6", "q4"}, due(base.Add(time.Hour), 2))
	assert.Equal(t, []string{"q6", "q4", "q3"}, due(base.Add(4*time.Minute), 10), "due at the instant counts")
	assert.Empty(t, due(base, 10))

	list := func(q casefile.NotificationQuery) []string {
		var out []string
		require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
			got, err := outboxTx(t, tx).ListNotifications(ctx, q)
			for _, n := range got {
				out = append(out, n.PersonID)
			}
			return err
		}))
		return out
	}
	all := []string{"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7"}
	assert.Equal(t, all, list(casefile.NotificationQuery{}), "in id (creation) order")
	assert.Equal(t, []string{"q5"}, list(casefile.NotificationQuery{Status: casefile.NotifySent}))
	assert.Equal(t, []string{"q7"}, list(casefile.NotificationQuery{Org: "other-desk"}))
	assert.Equal(t, []string{"q2"}, list(casefile.NotificationQuery{PersonID: "q2"}))
	assert.Equal(t, []string{"q3", "q4"}, list(casefile.NotificationQuery{AfterID: ns[2].ID, Limit: 2}))
	assert.Equal(t, []string{"q1", "q6"}, list(casefile.NotificationQuery{Keys: []string{ns[6].Key, ns[1].Key, "nobody|x|2026"}}))
	assert.Empty(t, list(casefile.NotificationQuery{Keys: []string{}}))
	assert.Len(t, list(casefile.NotificationQuery{RunID: "run-1"}), 8)
	var keys []string
	for i := 0; i < 1200; i++ { // more than one IN chunk
		keys = append(keys, casefile.NotificationKey(fmt.Sprintf("x%d", i), "y", "2026"))
	}
	keys = append(keys, ns[3].Key)
	assert.Equal(t, []string{"q3"}, list(casefile.NotificationQuery{Keys: keys}))
}

// testOutboxAtomic: an entry and its audit entry commit together or not
// at all, and tenants do not see each other's outbox.
func testOutboxAtomic(t *testing.T, s casefile.Store) {
	ctx := context.Background()
	n := note("p1", "child-allowance", "2026", t0)
	boom := errors.New("boom")
	err := update(t, s, func(tx casefile.Tx) error {
		if err := outboxTx(t, tx).InsertNotification(ctx, n); err != nil {
			return err
		}
		if err := tx.Audit(rec(audit.ActionNotify, "p1")); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, err = getNote(t, s, n.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	head, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Zero(t, head.Seq, "no audit entry without its notification")

	// An invalid audit record aborts the notification with it.
	err = update(t, s, func(tx casefile.Tx) error {
		if err := outboxTx(t, tx).InsertNotification(ctx, n); err != nil {
			return err
		}
		return tx.Audit(audit.Record{Action: audit.ActionNotify})
	})
	require.Error(t, err)
	_, err = getNote(t, s, n.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	require.NoError(t, update(t, s, func(tx casefile.Tx) error {
		if err := outboxTx(t, tx).InsertNotification(ctx, n); err != nil {
			return err
		}
		return tx.Audit(rec(audit.ActionNotify, "p1"))
	}))
	_, err = getNote(t, s, n.ID)
	require.NoError(t, err)
	head, err = s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), head.Seq)

	// Another tenant neither sees it nor is blocked by its key.
	other := n
	other.Tenant = "999999"
	require.NoError(t, s.Update(ctx, "999999", func(tx casefile.Tx) error {
		o := outboxTx(t, tx)
		if _, err := o.GetNotification(ctx, n.ID); !errors.Is(err, casefile.ErrNotFound) {
			return fmt.Errorf("another tenant's entry is visible: %v", err)
		}
		return o.InsertNotification(ctx, other)
	}))
}
