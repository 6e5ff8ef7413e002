package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/sqlite"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// errCut is what the faulty connection returns once it has been cut.
var errCut = errors.New("connection reset by peer (injected)")

// injector cuts the connection at the n-th driver operation (statement,
// begin or commit) after it is armed.
type injector struct {
	mu    sync.Mutex
	left  int // operations until the cut; <= 0: disarmed
	cut   bool
	count int
}

func (in *injector) arm(n int) { in.mu.Lock(); in.left, in.cut, in.count = n, false, 0; in.mu.Unlock() }

// step counts one operation and reports whether the connection must fail.
func (in *injector) step() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.left <= 0 {
		return false
	}
	in.count++
	if in.count >= in.left {
		in.left = 0
		in.cut = true
		return true
	}
	return false
}

type faultConnector struct {
	base driver.Driver
	dsn  string
	in   *injector
}

func (c *faultConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.base.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &faultConn{Conn: conn, in: c.in}, nil
}

func (c *faultConnector) Driver() driver.Driver { return c.base }

// faultConn wraps a driver connection; when the injector fires it closes
// the real connection (the server sees the client vanish mid-transaction)
// and fails every later call.
type faultConn struct {
	driver.Conn
	in   *injector
	dead bool
}

func (c *faultConn) fail() error {
	if !c.dead {
		c.dead = true
		c.Conn.Close()
	}
	return errCut
}

func (c *faultConn) check() error {
	if c.dead || c.in.step() {
		return c.fail()
	}
	return nil
}

func (c *faultConn) IsValid() bool { return !c.dead }

func (c *faultConn) ResetSession(ctx context.Context) error {
	if c.dead {
		return driver.ErrBadConn
	}
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &faultTx{Tx: tx, c: c}, nil
}

func (c *faultConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *faultConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *faultConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if c.dead {
		return nil, c.fail()
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &faultStmt{Stmt: st, c: c}, nil
}

type faultStmt struct {
	driver.Stmt
	c *faultConn
}

func (s *faultStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.c.check(); err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *faultStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.c.check(); err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

// Rollback and Close on a cut connection do not reach the driver: the
// real connection is gone (and modernc's would be used after free).
func (t *faultTx) Rollback() error {
	if t.c.dead {
		return errCut
	}
	return t.Tx.Rollback()
}

func (s *faultStmt) Close() error {
	if s.c.dead {
		return nil
	}
	return s.Stmt.Close()
}

func (c *faultConn) Close() error {
	if c.dead {
		return nil
	}
	c.dead = true
	return c.Conn.Close()
}

type faultTx struct {
	driver.Tx
	c *faultConn
}

func (t *faultTx) Commit() error {
	if err := t.c.check(); err != nil {
		return err
	}
	return t.Tx.Commit()
}

// change is the multi-entity transaction the fault tests cut: a new person
// with a 宛名番号, their membership of an existing case, an update of the
// case and two audit records.
func change(ctx context.Context, tx casefile.Tx, caseRow casefile.Row, personID string) error {
	now := time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC)
	p := casefile.Row{Kind: casefile.KindPerson, ID: personID, Tenant: tenant, Version: 1, PersonID: personID,
		Keys: []string{"atena:900001"}, CreatedAt: now, CreatedBy: "u1", UpdatedAt: now, UpdatedBy: "u1", Body: []byte(`{"name":{"family":"試験"}}`)}
	if err := tx.Insert(ctx, p); err != nil {
		return err
	}
	m := p
	m.Kind, m.ID, m.CaseID, m.Keys = casefile.KindMember, personID, caseRow.ID, []string{caseRow.ID + ":" + personID}
	if err := tx.Insert(ctx, m); err != nil {
		return err
	}
	c := caseRow
	c.Version++
	c.UpdatedAt, c.Body = now, []byte(`{"status":"monitoring"}`)
	if err := tx.Update(ctx, c); err != nil {
		return err
	}
	for _, a := range []audit.Action{audit.ActionCreate, audit.ActionUpdate} {
		if err := tx.Audit(audit.Record{At: now, Actor: audit.Actor{User: "u1", Org: "kodomo"}, Action: a,
			Decision: audit.Permit, Subjects: []string{personID}, CaseID: caseRow.ID}); err != nil {
			return err
		}
	}
	return nil
}

const tenant = "131016"

// seed writes a case and one audit entry, and returns the case row.
func seed(t *testing.T, s casefile.Store) casefile.Row {
	ctx := context.Background()
	now := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	c := casefile.Row{Kind: casefile.KindCase, ID: casefile.NewID(), Tenant: tenant, Version: 1, CreatedAt: now, CreatedBy: "u1",
		UpdatedAt: now, UpdatedBy: "u1", Body: []byte(`{"status":"open"}`)}
	require.NoError(t, s.Update(ctx, tenant, func(tx casefile.Tx) error {
		if err := tx.Insert(ctx, c); err != nil {
			return err
		}
		return tx.Audit(audit.Record{At: now, Actor: audit.Actor{User: "u1", Org: "kodomo"}, Action: audit.ActionCreate, Decision: audit.Permit})
	}))
	return c
}

// assertUntouched checks, through an independent store, that nothing of
// the cut transaction was written and the audit chain is intact.
func assertUntouched(t *testing.T, s casefile.Store, c casefile.Row, personID string, wantHead uint64) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.View(ctx, tenant, func(tx casefile.Tx) error {
		_, err := tx.Get(ctx, casefile.KindPerson, personID)
		assert.ErrorIs(t, err, casefile.ErrNotFound, "person written")
		_, err = tx.Get(ctx, casefile.KindMember, personID)
		assert.ErrorIs(t, err, casefile.ErrNotFound, "membership written")
		cur, err := tx.Get(ctx, casefile.KindCase, c.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), cur.Version, "case updated")
		revs, err := tx.Revisions(ctx, casefile.KindCase, c.ID)
		require.NoError(t, err)
		assert.Len(t, revs, 1)
		keyed, err := tx.List(ctx, casefile.Query{Kind: casefile.KindPerson, Key: "atena:900001"})
		require.NoError(t, err)
		assert.Empty(t, keyed, "key taken")
		return nil
	}))
	head, err := s.AuditHead(ctx, tenant)
	require.NoError(t, err)
	assert.Equal(t, wantHead, head.Seq, "audit entries written")
	_, err = audit.Verify(ctx, tenant, func(ctx context.Context, from uint64, fn func(audit.Entry) error) error {
		return s.ScanAudit(ctx, tenant, from, fn)
	}, head, nil, nil)
	require.NoError(t, err)
	seqs, err := s.AuditBySubject(ctx, tenant, personID)
	require.NoError(t, err)
	assert.Empty(t, seqs)
}

// cutEverywhere cuts the connection at every operation of the change in
// turn (1st, 2nd, … up to the commit) and checks that each attempt leaves
// nothing behind; the first n at which the change completes ends the loop.
func cutEverywhere(t *testing.T, open func(in *injector) (faulty, clean casefile.Store)) {
	ctx := context.Background()
	in := &injector{}
	faulty, clean := open(in)
	c := seed(t, clean)
	for n := 1; ; n++ {
		require.Less(t, n, 100, "the change never completed")
		person := casefile.NewID()
		in.arm(n)
		err := faulty.Update(ctx, tenant, func(tx casefile.Tx) error { return change(ctx, tx, c, person) })
		in.mu.Lock()
		cut := in.cut
		in.left = 0
		in.mu.Unlock()
		if !cut {
			require.NoError(t, err)
			t.Logf("the change takes %d driver operations; cut at each of 1..%d, nothing partial", n-1, n-1)
			require.NoError(t, clean.View(ctx, tenant, func(tx casefile.Tx) error {
				_, err := tx.Get(ctx, casefile.KindPerson, person)
				return err
			}))
			return
		}
		require.Error(t, err, "cut at operation %d but Update reported success", n)
		assertUntouched(t, clean, c, person, 1)
	}
}

func TestSQLiteCutConnectionMidTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fault.db")
	cutEverywhere(t, func(in *injector) (casefile.Store, casefile.Store) {
		clean, err := sqlstore.OpenSQLite(context.Background(), path)
		require.NoError(t, err)
		t.Cleanup(func() { clean.Close() })
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
		w := sql.OpenDB(&faultConnector{base: &sqlite.Driver{}, dsn: "file:" + path + "?" + q.Encode(), in: in})
		w.SetMaxOpenConns(1)
		t.Cleanup(func() { w.Close() })
		faulty, err := sqlstore.New(context.Background(), sqlstore.SQLite, w, nil)
		require.NoError(t, err)
		return faulty, clean
	})
}

func TestPostgresCutConnectionMidTransaction(t *testing.T) {
	postgresDSN(t)
	cutEverywhere(t, func(in *injector) (casefile.Store, casefile.Store) {
		clean := newPostgres(t)
		schema := searchPath(t, clean)
		db := sql.OpenDB(&faultConnector{base: stdlib.GetDefaultDriver(), dsn: withSearchPath(postgresDSN(t), schema), in: in})
		t.Cleanup(func() { db.Close() })
		faulty, err := sqlstore.New(context.Background(), sqlstore.Postgres, db, nil)
		require.NoError(t, err)
		return faulty, clean
	})
}

func searchPath(t *testing.T, s *sqlstore.Store) string {
	var schema string
	require.NoError(t, s.DB().QueryRowContext(context.Background(), `SELECT current_schema()`).Scan(&schema))
	return schema
}

// TestPostgresTerminateBackendMidTransaction kills the server process of a
// transaction from a second connection while it is open, as an operator's
// pg_terminate_backend or a crashed server would.
func TestPostgresTerminateBackendMidTransaction(t *testing.T) {
	dsn := postgresDSN(t)
	ctx := context.Background()
	clean := newPostgres(t)
	schema := searchPath(t, clean)
	app := fmt.Sprintf("onestop_fault_%d", time.Now().UnixNano())
	victim, err := sqlstore.OpenPostgres(ctx, withSearchPath(dsn, schema)+"&application_name="+app)
	require.NoError(t, err)
	t.Cleanup(func() { victim.Close() })
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	c := seed(t, clean)

	for _, when := range []string{"before the last statement", "before commit"} {
		t.Run(when, func(t *testing.T) {
			person := casefile.NewID()
			err := victim.Update(ctx, tenant, func(tx casefile.Tx) error {
				if err := change(ctx, tx, c, person); err != nil {
					return err
				}
				var killed int
				require.NoError(t, admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
					WHERE application_name = $1 AND state LIKE 'idle in transaction%'`, app).Scan(&killed))
				require.Equal(t, 1, killed, "the transaction's backend was terminated")
				if when == "before commit" {
					return nil
				}
				_, err := tx.List(ctx, casefile.Query{Kind: casefile.KindPerson})
				return err
			})
			require.Error(t, err)
			assertUntouched(t, clean, c, person, 1)
		})
	}
	// The store recovers: the pool replaces the dead connection.
	person := casefile.NewID()
	require.NoError(t, victim.Update(ctx, tenant, func(tx casefile.Tx) error { return change(ctx, tx, c, person) }))
}
