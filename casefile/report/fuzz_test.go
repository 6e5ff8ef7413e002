package report_test

import (
	"errors"
	"testing"

	"github.com/onestop-jp/onestop/casefile/report"
)

// countsFrom turns fuzz bytes into a table of counts (rows × cols from the
// first two bytes, counts from the rest).
func countsFrom(b []byte) [][]int {
	if len(b) < 2 {
		return nil
	}
	R, C := 1+int(b[0]%6), 1+int(b[1]%7)
	b = b[2:]
	out := make([][]int, R)
	for i := range out {
		out[i] = make([]int, C)
		for j := range out[i] {
			if n := i*C + j; n < len(b) {
				out[i][j] = int(b[n] % 12)
			}
		}
	}
	return out
}

// FuzzSuppress: any table is suppressed in finite time into one that
// Audit finds safe.
func FuzzSuppress(f *testing.F) {
	f.Add([]byte{3, 4, 1, 0, 5, 2, 0, 0, 7, 1, 1, 1, 0, 9})
	f.Add([]byte{0, 0, 1})
	f.Add([]byte{5, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		counts := countsFrom(b)
		if counts == nil {
			return
		}
		tb, a := publish(counts, 3)
		ivs, err := report.Audit(tb)
		if err != nil {
			t.Fatalf("a suppressed real table is inconsistent: %v", err)
		}
		for _, iv := range ivs {
			v := a[iv.Row][iv.Col]
			if iv.Determined() || (v > 0 && v < 3 && iv.Min > 0 && iv.Max >= 0 && iv.Max < 3) {
				t.Fatalf("cell %d,%d = %d exposed as [%d,%d] in %v", iv.Row, iv.Col, v, iv.Min, iv.Max, a)
			}
		}
	})
}

// FuzzAudit: Audit takes any published table — a vendor's rendering,
// hand-edited, inconsistent — and answers with intervals or
// ErrInconsistent, never a panic.
func FuzzAudit(f *testing.F) {
	f.Add([]byte{2, 2, 1, 5, 0, 3, 9, 4, 8, 1, 17, 0})
	f.Add([]byte{1, 1, 0, 0, 0, 0})
	f.Add([]byte{3, 2, 0x81, 2, 0x80, 4, 1, 0x83, 6, 2, 9, 3, 0x85, 20})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 {
			return
		}
		R, C := 1+int(b[0]%5), 1+int(b[1]%5)
		b = b[2:]
		next := func() report.Cell {
			if len(b) == 0 {
				return report.Cell{}
			}
			x := b[0]
			b = b[1:]
			if x&0x80 != 0 {
				return report.Cell{Suppressed: true}
			}
			return report.Cell{Count: int(x)}
		}
		tb := report.Table{Rows: make([]string, R), Cols: make([]string, C), Cells: make([][]report.Cell, R),
			RowTotals: make([]report.Cell, R), ColTotals: make([]report.Cell, C)}
		for i := 0; i < R; i++ {
			tb.Cells[i] = make([]report.Cell, C)
			for j := 0; j < C; j++ {
				tb.Cells[i][j] = next()
			}
			tb.RowTotals[i] = next()
		}
		for j := 0; j < C; j++ {
			tb.ColTotals[j] = next()
		}
		tb.Total = next()
		ivs, err := report.Audit(tb)
		if err != nil {
			if !errors.Is(err, report.ErrInconsistent) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, iv := range ivs {
			if iv.Min < 0 || (iv.Max >= 0 && iv.Max < iv.Min) {
				t.Fatalf("bad interval %+v", iv)
			}
		}
	})
}
