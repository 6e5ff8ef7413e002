package chatbot

import "math"

// Signals are the figures the matcher decides a direct answer from. They
// are meant to generalise across knowledge bases: none of them is a raw
// BM25 score, whose scale depends on the FAQ.
type Signals struct {
	// Ratio is the runner-up's BM25 score over the best candidate's (0
	// when there is no runner-up, at most 2: after re-ranking the best
	// may score lower than the runner-up): near 1, two entries compete.
	Ratio float64
	// Coverage and QuestionCoverage are the best candidate's (see
	// Candidate); SecondCoverage and SecondQuestionCoverage the runner-up's.
	Coverage, QuestionCoverage             float64
	SecondCoverage, SecondQuestionCoverage float64
	// ContentShare is the share of the query's weight that the best
	// candidate covers with terms other than hiragana-only bigrams.
	ContentShare float64
	// Programme: +1 when the query names a programme the best entry is
	// about, −1 when it names only others, 0 when it names none.
	Programme int
	// Aspect: +1 when the query asks about an aspect (いつ, いくら, どこ,
	// 対象, 申請, 必要なもの, 所得, 時間, とは) the best entry's question
	// asks about, −1 when both ask about aspects but none in common, else
	// 0 (always 0 for an entry with sample phrasings or keywords). It is
	// not among the model's inputs (with a FAQ left out it did not help
	// there); in ranking, an entry about the programme the question names
	// whose question asks the same aspect scores ×1.3.
	Aspect int
	// Mass is ln(1 + the query's IDF-weighted term mass): how much the
	// query says.
	Mass float64
	// Unknown is the share of the query's weight in terms no entry has.
	Unknown float64
	// QuestionLead is the best candidate's question-side coverage over the
	// highest question-side coverage of any entry: 1 when no entry's
	// question covers the query better.
	QuestionLead float64
	// Rarest: the best entry holds the query's rarest known content term.
	Rarest bool
	// EntryCoverage is the share of the best entry's question (IDF-weighted)
	// the query covers; SecondEntryCoverage the runner-up's.
	EntryCoverage, SecondEntryCoverage float64
	// RankShare is the re-ranker's softmax share of the best candidate
	// among the candidates it ordered (1 when it ordered none: a knowledge
	// base with sample phrasings).
	RankShare float64
	// Place is the best candidate's place in BM25 order before re-ranking
	// (0: BM25 ranked it first too).
	Place int
	// Focus is the best candidate's question-side coverage of the
	// question's last clause (its question-side coverage when the
	// question has one clause).
	Focus float64
	// ContentMissed is the share of the query's known content-term weight
	// (terms other than hiragana-only bigrams that some entry has) the best
	// entry lacks: a query whose words the entry mostly misses is less
	// likely asking it, however the other candidates fare.
	ContentMissed float64
}

// contentMissed returns the share of the known content-term weight of the
// query in sc that an entry covering content of it lacks.
func contentMissed(sc *scratch, content float64) float64 {
	var total float32
	for _, qt := range sc.q {
		if qt.content {
			total += qt.cw
		}
	}
	if total == 0 {
		return 0
	}
	return max(0, 1-content/float64(total))
}

// features returns the model inputs for s, in the order of the weights.
// The other Signals (aspects, the runner-up's question-side and entry
// coverage, Place) were tried and left out: with each development FAQ left
// out in turn they gave no more right direct answers on it
// (docs/chatbot.md).
func (s *Signals) features() [numFeatures]float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	return [numFeatures]float64{
		s.Ratio,
		s.Coverage,
		s.QuestionCoverage,
		s.ContentShare,
		b(s.Programme > 0),
		s.QuestionLead,
		b(s.Rarest),
		s.Coverage - s.QuestionCoverage,
		s.EntryCoverage,
		s.RankShare,
		s.SecondCoverage,
		s.Mass,
		s.Focus,
		s.ContentMissed,
		s.Unknown,
	}
}

const numFeatures = 15

// featureNames name features' columns in development dumps.
var featureNames = [numFeatures]string{"ratio", "cov", "qcov", "content", "prog", "qlead", "rarest", "ansonly", "ecov", "rankshare",
	"cov2", "mass", "focus", "cmiss", "unknown"}

// FeatureNames returns the names of the model's inputs, in order
// (development tools print them).
func FeatureNames() []string { return featureNames[:] }

// Features returns the model's inputs for s, in the order of FeatureNames.
func (s Signals) Features() []float64 {
	f := s.features()
	return f[:]
}

// confidenceModel is a logistic model of "the best candidate is the right
// entry" over Signals.
type confidenceModel struct {
	w    [numFeatures]float64
	bias float64
}

// defaultConfidence was fitted (L2-penalised logistic regression, each FAQ
// weighing the same) on the five development FAQs without sample
// phrasings — testdata/default_qa.csv with its six query sets,
// testdata/city2_qa.csv, dev3_faq.csv, dev4_faq.csv and dev5_faq.csv —
// after re-ranking (by the re-ranker fitted on these and dev6_faq.csv,
// which joins this fit with issue 16's round-6 confidence work), by TestDevFitConfidence in chatbot/yomi;
// TestConfidenceModelCurrent checks that it and the default threshold are
// current. The threshold was chosen on FAQs left out: each FAQ ranked by a
// re-ranker fitted without it and scored by the model fitted on the other
// four (docs/chatbot.md, "Direct answers").
var defaultConfidence = confidenceModel{
	// ratio, cov, qcov, content, prog, qlead, rarest, ansonly, ecov, rankshare,
	// cov2, mass, focus, cmiss, unknown
	w: [numFeatures]float64{-1.6088, 1.6874, 2.5377, 2.1184, 0.7345, -0.2549, 0.0413, -0.8503, 0.2919, 2.9215,
		-3.0341, 1.3841, -1.2355, -3.1764, -1.5208},
	bias: -4.2443,
}

// DefaultConfidenceWeights returns the embedded model's weights, in the
// order of FeatureNames, and its bias (development tools compare a refit
// with them).
func DefaultConfidenceWeights() ([]float64, float64) {
	w := defaultConfidence.w
	return w[:], defaultConfidence.bias
}

// prob returns the model's probability that the best candidate is right.
func (c *confidenceModel) prob(s *Signals) float64 {
	f := s.features()
	z := c.bias
	for i, x := range f {
		z += c.w[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}
