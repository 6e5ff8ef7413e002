package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/casefile/storetest"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// oldDatabase is a database created by schema versions 1–2 only, as a
// program of record format 1 left it.
type oldDatabase struct {
	dialect sqlstore.Dialect
	// create opens the raw database the old program wrote.
	create func(t *testing.T) *sql.DB
	// open opens it with this program, which migrates it.
	open func(t *testing.T) (*sqlstore.Store, error)
}

func upgradeTargets(t *testing.T) map[string]oldDatabase {
	path := filepath.Join(t.TempDir(), "old.db")
	out := map[string]oldDatabase{
		"sqlite": {
			dialect: sqlstore.SQLite,
			create: func(t *testing.T) *sql.DB {
				db, err := sql.Open("sqlite", "file:"+path)
				require.NoError(t, err)
				return db
			},
			open: func(t *testing.T) (*sqlstore.Store, error) {
				return sqlstore.OpenSQLite(context.Background(), path)
			},
		},
	}
	var dsn string
	out["postgres"] = oldDatabase{
		dialect: sqlstore.Postgres,
		create: func(t *testing.T) *sql.DB {
			dsn = storetest.PostgresSchema(t) // skips without a test database
			db, err := sql.Open("pgx", dsn)
			require.NoError(t, err)
			return db
		},
		open: func(t *testing.T) (*sqlstore.Store, error) {
			return sqlstore.OpenPostgres(context.Background(), dsn)
		},
	}
	return out
}

// A database at schema version 2 holding records in the earlier format
// (lives_with and registered_same_household always written, none of the
// household facts) is migrated to the latest version, keeps every row and
// reads as it meant: an old false is false, a fact it never held is not
// known, a membership period still bounds the household. A record updated
// afterwards keeps its old revision unchanged in its history.
func TestUpgradeFromRecordFormat1(t *testing.T) {
	for name, target := range upgradeTargets(t) {
		t.Run(name, func(t *testing.T) {
			testUpgradeFromRecordFormat1(t, target)
		})
	}
}

func testUpgradeFromRecordFormat1(t *testing.T, target oldDatabase) {
	ctx := context.Background()
	db := target.create(t)
	// $n placeholders: PostgreSQL's, and SQLite binds them by number too
	exec := func(q string, args ...any) {
		t.Helper()
		_, err := db.ExecContext(ctx, q, args...)
		require.NoError(t, err, q)
	}
	ms, err := sqlstore.Migrations(target.dialect)
	require.NoError(t, err)
	require.Greater(t, len(ms), 2)
	require.Equal(t, "household_facts", ms[2].Name)
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	for _, m := range ms[:2] {
		exec(m.SQL)
		exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, '2026-06-01T00:00:00Z')`, m.Version, m.Name)
	}
	const tenant, desk = "131016", "hitorioya-desk"
	at := "2026-06-01T00:00:00.000000Z"
	insert := func(kind casefile.Kind, id, caseID, personID, key, body string) {
		exec(`INSERT INTO records (tenant_id, kind, id, version, case_id, person_id, created_at, created_by, updated_at, updated_by, body)
			VALUES ($1, $2, $3, 1, $4, $5, $6, 'old', $7, 'old', $8)`, tenant, string(kind), id, caseID, personID, at, at, body)
		exec(`INSERT INTO record_revisions (tenant_id, kind, id, version, updated_at, updated_by, body) VALUES ($1, $2, $3, 1, $4, 'old', $5)`,
			tenant, string(kind), id, at, body)
		if key != "" {
			exec(`INSERT INTO record_keys (tenant_id, kind, key, id) VALUES ($1, $2, $3, $4)`, tenant, string(kind), key, id)
		}
	}
	insert(casefile.KindPerson, "p-mother", "", "p-mother", "", `{"name":{"family":"山田","given":"花子"},"birth_date":"1990-05-01","address":{},"disability":{"kind":"none"}}`)
	insert(casefile.KindPerson, "p-child", "", "p-child", "", `{"name":{"family":"山田","given":"太郎"},"birth_date":"2015-07-07","address":{},"disability":{"kind":"physical","grade":"2"}}`)
	insert(casefile.KindCase, "c-1", "c-1", "p-mother", "", `{"subject_id":"p-mother","status":"open","owner_org":"`+desk+`","opened_on":"2026-04-01","closed_on":"","situation":"divorced"}`)
	insert(casefile.KindMember, "m-1", "c-1", "p-mother", "c-1:p-mother", `{"case_id":"c-1","person_id":"p-mother","relationship":{"code":"self"},"lives_with":true,"registered_same_household":true,"period":{"from":"","to":""}}`)
	insert(casefile.KindMember, "m-2", "c-1", "p-child", "c-1:p-child", `{"case_id":"c-1","person_id":"p-child","relationship":{"code":"child"},"lives_with":false,"registered_same_household":true,"period":{"from":"2026-04-01","to":""}}`)
	require.NoError(t, db.Close())

	st, err := target.open(t)
	require.NoError(t, err)
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, len(ms), v, "migrated to the latest version")
	var rows int
	require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM records`).Scan(&rows))
	assert.Equal(t, 5, rows, "every record kept")

	svc, err := casefile.New(st, casefile.Config{
		Roles: map[string]casefile.Permission{"cw": casefile.PermRead | casefile.PermWrite | casefile.PermSensitive},
		Now:   func() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	a := casefile.Actor{Tenant: tenant, User: "u", Org: desk, Role: "cw"}
	read := consent.PurposeConsultation
	h, err := svc.Household(ctx, a, "c-1", civil.MustDate(2026, 12, 4), casefile.ReadOptions{Purpose: read})
	require.NoError(t, err)
	require.Len(t, h.Members, 2)
	child := h.Members[1]
	require.NotNil(t, child.LivesWith)
	assert.False(t, *child.LivesWith, "an old false is false")
	assert.Nil(t, child.Supported, "a fact the old format never held is not known")
	assert.Nil(t, child.InFacility)
	assert.Nil(t, child.School)
	require.NotNil(t, child.Disability)
	assert.Nil(t, child.Disability.AllowanceLevel)
	assert.Nil(t, h.ApplicantRole)
	assert.Nil(t, h.DeFactoPartner)
	assert.Nil(t, h.GradeArea)
	assert.Nil(t, h.Extra)
	// before the membership's start the child was not in the household
	h, err = svc.Household(ctx, a, "c-1", civil.MustDate(2026, 3, 31), casefile.ReadOptions{Purpose: read})
	require.NoError(t, err)
	assert.Len(t, h.Members, 1)

	// this program writes a fact the old format could not hold
	require.NoError(t, svc.Change(ctx, a, read, func(c *casefile.Changes) error {
		var m casefile.HouseholdMember
		if err := c.Get("m-2", &m); err != nil {
			return err
		}
		yes := true
		m.Supported = &yes
		return c.Update(&m)
	}))
	h, err = svc.Household(ctx, a, "c-1", civil.MustDate(2026, 12, 4), casefile.ReadOptions{Purpose: read})
	require.NoError(t, err)
	require.NotNil(t, h.Members[1].Supported)
	assert.True(t, *h.Members[1].Supported)
	require.NotNil(t, h.Members[1].LivesWith)
	assert.False(t, *h.Members[1].LivesWith, "updating one fact keeps the others")
	hist, err := svc.History(ctx, a, casefile.KindMember, "m-2")
	require.NoError(t, err)
	require.Len(t, hist, 2)
	first := hist[0].(*casefile.HouseholdMember)
	assert.Nil(t, first.Supported, "the old revision reads as written")
	require.NotNil(t, first.LivesWith)
	assert.False(t, *first.LivesWith)
	require.NotNil(t, first.RegisteredSameHousehold)
	assert.True(t, *first.RegisteredSameHousehold)
}
