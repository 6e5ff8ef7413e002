package chatbot

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A knowledge base with sample phrasings keeps the BM25 order and the
// signals it was tuned with: the re-ranker changes nothing on the default
// knowledge base.
func TestRerankOnlyWithoutPhrasings(t *testing.T) {
	def, err := Default()
	require.NoError(t, err)
	on, err := Compile(def)
	require.NoError(t, err)
	off, err := Compile(def, WithRanker(nil))
	require.NoError(t, err)
	for _, set := range devSets {
		for _, q := range loadQueryFile(t, set) {
			a, b := on.Match(q.Q), off.Match(q.Q)
			require.Equal(t, len(b.Candidates), len(a.Candidates), q.Q)
			for i := range a.Candidates {
				require.Equal(t, b.Candidates[i].Entry, a.Candidates[i].Entry, q.Q)
			}
			require.Equal(t, b.Level, a.Level, q.Q)
			require.InDelta(t, b.Confidence, a.Confidence, 1e-6, q.Q)
			if len(a.Candidates) > 0 {
				require.Equal(t, 1.0, a.Signals.RankShare, q.Q)
			}
		}
	}
}

// On a FAQ without phrasings the re-ranker reorders the best candidates;
// these dev4 questions had the right entry second or third in BM25 order
// (an overview entry against the entry asking the aspect asked, a
// comparison entry against the one programme asked).
func TestRerankOrders(t *testing.T) {
	skipUnderRace(t)
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	on, err := Compile(kb, sourceOut("dev4"))
	require.NoError(t, err)
	off, err := Compile(kb, WithRanker(nil), sourceOut("dev4"))
	require.NoError(t, err)
	for _, tt := range []struct{ q, want string }{
		{"教育訓練給付金 修了後 申請 何日以内", "K038"},
		{"マル親って誰が使えるの？", "K027"},
		{"子ども医療費助成って何歳まで？所得制限ある？", "K030"},
	} {
		t.Run(tt.q, func(t *testing.T) {
			assert.NotEqual(t, tt.want, off.Match(tt.q).Best().ID, "BM25 order")
			r := on.Match(tt.q)
			assert.Equal(t, tt.want, r.Best().ID)
			assert.Greater(t, r.Signals.RankShare, 0.0)
			assert.LessOrEqual(t, r.Signals.RankShare, 1.0)
		})
	}
}

// WithRanker with the log score ratio alone is BM25 order.
func TestRerankBM25Order(t *testing.T) {
	skipUnderRace(t)
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	kb := own.WithDefaults(qaOnlyWithContacts(t))
	w := make([]float64, numRankFeatures)
	w[rfLogRatio] = 1
	bm, err := Compile(kb, WithRanker(w), sourceOut("dev4"))
	require.NoError(t, err)
	off, err := Compile(kb, WithRanker(nil), sourceOut("dev4"))
	require.NoError(t, err)
	for _, q := range loadQueryFile(t, "dev4_queries.json") {
		a, b := bm.Match(q.Q), off.Match(q.Q)
		require.Equal(t, len(b.Candidates), len(a.Candidates), q.Q)
		for i := range a.Candidates {
			require.Equal(t, b.Candidates[i].Entry, a.Candidates[i].Entry, q.Q)
		}
	}
}

func TestRankInputs(t *testing.T) {
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	m, err := Compile(own.WithDefaults(qaOnlyWithContacts(t)), sourceOut("dev4"))
	require.NoError(t, err)
	in := m.RankInputs("児童扶養手当はいつ振り込まれますか")
	require.Len(t, in, rerankK)
	assert.Equal(t, 0.0, in[0].Features[rfLogRatio], "the best BM25 candidate comes first")
	for i, c := range in {
		require.Len(t, c.Features, numRankFeatures)
		for j, x := range c.Features {
			assert.False(t, math.IsNaN(x) || math.IsInf(x, 0), "%s %s", c.ID, rankFeatureNames[j])
		}
		assert.Equal(t, 1/float64(1+i), c.Features[rfPosition])
	}
	assert.Empty(t, m.RankInputs(""))
	assert.Len(t, RankFeatureNames(), numRankFeatures)
	assert.Len(t, DefaultRankWeights(), numRankFeatures)
}

// Re-ranking allocates nothing on the hot path.
func TestRerankAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	own, err := LoadFile(context.Background(), "testdata/dev4_faq.csv")
	require.NoError(t, err)
	m, err := Compile(own.WithDefaults(qaOnlyWithContacts(t)), sourceOut("dev4"))
	require.NoError(t, err)
	var r Result
	q := "児童手当はいつ振り込まれますか、教えてください"
	m.MatchInto(&r, q, 3)
	allocs := testing.AllocsPerRun(100, func() { m.MatchInto(&r, q, 3) })
	assert.Zero(t, allocs)
}

// An entry whose answer speaks of the aspect a question asks (when, how
// much, how to apply) gains on a sibling whose answer does not: the
// answer is a weaker field for the aspect than the entry's question.
func TestRerankAnswerAspect(t *testing.T) {
	skipUnderRace(t)
	for _, tt := range []struct{ faq, q, want string }{
		{"testdata/dev4_faq.csv", "When is 児童手当 paid? which month?", "K006"},
		{"testdata/dev4_faq.csv", "ほいくえん もうしこみ しめきり", "K046"},
		// Round 9: with the resident-question library (dev3's own
		// questions out) 「福祉資金 申請の流れ」 goes to M26, the
		// programme's overview, instead of M27 (how to apply): the
		// library's questions on 福祉資金 mostly ask what it is.
	} {
		t.Run(tt.q, func(t *testing.T) {
			own, err := LoadFile(context.Background(), tt.faq)
			require.NoError(t, err)
			kb := own.WithDefaults(qaOnlyWithContacts(t))
			on, err := Compile(kb, sourceOut(tt.faq))
			require.NoError(t, err)
			w := DefaultRankWeights()
			w[rfAnswerAspect] = 0
			without, err := Compile(kb, WithRanker(w), sourceOut(tt.faq))
			require.NoError(t, err)
			assert.Equal(t, tt.want, on.Match(tt.q).Best().ID)
			// Without the answer's aspect the entry loses first place, or at
			// least share (until round 8 it lost first place on all three;
			// with dev8 in the re-ranker's fit K006 keeps it on its other
			// features).
			if r := without.Match(tt.q); r.Best().ID == tt.want {
				assert.Less(t, r.Signals.RankShare, on.Match(tt.q).Signals.RankShare, "without the answer's aspect")
			}
			for _, in := range on.RankInputs(tt.q) {
				if in.ID == tt.want {
					assert.Equal(t, 1.0, in.Features[rfAnswerAspect])
				}
			}
		})
	}
}

// An entry whose question names no programme is about those its answer
// names, but weaker: 「市内で引っ越した場合の手続き」, whose answer mentions
// 児童扶養手当 in passing, no longer takes a question on moving while on
// 児童扶養手当 from the entry that names it in its question. These
// questions are right, and would be wrong if an entry were about the
// programmes of its answer as fully as about those of its question (the
// rule before round 6: ansprog counted as prog).
func TestRerankAnswerProgramme(t *testing.T) {
	skipUnderRace(t)
	w := DefaultRankWeights()
	for _, tt := range []struct {
		faq, q, want string
		// byInput: the answer-only programme input is what puts the
		// right entry first (false: it also wins without it).
		byInput bool
	}{
		// Since round 8 (i16k) the glossary reads もらっとる as 受給中,
		// the right entry's question word: it wins without the input.
		{"testdata/dev6_faq.csv", "母子手当もらっとるんだけど、市内で引越すことになったでよ。市民課に届け出したらそれでええの？手当のほうも何かいるんかね", "K010", false},
		// Since round 9 the resident-question library's vote (the FAQ's
		// own questions out) puts these first without the input too.
		{"testdata/dev6_faq.csv", "母子手当 市内 引っ越し 手続き", "K010", false},
		{"testdata/city2_qa.csv", "子ども手当の手続きしたい", "5", false},
		// Round 9 had one the input decided, found by scanning every
		// development FAQ's right first answers: 「4月に隣の県から引っ越して
		// きました。前の市で児童手当もらってたんだけど、…」 (dev6) → K018 (児童手当
		// on moving in, named in its question), not K056 (named in its
		// answer only). Since round 10's refit with dev10 (ansprog's
		// weight −0.38 → −0.22) K056 takes it; the same scan over city2,
		// dev3 … dev10 and default_qa's six sets finds no right first
		// answer the input decides, so no byInput case is left.
	} {
		t.Run(tt.q, func(t *testing.T) {
			own, err := LoadFile(context.Background(), tt.faq)
			require.NoError(t, err)
			m, err := Compile(own.WithDefaults(qaOnlyWithContacts(t)), sourceOut(tt.faq))
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.Match(tt.q).Best().ID)
			// The same candidates scored with the answer's programmes
			// counted as the question's.
			best, bestScore := "", math.Inf(-1)
			for _, in := range m.RankInputs(tt.q) {
				f := slices.Clone(in.Features)
				if f[rfAnswerProgramme] == 1 {
					f[rfProgramme], f[rfAnswerProgramme] = 1, 0
				}
				var z float64
				for i := range f {
					z += w[i] * f[i]
				}
				if z > bestScore {
					best, bestScore = in.ID, z
				}
				if in.ID == tt.want {
					assert.Equal(t, 1.0, in.Features[rfProgramme], "the right entry names the programme in its question")
				}
			}
			if tt.byInput {
				assert.NotEqual(t, tt.want, best, "with the answer's programmes counted as the question's")
			}
		})
	}
}
