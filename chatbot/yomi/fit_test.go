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

// sample is one development query as the confidence model sees it.
type sample struct {
	faq, set string
	x        []float64
	inScope  bool
	correct  bool // the best candidate is the expected entry
	eligible bool // the floors allow a direct answer
	rule     bool // the coverage and margin rule answers it
}

// devSamples matches every query of every development FAQ without sample
// phrasings (the default knowledge base reduced to questions and answers,
// city2, dev3, dev4) with the floors only,
// so that eligible says whether the model is consulted at all.
func devSamples(t *testing.T) []sample {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	all := devKBs(t)
	th := chatbot.DefaultThresholds()
	th.Confidence = math.SmallestNonzeroFloat64 // every query past the floors is "answered"
	ruleTh := chatbot.DefaultThresholds()
	ruleTh.Confidence = 0 // the coverage and margin rule alone
	var out []sample
	for _, k := range all {
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithThresholds(th))
		require.NoError(t, err)
		rule, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithThresholds(ruleTh))
		require.NoError(t, err)
		for _, set := range k.sets {
			for _, q := range loadQueries(t, set) {
				r := m.Match(q.Q)
				out = append(out, sample{faq: k.name, set: set, x: r.Signals.Features(), inScope: q.Expected != "",
					correct: r.Best() != nil && r.Best().ID == q.Expected, eligible: r.Level == chatbot.Answer,
					rule: rule.Match(q.Q).Level == chatbot.Answer})
			}
		}
	}
	return out
}

// fitLogistic fits weights (the last is the bias) by Newton's method with
// an L2 penalty lambda on the weights, each FAQ weighing the same in total.
func fitLogistic(ss []sample, lambda float64) []float64 {
	per := map[string]float64{}
	for _, s := range ss {
		if s.eligible {
			per[s.faq]++
		}
	}
	nf := len(ss[0].x) + 1
	w := make([]float64, nf)
	xx := make([]float64, nf)
	for range 30 {
		g := make([]float64, nf)
		h := make([][]float64, nf)
		for i := range h {
			h[i] = make([]float64, nf+1)
		}
		for _, s := range ss {
			if !s.eligible {
				continue
			}
			copy(xx, s.x)
			xx[nf-1] = 1
			p := sigmoid(dot(w, xx))
			y := 0.0
			if s.inScope && s.correct {
				y = 1
			}
			sw := 1000 / per[s.faq]
			for i := range nf {
				g[i] += sw * (p - y) * xx[i]
				for j := range nf {
					h[i][j] += sw * p * (1 - p) * xx[i] * xx[j]
				}
			}
		}
		for i := range nf - 1 {
			g[i] += lambda * w[i]
			h[i][i] += lambda
		}
		h[nf-1][nf-1] += 1e-9
		if newtonStep(h, g, w) < 1e-7 {
			break
		}
	}
	return w
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-max(-30, min(30, z)))) }

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// groupByFAQ groups development samples by the FAQ they come from.
func groupByFAQ[T any](xs []T, faq func(T) string) map[string][]T {
	m := map[string][]T{}
	for _, x := range xs {
		m[faq(x)] = append(m[faq(x)], x)
	}
	return m
}

// newtonStep takes one Newton step for the fits: it solves h·step = g
// (h has a spare last column for g) and subtracts step from w, returning
// the largest step component (the fits stop when it is small).
func newtonStep(h [][]float64, g, w []float64) float64 {
	for i := range g {
		h[i][len(g)] = g[i]
	}
	step := gaussSolve(h)
	var big float64
	for i := range w {
		w[i] -= step[i]
		big = max(big, math.Abs(step[i]))
	}
	return big
}

// gaussSolve solves the augmented system m (n rows, n+1 columns) in place.
func gaussSolve(m [][]float64) []float64 {
	n := len(m)
	for c := range n {
		p := c
		for i := c + 1; i < n; i++ {
			if math.Abs(m[i][c]) > math.Abs(m[p][c]) {
				p = i
			}
		}
		m[c], m[p] = m[p], m[c]
		for i := range n {
			if i == c || m[c][c] == 0 {
				continue
			}
			f := m[i][c] / m[c][c]
			for j := c; j <= n; j++ {
				m[i][j] -= f * m[c][j]
			}
		}
	}
	x := make([]float64, n)
	for i := range n {
		x[i] = m[i][n] / m[i][i]
	}
	return x
}

// outcome is what a model and threshold do on one FAQ's queries, as
// shares: in-scope answered right and wrong, out-of-scope not answered.
type outcome struct{ right, wrong, rejection float64 }

func evaluateModel(ss []sample, w []float64, tau, confirm float64) outcome {
	var in, out, right, wrong, answeredOut float64
	xx := make([]float64, len(w))
	for _, s := range ss {
		if s.inScope {
			in++
		} else {
			out++
		}
		if !s.eligible {
			continue
		}
		copy(xx, s.x)
		xx[len(w)-1] = 1
		if p := sigmoid(dot(w, xx)); p < tau && !(s.rule && p >= confirm) {
			continue
		}
		switch {
		case !s.inScope:
			answeredOut++
		case s.correct:
			right++
		default:
			wrong++
		}
	}
	o := outcome{right: right / max(in, 1), wrong: wrong / max(in, 1), rejection: 1}
	if out > 0 {
		o.rejection = 1 - answeredOut/out
	}
	return o
}

// limits are what thresholds must keep on the development data: on every
// FAQ (its query sets pooled) wrong direct answers at most wrong and
// rejection at least rejection; on every query set at most setWrong and at
// least setRejection.
type limits struct{ wrong, rejection, setWrong, setRejection float64 }

func (l limits) hold(byFAQ map[string][]sample, w []float64, tau, confirm float64) bool {
	for _, ss := range byFAQ {
		o := evaluateModel(ss, w, tau, confirm)
		if o.wrong > l.wrong || o.rejection < l.rejection {
			return false
		}
		bySet := map[string][]sample{}
		for _, s := range ss {
			bySet[s.set] = append(bySet[s.set], s)
		}
		for _, set := range bySet {
			o := evaluateModel(set, w, tau, confirm)
			if o.wrong > l.setWrong || o.rejection < l.setRejection {
				return false
			}
		}
	}
	return true
}

// chooseThresholds returns the thresholds (Confidence, Confirm; in steps
// of 0.01 and 0.05) that give the most right direct answers on average
// over the FAQs in byFAQ within the limits.
func chooseThresholds(byFAQ map[string][]sample, w []float64, l limits) (tau, confirm float64) {
	best := -1.0
	tau, confirm = 1, 1
	for ti := 50; ti <= 100; ti++ {
		t := float64(ti) / 100
		for ci := 0; ci <= 21; ci++ {
			c := float64(ci) / 20 // 1.05: the rule's answers are not kept
			if c > t {
				break
			}
			if !l.hold(byFAQ, w, t, c) {
				continue
			}
			var sum float64
			for _, ss := range byFAQ {
				sum += evaluateModel(ss, w, t, c).right
			}
			if sum > best+1e-9 {
				best, tau, confirm = sum, t, c
			}
		}
	}
	return tau, confirm
}

// fitLambda and fitLimits are how the embedded model was fitted.
const fitLambda = 1.0

var fitLimits = limits{wrong: 0.015, rejection: 0.93, setWrong: 0.035, setRejection: 0.9}

// TestConfidenceModelCurrent refits the confidence model on the
// development FAQs and checks that the embedded weights and the default
// thresholds are what the fit gives: a change to the signals, the ranking
// or the development sets must refit (TestDevFitConfidence prints the new
// values).
func TestConfidenceModelCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a model (a few seconds)")
	}
	ss := devSamples(t)
	w := fitLogistic(ss, fitLambda)
	got, bias := chatbot.DefaultConfidenceWeights()
	for i, n := range chatbot.FeatureNames() {
		assert.InDelta(t, w[i], got[i], 1e-3, "weight of %s: run ONESTOP_DEVFIT=1 go test ./chatbot/yomi -run DevFitConfidence -v", n)
	}
	assert.InDelta(t, w[len(w)-1], bias, 1e-3, "bias")
	byFAQ := groupByFAQ(ss, func(x sample) string { return x.faq })
	tau, confirm := chooseThresholds(byFAQ, w, fitLimits)
	th := chatbot.DefaultThresholds()
	assert.InDelta(t, tau, th.Confidence, 1e-9, "Thresholds.Confidence")
	assert.InDelta(t, confirm, th.Confirm, 1e-9, "Thresholds.Confirm")
	// What the thresholds promise on every development FAQ.
	for f, ss := range byFAQ {
		o := evaluateModel(ss, w, tau, confirm)
		assert.LessOrEqual(t, o.wrong, 0.015, f)
		assert.GreaterOrEqual(t, o.rejection, 0.93, f)
	}
}

// TestDevFitConfidence fits the confidence model on the development FAQs,
// first leaving each FAQ out in turn (fit and threshold on the others,
// figures on the one left out), then on all of them; it prints the weights
// to paste into chatbot/confidence.go (ONESTOP_DEVFIT=1 go test
// ./chatbot/yomi -run DevFitConfidence -v).
func TestDevFitConfidence(t *testing.T) {
	if os.Getenv("ONESTOP_DEVFIT") == "" {
		t.Skip("set ONESTOP_DEVFIT=1")
	}
	lambda, lim := fitLambda, fitLimits
	if v := os.Getenv("ONESTOP_DEVFIT_LIMITS"); v != "" {
		_, err := fmt.Sscan(v, &lim.wrong, &lim.rejection, &lim.setWrong, &lim.setRejection)
		require.NoError(t, err)
	}
	ss := devSamples(t)
	byFAQ := groupByFAQ(ss, func(x sample) string { return x.faq })
	names := slices.Sorted(maps.Keys(byFAQ))
	for _, held := range names {
		var train []sample
		others := map[string][]sample{}
		for _, f := range names {
			if f != held {
				train = append(train, byFAQ[f]...)
				others[f] = byFAQ[f]
			}
		}
		w := fitLogistic(train, lambda)
		tau, confirm := chooseThresholds(others, w, lim)
		o := evaluateModel(byFAQ[held], w, tau, confirm)
		r := evaluateModel(byFAQ[held], w, 2, 0)
		t.Logf("left out %-10s thresholds %.2f/%.2f: right %5.1f %% wrong %4.1f %% rejection %5.1f %% (rule alone %5.1f %% %4.1f %% %5.1f %%)",
			held, tau, confirm, 100*o.right, 100*o.wrong, 100*o.rejection, 100*r.right, 100*r.wrong, 100*r.rejection)
	}
	w := fitLogistic(ss, lambda)
	tau, confirm := chooseThresholds(byFAQ, w, lim)
	for _, f := range names {
		o := evaluateModel(byFAQ[f], w, tau, confirm)
		t.Logf("all, on %-10s thresholds %.2f/%.2f: right %5.1f %% wrong %4.1f %% rejection %5.1f %%", f, tau, confirm, 100*o.right, 100*o.wrong, 100*o.rejection)
	}
	var b strings.Builder
	for i, n := range chatbot.FeatureNames() {
		fmt.Fprintf(&b, "%s: %.4f, ", n, w[i])
	}
	t.Logf("weights {%s} bias %.4f thresholds %.2f/%.2f", b.String(), w[len(w)-1], tau, confirm)
}
