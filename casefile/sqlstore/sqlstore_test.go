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
