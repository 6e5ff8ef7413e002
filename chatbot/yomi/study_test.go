package yomi_test

import (
	"fmt"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// studyRow is one development query with every candidate signal for the
// confidence model, from matchers whose re-ranker was fitted without the
// FAQ the study leaves out.
type studyRow struct {
	faq, set                   string
	inScope, correct, eligible bool
	rule                       bool // the coverage rule would answer
	f                          map[string]float64
	q, expected, got, second   string // for reading
}

// bigrams returns the set of character bigrams of s.
func bigrams(s string) map[string]bool {
	rs := []rune(strings.ReplaceAll(s, " ", ""))
	out := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

func b2f(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// studySignals names every signal the study may use: the model's inputs
// and the other Signals, some transformed.
func studySignals(r chatbot.Result, ngAgree, ngShare float64) map[string]float64 {
	s := r.Signals
	f := map[string]float64{}
	for i, n := range chatbot.FeatureNames() {
		f[n] = s.Features()[i]
	}
	f["place0"] = b2f(s.Place == 0)
	f["qcov2"] = s.SecondQuestionCoverage
	f["ecov2"] = s.SecondEntryCoverage
	f["aspect+"] = b2f(s.Aspect > 0)
	f["aspect-"] = b2f(s.Aspect < 0)
	f["ngagree"] = ngAgree
	f["ngshare"] = ngShare
	f["lnshare"] = math.Log(max(s.RankShare, 1e-6))
	f["lcov"] = math.Log(max(s.Coverage, 0.01))
	f["lqcov"] = math.Log(max(s.QuestionCoverage, 0.01))
	f["lecov"] = math.Log(max(s.EntryCoverage, 0.01))
	f["rs2"] = s.RankShare * s.RankShare
	f["rs_cov2"] = s.RankShare * s.SecondCoverage
	f["cov_qcov"] = s.Coverage * s.QuestionCoverage
	f["rs_mass"] = s.RankShare * s.Mass
	f["ratio_cov2"] = s.Ratio * s.SecondCoverage
	f["foreign"] = b2f(s.Foreign == 2)
	f["foreignq"] = b2f(s.Foreign >= 1)
	f["rankshare"] = s.RankShare
	f["libagree"] = b2f(s.LibraryAgrees)
	f["libvote"] = s.LibraryVote
	f["libreach"] = s.LibraryReach
	f["libreach2"] = s.LibraryReach * s.LibraryReach
	f["libreach_rs"] = s.LibraryReach * s.RankShare
	f["libreach_agree"] = s.LibraryReach * b2f(s.LibraryAgrees)
	f["libreach_cmiss"] = s.LibraryReach * s.ContentMissed
	f["ansonly2"] = s.SecondCoverage - s.SecondQuestionCoverage
	f["ansdiff"] = (s.Coverage - s.QuestionCoverage) - (s.SecondCoverage - s.SecondQuestionCoverage)
	return f
}

// studyRows matches every development query with matchers whose re-ranker
// was fitted without the FAQ held (all FAQs' re-rankers when held is "").
func studyRows(t *testing.T, kbs []kbSets, rq []rankQuery, held string) []studyRow {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	var train []rankQuery
	for _, q := range rq {
		if q.faq != held {
			train = append(train, q)
		}
	}
	w := fitRanker(train, rankLambda, bm25Order())
	th := chatbot.DefaultThresholds()
	th.Confidence = math.SmallestNonzeroFloat64
	th.Confirm = th.Confidence
	th.AspectRaise = 0
	var out []studyRow
	for _, k := range kbs {
		lib := chatbot.WithResidentLibraryExcept(k.name, held) // nothing of the FAQ held out, nor of k itself
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithThresholds(th), chatbot.WithRanker(w), lib)
		require.NoError(t, err)
		th0 := th
		th0.Confidence, th0.Confirm = 0, 0
		ruleM, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithThresholds(th0), chatbot.WithRanker(w), lib)
		require.NoError(t, err)
		grams := map[string]map[string]bool{}
		selfRatio := map[string]float64{} // the runner-up's score ratio on the entry's own question
		for _, e := range k.kb.Entries {
			grams[e.ID] = bigrams(m.Canonical(e.Question))
			r := m.Match(e.Question)
			selfRatio[e.ID] = 1.5
			if r.Best() != nil && r.Best().ID == e.ID {
				selfRatio[e.ID] = r.Signals.Ratio
			}
		}
		// Knowledge-base-level signals: how confusable its entries are
		// with each other (mean own-question ratio, share of entries
		// whose own question another entry wins) and its size.
		var kbRatio, kbLost float64
		for _, x := range selfRatio {
			kbRatio += x / float64(len(selfRatio))
			kbLost += b2f(x == 1.5) / float64(len(selfRatio))
		}
		kbSize := math.Log(float64(len(k.kb.Entries)))
		for _, set := range k.sets {
			for _, q := range loadQueries(t, set) {
				r := m.Match(q.Q)
				qg := bigrams(m.Canonical(q.Q))
				var bestID string
				var bestD, topD float64
				for _, e := range k.kb.Entries {
					if x := dice(qg, grams[e.ID]); x > bestD {
						bestD, bestID = x, e.ID
					}
				}
				agree := 0.0
				if r.Best() != nil {
					topD = dice(qg, grams[r.Best().ID])
					agree = b2f(bestID == r.Best().ID)
				}
				share := 0.0
				if bestD > 0 {
					share = topD / bestD
				}
				f := studySignals(r, agree, share)
				if len(r.Candidates) > 1 {
					f["selfratio"] = selfRatio[r.Candidates[0].Entry.ID]
				} else {
					f["selfratio"] = 0
				}
				f["samecat"], f["ratiocat"] = 0, 0
				if len(r.Candidates) > 1 {
					c0 := r.Candidates[0]
					f["samecat"] = b2f(c0.Entry.Category != "" && c0.Entry.Category == r.Candidates[1].Entry.Category)
					for _, c := range r.Candidates[1:] {
						if c.Entry.Category != c0.Entry.Category {
							f["ratiocat"] = min(2, c.Score/c0.Score)
							break
						}
					}
				}
				rankSignals(f, r, m.RankInputs(q.Q))
				f["kbratio"], f["kblost"], f["kbsize"] = kbRatio, kbLost, kbSize
				f["personal"] = b2f(personalCase.MatchString(q.Q))
				out = append(out, studyRow{faq: k.name, set: set, inScope: q.Expected != "",
					correct: r.Best() != nil && r.Best().ID == q.Expected, eligible: r.Level == chatbot.Answer, rule: ruleM.Match(q.Q).Level == chatbot.Answer,
					f: f, q: q.Q, expected: q.Expected})
				if len(r.Candidates) > 0 {
					out[len(out)-1].got = r.Candidates[0].Entry.ID + " " + r.Candidates[0].Entry.Question
				}
				if len(r.Candidates) > 1 {
					out[len(out)-1].second = r.Candidates[1].Entry.ID + " " + r.Candidates[1].Entry.Question
				}
			}
		}
	}
	return out
}

// toSamples turns study rows into fitting samples over the named features.
func toSamples(rows []studyRow, names []string) []sample {
	out := make([]sample, len(rows))
	for i, r := range rows {
		x := make([]float64, len(names))
		for j, n := range names {
			v, ok := r.f[n]
			if !ok {
				panic("no signal " + n)
			}
			x[j] = v
		}
		out[i] = sample{faq: r.faq, set: r.set, x: x, inScope: r.inScope, correct: r.correct, eligible: r.eligible, rule: r.rule}
	}
	return out
}

// lofoPredictions fits a model on every FAQ but one and predicts the one
// left out (its rows ranked by a re-ranker fitted without it), for each
// FAQ in turn; it returns the held-out samples with their probabilities.
func lofoPredictions(byHeld map[string][]studyRow, names []string, lambda float64) ([]sample, []float64) {
	return lofoPredictionsBoost(byHeld, names, lambda, "")
}

// lofoPredictionsBoost is lofoPredictions with the boosted-tree model
// boost configures (parseBoost; "" the logistic model).
func lofoPredictionsBoost(byHeld map[string][]studyRow, names []string, lambda float64, boost string) ([]sample, []float64) {
	var all []sample
	var ps []float64
	for _, held := range slices.Sorted(maps.Keys(byHeld)) {
		train, test := splitHeld(byHeld[held], func(r studyRow) string { return r.faq }, held)
		ts := toSamples(test, names)
		all = append(all, ts...)
		if boost != "" {
			spec, err := parseBoost(boost)
			if err != nil {
				panic(err)
			}
			ps = append(ps, boostPredict(ts, fitBoost(toSamples(train, names), spec, lambda))...)
			continue
		}
		ps = append(ps, predict(ts, fitLogistic(toSamples(train, names), lambda))...)
	}
	return all, ps
}

// splitHeld splits xs into those of FAQs other than held and those of held.
func splitHeld[T any](xs []T, faq func(T) string, held string) (train, test []T) {
	for _, x := range xs {
		if faq(x) == held {
			test = append(test, x)
		} else {
			train = append(train, x)
		}
	}
	return train, test
}

// lofoInScope is lofoPredictions for a model of "the question is in
// scope" (not "the best candidate is right"): an out-of-scope gate.
func lofoInScope(byHeld map[string][]studyRow, names []string, lambda float64) []float64 {
	var ps []float64
	inScope := func(rows []studyRow) []sample {
		ss := toSamples(rows, names)
		for i := range ss {
			ss[i].correct = true
		}
		return ss
	}
	for _, held := range slices.Sorted(maps.Keys(byHeld)) {
		train, test := splitHeld(byHeld[held], func(r studyRow) string { return r.faq }, held)
		ps = append(ps, predict(toSamples(test, names), fitLogistic(inScope(train), lambda))...)
	}
	return ps
}

// TestDevStudyConfidence is the study behind the confidence model: every
// development FAQ left out in turn (re-ranker and confidence model fitted
// on the others), the trade-off of right and wrong direct answers on the
// FAQ left out over thresholds, and per-FAQ figures at the threshold
// chosen from those held-out predictions
// (ONESTOP_DEVSTUDY=feature,feature,… go test ./chatbot/yomi -run
// DevStudyConfidence -v; "current" is the embedded model's features).
func TestDevStudyConfidence(t *testing.T) {
	spec := os.Getenv("ONESTOP_DEVSTUDY")
	if spec == "" {
		t.Skip("set ONESTOP_DEVSTUDY")
	}
	kbs := devKBs(t)
	byHeld := map[string][]studyRow{}
	for _, k := range kbs {
		rq := devRankQueriesWithout(t, func(f string) bool { return f != k.name }, k.name)
		byHeld[k.name] = studyRows(t, kbs, rq, k.name)
	}
	if base, ok := strings.CutPrefix(spec, "greedy:"); ok {
		greedy(t, byHeld, base)
		return
	}
	if p, ok := strings.CutPrefix(spec, "policy:"); ok {
		wrongEnv := os.Getenv("ONESTOP_DEVSTUDY_WRONG")
		for _, fs := range strings.Split(p, ";") {
			// "B<rounds>:<depth>:<shrink>:<min hessian>:<on logistic 0/1>|features": boosted trees.
			boost := ""
			gate := false
			if b, rest, ok := strings.Cut(fs, "|"); ok && strings.HasPrefix(b, "B") {
				boost, fs = b[1:], rest
			} else if ok && b == "G" {
				gate, fs = true, rest
			}
			names := chatbot.FeatureNames()
			if strings.HasPrefix(fs, "current") {
				names = append(slices.Clone(names), strings.Split(fs, ",")[1:]...)
			} else {
				names = strings.Split(fs, ",")
			}
			lambda := fitLambda
			if v := os.Getenv("ONESTOP_DEVSTUDY_LAMBDA"); v != "" {
				_, err := fmt.Sscan(v, &lambda)
				require.NoError(t, err)
			}
			ss, ps := lofoPredictionsBoost(byHeld, names, lambda, boost)
			if gate {
				// A second model, "in scope", gates the first: answer only
				// when it is at least sigma (fixed for all folds).
				pin := lofoInScope(byHeld, names, lambda)
				for _, sigma := range []float64{0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95} {
					pg := slices.Clone(ps)
					for i := range pg {
						if pin[i] < sigma {
							pg[i] = 0
						}
					}
					ns, pols := nestedOutcomes(ss, pg)
					o, mr := meanOutcome(ns)
					var taus strings.Builder
					for i := range ns {
						fmt.Fprintf(&taus, " %s %.1f/%.1f/%.1f@%.3f", ns[i].faq, 100*ns[i].right, 100*ns[i].wrong, 100*ns[i].rejection, pols[i].tau)
					}
					t.Logf("  gate %.2f: nested %.1f/%.2f/%.1f (%.1f,%.1f)%s", sigma, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr, taus.String())
				}
			}
			pol := choosePolicy(ss, ps)
			pos := policyOutcomes(ss, ps, pol)
			o, mr := meanOutcome(pos)
			ns, pols := nestedOutcomes(ss, ps)
			no, nmr := meanOutcome(ns)
			var per strings.Builder
			for i, x := range ns {
				fmt.Fprintf(&per, " %s %.1f/%.1f/%.1f(%.3f,%.3f)", x.faq, 100*x.right, 100*x.wrong, 100*x.rejection, pols[i].tau, pols[i].kappa)
			}
			var trade strings.Builder
			for _, tau := range []float64{0.80, 0.85, 0.9, 0.95} {
				xs := policyOutcomes(ss, ps, policy{tau, tau - confirmOffset, 0})
				if os.Getenv("ONESTOP_DEVSTUDY_PERFAQ") != "" {
					var b strings.Builder
					for _, x := range xs {
						fmt.Fprintf(&b, " %s %.1f/%.1f/%.1f", x.faq, 100*x.right, 100*x.wrong, 100*x.rejection)
					}
					t.Logf("  at %.2f:%s", tau, b.String())
				}
				o, mr := meanOutcome(xs)
				fmt.Fprintf(&trade, " %.2f: %.1f/%.2f/%.1f (%.1f,%.1f);", tau, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(xs), 100*mr)
			}
			t.Logf("  trade (τ: LOFO right/wrong/rej (worst wrong, min rej)):%s", trade.String())
			var margins strings.Builder
			for _, mg := range []float64{0.005, 0.01, 0.015} {
				ns, _ := nestedOutcomesMargin(ss, ps, fitWrong, fitRejection, mg)
				o, mr := meanOutcome(ns)
				fmt.Fprintf(&margins, " %.3f: %.1f/%.2f/%.1f (%.1f,%.1f);", mg, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr)
			}
			t.Logf("  nested by margin:%s", margins.String())
			var offsets strings.Builder
			for _, off := range []float64{0, 0.05, 0.1, 0.13, 0.2} {
				ns, _ := nestedBy(ss, ps, func(oss []sample, ops []float64) policy {
					return choosePolicyOffset(oss, ops, fitWrong, fitRejection, off).raised(fitMargin)
				})
				o, mr := meanOutcome(ns)
				fmt.Fprintf(&offsets, " %.2f: %.1f/%.2f/%.1f (%.1f,%.1f);", off, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr)
			}
			t.Logf("  nested by Confirm offset:%s", offsets.String())
			if wr, err := strconv.ParseFloat(wrongEnv, 64); err == nil {
				p2 := choosePolicyWithin(ss, ps, wr, fitRejection).raised(fitMargin)
				o2, mr2 := meanOutcome(policyOutcomes(ss, ps, p2))
				ns2, _ := nestedOutcomesWithin(ss, ps, wr, fitRejection)
				n2, nmr2 := meanOutcome(ns2)
				var per strings.Builder
				for _, x := range ns2 {
					fmt.Fprintf(&per, " %s %.1f/%.1f/%.1f", x.faq, 100*x.right, 100*x.wrong, 100*x.rejection)
				}
				t.Logf("  bounds wrong ≤ %.2f: policy %.3f LOFO %5.1f/%4.2f/%5.1f (%4.1f,%5.1f) nested %5.1f/%4.2f/%5.1f (%4.1f,%5.1f)\n  %s", wr, p2.tau, 100*o2.right, 100*o2.wrong, 100*o2.rejection, 100*worstWrong(policyOutcomes(ss, ps, p2)), 100*mr2, 100*n2.right, 100*n2.wrong, 100*n2.rejection, 100*worstWrong(ns2), 100*nmr2, per.String())
			}
			t.Logf("%s %v\n  policy %.3f/%.3f LOFO %5.1f/%4.2f/%5.1f (%4.1f,%5.1f) nested %5.1f/%4.2f/%5.1f (%4.1f,%5.1f)\n %s", boost, names, pol.tau, pol.kappa, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(pos), 100*mr,
				100*no.right, 100*no.wrong, 100*no.rejection, 100*worstWrong(ns), 100*nmr, per.String())
		}
		return
	}
	specs := strings.Split(spec, ";")
	for _, fs := range specs {
		names := chatbot.FeatureNames()
		if strings.HasPrefix(fs, "current") {
			names = append(slices.Clone(names), strings.Split(fs, ",")[1:]...)
		} else {
			names = strings.Split(fs, ",")
		}
		ss, ps := lofoPredictions(byHeld, names, fitLambda)
		if out := os.Getenv("ONESTOP_DEVSTUDY_DUMP"); out != "" {
			dumpStudy(t, out, byHeld, names, ps)
		}
		t.Logf("features %v", names)
		for ti := 700; ti <= 1000 && len(specs) == 1; ti += 25 {
			if ti == 700 {
				t.Logf("  tau   right  wrong  rej(mean)  rej(min)")
			}
			tau := float64(ti) / 1000
			o, mr := meanOutcome(outcomesAt(ss, ps, tau))
			t.Logf("  %.3f %5.1f  %4.2f   %5.1f  %5.1f", tau, 100*o.right, 100*o.wrong, 100*o.rejection, 100*mr)
		}
		tau := chooseThreshold(ss, ps, 0.015, 0.9)
		ll, auc := heldOutFit(ss, ps)
		var at []string
		for _, budget := range []float64{0.01, 0.0125, 0.015, 0.0175, 0.02} {
			o, _ := meanOutcome(outcomesAt(ss, ps, chooseThreshold(ss, ps, budget, 0.9)))
			at = append(at, fmt.Sprintf("%.1f", 100*o.right))
		}
		t.Logf("  held-out log-loss %.4f, AUC %.4f; right at wrong ≤ 1/1.25/1.5/1.75/2 %%: %s", ll, auc, strings.Join(at, " / "))
		var b strings.Builder
		for _, o := range outcomesAt(ss, ps, tau) {
			fmt.Fprintf(&b, " %s %.1f/%.1f/%.1f (top-1 %.1f);", o.faq, 100*o.right, 100*o.wrong, 100*o.rejection, 100*o.top1)
		}
		o, mr := meanOutcome(outcomesAt(ss, ps, tau))
		ceil, _ := meanOutcome(outcomesAt(ss, ps, 0))
		t.Logf("  ceiling (every eligible query answered): right %.1f wrong %.1f", 100*ceil.right, 100*ceil.wrong)
		t.Logf("  LOFO threshold %.3f: mean right %.1f wrong %.2f rej %.1f (min %.1f):%s", tau, 100*o.right, 100*o.wrong, 100*o.rejection, 100*mr, b.String())
	}
}

// heldOutFit returns the held-out log-loss and the AUC of right against
// not right over eligible queries, averaged over FAQs.
func heldOutFit(ss []sample, ps []float64) (ll, auc float64) {
	type pt struct {
		p float64
		y bool
	}
	by := map[string][]pt{}
	for i, s := range ss {
		if s.eligible {
			by[s.faq] = append(by[s.faq], pt{ps[i], s.inScope && s.correct})
		}
	}
	for _, xs := range by {
		var l float64
		var pos, neg []float64
		for _, x := range xs {
			p := min(max(x.p, 1e-9), 1-1e-9)
			if x.y {
				l -= math.Log(p)
				pos = append(pos, x.p)
			} else {
				l -= math.Log(1 - p)
				neg = append(neg, x.p)
			}
		}
		var c float64
		for _, a := range pos {
			for _, b := range neg {
				switch {
				case a > b:
					c++
				case a == b:
					c += 0.5
				}
			}
		}
		n := float64(len(by))
		ll += l / float64(len(xs)) / n
		auc += c / float64(len(pos)*len(neg)) / n
	}
	return ll, auc
}

// dumpStudy writes the held-out rows in lofoPredictions' order with their
// probability, for reading.
func dumpStudy(t *testing.T, out string, byHeld map[string][]studyRow, names []string, ps []float64) {
	f, err := os.Create(out)
	require.NoError(t, err)
	defer f.Close()
	i := 0
	fmt.Fprintf(f, "faq\tp\tinscope\tcorrect\teligible\t%s\tq\texpected\tgot\tsecond\n", strings.Join(names, "\t"))
	for _, held := range slices.Sorted(maps.Keys(byHeld)) {
		for _, r := range byHeld[held] {
			if r.faq != held {
				continue
			}
			fmt.Fprintf(f, "%s\t%.3f\t%v\t%v\t%v", r.faq, ps[i], r.inScope, r.correct, r.eligible)
			for _, n := range names {
				fmt.Fprintf(f, "\t%.3f", r.f[n])
			}
			fmt.Fprintf(f, "\t%s\t%s\t%s\t%s\n", r.q, r.expected, r.got, r.second)
			i++
		}
	}
}

// greedy adds, one at a time, the signal that lowers the held-out
// log-loss most, from base (features separated by commas, then "|" and
// the candidates), printing each step's figures.
func greedy(t *testing.T, byHeld map[string][]studyRow, spec string) {
	b, c, _ := strings.Cut(spec, "|")
	names := strings.Split(b, ",")
	if b == "current" {
		names = slices.Clone(chatbot.FeatureNames())
	}
	cands := strings.Split(c, ",")
	eval := func(ns []string) (ll, auc, right float64) {
		ss, ps := lofoPredictions(byHeld, ns, fitLambda)
		ll, auc = heldOutFit(ss, ps)
		o, _ := meanOutcome(outcomesAt(ss, ps, chooseThreshold(ss, ps, 0.015, 0.9)))
		return ll, auc, o.right
	}
	ll, auc, right := eval(names)
	t.Logf("base %v: log-loss %.4f AUC %.4f right %.1f", names, ll, auc, 100*right)
	for len(cands) > 0 {
		bi, bll := -1, ll
		for i, cn := range cands {
			l, _, _ := eval(append(slices.Clone(names), cn))
			if l < bll-0.0005 {
				bi, bll = i, l
			}
		}
		if bi < 0 {
			break
		}
		names = append(names, cands[bi])
		cands = slices.Delete(cands, bi, bi+1)
		ll, auc, right = eval(names)
		t.Logf("+%s: log-loss %.4f AUC %.4f right %.1f", names[len(names)-1], ll, auc, 100*right)
	}
}

// personalCase matches questions about the asker's own case or asking
// staff to act (check my application, book me, call me back, work out my
// amount): a FAQ answers none of them, however close its words.
var personalCase = regexp.MustCompile(`(私|わたし|うち|俺|おれ|僕)の.{0,8}(審査|申請|申込|書類|点数|予約|状況)|調べて|確認して|確認お願い|見てもらえ|代わって|つないで|折り返し|予約.{0,3}(入れ|いれ|とっ|しと)|変えて(くれ|もら)|計算して|出して$|何点|受かって|当たって|届いて(ます|る)か|どうなって(る|ます|い)|check`)

// rankSignals adds study signals from the re-ranker's inputs of the
// best candidates (in BM25 order): how many are about the programme the
// question names, whether the best is the only one, whether its aspect
// is the only one among them, and whether the runner-up is its sibling.
func rankSignals(f map[string]float64, r chatbot.Result, in []chatbot.RankInput) {
	idx := map[string]int{}
	for i, n := range chatbot.RankFeatureNames() {
		idx[n] = i
	}
	byID := map[string][]float64{}
	var nprog, nasp, naspProg float64
	for _, x := range in {
		byID[x.ID] = x.Features
		if x.Features[idx["prog"]] > 0 {
			nprog++
			if x.Features[idx["aspect"]] > 0 {
				naspProg++
			}
		}
		if x.Features[idx["aspect"]] > 0 {
			nasp++
		}
	}
	f["nprog"], f["nasp"] = nprog, nasp
	f["nprog2"] = b2f(nprog >= 2)
	f["lnprog"] = math.Log1p(nprog)
	f["progsolo"], f["aspsolo"], f["sibling"], f["sibasp"] = 0, 0, 0, 0
	bestInputs := []string{"overview", "general", "ansaspect", "more", "ansprog", "noprog"}
	for _, n := range bestInputs {
		f["b"+n] = 0
	}
	f["aspmiss"] = 0
	// The resident-question library's vote: for the best (its share of
	// the top vote, whether it has the top vote), whether any candidate
	// got a vote, and the best's lead over the runner-up's vote.
	var libTop float64
	for _, x := range in {
		libTop = max(libTop, x.Features[idx["libvote"]])
	}
	f["libany"] = b2f(libTop > 0)
	f["blibvote"], f["blibbest"], f["libmargin"], f["libnone"] = 0, 0, 0, 0
	if r.Best() != nil && byID[r.Best().ID] != nil {
		bv := byID[r.Best().ID]
		f["blibvote"], f["blibbest"] = bv[idx["libvote"]], bv[idx["libbest"]]
		f["libnone"] = b2f(libTop > 0 && bv[idx["libvote"]] == 0)
		if len(r.Candidates) > 1 {
			if s := byID[r.Candidates[1].Entry.ID]; s != nil {
				f["libmargin"] = bv[idx["libvote"]] - s[idx["libvote"]]
			}
		}
	}
	if r.Best() == nil {
		return
	}
	b := byID[r.Best().ID]
	if b == nil {
		return
	}
	bp, ba := b[idx["prog"]] > 0, b[idx["aspect"]] > 0
	for _, n := range bestInputs {
		f["b"+n] = b[idx[n]]
	}
	f["aspmiss"] = b2f((b[idx["overview"]] > 0 || b[idx["clash"]] > 0) && b[idx["ansaspect"]] == 0)
	f["progsolo"] = b2f(bp && nprog == 1)
	f["aspsolo"] = b2f(ba && ((bp && naspProg == 1) || (!bp && nasp == 1)))
	if len(r.Candidates) > 1 {
		if s := byID[r.Candidates[1].Entry.ID]; s != nil {
			f["sibling"] = b2f(bp && s[idx["prog"]] > 0)
			f["sibasp"] = b2f(bp && s[idx["prog"]] > 0 && ba && s[idx["aspect"]] == 0)
		}
	}
}
