package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/report"
	"github.com/onestop-jp/onestop/consent"
)

// F7: statistical tables are released once per closed fiscal year; two
// runs can never be subtracted; suppressed cells carry no count; the
// unsuppressed facts are the statistics office's only.
func testReportRelease(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	rep := actor("rep-1", "kikaku-ka", "reporter")
	stat := actor("stat-1", "tokei-ka", "statistics")

	// The facts: not for a report role.
	_, err := f.svc.ReportFacts(f.ctx, rep, 2026)
	assert.ErrorIs(t, err, casefile.ErrDenied)
	facts, err := f.svc.ReportFacts(f.ctx, stat, 2026)
	require.NoError(t, err)
	assert.Len(t, facts.Consultations, 2)

	// FY2026 is open on 2026-12-04: no table.
	_, err = f.svc.Report(f.ctx, rep, 2026)
	assert.ErrorIs(t, err, casefile.ErrPeriodOpen)
	assert.ErrorIs(t, err, casefile.ErrDenied)
	assert.Equal(t, time.Date(2027, 6, 1, 0, 0, 0, 0, jst), f.svc.ReleaseFrom(2026))

	// After the close: released, then frozen.
	f.clk.t = time.Date(2027, 6, 1, 9, 0, 0, 0, jst)
	r1, err := f.svc.Report(f.ctx, rep, 2026)
	require.NoError(t, err)
	b1, err := json.Marshal(r1)
	require.NoError(t, err)
	assert.NotContains(t, string(b1), `"count":1,"suppressed":true`)
	dv := -1
	for i, name := range r1.ByTopic.Rows {
		if name == "DV・暴力" {
			dv = i
		}
	}
	require.GreaterOrEqual(t, dv, 0)
	assert.True(t, r1.ByTopic.RowTotals[dv].Suppressed, "one DV consultation in the year")
	assert.Zero(t, r1.ByTopic.RowTotals[dv].Count)

	// One more DV consultation by LINE in June, recorded late: the probe's
	// R2 subtracted the two runs. The release does not change.
	require.NoError(t, f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.Consultation{CaseID: f.CF.ID, OccurredAt: time.Date(2026, 6, 20, 10, 0, 0, 0, jst), Channel: "line",
			Staff: "staff-a", Org: desk, Topics: []string{"dv"}, Summary: "追加の相談", Labels: []string{"dv_related"}})
	}))
	r2, err := f.svc.Report(f.ctx, actor("rep-2", "kikaku-ka", "reporter"), 2026)
	require.NoError(t, err)
	b2, err := json.Marshal(r2)
	require.NoError(t, err)
	assert.JSONEq(t, string(b1), string(b2), "the released tables are final")
	for _, tb := range []report.Table{r2.ByTopic, r2.ByChannel, r2.Sharing, r2.Notifications} {
		ivs, err := report.Audit(tb)
		require.NoError(t, err)
		for _, iv := range ivs {
			assert.False(t, iv.Determined(), "%s %d,%d", tb.Title, iv.Row, iv.Col)
		}
	}
	// A release is not a record anyone edits.
	err = f.svc.Change(f.ctx, f.W, consent.PurposeConsultation, func(c *casefile.Changes) error {
		return c.Create(&casefile.ReportRelease{FiscalYear: 2025, Report: report.Report{FiscalYear: 2025, K: 1}})
	})
	assert.ErrorIs(t, err, casefile.ErrDenied)
	n := 0
	for _, e := range f.since(0) {
		if e.Action == "report" && e.Decision == "permit" {
			n++
			assert.Empty(t, e.Subjects, "a report names no person")
		}
	}
	assert.Equal(t, 3, n, "facts, release and re-read audited")
}
