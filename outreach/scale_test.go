package outreach

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/internal/population"
)

// scaleWorld is a SQLite store of n generated households (the national
// mix of internal/population) and a world on it.
func scaleWorld(tb testing.TB, n int) *world {
	tb.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(tb.TempDir(), "scale.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { st.Close() })
	cfg := population.Default(42, tenant, desk, asOf)
	cfg.Now = time.Date(2026, 12, 2, 10, 0, 0, 0, jst)
	g, err := population.New(cfg)
	require.NoError(tb, err)
	fams := make([]*population.Family, n)
	for i := range fams {
		fams[i] = g.Next()
	}
	require.NoError(tb, population.Write(context.Background(), st, tenant, fams, 500))
	return newWorld(tb, st, WithPageSize(97), WithPlanBatch(300))
}

// The national-scale run's path on a small population (the 1.34M run is
// bench/outreachscale): every case is accounted for once, a dry run
// predicts the real run, a second run writes nothing.
func TestScaleSmall(t *testing.T) {
	const n = 1500
	w := scaleWorld(t, n)
	dry := w.runOnce(true)
	assert.Equal(t, n, dry.Cases)
	assert.Equal(t, dry.Cases, dry.Notified+dry.SkippedHouseholds(), "every case notified or skipped, once")
	assert.Positive(t, dry.Notified)
	assert.Empty(t, w.outbox())

	rep := w.runOnce(false)
	assert.Equal(t, dry.Planned, rep.Planned)
	assert.Equal(t, dry.Households, rep.Households)
	assert.Len(t, w.outbox(), rep.Planned)

	again := w.runOnce(false)
	assert.Zero(t, again.Planned)
	assert.Equal(t, rep.Planned, again.Programmes[SkipNotified])
}

// BenchmarkRun screens and filters 2,000 households from SQLite per
// iteration (a dry run: the notices are not written, the reads are
// audited). go test -run '^$' -bench Run -benchtime 3x ./outreach
func BenchmarkRun(b *testing.B) {
	const n = 2000
	w := scaleWorld(b, n)
	a := casefile.Actor{Tenant: tenant, User: "outreach-batch", Org: desk, Role: "outreach"}
	b.ResetTimer()
	for b.Loop() {
		rep, err := w.run.Run(context.Background(), a, asOf, RunOptions{DryRun: true})
		if err != nil || rep.Cases != n {
			b.Fatal(err, rep.Cases)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "households/s")
}
