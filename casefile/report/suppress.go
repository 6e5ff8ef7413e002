package report

import (
	"errors"
	"sort"
)

// Suppress completes a suppression pattern on a table whose last row and
// column are totals: a holds the counts, sup the cells hidden so far —
// normally the primary suppression, the counts from 1 to k−1, totals
// included. It hides further cells (complementary suppression) until what
// the table publishes — its visible counts and totals, that the cells add
// up to the totals, and that counts are not negative — allows:
//
//   - for every cell hidden in sup on entry (a small count): the value 0
//     or a value of k or more, so nobody can tell from the table that the
//     count is a small non-zero number;
//   - for every hidden cell: more than one value (no hidden count is
//     determined).
//
// Each check is exact: the feasible values of a cell are an integer
// interval, computed as a network-flow feasibility problem (see Audit).
// Complementary cells are chosen per unsafe cell as the cheapest
// rectangle through it (fewest and smallest counts, inner cells before
// totals) that makes it safe, so the pattern is also safe against the
// combination of several equations, not only against one line's sum.
// Suppress panics if a is not rectangular or sup does not match it.
func Suppress(a [][]int, sup [][]bool, k int) {
	R, C := len(a)-1, 0
	if R < 0 {
		return
	}
	C = len(a[0]) - 1
	if len(sup) != R+1 {
		panic("report: suppression pattern does not match the table")
	}
	for i := range a {
		if len(a[i]) != C+1 || len(sup[i]) != C+1 {
			panic("report: table is not rectangular")
		}
	}
	g := &grid{R: R, C: C, val: a, hid: sup}
	primary := make([][]bool, R+1)
	for i := range sup {
		primary[i] = append([]bool(nil), sup[i]...)
	}
	for {
		i, j, ok := g.firstUnsafe(primary, k)
		if !ok {
			return
		}
		g.protect(i, j, primary, k)
	}
}

// safe reports whether the hidden cell (i, j) is protected by what the
// table publishes: more than one value is possible and, for a small count
// (primary), 0 or a value of k or more.
func safe(sv *solver, i, j int, primary bool, k int) bool {
	lo, hi := sv.interval(i, j)
	if hi >= 0 && hi == lo {
		return false
	}
	return !primary || lo == 0 || hi < 0 || hi >= k
}

// firstUnsafe returns an unprotected hidden cell, small counts first.
func (g *grid) firstUnsafe(primary [][]bool, k int) (int, int, bool) {
	sv, ok := g.solve()
	if !ok {
		panic("report: the table's counts do not add up to its totals")
	}
	for _, prim := range []bool{true, false} {
		for i := 0; i <= g.R; i++ {
			for j := 0; j <= g.C; j++ {
				if g.hid[i][j] && primary[i][j] == prim && !safe(sv, i, j, prim, k) {
					return i, j, true
				}
			}
		}
	}
	return 0, 0, false
}

// safeNow reports whether (i, j) is safe under the current pattern.
func (g *grid) safeNow(i, j int, primary bool, k int) bool {
	sv, ok := g.solve()
	return ok && safe(sv, i, j, primary, k)
}

// candidate is a set of cells to hide together.
type candidate struct {
	cells [][2]int
	cost  int
}

// cost of hiding one cell: its count (information lost), one for the X
// itself, and a premium for totals, which users read most.
func (g *grid) cost(i, j int) int {
	c := g.val[i][j] + 1
	if i == g.R || j == g.C {
		c += 2
	}
	if i == g.R && j == g.C {
		c += 10
	}
	return c
}

// useless reports whether hiding (i, j) can protect nothing: a zero in a
// line whose visible total is zero stays zero whatever is hidden.
func (g *grid) useless(i, j int) bool {
	if g.val[i][j] != 0 {
		return false
	}
	zeroLine := func(ti, tj int) bool { return !g.hid[ti][tj] && g.val[ti][tj] == 0 }
	return (j != g.C && zeroLine(i, g.C)) || (i != g.R && zeroLine(g.R, j)) || i == g.R || j == g.C
}

// protect hides cells until (fi, fj) is safe, or at least one more cell.
func (g *grid) protect(fi, fj int, primary [][]bool, k int) {
	var cands []candidate
	for i2 := 0; i2 <= g.R; i2++ {
		for j2 := 0; j2 <= g.C; j2++ {
			if i2 == fi || j2 == fj {
				continue
			}
			var c candidate
			for _, p := range [][2]int{{fi, j2}, {i2, fj}, {i2, j2}} {
				if g.hid[p[0]][p[1]] {
					continue
				}
				if g.useless(p[0], p[1]) {
					c.cells = nil
					break
				}
				c.cells = append(c.cells, p)
				c.cost += g.cost(p[0], p[1])
			}
			if len(c.cells) > 0 {
				cands = append(cands, c)
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].cost < cands[b].cost })
	for _, c := range cands {
		g.set(c.cells, true)
		if g.safeNow(fi, fj, primary[fi][fj], k) {
			return
		}
		g.set(c.cells, false)
	}
	if len(cands) > 0 {
		g.set(cands[0].cells, true) // progress; the next round looks again
		return
	}
	// Every rectangle through the cell is hidden or useless: hide the
	// cheapest visible cell of the table (ultimately everything is hidden,
	// and a fully hidden table determines nothing).
	best, bestCost := [2]int{-1, -1}, 0
	for i := 0; i <= g.R; i++ {
		for j := 0; j <= g.C; j++ {
			if !g.hid[i][j] && (best[0] < 0 || g.cost(i, j) < bestCost) {
				best, bestCost = [2]int{i, j}, g.cost(i, j)
			}
		}
	}
	if best[0] >= 0 {
		g.hid[best[0]][best[1]] = true
	}
}

func (g *grid) set(cells [][2]int, hidden bool) {
	for _, p := range cells {
		g.hid[p[0]][p[1]] = hidden
	}
}

// Interval is what a published table lets anyone work out about one of its
// hidden cells: the value lies in [Min, Max], and every integer in between
// is possible. Max is -1 when nothing published bounds the cell. Row and
// Col index the cell; Row == len(Table.Rows) is the row of column totals,
// Col == len(Table.Cols) the column of row totals.
type Interval struct {
	Row, Col int
	Min, Max int
}

// Determined reports whether the interval leaves a single value.
func (iv Interval) Determined() bool { return iv.Max == iv.Min }

// ErrInconsistent is returned by Audit for a table whose visible counts do
// not add up: no table of counts could have produced it.
var ErrInconsistent = errors.New("report: the published counts do not add up")

// Audit computes, for every hidden cell of t, the interval of values that
// t is consistent with, from what t publishes alone: its visible counts
// and totals, that the cells add up to the totals, and that counts are
// whole numbers not below zero. This is exactly what someone solving the
// published table can learn (the feasible values of each cell form an
// integer interval, computed as network-flow feasibility). It reads no
// hidden count, so it can check any published table, including one a
// vendor renders from Table itself.
func Audit(t Table) ([]Interval, error) {
	R, C := len(t.Rows), len(t.Cols)
	g := &grid{R: R, C: C, val: make([][]int, R+1), hid: make([][]bool, R+1)}
	for i := 0; i <= R; i++ {
		g.val[i], g.hid[i] = make([]int, C+1), make([]bool, C+1)
		for j := 0; j <= C; j++ {
			c := t.At(i, j)
			g.val[i][j], g.hid[i][j] = c.Count, c.Suppressed
			if c.Suppressed {
				g.val[i][j] = 0
			}
		}
	}
	sv, ok := g.solve()
	if !ok {
		return nil, ErrInconsistent
	}
	var out []Interval
	for i := 0; i <= R; i++ {
		for j := 0; j <= C; j++ {
			if g.hid[i][j] {
				lo, hi := sv.interval(i, j)
				out = append(out, Interval{Row: i, Col: j, Min: lo, Max: hi})
			}
		}
	}
	return out, nil
}
