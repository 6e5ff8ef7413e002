package yomi_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// inputVariant is a set of studyExtras columns appended to the model's
// inputs.
type inputVariant struct {
	name string
	cols []int
}

// withExtras returns byHeld's samples with the extra columns cols appended
// to each sample's inputs.
func withExtras(byHeld map[string][]sample, cols []int) map[string][]sample {
	out := map[string][]sample{}
	for f, ss := range byHeld {
		cp := slices.Clone(ss)
		for i := range cp {
			x := slices.Clip(slices.Clone(cp[i].x))
			for _, c := range cols {
				x = append(x, cp[i].extra[c])
			}
			cp[i].x = x
		}
		out[f] = cp
	}
	return out
}

// studyVariants lists the candidate inputs of round 20's study, alone and
// in the pairs the brief names.
func studyVariants() []inputVariant {
	col := func(n string) int {
		i := slices.Index(studyExtraNames, n)
		if i < 0 {
			panic("no study column " + n)
		}
		return i
	}
	vs := []inputVariant{{"base (the 29)", nil}}
	for _, n := range studyExtraNames {
		vs = append(vs, inputVariant{"+" + n, []int{col(n)}})
	}
	for _, pair := range [][]string{{"tanhsib", "tanhoth"}, {"aspsibpos", "aspsibneg"}, {"aspsibneg", "asponly"}, {"sibrunner", "aspsibneg"}, {"tanhsib", "tanhoth", "aspsibneg", "asponly"}} {
		var cs []int
		for _, n := range pair {
			cs = append(cs, col(n))
		}
		vs = append(vs, inputVariant{"+" + strings.Join(pair, "+"), cs})
	}
	return vs
}

// TestInputStudy is round 20's study of candidate confidence inputs on a
// fold cache (ONESTOP_DEVFIT_DUMP=prefix, written by TestDevFitConfidence
// or TestConfidenceModelCurrent; ONESTOP_INPUTSTUDY=1): for each variant,
// the model fitted with each FAQ left out (as ranked by the re-ranker
// fitted without it) and the shipped rule's thresholds chosen on the other
// FAQs — nested figures, margin 0 and fitMargin — and, for the choice of
// variant itself, a doubly nested estimate: for each FAQ, the variant is
// chosen on the other FAQs alone (their models fitted without both, the
// policy chosen on them), and the FAQ is measured with it.
func TestInputStudy(t *testing.T) {
	prefix := os.Getenv("ONESTOP_DEVFIT_DUMP")
	if os.Getenv("ONESTOP_INPUTSTUDY") == "" || prefix == "" {
		t.Skip("set ONESTOP_INPUTSTUDY=1 and ONESTOP_DEVFIT_DUMP=prefix")
	}
	byHeld := heldOutRankedCached(t)
	for f, ss := range byHeld {
		require.NotEmpty(t, ss, f)
		require.Len(t, ss[0].extra, len(studyExtraNames), "%s: a fold cache without studyExtras (%s)", f, prefix)
	}
	if want := os.Getenv("ONESTOP_INPUTSTUDY_AUC"); want != "" {
		logExtraAUC(t, byHeld)
	}
	vs := studyVariants()
	if only := os.Getenv("ONESTOP_INPUTSTUDY_ONLY"); only != "" {
		keep := strings.Split(only, ",")
		vs = slices.DeleteFunc(vs, func(v inputVariant) bool { return v.cols != nil && !slices.Contains(keep, v.name) })
	}
	faqs := slices.Sorted(maps.Keys(byHeld))
	type res struct {
		nested [2][]faqOutcome // margin 0, fitMargin
		pols   []policy
	}
	all := make([]res, len(vs))
	held := make([][]sample, len(vs))
	pss := make([][]float64, len(vs))
	for vi, v := range vs {
		by := withExtras(byHeld, v.cols)
		h, ps := lofoConfidence(by, fitLambda)
		held[vi], pss[vi] = h, ps
		for mi, m := range []float64{0, fitMargin} {
			all[vi].nested[mi], all[vi].pols = nestedOutcomesMargin(h, ps, fitWrong, fitRejection, m)
		}
		pol := choosePolicy(h, ps)
		lo, lmr := meanOutcome(policyOutcomes(h, ps, pol))
		line := fmt.Sprintf("%-40s policy %.3f/%.3f left out %5.1f / %4.2f / %5.1f (%4.1f, %5.1f)", v.name, pol.tau, pol.kappa, 100*lo.right, 100*lo.wrong, 100*lo.rejection, 100*worstWrong(policyOutcomes(h, ps, pol)), 100*lmr)
		for mi := range 2 {
			ns := all[vi].nested[mi]
			o, mr := meanOutcome(ns)
			up, down := 0, 0
			if vi > 0 {
				for i := range ns {
					switch d := ns[i].right - all[0].nested[mi][i].right; {
					case d > 1e-9:
						up++
					case d < -1e-9:
						down++
					}
				}
			}
			line += fmt.Sprintf(" | m%d nested %5.1f / %4.2f / %5.1f (%4.1f, %5.1f) %d↑%d↓", mi, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(ns), 100*mr, up, down)
		}
		t.Log(line)
	}
	for vi, v := range vs {
		var b strings.Builder
		for i, o := range all[vi].nested[1] {
			fmt.Fprintf(&b, " %s %.1f/%.1f/%.1f (%.3f)", o.faq, 100*o.right, 100*o.wrong, 100*o.rejection, all[vi].pols[i].tau)
		}
		t.Logf("%s by FAQ (margin %.3f):%s", v.name, fitMargin, b.String())
	}
	if os.Getenv("ONESTOP_INPUTSTUDY_DOUBLE") == "" {
		return
	}
	// Doubly nested: for outer FAQ f, each variant's predictions on every
	// other FAQ h from a model fitted without f and h; the variant whose
	// policy, chosen on those FAQs, gives the most right answers on them
	// is f's; f is then measured as in the nested figures above.
	var outer []faqOutcome
	chosen := map[string]int{}
	for fi, f := range faqs {
		bestV, bestR := 0, -1.0
		for vi, v := range vs {
			by := withExtras(byHeld, v.cols)
			var ss []sample
			var ps []float64
			for _, h := range faqs {
				if h == f {
					continue
				}
				var train, test []sample
				for _, s := range by[h] {
					switch s.faq {
					case f:
					case h:
						test = append(test, s)
					default:
						train = append(train, s)
					}
				}
				ss = append(ss, test...)
				ps = append(ps, predict(test, fitLogistic(train, fitLambda))...)
			}
			pol := choosePolicy(ss, ps)
			o, _ := meanOutcome(policyOutcomes(ss, ps, pol))
			if o.right > bestR+1e-12 {
				bestV, bestR = vi, o.right
			}
		}
		chosen[vs[bestV].name]++
		outer = append(outer, all[bestV].nested[1][fi])
		t.Logf("doubly nested: %-10s chooses %s: %.1f / %.1f / %.1f", f, vs[bestV].name, 100*all[bestV].nested[1][fi].right, 100*all[bestV].nested[1][fi].wrong, 100*all[bestV].nested[1][fi].rejection)
	}
	o, mr := meanOutcome(outer)
	names := slices.Collect(maps.Keys(chosen))
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, " %s ×%d", n, chosen[n])
	}
	t.Logf("doubly nested (variant chosen without the FAQ): %5.1f / %4.2f / %5.1f (%4.1f, %5.1f); chosen:%s", 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(outer), 100*mr, b.String())
}

// logExtraAUC logs, for each study column, its AUC between right and
// wrong best candidates among eligible in-scope questions whose held-out
// probability (the 29 inputs) is 0.70–0.97, and between in-scope right
// answers and out-of-scope questions there.
func logExtraAUC(t *testing.T, byHeld map[string][]sample) {
	h, ps := lofoConfidence(byHeld, fitLambda)
	for c, n := range studyExtraNames {
		var pos, neg, oos []float64
		for i, s := range h {
			if !s.eligible || ps[i] < 0.70 || ps[i] > 0.97 {
				continue
			}
			switch {
			case !s.inScope:
				oos = append(oos, s.extra[c])
			case s.correct:
				pos = append(pos, s.extra[c])
			default:
				neg = append(neg, s.extra[c])
			}
		}
		t.Logf("AUC %-10s right vs wrong %.3f (%d / %d), right vs out of scope %.3f (%d); mean right %.3f wrong %.3f oos %.3f", n, auc(pos, neg), len(pos), len(neg), auc(pos, oos), len(oos), mean(pos), mean(neg), mean(oos))
	}
}

func auc(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return 0
	}
	var s float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				s++
			case p == n:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x / float64(len(xs))
	}
	return s
}
