package chatbot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calibrationFAQ compiles a development FAQ as a municipality's own, with
// its labelled questions and its extra out-of-scope questions. The tests
// check how Calibrate chooses, not what a FAQ scores, so the library keeps
// the FAQ's own resident questions (its shared compilation is cached);
// under the race detector every other question is kept (still more than
// the minimums), as matching is some ten times slower there.
func calibrationFAQ(t *testing.T, name string) (*Matcher, []LabeledQuery) {
	t.Helper()
	def, err := Default()
	require.NoError(t, err)
	own, err := LoadFile(context.Background(), "testdata/"+name+"_faq.csv")
	require.NoError(t, err)
	m, err := Compile(own.WithDefaults(def))
	require.NoError(t, err)
	qs := slices.Concat(loadQueryFile(t, name+"_queries.json"), loadQueryFile(t, name+"_oos_queries.json"))
	if raceEnabled {
		var half []LabeledQuery
		for i, q := range qs {
			if i%2 == 0 {
				half = append(half, q)
			}
		}
		qs = half
	}
	return m, qs
}

// A matcher with other thresholds (WithThresholds) ranks and decides every
// question exactly as one compiled with them, and leaves the original as
// it was.
func TestMatcherWithThresholds(t *testing.T) {
	skipUnderRace(t)
	def, err := Default()
	require.NoError(t, err)
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(def)
	m, err := Compile(kb)
	require.NoError(t, err)
	qs := loadQueryFile(t, "dev4_queries.json")
	for _, bar := range []float64{0.6, 0.8, 0.95} {
		th := DefaultThresholds()
		th.Confidence, th.Confirm = bar, bar-0.05
		copied, err := m.WithThresholds(th)
		require.NoError(t, err)
		compiled, err := Compile(kb, WithThresholds(th))
		require.NoError(t, err)
		assert.Equal(t, th, copied.Thresholds())
		answered := 0
		for _, q := range qs {
			a, b, o := copied.Match(q.Q), compiled.Match(q.Q), m.Match(q.Q)
			require.Equal(t, b.Level, a.Level, "%.2f %s", bar, q.Q)
			// Two compilations agree to float32 rounding (the order in
			// which weights are summed); the copy shares m's index.
			require.InDelta(t, b.Confidence, a.Confidence, 1e-6, q.Q)
			require.Equal(t, o.Confidence, a.Confidence, q.Q)
			require.Equal(t, ids(b.Candidates), ids(a.Candidates), q.Q)
			if a.Level == Answer {
				answered++
			}
		}
		assert.Positive(t, answered, "%.2f answers some questions", bar)
	}
	assert.Equal(t, DefaultThresholds(), m.Thresholds(), "the original keeps its thresholds")

	bad := DefaultThresholds()
	bad.Confidence = 1.5
	_, err = m.WithThresholds(bad)
	assert.Error(t, err)
}

func ids(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Entry.ID
	}
	return out
}

// Calibrate on a development FAQ: the curve is monotone (a higher bar never
// answers more), the current figures are Evaluate's, the chosen bar keeps
// the bounds with their margins on the sample and the bar below it does
// not, and the cross-validated estimate covers every question once.
func TestCalibrate(t *testing.T) {
	m, qs := calibrationFAQ(t, "dev15")
	cal, err := Calibrate(context.Background(), m, qs, CalibrationBounds{})
	require.NoError(t, err)
	b := DefaultCalibrationBounds()
	assert.Equal(t, b, cal.Bounds)
	require.Len(t, cal.Curve, 50)
	assert.GreaterOrEqual(t, cal.Current.InScope, b.MinInScope)
	assert.InDelta(t, 0.50, cal.Curve[0].Confidence, 1e-9)
	assert.InDelta(t, 0.99, cal.Curve[49].Confidence, 1e-9)
	for i, f := range cal.Curve {
		assert.InDelta(t, DefaultThresholds().WithBar(f.Confidence).Confirm, f.Confirm, 1e-9)
		if i == 0 {
			continue
		}
		prev := cal.Curve[i-1]
		assert.LessOrEqual(t, f.Right+f.Wrong, prev.Right+prev.Wrong, "answers at %.2f", f.Confidence)
		assert.GreaterOrEqual(t, f.Rejected, prev.Rejected, "rejections at %.2f", f.Confidence)
	}
	rep := Evaluate(m, qs)
	cur := cal.Current
	assert.Equal(t, rep.InScope, cur.InScope)
	assert.Equal(t, rep.OutOfScope, cur.OutOfScope)
	assert.InDelta(t, rep.AnsweredCorrect, cur.RightRate(), 1e-9)
	assert.InDelta(t, rep.AnsweredWrong, cur.WrongRate(), 1e-9)
	assert.InDelta(t, rep.Rejection, cur.RejectionRate(), 1e-9)

	require.True(t, cal.Found, "dev15 keeps the bounds at some bar")
	keeps := func(f BarFigures) bool {
		return f.WrongRate() <= b.MaxWrong-b.WrongMargin+1e-12 && f.RejectionRate() >= b.MinRejection+b.RejectionMargin-1e-12
	}
	assert.True(t, keeps(cal.Chosen))
	k := slices.IndexFunc(cal.Curve, func(f BarFigures) bool { return f.Confidence == cal.Chosen.Confidence })
	require.GreaterOrEqual(t, k, 0)
	if k > 0 {
		assert.False(t, keeps(cal.Curve[k-1]), "the lowest bar that keeps them")
	}
	assert.Equal(t, cal.Chosen.Confidence, cal.Thresholds.Confidence)
	assert.Equal(t, cal.Chosen.Confirm, cal.Thresholds.Confirm)
	assert.Equal(t, DefaultThresholds().Evidence, cal.Thresholds.Evidence, "only the bar changes")
	cv := cal.CrossValidated
	assert.Equal(t, cur.InScope, cv.InScope)
	assert.Equal(t, cur.OutOfScope, cv.OutOfScope)
	assert.Zero(t, cv.Confidence)
	t.Logf("dev15: current %.3f right %.1f wrong %.1f rejection %.1f; chosen %.3f: %.1f / %.1f / %.1f; cross-validated %.1f / %.1f / %.1f",
		cur.Confidence, 100*cur.RightRate(), 100*cur.WrongRate(), 100*cur.RejectionRate(),
		cal.Chosen.Confidence, 100*cal.Chosen.RightRate(), 100*cal.Chosen.WrongRate(), 100*cal.Chosen.RejectionRate(),
		100*cv.RightRate(), 100*cv.WrongRate(), 100*cv.RejectionRate())

	// Tighter bounds never choose a lower bar.
	strict, err := Calibrate(context.Background(), m, qs, CalibrationBounds{MaxWrong: 0.01, MinRejection: 0.95})
	require.NoError(t, err)
	if strict.Found {
		assert.GreaterOrEqual(t, strict.Chosen.Confidence, cal.Chosen.Confidence)
	}
}

func TestCalibrateErrors(t *testing.T) {
	m, qs := calibrationFAQ(t, "dev15")
	inScope := slices.DeleteFunc(slices.Clone(qs), func(q LabeledQuery) bool { return q.Expected == "" })
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		qs     []LabeledQuery
		b      CalibrationBounds
		is     error
		substr string
	}{
		{"few in scope", context.Background(), qs[:50], CalibrationBounds{}, ErrTooFewQuestions, "need at least 120 and 40"},
		{"no out of scope", context.Background(), inScope, CalibrationBounds{}, ErrTooFewQuestions, "0 out-of-scope"},
		{"max wrong above 1", context.Background(), qs, CalibrationBounds{MaxWrong: 2}, nil, "bounds out of range"},
		{"margin above the bound", context.Background(), qs, CalibrationBounds{MaxWrong: 0.01, WrongMargin: 0.02}, nil, "bounds out of range"},
		{"one fold", context.Background(), qs, CalibrationBounds{Folds: 1}, nil, "bounds out of range"},
		{"negative margin", context.Background(), qs, CalibrationBounds{RejectionMargin: -0.5}, nil, "bounds out of range"},
		{"unknown entry", context.Background(), append(slices.Clone(qs), LabeledQuery{Q: "x", Expected: "NOPE"}), CalibrationBounds{}, nil, `"NOPE"`},
		{"cancelled", cancelled, qs, CalibrationBounds{}, context.Canceled, "calibrate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Calibrate(tt.ctx, m, tt.qs, tt.b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.substr)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is), err)
			}
		})
	}
	// The error for too few questions carries the counts, so a caller
	// need not recount them.
	inN := len(inScope)
	_, err := Calibrate(context.Background(), m, inScope, CalibrationBounds{MinOutOfScope: 3})
	var few *TooFewQuestionsError
	require.True(t, errors.As(err, &few), err)
	assert.Equal(t, TooFewQuestionsError{InScope: inN, OutOfScope: 0, MinInScope: 120, MinOutOfScope: 3}, *few)
	assert.False(t, errors.Is(err, context.Canceled))
	// NoMargin is accepted and means none.
	b, err := CalibrationBounds{WrongMargin: NoMargin, RejectionMargin: NoMargin}.withDefaults()
	require.NoError(t, err)
	assert.Zero(t, b.WrongMargin)
	assert.Zero(t, b.RejectionMargin)
	assert.Equal(t, DefaultCalibrationBounds().MaxWrong, b.MaxWrong)
}

// WithBar moves Confidence and keeps Confirm below it by the thresholds'
// own offset, never below 0, and touches nothing else.
func TestThresholdsWithBar(t *testing.T) {
	d := DefaultThresholds()
	for _, tt := range []struct {
		name          string
		t             Thresholds
		c             float64
		conf, confirm float64
	}{
		{"shipped offset", d, 0.90, 0.90, 0.90 - (d.Confidence - d.Confirm)},
		{"lower bar", d, 0.60, 0.60, 0.60 - (d.Confidence - d.Confirm)},
		{"clamped at zero", Thresholds{Confidence: 0.875, Confirm: 0.745}, 0.02, 0.02, 0}, // an offset of its own: the shipped one may be 0 (one threshold)
		{"no offset", Thresholds{Confidence: 0.8, Confirm: 0.8}, 0.7, 0.7, 0.7},
		{"confirm above confidence keeps no offset", Thresholds{Confidence: 0.5, Confirm: 0.6}, 0.9, 0.9, 0.9},
		{"rule only (zero bar)", Thresholds{Answer: 0.5}, 0.85, 0.85, 0.85},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.t.WithBar(tt.c)
			assert.InDelta(t, tt.conf, got.Confidence, 1e-12)
			assert.InDelta(t, tt.confirm, got.Confirm, 1e-12)
			got.Confidence, got.Confirm = tt.t.Confidence, tt.t.Confirm
			assert.Equal(t, tt.t, got)
		})
	}
}

// The parts of the cross-validation are balanced within in-scope and
// out-of-scope questions and do not depend on the file's order.
func TestFoldsOf(t *testing.T) {
	qs := loadQueryFile(t, "dev16_queries.json")
	for _, n := range []int{2, 5, 7} {
		fold := foldsOf(qs, n)
		in, out := make([]int, n), make([]int, n)
		for i, q := range qs {
			require.True(t, fold[i] >= 0 && fold[i] < n)
			if q.Expected == "" {
				out[fold[i]]++
			} else {
				in[fold[i]]++
			}
		}
		assert.LessOrEqual(t, slices.Max(in)-slices.Min(in), 1, "in-scope per part %v", in)
		assert.LessOrEqual(t, slices.Max(out)-slices.Min(out), 1, "out-of-scope per part %v", out)

		rev := slices.Clone(qs)
		slices.Reverse(rev)
		fr := foldsOf(rev, n)
		byQ := map[string]int{}
		for i, q := range rev {
			byQ[q.Q] = fr[i]
		}
		for i, q := range qs {
			require.Equal(t, fold[i], byQ[q.Q], q.Q)
		}
	}
}

// FuzzCalibrate: any questions, labelled with a FAQ's IDs or out of scope,
// calibrate without panic, and the figures add up.
func FuzzCalibrate(f *testing.F) {
	for _, s := range []string{"児童手当はいつ\n保育園に入りたい\nパスポート", "", "\n\n", "ごみ\xff\nじどうてあて いつ ふりこみ", strings.Repeat("保育料 ", 300)} {
		f.Add(s, uint8(3))
	}
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"a,児童手当はいつ振り込まれますか。,児童手当は2月・4月・6月・8月・10月・12月に前月分までを振り込みます。,手当\n" +
		"b,保育所の申込みはどうすればいいですか。,保育所の申込みは保育幼稚園課で受け付けます。必要書類は就労証明書などです。,保育\n" +
		"c,ひとり親家庭の医療費助成について教えてください。,ひとり親家庭等医療費助成の受給者証を交付します。こども家庭課へ申請してください。,医療\n"
	kb, err := LoadCSV(strings.NewReader(csv), "fuzz.csv", CSVOptions{})
	require.NoError(f, err)
	m, err := Compile(kb)
	require.NoError(f, err)
	labels := []string{"a", "b", "c", ""}
	f.Fuzz(func(t *testing.T, text string, folds uint8) {
		var qs []LabeledQuery
		for i, line := range strings.Split(text, "\n") {
			if strings.TrimSpace(line) == "" || !utf8.ValidString(line) {
				continue
			}
			qs = append(qs, LabeledQuery{Q: line, Expected: labels[i%len(labels)]})
		}
		b := CalibrationBounds{MinInScope: 1, MinOutOfScope: 1, Folds: int(folds%6) + 2}
		cal, err := Calibrate(context.Background(), m, qs, b)
		if err != nil {
			if !errors.Is(err, ErrTooFewQuestions) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		for _, fg := range append([]BarFigures{cal.Current, cal.Chosen, cal.CrossValidated}, cal.Curve...) {
			if fg.Right+fg.Wrong > fg.InScope || fg.Rejected > fg.OutOfScope || fg.Right < 0 || fg.Wrong < 0 {
				t.Fatalf("figures do not add up: %+v", fg)
			}
		}
		if cal.CrossValidated.InScope != cal.Current.InScope || cal.CrossValidated.OutOfScope != cal.Current.OutOfScope {
			t.Fatalf("cross-validation lost questions: %+v vs %+v", cal.CrossValidated, cal.Current)
		}
	})
}

// Calibrate's curve is exactly what matching at each bar gives (it
// matches each question only twice and decides the other bars from the
// same best candidate and signals).
func TestCalibrateExact(t *testing.T) {
	m, qs := calibrationFAQ(t, "dev16")
	cal, err := Calibrate(context.Background(), m, qs, CalibrationBounds{})
	require.NoError(t, err)
	for _, k := range []int{0, 10, 25, 33, 38, 45, 49} {
		f := cal.Curve[k]
		th := m.Thresholds()
		th.Confidence, th.Confirm = f.Confidence, f.Confirm
		mk, err := m.WithThresholds(th)
		require.NoError(t, err)
		rep := Evaluate(mk, qs)
		assert.InDelta(t, rep.AnsweredCorrect, f.RightRate(), 1e-9, "right at %.2f", f.Confidence)
		assert.InDelta(t, rep.AnsweredWrong, f.WrongRate(), 1e-9, "wrong at %.2f", f.Confidence)
		assert.InDelta(t, rep.Rejection, f.RejectionRate(), 1e-9, "rejection at %.2f", f.Confidence)
	}
}
