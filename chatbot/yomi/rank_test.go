package yomi_test

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// rankQuery is one in-scope development query as the re-ranker sees it:
// its best candidates in BM25 order with their features, and which of
// them is right (-1: none).
type rankQuery struct {
	faq     string
	x       [][]float64
	correct int
}

// devRankQueries collects the re-ranker's inputs for every in-scope query
// of every development FAQ without sample phrasings.
func devRankQueries(t *testing.T) []rankQuery { return devRankQueriesWithout(t, nil, "") }

// devRankQueriesWithout is devRankQueries for the FAQs keep accepts (nil:
// all), each matched with its own questions and those of the FAQ held
// out of the resident-question library.
func devRankQueriesWithout(t *testing.T, keep func(string) bool, held string) []rankQuery {
	t.Helper()
	var out []rankQuery
	drop := strings.Split(os.Getenv("ONESTOP_DEVFIT_DROP"), ",")
	eachInScopeWithout(t, keep, held, func(k kbSets, m *chatbot.Matcher, q chatbot.LabeledQuery) {
		rq := rankQuery{faq: k.name, correct: -1}
		for i, in := range m.RankInputs(q.Q) {
			for j, n := range chatbot.RankFeatureNames() {
				if slices.Contains(drop, n) {
					in.Features[j] = 0
				}
			}
			rq.x = append(rq.x, in.Features)
			if in.ID == q.Expected {
				rq.correct = i
			}
		}
		out = append(out, rq)
	})
	return out
}

// eachInScope calls fn for every in-scope query of every development FAQ
// that keep accepts (nil: all), matched with readings.
func eachInScope(t *testing.T, keep func(name string) bool, fn func(k kbSets, m *chatbot.Matcher, q chatbot.LabeledQuery)) {
	t.Helper()
	eachInScopeWithout(t, keep, "", fn)
}

// eachInScopeWithout is eachInScope with each FAQ's own questions and
// those of held out of the resident-question library.
func eachInScopeWithout(t *testing.T, keep func(name string) bool, held string, fn func(k kbSets, m *chatbot.Matcher, q chatbot.LabeledQuery)) {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	for _, k := range devKBs(t) {
		if keep != nil && !keep(k.name) {
			continue
		}
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithResidentLibraryExcept(k.name, held))
		require.NoError(t, err)
		for _, set := range k.sets {
			for _, q := range loadQueries(t, set) {
				if q.Expected != "" {
					fn(k, m, q)
				}
			}
		}
	}
}

// fitRanker fits the re-ranker's weights as a conditional logit (softmax
// over each query's candidates, the right one the outcome) by Newton's
// method with an L2 penalty lambda pulling towards w0 (BM25 order), each
// FAQ weighing the same in total.
func fitRanker(qs []rankQuery, lambda float64, w0 []float64) []float64 {
	per := map[string]float64{}
	for _, q := range qs {
		if q.correct >= 0 {
			per[q.faq]++
		}
	}
	nf := len(w0)
	w := slices.Clone(w0)
	for range 50 {
		g := make([]float64, nf)
		h := make([][]float64, nf)
		for i := range h {
			h[i] = make([]float64, nf+1)
		}
		for _, q := range qs {
			if q.correct < 0 || len(q.x) < 2 {
				continue
			}
			sw := 1000 / per[q.faq]
			zs := make([]float64, len(q.x))
			zmax := math.Inf(-1)
			for i, x := range q.x {
				zs[i] = dot(w, x)
				zmax = max(zmax, zs[i])
			}
			var sum float64
			for i := range zs {
				zs[i] = math.Exp(zs[i] - zmax)
				sum += zs[i]
			}
			mean := make([]float64, nf)
			for i, x := range q.x {
				p := zs[i] / sum
				zs[i] = p
				for j := range nf {
					mean[j] += p * x[j]
				}
			}
			for j := range nf {
				g[j] += sw * (mean[j] - q.x[q.correct][j])
			}
			for i, x := range q.x {
				p := zs[i]
				for a := range nf {
					da := x[a] - mean[a]
					for b := range nf {
						h[a][b] += sw * p * da * (x[b] - mean[b])
					}
				}
			}
		}
		for i := range nf {
			g[i] += lambda * (w[i] - w0[i])
			h[i][i] += lambda
		}
		if newtonStep(h, g, w) < 1e-8 {
			break
		}
	}
	return w
}

// rankOutcome is top-1 and top-3 over a FAQ's in-scope queries when its
// candidates are ordered by w.
func rankOutcome(qs []rankQuery, w []float64) (top1, top3 float64) {
	for _, q := range qs {
		if q.correct < 0 {
			continue
		}
		zc := dot(w, q.x[q.correct])
		rank := 0
		for i, x := range q.x {
			// ties keep BM25 order, as the matcher's stable sort does
			if z := dot(w, x); z > zc || z == zc && i < q.correct {
				rank++
			}
		}
		if rank == 0 {
			top1++
		}
		if rank < 3 {
			top3++
		}
	}
	n := float64(len(qs))
	return top1 / n, top3 / n
}

// bm25Order is the re-ranker that keeps BM25 order (the log score ratio
// alone), the prior the fit is pulled towards.
func bm25Order() []float64 {
	w := make([]float64, len(chatbot.RankFeatureNames()))
	w[0] = 1
	return w
}

// rankLambda is the L2 penalty of the embedded re-ranker's fit.
const rankLambda = 10.0

// TestRankerCurrent refits the re-ranker on the development FAQs and
// checks that the embedded weights are what the fit gives, and that the
// re-ranker keeps or beats BM25 order's top-1 on every development FAQ and
// beats it over all.
func TestRankerCurrent(t *testing.T) {
	skipUnderRace(t)
	if testing.Short() {
		t.Skip("fits a model (a few seconds)")
	}
	qs := devRankQueries(t)
	w := fitRanker(qs, rankLambda, bm25Order())
	got := chatbot.DefaultRankWeights()
	for i, n := range chatbot.RankFeatureNames() {
		assert.InDelta(t, w[i], got[i], 1e-3, "weight of %s: run ONESTOP_DEVFIT=1 go test ./chatbot/yomi -run DevFitRanker -v", n)
	}
	byFAQ := groupByFAQ(qs, func(x rankQuery) string { return x.faq })
	var gain float64
	for f, fq := range byFAQ {
		b1, _ := rankOutcome(fq, bm25Order())
		r1, _ := rankOutcome(fq, got)
		assert.GreaterOrEqual(t, r1, b1, "top-1 on %s", f)
		gain += r1 - b1
	}
	assert.Positive(t, gain, "top-1 summed over the FAQs")
}

// TestDevFitRanker fits the re-ranker, first leaving each development FAQ
// out in turn (fit on the others, top-1/top-3 on the one left out), then
// on all; it prints the weights to paste into chatbot/rerank.go
// (ONESTOP_DEVFIT=1 go test ./chatbot/yomi -run DevFitRanker -v;
// ONESTOP_DEVFIT_LAMBDA sets the penalty; ONESTOP_DEVFIT_RANKER_ALL=1
// skips the folds, whose figures the fold cache's dump logs as well;
// ONESTOP_DEVFIT_RANKER_HELD=dev19,dev20,dev21 runs only those folds).
func TestDevFitRanker(t *testing.T) {
	if os.Getenv("ONESTOP_DEVFIT") == "" {
		t.Skip("set ONESTOP_DEVFIT=1")
	}
	lambda := rankLambda
	if v := os.Getenv("ONESTOP_DEVFIT_LAMBDA"); v != "" {
		_, err := fmt.Sscan(v, &lambda)
		require.NoError(t, err)
	}
	qs := devRankQueries(t)
	byFAQ := groupByFAQ(qs, func(x rankQuery) string { return x.faq })
	names := slices.Sorted(maps.Keys(byFAQ))
	var s1, s3, b1s, b3s float64
	if os.Getenv("ONESTOP_DEVFIT_RANKER_ALL") != "" {
		// The weights only: the folds' figures come with the fold cache
		// too (barStudyDump logs each FAQ's left out).
		names = nil
	}
	if v := os.Getenv("ONESTOP_DEVFIT_RANKER_HELD"); v != "" {
		// Only these FAQs' folds (comma-separated names), for a data
		// change's transfer check on the newest FAQs.
		held := strings.Split(v, ",")
		for _, h := range held {
			require.Contains(t, names, h, "ONESTOP_DEVFIT_RANKER_HELD")
		}
		names = held
	}
	for _, held := range names {
		// The training FAQs' library inputs leave out the held-out FAQ's
		// questions too (without, the fit would have seen them).
		train := devRankQueriesWithout(t, func(f string) bool { return f != held }, held)
		w := fitRanker(train, lambda, bm25Order())
		b1, b3 := rankOutcome(byFAQ[held], bm25Order())
		r1, r3 := rankOutcome(byFAQ[held], w)
		s1, s3, b1s, b3s = s1+r1, s3+r3, b1s+b1, b3s+b3
		t.Logf("left out %-10s top-1 %5.1f → %5.1f, top-3 %5.1f → %5.1f (BM25 order → re-ranked)", held, 100*b1, 100*r1, 100*b3, 100*r3)
	}
	n := float64(max(len(names), 1))
	t.Logf("left out, mean: top-1 %5.1f → %5.1f, top-3 %5.1f → %5.1f", 100*b1s/n, 100*s1/n, 100*b3s/n, 100*s3/n)
	w := fitRanker(qs, lambda, bm25Order())
	for _, f := range slices.Sorted(maps.Keys(byFAQ)) {
		r1, r3 := rankOutcome(byFAQ[f], w)
		t.Logf("all, on %-10s top-1 %5.1f top-3 %5.1f", f, 100*r1, 100*r3)
	}
	var b strings.Builder
	for i, x := range w {
		fmt.Fprintf(&b, "%.4f, ", x)
		_ = i
	}
	t.Logf("weights %v\n%s", chatbot.RankFeatureNames(), b.String())
}
