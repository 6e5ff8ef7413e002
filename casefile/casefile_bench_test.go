package casefile_test

import (
	"context"
	"github.com/onestop-jp/onestop/civil"
	"path/filepath"
	"testing"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/consent"
)

// stores gives each benchmark a fresh store of every embedded kind.
func stores(b *testing.B) map[string]func() casefile.Store {
	return map[string]func() casefile.Store{
		"memory": func() casefile.Store { return memstore.New() },
		"sqlite": func() casefile.Store {
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func benchService(b *testing.B, st casefile.Store) *casefile.Service {
	clk := &clock{t: time.Date(2025, 6, 2, 10, 0, 0, 0, jst)}
	s, err := casefile.New(st, casefile.Config{Roles: roles, Now: clk.now})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func opsPerSec(b *testing.B) { b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s") }

// BenchmarkCreate: one audited change set creating one person.
func BenchmarkCreate(b *testing.B) {
	for name, mk := range stores(b) {
		b.Run(name, func(b *testing.B) {
			s := benchService(b, mk())
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
					return c.Create(&casefile.Person{Name: casefile.Name{Family: "山田", Given: "花子"}, BirthDate: civil.MustDate(1990, 5, 1)})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			opsPerSec(b)
		})
	}
}

// BenchmarkReadWithConsent: another department reads a whole case (two
// persons, programme, consultations): consent policy compiled from the
// store, one decision per subject, redaction, one audit entry per view.
func BenchmarkReadWithConsent(b *testing.B) {
	for name, mk := range stores(b) {
		b.Run(name, func(b *testing.B) {
			s := benchService(b, mk())
			ctx := context.Background()
			f := seedFamily(b, s)
			if _, err := s.RecordConsent(ctx, worker, f.mother.ID, shareConsent(f.mother.ID)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				v, err := s.ReadCase(ctx, other, f.cf.ID, casefile.ReadOptions{Purpose: consent.PurposeSharing})
				if err != nil || len(v.Persons) != 1 { // the child has no consent: left out
					b.Fatal(err)
				}
			}
			opsPerSec(b)
		})
	}
}

// BenchmarkUpdate: one audited compare-and-swap update of a task.
func BenchmarkUpdate(b *testing.B) {
	for name, mk := range stores(b) {
		b.Run(name, func(b *testing.B) {
			s := benchService(b, mk())
			ctx := context.Background()
			f := seedFamily(b, s)
			task := casefile.Task{CaseID: f.cf.ID, Title: "家計相談の予約", AssigneeOrg: desk, Due: civil.MustDate(2025, 7, 1), Status: "todo"}
			if err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Create(&task) }); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				task.Status = map[string]string{"todo": "doing", "doing": "todo"}[task.Status]
				if err := s.Change(ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error { return c.Update(&task) }); err != nil {
					b.Fatal(err)
				}
			}
			opsPerSec(b)
		})
	}
}
