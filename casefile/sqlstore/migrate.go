package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations of a dialect, in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", d.String())
	ents, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	var out []Migration
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("sqlstore: migration file %s is not named NNNN_name.sql", name)
		}
		b, err := migrationFS.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlstore: migrations must be numbered 1, 2, 3 …; found %d at position %d", m.Version, i+1)
		}
	}
	return out, nil
}

// migrationLock is the PostgreSQL advisory lock key that serialises
// migrations between processes.
const migrationLock = 7263514

// Migrate applies the migrations not yet recorded in schema_migrations and
// returns the schema version reached. It is idempotent, safe when several
// processes start at once (the migration lock is taken before anything is
// created, schema_migrations included) and forward-only: a database whose
// version is newer than this code knows is refused.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return 0, err
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`
	if err := s.writeTx(ctx, func(q querier) error {
		if err := s.lockMigrations(ctx, q); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, create)
		return err
	}); err != nil {
		return 0, fmt.Errorf("sqlstore: create schema_migrations: %w", err)
	}
	current := 0
	for _, m := range ms {
		if err := s.applyOne(ctx, m, len(ms)); err != nil {
			return current, err
		}
		current = m.Version
	}
	return current, nil
}

// applyOne runs migration m in its own transaction unless it is already
// recorded; the check happens under the migration lock, so two processes
// starting together apply it once.
func (s *Store) applyOne(ctx context.Context, m Migration, known int) error {
	return s.writeTx(ctx, func(q querier) error {
		if err := s.lockMigrations(ctx, q); err != nil {
			return err
		}
		var max sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&max); err != nil {
			return err
		}
		if int(max.Int64) > known {
			return fmt.Errorf("sqlstore: database schema version %d is newer than this program knows (%d); upgrade the program", max.Int64, known)
		}
		var n int
		if err := q.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := q.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("sqlstore: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := q.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		return nil
	})
}

// lockMigrations takes the migration lock for the transaction: a
// transaction-level advisory lock on PostgreSQL; on SQLite the IMMEDIATE
// transaction itself is the lock.
func (s *Store) lockMigrations(ctx context.Context, q querier) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(migrationLock)+`)`)
	return err
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var max sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&max); err != nil {
		return 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	return int(max.Int64), nil
}
