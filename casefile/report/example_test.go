package report_test

import (
	"fmt"

	"github.com/onestop-jp/onestop/casefile/report"
)

// Build the tables of a fiscal year; small counts and the cells that would
// reveal them are shown as X.
func ExampleBuild() {
	r := report.Build(facts(), report.Options{K: 3})
	t := r.ByChannel
	fmt.Println(t.Title)
	for i, name := range t.Rows {
		fmt.Println(name, t.Cells[i][0], t.Cells[i][1], t.RowTotals[i])
	}
	fmt.Println("合計", t.ColTotals[0], t.ColTotals[1], t.Total)
	// Output:
	// 令和7年度 相談方法別・月別 相談件数
	// 窓口 10 7 17
	// 電話 6 0 6
	// 訪問 0 0 0
	// オンライン面談 0 0 0
	// チャットボット 0 0 0
	// 入力フォーム 0 0 0
	// LINE 0 0 4
	// メール 0 0 0
	// アウトリーチ 0 0 0
	// 合計 16 7 27
}

// Suppress works on any table whose last row and column are totals; Audit
// shows what the published table still tells about each hidden cell.
func ExampleSuppress() {
	a := [][]int{
		{5, 1, 6},
		{4, 7, 11},
		{9, 8, 17},
	}
	sup := [][]bool{{false, true, false}, {false, false, false}, {false, false, false}}
	report.Suppress(a, sup, 3)
	for _, row := range sup {
		fmt.Println(row)
	}
	// Output:
	// [true true false]
	// [true true false]
	// [false false false]
}

// Audit works out what a published table tells about each hidden cell,
// from the published numbers alone: here the table ExampleSuppress
// publishes, where the count 1 could be anything from 0 to 6.
func ExampleAudit() {
	t := report.Table{Rows: []string{"窓口", "電話"}, Cols: []string{"4月", "5月"},
		Cells:     [][]report.Cell{{{Suppressed: true}, {Suppressed: true}}, {{Suppressed: true}, {Suppressed: true}}},
		RowTotals: []report.Cell{{Count: 6}, {Count: 11}}, ColTotals: []report.Cell{{Count: 9}, {Count: 8}}, Total: report.Cell{Count: 17}}
	ivs, err := report.Audit(t)
	fmt.Println(err)
	for _, iv := range ivs {
		fmt.Printf("%s/%s: %d–%d\n", t.Rows[iv.Row], t.Cols[iv.Col], iv.Min, iv.Max)
	}
	// Output:
	// <nil>
	// 窓口/4月: 0–6
	// 窓口/5月: 0–6
	// 電話/4月: 3–9
	// 電話/5月: 2–8
}
