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

// Suppress works on any table whose last row and column are totals.
func ExampleSuppress() {
	a := [][]int{
		{5, 1, 6},
		{4, 7, 11},
		{9, 8, 17},
	}
	sup := [][]bool{{false, true, false}, {false, false, false}, {false, false, false}}
	report.Suppress(a, sup)
	for _, row := range sup {
		fmt.Println(row)
	}
	// Output:
	// [true true false]
	// [true true false]
	// [false false false]
}
