package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"               // registers the "sqlite" driver

	"github.com/onestop-jp/onestop/casefile"
)

// Dialect is the SQL database kind.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota + 1
	Postgres
)

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// Store is a casefile.Store on a SQL database. It is safe for concurrent use.
type Store struct {
	dialect Dialect
	w       *sql.DB // writes (SQLite: one connection)
	r       *sql.DB // reads (may be w)
	owned   []*sql.DB
	stmts   sync.Map // stmtKey -> *sql.Stmt (SQLite)
	pending sync.Map // stmtKey -> struct{}: to prepare outside a transaction
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// dropStatements closes and forgets every cached statement.
func (s *Store) dropStatements() {
	s.stmts.Range(func(k, v any) bool {
		s.stmts.Delete(k)
		v.(*sql.Stmt).Close()
		return true
	})
}

// preparePending prepares the statements transactions asked for, once per
// database handle; a failure only means the query keeps running unprepared.
func (s *Store) preparePending(ctx context.Context) {
	s.pending.Range(func(k, _ any) bool {
		s.pending.Delete(k)
		key := k.(stmtKey)
		if _, ok := s.stmts.Load(key); ok {
			return true
		}
		st, err := key.db.PrepareContext(ctx, key.query)
		if err != nil {
			return true
		}
		if _, loaded := s.stmts.LoadOrStore(key, st); loaded {
			st.Close()
		}
		return true
	})
}

var _ casefile.Store = (*Store)(nil)

// busyTimeout is how long SQLite waits for another connection's lock.
const busyTimeout = 10 * time.Second

// OpenSQLite opens (creating if needed) the SQLite database file at path and
// migrates it. Use one Store per file per process; other processes may read
// and write the same file (they wait up to the busy timeout, 10 s), and may
// open it at the same time, the first time too.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, errors.New("sqlstore: SQLite needs a file path (use memstore for an in-memory store)")
	}
	// journal_mode is not in the DSN: switching a new file to WAL is a
	// lock upgrade for which SQLite returns SQLITE_BUSY at once, without
	// calling the busy handler, when another process writes; walMode
	// retries it. WAL is then a property of the file.
	dsn := func(txlock string) string {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")", "synchronous(NORMAL)", "foreign_keys(ON)", "page_size(16384)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := walMode(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4) // a closed connection loses its page cache
	s, err := newStore(ctx, SQLite, w, r)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	s.owned = []*sql.DB{w, r}
	return s, nil
}

// walMode switches the database to WAL journaling, retrying while other
// connections hold locks, for up to the busy timeout.
func walMode(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	wait := 5 * time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode)
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		if err != nil && !isBusy(err) {
			return fmt.Errorf("switch to WAL: %w", err)
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("journal mode stays %q", mode)
			}
			return fmt.Errorf("switch to WAL: still locked by another process after %v: %w", busyTimeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 200*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED
// (with any extended code): another connection holds a lock.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}

// OpenPostgres connects to PostgreSQL with a pgx DSN
// ("postgres://user:pass@host:5432/db?sslmode=…") and migrates the schema.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	s, err := newStore(ctx, Postgres, db, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.owned = []*sql.DB{db}
	return s, nil
}

// New makes a Store on databases the caller opened and configured, and
// migrates them. For SQLite, w must allow one open connection and begin
// IMMEDIATE transactions (DSN _txlock=immediate); r is for reads and may be
// nil (then w serves reads too). The caller closes the databases.
func New(ctx context.Context, d Dialect, w, r *sql.DB) (*Store, error) {
	if r == nil {
		r = w
	}
	return newStore(ctx, d, w, r)
}

func newStore(ctx context.Context, d Dialect, w, r *sql.DB) (*Store, error) {
	if d != SQLite && d != Postgres {
		return nil, fmt.Errorf("sqlstore: unknown dialect %d", int(d))
	}
	s := &Store{dialect: d, w: w, r: r}
	if err := w.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: connect %s: %w", d, err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the database used for writes, for backups and administration.
func (s *Store) DB() *sql.DB { return s.w }

// Close closes the databases the Store opened itself.
func (s *Store) Close() error {
	var errs []error
	s.stmts.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	for _, db := range s.owned {
		errs = append(errs, db.Close())
	}
	return errors.Join(errs...)
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeTx runs fn in a read-write transaction on w.
func (s *Store) writeTx(ctx context.Context, fn func(q querier) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// rebind turns ? placeholders into $1, $2 … for PostgreSQL.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// timeArg encodes a time for the dialect, at microsecond precision in UTC.
func (s *Store) timeArg(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if s.dialect == SQLite {
		return t.Format(timeLayout)
	}
	return t
}

// dbTime scans either a time or its text form.
type dbTime struct{ t *time.Time }

func (d dbTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d.t = x.UTC()
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	case nil:
		*d.t = time.Time{}
		return nil
	}
	return fmt.Errorf("sqlstore: cannot scan %T as time", v)
}

func (d dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("sqlstore: bad time %q: %w", s, err)
	}
	*d.t = t.UTC()
	return nil
}
