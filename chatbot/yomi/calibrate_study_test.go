package yomi_test

import (
	"context"
	"fmt"
	"hash/fnv"
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
