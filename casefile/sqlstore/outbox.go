package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
)

// The notification outbox (casefile.OutboxTx) on table outbox (migration
// 0002): indexed columns for the key, the dispatcher's queue and lookups,
// and the entry as JSON.

var _ casefile.OutboxTx = (*txn)(nil)

func (x *txn) InsertNotification(ctx context.Context, n casefile.Notification) error {
	if err := x.checkWrite(&n); err != nil {
		return err
	}
	if n.Version != 1 {
		return fmt.Errorf("sqlstore: insert notification %s with version %d: %w", n.ID, n.Version, casefile.ErrInvalid)
	}
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	// ON CONFLICT DO NOTHING covers both the id and the key, and keeps a
	// PostgreSQL transaction usable: an existing key is an answer, not a
	// failure.
	res, err := x.exec(ctx, `INSERT INTO outbox (tenant_id, id, key, org, person_id, run_id, status, due_at, version, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		x.tenant, n.ID, n.Key, n.Org, n.PersonID, n.RunID, string(n.Status), x.s.timeArg(n.Due), n.Version, string(body))
	if err != nil {
		return x.poison(fmt.Errorf("sqlstore: insert notification %s: %w", n.ID, err))
	}
	if k, err := res.RowsAffected(); err != nil {
		return x.poison(err)
	} else if k == 0 {
		return fmt.Errorf("sqlstore: notification %s: %w", n.Key, casefile.ErrExists)
	}
	return nil
}

func (x *txn) UpdateNotification(ctx context.Context, n casefile.Notification) error {
	if err := x.checkWrite(&n); err != nil {
		return err
	}
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	res, err := x.exec(ctx, `UPDATE outbox SET status = ?, due_at = ?, version = ?, run_id = ?, body = ?
		WHERE tenant_id = ? AND id = ? AND version = ? AND key = ?`,
		string(n.Status), x.s.timeArg(n.Due), n.Version, n.RunID, string(body), x.tenant, n.ID, n.Version-1, n.Key)
	if err != nil {
		return x.poison(fmt.Errorf("sqlstore: update notification %s: %w", n.ID, err))
	}
	k, err := res.RowsAffected()
	if err != nil {
		return x.poison(err)
	}
	if k == 1 {
		return nil
	}
	cur, err := x.GetNotification(ctx, n.ID)
	if err != nil {
		return err
	}
	if cur.Key != n.Key {
		return fmt.Errorf("sqlstore: notification %s: the key cannot change: %w", n.ID, casefile.ErrInvalid)
	}
	return &casefile.ConflictError{Kind: casefile.KindNotification, ID: n.ID, Expected: n.Version - 1, Current: cur.Version}
}

const outboxCols = `version, body`

func scanNotification(sc interface{ Scan(...any) error }) (casefile.Notification, error) {
	var n casefile.Notification
	var version int64
	var body []byte
	if err := sc.Scan(&version, &body); err != nil {
		return n, err
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return n, fmt.Errorf("sqlstore: decode notification: %w", err)
	}
	n.Version = version
	return n, nil
}

func (x *txn) GetNotification(ctx context.Context, id string) (casefile.Notification, error) {
	n, err := scanNotification(x.queryRow(ctx, `SELECT `+outboxCols+` FROM outbox WHERE tenant_id = ? AND id = ?`, x.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, &casefile.NotFoundError{Kind: casefile.KindNotification, ID: id}
	}
	if err != nil {
		return n, fmt.Errorf("sqlstore: get notification %s: %w", id, err)
	}
	return n, nil
}

func (x *txn) ListNotifications(ctx context.Context, q casefile.NotificationQuery) ([]casefile.Notification, error) {
	if q.Keys != nil && len(q.Keys) == 0 {
		return nil, nil
	}
	if len(q.Keys) > maxInList {
		var out []casefile.Notification
		keys := uniq(q.Keys)
		for start := 0; start < len(keys); start += maxInList {
			part := q
			part.Keys, part.Limit = keys[start:min(start+maxInList, len(keys))], 0
			ns, err := x.ListNotifications(ctx, part)
			if err != nil {
				return nil, err
			}
			out = append(out, ns...)
		}
		sortNotifications(out)
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[:q.Limit]
		}
		return out, nil
	}
	var sb strings.Builder
	args := []any{x.tenant}
	sb.WriteString(`SELECT ` + outboxCols + ` FROM outbox WHERE tenant_id = ?`)
	for _, f := range []struct{ col, v string }{{"org", q.Org}, {"person_id", q.PersonID}, {"run_id", q.RunID}, {"status", string(q.Status)}} {
		if f.v != "" {
			sb.WriteString(` AND ` + f.col + ` = ?`)
			args = append(args, f.v)
		}
	}
	if q.AfterID != "" {
		sb.WriteString(` AND id > ?`)
		args = append(args, q.AfterID)
	}
	args = inList(&sb, args, `key`, q.Keys)
	if q.Keys == nil { // by key: look the keys up, sort here (see txn.list)
		sb.WriteString(` ORDER BY id`)
		if q.Limit > 0 {
			fmt.Fprintf(&sb, ` LIMIT %d`, q.Limit)
		}
	}
	rows, err := x.q.QueryContext(ctx, x.s.rebind(sb.String()), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list notifications: %w", err)
	}
	out, err := collectNotifications(rows)
	if err != nil || q.Keys == nil {
		return out, err
	}
	sortNotifications(out)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (x *txn) DueNotifications(ctx context.Context, org string, t time.Time, limit int) ([]casefile.Notification, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := x.query(ctx, `SELECT `+outboxCols+` FROM outbox WHERE tenant_id = ? AND org = ? AND status IN ('planned', 'sending') AND due_at <= ?
		ORDER BY due_at, id LIMIT `+fmt.Sprint(limit), x.tenant, org, x.s.timeArg(t))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: due notifications: %w", err)
	}
	return collectNotifications(rows)
}

func collectNotifications(rows *sql.Rows) ([]casefile.Notification, error) {
	defer rows.Close()
	var out []casefile.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list notifications: %w", err)
	}
	return out, nil
}

func sortNotifications(ns []casefile.Notification) {
	slices.SortFunc(ns, func(a, b casefile.Notification) int { return strings.Compare(a.ID, b.ID) })
}
