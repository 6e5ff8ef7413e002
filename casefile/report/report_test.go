package report_test

import (
	"bytes"
	"github.com/onestop-jp/onestop/civil"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/report"
)

func facts() casefile.Facts {
	f := casefile.Facts{Tenant: "131016", FiscalYear: 2025}
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
	assert.Equal(t, 4, tt.Cells[row("住まい")][11].Count)
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

// checkLines asserts the complementary rule on the table with its totals.
func checkLines(t *testing.T, tb report.Table) {
	t.Helper()
	R, C := len(tb.Rows), len(tb.Cols)
	cell := func(i, j int) report.Cell {
		switch {
		case i == R && j == C:
			return tb.Total
		case i == R:
			return tb.ColTotals[j]
		case j == C:
			return tb.RowTotals[i]
		}
		return tb.Cells[i][j]
	}
	for i := 0; i <= R; i++ {
		n := 0
		for j := 0; j <= C; j++ {
			c := cell(i, j)
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
			if cell(i, j).Suppressed {
				n++
			}
		}
		assert.NotEqual(t, 1, n, "%s: column %d has exactly one suppressed cell", tb.Title, j)
	}
}

func TestSuppressRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 500; n++ {
		R, C := 1+rng.IntN(6), 1+rng.IntN(6)
		a := make([][]int, R+1)
		sup := make([][]bool, R+1)
		for i := range a {
			a[i] = make([]int, C+1)
			sup[i] = make([]bool, C+1)
		}
		for i := 0; i < R; i++ {
			for j := 0; j < C; j++ {
				v := rng.IntN(8)
				if rng.IntN(3) == 0 {
					v = 0
				}
				a[i][j] = v
				a[i][C] += v
				a[R][j] += v
				a[R][C] += v
			}
		}
		for i := range a {
			for j := range a[i] {
				sup[i][j] = a[i][j] > 0 && a[i][j] < 3
			}
		}
		report.Suppress(a, sup)
		for i := 0; i <= R; i++ {
			k := 0
			for j := 0; j <= C; j++ {
				if sup[i][j] {
					k++
				}
			}
			// a line with one suppressed cell is acceptable only when every
			// other cell of it is zero (then the suppressed one is the
			// total of zeros and itself: impossible unless the total is hidden too)
			if k == 1 {
				t.Fatalf("table %d row %d: one suppressed cell: %v %v", n, i, a, sup)
			}
		}
		for j := 0; j <= C; j++ {
			k := 0
			for i := 0; i <= R; i++ {
				if sup[i][j] {
					k++
				}
			}
			if k == 1 {
				t.Fatalf("table %d col %d: one suppressed cell: %v %v", n, j, a, sup)
			}
		}
	}
}
