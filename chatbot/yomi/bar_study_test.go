package yomi_test

import (
	"bufio"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// barStudyDump is heldOutRanked for the study of a bar that adapts to the
// FAQ (round 19), cached fold by fold in out.fold-NAME.tsv (a fold already
// written is read, not recomputed): each fold holds every FAQ's samples as
// the re-ranker fitted without the FAQ left out ranks them, and, for the
// FAQ left out, label-free FAQ-level statistics (faqStats), the re-ranker's
// top-1 / top-3 on it, and pseudo-questions projected from the other FAQs'
// resident questions (pseudoSamples). It also writes every FAQ's
// statistics to out.stats.tsv. TestBarStudy reads the folds back. With
// lean (the fold cache of the fits, ONESTOP_DEVFIT_DUMP) the statistics
// and pseudo-questions are left out: a third of a fold's time.
func barStudyDump(t *testing.T, out string, lean bool) map[string][]sample {
	t.Helper()
	byHeld := map[string][]sample{}
	stats := map[string]map[string]float64{}
	pseudo := map[string][]sample{}
	kbs := devKBs(t)
	var rq map[string][]rankQuery // by FAQ, for the re-ranker's figures left out
	// ONESTOP_DEVFIT_DUMP_PART=i/n makes only the folds i, i+n, i+2n … (in
	// devFAQs order) and stops: n processes make a dump in pieces at once.
	part, parts := 0, 0
	if p := os.Getenv("ONESTOP_DEVFIT_DUMP_PART"); p != "" {
		_, err := fmt.Sscanf(p, "%d/%d", &part, &parts)
		require.NoError(t, err, "ONESTOP_DEVFIT_DUMP_PART=i/n")
	}
	for hi, held := range kbs {
		// Each fold is cached in its own file (out.fold-NAME.tsv), so that
		// a dump can be made in pieces.
		cache := out + ".fold-" + held.name + ".tsv"
		if parts > 0 && hi%parts != part {
			continue
		}
		if _, err := os.Stat(cache); err != nil {
			train := devRankQueriesWithout(t, func(f string) bool { return f != held.name }, held.name)
			w := fitRanker(train, rankLambda, bm25Order())
			var ss []sample
			for _, k := range kbs {
				ss = append(ss, kbSamples(t, k, w, held.name)...)
			}
			st := map[string]float64{}
			var ps []sample
			if !lean {
				st, ps = faqStats(t, held, w), pseudoSamples(t, held, w)
			}
			if rq == nil {
				rq = groupByFAQ(devRankQueries(t), func(x rankQuery) string { return x.faq })
			}
			st["bm25top1"], st["bm25top3"] = rankOutcome(rq[held.name], bm25Order())
			st["ranktop1"], st["ranktop3"] = rankOutcome(rq[held.name], w)
			t.Logf("left out %-10s top-1 %5.1f → %5.1f, top-3 %5.1f → %5.1f (BM25 order → re-ranked)", held.name, 100*st["bm25top1"], 100*st["ranktop1"], 100*st["bm25top3"], 100*st["ranktop3"])
			writeFold(t, cache, held.name, ss, ps, st)
		}
		if parts > 0 {
			continue
		}
		d := loadFold(t, cache)
		// A cache written with the model's inputs and one more after them
		// still serves a refit that drops the last (TestDevFitConfidence
		// prints the weights without it); fewer inputs are a stale cache.
		n := len(chatbot.FeatureNames())
		for i, s := range d.byHeld[held.name] {
			require.GreaterOrEqual(t, len(s.x), n, "%s: written with fewer inputs than the model's: delete the cache", cache)
			d.byHeld[held.name][i].x = s.x[:n:n]
		}
		byHeld[held.name] = d.byHeld[held.name]
		pseudo[held.name] = d.pseudo[held.name]
		stats[held.name] = d.stats[held.name]
	}
	if parts > 0 {
		t.Skipf("folds %d/%d of %s made; rerun without ONESTOP_DEVFIT_DUMP_PART", part, parts, out)
	}
	f, err := os.Create(out + ".stats.tsv")
	require.NoError(t, err)
	names := slices.Sorted(maps.Keys(stats[kbs[0].name]))
	fmt.Fprintf(f, "faq\t%s\n", strings.Join(names, "\t"))
	for _, name := range slices.Sorted(maps.Keys(stats)) {
		fmt.Fprint(f, name)
		for _, n := range names {
			fmt.Fprintf(f, "\t%.5f", stats[name][n])
		}
		fmt.Fprintln(f)
	}
	require.NoError(t, f.Close())
	return byHeld
}

// writeFold writes one fold's samples, pseudo-questions and statistics.
func writeFold(t *testing.T, path, held string, ss, pseudo []sample, st map[string]float64) {
	t.Helper()
	f, err := os.Create(path + ".tmp")
	require.NoError(t, err)
	bw := bufio.NewWriter(f)
	for i, xs := range [][]sample{ss, pseudo} {
		for _, s := range xs {
			fold := held
			if i == 1 {
				fold = "pseudo:" + held
			}
			fmt.Fprintf(bw, "%s\t%s\t%s\t%v\t%v\t%v\t%v\t%d", fold, s.faq, s.set, s.eligible, s.inScope, s.correct, s.rule, s.sig.AspectAnswered)
			for _, x := range s.x {
				fmt.Fprintf(bw, "\t%.6g", x)
			}
			fmt.Fprintln(bw)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(st)) {
		fmt.Fprintf(bw, "stat:%s\t%s\t%.6g\n", held, n, st[n])
	}
	require.NoError(t, bw.Flush())
	require.NoError(t, f.Close())
	require.NoError(t, os.Rename(path+".tmp", path))
}

// faqStats returns label-free statistics of one FAQ, matched as the fold
// that leaves it out matches it.
func faqStats(t *testing.T, k kbSets, ranker []float64) map[string]float64 {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithRanker(ranker), chatbot.WithResidentLibraryExcept(k.name))
	require.NoError(t, err)
	es := k.kb.Entries
	n := float64(len(es))
	st := map[string]float64{"logn": math.Log(n)}
	grams := make([]map[string]bool, len(es))
	cats := map[string]float64{}
	for i, e := range es {
		grams[i] = bigrams(m.Canonical(e.Question))
		cats[e.Category]++
		st["qlen"] += float64(utf8.RuneCountInString(e.Question)) / n
		st["alen"] += math.Log(1+float64(utf8.RuneCountInString(e.Answer))) / n
		r := m.Match(e.Question)
		ratio, margin := 1.5, 0.0
		if r.Best() != nil && r.Best().ID == e.ID {
			ratio, margin = r.Signals.Ratio, math.Tanh(r.Signals.RankMargin)
		}
		st["selfratio"] += ratio / n
		st["selflost"] += b2f(ratio == 1.5) / n
		st["selfmargin"] += margin / n
		st["selfansw"] += b2f(r.Level == chatbot.Answer) / n
	}
	for i := range es {
		var best float64
		var close int
		for j := range es {
			if i != j {
				x := dice(grams[i], grams[j])
				best = max(best, x)
				if x >= 0.5 {
					close++
				}
			}
		}
		st["sib"] += best / n
		st["sibclose"] += b2f(close > 0) / n
		st["sibcount"] += float64(close) / n
	}
	for _, c := range cats {
		st["catmax"] = max(st["catmax"], c/n)
	}
	st["catn"] = float64(len(cats)) / n
	return st
}

// studyLibEntry is one entry of the resident-question library's text form.
type studyLibEntry struct {
	source, id, question string
	residents            []string
}

// studyLibrary parses chatbot/data/residents.txt.
func studyLibrary(t *testing.T) []studyLibEntry {
	t.Helper()
	f, err := os.Open("../data/residents.txt")
	require.NoError(t, err)
	defer f.Close()
	var out []studyLibEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "E\t"):
			p := strings.SplitN(line, "\t", 5)
			out = append(out, studyLibEntry{source: p[1], id: p[2], question: p[3]})
		case strings.HasPrefix(line, "Q\t") && len(out) > 0:
			out[len(out)-1].residents = append(out[len(out)-1].residents, line[2:])
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// pseudoSamples projects the other FAQs' resident questions onto FAQ k:
// a library entry whose formal question is close to exactly one of k's
// entries' (bigram Dice ≥ 0.45, the next ≥ 0.1 below) lends its residents'
// questions as in-scope questions labelled with that entry; one close to
// none (< 0.2) as out of scope. Each is matched with its own source's
// questions out of the library (the sources in two halves, one matcher
// each), so that the library does not vote with the very question.
func pseudoSamples(t *testing.T, k kbSets, ranker []float64) []sample {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	lib := studyLibrary(t)
	var sources []string
	for _, e := range lib {
		if e.source != k.name && !slices.Contains(sources, e.source) {
			sources = append(sources, e.source)
		}
	}
	th := chatbot.DefaultThresholds()
	th.Confidence = math.SmallestNonzeroFloat64
	th.Confirm = th.Confidence
	th.AspectRaise = 0
	var out []sample
	for half := range 2 {
		skip := []string{k.name}
		for i, s := range sources {
			if i%2 == half {
				skip = append(skip, s)
			}
		}
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithThresholds(th), chatbot.WithRanker(ranker), chatbot.WithResidentLibraryExcept(skip...))
		require.NoError(t, err)
		grams := make([]map[string]bool, len(k.kb.Entries))
		for i, e := range k.kb.Entries {
			grams[i] = bigrams(m.Canonical(e.Question))
		}
		for _, le := range lib {
			if le.source == k.name || !slices.Contains(skip, le.source) {
				continue
			}
			g := bigrams(m.Canonical(le.question))
			b1, b2, at := 0.0, 0.0, -1
			for i := range grams {
				x := dice(g, grams[i])
				switch {
				case x > b1:
					b1, b2, at = x, b1, i
				case x > b2:
					b2 = x
				}
			}
			label, inScope := "", false
			switch {
			case b1 >= 0.45 && b2 <= b1-0.1:
				label, inScope = k.kb.Entries[at].ID, true
			case b1 < 0.2:
			default:
				continue
			}
			for _, q := range le.residents {
				r := m.Match(q)
				out = append(out, sample{faq: k.name, set: le.source, x: r.Signals.Features(), inScope: inScope,
					correct: inScope && r.Best() != nil && r.Best().ID == label, eligible: r.Level == chatbot.Answer, sig: r.Signals})
			}
		}
	}
	return out
}

// TestBarStudyPseudo times pseudoSamples and faqStats on one FAQ
// (ONESTOP_BARSTUDY=dev19).
func TestBarStudyPseudo(t *testing.T) {
	name := os.Getenv("ONESTOP_BARSTUDY")
	if name == "" {
		t.Skip("set ONESTOP_BARSTUDY")
	}
	for _, k := range devKBs(t) {
		if k.name != name {
			continue
		}
		st := faqStats(t, k, chatbot.DefaultRankWeights())
		t.Logf("%v", st)
		ps := pseudoSamples(t, k, chatbot.DefaultRankWeights())
		var in, right, el float64
		for _, s := range ps {
			if s.inScope {
				in++
				right += b2f(s.correct)
			}
			el += b2f(s.eligible)
		}
		t.Logf("%d pseudo-questions, %.0f in scope, top-1 %.3f, eligible %.0f", len(ps), in, right/max(in, 1), el)
	}
}

// barDump is a dump barStudyDump wrote, read back.
type barDump struct {
	byHeld map[string][]sample
	pseudo map[string][]sample // by FAQ, matched as its fold does
	stats  map[string]map[string]float64
}

// loadBarDump reads the fold files barStudyDump wrote with prefix out.
func loadBarDump(t *testing.T, out string) barDump {
	t.Helper()
	d := barDump{byHeld: map[string][]sample{}, pseudo: map[string][]sample{}, stats: map[string]map[string]float64{}}
	for _, k := range devFAQs {
		x := loadFold(t, out+".fold-"+k.name+".tsv")
		d.byHeld[k.name], d.pseudo[k.name], d.stats[k.name] = x.byHeld[k.name], x.pseudo[k.name], x.stats[k.name]
	}
	return d
}

// loadFold reads one fold file writeFold wrote.
func loadFold(t *testing.T, path string) barDump {
	t.Helper()
	d := barDump{byHeld: map[string][]sample{}, pseudo: map[string][]sample{}, stats: map[string]map[string]float64{}}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if h, ok := strings.CutPrefix(p[0], "stat:"); ok {
			if d.stats[h] == nil {
				d.stats[h] = map[string]float64{}
			}
			var x float64
			fmt.Sscan(p[2], &x)
			d.stats[h][p[1]] = x
			continue
		}
		s := sample{faq: p[1], set: p[2], eligible: p[3] == "true", inScope: p[4] == "true", correct: p[5] == "true", rule: p[6] == "true"}
		fmt.Sscan(p[7], &s.sig.AspectAnswered)
		for _, v := range p[8:] {
			if v == "|" {
				// Round 20's study columns (studyExtras, removed in
				// round 22) in a cache written before: not read.
				break
			}
			var x float64
			fmt.Sscan(v, &x)
			s.x = append(s.x, x)
		}
		if h, ok := strings.CutPrefix(p[0], "pseudo:"); ok {
			d.pseudo[h] = append(d.pseudo[h], s)
		} else {
			d.byHeld[p[0]] = append(d.byHeld[p[0]], s)
		}
	}
	require.NoError(t, sc.Err())
	return d
}

// neededBar is the lowest one-threshold bar (steps of 0.005) at which a
// FAQ's held-out predictions keep wrong within maxWrong (or one question)
// and rejection at 90 %.
func neededBar(ss []sample, ps []float64, maxWrong float64) float64 {
	for ti := 500; ti <= 1000; ti += 5 {
		tau := float64(ti) / 1000
		os := outcomesAt(ss, ps, tau)
		if wrongWithin(os, maxWrong) && os[0].rejection >= fitRejection {
			return tau
		}
	}
	return 1
}

// pseudoStats are statistics of a FAQ's pseudo-questions scored by the
// model fitted without it.
func pseudoStats(ss []sample, ps []float64) map[string]float64 {
	st := map[string]float64{}
	var in, out, el, wrongEl float64
	var pw []float64
	for i, s := range ss {
		if s.inScope {
			in++
			if s.eligible && !s.correct {
				wrongEl++
				pw = append(pw, ps[i])
			}
		} else {
			out++
		}
		if s.eligible {
			el++
		}
	}
	for _, tau := range []float64{0.8, 0.85, 0.9} {
		var w, r, o float64
		for i, s := range ss {
			if !s.eligible || ps[i] < tau {
				continue
			}
			switch {
			case !s.inScope:
				o++
			case s.correct:
				r++
			default:
				w++
			}
		}
		st[fmt.Sprintf("pw%.0f", 100*tau)] = w / max(in, 1)
		st[fmt.Sprintf("pr%.0f", 100*tau)] = r / max(in, 1)
		st[fmt.Sprintf("po%.0f", 100*tau)] = o / max(out, 1)
		st[fmt.Sprintf("pwshare%.0f", 100*tau)] = w / max(w+r, 1)
	}
	slices.Sort(pw)
	if len(pw) > 0 {
		st["pwq90"] = pw[int(0.9*float64(len(pw)-1))]
		st["pwq95"] = pw[int(0.95*float64(len(pw)-1))]
	}
	// the lowest bar at which the pseudo-questions' wrong share of those
	// answered is within 3 %
	st["pbar"] = 1
	for ti := 500; ti <= 1000; ti += 5 {
		tau := float64(ti) / 1000
		var w, r float64
		for i, s := range ss {
			if s.eligible && s.inScope && ps[i] >= tau {
				if s.correct {
					r++
				} else {
					w++
				}
			}
		}
		if w <= 0.03*(w+r) {
			st["pbar"] = tau
			break
		}
	}
	return st
}

// TestBarStudy reads a dump (ONESTOP_BARSTUDY_LOAD=prefix) and studies a
// bar that adapts to the FAQ: each FAQ's needed bar against label-free
// statistics, and nested right / wrong / rejection with the bar shifted
// per FAQ by a statistic, the shift's slope chosen without the FAQ.
func TestBarStudy(t *testing.T) {
	prefix := os.Getenv("ONESTOP_BARSTUDY_LOAD")
	if prefix == "" {
		t.Skip("set ONESTOP_BARSTUDY_LOAD")
	}
	d := loadBarDump(t, prefix)
	held, ps := lofoConfidence(d.byHeld, fitLambda)
	// pseudo statistics, each FAQ's scored by the model fitted without it
	for _, name := range slices.Sorted(maps.Keys(d.byHeld)) {
		train, _ := splitHeld(d.byHeld[name], func(s sample) string { return s.faq }, name)
		w := fitLogistic(train, fitLambda)
		for k, v := range pseudoStats(d.pseudo[name], predict(d.pseudo[name], w)) {
			d.stats[name][k] = v
		}
	}
	var statNames []string // label-free ones only (not the re-ranker's figures)
	for _, n := range slices.Sorted(maps.Keys(d.stats["dev3"])) {
		if !strings.Contains(n, "top") {
			statNames = append(statNames, n)
		}
	}
	byFAQ := map[string][]int{}
	for i, s := range held {
		byFAQ[s.faq] = append(byFAQ[s.faq], i)
	}
	faqs := slices.Sorted(maps.Keys(byFAQ))
	need := map[string]float64{}
	for _, f := range faqs {
		var ss []sample
		var fp []float64
		for _, i := range byFAQ[f] {
			ss, fp = append(ss, held[i]), append(fp, ps[i])
		}
		need[f] = neededBar(ss, fp, fitWrong)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-10s need", "faq")
	for _, n := range statNames {
		fmt.Fprintf(&b, " %8s", n)
	}
	for _, f := range faqs {
		fmt.Fprintf(&b, "\n%-10s %.3f", f, need[f])
		for _, n := range statNames {
			fmt.Fprintf(&b, " %8.3f", d.stats[f][n])
		}
	}
	fmt.Fprintf(&b, "\n%-10s      ", "corr")
	for _, n := range statNames {
		var xs, ys []float64
		for _, f := range faqs {
			if f == "city2" || f == "default_qa" {
				continue // no out-of-scope set of their own
			}
			xs, ys = append(xs, d.stats[f][n]), append(ys, need[f])
		}
		fmt.Fprintf(&b, " %+8.3f", corr(xs, ys))
	}
	t.Log(b.String())
	fittingRules(t, held, ps)
	{
		// the ceiling: each FAQ at its own best policy, read off its own labels
		var ceil []faqOutcome
		for _, f := range faqs {
			var ss []sample
			var fp []float64
			for _, i := range byFAQ[f] {
				ss, fp = append(ss, held[i]), append(fp, ps[i])
			}
			ceil = append(ceil, policyOutcomes(ss, fp, choosePolicy(ss, fp))...)
		}
		o, mr := meanOutcome(ceil)
		t.Logf("ceiling (each FAQ its own policy from its own labels): %5.1f / %4.2f / %5.1f (%4.1f, %5.1f)%s", 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ceil), 100*mr, fmtOutcomes(ceil))
	}
	base, _ := nestedOutcomes(held, ps)
	o, mr := meanOutcome(base)
	t.Logf("current rule nested: %5.1f / %4.2f / %5.1f (%4.1f, %5.1f)%s", 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(base), 100*mr, fmtOutcomes(base))
	// FAQ-level inputs to the confidence model: the statistic appended to
	// every sample's inputs, the model fitted without the FAQ as before.
	for _, n := range statNames {
		by := map[string][]sample{}
		for f, xs := range d.byHeld {
			ys := slices.Clone(xs)
			for i := range ys {
				ys[i].x = append(slices.Clip(ys[i].x), d.stats[ys[i].faq][n])
			}
			by[f] = ys
		}
		h2, p2 := lofoConfidence(by, fitLambda)
		ns, _ := nestedOutcomes(h2, p2)
		o, mr := meanOutcome(ns)
		ll, auc := heldOutFit(h2, p2)
		t.Logf("input %-10s nested: %5.1f / %4.2f / %5.1f (%4.1f, %5.1f) held-out log-loss %.4f AUC %.4f", n, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr, ll, auc)
	}
	{
		ll, auc := heldOutFit(held, ps)
		t.Logf("current inputs: held-out log-loss %.4f AUC %.4f", ll, auc)
	}
	{
		ns, slopes := nestedShiftAmong(held, ps, d.stats, statNames, []float64{1, -1})
		o, mr := meanOutcome(ns)
		t.Logf("shift by the statistic chosen on the other FAQs too, nested: %5.1f / %4.2f / %5.1f (%4.1f, %5.1f) slopes %v%s", 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr, slopes, fmtOutcomes(ns))
	}
	for _, n := range statNames {
		for _, sign := range []float64{1, -1} {
			ns, betas := nestedShift(held, ps, d.stats, n, sign)
			o, mr := meanOutcome(ns)
			t.Logf("shift by %+.0f×%-10s nested: %5.1f / %4.2f / %5.1f (%4.1f, %5.1f) slopes %v", sign, n, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr, betas)
		}
	}
}

func corr(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i] / n
		my += ys[i] / n
	}
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// shiftSlopes are the slopes nestedShift chooses among (the bar moves by
// slope × the statistic's standardised distance from the training FAQs'
// mean; 0 is the current rule).
var shiftSlopes = []float64{0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.06}

// shifted returns ps with each FAQ's probabilities lowered by slope × its
// statistic's distance from mean over sd (p ≥ tau + δ ⇔ p − δ ≥ tau).
func shifted(ss []sample, ps []float64, stats map[string]map[string]float64, n string, mean, sd, slope float64) []float64 {
	out := slices.Clone(ps)
	for i, s := range ss {
		out[i] -= slope * (stats[s.faq][n] - mean) / sd
	}
	return out
}

// nestedShift is, for each FAQ, its outcome under a bar shifted by the
// statistic n (sign: the direction), the slope and thresholds chosen on the
// other FAQs alone (the most right direct answers within the per-FAQ
// bounds), the statistic standardised over the other FAQs. It returns the
// outcomes and the slopes chosen.
func nestedShift(ss []sample, ps []float64, stats map[string]map[string]float64, n string, sign float64) ([]faqOutcome, []float64) {
	return nestedShiftAmong(ss, ps, stats, []string{n}, []float64{sign})
}

// shiftChoice is a bar shift chosen on a set of FAQs.
type shiftChoice struct {
	stat        string
	mean, sd    float64
	slope       float64 // signed
	pol         policy
	right       float64 // mean right on the FAQs it was chosen on
	description string
}

// chooseShift chooses, on the FAQs of oss, the statistic (among names, each
// with each sign), slope and policy with the most right direct answers
// within the per-FAQ bounds.
func chooseShift(oss []sample, ops []float64, stats map[string]map[string]float64, names []string, signs []float64) shiftChoice {
	best := shiftChoice{right: -1, pol: policy{1, 1, 0}}
	for _, n := range names {
		seen := map[string]bool{}
		var xs []float64
		for _, s := range oss {
			if !seen[s.faq] {
				seen[s.faq] = true
				xs = append(xs, stats[s.faq][n])
			}
		}
		mean, sd := meanSD(xs)
		for _, sign := range signs {
			for _, sl := range shiftSlopes {
				if sl == 0 && sign < 0 {
					continue
				}
				sp := shifted(oss, ops, stats, n, mean, sd, sign*sl)
				p := choosePolicy(oss, sp)
				po := policyOutcomes(oss, sp, p)
				o, mr := meanOutcome(po)
				if wrongWithin(po, fitWrong) && mr >= fitRejection && o.right > best.right+1e-12 {
					best = shiftChoice{stat: n, mean: mean, sd: sd, slope: sign * sl, pol: p, right: o.right}
				}
			}
		}
	}
	return best
}

// nestedShiftAmong is nestedShift with the statistic chosen too, on the
// other FAQs, among names.
func nestedShiftAmong(ss []sample, ps []float64, stats map[string]map[string]float64, names []string, signs []float64) ([]faqOutcome, []float64) {
	var os []faqOutcome
	var slopes []float64
	leaveOneFAQOut(ss, ps, func(f string, fss []sample, fps []float64, oss []sample, ops []float64) {
		c := chooseShift(oss, ops, stats, names, signs)
		slopes = append(slopes, c.slope)
		if len(names) > 1 {
			fmt.Printf("  fold %s: %s slope %+.3f policy %.3f/%.3f\n", f, c.stat, c.slope, c.pol.tau, c.pol.kappa)
		}
		os = append(os, policyOutcomes(fss, shifted(fss, fps, stats, c.stat, c.mean, c.sd, c.slope), c.pol)...)
	})
	return os, slopes
}

func meanSD(xs []float64) (float64, float64) {
	n := float64(len(xs))
	var m, v float64
	for _, x := range xs {
		m += x / n
	}
	for _, x := range xs {
		v += (x - m) * (x - m) / n
	}
	return m, max(math.Sqrt(v), 1e-9)
}

// TestBarStudyDump makes the dump alone, fold by fold
// (ONESTOP_BARSTUDY_DUMP=prefix; folds already written are kept).
func TestBarStudyDump(t *testing.T) {
	out := os.Getenv("ONESTOP_BARSTUDY_DUMP")
	if out == "" {
		t.Skip("set ONESTOP_BARSTUDY_DUMP")
	}
	barStudyDump(t, out, false)
	if os.Getenv("ONESTOP_BARSTUDY_RANKER") == "" {
		return
	}
	// The re-ranker fitted on every FAQ (TestDevFitRanker's last line),
	// with the figures left out from the folds.
	d := loadBarDump(t, out)
	var s1, s3, b1, b3 float64
	for _, st := range d.stats {
		s1, s3, b1, b3 = s1+st["ranktop1"], s3+st["ranktop3"], b1+st["bm25top1"], b3+st["bm25top3"]
	}
	n := float64(len(d.stats))
	t.Logf("left out, mean: top-1 %5.1f → %5.1f, top-3 %5.1f → %5.1f", 100*b1/n, 100*s1/n, 100*b3/n, 100*s3/n)
	w := fitRanker(devRankQueries(t), rankLambda, bm25Order())
	var b strings.Builder
	for _, x := range w {
		fmt.Fprintf(&b, "%.4f, ", x)
	}
	t.Logf("weights %v\n%s", chatbot.RankFeatureNames(), b.String())
}

// choosePolicyPooled is choosePolicyWithin with a bound on the mean wrong
// share over the FAQs (each weighing the same) instead of every FAQ's,
// rejection still bounded on every FAQ.
func choosePolicyPooled(ss []sample, ps []float64, maxMeanWrong, minRejection float64) policy {
	best, pol := -1.0, policy{1, 1, 0}
	for _, off := range confirmOffsets {
		for ti := 500; ti <= 1000; ti += 5 {
			tau := float64(ti) / 1000
			p := policy{tau, tau - off, 0}
			os := policyOutcomes(ss, ps, p)
			o, mr := meanOutcome(os)
			if o.wrong <= maxMeanWrong+1e-12 && mr >= minRejection && o.right > best+1e-12 {
				best, pol = o.right, p
			}
		}
	}
	return pol
}

// fittingRules tabulates the policy rule's alternatives nested: per-FAQ
// wrong bounds and pooled (mean) bounds.
func fittingRules(t *testing.T, held []sample, ps []float64) {
	t.Helper()
	row := func(what string, ns []faqOutcome) {
		o, mr := meanOutcome(ns)
		t.Logf("  %-28s nested right %5.1f / pooled wrong %4.2f / worst-FAQ wrong %4.1f / lowest rejection %5.1f (mean %5.1f)", what, 100*o.right, 100*o.wrong, 100*worstWrong(ns), 100*mr, 100*o.rejection)
	}
	t.Logf("fitting-rule alternatives (every FAQ ≥ %.0f %% rejection):", 100*fitRejection)
	for _, wr := range []float64{0.015, 0.0175, 0.02} {
		ns, _ := nestedOutcomesWithin(held, ps, wr, fitRejection)
		row(fmt.Sprintf("per-FAQ wrong ≤ %.2f %%", 100*wr), ns)
	}
	for _, wr := range []float64{0.0075, 0.01, 0.0125} {
		ns, _ := nestedBy(held, ps, func(oss []sample, ops []float64) policy {
			return choosePolicyPooled(oss, ops, wr, fitRejection)
		})
		row(fmt.Sprintf("pooled wrong ≤ %.2f %%", 100*wr), ns)
	}
}

// fmtOutcomes lists per-FAQ right/wrong/rejection.
func fmtOutcomes(os []faqOutcome) string {
	var b strings.Builder
	for _, o := range os {
		fmt.Fprintf(&b, " %s %.1f/%.1f/%.1f", o.faq, 100*o.right, 100*o.wrong, 100*o.rejection)
	}
	return b.String()
}

// TestDevFitDump makes the fits' fold cache alone (ONESTOP_DEVFIT=1,
// ONESTOP_DEVFIT_DUMP=prefix; with ONESTOP_DEVFIT_DUMP_PART=i/n one piece
// of it), so that TestDevFitConfidence and TestConfidenceModelCurrent then
// read it in minutes.
func TestDevFitDump(t *testing.T) {
	out := os.Getenv("ONESTOP_DEVFIT_DUMP")
	if os.Getenv("ONESTOP_DEVFIT") == "" || out == "" {
		t.Skip("set ONESTOP_DEVFIT=1 and ONESTOP_DEVFIT_DUMP=prefix")
	}
	heldOutRankedCached(t)
}
