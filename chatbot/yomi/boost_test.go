package yomi_test

import (
	"fmt"
	"math"
	"slices"
)

// boostSpec configures the study's boosted-tree confidence model: rounds
// of depth-limited regression trees on the logistic loss's gradient
// (Newton leaf values), shrink the learning rate, onLogistic whether the
// trees start from the logistic model's margin (else from the prior).
type boostSpec struct {
	rounds, depth int
	shrink        float64
	minHess       float64 // least Hessian weight in a leaf
	bins          int
	onLogistic    bool
}

func parseBoost(s string) (boostSpec, error) {
	b := boostSpec{minHess: 5, bins: 32}
	var hyb int
	_, err := fmt.Sscanf(s, "%d:%d:%g:%g:%d", &b.rounds, &b.depth, &b.shrink, &b.minHess, &hyb)
	b.onLogistic = hyb == 1
	return b, err
}

type boostNode struct {
	feat  int // -1: leaf
	thr   float64
	left  int // index of the child for x[feat] <= thr; right = left+1
	value float64
}

type boostModel struct {
	logit []float64 // nil: no logistic base
	prior float64
	trees [][]boostNode
	rate  float64
}

func (m *boostModel) margin(x []float64) float64 {
	z := m.prior
	if m.logit != nil {
		xx := append(slices.Clone(x), 1)
		z = dot(m.logit, xx)
	}
	for _, t := range m.trees {
		z += m.rate * leaf(t, x)
	}
	return z
}

// leaf returns the value of the leaf of tree t that x falls in.
func leaf(t []boostNode, x []float64) float64 {
	n := 0
	for t[n].feat >= 0 {
		if x[t[n].feat] <= t[n].thr {
			n = t[n].left
		} else {
			n = t[n].left + 1
		}
	}
	return t[n].value
}

func boostPredict(ss []sample, m *boostModel) []float64 {
	ps := make([]float64, len(ss))
	for i, s := range ss {
		ps[i] = sigmoid(m.margin(s.x))
	}
	return ps
}

// fitBoost fits a boosted model on the eligible samples, each FAQ weighing
// the same (as fitLogistic).
func fitBoost(ss []sample, spec boostSpec, lambda float64) *boostModel {
	per := map[string]float64{}
	var xs [][]float64
	var ys, ws []float64
	for _, s := range ss {
		if s.eligible {
			per[s.faq]++
		}
	}
	var n float64
	for _, c := range per {
		n += c
	}
	for _, s := range ss {
		if !s.eligible {
			continue
		}
		xs = append(xs, s.x)
		ys = append(ys, b2f(s.inScope && s.correct))
		ws = append(ws, n/float64(len(per))/per[s.faq]) // each FAQ the same, mean weight 1
	}
	m := &boostModel{rate: spec.shrink}
	z := make([]float64, len(xs))
	if spec.onLogistic {
		m.logit = fitLogistic(ss, lambda)
		for i, x := range xs {
			z[i] = m.margin(x)
		}
	} else {
		var sy, sw float64
		for i := range ys {
			sy += ws[i] * ys[i]
			sw += ws[i]
		}
		p := sy / sw
		m.prior = math.Log(p / (1 - p))
		for i := range z {
			z[i] = m.prior
		}
	}
	nf := len(xs[0])
	// Candidate thresholds: quantiles of each feature.
	thr := make([][]float64, nf)
	for f := range nf {
		v := make([]float64, len(xs))
		for i, x := range xs {
			v[i] = x[f]
		}
		slices.Sort(v)
		for b := 1; b < spec.bins; b++ {
			q := v[b*len(v)/spec.bins]
			if len(thr[f]) == 0 || q > thr[f][len(thr[f])-1] {
				if q < v[len(v)-1] {
					thr[f] = append(thr[f], q)
				}
			}
		}
	}
	g := make([]float64, len(xs))
	h := make([]float64, len(xs))
	idx := make([]int, len(xs))
	for range spec.rounds {
		for i := range xs {
			p := sigmoid(z[i])
			g[i] = ws[i] * (p - ys[i])
			h[i] = ws[i] * max(p*(1-p), 1e-6)
			idx[i] = i
		}
		var tree []boostNode
		var grow func(at int, rows []int, depth int)
		grow = func(at int, rows []int, depth int) {
			var G, H float64
			for _, i := range rows {
				G += g[i]
				H += h[i]
			}
			tree[at] = boostNode{feat: -1, value: -G / (H + lambda)}
			if depth == spec.depth {
				return
			}
			bestGain, bf, bt := 1e-9, -1, 0.0
			parent := G * G / (H + lambda)
			for f := range nf {
				nb := len(thr[f])
				if nb == 0 {
					continue
				}
				gb := make([]float64, nb+1)
				hb := make([]float64, nb+1)
				for _, i := range rows {
					b, _ := slices.BinarySearch(thr[f], xs[i][f]) // first thr >= x: x <= thr[b]
					gb[b] += g[i]
					hb[b] += h[i]
				}
				var gl, hl float64
				for b := range nb {
					gl += gb[b]
					hl += hb[b]
					gr, hr := G-gl, H-hl
					if hl < spec.minHess || hr < spec.minHess {
						continue
					}
					if gain := gl*gl/(hl+lambda) + gr*gr/(hr+lambda) - parent; gain > bestGain {
						bestGain, bf, bt = gain, f, thr[f][b]
					}
				}
			}
			if bf < 0 {
				return
			}
			var l, r []int
			for _, i := range rows {
				if xs[i][bf] <= bt {
					l = append(l, i)
				} else {
					r = append(r, i)
				}
			}
			left := len(tree)
			tree = append(tree, boostNode{}, boostNode{})
			tree[at] = boostNode{feat: bf, thr: bt, left: left}
			grow(left, l, depth+1)
			grow(left+1, r, depth+1)
		}
		tree = append(tree, boostNode{})
		grow(0, idx, 0)
		m.trees = append(m.trees, tree)
		for i, x := range xs {
			z[i] += spec.shrink * leaf(tree, x)
		}
	}
	return m
}
