package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
)

// Update runs fn in a read-write transaction.
func (s *Store) Update(ctx context.Context, tenant string, fn func(casefile.Tx) error) error {
	if tenant == "" {
		return errors.New("sqlstore: tenant is required")
	}
	err := s.writeTx(ctx, func(q querier) error {
		x := &txn{s: s, q: q, tenant: tenant, writable: true}
		if err := fn(x); err != nil {
			return err
		}
		if x.poisoned != nil {
			return fmt.Errorf("sqlstore: transaction abandoned after a failed write: %w", x.poisoned)
		}
		return x.flushAudit(ctx)
	})
	err = s.retryable(err)
	s.afterTx(ctx, err)
	return err
}

// retryable turns the database's "abort and retry" errors into a
// *casefile.RetryError: PostgreSQL deadlocks and serialization failures,
// SQLite locks held past the busy timeout. Nothing of the transaction was
// written.
func (s *Store) retryable(err error) error {
	if err == nil {
		return nil
	}
	var re *casefile.RetryError
	if errors.As(err, &re) {
		return err
	}
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "40P01":
		return &casefile.RetryError{Reason: "deadlock", Err: err}
	case errors.As(err, &pe) && pe.Code == "40001":
		return &casefile.RetryError{Reason: "serialization_failure", Err: err}
	case isBusy(err):
		return &casefile.RetryError{Reason: "busy", Err: err}
	}
	return err
}

// afterTx maintains the statement cache once a transaction has released its
// connection. After an unexpected error the connection may be dead; cached
// statements pin dead connections in database/sql's pool (with SQLite's one
// writer connection that would block every later write), so they are
// dropped and prepared again on demand.
func (s *Store) afterTx(ctx context.Context, err error) {
	if err != nil && !isDomainError(err) {
		s.dropStatements()
		return
	}
	s.preparePending(ctx)
}

func isDomainError(err error) bool {
	for _, target := range []error{casefile.ErrConflict, casefile.ErrNotFound, casefile.ErrDuplicateKey, casefile.ErrExists,
		casefile.ErrAppendOnly, casefile.ErrInvalid, casefile.ErrReadOnly, casefile.ErrDenied} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, tenant string, fn func(casefile.Tx) error) error {
	if tenant == "" {
		return errors.New("sqlstore: tenant is required")
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	} else {
		opts = nil
	}
	err := s.retryable(s.view(ctx, tenant, opts, fn))
	s.afterTx(ctx, err)
	return err
}

func (s *Store) view(ctx context.Context, tenant string, opts *sql.TxOptions, fn func(casefile.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	return fn(&txn{s: s, q: tx, tenant: tenant})
}

type txn struct {
	s        *Store
	q        querier
	tenant   string
	writable bool
	audit    []audit.Record
	poisoned error // a write failed after changing something
}

func (x *txn) Tenant() string { return x.tenant }

func (x *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := x.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return x.q.ExecContext(ctx, x.s.rebind(query), args...)
}

func (x *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := x.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return x.q.QueryRowContext(ctx, x.s.rebind(query), args...)
}

func (x *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := x.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return x.q.QueryContext(ctx, x.s.rebind(query), args...)
}

// stmt returns the transaction's copy of a cached prepared statement, or
// nil to run the query directly (PostgreSQL: pgx caches statements itself).
func (x *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	tx, ok := x.q.(*sql.Tx)
	if !ok || x.s.dialect != SQLite {
		return nil
	}
	db := x.s.r
	if x.writable {
		db = x.s.w
	}
	st, ok := x.s.stmts.Load(stmtKey{db, query})
	if !ok {
		// Preparing on db now would wait for the connection this
		// transaction holds; prepare after it ends instead.
		x.s.pending.Store(stmtKey{db, query}, struct{}{})
		return nil
	}
	return tx.StmtContext(ctx, st.(*sql.Stmt))
}

const rowCols = `kind, id, tenant_id, version, case_id, person_id, created_at, created_by, updated_at, updated_by, body`

func scanRow(sc interface{ Scan(...any) error }) (casefile.Row, error) {
	var r casefile.Row
	var body []byte
	err := sc.Scan(&r.Kind, &r.ID, &r.Tenant, &r.Version, &r.CaseID, &r.PersonID,
		dbTime{&r.CreatedAt}, &r.CreatedBy, dbTime{&r.UpdatedAt}, &r.UpdatedBy, &body)
	r.Body = body
	return r, err
}

func (x *txn) Get(ctx context.Context, kind casefile.Kind, id string) (casefile.Row, error) {
	row := x.queryRow(ctx, `SELECT `+rowCols+` FROM records WHERE tenant_id = ? AND kind = ? AND id = ?`, x.tenant, string(kind), id)
	r, err := scanRow(row)
	if errors.Is(err, sql.ErrNoRows) {
		return casefile.Row{}, &casefile.NotFoundError{Kind: kind, ID: id}
	}
	if err != nil {
		return casefile.Row{}, fmt.Errorf("sqlstore: get %s %s: %w", kind, id, err)
	}
	return r, nil
}

// indexFor names the index a SQLite query by case or person must use.
// Without statistics (no ANALYZE has run) SQLite's planner prefers the
// primary key (tenant_id, kind, id) — it gives the id order — and scans
// every row of the kind for each query: measured on 20,000 households, a
// lookup of 500 persons' consents read 5,263 pages instead of 55, and a
// case read was a scan of the tenant. PostgreSQL plans from its statistics.
func (s *Store) indexFor(q casefile.Query) string {
	if s.dialect != SQLite || q.Key != "" || q.IDs != nil {
		return ""
	}
	switch {
	case q.CaseID != "" || q.CaseIDs != nil:
		return ` INDEXED BY records_by_case`
	case q.PersonID != "" || q.PersonIDs != nil:
		return ` INDEXED BY records_by_person`
	}
	return ""
}

// maxInList is the most values one IN (…) list carries; longer lists are
// read in chunks (SQLite allows 32,766 parameters, PostgreSQL 65,535).
const maxInList = 500

func (x *txn) List(ctx context.Context, q casefile.Query) ([]casefile.Row, error) {
	lists := []*[]string{&q.IDs, &q.CaseIDs, &q.PersonIDs}
	longest := -1
	for i, l := range lists {
		if *l == nil {
			continue
		}
		if len(*l) == 0 {
			return nil, nil
		}
		*l = uniq(*l)
		if longest < 0 || len(*l) > len(*lists[longest]) {
			longest = i
		}
	}
	if longest < 0 || len(*lists[longest]) <= maxInList {
		return x.list(ctx, q)
	}
	all := *lists[longest]
	var out []casefile.Row
	for start := 0; start < len(all); start += maxInList {
		*lists[longest] = all[start:min(start+maxInList, len(all))]
		rows, err := x.list(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	slices.SortFunc(out, func(a, b casefile.Row) int { return strings.Compare(a.ID, b.ID) })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// uniq returns the distinct values of list, sorted.
func uniq(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// inList appends " AND col IN (?, …)" for the values.
func inList(sb *strings.Builder, args []any, col string, values []string) []any {
	if values == nil {
		return args
	}
	sb.WriteString(` AND ` + col + ` IN (`)
	for i, v := range values {
		if i > 0 {
			sb.WriteString(`, `)
		}
		sb.WriteByte('?')
		args = append(args, v)
	}
	sb.WriteByte(')')
	return args
}

func (x *txn) list(ctx context.Context, q casefile.Query) ([]casefile.Row, error) {
	var sb strings.Builder
	args := []any{x.tenant, string(q.Kind)}
	sb.WriteString(`SELECT ` + rowCols + ` FROM records` + x.s.indexFor(q) + ` WHERE tenant_id = ? AND kind = ?`)
	if q.CaseID != "" {
		sb.WriteString(` AND case_id = ?`)
		args = append(args, q.CaseID)
	}
	if q.PersonID != "" {
		sb.WriteString(` AND person_id = ?`)
		args = append(args, q.PersonID)
	}
	if q.Key != "" {
		sb.WriteString(` AND id IN (SELECT id FROM record_keys WHERE tenant_id = ? AND kind = ? AND key = ?)`)
		args = append(args, x.tenant, string(q.Kind), q.Key)
	}
	if q.AfterID != "" {
		sb.WriteString(` AND id > ?`)
		args = append(args, q.AfterID)
	}
	args = inList(&sb, args, `id`, q.IDs)
	args = inList(&sb, args, `case_id`, q.CaseIDs)
	args = inList(&sb, args, `person_id`, q.PersonIDs)
	batch := q.IDs != nil || q.CaseIDs != nil || q.PersonIDs != nil
	if !batch {
		sb.WriteString(` ORDER BY id`)
		if q.Limit > 0 {
			fmt.Fprintf(&sb, ` LIMIT %d`, q.Limit)
		}
	}
	var rows *sql.Rows
	var err error
	if batch {
		// No ORDER BY: asked for id order, SQLite scans the whole kind
		// by primary key rather than looking the list up in the case or
		// person index and sorting. The rows are sorted here instead.
		// Batch reads vary in length: not worth a cached statement each.
		rows, err = x.q.QueryContext(ctx, x.s.rebind(sb.String()), args...)
	} else {
		rows, err = x.query(ctx, sb.String(), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list %s: %w", q.Kind, err)
	}
	defer rows.Close()
	var out []casefile.Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list %s: %w", q.Kind, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list %s: %w", q.Kind, err)
	}
	if batch {
		slices.SortFunc(out, func(a, b casefile.Row) int { return strings.Compare(a.ID, b.ID) })
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[:q.Limit]
		}
	}
	return out, nil
}

// checkWrite refuses a write in a read-only or abandoned transaction, and
// a row or notification that is malformed or of another tenant.
func (x *txn) checkWrite(v interface{ CheckFor(tenant string) error }) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if x.poisoned != nil {
		return fmt.Errorf("sqlstore: transaction abandoned: %w", x.poisoned)
	}
	if err := v.CheckFor(x.tenant); err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	return nil
}

// keyConflict returns a *DuplicateKeyError when another entity holds one
// of r's keys.
func (x *txn) keyConflict(ctx context.Context, r casefile.Row) error {
	for _, k := range r.Keys {
		var owner string
		err := x.queryRow(ctx, `SELECT id FROM record_keys WHERE tenant_id = ? AND kind = ? AND key = ?`,
			x.tenant, string(r.Kind), k).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlstore: check key: %w", err)
		}
		if owner != r.ID {
			return &casefile.DuplicateKeyError{Kind: r.Kind, Key: k, OwnerID: owner}
		}
	}
	return nil
}

// poison marks the transaction unusable after a write that may have
// half-happened, so it is rolled back even if fn ignores the error.
func (x *txn) poison(err error) error {
	if x.poisoned == nil {
		x.poisoned = err
	}
	return err
}

func (x *txn) Insert(ctx context.Context, r casefile.Row) error {
	if err := x.checkWrite(r); err != nil {
		return err
	}
	if r.Version != 1 {
		return fmt.Errorf("sqlstore: insert %s %s with version %d: %w", r.Kind, r.ID, r.Version, casefile.ErrInvalid)
	}
	if err := x.keyConflict(ctx, r); err != nil {
		return err
	}
	res, err := x.exec(ctx, `INSERT INTO records (`+strings.ReplaceAll(rowCols, "kind, id, tenant_id", "tenant_id, kind, id")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kind, id) DO NOTHING`,
		x.tenant, string(r.Kind), r.ID, r.Version, r.CaseID, r.PersonID,
		x.s.timeArg(r.CreatedAt), r.CreatedBy, x.s.timeArg(r.UpdatedAt), r.UpdatedBy, string(r.Body))
	if err != nil {
		return x.poison(fmt.Errorf("sqlstore: insert %s %s: %w", r.Kind, r.ID, err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return x.poison(err)
	} else if n == 0 {
		return fmt.Errorf("sqlstore: %s %s: %w", r.Kind, r.ID, casefile.ErrExists)
	}
	if err := x.putKeys(ctx, r, nil); err != nil {
		return x.poison(err)
	}
	return x.revision(ctx, r)
}

func (x *txn) putKeys(ctx context.Context, r casefile.Row, old []string) error {
	for _, k := range old {
		if !slices.Contains(r.Keys, k) {
			if _, err := x.exec(ctx, `DELETE FROM record_keys WHERE tenant_id = ? AND kind = ? AND key = ? AND id = ?`,
				x.tenant, string(r.Kind), k, r.ID); err != nil {
				return fmt.Errorf("sqlstore: release key: %w", err)
			}
		}
	}
	for _, k := range r.Keys {
		if _, err := x.exec(ctx, `INSERT INTO record_keys (tenant_id, kind, key, id) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, kind, key) DO NOTHING`,
			x.tenant, string(r.Kind), k, r.ID); err != nil {
			return fmt.Errorf("sqlstore: put key: %w", err)
		}
		// A concurrent transaction may have taken the key since the check.
		var owner string
		if err := x.queryRow(ctx, `SELECT id FROM record_keys WHERE tenant_id = ? AND kind = ? AND key = ?`,
			x.tenant, string(r.Kind), k).Scan(&owner); err != nil {
			return fmt.Errorf("sqlstore: put key: %w", err)
		}
		if owner != r.ID {
			return &casefile.DuplicateKeyError{Kind: r.Kind, Key: k, OwnerID: owner}
		}
	}
	return nil
}

func (x *txn) revision(ctx context.Context, r casefile.Row) error {
	if _, err := x.exec(ctx, `INSERT INTO record_revisions (tenant_id, kind, id, version, updated_at, updated_by, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		x.tenant, string(r.Kind), r.ID, r.Version, x.s.timeArg(r.UpdatedAt), r.UpdatedBy, string(r.Body)); err != nil {
		return x.poison(fmt.Errorf("sqlstore: revision %s %s v%d: %w", r.Kind, r.ID, r.Version, err))
	}
	return nil
}

func (x *txn) Update(ctx context.Context, r casefile.Row) error {
	if err := x.checkWrite(r); err != nil {
		return err
	}
	if r.Kind.AppendOnly() {
		return fmt.Errorf("sqlstore: %s %s: %w", r.Kind, r.ID, casefile.ErrAppendOnly)
	}
	if err := x.keyConflict(ctx, r); err != nil {
		return err
	}
	res, err := x.exec(ctx, `UPDATE records SET version = ?, case_id = ?, person_id = ?, updated_at = ?, updated_by = ?, body = ?
		WHERE tenant_id = ? AND kind = ? AND id = ? AND version = ?`,
		r.Version, r.CaseID, r.PersonID, x.s.timeArg(r.UpdatedAt), r.UpdatedBy, string(r.Body),
		x.tenant, string(r.Kind), r.ID, r.Version-1)
	if err != nil {
		return x.poison(fmt.Errorf("sqlstore: update %s %s: %w", r.Kind, r.ID, err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return x.poison(err)
	}
	if n == 0 {
		var cur int64
		err := x.queryRow(ctx, `SELECT version FROM records WHERE tenant_id = ? AND kind = ? AND id = ?`,
			x.tenant, string(r.Kind), r.ID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return &casefile.NotFoundError{Kind: r.Kind, ID: r.ID}
		}
		if err != nil {
			return fmt.Errorf("sqlstore: update %s %s: %w", r.Kind, r.ID, err)
		}
		return &casefile.ConflictError{Kind: r.Kind, ID: r.ID, Expected: r.Version - 1, Current: cur}
	}
	oldKeys, err := x.keysOf(ctx, r)
	if err != nil {
		return x.poison(err)
	}
	if err := x.putKeys(ctx, r, oldKeys); err != nil {
		return x.poison(err)
	}
	return x.revision(ctx, r)
}

func (x *txn) keysOf(ctx context.Context, r casefile.Row) ([]string, error) {
	rows, err := x.query(ctx, `SELECT key FROM record_keys WHERE tenant_id = ? AND kind = ? AND id = ?`, x.tenant, string(r.Kind), r.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: keys of %s %s: %w", r.Kind, r.ID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (x *txn) Revisions(ctx context.Context, kind casefile.Kind, id string) ([]casefile.Row, error) {
	rows, err := x.query(ctx, `SELECT version, updated_at, updated_by, body FROM record_revisions
		WHERE tenant_id = ? AND kind = ? AND id = ? ORDER BY version`, x.tenant, string(kind), id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: revisions %s %s: %w", kind, id, err)
	}
	defer rows.Close()
	var out []casefile.Row
	for rows.Next() {
		r := casefile.Row{Kind: kind, ID: id, Tenant: x.tenant}
		var body []byte
		if err := rows.Scan(&r.Version, dbTime{&r.UpdatedAt}, &r.UpdatedBy, &body); err != nil {
			return nil, fmt.Errorf("sqlstore: revisions %s %s: %w", kind, id, err)
		}
		r.Body = body
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &casefile.NotFoundError{Kind: kind, ID: id}
	}
	return out, nil
}

func (x *txn) Audit(r audit.Record) error {
	if !x.writable {
		return casefile.ErrReadOnly
	}
	if err := r.Validate(); err != nil {
		return err
	}
	x.audit = append(x.audit, r)
	return nil
}

// flushAudit seals the queued records onto the tenant's chain, holding the
// head row, as the last statements of the transaction.
func (x *txn) flushAudit(ctx context.Context) error {
	if len(x.audit) == 0 {
		return nil
	}
	lock := ""
	if x.s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	head := audit.Head{Tenant: x.tenant}
	var hash []byte
	err := x.queryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = ?`+lock, x.tenant).Scan(&head.Seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// First entry of this tenant. Concurrent first appends meet at the
		// primary key: ON CONFLICT waits for the other and then locks its row.
		if _, err := x.exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT (tenant_id) DO NOTHING`,
			x.tenant, make([]byte, 32)); err != nil {
			return fmt.Errorf("sqlstore: audit head: %w", err)
		}
		err = x.queryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = ?`+lock, x.tenant).Scan(&head.Seq, &hash)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: audit head: %w", err)
	}
	if len(hash) != 32 {
		return fmt.Errorf("sqlstore: audit head of %s has a %d-byte hash", x.tenant, len(hash))
	}
	copy(head.Hash[:], hash)
	for _, r := range x.audit {
		e, err := audit.Seal(head, r)
		if err != nil {
			return err
		}
		body, err := json.Marshal(e.Record)
		if err != nil {
			return err
		}
		if _, err := x.exec(ctx, `INSERT INTO audit_log (tenant_id, seq, at, record, prev_hash, leaf_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			x.tenant, e.Seq, x.s.timeArg(e.At), string(body), e.PrevHash[:], e.Leaf[:], e.Hash[:]); err != nil {
			return fmt.Errorf("sqlstore: append audit %d: %w", e.Seq, err)
		}
		seen := map[string]bool{}
		for _, p := range e.Subjects {
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, err := x.exec(ctx, `INSERT INTO audit_subjects (tenant_id, person_id, seq) VALUES (?, ?, ?)`, x.tenant, p, e.Seq); err != nil {
				return fmt.Errorf("sqlstore: audit subject: %w", err)
			}
		}
		head = e.Head()
	}
	if _, err := x.exec(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?`, head.Seq, head.Hash[:], x.tenant); err != nil {
		return fmt.Errorf("sqlstore: audit head: %w", err)
	}
	return nil
}

// AuditHead returns the chain head.
func (s *Store) AuditHead(ctx context.Context, tenant string) (audit.Head, error) {
	head := audit.Head{Tenant: tenant}
	var hash []byte
	err := s.r.QueryRowContext(ctx, s.rebind(`SELECT seq, hash FROM audit_heads WHERE tenant_id = ?`), tenant).Scan(&head.Seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return head, nil
	}
	if err != nil {
		return head, fmt.Errorf("sqlstore: audit head: %w", err)
	}
	copy(head.Hash[:], hash)
	return head, nil
}

// ScanAudit streams entries in sequence order, in pages, so a long
// verification does not hold one transaction open.
func (s *Store) ScanAudit(ctx context.Context, tenant string, from uint64, fn func(audit.Entry) error) error {
	const page = 5000
	for {
		n := 0
		rows, err := s.r.QueryContext(ctx, s.rebind(`SELECT seq, record, prev_hash, leaf_hash, hash FROM audit_log
			WHERE tenant_id = ? AND seq >= ? ORDER BY seq LIMIT `+fmt.Sprint(page)), tenant, from)
		if err != nil {
			return fmt.Errorf("sqlstore: scan audit: %w", err)
		}
		var batch []audit.Entry
		for rows.Next() {
			e := audit.Entry{Tenant: tenant}
			var rec, prev, leaf, hash []byte
			if err := rows.Scan(&e.Seq, &rec, &prev, &leaf, &hash); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: scan audit: %w", err)
			}
			if err := json.Unmarshal(rec, &e.Record); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: audit entry %d: %w", e.Seq, err)
			}
			copy(e.PrevHash[:], prev)
			copy(e.Leaf[:], leaf)
			copy(e.Hash[:], hash)
			batch = append(batch, e)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: scan audit: %w", err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if n < page {
			return nil
		}
		from = batch[len(batch)-1].Seq + 1
	}
}

// AuditBySubject returns the entries naming person.
func (s *Store) AuditBySubject(ctx context.Context, tenant, person string) ([]uint64, error) {
	rows, err := s.r.QueryContext(ctx, s.rebind(`SELECT seq FROM audit_subjects WHERE tenant_id = ? AND person_id = ? ORDER BY seq`), tenant, person)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: audit by subject: %w", err)
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var seq uint64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		out = append(out, seq)
	}
	return out, rows.Err()
}
