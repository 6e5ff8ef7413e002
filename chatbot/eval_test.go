package chatbot

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadQueryFile(t testing.TB, name string) []LabeledQuery {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	qs, err := LoadQueries(f, name)
	require.NoError(t, err)
	return qs
}

// TestAccuracy keeps the measured accuracy of the default knowledge base at
// or above its floors. The targets are top-1 ≥ 90 %, top-3 ≥ 97 %
// and out-of-scope rejection ≥ 90 % on a held-out set (docs/chatbot.md,
// "Evaluation", tells how each set was written and used):
//
//   - heldout2 is the clean held-out set: written after tuning, never used to
//     tune. Its first measurement was top-1 89.5 %, top-3 96.5 %, rejection
//     92.0 %; after generic changes (term-kind weights) chosen on the dev
//     set, and made by someone who had seen that run's failures, it measures
//     top-1 89.9 % (231/257), top-3 97.3 %, rejection 96.0 %. Top-1 misses
//     the 90 % target by one query; its floor is the measured value.
//   - heldout (v1) was written before any tuning, measured once (top-1
//     87.9 %, top-3 94.3 %, rejection 98.0 %), then inspected: it is no
//     longer held out and is kept as a second development set.
//   - dev is the tuning set.
//   - heldout3 was written blind by an independent writer who read only
//     the knowledge base and never ran the matcher or saw the other sets.
//     First measurement: top-1 81.5 %, top-3 91.7 %, rejection 100 %. After
//     two generic changes tuned on dev, heldout and heldout2 only (readings
//     of the FAQ's own terms in the alias table; more weight on the last
//     sentence of a long message) it measured top-1 82.6 %, top-3 92.8 %,
//     rejection 100 % — the blind figure. Its failures were then read and
//     led to readings of every kanji keyword and a block of colloquial
//     paraphrases, so it is now a development set too (top-1 90.6 %,
//     top-3 98.1 %).
//   - heldout4 is the current held-out set, written blind like heldout3 by
//     another writer after all the changes above, and measured once:
//     top-1 89.6 % (240/268), top-3 96.3 %, rejection 97.7 %. The matcher
//     as it was before heldout3's failures were read scores 88.8 % / 95.9 %
//     on it. Top-1 and top-3 miss the targets by two queries each.
//
// Floors are the measured values; a change that lowers any of them must say
// why in docs/chatbot.md.
func TestAccuracy(t *testing.T) {
	m := defaultMatcher(t)
	tests := []struct {
		file                 string
		top1, top3, rejected float64
	}{
		{"heldout2_queries.json", 0.902, 0.976, 0.96},
		{"heldout_queries.json", 0.93, 0.98, 0.96},
		{"dev_queries.json", 0.95, 0.99, 0.95},
		{"heldout3_queries.json", 0.905, 0.98, 1.0},
		{"heldout4_queries.json", 0.895, 0.962, 0.977},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			qs := loadQueryFile(t, tt.file)
			require.NoError(t, CheckQueries(m.KnowledgeBase(), qs))
			rep := Evaluate(m, qs)
			t.Logf("%s: n=%d (out of scope %d) top-1 %.3f top-3 %.3f MRR %.3f rejection %.3f answered-wrong %.3f",
				tt.file, rep.Queries, rep.OutOfScope, rep.Top1, rep.Top3, rep.MRR, rep.Rejection, rep.AnsweredWrong)
			assert.GreaterOrEqual(t, rep.Top1, tt.top1, "top-1")
			assert.GreaterOrEqual(t, rep.Top3, tt.top3, "top-3")
			assert.GreaterOrEqual(t, rep.Rejection, tt.rejected, "out-of-scope rejection")
			assert.LessOrEqual(t, rep.AnsweredWrong, 0.03, "direct answers with the wrong entry")
		})
	}
}

// heldOut is the current held-out query set: measured once, never tuned on.
const heldOut = "heldout4_queries.json"

func TestHeldOutSetShape(t *testing.T) {
	kb, err := Default()
	require.NoError(t, err)
	phrasings := map[string]bool{}
	for _, e := range kb.Entries {
		phrasings[e.Question] = true
		for _, p := range e.Phrasings {
			phrasings[p] = true
		}
	}
	seen := map[string]string{} // query → the set it first appeared in
	for _, q := range loadQueryFile(t, "dev_queries.json") {
		seen[q.Q] = "dev_queries.json"
	}
	for _, f := range []string{"heldout_queries.json", "heldout2_queries.json", "heldout3_queries.json", "heldout4_queries.json"} {
		qs := loadQueryFile(t, f)
		out := 0
		for _, q := range qs {
			if q.Expected == "" {
				out++
			}
			assert.False(t, phrasings[q.Q], "%s: %q is a sample phrasing of the knowledge base", f, q.Q)
			// The held-out set shares no query with any set used for
			// tuning; the older sets, written independently, share a few
			// short ones with each other but none with dev.
			if other, dup := seen[q.Q]; !dup {
				seen[q.Q] = f
			} else if f == heldOut || other == "dev_queries.json" {
				assert.Fail(t, "query in two sets", "%s: %q is also in %s", f, q.Q, other)
			}
		}
		assert.GreaterOrEqual(t, len(qs), 300, f)
		assert.GreaterOrEqual(t, out, 40, f)
	}
}

func TestLoadQueriesErrors(t *testing.T) {
	_, err := LoadQueries(strings.NewReader(`[{"q": "a", "expected": "x"},
  {"q": 3}]`), "q.json")
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "q.json:2:")

	_, err = LoadQueries(strings.NewReader(`[{"q": "", "expected": null}]`), "q.json")
	assert.ErrorIs(t, err, ErrMissingField)

	_, err = LoadQueries(strings.NewReader(`[{"q": "a", "expect": "x"}]`), "q.json")
	assert.ErrorIs(t, err, ErrSyntax, "unknown key is a typo")

	_, err = LoadQueries(strings.NewReader(`[]`), "q.json")
	assert.ErrorIs(t, err, ErrEmpty)

	qs, err := LoadQueries(strings.NewReader("\xEF\xBB\xBF"+`[{"q": "a", "expected": null}, {"q": "b", "expected": "nope"}]`), "q.json")
	require.NoError(t, err)
	assert.Equal(t, "", qs[0].Expected)
	kb, _ := Default()
	assert.ErrorIs(t, CheckQueries(kb, qs), ErrUnknownExpected)
}

// fixedRanker answers from a table; it checks Evaluate's arithmetic.
type fixedRanker map[string][]string

func (f fixedRanker) Rank(q string, n int) ([]string, bool) {
	ids := f[q]
	return ids, len(ids) > 0 && ids[0] != "-"
}

func TestEvaluateArithmetic(t *testing.T) {
	r := fixedRanker{
		"a": {"A", "B"},      // rank 1
		"b": {"X", "B"},      // rank 2
		"c": {"X", "Y", "C"}, // rank 3
		"d": {"X"},           // not found
		"o": {"-"},           // out of scope, rejected
		"p": {"P"},           // out of scope, answered
	}
	qs := []LabeledQuery{{Q: "a", Expected: "A"}, {Q: "b", Expected: "B"}, {Q: "c", Expected: "C"}, {Q: "d", Expected: "D"}, {Q: "o"}, {Q: "p"}}
	rep := Evaluate(r, qs)
	assert.Equal(t, 4, rep.InScope)
	assert.Equal(t, 2, rep.OutOfScope)
	assert.InDelta(t, 0.25, rep.Top1, 1e-9)
	assert.InDelta(t, 0.75, rep.Top3, 1e-9)
	assert.InDelta(t, (1+0.5+1.0/3)/4, rep.MRR, 1e-9)
	assert.InDelta(t, 0.5, rep.Rejection, 1e-9)
	assert.InDelta(t, 0.25, rep.AnsweredCorrect, 1e-9)
	assert.InDelta(t, 0.75, rep.AnsweredWrong, 1e-9)
	assert.Len(t, rep.Failures, 4)
	var b bytes.Buffer
	require.NoError(t, WriteReport(&b, "テスト", rep, true))
	assert.Contains(t, b.String(), "1位正解率 top-1  25.0%")
	assert.Contains(t, b.String(), "対象外の拒否率   50.0%")
}
