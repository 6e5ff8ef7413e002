package yomi_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// TestCalibrateStudy judges a bar chosen per municipality (chatbot.Calibrate,
// `onestop faq calibrate`) the way a municipality would live with it: on
// every development FAQ (with readings, its own resident questions out of
// the library) the labelled questions are split in two halves at random;
// the bar is chosen on one half and judged on the other, against the
// shipped bar on that same half, and the chosen half's cross-validated
// estimate is set beside what the other half got. ONESTOP_CALIBSTUDY=N
// runs N splits (each judged both ways); the figures are in
// docs/chatbot.md ("A bar per municipality").
func TestCalibrateStudy(t *testing.T) {
	var splits int
	if _, err := fmt.Sscan(os.Getenv("ONESTOP_CALIBSTUDY"), &splits); err != nil || splits < 1 {
		t.Skip("set ONESTOP_CALIBSTUDY to the number of splits")
	}
	d, err := dict()
	require.NoError(t, err)
	ctx := context.Background()
	bounds := chatbot.CalibrationBounds{MinInScope: 50, MinOutOfScope: 10}
	// ONESTOP_CALIBMARGINS="0.01 0.05" tries other margins than the defaults.
	if m := os.Getenv("ONESTOP_CALIBMARGINS"); m != "" {
		_, err := fmt.Sscan(m, &bounds.WrongMargin, &bounds.RejectionMargin)
		require.NoError(t, err, "ONESTOP_CALIBMARGINS: two numbers")
	}
	type sum struct {
		right, wrong, rej    float64
		n                    int
		worstWrong, worstRej float64
		// overWrong and underRej count judged halves beyond the bounds.
		overWrong, underRej int
	}
	// add counts one judged half's right, wrong and rejection rates.
	add := func(s *sum, right, wrong, rej float64) {
		s.right += right
		s.wrong += wrong
		s.rej += rej
		s.n++
		s.worstWrong = max(s.worstWrong, wrong)
		if wrong > 0.02 {
			s.overWrong++
		}
		if rej < 0.90 {
			s.underRej++
		}
		if s.n == 1 || rej < s.worstRej {
			s.worstRej = rej
		}
	}
	// adopted: the chosen bar only where the choosing half's
	// cross-validated estimate keeps the bounds, else the shipped one (what
	// `onestop faq calibrate` advises).
	var shipped, chosen, adopted, estimate sum
	for _, x := range slices.Concat(devFAQs, openedFAQs) {
		if x.name == "default_qa" || x.name == "city2" {
			continue // no out-of-scope set of their own (city2: 54 questions)
		}
		kb, err := chatbot.LoadFile(ctx, "../testdata/"+x.faq)
		require.NoError(t, err)
		contacts, err := chatbot.Default()
		require.NoError(t, err)
		contacts.Aliases = nil
		m, err := chatbot.Compile(kb.WithDefaults(contacts), chatbot.WithReadings(d), ownOut(x.name))
		require.NoError(t, err)
		var qs []chatbot.LabeledQuery
		for _, s := range x.sets {
			qs = append(qs, loadQueries(t, s)...)
		}
		var fs, fc sum
		for split := range splits {
			var halves [2][]chatbot.LabeledQuery
			for _, q := range qs {
				h := fnv.New32a()
				fmt.Fprintf(h, "%d\x00%s", split, q.Q)
				halves[h.Sum32()%2] = append(halves[h.Sum32()%2], q)
			}
			for side := range 2 {
				on, judged := halves[side], halves[1-side]
				cal, err := chatbot.Calibrate(ctx, m, on, bounds)
				require.NoError(t, err, x.name)
				tuned, err := m.WithThresholds(cal.Thresholds)
				require.NoError(t, err)
				got, base := chatbot.Evaluate(tuned, judged), chatbot.Evaluate(m, judged)
				for _, s := range []*sum{&shipped, &fs} {
					add(s, base.AnsweredCorrect, base.AnsweredWrong, base.Rejection)
				}
				for _, s := range []*sum{&chosen, &fc} {
					add(s, got.AnsweredCorrect, got.AnsweredWrong, got.Rejection)
				}
				cv := cal.CrossValidated
				add(&estimate, cv.RightRate(), cv.WrongRate(), cv.RejectionRate())
				if cal.Found && cv.WrongRate() <= 0.02 && cv.RejectionRate() >= 0.90 {
					add(&adopted, got.AnsweredCorrect, got.AnsweredWrong, got.Rejection)
				} else {
					add(&adopted, base.AnsweredCorrect, base.AnsweredWrong, base.Rejection)
				}
			}
		}
		t.Logf("%-6s shipped %.1f / %.2f / %.1f  chosen on the other half %.1f / %.2f / %.1f (worst %.2f wrong, %.1f rejection)", x.name,
			100*fs.right/float64(fs.n), 100*fs.wrong/float64(fs.n), 100*fs.rej/float64(fs.n),
			100*fc.right/float64(fc.n), 100*fc.wrong/float64(fc.n), 100*fc.rej/float64(fc.n), 100*fc.worstWrong, 100*fc.worstRej)
	}
	mean := func(s sum) string {
		return fmt.Sprintf("%.1f / %.2f / %.1f (halves over 2 %% wrong %d, under 90 %% rejection %d)",
			100*s.right/float64(s.n), 100*s.wrong/float64(s.n), 100*s.rej/float64(s.n), s.overWrong, s.underRej)
	}
	t.Logf("mean over %d judged halves, right / wrong / rejection: shipped bar %s; bar chosen on the other half %s; chosen only where its estimate keeps the bounds %s; cross-validated estimate on the choosing half %s",
		shipped.n, mean(shipped), mean(chosen), mean(adopted), mean(estimate))
}

// calibSampleBar mirrors chatbot.Calibrate's rule on a fold cache's
// samples: bars 0.50 … 0.99 in steps of 0.01, Confirm below each by the
// shipped policy's offset; the lowest bar whose wrong share stays within
// 2 % − 0.5 point and rejection within 90 % + 3 points on the questions
// used (b: the bounds with their margins); none: the shipped policy.
func calibSampleBar(ss []sample, ps []float64, use []int, shipped policy, b chatbot.CalibrationBounds) (policy, bool) {
	off := shipped.tau - shipped.kappa
	for k := 50; k <= 99; k++ {
		bar := float64(k) / 100
		p := policy{bar, max(0, bar-off), 0}
		f := sampleFigures(ss, ps, use, p)
		if f.WrongRate() <= b.MaxWrong-b.WrongMargin+1e-12 && f.RejectionRate() >= b.MinRejection+b.RejectionMargin-1e-12 {
			return p, true
		}
	}
	return shipped, false
}

// sampleFigures is what policy p gives on the samples use selects, as
// chatbot.Calibrate counts it.
func sampleFigures(ss []sample, ps []float64, use []int, p policy) chatbot.BarFigures {
	var f chatbot.BarFigures
	for _, i := range use {
		s := ss[i]
		answered := s.eligible && (ps[i] >= p.tau || s.rule && ps[i] >= p.kappa)
		switch {
		case !s.inScope:
			f.OutOfScope++
			if !answered {
				f.Rejected++
			}
		default:
			f.InScope++
			if answered && s.correct {
				f.Right++
			} else if answered {
				f.Wrong++
			}
		}
	}
	return f
}

// calibSampleCV is Calibrate's cross-validated estimate on the samples use
// selects: in-scope and out-of-scope questions dealt into five parts in a
// random order, the bar chosen on four and used on the fifth, summed.
func calibSampleCV(ss []sample, ps []float64, use []int, shipped policy, b chatbot.CalibrationBounds, rng *rand.Rand) chatbot.BarFigures {
	const folds = 5
	var in, out []int
	for _, i := range use {
		if ss[i].inScope {
			in = append(in, i)
		} else {
			out = append(out, i)
		}
	}
	part := map[int]int{}
	for _, xs := range [][]int{in, out} {
		perm := rng.Perm(len(xs))
		for j, pj := range perm {
			part[xs[pj]] = j % folds
		}
	}
	var sum chatbot.BarFigures
	for p := range folds {
		var on, judged []int
		for _, i := range use {
			if part[i] == p {
				judged = append(judged, i)
			} else {
				on = append(on, i)
			}
		}
		bar, _ := calibSampleBar(ss, ps, on, shipped, b)
		f := sampleFigures(ss, ps, judged, bar)
		sum.InScope += f.InScope
		sum.OutOfScope += f.OutOfScope
		sum.Right += f.Right
		sum.Wrong += f.Wrong
		sum.Rejected += f.Rejected
	}
	return sum
}

// TestCalibrateSampleStudy measures how many labelled questions a
// municipality needs before its own bar (chatbot.Calibrate's rule) beats the
// shipped bar on its next questions (round 21): on a fold cache
// (ONESTOP_DEVFIT_DUMP=prefix), each development FAQ with an out-of-scope
// set is a new municipality — its questions ranked by the re-ranker fitted
// without it, its probabilities from the confidence model fitted without
// it, its shipped bar the policy shippedPolicy chooses on the other FAQs
// (nested). Each of ONESTOP_CALIBSAMPLE draws sets aside 80 in-scope and
// 40 out-of-scope questions as the next questions (judged) and labels the
// first n of the others (in and out of scope two to one, as the
// development sets hold them; a larger n holds the smaller n's questions, as a municipality's
// labels accumulate); the bar chosen on them is judged on the set-aside
// questions against the shipped bar there — as chosen, and adopted only
// when the cross-validated estimate keeps 2 % wrong and 90 % rejection
// (what `onestop faq calibrate` advises) — with the default margins and
// with wider ones.
func TestCalibrateSampleStudy(t *testing.T) {
	var draws int
	if _, err := fmt.Sscan(os.Getenv("ONESTOP_CALIBSAMPLE"), &draws); err != nil || draws < 1 || os.Getenv("ONESTOP_DEVFIT_DUMP") == "" {
		t.Skip("set ONESTOP_CALIBSAMPLE to the number of draws and ONESTOP_DEVFIT_DUMP=prefix")
	}
	const judgedIn, judgedOut = 80, 40
	byHeld := heldOutRankedCached(t)
	held, ps := lofoConfidence(byHeld, fitLambda)
	// The shipped bar: the policy the shipped rule chooses on the other
	// FAQs (shippedPolicy; choosePolicy's per-FAQ bound rule until round
	// 22).
	nested, pols := nestedBy(held, ps, shippedPolicy)
	shippedOf := map[string]policy{}
	for i, o := range nested {
		shippedOf[o.faq] = pols[i]
	}
	byFAQ := map[string][]int{}
	for i, s := range held {
		byFAQ[s.faq] = append(byFAQ[s.faq], i)
	}
	type fig struct{ right, wrong, rej float64 }
	type acc struct {
		n                 int
		ship, own, ado    fig
		found, adopted    int
		ownBeats, ownMiss int
		adoBeats, adoMiss int
		shipMiss          int
		faqsUp, faqsDown  int // FAQs whose mean right on the judged rises / falls with the adopted bar
	}
	addFig := func(f *fig, x chatbot.BarFigures) {
		f.right, f.wrong, f.rej = f.right+x.RightRate(), f.wrong+x.WrongRate(), f.rej+x.RejectionRate()
	}
	miss := func(x chatbot.BarFigures) bool { return x.WrongRate() > 0.02+1e-12 || x.RejectionRate() < 0.9-1e-12 }
	sizes := []int{60, 120, 180, 240} // in and out of scope two to one; 180 holds the CLI's minimum (120 and 40)
	margins := []struct {
		name string
		b    chatbot.CalibrationBounds
	}{
		{"default margins (1.5 % / 93 %)", chatbot.DefaultCalibrationBounds()},
		{"wider margins (1.0 % / 95 %)", func() chatbot.CalibrationBounds {
			b := chatbot.DefaultCalibrationBounds()
			b.WrongMargin, b.RejectionMargin = 0.01, 0.05
			return b
		}()},
	}
	for _, mg := range margins {
		total := make([]acc, len(sizes))
		rng := rand.New(rand.NewPCG(21, 16))
		for _, f := range slices.Sorted(maps.Keys(byFAQ)) {
			var in, out []int
			for _, i := range byFAQ[f] {
				if held[i].inScope {
					in = append(in, i)
				} else {
					out = append(out, i)
				}
			}
			if len(out) < 60 {
				continue // default_qa, city2: no out-of-scope set of their own
			}
			ship := shippedOf[f]
			per := make([]acc, len(sizes))
			for range draws {
				pi, po := rng.Perm(len(in)), rng.Perm(len(out))
				var judged []int
				for _, p := range pi[:judgedIn] {
					judged = append(judged, in[p])
				}
				for _, p := range po[:judgedOut] {
					judged = append(judged, out[p])
				}
				sf := sampleFigures(held, ps, judged, ship)
				for si, n := range sizes {
					nOut := n / 3
					nIn := n - nOut
					require.LessOrEqual(t, judgedIn+nIn, len(in), f)
					require.LessOrEqual(t, judgedOut+nOut, len(out), f)
					var use []int
					for _, p := range pi[judgedIn : judgedIn+nIn] {
						use = append(use, in[p])
					}
					for _, p := range po[judgedOut : judgedOut+nOut] {
						use = append(use, out[p])
					}
					bar, found := calibSampleBar(held, ps, use, ship, mg.b)
					cv := calibSampleCV(held, ps, use, ship, mg.b, rng)
					adopt := found && cv.WrongRate() <= 0.02+1e-12 && cv.RejectionRate() >= 0.90-1e-12
					ado := ship
					if adopt {
						ado = bar
					}
					of, af := sampleFigures(held, ps, judged, bar), sampleFigures(held, ps, judged, ado)
					a := &per[si]
					a.n++
					addFig(&a.ship, sf)
					addFig(&a.own, of)
					addFig(&a.ado, af)
					if found {
						a.found++
					}
					if adopt {
						a.adopted++
					}
					if miss(sf) {
						a.shipMiss++
					}
					if miss(of) {
						a.ownMiss++
					} else if of.Right > sf.Right {
						a.ownBeats++
					}
					if miss(af) {
						a.adoMiss++
					} else if af.Right > sf.Right {
						a.adoBeats++
					}
				}
			}
			line := fmt.Sprintf("%s %-6s shipped %.3f/%.3f:", mg.name, f, ship.tau, ship.kappa)
			for si, n := range sizes {
				a := per[si]
				if a.n == 0 {
					continue
				}
				d := float64(a.n)
				line += fmt.Sprintf(" | n=%d adopted %.1f/%.2f/%.1f (beats %.0f%%, misses %.0f%%) vs shipped %.1f/%.2f/%.1f (misses %.0f%%)", n,
					100*a.ado.right/d, 100*a.ado.wrong/d, 100*a.ado.rej/d, 100*float64(a.adoBeats)/d, 100*float64(a.adoMiss)/d,
					100*a.ship.right/d, 100*a.ship.wrong/d, 100*a.ship.rej/d, 100*float64(a.shipMiss)/d)
				tt := &total[si]
				tt.n += a.n
				for _, x := range []struct{ to, from *fig }{{&tt.ship, &a.ship}, {&tt.own, &a.own}, {&tt.ado, &a.ado}} {
					x.to.right, x.to.wrong, x.to.rej = x.to.right+x.from.right, x.to.wrong+x.from.wrong, x.to.rej+x.from.rej
				}
				tt.found, tt.adopted = tt.found+a.found, tt.adopted+a.adopted
				tt.ownBeats, tt.ownMiss, tt.adoBeats, tt.adoMiss, tt.shipMiss = tt.ownBeats+a.ownBeats, tt.ownMiss+a.ownMiss, tt.adoBeats+a.adoBeats, tt.adoMiss+a.adoMiss, tt.shipMiss+a.shipMiss
				switch {
				case a.ado.right > a.ship.right+0.005*d:
					tt.faqsUp++
				case a.ado.right < a.ship.right-0.005*d:
					tt.faqsDown++
				}
			}
			t.Log(line)
		}
		t.Logf("%s, over FAQs and draws, judged on %d in-scope and %d out-of-scope questions set aside: right / wrong / rejection; beats = keeps 2 %% wrong and 90 %% rejection there and answers more right than the shipped bar; misses = breaks one of them there", mg.name, judgedIn, judgedOut)
		for si, n := range sizes {
			a := total[si]
			if a.n == 0 {
				continue
			}
			d := float64(a.n)
			pc := func(x int) float64 { return 100 * float64(x) / d }
			t.Logf("  n=%3d (%d in, %d out): shipped %.1f / %.2f / %.1f (misses %.0f %%) | own bar %.1f / %.2f / %.1f (found %.0f %%, beats %.0f %%, misses %.0f %%) | adopted where its estimate keeps the bounds (%.0f %% of draws) %.1f / %.2f / %.1f (beats %.0f %%, misses %.0f %%; FAQs up %d, down %d by more than half a point)",
				n, n-n/3, n/3, 100*a.ship.right/d, 100*a.ship.wrong/d, 100*a.ship.rej/d, pc(a.shipMiss),
				100*a.own.right/d, 100*a.own.wrong/d, 100*a.own.rej/d, pc(a.found), pc(a.ownBeats), pc(a.ownMiss),
				pc(a.adopted), 100*a.ado.right/d, 100*a.ado.wrong/d, 100*a.ado.rej/d, pc(a.adoBeats), pc(a.adoMiss), a.faqsUp, a.faqsDown)
		}
	}
}
