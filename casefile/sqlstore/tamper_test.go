package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// tamperCases edit the audit tables directly, as a database administrator
// could, and expect verification to notice. Each runs on a fresh log of 20
// entries with a checkpoint at 20.
var tamperCases = []struct {
	name string
	sql  []string
	kind audit.TamperKind
}{
	{"edit purpose", []string{`UPDATE audit_log SET record = REPLACE(record, '"purpose":"p5"', '"purpose":"curiosity"') WHERE seq = 5`}, audit.Edited},
	{"edit subject", []string{`UPDATE audit_log SET record = REPLACE(record, 'person-7', 'person-0') WHERE seq = 7`}, audit.Edited},
	{"reorder", []string{`UPDATE audit_log SET seq = 1000 WHERE seq = 8`, `UPDATE audit_log SET seq = 8 WHERE seq = 9`, `UPDATE audit_log SET seq = 9 WHERE seq = 1000`}, audit.Relinked},
	{"delete", []string{`DELETE FROM audit_log WHERE seq = 11`}, audit.Deleted},
	{"delete and renumber", []string{`DELETE FROM audit_log WHERE seq = 11`, `UPDATE audit_log SET seq = seq - 1 WHERE seq > 11`,
		`UPDATE audit_heads SET seq = 19`}, audit.Relinked},
	{"truncate and rewrite head", []string{`DELETE FROM audit_log WHERE seq > 15`,
		`UPDATE audit_heads SET seq = 15, hash = (SELECT hash FROM audit_log WHERE seq = 15)`}, audit.Truncated},
}

func runTamper(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
	ctx := context.Background()
	signer, err := audit.NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)))
	require.NoError(t, err)
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			for i := 1; i <= 20; i++ {
				require.NoError(t, s.Update(ctx, tenant, func(tx casefile.Tx) error {
					return tx.Audit(audit.Record{At: time.Date(2025, 4, 1, 9, 0, i, 0, time.UTC), Actor: audit.Actor{User: "u1", Org: "kodomo"},
						Action: audit.ActionRead, Purpose: fmt.Sprintf("p%d", i), Decision: audit.Permit, Subjects: []string{fmt.Sprintf("person-%d", i)}})
				}))
			}
			head, err := s.AuditHead(ctx, tenant)
			require.NoError(t, err)
			cp := signer.Sign(head, time.Now())
			verify := func() error {
				h, err := s.AuditHead(ctx, tenant)
				require.NoError(t, err)
				_, err = audit.Verify(ctx, tenant, func(ctx context.Context, from uint64, fn func(audit.Entry) error) error {
					return s.ScanAudit(ctx, tenant, from, fn)
				}, h, signer.Public(), []audit.Checkpoint{cp})
				return err
			}
			require.NoError(t, verify())
			for _, q := range tc.sql {
				res, err := s.DB().ExecContext(ctx, q)
				require.NoError(t, err, q)
				n, _ := res.RowsAffected()
				require.Positive(t, n, q)
			}
			err = verify()
			var te *audit.TamperError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.kind, te.Kind, te.Error())

			// What the README tells auditors to run finds it too, and says so
			// in the log.
			svc, err := casefile.New(s, casefile.Config{Roles: map[string]casefile.Permission{"auditor": casefile.PermAudit}})
			require.NoError(t, err)
			auditor := casefile.Actor{Tenant: tenant, User: "audit-1", Org: "audit-office", Role: "auditor"}
			_, err = svc.VerifyAudit(ctx, auditor, signer.Public(), []audit.Checkpoint{cp})
			require.ErrorAs(t, err, &te)
			assert.ErrorIs(t, err, audit.ErrTampered)
		})
	}
}

func TestSQLiteTamperDetected(t *testing.T) { runTamper(t, newSQLite) }

func TestPostgresTamperDetected(t *testing.T) {
	postgresDSN(t)
	runTamper(t, newPostgres)
}
