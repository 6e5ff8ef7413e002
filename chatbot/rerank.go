package chatbot

import (
	"math"
	"slices"
)

// rerankK is how many candidates the re-ranker orders: the best by BM25,
// with up to options.libInject of them replaced by entries the
// resident-question library votes for (libraryCandidates).
const rerankK = 10

// The re-ranker's inputs for one (query, candidate) pair. None is a raw
// BM25 score, whose scale depends on the knowledge base: scores enter as
// the log of the ratio to the best one.
const (
	rfLogRatio        = iota // ln(score / best score), ≤ 0
	rfCoverage               // Candidate.Coverage
	rfQuestion               // Candidate.QuestionCoverage
	rfAnswerOnly             // coverage by the answer alone
	rfContent                // coverage by terms other than hiragana-only bigrams
	rfEntry                  // share of the entry's own question the query covers
	rfFocus                  // question-side coverage of the query's last clause
	rfProgramme              // the query names a programme the entry is about
	rfOther                  // the query names programmes, the entry is about others only
	rfMore                   // the entry is about the query's programme and others besides
	rfNoProgramme            // the query names a programme, the entry is about none
	rfAspect                 // query and entry's question ask the same aspect
	rfClash                  // both ask aspects, none in common
	rfOverview               // the entry explains a programme in general, the query asks an aspect
	rfGeneral                // the query asks no aspect, the entry asks one
	rfRarest                 // the entry holds the query's rarest known content term
	rfPosition               // 1/(1 + the candidate's place in BM25 order)
	rfLength                 // ln(1 + the entry's question mass)
	rfMulti                  // the entry is about two programmes or more
	rfAnswerAspect           // the query asks an aspect the entry's answer speaks of
	rfAnswerProgramme        // the query names a programme only the entry's answer names (its question names none)
	rfLibVote                // the resident-question library's vote for the entry, as a share of the candidates' best
	rfLibBest                // the library votes for the entry most
	rfSibAgree               // the entry is about an aspect the query asks, a same-programme sibling among the candidates is not (siblingAspects)
	rfSibLose                // a same-programme sibling among the candidates is about an aspect the query asks, the entry is not
	rfAid                    // the query asks for money help or says a cost is hard, the entry's question names money help (moneyhelp.go)
	rfAidOnly                // the entry's question names money help, the query does not ask for it
	rfGroup                  // both name a single-parent family and the entry's question names money help
	// numPlainRankFeatures counts the inputs above; each comes again
	// multiplied by the question's length term (rankLong), so that a long
	// story can weigh them otherwise than a short question (round 15).
	numPlainRankFeatures
	numRankFeatures = 2 * numPlainRankFeatures
)

// rankFeatureNames name the re-ranker's inputs (development tools print
// them): the plain ones, then the same ×long.
var rankFeatureNames = func() (n [numRankFeatures]string) {
	plain := [numPlainRankFeatures]string{"lnratio", "cov", "qcov", "ansonly", "content", "ecov", "focus",
		"prog", "other", "more", "noprog", "aspect", "clash", "overview", "general", "rarest", "position", "length", "multi", "ansaspect", "ansprog", "libvote", "libbest", "sibagree", "siblose", "aid", "aidonly", "group"}
	for i, x := range plain {
		n[i], n[numPlainRankFeatures+i] = x, x+"×long"
	}
	return n
}()

// rankLong is the re-ranker's length term for a question of runes
// characters: 0 up to 20, ln(runes / 20) above (0.69 at 40, 1.39 at 80).
func rankLong(runes int) float64 {
	return max(0, math.Log(float64(runes)/20))
}

// RankFeatureNames returns the names of the re-ranker's inputs, in order.
func RankFeatureNames() []string { return rankFeatureNames[:] }

// rankModel is a linear re-ranker: a candidate's rank score is the dot
// product of its features with w. It orders the best rerankK candidates by
// BM25 when every one of them is an entry without sample phrasings or
// keywords (a FAQ as it arrives); a knowledge base with phrasings keeps
// the BM25 order it was tuned with.
type rankModel struct {
	on bool
	w  [numRankFeatures]float64
}

// defaultRanker was fitted (conditional logit over each query's best
// rerankK candidates, L2-penalised, each FAQ weighing the same) on the
// twenty-six development FAQs without sample phrasings (since round 26) —
// testdata/default_qa.csv with its six query sets, city2_qa.csv,
// dev3_faq.csv … dev26_faq.csv (in-scope
// questions only) — by TestDevFitRanker in chatbot/yomi; TestRankerCurrent
// checks it is current. Each FAQ left out in turn, weights fitted on the
// others kept or raised top-1 on the one left out (docs/chatbot.md, "Re-ranking").
// Round 15 added the ×long inputs: left out, top-1 89.8 → 90.0 % on the
// fifteen FAQs; inputs for the question's last clause (its aspect against
// the entry's, the entry covering the clause most) gave nothing and were
// not kept. Round 16 (dev16 in): left out 90.6 / 98.1 % top-1 / top-3 on
// the sixteen; counting the length term's runes on the normalised question
// (no emoji, punctuation or spaces) tied (90.2 / 98.0 either way before
// round 16's data) and was not kept.
// Round 17 (dev17 in): the candidates are BM25's best and up to two
// entries the resident-question library's vote brings in
// (libraryCandidates); left out, 90.0 / 97.7 → 90.2 / 98.3 % on the
// seventeen before round 17's data.
// Round 18 (dev18 in, the FAQ's own programme names as entities feeding
// the prog/other/noprog/ansprog inputs): left out 90.2 / 98.4 % on the
// eighteen before round 18's data.
// Round 19 (dev19 in): left out 78.2 → 90.2 % top-1, 93.8 → 98.4 % top-3
// (BM25 order → re-ranked) on the nineteen.
// Round 20 (i20b): the sibagree / siblose inputs (the candidate's aspect
// fit against its same-programme siblings', siblingAspects) and round
// 20's aspects (move, carer, father, household, repay) and words: left
// out 78.8 → 90.8 % top-1, 94.0 → 98.5 % top-3 on the nineteen (round
// 19's data and inputs: 78.4 → 90.5, 93.9 → 98.4); dev19 left out 88.6 /
// 96.9 → 89.4 / 98.0 (docs/chatbot.md, "Re-ranking", round 20). Refitted
// with dev20 in (i20a): left out 78.3 → 90.8 % top-1, 93.7 → 98.5 % top-3
// on the twenty; dev20 69.7 → 90.2 / 87.8 → 98.0 (87.4 / 96.9 blind in
// round 19); refitted again on i20b's 届出 / 家賃が払われへん fix (1630292),
// the same figures.
// Round 21 (i21b: dev21 in, round 21's words — i21a refits both models on
// the handover): dev19 / dev20 / dev21 left out 89.0 / 90.9 / 84.3 →
// 89.4 / 91.3 / 89.0 % top-1 (docs/chatbot.md, "Re-ranking", round 21).
// Round 22 (dev22 in, no ranking change: i22b's round-22 changes gained
// on dev22 alone and were not kept): dev20 / dev21 / dev22 left out 92.1
// / 89.0 / 89.0 % top-1 (docs/chatbot.md, "Re-ranking", round 22).
// Round 23 (dev23 in, no ranking change: i23b's change sets did not
// transfer to dev23 and were not kept): dev20 / dev21 / dev22 / dev23 left
// out 93.3 / 89.8 / 90.6 / 91.3 % top-1 (docs/chatbot.md, "Re-ranking",
// round 23).
// Round 24 (dev24 in, no ranking change; the benefit gate changes levels
// only): dev21 / dev22 / dev23 / dev24 left out 89.4 / 91.3 / 90.9 /
// 88.2 % top-1 (BM25 order 70.9 → 88.2 % on dev24, 87.4 → 98.4 % top-3).
// Round 25 (dev25 in, no ranking change; i25b's money-help inputs studied
// apart): dev22 / dev23 / dev24 / dev25 left out 90.6 / 90.9 / 89.4 /
// 85.8 % top-1 (BM25 order 63.8 → 85.8 % on dev25, 85.4 → 96.9 % top-3);
// over the twenty-five 76.2 / 92.5 → 90.7 / 98.4 %.
// Round 26 (dev26 in, the money-help inputs aid / aidonly / group weighted,
// moneyhelp.go): dev23 / dev24 / dev25 / dev26 left out 92.1 / 89.8 /
// 87.0 / 89.4 % top-1 (BM25 order 66.9 → 89.4 % on dev26, 90.2 → 98.4 %
// top-3); over the twenty-six 75.9 / 92.4 → 91.0 / 98.5 %.
var defaultRanker = rankModel{on: true, w: [numRankFeatures]float64{
	// lnratio, cov, qcov, ansonly, content, ecov, focus, prog, other, more, noprog, aspect, clash, overview, general, rarest, position, length, multi, ansaspect, ansprog, libvote, libbest, sibagree, siblose, aid, aidonly, group
	2.0284, 2.7971, 1.5080, 1.2891, 2.9345, -0.3593, -1.1141, 0.0925, -0.1866, -0.7853, 0.1109, 0.0201, -0.2845, 0.2644, -0.2986, 0.4545, 0.5217, -0.7229, -0.2026, 1.3780, -0.0168, 3.0469, -0.2073, 0.2770, -0.1244, 1.0172, -0.0572, 0.2965,
	// the same ×long
	-0.4828, 2.0794, 0.1907, 1.8887, 1.9140, 0.2258, 0.1252, 0.2687, -0.3759, 0.2175, -0.1449, -0.0106, 0.0988, -0.0882, -0.1562, -0.2355, -0.0704, 0.1155, -0.0100, -0.4409, 0.2520, 1.1483, -0.3465, -0.0958, -0.0772, 0.0752, 0.2897, 0.8911,
}}

// DefaultRankWeights returns the embedded re-ranker's weights, in the order
// of RankFeatureNames (development tools compare a refit with them).
func DefaultRankWeights() []float64 {
	w := defaultRanker.w
	return w[:]
}

// WithRanker sets the re-ranker's weights, in the order of
// RankFeatureNames; WithRanker(nil) turns re-ranking off (BM25 order).
// For development tools that fit or ablate it.
func WithRanker(w []float64) Option {
	return func(o *options) {
		o.ranker = rankModel{on: w != nil}
		copy(o.ranker.w[:], w)
	}
}

// score returns the rank score of features f.
func (r *rankModel) score(f *[numRankFeatures]float64) float64 {
	var z float64
	for i, x := range f {
		z += r.w[i] * x
	}
	return z
}

// progRelation is how an entry stands to the programmes a question
// names.
type progRelation uint8

const (
	progUnnamed  progRelation = iota // the question names no programme
	progNone                         // the entry is about no programme
	progOther                        // the entry is about other programmes only
	progByAnswer                     // about one the question names, by its answer alone
	progNamed                        // about one the question names, by its question
)

// progRelation returns how entry d stands to the programmes named in the
// query of sc (the re-ranker's prog/other/noprog/ansprog inputs and
// Signals.ProgrammeEntries).
func (m *Matcher) progRelation(sc *scratch, d int32) progRelation {
	ep := m.entryProg[d]
	switch {
	case len(sc.qprog) == 0:
		return progUnnamed
	case len(ep) == 0:
		return progNone
	}
	switch relateTable(sc.prel, ep) {
	case relNone:
		return progNone
	case relOther:
		return progOther
	}
	if m.progFromAnswer[d] {
		return progByAnswer
	}
	return progNamed
}

// rankFeatures fills f for candidate c of the query in sc, whose best BM25
// score is top and whose weighted term mass is total.
func (m *Matcher) rankFeatures(f *[numRankFeatures]float64, sc *scratch, c *Candidate, place int, top, total float32, qa aspect, rare int32) {
	d := c.doc
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	*f = [numRankFeatures]float64{}
	if top > 0 && c.Score > 0 {
		f[rfLogRatio] = max(-5, math.Log(c.Score/float64(top)))
	} else {
		f[rfLogRatio] = -5
	}
	f[rfCoverage] = c.Coverage
	f[rfQuestion] = c.QuestionCoverage
	f[rfAnswerOnly] = c.Coverage - c.QuestionCoverage
	f[rfContent] = c.content / float64(total)
	f[rfEntry] = m.entryCoverage(sc, d)
	if sc.ftotal > 0 {
		f[rfFocus] = float64(sc.acc[d].fcov / sc.ftotal)
	} else {
		f[rfFocus] = c.QuestionCoverage
	}
	ep := m.entryProg[d]
	switch m.progRelation(sc, d) {
	case progNone:
		f[rfNoProgramme] = 1
	case progOther:
		f[rfOther] = 1
	case progByAnswer:
		f[rfAnswerProgramme] = 1
	case progNamed:
		f[rfProgramme] = 1
		f[rfMore] = b(len(ep) > len(sc.qprog))
	}
	f[rfMulti] = b(len(ep) > 1)
	ea := m.entryAspect[d]
	switch {
	case qa&specificAspects != 0 && ea&qa&specificAspects != 0:
		f[rfAspect] = 1
	case qa&specificAspects != 0 && ea&specificAspects != 0:
		f[rfClash] = 1
	case qa&specificAspects != 0:
		f[rfOverview] = 1
	case ea&specificAspects != 0:
		f[rfGeneral] = 1
	}
	f[rfAnswerAspect] = b(qa&specificAspects&m.answerAspect[d] != 0)
	f[rfPosition] = 1 / float64(1+place)
	if top := slices.Max(sc.votes); top > 0 {
		f[rfLibVote] = sc.votes[place] / top
		f[rfLibBest] = b(sc.votes[place] == top)
	}
	if place < len(sc.sib) {
		switch sc.sib[place] {
		case 1:
			f[rfSibAgree] = 1
		case -1:
			f[rfSibLose] = 1
		}
	}
	f[rfAid], f[rfAidOnly], f[rfGroup] = moneyInputs(sc.qmoney, m.entryMoney[d])
	f[rfLength] = math.Log1p(float64(m.questionMass[d]))
	if rare >= 0 {
		for _, p := range m.postings[rare] {
			if int32(p.doc&^questionBit) == d {
				f[rfRarest] = 1
				break
			}
		}
	}
	for i := range numPlainRankFeatures {
		f[numPlainRankFeatures+i] = f[i] * sc.long
	}
}

// rerank orders cs (the best BM25 candidates, best first) by the
// re-ranker when every one is an entry without phrasings, setting each
// candidate's rank score; it reports whether it did.
func (m *Matcher) rerank(cs []Candidate, sc *scratch, total float32, qa aspect, rare int32) bool {
	r := &m.opts.ranker
	if !r.on || len(cs) < 2 || !allPlain(m, cs) {
		return false
	}
	top := float32(cs[0].Score)
	var f [numRankFeatures]float64
	for i := range cs {
		cs[i].place = int32(i)
		m.rankFeatures(&f, sc, &cs[i], i, top, total, qa, rare)
		cs[i].rank = r.score(&f)
	}
	// Insertion sort: stable, allocation-free, rerankK elements.
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].rank > cs[j-1].rank; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return true
}
