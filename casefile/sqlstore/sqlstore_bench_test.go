package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
)

// BenchmarkAudit100k appends 100,000 audit entries (in transactions of 100)
// to a fresh store and verifies the whole chain, per iteration.
func BenchmarkAudit100k(b *testing.B) {
	const n, batch = 100_000, 100
	kinds := map[string]func(b *testing.B) casefile.Store{
		"memory": func(*testing.B) casefile.Store { return memstore.New() },
		"sqlite": func(b *testing.B) casefile.Store {
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "audit.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
	ctx := context.Background()
	rec := audit.Record{At: time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC), Actor: audit.Actor{User: "u1", Org: "kodomo"},
		Action: audit.ActionRead, Decision: audit.Permit, Outcome: "ok", Subjects: []string{"p1", "p2"}, CaseID: "c1",
		Basis: audit.Basis{Kind: "consent", ConsentIDs: []string{"c-1"}}, Categories: []string{"identity", "contact"}}
	for name, mk := range kinds {
		b.Run(name+"/append", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := mk(b)
				b.StartTimer()
				appendAudit(b, s, rec, n, batch)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
		})
		b.Run(name+"/verify", func(b *testing.B) {
			s := mk(b)
			appendAudit(b, s, rec, n, batch)
			head, _ := s.AuditHead(ctx, tenant)
			b.ResetTimer()
			for b.Loop() {
				rep, err := audit.Verify(ctx, tenant, func(ctx context.Context, from uint64, fn func(audit.Entry) error) error {
					return s.ScanAudit(ctx, tenant, from, fn)
				}, head, nil, nil)
				if err != nil || rep.Entries != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// appendAudit appends n copies of rec in transactions of batch records.
func appendAudit(b *testing.B, s casefile.Store, rec audit.Record, n, batch int) {
	ctx := context.Background()
	for i := 0; i < n/batch; i++ {
		if err := s.Update(ctx, tenant, func(tx casefile.Tx) error {
			for j := 0; j < batch; j++ {
				if err := tx.Audit(rec); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
