package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

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
	storetest.Run(t, func(t *testing.T) casefile.Store { return newSQLite(t) }, storetest.Options{})
}

// postgresDSN returns the test database, or skips when none is configured.
func postgresDSN(t *testing.T) string {
	dsn := os.Getenv("ONESTOP_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("ONESTOP_TEST_POSTGRES_DSN not set: PostgreSQL store not tested")
	}
	return dsn
}

var schemaSeq atomic.Int64

// newPostgres gives each test its own schema, dropped afterwards, so tests
// are independent and can run against a shared database.
func newPostgres(t *testing.T) *sqlstore.Store {
	t.Helper()
	dsn := postgresDSN(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("casefile_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	_, err = admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema)
	require.NoError(t, err)
	t.Cleanup(func() { admin.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`) })
	s, err := sqlstore.OpenPostgres(ctx, withSearchPath(dsn, schema))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func TestPostgresConformance(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) casefile.Store { return newPostgres(t) }, storetest.Options{})
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
	require.Equal(t, 1, v)
}
