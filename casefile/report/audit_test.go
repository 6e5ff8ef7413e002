package report_test

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/onestop-jp/onestop/casefile/report"
)

func timeMonth(m int) time.Month { return time.Month(m) }

// randomCounts is a table of counts shaped like the report's: sparse,
// with many small counts (the probe's R3 drew 3,000 fact sets).
func randomCounts(rng *rand.Rand, R, C int) [][]int {
	out := make([][]int, R)
	for i := range out {
		out[i] = make([]int, C)
		for j := range out[i] {
			switch x := rng.IntN(10); {
			case x < 5:
			case x < 8:
				out[i][j] = 1 + rng.IntN(3)
			default:
				out[i][j] = 3 + rng.IntN(8)
			}
		}
	}
	return out
}

// publish makes the published table of counts (NewTable) and returns the
// true values of the table with its totals, indexed like Table.At.
func publish(counts [][]int, k int) (report.Table, [][]int) {
	R, C := len(counts), len(counts[0])
	truth := make([][]int, R+1)
	for i := range truth {
		truth[i] = make([]int, C+1)
	}
	for i := 0; i < R; i++ {
		for j := 0; j < C; j++ {
			v := counts[i][j]
			truth[i][j] = v
			truth[i][C] += v
			truth[R][j] += v
			truth[R][C] += v
		}
	}
	return report.NewTable("", make([]string, R), make([]string, C), counts, k), truth
}

// TestSuppressProtectsAgainstSolvingTheTable (F7c): 3,000 random tables
// shaped like the topic (11 × 12) and channel (8 × 12) tables, suppressed
// with K = 3. For each published table:
//   - Audit: no hidden cell is determined, and every small count may be 0
//     or ≥ K as far as the published table tells;
//   - the probe's attack, exact rational elimination of the published
//     sums, determines no hidden cell;
//   - for a sample, an exact simplex (big.Rat) finds the same intervals as
//     Audit, an independent check of the flow computation.
func TestSuppressProtectsAgainstSolvingTheTable(t *testing.T) {
	const k = 3
	rng := rand.New(rand.NewPCG(7, 2026))
	n := 3000
	if testing.Short() {
		n = 300
	}
	hiddenTotal, lpChecked := 0, 0
	for trial := 0; trial < n; trial++ {
		R, C := 11, 12
		if trial%2 == 1 {
			R = 8
		}
		if trial%7 == 0 { // small tables too
			R, C = 1+rng.IntN(4), 1+rng.IntN(5)
		}
		tb, a := publish(randomCounts(rng, R, C), k)
		ivs, err := report.Audit(tb)
		if err != nil {
			t.Fatalf("table %d: %v", trial, err)
		}
		for _, iv := range ivs {
			hiddenTotal++
			v := a[iv.Row][iv.Col]
			if iv.Determined() {
				t.Fatalf("table %d: hidden cell %d,%d (%d) is determined by the published table", trial, iv.Row, iv.Col, v)
			}
			if v < iv.Min || (iv.Max >= 0 && v > iv.Max) {
				t.Fatalf("table %d: cell %d,%d = %d outside its interval [%d,%d]", trial, iv.Row, iv.Col, v, iv.Min, iv.Max)
			}
			if v > 0 && v < k && !(iv.Min == 0 || iv.Max < 0 || iv.Max >= k) {
				t.Fatalf("table %d: small count %d,%d = %d pinned to [%d,%d]", trial, iv.Row, iv.Col, v, iv.Min, iv.Max)
			}
		}
		if det := determinedByElimination(t, tb); len(det) > 0 {
			t.Fatalf("table %d: cells %v solvable from the published sums", trial, det)
		}
		if (trial%7 == 0 || trial == 1 || trial == 2) && len(ivs) <= 40 { // the small tables, and two large ones
			lpChecked++
			for _, iv := range ivs {
				lo, hi := lpInterval(tb, iv.Row, iv.Col)
				if lo != iv.Min || hi != iv.Max {
					t.Fatalf("table %d: cell %d,%d: Audit says [%d,%d], the simplex [%d,%d]", trial, iv.Row, iv.Col, iv.Min, iv.Max, lo, hi)
				}
			}
		}
	}
	t.Logf("%d tables, %d hidden cells checked, %d tables cross-checked by the simplex", n, hiddenTotal, lpChecked)
}

// lines returns the published sums as equations over the hidden cells:
// coefficient rows and right-hand sides, and the hidden cells in order.
func lines(tb report.Table) (rows [][]*big.Rat, rhs []*big.Rat, vars [][2]int) {
	R, C := len(tb.Rows), len(tb.Cols)
	cell := tb.At
	index := map[[2]int]int{}
	for i := 0; i <= R; i++ {
		for j := 0; j <= C; j++ {
			if cell(i, j).Suppressed {
				index[[2]int{i, j}] = len(vars)
				vars = append(vars, [2]int{i, j})
			}
		}
	}
	add := func(cells [][2]int, total [2]int) {
		row := make([]*big.Rat, len(vars))
		for i := range row {
			row[i] = new(big.Rat)
		}
		b := new(big.Rat)
		hidden := false
		term := func(p [2]int, sign int64) {
			c := cell(p[0], p[1])
			if c.Suppressed {
				row[index[p]].Add(row[index[p]], big.NewRat(sign, 1))
				hidden = true
			} else {
				b.Sub(b, big.NewRat(sign*int64(c.Count), 1))
			}
		}
		for _, p := range cells {
			term(p, 1)
		}
		term(total, -1)
		if hidden {
			rows, rhs = append(rows, row), append(rhs, b)
		}
	}
	for i := 0; i <= R; i++ {
		var cs [][2]int
		for j := 0; j < C; j++ {
			cs = append(cs, [2]int{i, j})
		}
		add(cs, [2]int{i, C})
	}
	for j := 0; j <= C; j++ {
		var cs [][2]int
		for i := 0; i < R; i++ {
			cs = append(cs, [2]int{i, j})
		}
		add(cs, [2]int{R, j})
	}
	return rows, rhs, vars
}

// determinedByElimination is the probe's R3 attack: Gauss–Jordan
// elimination of the published sums, listing the hidden cells that a
// reduced equation alone fixes. The sums of a two-way table form a
// totally unimodular matrix, so every pivot is ±1 and the elimination is
// exact in integers (checked: any other pivot fails the test).
func determinedByElimination(t *testing.T, tb report.Table) [][2]int {
	rows, _, vars := lines(tb)
	m := make([][]int64, len(rows))
	for i, r := range rows {
		m[i] = make([]int64, len(vars))
		for j, x := range r {
			if !x.IsInt() {
				t.Fatalf("non-integral coefficient %v", x)
			}
			m[i][j] = x.Num().Int64()
		}
	}
	var pivots []int
	r := 0
	for c := 0; c < len(vars) && r < len(m); c++ {
		p := -1
		for i := r; i < len(m); i++ {
			if m[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		if pv := m[r][c]; pv != 1 && pv != -1 {
			t.Fatalf("pivot %d: the sums are not totally unimodular", pv)
		} else if pv == -1 {
			for j := range m[r] {
				m[r][j] = -m[r][j]
			}
		}
		for i := range m {
			if f := m[i][c]; i != r && f != 0 {
				for j := range m[i] {
					m[i][j] -= f * m[r][j]
				}
			}
		}
		pivots = append(pivots, c)
		r++
	}
	var out [][2]int
	for i, c := range pivots {
		alone := true
		for j := range m[i] {
			if j != c && m[i][j] != 0 {
				alone = false
				break
			}
		}
		if alone {
			out = append(out, vars[c])
		}
	}
	return out
}

// lpInterval computes the least and greatest value of one hidden cell
// subject to the published sums and non-negativity, with an exact simplex
// (max -1: unbounded). It is written independently of the package's flow
// computation, to check it.
func lpInterval(tb report.Table, i, j int) (int, int) {
	rows, rhs, vars := lines(tb)
	k := -1
	for n, v := range vars {
		if v == [2]int{i, j} {
			k = n
		}
	}
	obj := make([]*big.Rat, len(vars))
	for n := range obj {
		obj[n] = new(big.Rat)
	}
	obj[k].SetInt64(1)
	hi, unbounded := simplexMax(rows, rhs, obj)
	obj[k].SetInt64(-1)
	lo, _ := simplexMax(rows, rhs, obj)
	max := -1
	if !unbounded {
		max = ratInt(hi)
	}
	return -ratInt(lo), max
}

func ratInt(r *big.Rat) int {
	if !r.IsInt() {
		panic("non-integral optimum of a network LP: " + r.String())
	}
	return int(r.Num().Int64())
}

// simplexMax maximises obj·x subject to rows·x = rhs, x ≥ 0, by the
// two-phase simplex method with Bland's rule, in exact arithmetic. The
// system must be feasible.
func simplexMax(rows [][]*big.Rat, rhs []*big.Rat, obj []*big.Rat) (*big.Rat, bool) {
	m, n := len(rows), len(obj)
	// tableau columns: n variables, m artificials, right-hand side
	w := n + m + 1
	tab := make([][]*big.Rat, m+1)
	for r := 0; r <= m; r++ {
		tab[r] = make([]*big.Rat, w)
		for c := range tab[r] {
			tab[r][c] = new(big.Rat)
		}
	}
	basis := make([]int, m)
	for r := 0; r < m; r++ {
		sign := int64(1)
		if rhs[r].Sign() < 0 {
			sign = -1
		}
		for c := 0; c < n; c++ {
			tab[r][c].Mul(rows[r][c], big.NewRat(sign, 1))
		}
		tab[r][n+r].SetInt64(1)
		tab[r][w-1].Mul(rhs[r], big.NewRat(sign, 1))
		basis[r] = n + r
	}
	pivot := func(pr, pc int) {
		inv := new(big.Rat).Inv(tab[pr][pc])
		for c := range tab[pr] {
			tab[pr][c].Mul(tab[pr][c], inv)
		}
		for r := range tab {
			if r == pr || tab[r][pc].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(tab[r][pc])
			for c := range tab[r] {
				tab[r][c].Sub(tab[r][c], new(big.Rat).Mul(f, tab[pr][c]))
			}
		}
		basis[pr] = pc
	}
	// run maximises the objective row (reduced costs in tab[m]: a negative
	// entry can enter); allowed limits the entering columns.
	run := func(allowed int) bool {
		for {
			pc := -1
			for c := 0; c < allowed; c++ {
				if tab[m][c].Sign() < 0 {
					pc = c
					break
				}
			}
			if pc < 0 {
				return true
			}
			pr := -1
			var best *big.Rat
			for r := 0; r < m; r++ {
				if tab[r][pc].Sign() <= 0 {
					continue
				}
				ratio := new(big.Rat).Quo(tab[r][w-1], tab[r][pc])
				if pr < 0 || ratio.Cmp(best) < 0 || (ratio.Cmp(best) == 0 && basis[r] < basis[pr]) {
					pr, best = r, ratio
				}
			}
			if pr < 0 {
				return false // unbounded
			}
			pivot(pr, pc)
		}
	}
	// Phase 1: maximise −Σ artificials.
	for r := 0; r < m; r++ {
		for c := range tab[m] {
			if c < n || c == w-1 {
				tab[m][c].Sub(tab[m][c], tab[r][c])
			}
		}
	}
	run(n + m)
	// Drive artificials out of the basis where possible.
	for r := 0; r < m; r++ {
		if basis[r] < n {
			continue
		}
		for c := 0; c < n; c++ {
			if tab[r][c].Sign() != 0 {
				pivot(r, c)
				break
			}
		}
	}
	// Phase 2: the objective, over the variables only.
	for c := range tab[m] {
		tab[m][c].SetInt64(0)
	}
	for c := 0; c < n; c++ {
		tab[m][c].Neg(obj[c])
	}
	for r := 0; r < m; r++ {
		if b := basis[r]; b < n && obj[b].Sign() != 0 {
			for c := range tab[m] {
				tab[m][c].Add(tab[m][c], new(big.Rat).Mul(obj[b], tab[r][c]))
			}
		}
	}
	for r := 0; r < m; r++ { // artificials stuck in the basis are zero rows: keep them out
		if basis[r] >= n {
			for c := n; c < n+m; c++ {
				tab[r][c].SetInt64(0)
			}
		}
	}
	if !run(n) {
		return nil, true
	}
	return new(big.Rat).Set(tab[m][w-1]), false
}
