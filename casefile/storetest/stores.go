package storetest

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
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// Named is one store implementation for tests of packages built on
// casefile (outreach, forms …) that must hold on every store.
type Named struct {
	Name string
	New  Factory
}

// PostgresDSN is the environment variable naming the test database.
const PostgresDSN = "ONESTOP_TEST_POSTGRES_DSN"

// Stores returns the stores of this module: memory, SQLite in a temporary
// directory, and PostgreSQL when ONESTOP_TEST_POSTGRES_DSN is set (each
// store in a schema of its own, dropped when the test ends; without the
// variable the PostgreSQL factory skips the test and says so).
func Stores() []Named {
	return []Named{
		{"memory", func(t *testing.T) casefile.Store { return memstore.New() }},
		{"sqlite", func(t *testing.T) casefile.Store {
			t.Helper()
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "casefile.db"))
			require.NoError(t, err)
			t.Cleanup(func() { s.Close() })
			return s
		}},
		{"postgres", openPostgres},
	}
}

var schemaSeq atomic.Int64

// PostgresSchema creates a schema of its own in the test database
// (ONESTOP_TEST_POSTGRES_DSN; the test is skipped without it), drops it
// when the test ends, and returns the DSN that works in it.
func PostgresSchema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(PostgresDSN)
	if dsn == "" {
		t.Skip(PostgresDSN + " not set: PostgreSQL store not tested")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("storetest_%d_%d", os.Getpid(), schemaSeq.Add(1))
	_, err = admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema)
	require.NoError(t, err)
	t.Cleanup(func() { admin.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`) })
	return WithSearchPath(dsn, schema)
}

// WithSearchPath adds a search_path to a PostgreSQL DSN.
func WithSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func openPostgres(t *testing.T) casefile.Store {
	t.Helper()
	s, err := sqlstore.OpenPostgres(context.Background(), PostgresSchema(t))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}
