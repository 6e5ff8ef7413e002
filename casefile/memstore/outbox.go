package memstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
)

// outbox holds notifications by id and their keys; a transaction writes
// into its own outbox, merged into the tenant's at commit.
type outbox struct {
	byID  map[string]casefile.Notification
	byKey map[string]string // key -> id
}

func newOutbox() outbox {
	return outbox{byID: map[string]casefile.Notification{}, byKey: map[string]string{}}
}

func (o outbox) merge(from outbox) {
	for id, n := range from.byID {
		o.byID[id] = n
	}
	for k, id := range from.byKey {
		o.byKey[k] = id
	}
}

var _ casefile.OutboxTx = (*txn)(nil)

func (x *txn) note(id string) (casefile.Notification, bool) {
	if n, ok := x.outbox.byID[id]; ok {
		return n, true
	}
	n, ok := x.t.outbox.byID[id]
	return n, ok
}

func (x *txn) noteByKey(key string) (string, bool) {
	if id, ok := x.outbox.byKey[key]; ok {
		return id, true
	}
	id, ok := x.t.outbox.byKey[key]
	return id, ok
}

func (x *txn) checkNote(ctx context.Context, n *casefile.Notification) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := n.CheckFor(x.tenant); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	return nil
}

func (x *txn) InsertNotification(ctx context.Context, n casefile.Notification) error {
	if err := x.checkNote(ctx, &n); err != nil {
		return err
	}
	if n.Version != 1 {
		return fmt.Errorf("memstore: insert notification %s with version %d: %w", n.ID, n.Version, casefile.ErrInvalid)
	}
	if _, ok := x.noteByKey(n.Key); ok {
		return fmt.Errorf("memstore: notification %s: %w", n.Key, casefile.ErrExists)
	}
	if _, ok := x.note(n.ID); ok {
		return fmt.Errorf("memstore: notification %s: %w", n.ID, casefile.ErrExists)
	}
	n = cloneNote(n)
	x.outbox.byID[n.ID] = n
	x.outbox.byKey[n.Key] = n.ID
	return nil
}

func (x *txn) UpdateNotification(ctx context.Context, n casefile.Notification) error {
	if err := x.checkNote(ctx, &n); err != nil {
		return err
	}
	cur, ok := x.note(n.ID)
	if !ok {
		return &casefile.NotFoundError{Kind: casefile.KindNotification, ID: n.ID}
	}
	if cur.Key != n.Key {
		return fmt.Errorf("memstore: notification %s: the key cannot change: %w", n.ID, casefile.ErrInvalid)
	}
	if cur.Version != n.Version-1 {
		return &casefile.ConflictError{Kind: casefile.KindNotification, ID: n.ID, Expected: n.Version - 1, Current: cur.Version}
	}
	x.outbox.byID[n.ID] = cloneNote(n)
	return nil
}

func (x *txn) GetNotification(ctx context.Context, id string) (casefile.Notification, error) {
	if err := ctx.Err(); err != nil {
		return casefile.Notification{}, err
	}
	n, ok := x.note(id)
	if !ok {
		return casefile.Notification{}, &casefile.NotFoundError{Kind: casefile.KindNotification, ID: id}
	}
	return cloneNote(n), nil
}

// all returns the transaction's view of every entry matching keep.
func (x *txn) notes(keep func(casefile.Notification) bool) []casefile.Notification {
	var out []casefile.Notification
	for id, n := range x.t.outbox.byID {
		if _, shadowed := x.outbox.byID[id]; !shadowed && keep(n) {
			out = append(out, cloneNote(n))
		}
	}
	for _, n := range x.outbox.byID {
		if keep(n) {
			out = append(out, cloneNote(n))
		}
	}
	return out
}

func (x *txn) ListNotifications(ctx context.Context, q casefile.NotificationQuery) ([]casefile.Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	keys := set(q.Keys)
	out := x.notes(func(n casefile.Notification) bool {
		return (q.Org == "" || n.Org == q.Org) && (q.PersonID == "" || n.PersonID == q.PersonID) &&
			(q.RunID == "" || n.RunID == q.RunID) && (q.Status == "" || n.Status == q.Status) &&
			(q.AfterID == "" || n.ID > q.AfterID) && (keys == nil || keys[n.Key])
	})
	slices.SortFunc(out, func(a, b casefile.Notification) int { return strings.Compare(a.ID, b.ID) })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (x *txn) DueNotifications(ctx context.Context, org string, t time.Time, limit int) ([]casefile.Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	t = t.UTC().Truncate(time.Microsecond)
	out := x.notes(func(n casefile.Notification) bool {
		return n.Org == org && (n.Status == casefile.NotifyPlanned || n.Status == casefile.NotifySending) && !n.Due.After(t)
	})
	slices.SortFunc(out, func(a, b casefile.Notification) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// cloneNote copies n so that neither the caller nor the store share its
// slices, with times at the SQL stores' precision.
func cloneNote(n casefile.Notification) casefile.Notification {
	n.Channels = slices.Clone(n.Channels)
	n.History = slices.Clone(n.History)
	for _, t := range []*time.Time{&n.Due, &n.WindowEnd, &n.CreatedAt, &n.UpdatedAt} {
		*t = t.UTC().Truncate(time.Microsecond)
	}
	for i := range n.History {
		n.History[i].At = n.History[i].At.UTC().Truncate(time.Microsecond)
	}
	return n
}
