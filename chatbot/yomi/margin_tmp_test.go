package yomi_test

import (
	"os"
	"testing"
)

func TestTmpMargin(t *testing.T) {
	if os.Getenv("ONESTOP_TMPMARGIN") == "" {
		t.Skip()
	}
	byHeld := heldOutRanked(t)
	held, ps := lofoConfidence(byHeld, fitLambda)
	for _, m := range []float64{0, 0.005, 0.01, 0.015, 0.02, 0.03} {
		for _, rj := range []float64{0.9, 0.91, 0.92} {
			var os []faqOutcome
			by := map[string]bool{}
			for _, s := range held {
				by[s.faq] = true
			}
			var pols []policy
			for f := range by {
				var oss, fss []sample
				var ops, fps []float64
				for i, s := range held {
					if s.faq == f {
						fss, fps = append(fss, s), append(fps, ps[i])
					} else {
						oss, ops = append(oss, s), append(ops, ps[i])
					}
				}
				pol := choosePolicyWithin(oss, ops, fitWrong, rj).raised(m)
				os = append(os, policyOutcomes(fss, fps, pol)...)
				pols = append(pols, pol)
			}
			o, mr := meanOutcome(os)
			low := ""
			for _, x := range os {
				if x.rejection < 0.9 || x.wrong > 0.02 {
					low += x.faq + " "
				}
			}
			full := choosePolicyWithin(held, ps, fitWrong, rj).raised(m)
			of, mrf := meanOutcome(policyOutcomes(held, ps, full))
			t.Logf("margin %.3f rej≥%.2f: full %.3f/%.3f %5.1f (min rej %5.1f) | nested %5.1f / %4.2f / %5.1f (worst wrong %4.1f, min rej %5.1f) below: %s", m, rj, full.tau, full.kappa, 100*of.right, 100*mrf, 100*o.right, 100*o.wrong, 100*o.rejection, 100*worstWrong(os), 100*mr, low)
		}
	}
}
