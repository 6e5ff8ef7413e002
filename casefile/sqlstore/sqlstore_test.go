package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/casefile/storetest"
)

func newSQLite(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "casefile.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) casefile.Store { return newSQLite(t) }, storetest.Options{Households: 20})
}

// postgresDSN returns the test database, or skips when none is configured.
func postgresDSN(t *testing.T) string {
	dsn := os.Getenv("ONESTOP_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("ONESTOP_TEST_POSTGRES_DSN not set: PostgreSQL store not tested")
	}
	return dsn
}

// schemaSeq numbers the schemas tests create themselves.
var schemaSeq atomic.Int64

// newPostgres gives each test its own schema, dropped afterwards, so tests
// are independent and can run against a shared database.
func newPostgres(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenPostgres(context.Background(), storetest.PostgresSchema(t))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func withSearchPath(dsn, schema string) string { return storetest.WithSearchPath(dsn, schema) }

func TestPostgresConformance(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) casefile.Store { return newPostgres(t) }, storetest.Options{Households: 10})
}

func TestMigrationsIdempotentAndForwardOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		s, err := sqlstore.OpenSQLite(ctx, path)
		require.NoError(t, err)
		v, err := s.SchemaVersion(ctx)
		require.NoError(t, err)
		ms, err := sqlstore.Migrations(sqlstore.SQLite)
		require.NoError(t, err)
		require.Equal(t, len(ms), v)
		var n int
		require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n))
		require.Equal(t, len(ms), n, "each migration recorded once")
		if i == 1 {
			_, err = s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')`)
			require.NoError(t, err)
		}
		require.NoError(t, s.Close())
	}
	_, err := sqlstore.OpenSQLite(ctx, path)
	require.ErrorContains(t, err, "newer than this program knows")

	pg, err := sqlstore.Migrations(sqlstore.Postgres)
	require.NoError(t, err)
	lite, err := sqlstore.Migrations(sqlstore.SQLite)
	require.NoError(t, err)
	require.Equal(t, len(lite), len(pg), "both dialects have the same migrations")
	_, err = sqlstore.OpenSQLite(ctx, ":memory:")
	require.Error(t, err)
}

// The README's migration claims on PostgreSQL: idempotent, each migration
// recorded once, a newer schema refused.
func TestPostgresMigrationsIdempotentAndForwardOnly(t *testing.T) {
	dsn := postgresDSN(t)
	ctx := context.Background()
	s := newPostgres(t)
	schema := searchPath(t, s)
	for i := 0; i < 2; i++ {
		s2, err := sqlstore.OpenPostgres(ctx, withSearchPath(dsn, schema))
		require.NoError(t, err)
		var n int
		require.NoError(t, s2.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n))
		ms, err := sqlstore.Migrations(sqlstore.Postgres)
		require.NoError(t, err)
		require.Equal(t, len(ms), n, "each migration recorded once")
		require.NoError(t, s2.Close())
	}
	_, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')`)
	require.NoError(t, err)
	_, err = sqlstore.OpenPostgres(ctx, withSearchPath(dsn, schema))
	require.ErrorContains(t, err, "newer than this program knows")
}

func TestPostgresMigrationsConcurrent(t *testing.T) {
	dsn := postgresDSN(t)
	s := newPostgres(t)
	schema := searchPath(t, s)
	// Several processes starting at once apply nothing twice.
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s2, err := sqlstore.OpenPostgres(context.Background(), withSearchPath(dsn, schema))
			if err == nil {
				s2.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		require.NoError(t, <-errs)
	}
	v, err := s.SchemaVersion(context.Background())
	require.NoError(t, err)
	ms, err := sqlstore.Migrations(sqlstore.Postgres)
	require.NoError(t, err)
	require.Equal(t, len(ms), v)
}

// F9: a process opening a fresh SQLite file while another process is
// still writing it (a second server, a migration job starting beside the
// app) waits for it instead of failing with SQLITE_BUSY: switching to WAL
// mode is a lock upgrade for which SQLite does not call the busy handler.
// The other process is a second connection here; it holds its write
// transaction for 300 ms.
func TestSQLiteOpenWhileAnotherWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fresh.db")
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer other.Close()
	other.SetMaxOpenConns(1)
	tx, err := other.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `CREATE TABLE other_app (a TEXT)`)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		done <- tx.Commit()
	}()
	s, err := sqlstore.OpenSQLite(ctx, path)
	require.NoError(t, err, "the open waits for the other writer")
	require.NoError(t, <-done)
	var mode string
	require.NoError(t, s.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode))
	require.Equal(t, "wal", mode)
	require.NoError(t, s.Close())

	// Opening an existing WAL file while another process holds a write
	// transaction also works (the readers' connections open lazily).
	tx, err = other.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `INSERT INTO other_app VALUES ('x')`)
	require.NoError(t, err)
	go func() {
		time.Sleep(100 * time.Millisecond)
		done <- tx.Commit()
	}()
	s, err = sqlstore.OpenSQLite(ctx, path)
	require.NoError(t, err)
	require.NoError(t, <-done)
	require.NoError(t, s.Close())
}

// F9 too: stores opening a fresh file at the same moment all succeed.
func TestSQLiteConcurrentFirstOpen(t *testing.T) {
	ctx := context.Background()
	for trial := 0; trial < 10; trial++ {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("fresh-%d.db", trial))
		errs := make(chan error, 4)
		start := make(chan struct{})
		for i := 0; i < 4; i++ {
			go func() {
				<-start
				s, err := sqlstore.OpenSQLite(ctx, path)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for i := 0; i < 4; i++ {
			require.NoError(t, <-errs)
		}
	}
}

// F9: several processes starting on an empty PostgreSQL schema at once
// all succeed: the migration lock is taken before schema_migrations is
// created.
func TestPostgresConcurrentFirstOpen(t *testing.T) {
	dsn := postgresDSN(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer admin.Close()
	failed := 0
	for trial := 0; trial < 10; trial++ {
		schema := fmt.Sprintf("casefile_first_%d_%d", os.Getpid(), schemaSeq.Add(1))
		_, err = admin.ExecContext(ctx, `CREATE SCHEMA `+schema)
		require.NoError(t, err)
		errs := make(chan error, 4)
		start := make(chan struct{})
		for i := 0; i < 4; i++ {
			go func() {
				<-start
				s, err := sqlstore.OpenPostgres(ctx, withSearchPath(dsn, schema))
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for i := 0; i < 4; i++ {
			if err := <-errs; err != nil {
				failed++
				t.Logf("trial %d: %v", trial, err)
			}
		}
		_, err = admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		require.NoError(t, err)
	}
	require.Zero(t, failed, "opens that failed on an empty schema")
}
