package yomi_test

import (
	"bufio"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// Round 22's study of a bar that adapts to the FAQ (docs/chatbot.md,
// "Round 22"; the candidates and the adoption criterion were written down
// before any was computed: /work/notes, "PRE-REGISTERED"): FAQ-level
// features computed from the FAQ alone, with no labelled question of it,
// and a bar tau0 + beta·z per FAQ fitted by the shipped rule.

// faqFeatureNames name the label-free FAQ features of the study.
var faqFeatureNames = []string{"own", "prog", "unal", "size", "oos"}

// faqFeatures are one FAQ's label-free features; probeIn[h] and probeAll[h]
// count the out-of-scope questions of FAQ h the FAQ answers directly at the
// default thresholds, and all of them (h ≠ the FAQ).
type faqFeatures struct {
	faq                   string
	own, prog, unal, size float64
	probeIn, probeAll     map[string]float64
}

// value returns feature name's value, the probes of the FAQs in without
// excluded.
func (f faqFeatures) value(name string, without ...string) float64 {
	switch name {
	case "own":
		return f.own
	case "prog":
		return f.prog
	case "unal":
		return f.unal
	case "size":
		return f.size
	case "oos":
		var in, all float64
		for h, n := range f.probeAll {
			if slices.Contains(without, h) {
				continue
			}
			in += f.probeIn[h]
			all += n
		}
		return in / max(all, 1)
	}
	panic("unknown feature " + name)
}

// computeFAQFeatures compiles each development FAQ as a new FAQ is
// compiled (its own questions out of the library, default thresholds) and
// computes its features.
func computeFAQFeatures(t *testing.T) map[string]faqFeatures {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	kbs := devKBs(t)
	probes := map[string][]string{}
	for _, k := range kbs {
		for _, set := range k.sets {
			for _, q := range loadQueries(t, set) {
				if q.Expected == "" {
					probes[k.name] = append(probes[k.name], q.Q)
				}
			}
		}
	}
	out := map[string]faqFeatures{}
	for _, k := range kbs {
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithResidentLibraryExcept(k.name))
		require.NoError(t, err)
		f := faqFeatures{faq: k.name, probeIn: map[string]float64{}, probeAll: map[string]float64{}}
		n := 0.0
		for _, e := range k.kb.Entries {
			if len(e.Phrasings) > 0 || len(e.Keywords) > 0 {
				continue
			}
			r := m.Match(e.Question)
			ratio := 1.5
			if r.Best() != nil && r.Best().ID == e.ID {
				ratio = r.Signals.Ratio
			}
			f.own += ratio
			f.prog += float64(r.Signals.ProgrammeEntries)
			n++
		}
		f.own /= max(n, 1)
		f.prog /= max(n, 1)
		st := m.Stats()
		f.unal = 1 - float64(st.LibraryAligned)/float64(max(st.Entries, 1))
		f.size = math.Log(float64(st.Entries))
		for h, qs := range probes {
			if h == k.name {
				continue
			}
			for _, q := range qs {
				f.probeAll[h]++
				if m.Match(q).Level == chatbot.Answer {
					f.probeIn[h]++
				}
			}
		}
		out[k.name] = f
	}
	return out
}

// faqFeaturesCached is computeFAQFeatures, cached in prefix.faqfeatures.tsv.
func faqFeaturesCached(t *testing.T, prefix string) map[string]faqFeatures {
	t.Helper()
	path := prefix + ".faqfeatures.tsv"
	if p := os.Getenv("ONESTOP_FAQFEATURES"); p != "" {
		path = p
	}
	if b, err := os.ReadFile(path); err == nil {
		out := map[string]faqFeatures{}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			num := func(i int) float64 {
				x, err := strconv.ParseFloat(c[i], 64)
				require.NoError(t, err)
				return x
			}
			f, ok := out[c[0]]
			if !ok {
				f = faqFeatures{faq: c[0], probeIn: map[string]float64{}, probeAll: map[string]float64{}}
			}
			switch c[1] {
			case "f":
				f.own, f.prog, f.unal, f.size = num(2), num(3), num(4), num(5)
			case "p":
				f.probeIn[c[2]], f.probeAll[c[2]] = num(3), num(4)
			}
			out[c[0]] = f
		}
		return out
	}
	out := computeFAQFeatures(t)
	var b strings.Builder
	for _, g := range slices.Sorted(maps.Keys(out)) {
		f := out[g]
		fmt.Fprintf(&b, "%s\tf\t%g\t%g\t%g\t%g\n", g, f.own, f.prog, f.unal, f.size)
		for _, h := range slices.Sorted(maps.Keys(f.probeAll)) {
			fmt.Fprintf(&b, "%s\tp\t%s\t%g\t%g\n", g, h, f.probeIn[h], f.probeAll[h])
		}
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return out
}

// barModel is a per-FAQ bar: tau0 + beta·z, z = (x − med) / iqr clamped to
// [−2, 2], Confirm = bar − offset, raised by margin, clamped to [0.5, 1].
type barModel struct {
	feature                   string
	tau0, beta, offset, raise float64
	med, iqr                  float64
}

func (b barModel) z(x float64) float64 {
	if b.iqr <= 0 {
		return 0
	}
	return max(-2, min(2, (x-b.med)/b.iqr))
}

func (b barModel) policyFor(x float64) policy {
	tau := max(0.5, min(1, b.tau0+b.beta*b.z(x)+b.raise))
	return policy{tau, max(0, tau-b.offset), 0}
}

// quantile is the q-quantile of xs (linear between order statistics).
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	p := q * float64(len(s)-1)
	i := int(math.Floor(p))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (p-float64(i))*(s[i+1]-s[i])
}

// barBetas are the slopes the study tries (per IQR of the feature).
var barBetas = func() []float64 {
	var bs []float64
	for i := -8; i <= 8; i++ {
		bs = append(bs, float64(i)*0.005)
	}
	return bs
}()

// fitBarModel fits (tau0, beta, offset) on the FAQs of ss (predicted ps),
// each FAQ's feature value xs[faq], by the shipped rule: every FAQ within
// fitWrong (or one question) and fitRejection, the most mean right; ties:
// the smaller |beta|, then the earlier offset, then the lower tau0. Then
// raised by margin. feature "" is the shipped rule (beta 0).
func fitBarModel(ss []sample, ps []float64, feature string, xs map[string]float64, margin float64) barModel {
	by := map[string][]int{}
	for i, s := range ss {
		by[s.faq] = append(by[s.faq], i)
	}
	faqs := slices.Sorted(maps.Keys(by))
	var vals []float64
	for _, f := range faqs {
		vals = append(vals, xs[f])
	}
	bm := barModel{feature: feature, tau0: 1, offset: 0}
	if feature != "" {
		bm.med, bm.iqr = quantile(vals, 0.5), quantile(vals, 0.75)-quantile(vals, 0.25)
	}
	betas := []float64{0}
	if feature != "" && bm.iqr > 0 {
		betas = slices.Clone(barBetas)
		slices.SortStableFunc(betas, func(a, b float64) int {
			switch {
			case math.Abs(a) < math.Abs(b):
				return -1
			case math.Abs(a) > math.Abs(b):
				return 1
			}
			return 0
		})
	}
	// per FAQ and offset: the answered tally on the grid of shifted bars.
	type tal struct {
		in, out float64
		r, w, o []float64 // by grid index of the FAQ's own bar
	}
	tallies := map[float64]map[string]*tal{}
	for _, off := range confirmOffsets {
		m := map[string]*tal{}
		for _, f := range faqs {
			x := &tal{r: make([]float64, gridSteps), w: make([]float64, gridSteps), o: make([]float64, gridSteps)}
			var fss []sample
			var fps []float64
			for _, i := range by[f] {
				fss, fps = append(fss, ss[i]), append(fps, ps[i])
			}
			tl := tallyAnswered(fss, fps, off, false)[0]
			x.in, x.out = tl.in, tl.out
			copy(x.r, tl.r[0][:])
			copy(x.w, tl.w[0][:])
			copy(x.o, tl.o[0][:])
			m[f] = x
		}
		tallies[off] = m
	}
	best := -1.0
	for _, beta := range betas {
		for _, off := range confirmOffsets {
			for ti := range gridSteps {
				tau0 := gridTau(ti)
				cand := barModel{feature: feature, tau0: tau0, beta: beta, offset: off, med: bm.med, iqr: bm.iqr}
				right, ok := 0.0, true
				for _, f := range faqs {
					x := tallies[off][f]
					bar := tau0 + beta*cand.z(xs[f])
					// the FAQ's bar on the grid (the lowest grid bar ≥ bar)
					gi := int(math.Ceil((bar-0.5)/0.005 - 1e-9))
					var r, w, o float64
					if gi < 0 {
						gi = 0
					}
					if gi < gridSteps {
						r, w, o = x.r[gi], x.w[gi], x.o[gi]
					}
					in := max(x.in, 1)
					if w/in > fitWrong+1e-12 && w > 1+1e-9 {
						ok = false
						break
					}
					if x.out > 0 && 1-o/x.out < fitRejection {
						ok = false
						break
					}
					right += r / in
				}
				if ok && right/float64(len(faqs)) > best+1e-12 {
					best, bm = right/float64(len(faqs)), cand
				}
			}
		}
	}
	bm.raise = margin
	return bm
}

// barOutcome evaluates bar model bm on FAQ f's samples.
func barOutcome(ss []sample, ps []float64, bm barModel, x float64) faqOutcome {
	pol := bm.policyFor(x)
	// grid-align as the fit does
	pol.tau = math.Ceil(pol.tau/0.005-1e-9) * 0.005
	pol.kappa = pol.tau - bm.offset
	return policyOutcomes(ss, ps, pol)[0]
}

// featureMap returns feature name's values by FAQ (the probes of without
// excluded).
func featureMap(fs map[string]faqFeatures, name string, without ...string) map[string]float64 {
	m := map[string]float64{}
	for g, f := range fs {
		if name != "" {
			m[g] = f.value(name, without...)
		}
	}
	return m
}

// nestedBar is, for each FAQ, its outcome under the bar model fitted on
// the other FAQs' left-out predictions and features.
func nestedBar(ss []sample, ps []float64, fs map[string]faqFeatures, feature string, margin float64) ([]faqOutcome, []string) {
	var os []faqOutcome
	var desc []string
	leaveOneFAQOut(ss, ps, func(f string, fss []sample, fps []float64, oss []sample, ops []float64) {
		xs := featureMap(fs, feature, f)
		bm := fitBarModel(oss, ops, feature, xs, margin)
		o := barOutcome(fss, fps, bm, xs[f])
		os = append(os, o)
		p := bm.policyFor(xs[f])
		desc = append(desc, fmt.Sprintf("%s %.1f/%.1f/%.1f (%.3f; β %+.3f, τ0 %.3f, off %.2f)", f, 100*o.right, 100*o.wrong, 100*o.rejection, p.tau, bm.beta, bm.tau0, bm.offset))
	})
	return os, desc
}

// TestFAQBarStudy is round 22's study (ONESTOP_FAQBARSTUDY=1 and
// ONESTOP_DEVFIT_DUMP=prefix; the features are cached in
// prefix.faqfeatures.tsv): per candidate feature, nested figures, by FAQ,
// the policy on all and the three-newest check.
func TestFAQBarStudy(t *testing.T) {
	prefix := os.Getenv("ONESTOP_DEVFIT_DUMP")
	if os.Getenv("ONESTOP_FAQBARSTUDY") == "" || prefix == "" {
		t.Skip("set ONESTOP_FAQBARSTUDY=1 and ONESTOP_DEVFIT_DUMP=prefix")
	}
	fs := faqFeaturesCached(t, prefix)
	byHeld := heldOutRankedCached(t)
	held, ps := lofoConfidence(byHeld, fitLambda)
	for _, g := range slices.Sorted(maps.Keys(fs)) {
		var b strings.Builder
		for _, n := range faqFeatureNames {
			fmt.Fprintf(&b, " %s %.3f", n, fs[g].value(n))
		}
		t.Logf("features %-10s%s", g, b.String())
	}
	// The shipped rule through this harness must be choosePolicy's.
	c, cp := fitBarModel(held, ps, "", nil, fitMargin).policyFor(0), choosePolicy(held, ps)
	require.InDelta(t, cp.tau, c.tau, 1e-9, "the shipped rule's threshold")
	require.InDelta(t, cp.kappa, c.kappa, 1e-9, "the shipped rule's Confirm")
	faqs := slices.Sorted(maps.Keys(byHeld))
	logNeededBars(t, held, ps, fs)
	newest := newestStudyFAQs(faqs)
	olderSS, olderPS := olderPredictions(byHeld, newest)
	newSS, newPS := newestPredictions(byHeld, newest)
	for _, feature := range append([]string{""}, faqFeatureNames...) {
		name := feature
		if name == "" {
			name = "C (shipped)"
		}
		all := fitBarModel(held, ps, feature, featureMap(fs, feature), fitMargin)
		os, desc := nestedBar(held, ps, fs, feature, fitMargin)
		t.Logf("%-12s on all: τ0 %.3f β %+.3f off %.2f (med %.3f iqr %.3f) | nested %s", name, all.tau0, all.beta, all.offset, all.med, all.iqr, summarize(os))
		t.Logf("%-12s by FAQ: %s", name, strings.Join(desc, " "))
		// three newest: model and bar rule from the older FAQs only; the
		// features' probes without the newest.
		xs := featureMap(fs, feature, newest...)
		obm := fitBarModel(olderSS, olderPS, feature, xs, fitMargin)
		var nw []faqOutcome
		for _, f := range newest {
			var fss []sample
			var fps []float64
			for i, s := range newSS {
				if s.faq == f {
					fss, fps = append(fss, s), append(fps, newPS[i])
				}
			}
			nw = append(nw, barOutcome(fss, fps, obm, xs[f]))
		}
		t.Logf("%-12s three newest (from the %d older: τ0 %.3f β %+.3f off %.2f):%s — mean %s", name, len(faqs)-len(newest), obm.tau0, obm.beta, obm.offset, fmtOutcomes(nw), summarize(nw))
	}
}

// newestStudyFAQs are the three newest development FAQs of faqs.
func newestStudyFAQs(faqs []string) []string {
	var devs []int
	for _, f := range faqs {
		if n, err := strconv.Atoi(strings.TrimPrefix(f, "dev")); err == nil && strings.HasPrefix(f, "dev") {
			devs = append(devs, n)
		}
	}
	slices.Sort(devs)
	var out []string
	for _, n := range devs[len(devs)-3:] {
		out = append(out, fmt.Sprintf("dev%d", n))
	}
	return out
}

// logNeededBars logs, for information, each FAQ's own needed bar (the
// lowest threshold, Confirm 0.13 below, at which its left-out predictions
// keep fitWrong and fitRejection, in sample) and each feature's rank
// correlation with it over the FAQs.
func logNeededBars(t *testing.T, ss []sample, ps []float64, fs map[string]faqFeatures) {
	t.Helper()
	ts := tallyAnswered(ss, ps, confirmOffset, false)
	need := map[string]float64{}
	var b strings.Builder
	for _, x := range ts {
		need[x.faq] = 1
		for ti := range gridSteps {
			in := max(x.in, 1)
			w := x.w[0][ti]
			if w/in > fitWrong+1e-12 && w > 1+1e-9 || x.out > 0 && 1-x.o[0][ti]/x.out < fitRejection {
				continue
			}
			need[x.faq] = gridTau(ti)
			break
		}
		fmt.Fprintf(&b, " %s %.3f", x.faq, need[x.faq])
	}
	t.Logf("needed bars (offset 0.13, in sample):%s", b.String())
	faqs := slices.Sorted(maps.Keys(need))
	rank := func(v map[string]float64) []float64 {
		idx := slices.Clone(faqs)
		slices.SortStableFunc(idx, func(a, b string) int {
			switch {
			case v[a] < v[b]:
				return -1
			case v[a] > v[b]:
				return 1
			}
			return 0
		})
		r := map[string]float64{}
		for i := 0; i < len(idx); {
			j := i
			for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
				j++
			}
			for k := i; k <= j; k++ {
				r[idx[k]] = float64(i+j) / 2
			}
			i = j + 1
		}
		out := make([]float64, len(faqs))
		for i, f := range faqs {
			out[i] = r[f]
		}
		return out
	}
	rn := rank(need)
	var c strings.Builder
	for _, n := range faqFeatureNames {
		fmt.Fprintf(&c, " %s %+.2f", n, corr(rn, rank(featureMap(fs, n))))
	}
	t.Logf("rank correlation of each feature with the needed bar over %d FAQs:%s", len(faqs), c.String())
}
