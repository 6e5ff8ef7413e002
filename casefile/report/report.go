package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/wareki"
)

// Options tune the aggregation.
type Options struct {
	// K is the smallest count shown (k-anonymity threshold); default 3.
	K int
	// OrgNames gives Japanese names to department codes.
	OrgNames map[string]string
}

// Cell is one count; Suppressed cells must be shown as "X". A suppressed
// cell carries no count at all (Count is 0, and its JSON form is
// {"suppressed":true}): nothing hidden can leak through a rendering.
type Cell struct {
	Count      int  `json:"count"`
	Suppressed bool `json:"suppressed"`
}

// MarshalJSON writes {"count":n,"suppressed":false} or {"suppressed":true}.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte(`{"suppressed":true}`), nil
	}
	return json.Marshal(struct {
		Count      int  `json:"count"`
		Suppressed bool `json:"suppressed"`
	}{c.Count, false})
}

// String is the count, or "X" when suppressed.
func (c Cell) String() string {
	if c.Suppressed {
		return "X"
	}
	return strconv.Itoa(c.Count)
}

// Table is a two-way table with totals. Cells[i][j] is row i, column j;
// RowTotals, ColTotals and Total are suppressed like the cells. At reads
// the table with its totals as one grid, as Audit and Interval number it.
type Table struct {
	Title     string   `json:"title"`
	Rows      []string `json:"rows"`
	Cols      []string `json:"cols"`
	Cells     [][]Cell `json:"cells"`
	RowTotals []Cell   `json:"row_totals"`
	ColTotals []Cell   `json:"col_totals"`
	Total     Cell     `json:"total"`
	Note      string   `json:"note,omitempty"`
}

// At returns the cell at row i, column j of the table with its totals:
// row len(t.Rows) is the column totals, column len(t.Cols) the row totals,
// and (len(t.Rows), len(t.Cols)) the grand total.
func (t Table) At(i, j int) Cell {
	R, C := len(t.Rows), len(t.Cols)
	switch {
	case i < R && j < C:
		return t.Cells[i][j]
	case i < R:
		return t.RowTotals[i]
	case j < C:
		return t.ColTotals[j]
	}
	return t.Total
}

// Report is the set of tables of one fiscal year.
type Report struct {
	Tenant        string `json:"tenant"`
	FiscalYear    int    `json:"fiscal_year"`
	K             int    `json:"k"`
	ByTopic       Table  `json:"by_topic"`
	ByChannel     Table  `json:"by_channel"`
	Sharing       Table  `json:"sharing"`
	Notifications Table  `json:"notifications"`
}

// months are the columns: April to March.
func monthCols(fy int) []string {
	out := make([]string, 12)
	for i := range out {
		m := time.Month((i+3)%12 + 1)
		out[i] = fmt.Sprintf("%d月", m)
	}
	return out
}

func monthIndex(d civil.Date) int { return (int(d.Month()) + 8) % 12 }

// Build aggregates facts into the tables of a fiscal year, suppressed (see
// Suppress). The rows of the topic and channel tables are f.Topics and
// f.Channels, in their order.
func Build(f Facts, opts Options) Report {
	if opts.K <= 0 {
		opts.K = 3
	}
	era := fmt.Sprint(f.FiscalYear)
	if d, err := civil.NewDate(f.FiscalYear, time.April, 1); err == nil {
		if e, y, ok := wareki.EraOf(d); ok {
			era = e.Name + strconv.Itoa(y)
			if y == 1 {
				era = e.Name + "元"
			}
		}
	}
	r := Report{Tenant: f.Tenant, FiscalYear: f.FiscalYear, K: opts.K}
	cols := monthCols(f.FiscalYear)

	topics := f.Topics
	topicRow := map[string]int{}
	var topicNames []string
	for i, t := range topics {
		topicRow[t.Code] = i
		topicNames = append(topicNames, t.Name)
	}
	tc := newCounts(len(topics), 12)
	for _, c := range f.Consultations {
		for _, t := range c.Topics {
			if i, ok := topicRow[t]; ok {
				tc[i][monthIndex(c.On)]++
			}
		}
	}
	r.ByTopic = NewTable(era+"年度 相談内容別・月別 相談件数（延べ）", topicNames, cols, tc, opts.K)
	r.ByTopic.Note = "1件の相談に複数の相談内容がある場合、それぞれに計上しています"

	channels := f.Channels
	chRow := map[string]int{}
	var chNames []string
	for i, c := range channels {
		chRow[c.Code] = i
		chNames = append(chNames, c.Name)
	}
	cc := newCounts(len(channels), 12)
	for _, c := range f.Consultations {
		if i, ok := chRow[c.Channel]; ok {
			cc[i][monthIndex(c.On)]++
		}
	}
	r.ByChannel = NewTable(era+"年度 相談方法別・月別 相談件数", chNames, cols, cc, opts.K)

	orgs := map[string]bool{}
	for _, s := range f.Sharing {
		orgs[s.Recipient] = true
	}
	orgCodes := sortedKeys(orgs)
	orgRow := map[string]int{}
	orgNames := make([]string, len(orgCodes))
	for i, o := range orgCodes {
		orgRow[o] = i
		orgNames[i] = o
		if n := opts.OrgNames[o]; n != "" {
			orgNames[i] = n
		}
	}
	sc := newCounts(len(orgCodes), 12)
	for _, s := range f.Sharing {
		sc[orgRow[s.Recipient]][monthIndex(s.On)]++
	}
	r.Sharing = NewTable(era+"年度 提供先部署別・月別 情報共有件数（人単位）", orgNames, cols, sc, opts.K)

	nch := map[string]bool{}
	for _, n := range f.Notifications {
		nch[n.Channel] = true
	}
	nCodes := sortedKeys(nch)
	nRow := map[string]int{}
	nNames := make([]string, len(nCodes))
	for i, c := range nCodes {
		nRow[c] = i
		nNames[i] = notifyLabels[c]
		if nNames[i] == "" {
			nNames[i] = c
		}
	}
	nc := newCounts(len(nCodes), 12)
	for _, n := range f.Notifications {
		nc[nRow[n.Channel]][monthIndex(n.On)]++
	}
	r.Notifications = NewTable(era+"年度 通知方法別・月別 プッシュ型通知件数", nNames, cols, nc, opts.K)
	return r
}

var notifyLabels = map[string]string{"sms": "SMS", "email": "メール", "line": "LINE", "post": "郵送", "": "不明"}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func newCounts(r, c int) [][]int {
	out := make([][]int, r)
	for i := range out {
		out[i] = make([]int, c)
	}
	return out
}

// NewTable makes a published table from counts (counts[i][j]: row i,
// column j; rows and cols name them): it adds the totals, suppresses the
// counts from 1 to k−1, totals included, and completes the suppression
// with Suppress; suppressed cells carry no count. Build uses it for its
// tables; use it for tables of your own. It panics if counts does not have
// len(rows) rows of len(cols) counts.
func NewTable(title string, rows, cols []string, counts [][]int, k int) Table {
	R, C := len(rows), len(cols)
	// augmented matrix: (R+1) x (C+1)
	a := newCounts(R+1, C+1)
	for i := 0; i < R; i++ {
		for j := 0; j < C; j++ {
			v := counts[i][j]
			a[i][j] = v
			a[i][C] += v
			a[R][j] += v
			a[R][C] += v
		}
	}
	sup := make([][]bool, R+1)
	for i := range sup {
		sup[i] = make([]bool, C+1)
		for j := range sup[i] {
			sup[i][j] = a[i][j] > 0 && a[i][j] < k
		}
	}
	Suppress(a, sup, k)
	t := Table{Title: title, Rows: rows, Cols: cols, Cells: make([][]Cell, R), RowTotals: make([]Cell, R), ColTotals: make([]Cell, C)}
	cell := func(i, j int) Cell {
		if sup[i][j] {
			return Cell{Suppressed: true}
		}
		return Cell{Count: a[i][j]}
	}
	for i := 0; i < R; i++ {
		t.Cells[i] = make([]Cell, C)
		for j := 0; j < C; j++ {
			t.Cells[i][j] = cell(i, j)
		}
		t.RowTotals[i] = cell(i, C)
	}
	for j := 0; j < C; j++ {
		t.ColTotals[j] = cell(R, j)
	}
	t.Total = cell(R, C)
	return t
}

// WriteText writes the tables as aligned Japanese text.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "実施状況報告 集計表（%d年度、%d未満の件数は秘匿「X」）\n", r.FiscalYear, r.K)
	for _, t := range []Table{r.ByTopic, r.ByChannel, r.Sharing, r.Notifications} {
		if err := t.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteText writes one table.
func (t Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\n%s\n", t.Title)
	fmt.Fprintf(tw, "\t%s\t合計\t\n", strings.Join(t.Cols, "\t"))
	for i, name := range t.Rows {
		vals := make([]string, len(t.Cells[i]))
		for j, c := range t.Cells[i] {
			vals[j] = c.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, strings.Join(vals, "\t"), t.RowTotals[i])
	}
	vals := make([]string, len(t.ColTotals))
	for j, c := range t.ColTotals {
		vals[j] = c.String()
	}
	fmt.Fprintf(tw, "合計\t%s\t%s\t\n", strings.Join(vals, "\t"), t.Total)
	if t.Note != "" {
		fmt.Fprintf(tw, "注: %s\n", t.Note)
	}
	return tw.Flush()
}
