package report

// A two-way table with its totals is a circulation: a source node S sends
// each row total r_i to row node i, row i sends cell x_ij to column node
// j, column j sends its total c_j to the sink T, and T returns the grand
// total to S. Conservation at every node is exactly "the cells add up to
// the totals". A published table fixes the visible flows and leaves the
// hidden ones free (≥ 0): the tables consistent with it are the
// circulations with those bounds. Network matrices are totally
// unimodular, so the feasible values of a hidden cell form an integer
// interval whose ends are found by max-flow computations.

// grid is the augmented table: rows 0..R-1 are the table's rows and row R
// the column totals; columns 0..C-1 its columns and column C the row
// totals; (R, C) is the grand total.
type grid struct {
	R, C int
	val  [][]int  // values of visible cells (hidden: ignored)
	hid  [][]bool // hidden cells
}

// infinite is the capacity of a hidden cell's edge: no bound. The vertices
// of the table's polytope solve a totally unimodular system whose
// right-hand sides are visible counts, so a bounded cell never comes near
// it; a cell that can grow by infinite/2 is unbounded.
const infinite = 1 << 40

// solver holds one circulation consistent with the published table (a
// table of counts that would publish exactly what is published) and
// answers, from its residual network, how far each hidden cell can move:
// a cell's value can grow by d exactly when d more units can travel from
// the cell's head back to its tail through the rest of the network, and
// shrink likewise the other way.
type solver struct {
	g    *grid
	f    *flow
	edge [][]int // index of each hidden cell's edge in f (-1: visible)
	from [][]int // tail node of the cell's edge
	to   [][]int // head node of the cell's edge
}

// solve finds a circulation consistent with the published table; false
// if there is none (the visible counts do not add up).
func (g *grid) solve() (*solver, bool) {
	R, C := g.R, g.C
	// nodes: S=0, rows 1..R, columns R+1..R+C, T=R+C+1, then ss, tt
	S, T := 0, R+C+1
	n := R + C + 2
	sv := &solver{g: g, f: newFlow(n + 2), edge: make([][]int, R+1), from: make([][]int, R+1), to: make([][]int, R+1)}
	for i := range sv.edge {
		sv.edge[i], sv.from[i], sv.to[i] = make([]int, C+1), make([]int, C+1), make([]int, C+1)
	}
	excess := make([]int, n)
	put := func(i, j, a, b int) {
		sv.from[i][j], sv.to[i][j], sv.edge[i][j] = a, b, -1
		if g.hid[i][j] {
			sv.edge[i][j] = sv.f.add(a, b, infinite)
			return
		}
		excess[b] += g.val[i][j]
		excess[a] -= g.val[i][j]
	}
	for i := 0; i < R; i++ {
		put(i, C, S, 1+i)
		for j := 0; j < C; j++ {
			put(i, j, 1+i, 1+R+j)
		}
	}
	for j := 0; j < C; j++ {
		put(R, j, 1+R+j, T)
	}
	put(R, C, T, S)
	ss, tt := n, n+1
	need := 0
	var aux []int
	for v, e := range excess {
		switch {
		case e > 0:
			aux = append(aux, sv.f.add(ss, v, e))
			need += e
		case e < 0:
			aux = append(aux, sv.f.add(v, tt, -e))
		}
	}
	if sv.f.max(ss, tt, infinite) != need {
		return nil, false
	}
	for _, e := range aux { // the circulation is found: close the scaffolding
		sv.f.cap[e], sv.f.cap[e^1] = 0, 0
	}
	return sv, true
}

// value is the hidden cell's value in the solver's circulation.
func (sv *solver) value(i, j int) int { return sv.f.cap[sv.edge[i][j]^1] }

// interval returns the least and greatest value of the hidden cell (i, j)
// consistent with the published table; max is -1 when nothing bounds it.
func (sv *solver) interval(i, j int) (min, max int) {
	e, v := sv.edge[i][j], sv.value(i, j)
	reroute := func(src, dst, limit int) int {
		f := sv.f.clone()
		f.cap[e], f.cap[e^1] = 0, 0
		return f.max(src, dst, limit)
	}
	down := reroute(sv.from[i][j], sv.to[i][j], v)
	up := reroute(sv.to[i][j], sv.from[i][j], infinite)
	if up >= infinite/2 {
		return v - down, -1
	}
	return v - down, v + up
}

// flow is a max-flow network (Dinic's algorithm) on small graphs.
type flow struct {
	head  []int
	to    []int
	cap   []int
	next  []int
	level []int
	it    []int
}

func newFlow(n int) *flow {
	f := &flow{head: make([]int, n), level: make([]int, n), it: make([]int, n)}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

// add adds an edge of capacity c from a to b and returns its index (its
// reverse is index^1).
func (f *flow) add(a, b, c int) int {
	f.to = append(f.to, b)
	f.cap = append(f.cap, c)
	f.next = append(f.next, f.head[a])
	f.head[a] = len(f.to) - 1
	f.to = append(f.to, a)
	f.cap = append(f.cap, 0)
	f.next = append(f.next, f.head[b])
	f.head[b] = len(f.to) - 1
	return len(f.to) - 2
}

// clone copies the network with its current residual capacities.
func (f *flow) clone() *flow {
	return &flow{head: f.head, to: f.to, next: f.next, cap: append([]int(nil), f.cap...),
		level: make([]int, len(f.level)), it: make([]int, len(f.it))}
}

func (f *flow) bfs(s, t int) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	q := []int{s}
	for len(q) > 0 {
		v := q[0]
		q = q[1:]
		for e := f.head[v]; e >= 0; e = f.next[e] {
			if f.cap[e] > 0 && f.level[f.to[e]] < 0 {
				f.level[f.to[e]] = f.level[v] + 1
				q = append(q, f.to[e])
			}
		}
	}
	return f.level[t] >= 0
}

func (f *flow) dfs(v, t, pushed int) int {
	if v == t {
		return pushed
	}
	for ; f.it[v] >= 0; f.it[v] = f.next[f.it[v]] {
		e := f.it[v]
		w := f.to[e]
		if f.cap[e] <= 0 || f.level[w] != f.level[v]+1 {
			continue
		}
		if d := f.dfs(w, t, min(pushed, f.cap[e])); d > 0 {
			f.cap[e] -= d
			f.cap[e^1] += d
			return d
		}
	}
	return 0
}

// max pushes up to limit units from s to t and returns how many it pushed.
func (f *flow) max(s, t, limit int) int {
	total := 0
	for total < limit && f.bfs(s, t) {
		copy(f.it, f.head)
		for total < limit {
			d := f.dfs(s, t, limit-total)
			if d == 0 {
				break
			}
			total += d
		}
	}
	return total
}
