package chatbot

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Level is how sure the matcher is, and so what the chat does.
type Level int

const (
	// Handoff: nothing matched well enough; hand off to a human desk with its
	// phone number and opening hours. It is the zero value: a matcher that
	// knows nothing hands off.
	Handoff Level = iota
	// Suggest: offer the top candidate questions (「もしかして」).
	Suggest
	// Answer: answer with the best entry.
	Answer
)

func (l Level) String() string {
	switch l {
	case Answer:
		return "answer"
	case Suggest:
		return "suggest"
	case Handoff:
		return "handoff"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Thresholds decide the Level from the best candidate's coverage (the share
// of the query's IDF-weighted terms that the entry contains, 0–1) and its
// lead over the second candidate. Tune them per deployment with
// `onestop faq eval` on real, anonymised questions.
type Thresholds struct {
	// Answer is the least coverage for a direct answer.
	Answer float64
	// Suggest is the least coverage for offering candidates; below it the
	// chat hands off.
	Suggest float64
	// Margin: to answer directly, the second candidate's score must be at
	// most (1 − Margin) × the best score, or the best must cover the query
	// at least Clear.
	Margin float64
	// Clear is the coverage at which the best entry is answered even when the
	// second scores close to it — provided the second covers the query less
	// than Clear (two entries that both contain the whole question are
	// offered as a choice).
	Clear float64
	// Evidence is the least IDF-weighted sum of matched query terms for any
	// answer or suggestion: a message like 「はい」 or 「テスト」 covers some
	// entry completely but rests on almost nothing.
	Evidence float64
	// ContentEvidence is the least Evidence from terms other than
	// hiragana-only bigrams for a direct answer: a question that meets an
	// entry only in particles and endings (「きょうの てんき は」) is not
	// answered, however rare those kana pairs are.
	ContentEvidence float64
	// QuestionSide and Lead: to answer directly, the best entry's
	// question side (question, phrasings, keywords — not the answer) must
	// cover the question at least QuestionSide, or cover some of it while
	// the second scores at most Lead × the best. An entry found mostly
	// through its answer text, with a close runner-up, is offered as a
	// choice; one found only through its answer text is never answered
	// directly (「犬の登録」 is not answered with an entry whose answer says
	// 「各園に登録してください」). Measured on the
	// QA-only development knowledge base this halves wrong direct answers
	// (3.0 % → 1.4 %) for 5 points of direct answers, and changes nothing
	// on a knowledge base with sample phrasings. Zero turns it off.
	QuestionSide, Lead float64
	// Confidence is the least calibrated probability that the best
	// candidate is right (Result.Confidence) for a direct answer; the
	// floors above (Evidence, ContentEvidence, Suggest, some question-side
	// coverage) still apply. Zero uses the coverage and margin rule of
	// Answer, Margin, Clear, QuestionSide and Lead instead. Entries with
	// sample phrasings or keywords always use that rule.
	//
	// Since round 23 the default is chosen on the development FAQs left
	// out to make the most of them meet the three targets at once
	// — direct and correct ≥ 60 %, wrong ≤ 2 %, out-of-scope rejection ≥
	// 90 % — while the FAQs' mean wrong share stays within 1 %, no FAQ
	// goes above 3 % wrong and none below 85 % rejection, raised by a
	// margin of 0.005 (the lead's pre-registered rule P2; docs/chatbot.md,
	// "Round 23"). Round 23 (twenty-three FAQs): 0.83, Confirm 0.73;
	// nested (FAQs whose thresholds were chosen without them) 10 of 23
	// meet all three targets (0 under the rule before), 59.1 % right on
	// average, 0.93 % wrong (1.07 % counted by question), 93.5 %
	// rejection. Round 24 (dev24 in, the benefit gate inside the fit's
	// tally): 0.82, Confirm 0.72; nested 10 of 24, 60.8 % right, 0.96 %
	// wrong (1.11 % by question), 93.3 % rejection; dev14 answers 2.8 %
	// and dev9 2.0 % wrongly, and four FAQs reject 86.7–89.7 % of
	// out-of-scope questions. Round 25 (dev25 in): 0.835, Confirm 0.705;
	// nested 10 of 25, 59.6 % right, 0.96 % wrong (1.06 % by question),
	// 93.7 % rejection; dev9 and dev24 answer 2.4 % wrongly, and two FAQs
	// reject 88.3 and 89.7 % of out-of-scope questions. Round 26 (dev26
	// and the re-ranker's money-help inputs in, the personal-case phrases
	// in the tally): 0.84, Confirm 0.74; nested 12 of 26, 59.0 % right,
	// 0.98 % wrong (1.08 % by question), 93.8 % rejection; dev24 answers
	// 2.4 % and dev9 2.0 % wrongly, and two FAQs reject 88.3 and 89.7 % of
	// out-of-scope questions.
	// Until round 22 the worst FAQ set the bar for all (the rule below,
	// at Confirm): a municipality that wants that stricter promise raises
	// the bar (WithBar, `onestop faq eval --confidence`) or calibrates it
	// on its own questions (Calibrate).
	Confidence float64
	// Confirm is the least calibrated probability at which an entry
	// without phrasings that the coverage rule would answer is answered
	// (0 keeps every such answer). From round 8 to round 11 it was
	// Confidence − 0.13; since round 12 the offset (0.13, 0.10, 0.05 or 0)
	// is chosen with Confidence, and the fit chose 0: one threshold, no
	// confirmation path. Confidence was chosen on FAQs left out (the most
	// right direct answers with every FAQ left out within 1.75 % wrong —
	// 1.5 % until round 18 — or one question, and 90 % rejection), raised
	// by a margin when a FAQ
	// whose thresholds were chosen without it would keep 90 % rejection
	// with no question to spare (round 9, with the resident-question
	// library: nine FAQs, dev3 … dev8 with some 120 out-of-scope questions
	// each; nested every FAQ ≥ 90.8 %, margin 0; round 10, dev10 in: ten
	// FAQs, nested every FAQ ≥ 92.5 %, dev10 one question to spare,
	// margin 0; round 10's second stage, LibraryReach in and dev9 and
	// dev10 with 80 more out-of-scope questions each: every FAQ ≥ 92.5 %
	// nested, margin 0; round 11, dev11 and LibraryVoteDiff in: every FAQ
	// ≥ 93.7 % nested, four questions to spare, margin 0; round 12, dev12
	// and WordGap in and the offset chosen too: every FAQ ≥ 91.8 % nested,
	// dev7 and dev8 two questions to spare, margin 0; round 13, dev13 in:
	// the fit chooses 0.91 / 0.78 (offset 0.13) and, without dev13, one
	// threshold of 0.89 that leaves dev13 at 89.7 % rejection nested, so
	// the margin is 0.015: 0.925 / 0.795, every FAQ ≥ 92.1 % nested;
	// with i16z's other services, personal phrases and need words the
	// fit chooses 0.905 / 0.775, margin 0.015: 0.920 / 0.790, every FAQ
	// ≥ 93.5 % nested — there dev7 keeps two questions to spare at no
	// margin; with the unreach input the fit chooses 0.88 / 0.83 (offset
	// 0.05), every FAQ ≥ 91.0 % nested, dev8 one question to spare:
	// margin 0; round 14, dev14 and i16ac's data in: the fit chooses
	// 0.91 / 0.78 (offset 0.13) — dev14's wrong answers bind below it —
	// every FAQ ≥ 94.2 % nested, dev6 five questions to spare: margin 0;
	// round 15, dev15 in and i16ae's data: 0.885 / 0.835 (offset 0.05),
	// every FAQ ≥ 93.3 % nested, dev6 four questions to spare: margin 0;
	// round 16, dev16 in and i16ag's data: 0.87 / 0.82 (offset 0.05),
	// every FAQ ≥ 91.7 % nested, dev6 two questions to spare: margin 0;
	// round 17, dev17, the library's candidates and i17b's data in: 0.91
	// / 0.78 (offset 0.13) — dev14's wrong answers bind below it — every
	// FAQ ≥ 94.2 % nested, dev14 five questions to spare: margin 0; round
	// 18, dev18, i18b's data and the rankmargin and long inputs in: 0.90
	// / 0.77 (offset 0.13), every FAQ ≥ 94.2 % nested, dev14 five
	// questions to spare: margin 0; round 19, dev19 and i19b's data in,
	// the per-FAQ bound 1.75 %: the fit chooses 0.865 / 0.735, where a
	// FAQ whose thresholds were chosen without it reaches 2.0 % wrong, so
	// the margin is 0.005: 0.87 / 0.74, nested 54.5 % right, 0.75 % wrong,
	// worst FAQ 1.6 % wrong, every FAQ ≥ 90.8 % rejection — against 50.1 %
	// right within 1.5 % at 0.895 / 0.765; docs/chatbot.md, "Round 19";
	// round 20, dev20 and i20b's sibling aspects in: 0.875 / 0.745 with the
	// margin 0.005, nested 54.1 % right, 0.62 % wrong, worst FAQ 1.6 %,
	// every FAQ ≥ 92.5 % rejection; "Round 20"; round 21, dev21 and
	// i21b's words in, Long no longer an input: 0.875 / 0.745 with the
	// margin 0.005, nested 53.4 % right, 0.65 % wrong, worst FAQ 1.6 %,
	// every FAQ ≥ 90.5 % rejection; "Round 21"; round 22, dev22 in,
	// rankmargin no longer an input: 0.885 / 0.755 with the margin 0.005,
	// nested 51.3 % right, 0.59 % wrong, worst FAQ 1.6 %, every FAQ ≥
	// 90.5 % rejection; "Round 22"). Round 23, dev23 in: that rule chose
	// 0.90 / 0.77 and a FAQ whose thresholds were chosen without it, dev9,
	// then answered 2.03 % wrongly (48.6 % right nested, no FAQ meeting
	// all three targets); since then Confidence's rule above chooses both
	// (offset 0.10).
	Confirm float64
	// AspectRaise is added to Confidence and Confirm when the question
	// asks a specific aspect (いつ, いくら, 対象, 申請 …) that the best
	// entry's question or answer speaks of (Signals.AspectAnswered > 0):
	// the most confident wrong answers are sibling entries of one
	// programme that speak of the aspect asked (所得制限 for 「祖父母と同居
	// してると母子手当もらえない？」), so the fit chooses the bar for
	// those questions apart from the others' (zero: one bar for every
	// question). It lies in [−1, 1]. The default is 0: on round 14's and
	// round 15's final data the bar chosen apart left dev14, nested, at
	// 3.5 % and 2.8 % wrong, though it had won on the dumps before each
	// (docs/chatbot.md, rounds 14 and 15).
	AspectRaise float64
}

// DefaultThresholds returns the thresholds Compile uses unless told
// otherwise. They were tuned on the development query set shipped in
// testdata (never on the held-out set); see docs/chatbot.md.
func DefaultThresholds() Thresholds {
	return Thresholds{Answer: 0.5, Suggest: 0.35, Margin: 0.1, Clear: 0.8, Evidence: 3, ContentEvidence: 2, QuestionSide: 0.35, Lead: 0.6,
		Confidence: 0.84, Confirm: 0.74, AspectRaise: 0}
}

// WithBar returns t with the bar for direct answers moved to c: Confidence
// c and Confirm below it by t's own offset (Confidence − Confirm; 0.13 in
// the shipped thresholds since round 17, 0.05 in rounds 15–16), not below
// 0. It is the bar `onestop faq
// calibrate` tries and `--confidence` sets; everything else in t is kept.
func (t Thresholds) WithBar(c float64) Thresholds {
	offset := max(0, t.Confidence-t.Confirm)
	t.Confidence, t.Confirm = c, max(0, c-offset)
	return t
}

func (t Thresholds) validate() error {
	ok := func(x float64) bool { return x >= 0 && x <= 1 }
	if !ok(t.Answer) || !ok(t.Suggest) || !ok(t.Margin) || !ok(t.Clear) || t.Suggest > t.Answer || t.Evidence < 0 || t.ContentEvidence < 0 || !ok(t.QuestionSide) || t.Lead < 0 || !ok(t.Confidence) || !ok(t.Confirm) ||
		t.AspectRaise < -1 || t.AspectRaise > 1 {
		return fmt.Errorf("chatbot: thresholds must lie in [0,1] with Suggest ≤ Answer, and AspectRaise in [-1,1]: %+v", t)
	}
	return nil
}

// Candidate is one ranked entry.
type Candidate struct {
	Entry *Entry
	// Score is the BM25 score (question side plus weighted answer).
	Score float64
	// Coverage is the share (0–1) of the query's weighted terms the entry has.
	Coverage float64
	// Evidence is the IDF-weighted sum of the query terms the entry has
	// (Coverage's numerator): how much the match rests on.
	Evidence float64
	// QuestionCoverage is Coverage counting only the entry's question side
	// (question, phrasings, keywords), not its answer.
	QuestionCoverage float64
	doc              int32   // the entry's index in the matcher
	content          float64 // Evidence from terms other than hiragana-only bigrams
	rank             float64 // the re-ranker's score (see rerank)
	place            int32   // the place in BM25 order, 0 first
	injected         bool    // brought in by the library's vote (libraryCandidates; cleared after)
}

// Result is what the matcher found for one message.
type Result struct {
	Level Level
	// Candidates are ranked best first; empty when nothing matched at all.
	Candidates []Candidate
	// Danger is true when a danger keyword occurred: show the emergency
	// contacts first, whatever Level says.
	Danger bool
	// Personal is true when the message asks about the resident's own
	// case (「私の申請どうなってる？」「振込を確認してもらえますか」),
	// which no FAQ answers: Level is then Handoff, and the candidates only
	// say which desk to point to (see personal.go).
	Personal bool
	// Human is true when the message asks for a person instead of the
	// chat, or whether the chat is one (「職員と話したい」「あなたはAIです
	// か？」): Level is then Handoff, as the Session's reply to such a
	// request is, and the candidates are those of the rest of the message
	// (「養育費のことを職員に相談したい」: 養育費), which only say which
	// desk to point to (see humanRest).
	Human bool
	// Confidence is the calibrated probability (0–1) that the best
	// candidate is the entry the resident asks for; Signals are what it
	// was computed from.
	Confidence float64
	Signals    Signals
}

// Best returns the best candidate's entry, or nil.
func (r Result) Best() *Entry {
	if len(r.Candidates) == 0 {
		return nil
	}
	return r.Candidates[0].Entry
}

// aspectBoost multiplies the score of an entry about a programme the
// question names whose question asks about an aspect the question asks
// about (when, how much, where, …). Measured on the three development FAQs
// without phrasings: ×1.3 gave dev3 +1.1 points of top-1 and MRR
// .820 → .826, the default's QA-only sets −0.3 to +0.4, city2 no change;
// a boost for the aspect alone, without the programme, lost top-1 on
// every FAQ.
const aspectBoost = 1.3

// morePenalty multiplies the score of an entry without phrasings about
// the programmes the question names and others besides. Measured on the
// three development FAQs: ×0.9 gave dev3 +1.4 points of top-1 (MRR .826 →
// .834), heldout3 of the QA-only default −0.4, the other sets no change
// or better; ×0.8 less.
const morePenalty = 0.9

// lastSentenceBoost multiplies the weight of the terms of a long message's
// last sentence.
const lastSentenceBoost = 1.5

// lastSentenceStart returns the byte offset in q of the sentence boundary
// (one of 。？！?! or a line break) before the last sentence of a message of
// several sentences, or -1 for a message of one sentence or a last sentence
// too short (under six characters) to carry a question on its own.
func lastSentenceStart(q string) int {
	q = strings.TrimRight(q, " \t\r\n。？！?!．.")
	i := strings.LastIndexAny(q, "。？！?!\n")
	if i < 0 {
		return -1
	}
	_, size := utf8.DecodeRuneInString(q[i:])
	if utf8.RuneCountInString(strings.TrimSpace(q[i+size:])) < 6 {
		return -1
	}
	return i
}

// lastClauseStart returns the byte offset in q of the boundary (a sentence
// end, a line break or a comma 、,) before the last clause, or -1 when there
// is none or the last clause is under four characters. The last clause of a
// long question usually carries the ask (「…なんやけど、児童手当ってどこから
// もらうん」).
func lastClauseStart(q string) int {
	q = strings.TrimRight(q, " \t\r\n。？！?!．.、,，")
	i := strings.LastIndexAny(q, "。？！?!\n、,，")
	if i < 0 {
		return -1
	}
	_, size := utf8.DecodeRuneInString(q[i:])
	if utf8.RuneCountInString(strings.TrimSpace(q[i+size:])) < 4 {
		return -1
	}
	return i
}

// maxQueryBytes bounds the work one message can cause; the rest of a very
// long message is ignored for matching.
const maxQueryBytes = 4096

type qterm struct {
	id int32
	w  float32 // kind weight
	cw float32 // coverage weight: idf × kind weight, 0 for a word an also rule added
	// content: not a hiragana-only bigram (particles and endings)
	content bool
	// focus: the term occurs in the query's last clause
	focus bool
}

// scratch is the per-call working memory, pooled so that matching allocates
// little.
type scratch struct {
	nz     normalizer
	b0     []byte // the normalised message with romaji read as kana
	kata0  []uint8
	b1, b2 []byte
	kata2  []uint8
	spans  []span
	q      []qterm
	tmark  []uint32 // by term: generation in which the term was seen
	lmark  []uint32 // by term: generation in which the term was seen in the last sentence
	fmark  []uint32 // by term: generation in which the term was seen in the last clause
	// acc is, by doc, what the query's postings added up: one record per
	// doc, so that a posting touches one place in memory (the postings
	// loop is most of a match's time).
	acc     []docAcc
	ftotal  float32 // the last clause's weight (0: no last clause)
	long    float64 // the re-ranker's length term of the query (rankLong)
	cands   []Candidate
	touched []int32
	gen     uint32
	qprog   []uint16 // programmes the query names
	prel    []uint8  // by programme: its class against qprog (programmeSet.relTable)
	// undecided: the programmes of the ambiguous names the query uses
	// without details that decide which it means (ambiguities.resolve).
	undecided []uint16
	aspans    []entitySpan // where the query uses ambiguous names
	ents      []entitySpan // where the query names them
	others    []entitySpan // the other services the query names (Glossary.OtherServices)
	bens      []entitySpan // the benefits the query names (Glossary.Benefits; uncoveredBenefit)
	// otherForeign: the query asks about an other service the knowledge
	// base has no entry for (Signals.Foreign 2).
	otherForeign bool
	lib          Result    // the resident-question library's match: its hits, each an entry and its score (hitsOnly)
	votes        []float64 // by candidate: the library's vote
	qmoney       moneyBits // what the money-help inputs read of the query (moneyhelp.go)
	sib          []int8    // by candidate: its aspect against its same-programme siblings' (siblingAspects)
	fit          []int16   // by candidate: aspectFit (siblingAspects)
	libW         []float64 // by library hit (lib.Candidates): its weight in the vote and in LibraryReach
	libMass      float64   // Σ libW
	lvotes       []docVote // the library's vote by entry (libraryCandidates)
	lvmark       []uint32  // by doc: generation in which the doc got a place in lvotes
	lvpos        []int32   // by doc: its place in lvotes (when lvmark is this generation)
	word         []byte    // one word of the question (wordGap)
}

// docAcc is one doc's sums for the query being matched.
type docAcc struct {
	score   float32
	cov     float32
	qcov    float32 // coverage by the question side alone
	content float32 // coverage by terms other than hiragana-only bigrams
	fcov    float32 // coverage of the last clause by the question side
	mark    uint32  // generation in which the doc was touched
}

func newScratch(docs int) *scratch {
	return &scratch{
		acc:    make([]docAcc, docs),
		lvmark: make([]uint32, docs),
		lvpos:  make([]int32, docs),
	}
}

// Match ranks the entries for a message and decides the Level, returning
// up to three candidates.
func (m *Matcher) Match(query string) Result {
	var r Result
	m.MatchInto(&r, query, 3)
	return r
}

// MatchInto is Match for the hot path: it fills r, reusing r.Candidates'
// storage, with up to n candidates.
func (m *Matcher) MatchInto(r *Result, query string, n int) {
	m.matchInto(r, query, n, nil)
}

// RankInput is one candidate as the re-ranker sees it, for development
// tools that fit it: the entry's ID and the features in the order of
// RankFeatureNames.
type RankInput struct {
	ID       string
	Features []float64
}

// RankInputs returns the re-ranker's inputs for the best candidates of
// query in BM25 order (before re-ranking), whether or not the re-ranker
// would order them (it orders only entries without phrasings). It
// allocates; it is meant for fitting, not for the chat.
func (m *Matcher) RankInputs(query string) []RankInput {
	var r Result
	var in []RankInput
	m.matchInto(&r, query, rerankK, &in)
	return in
}

func (m *Matcher) matchInto(r *Result, query string, n int, inputs *[]RankInput) {
	r.Candidates = r.Candidates[:0]
	r.Level = Handoff
	r.Danger, r.Personal, r.Human = false, false, false
	r.Confidence, r.Signals = 0, Signals{}
	if n <= 0 {
		n = 1
	}
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	if len(query) > maxQueryBytes {
		query = query[:maxQueryBytes]
	}
	sc.long = rankLong(utf8.RuneCountInString(query))
	sc.gen++
	if sc.gen == 0 { // wrapped: clear marks
		clear(sc.tmark)
		clear(sc.lmark)
		clear(sc.fmark)
		for i := range sc.acc {
			sc.acc[i].mark = 0
		}
		clear(sc.lvmark)
		sc.gen = 1
	}
	if len(sc.tmark) < len(m.kind) {
		sc.tmark = make([]uint32, len(m.kind))
		sc.lmark = make([]uint32, len(m.kind))
		sc.fmark = make([]uint32, len(m.kind))
	}
	gen := sc.gen
	// A long message usually describes the situation first and asks last:
	// the terms of its last sentence weigh more (lastSentenceBoost). The
	// message is normalised and rewritten in two parts, split at the
	// boundary, so that the last sentence's terms are those from lastCut on.
	// The last clause (after the last sentence end or comma) is the
	// focus the re-ranker reads; the message is normalised in three parts.
	si, ci := lastSentenceStart(query), lastClauseStart(query)
	p1 := max(si, 0)
	p2 := max(ci, p1)
	sc.b1 = sc.nz.normalize(sc.b1[:0], query[:p1])
	cut1 := len(sc.b1)
	sc.b1 = sc.nz.normalize(sc.b1, query[p1:p2])
	cut2 := len(sc.b1)
	sc.b1 = sc.nz.normalize(sc.b1, query[p2:])
	if !m.library {
		// The library's own matcher gives candidates only: the caller's
		// matcher checks the question for danger and its own case.
		r.Danger = m.dangerIn(sc.b1)
		r.Personal = personalIn(sc.b1)
		if inputs == nil && humanIn(sc.b1) {
			// A request for a person is no FAQ question: the rest of the
			// message (without the words asking for a person, which say
			// nothing of the need — 職員 would match an entry about 公務員)
			// says which desk.
			danger := r.Danger
			m.matchInto(r, humanRest(string(sc.b1)), n, nil)
			r.Danger = r.Danger || danger
			r.Human, r.Personal, r.Level = true, false, Handoff
			return
		}
	}
	src, srcK := sc.b1, sc.nz.kata
	if len(m.romaji.words) > 0 && hasLatin(sc.b1) {
		// Romaji read as the knowledge base's kana words, each part on its
		// own so that the cuts hold.
		sc.b0, sc.kata0 = m.romaji.rewrite(sc.b0[:0], sc.kata0[:0], sc.b1[:cut1], sc.nz.kata[:cut1])
		c1 := len(sc.b0)
		sc.b0, sc.kata0 = m.romaji.rewrite(sc.b0, sc.kata0, sc.b1[cut1:cut2], sc.nz.kata[cut1:cut2])
		c2 := len(sc.b0)
		sc.b0, sc.kata0 = m.romaji.rewrite(sc.b0, sc.kata0, sc.b1[cut2:], sc.nz.kata[cut2:])
		src, srcK, cut1, cut2 = sc.b0, sc.kata0, c1, c2
	}
	sc.b2, sc.kata2 = m.aliases.applyMarked(sc.b2[:0], sc.kata2[:0], src[:cut1], srcK[:cut1])
	lastCut := len(sc.b2)
	sc.b2, sc.kata2 = m.aliases.applyMarked(sc.b2, sc.kata2, src[cut1:cut2], srcK[cut1:cut2])
	focusCut := len(sc.b2)
	sc.b2, sc.kata2 = m.aliases.applyMarked(sc.b2, sc.kata2, src[cut2:], srcK[cut2:])
	sc.spans = appendTerms(sc.spans[:0], sc.b2, sc.kata2)
	if m.anyPlain {
		sc.spans = appendNumberTerms(sc.spans, sc.b2, sc.kata2)
	}
	sc.ents = m.programmes.spans(sc.ents[:0], sc.b2)
	sc.qprog = sc.qprog[:0]
	negated := false
	for _, e := range sc.ents {
		negated = negated || e.negated
		if !e.negated && !slices.Contains(sc.qprog, e.idx) {
			sc.qprog = append(sc.qprog, e.idx)
		}
	}
	// An ambiguous name (「子どもの手当」) names the programme its
	// details decide, or leaves the question undecided between them.
	sc.qprog, sc.undecided, sc.aspans = m.ambig.resolve(sc.b2, sc.b1, sc.qprog, sc.undecided[:0], sc.aspans)
	if len(sc.qprog) > 0 {
		// How an entry about each programme stands to the question's,
		// read once here rather than per candidate (entryRel).
		sc.prel = m.programmes.relTable(sc.prel, sc.qprog)
	}
	// A glossary's other service (失業保険, 障害者手帳 …), in the
	// resident's own words (not added by an also rule: 「捨てたい」 +
	// 粗大ごみ is no question about 粗大ごみ), that the knowledge base
	// names nowhere is one it cannot answer; one it names only in answers
	// has no entry of its own, and is asked about unless the question
	// also names a programme that entries are about (「遺族年金をもらって
	// いても児童扶養手当は出ますか」 asks about 児童扶養手当).
	sc.otherForeign = false
	sc.others = sc.others[:0]
	if !m.library {
		// Like the danger and personal-case checks, only the caller's
		// matcher reads this: the library's gives candidates only.
		sc.others = m.others.spans(sc.others, sc.b2)
	}
	if len(sc.others) > 0 {
		known := false
		for _, p := range sc.qprog {
			known = known || m.progNamed[p]&namedQuestion != 0
		}
		if !known {
			known = allowanceOutside(sc.b2, sc.others)
		}
		for _, e := range sc.others {
			if e.negated || addedAt(sc.kata2, int(e.start)) {
				continue
			}
			if n := m.otherNamed[e.idx]; n == 0 || n&namedQuestion == 0 && !known {
				sc.otherForeign = true
				break
			}
		}
	}
	if si >= 0 || ci >= 0 {
		for _, sp := range sc.spans {
			if int(sp.start) < lastCut {
				continue
			}
			if id, ok := m.terms[string(sc.b2[sp.start:sp.end])]; ok {
				if si >= 0 {
					sc.lmark[id] = gen
				}
				if ci >= 0 && int(sp.start) >= focusCut {
					sc.fmark[id] = gen
				}
			}
		}
	}
	sc.ftotal = 0
	sc.q = sc.q[:0]
	var total, unknown float32
	rare, rareIDF := int32(-1), float32(0)
	for _, sp := range sc.spans {
		if negated && inNegated(sc.ents, sp) {
			// The words of a programme the resident says they do not
			// mean do not vote for its entries.
			continue
		}
		kw := m.opts.kindWeight[sp.kind]
		id, ok := m.terms[string(sc.b2[sp.start:sp.end])]
		if !ok {
			if !sp.added {
				total += m.unknownIDF * kw
				unknown += m.unknownIDF * kw
			}
			continue
		}
		if sc.tmark[id] == gen {
			continue
		}
		sc.tmark[id] = gen
		if sc.lmark[id] == gen {
			kw *= lastSentenceBoost
		}
		qt := qterm{id: id, w: kw, cw: m.idf[id] * kw, content: sp.kind != kindKana, focus: sc.fmark[id] == gen}
		if sp.added {
			qt.cw = 0
		}
		if qt.focus {
			sc.ftotal += qt.cw
		}
		if qt.content && qt.cw > 0 && m.idf[id] > rareIDF {
			rare, rareIDF = id, m.idf[id]
		}
		sc.q = append(sc.q, qt)
		total += qt.cw
	}
	if len(sc.q) == 0 || total == 0 {
		return
	}

	sc.touched = sc.touched[:0]
	// The library's own matcher (of entries that all have phrasings: none
	// is re-ranked) is asked for its hits only, each an entry and its
	// score (libraryHits): it sums the scores alone, reads no aspects and
	// fills no signals — the same hits in the same order, at about half a
	// posting's cost, on about half of a match's postings.
	hitsOnly := m.library && !m.anyPlain
	if hitsOnly {
		for _, qt := range sc.q {
			for _, p := range m.postings[qt.id] {
				d := int32(p.doc &^ questionBit)
				a := &sc.acc[d]
				if a.mark != gen {
					*a = docAcc{mark: gen}
					sc.touched = append(sc.touched, d)
				}
				a.score += qt.w * p.w
			}
		}
	} else {
		for _, qt := range sc.q {
			// Without branches on the posting: whether the question side
			// holds the term varies from one posting to the next and is
			// mispredicted often, so its share is added as cw × 0 or cw × 1,
			// as the focus and content shares are (x + 0 and cw × 1 are
			// exact: the sums are the same to the bit).
			cw, cwFocus, cwContent := qt.cw, float32(0), float32(0)
			if qt.focus {
				cwFocus = cw
			}
			if qt.content {
				cwContent = cw
			}
			for _, p := range m.postings[qt.id] {
				d := int32(p.doc &^ questionBit)
				q := float32(p.doc >> 31) // 1 when questionBit is set
				a := &sc.acc[d]
				if a.mark != gen {
					*a = docAcc{mark: gen}
					sc.touched = append(sc.touched, d)
				}
				a.score += qt.w * p.w
				a.cov += cw
				a.qcov += cw * q
				a.fcov += cwFocus * q
				a.content += cwContent
			}
		}
	}

	// Keep the k best (insertion into a short sorted list), at least two:
	// the runner-up decides the confidence; rerankK for the re-ranker.
	k := max(n, 2)
	if m.opts.ranker.on && m.anyPlain || inputs != nil {
		k = max(k, rerankK)
	}
	cs := sc.cands[:0]
	var qa aspect // candidateScore reads it for entries without phrasings only
	if !hitsOnly {
		qa = queryAspects(sc.b1, sc.b2)
	}
	var maxQcov float32
	// candidateScore multiplies a doc's sum by at most maxMul (the
	// programme penalty or the aspect boost; the boost times morePenalty
	// is less than the boost, and float32 rounding is monotone): a doc
	// whose positive sum times maxMul is below the k-th score cannot
	// enter, and is not scored.
	maxMul := max(1, m.opts.programmePenalty, aspectBoost)
	for _, d := range sc.touched {
		a := &sc.acc[d]
		if q := a.qcov; q > maxQcov {
			// Not max(): the sums are never NaN nor negative, and the
			// comparison costs a third of its instructions.
			maxQcov = q
		}
		if len(cs) == k && a.score > 0 && a.score*maxMul < float32(cs[k-1].Score) {
			continue
		}
		s := m.candidateScore(sc, d, qa)
		if len(cs) == k && (s < float32(cs[k-1].Score) || s == float32(cs[k-1].Score) && !earlier(m.entries[d], cs[k-1].Entry)) {
			// Ties at the cut are broken by file order, as in better:
			// postings are visited in no fixed order.
			continue
		}
		c := m.candidate(sc, d, s, total)
		if len(cs) < k {
			cs = append(cs, c)
		} else {
			cs[k-1] = c
		}
		for i := len(cs) - 1; i > 0 && better(cs[i], cs[i-1]); i-- {
			cs[i], cs[i-1] = cs[i-1], cs[i]
		}
	}
	if hitsOnly {
		sc.cands = cs
		r.Candidates = append(r.Candidates, cs[:min(n, len(cs))]...)
		return
	}
	sc.votes = slices.Grow(sc.votes[:0], len(cs))[:len(cs)]
	if m.lib != nil && len(cs) >= 2 && (inputs != nil || m.opts.ranker.on) {
		m.libraryHits(sc, query)
		if m.opts.libInject > 0 && allPlain(m, cs) {
			cs = m.libraryCandidates(sc, cs, k, gen, qa, total)
			sc.votes = slices.Grow(sc.votes[:0], len(cs))[:len(cs)]
		}
		m.libraryVotes(sc.votes, sc, cs)
	} else {
		clear(sc.votes)
	}
	sc.cands = cs
	qf := qa
	if si >= 0 && qa&specificAspects != 0 {
		// The last sentence's aspects matter only when the question asks
		// a specific one (siblingAspects).
		qf = namedAspects(sc.b2[lastCut:])
	}
	m.siblingAspects(sc, cs, qa, qf)
	sc.qmoney = defaultMoneyHelp().bits(sc.b1)
	if inputs != nil {
		var f [numRankFeatures]float64
		for i := range cs {
			m.rankFeatures(&f, sc, &cs[i], i, float32(cs[0].Score), total, qa, rare)
			*inputs = append(*inputs, RankInput{ID: cs[i].Entry.ID, Features: append([]float64(nil), f[:]...)})
		}
	}
	reranked := m.rerank(cs, sc, total, qa, rare)
	r.Candidates = append(r.Candidates, cs...)
	best := r.Candidates[0]
	sg := &r.Signals
	sg.Coverage, sg.QuestionCoverage = best.Coverage, best.QuestionCoverage
	sg.ContentShare = best.content / float64(total)
	sg.Mass = math.Log1p(float64(total))
	sg.Unknown = float64(unknown / total)
	if maxQcov > 0 {
		sg.QuestionLead = float64(sc.acc[best.doc].qcov / maxQcov)
	}

	if rare >= 0 {
		for _, p := range m.postings[rare] {
			if int32(p.doc&^questionBit) == best.doc {
				sg.Rarest = true
				break
			}
		}
	}
	sg.EntryCoverage = m.entryCoverage(sc, best.doc)
	sg.ContentMissed = contentMissed(sc, best.content)
	sg.Foreign = m.foreign(sc.qprog)
	if sc.otherForeign {
		sg.Foreign = 2
	}
	sg.RankShare = 1
	sg.Place = int(best.place)
	sg.Focus = best.QuestionCoverage
	if sc.ftotal > 0 {
		sg.Focus = float64(sc.acc[best.doc].fcov / sc.ftotal)
	}
	if reranked {
		var sum float64
		for _, c := range r.Candidates {
			sum += math.Exp(c.rank - best.rank)
		}
		sg.RankShare = 1 / sum
		if len(r.Candidates) > 1 {
			sg.RankMargin = best.rank - r.Candidates[1].rank
		}
		if top := slices.Max(sc.votes); top > 0 {
			sg.LibraryVote = sc.votes[best.place] / top
			sg.LibraryAgrees = sc.votes[best.place] == top
		}
		if m.lib != nil {
			var mass float64
			sg.LibraryReach, mass = m.libraryReach(sc)
			if mass > 0 && len(r.Candidates) > 1 {
				sg.LibraryVoteDiff = (sc.votes[best.place] - sc.votes[r.Candidates[1].place]) / mass
			}
		}
	}
	if len(r.Candidates) > 1 {
		c2 := r.Candidates[1]
		sg.Ratio = min(2, c2.Score/best.Score)
		sg.SecondCoverage, sg.SecondQuestionCoverage = c2.Coverage, c2.QuestionCoverage
		sg.SecondEntryCoverage = m.entryCoverage(sc, c2.doc)
		sg.OwnRatio = float64(m.ownRatio[best.doc])
	}
	sg.Long = sc.long
	if len(sc.qprog) > 0 {
		for _, c := range r.Candidates {
			if m.progRelation(sc, c.doc) == progNamed {
				sg.ProgrammeEntries++
			}
		}
	}
	rel := m.entryRel(sc, best.doc)
	sg.Programme = rel.sign()
	if m.programmes.namesLocal(sc.qprog) {
		sg.LocalProgramme = rel.sign()
	}
	if len(r.Candidates) > 1 && m.plain[best.doc] && m.plain[r.Candidates[1].doc] {
		sg.WordGap = m.wordGap(sc, best.doc, r.Candidates[1].doc)
	}
	if spec := qa & specificAspects; spec != 0 && m.plain[best.doc] {
		sg.AspectAnswered = -1
		if (m.entryAspect[best.doc]|m.answerAspect[best.doc])&spec != 0 {
			sg.AspectAnswered = 1
		}
	}
	if len(sc.sib) > int(best.place) {
		sg.AspectSibling = int(sc.sib[best.place])
	}
	if ea := m.entryAspect[best.doc]; qa != 0 && ea != 0 {
		if qa&ea != 0 {
			sg.Aspect = 1
		} else {
			sg.Aspect = -1
		}
	}
	r.Level, r.Confidence = m.level(best, sg)
	if r.Level == Answer && (sg.Programme < 0 || sg.Foreign == 2 && m.plain[best.doc]) {
		// A question that names a programme is never answered directly
		// with an entry about another one (児童手当 ≠ 児童扶養手当), nor
		// with an entry without sample phrasings when the knowledge base
		// names that programme nowhere (「出産育児一時金っていくら？」 to a
		// FAQ without it).
		r.Level = Suggest
	}
	if r.Level == Answer && m.plain[best.doc] && m.uncoveredBenefit(sc, best.doc) {
		// 「不妊治療の費用の助成はありますか」 to a FAQ with no entry on it,
		// whose best entry's answer does not name it either.
		r.Level = Suggest
	}
	if r.Level == Answer && m.plain[best.doc] && m.partialProgrammes(sc, r.Candidates) {
		// 「児扶の決定通知きた 遺児手当も勝手に振り込まれる？」: the best
		// entry is about one of the programmes the question names, a
		// runner-up about all of them.
		r.Level = Suggest
	}
	if r.Level == Answer && len(sc.undecided) > 0 && someNotAll(sc.undecided, m.entryProg[best.doc]) {
		// 「日本のこどもの手当、ひと月いくら」: 児童手当 or 児童扶養手当,
		// and nothing in the question says which; an entry about one of
		// them is offered, not answered.
		r.Level = Suggest
	}
	if r.Level == Answer && m.plain[best.doc] {
		// 「現況届は出したんだけど、…」: the entry on the paper already in
		// is not what is asked.
		if p := donePaper(sc.b1); p != nil && strings.Contains(Normalize(best.Entry.Question), string(p)) {
			r.Level = Suggest
		}
	}
	if r.Level == Answer && m.plain[best.doc] && qa&detailAspects&^(m.entryAspect[best.doc]|m.answerAspect[best.doc]) != 0 {
		// 「母子手帳なくした 再発行できる？」: a detail the entry does
		// not speak of (see detailAspects).
		r.Level = Suggest
	}
	if r.Personal {
		// Whatever entry matched, it cannot say how this resident's case
		// stands.
		r.Level = Handoff
	}
	if len(r.Candidates) > n {
		r.Candidates = r.Candidates[:n]
	}
}

// entryCoverage is the share of entry d's question mass that the query
// covers (at most 1).
func (m *Matcher) entryCoverage(sc *scratch, d int32) float64 {
	if m.questionMass[d] == 0 {
		return 0
	}
	return min(1, float64(sc.acc[d].qcov/m.questionMass[d]))
}

// inNegated reports whether term span sp lies within a negated programme
// name.
func inNegated(ents []entitySpan, sp span) bool {
	for _, e := range ents {
		if e.negated && sp.start >= e.start && sp.end <= e.end {
			return true
		}
	}
	return false
}

// partialProgrammes reports whether the question names two or more
// programmes, the best of cs is about only some of them and one of the
// next two about all.
func (m *Matcher) partialProgrammes(sc *scratch, cs []Candidate) bool {
	if len(sc.qprog) < 2 || len(cs) < 2 || m.programmes.covers(sc.qprog, m.entryProg[cs[0].doc]) {
		return false
	}
	for _, c := range cs[1:min(3, len(cs))] {
		if m.programmes.covers(sc.qprog, m.entryProg[c.doc]) {
			return true
		}
	}
	return false
}

// entryRel returns how entry d stands to the programmes the question of sc
// names: relNone when either names none, else programmeSet.relate (read
// from sc.prel). relOther is an entry about programmes none of which the
// question names.
func (m *Matcher) entryRel(sc *scratch, d int32) progRel {
	ep := m.entryProg[d]
	if len(sc.qprog) == 0 || len(ep) == 0 {
		return relNone
	}
	return relateTable(sc.prel, ep)
}

// dangerWord is one normalised danger keyword with the exception phrases
// that contain it, each with the keyword's offset inside the phrase.
type dangerWord struct {
	word   []byte
	except []dangerExcept
}

type dangerExcept struct {
	phrase []byte
	at     int
}

// compileDanger normalises the keywords and attaches to each the
// exceptions that contain it (at every position it occurs in them).
func compileDanger(d Danger) []dangerWord {
	var out []dangerWord
	for _, k := range d.Keywords {
		n := Normalize(k)
		if n == "" {
			continue
		}
		w := dangerWord{word: []byte(n)}
		for _, e := range d.Except {
			ne := Normalize(e)
			for off := 0; off+len(n) <= len(ne); {
				i := strings.Index(ne[off:], n)
				if i < 0 {
					break
				}
				w.except = append(w.except, dangerExcept{phrase: []byte(ne), at: off + i})
				off += i + 1
			}
		}
		out = append(out, w)
	}
	return out
}

// dangerIn reports whether normalized text holds a danger keyword outside
// every exception phrase.
func (m *Matcher) dangerIn(normalized []byte) bool {
	for _, k := range m.danger {
		for off := 0; off+len(k.word) <= len(normalized); {
			i := bytes.Index(normalized[off:], k.word)
			if i < 0 {
				break
			}
			if !k.excepted(normalized, off+i) {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// excepted reports whether the keyword occurrence at i in text lies inside
// one of the keyword's exception phrases.
func (k *dangerWord) excepted(text []byte, i int) bool {
	for _, e := range k.except {
		if s := i - e.at; s >= 0 && bytes.HasPrefix(text[s:], e.phrase) {
			return true
		}
	}
	return false
}

// better orders candidates by score, then by file order for stable output.
func better(a, b Candidate) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return earlier(a.Entry, b.Entry)
}

// earlier reports whether entry a comes before b in the knowledge base's
// files.
func earlier(a, b *Entry) bool {
	return a.Pos.Line < b.Pos.Line || a.Pos.Line == b.Pos.Line && a.Pos.Row < b.Pos.Row
}

// level decides how confident a result is. Below the evidence floor
// nothing is offered. An entry with sample phrasings or keywords is
// answered by the coverage and margin rule, calibrated on such a
// knowledge base: a best entry that covers the query at least Clear is
// answered even when the runner-up scores close — unless the runner-up
// covers the query that well too: two entries that both contain every word
// of the question are a choice for the resident, not an answer. An entry
// with only a question and an answer (a municipality's FAQ as it arrives)
// is answered when the calibrated confidence reaches Thresholds.Confidence,
// or when the coverage rule would answer it and the confidence reaches
// Thresholds.Confirm — both raised by Thresholds.AspectRaise when the
// question asks an aspect the entry speaks of.
func (m *Matcher) level(best Candidate, sg *Signals) (Level, float64) {
	th := m.opts.th
	if best.Evidence < th.Evidence {
		return Handoff, 0
	}
	p := m.opts.model.prob(sg)
	second := best.Score * sg.Ratio
	clear := best.Coverage >= th.Clear && sg.SecondCoverage < th.Clear
	rule := best.Coverage >= th.Answer && (second <= best.Score*(1-th.Margin) || clear) && best.content >= th.ContentEvidence &&
		(best.QuestionCoverage >= th.QuestionSide || best.QuestionCoverage > 0 && second <= best.Score*th.Lead)
	e := best.Entry
	conf, confirm := th.Confidence, th.Confirm
	if sg.AspectAnswered > 0 {
		conf, confirm = conf+th.AspectRaise, confirm+th.AspectRaise
	}
	switch {
	case th.Confidence == 0 || len(e.Phrasings) > 0 || len(e.Keywords) > 0:
		if rule {
			return Answer, p
		}
	case best.content >= th.ContentEvidence && best.QuestionCoverage > 0 && (p >= conf || rule && p >= confirm):
		return Answer, p
	}
	if best.Coverage >= th.Suggest {
		return Suggest, p
	}
	return Handoff, p
}

// Canonical returns text as the matcher sees it: normalised (see Normalize)
// and with aliases replaced by their canonical words. Staff use it to check
// an alias table; comparisons feed it to other search engines.
func (m *Matcher) Canonical(text string) string {
	var nz normalizer
	b := nz.normalize(nil, text)
	if len(m.romaji.words) > 0 && hasLatin(b) {
		b, _ = m.romaji.rewrite(nil, nil, b, nz.kata)
	}
	return string(m.aliases.applyQuery(nil, b))
}

var allowanceWord = []byte("手当")

// allowanceOutside reports whether text says 手当 outside the spans.
func allowanceOutside(text []byte, ents []entitySpan) bool {
	for i := 0; ; {
		j := bytes.Index(text[i:], allowanceWord)
		if j < 0 {
			return false
		}
		at := i + j
		inside := false
		for _, e := range ents {
			if at >= int(e.start) && at < int(e.end) {
				inside = true
			}
		}
		if !inside {
			return true
		}
		i = at + len(allowanceWord)
	}
}

// candidateScore is entry d's BM25 score for the query in sc, with the
// programme penalties and boosts.
func (m *Matcher) candidateScore(sc *scratch, d int32, qa aspect) float32 {
	s := sc.acc[d].score
	if rel := m.entryRel(sc, d); rel == relOther {
		s *= m.opts.programmePenalty
	} else if rel == relRelated && m.plain[d] {
		// The question names this entry's programme (an entry
		// without phrasings: a FAQ as it arrives).
		if qa&m.entryAspect[d] != 0 {
			// It asks what the entry's question asks
			// (「児童扶養手当はいつ振り込まれる」 → the payment-day
			// entry of 児童扶養手当, not its amount).
			s *= aspectBoost
		}
		if len(m.entryProg[d]) > len(sc.qprog) {
			// The entry is also about other programmes
			// (「児童扶養手当と特別児童扶養手当の違い」): a question
			// about one of them is less likely asking it.
			s *= morePenalty
		}
	}
	return s
}

// candidate is entry d as a candidate of the query in sc, whose weighted
// term mass is total.
func (m *Matcher) candidate(sc *scratch, d int32, s, total float32) Candidate {
	return Candidate{Entry: m.entries[d], Score: float64(s), Coverage: float64(sc.acc[d].cov / total), Evidence: float64(sc.acc[d].cov), QuestionCoverage: float64(sc.acc[d].qcov / total), content: float64(sc.acc[d].content), doc: d}
}
