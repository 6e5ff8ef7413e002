package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/report"
	"github.com/onestop-jp/onestop/civil"
)

// labels converts casefile's code tables to the report's rows.
func labels(ls []casefile.Label) []report.Label {
	out := make([]report.Label, len(ls))
	for i, l := range ls {
		out[i] = report.Label{Code: l.Code, Name: l.Name}
	}
	return out
}

func facts() casefile.Facts {
	f := casefile.Facts{Tenant: "131016", FiscalYear: 2025, Topics: labels(casefile.Topics()), Channels: labels(casefile.Channels())}
	add := func(n int, on civil.Date, ch string, topics ...string) {
		for i := 0; i < n; i++ {
			f.Consultations = append(f.Consultations, casefile.ConsultationFact{On: on, Channel: ch, Topics: topics})
		}
	}
	add(10, civil.MustDate(2025, 4, 3), "counter", "employment")
	add(5, civil.MustDate(2025, 4, 10), "phone", "childcare")
	add(1, civil.MustDate(2025, 4, 11), "phone", "dv") // a single DV consultation: must not show
	add(7, civil.MustDate(2025, 5, 1), "counter", "employment", "child_support")
	add(4, civil.MustDate(2026, 3, 31), "line", "housing")
	for i := 0; i < 6; i++ {
		f.Sharing = append(f.Sharing, casefile.SharingFact{On: civil.MustDate(2025, 4, 20), Recipient: "kosodate-shien", Action: "read"})
	}
	f.Sharing = append(f.Sharing, casefile.SharingFact{On: civil.MustDate(2025, 5, 20), Recipient: "kyoiku-iinkai", Action: "export"})
	f.Notifications = append(f.Notifications, casefile.NotificationFact{On: civil.MustDate(2025, 6, 1), Channel: "sms", Event: "child-rearing-allowance"})
	return f
}

func TestBuildSuppressesSmallCountsAndComplements(t *testing.T) {
	r := report.Build(facts(), report.Options{OrgNames: map[string]string{"kosodate-shien": "子育て支援課"}})
	assert.Equal(t, 3, r.K)
	tt := r.ByTopic
	assert.Equal(t, "令和7年度 相談内容別・月別 相談件数（延べ）", tt.Title)
	assert.Equal(t, "4月", tt.Cols[0])
	assert.Equal(t, "3月", tt.Cols[11])
	row := func(name string) int {
		for i, n := range tt.Rows {
			if n == name {
				return i
			}
		}
		t.Fatalf("no row %s", name)
		return -1
	}
	dv := row("DV・暴力")
	assert.True(t, tt.Cells[dv][0].Suppressed, "a count of 1 is suppressed")
	assert.True(t, tt.RowTotals[dv].Suppressed, "and its row total, which would reveal it")
	assert.Equal(t, 17, tt.Cells[row("就業・労働")][0].Count+tt.Cells[row("就業・労働")][1].Count)
	assert.Equal(t, 4, tt.ColTotals[11].Count, "March: 4 consultations on housing")
	ivs, err := report.Audit(tt)
	require.NoError(t, err)
	for _, iv := range ivs {
		assert.False(t, iv.Determined(), "%d,%d", iv.Row, iv.Col)
		if iv.Row == dv && iv.Col == 0 {
			assert.Zero(t, iv.Min, "the DV count may be 0 as far as the table tells")
		}
	}
	// April's column total would reveal the DV cell: another April cell is hidden.
	hidden := 0
	for i := range tt.Rows {
		if tt.Cells[i][0].Suppressed {
			hidden++
		}
	}
	if !tt.ColTotals[0].Suppressed {
		assert.GreaterOrEqual(t, hidden, 2)
	}
	checkLines(t, tt)
	checkLines(t, r.ByChannel)
	checkLines(t, r.Sharing)
	assert.Equal(t, []string{"子育て支援課", "kyoiku-iinkai"}, r.Sharing.Rows)
	assert.True(t, r.Sharing.Cells[1][1].Suppressed)
	assert.True(t, r.Notifications.Total.Suppressed, "a single notification is hidden everywhere")

	var buf bytes.Buffer
	require.NoError(t, r.WriteText(&buf))
	assert.Contains(t, buf.String(), "X")
	assert.Contains(t, buf.String(), "合計")
}

// checkLines asserts that no line of the table with its totals has
// exactly one hidden cell, and that no small count is visible.
func checkLines(t *testing.T, tb report.Table) {
	t.Helper()
	R, C := len(tb.Rows), len(tb.Cols)
	for i := 0; i <= R; i++ {
		n := 0
		for j := 0; j <= C; j++ {
			c := tb.At(i, j)
			if c.Suppressed {
				n++
			} else if c.Count > 0 && c.Count < 3 {
				t.Errorf("%s: visible small count at %d,%d", tb.Title, i, j)
			}
		}
		assert.NotEqual(t, 1, n, "%s: row %d has exactly one suppressed cell", tb.Title, i)
	}
	for j := 0; j <= C; j++ {
		n := 0
		for i := 0; i <= R; i++ {
			if tb.At(i, j).Suppressed {
				n++
			}
		}
		assert.NotEqual(t, 1, n, "%s: column %d has exactly one suppressed cell", tb.Title, j)
	}
}

// F7a: no hidden count in any output, Go or JSON.
func TestSuppressedCellsCarryNoCount(t *testing.T) {
	r := report.Build(facts(), report.Options{})
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"count":1,"suppressed":true`)
	assert.Contains(t, string(b), `{"suppressed":true}`)
	for _, tb := range []report.Table{r.ByTopic, r.ByChannel, r.Sharing, r.Notifications} {
		for _, c := range allCells(tb) {
			if c.Suppressed {
				assert.Zero(t, c.Count, "%s: a suppressed cell holds its count", tb.Title)
			}
		}
	}
	var back report.Report
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back, "the JSON form round-trips")
}

func allCells(tb report.Table) []report.Cell {
	var out []report.Cell
	for i := 0; i <= len(tb.Rows); i++ {
		for j := 0; j <= len(tb.Cols); j++ {
			out = append(out, tb.At(i, j))
		}
	}
	return out
}

// F7c, the probe's minimal table: with the old rule ("0 or ≥ 2 hidden cells
// per line") 医療/4月 = 2 and 就業/4月 = 2 followed from the published sums.
func TestProbeTableIsNoLongerSolvable(t *testing.T) {
	f := casefile.Facts{Tenant: "131016", FiscalYear: 2025, Channels: labels(casefile.Channels()),
		Topics: []report.Label{{Code: "childcare", Name: "子育て"}, {Code: "housing", Name: "住まい"}, {Code: "medical", Name: "医療・健康"}, {Code: "employment", Name: "就業・労働"}}}
	add := func(n int, m int, topic string) {
		y := 2025
		if m < 4 {
			y = 2026
		}
		for range n {
			f.Consultations = append(f.Consultations, casefile.ConsultationFact{On: civil.MustDate(y, timeMonth(m), 10), Channel: "counter", Topics: []string{topic}})
		}
	}
	// 4月 5月 6月 7月 8月 as printed by the probe
	add(2, 6, "childcare")
	add(1, 8, "childcare")
	add(1, 6, "housing")
	add(2, 8, "housing")
	add(2, 4, "medical")
	add(1, 5, "medical")
	add(1, 7, "medical")
	add(2, 4, "employment")
	add(2, 6, "employment")
	add(2, 8, "employment")
	r := report.Build(f, report.Options{K: 3})
	ivs, err := report.Audit(r.ByTopic)
	require.NoError(t, err)
	truth := map[[2]int]int{{2, 0}: 2, {3, 0}: 2, {2, 1}: 1, {2, 3}: 1}
	for _, iv := range ivs {
		assert.False(t, iv.Determined(), "cell %d,%d is determined: %d", iv.Row, iv.Col, iv.Min)
		if v, ok := truth[[2]int{iv.Row, iv.Col}]; ok && v < 3 {
			assert.True(t, iv.Min == 0 || iv.Max < 0 || iv.Max >= 3, "small count %d,%d pinned to [%d,%d]", iv.Row, iv.Col, iv.Min, iv.Max)
		}
	}
	for cell := range truth {
		assert.True(t, r.ByTopic.Cells[cell[0]][cell[1]].Suppressed, "%v", cell)
	}
}
