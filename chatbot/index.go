package chatbot

import (
	"fmt"
	"math"
	"slices"
	"sync"
)

// Matcher is a compiled knowledge base: the term index, the alias table and
// the danger keywords, built once by Compile and used by any number of
// goroutines at once. It never changes after Compile.
type Matcher struct {
	// library marks the resident-question library's own matcher, which
	// is asked for its candidates only (no danger or personal-case check).
	library bool
	kb      *KnowledgeBase
	entries []*Entry
	terms   map[string]int32
	kind    []termKind
	idf     []float32 // over either field, for coverage
	// postings lists, by term id, the entries holding the term with the
	// term's BM25 weight in each: the question side's and the answer's
	// (times the answer weight) added, so a query term costs one pass.
	postings [][]posting
	aliases  aliasTable
	romaji   romajiTable
	danger   []dangerWord
	opts     options
	// programmes recognises programme names; entryProg lists, by entry, the
	// programmes it is about (named on its question side, else in its
	// answer).
	programmes programmeSet
	entryProg  [][]uint16
	// progNamed is, by programme, where the knowledge base names it:
	// namedQuestion on some entry's question side, namedAnswer in some
	// answer (0: nowhere).
	progNamed []uint8
	// others recognises the glossaries' other services (services a FAQ of
	// this kind usually lacks: Glossary.OtherServices); otherNamed is, by
	// service, whether the knowledge base names it anywhere.
	others     programmeSet
	otherNamed []uint8
	// benefits recognises the glossaries' benefits that can hold an
	// answer back (Glossary.Benefits without Status); benefitInQuestion
	// is, by benefit, whether some entry's question side names it, and
	// benefitInAnswer lists, by entry, the benefits its answer names (see
	// uncoveredBenefit).
	benefits          programmeSet
	benefitInQuestion []bool
	benefitInAnswer   [][]uint16
	// ambig recognises the glossaries' ambiguous names (「子どもの手当」:
	// Glossary.Ambiguous) and reads which programme a question means.
	ambig ambiguities
	// progFromAnswer is, by entry, whether entryProg came from its answer
	// (its question side names none).
	progFromAnswer []bool
	// entryAspect is, by entry without sample phrasings or keywords, the
	// aspects its question asks about (when, how much, where, …).
	entryAspect []aspect
	// answerAspect is, by entry without sample phrasings or keywords, the
	// aspects its answer speaks of (a weaker field than its question).
	answerAspect []aspect
	// entryMoney is, by entry without sample phrasings or keywords, what
	// the money-help inputs read of its question (moneyhelp.go).
	entryMoney []moneyBits
	// plain is, by entry, whether it has neither sample phrasings nor
	// keywords (a FAQ as it arrives).
	plain []bool
	// words is, by plain entry, its question and answer as the word check
	// reads them (entryWords; "" for an entry with phrasings or keywords).
	words []string
	// anyPlain: some entry is plain: the re-ranker may apply, and numbers
	// with their counters (5年, 18歳) are terms (appendNumberTerms) — a
	// knowledge base whose entries all carry phrasings or keywords keeps
	// the terms its BM25 order was tuned with.
	anyPlain bool
	// ownRatio is, by plain entry, Signals.Ratio when the entry's own
	// question is asked (1.5 when another entry wins it): how closely its
	// neighbours compete for the words it is asked in (Signals.OwnRatio).
	ownRatio []float32
	// questionMass is, by entry, the coverage weight of its question's
	// terms (the question alone, not phrasings or keywords): how much a
	// query must say to ask that question in full.
	questionMass []float32
	// unknownIDF is the coverage weight of a query term the index has never
	// seen: what a term occurring in a single entry would get.
	unknownIDF float32
	// pool is shared by the copies WithThresholds makes (same index).
	pool *sync.Pool
	// lib is the resident-question library (nil: off; see residents.go).
	lib *residentLibrary
}

// Where a knowledge base names a programme (Matcher.progNamed).
const (
	namedQuestion uint8 = 1 << iota
	namedAnswer
)

// The fields of an entry that are indexed, each with its own BM25 length
// normalisation and weight.
const (
	fieldQuestion = iota // question, phrasings and keywords (別表現)
	fieldAnswer          // answer text
	numFields
)

// posting is one entry holding a term, with the term's BM25 weight in the
// entry before the query side's weight: the sum over the fields of
// idf_f · weight_f · (k1+1) · tf / (tf + k1·(1 − b_f + b_f·len/avgLen)).
type posting struct {
	doc uint32 // the entry's index, with questionBit set when the question side holds the term
	w   float32
}

// questionBit marks a posting whose entry has the term on its question side
// (question, phrasings, keywords), not only in its answer.
const questionBit = 1 << 31 // the top bit: matchInto reads it as doc >> 31

// options are set with Option values.
type options struct {
	th           Thresholds
	k1           float32
	bQuestion    float32
	bAnswer      float32
	answerWeight float32
	kindWeight   [numKinds]float32
	readings     ReadingSource
	glossaries   []*Glossary
	programmes   []Programme
	noSynonyms   bool
	// noFAQProgrammes: do not recognise the programmes the knowledge base
	// names itself (faqProgrammes).
	noFAQProgrammes bool
	// programmePenalty multiplies the score of an entry about programmes
	// the question does not name, when it names one.
	programmePenalty float32
	model            confidenceModel
	ranker           rankModel
	// noLibrary turns the resident-question library off; libSkip leaves
	// the library's entries from these source FAQs out.
	noLibrary bool
	libSkip   []string
	// ownLibrary: Compile was given glossaries, programmes or
	// WithoutSynonyms, so the library is compiled with them rather than
	// shared (set by Compile before it fills in the defaults).
	ownLibrary bool
	// libInject: how many entries outside BM25's best the library's
	// vote may bring into the re-ranker's candidates (libraryCandidates).
	libInject int
}

// Option configures Compile.
type Option func(*options)

// WithThresholds sets the confidence thresholds (see Thresholds).
func WithThresholds(t Thresholds) Option { return func(o *options) { o.th = t } }

// WithAnswerWeight sets how much the answer text counts against the question
// side (question, phrasings, keywords); 0 ignores answers. Default 0.5.
func WithAnswerWeight(w float64) Option {
	return func(o *options) { o.answerWeight = float32(w) }
}

// WithBM25 sets BM25's k1 and the length normalisation b of the question
// side and of the answer. Defaults 1.2, 0.5, 0.75.
func WithBM25(k1, bQuestion, bAnswer float64) Option {
	return func(o *options) { o.k1, o.bQuestion, o.bAnswer = float32(k1), float32(bQuestion), float32(bAnswer) }
}

// WithGlossary sets the glossaries whose rules every knowledge base gets
// (default: DefaultGlossary). WithGlossary() with none turns the shipped
// glossary off; WithGlossary(chatbot.DefaultGlossary(), own) adds a
// vendor's own. A knowledge base's own aliases win over any glossary.
func WithGlossary(gs ...*Glossary) Option {
	return func(o *options) { o.glossaries = append([]*Glossary{}, gs...) }
}

// WithProgrammes sets the programmes whose names are recognised as
// entities (default: DefaultProgrammes). Callers with a rule engine pass
// its programmes' ids, names and aliases.
func WithProgrammes(ps []Programme) Option {
	return func(o *options) { o.programmes = cloneProgrammes(ps) }
}

// WithoutFAQProgrammes turns off the recognition of the programmes the
// knowledge base names itself (愛知県遺児手当 in a FAQ from 愛知県): only the
// programmes of WithProgrammes (or DefaultProgrammes) are entities.
func WithoutFAQProgrammes() Option { return func(o *options) { o.noFAQProgrammes = true } }

// WithoutSynonyms turns off the general synonym dictionary (SudachiDict),
// which otherwise rewrites words the knowledge base never uses to the
// synonyms it does use (医療代 → 医療費).
func WithoutSynonyms() Option { return func(o *options) { o.noSynonyms = true } }

// WithoutResidentLibrary turns off the resident-question library, which
// otherwise lets the resident questions shipped with the library vote for
// the entries of a knowledge base without sample phrasings (see
// docs/chatbot.md, "Resident-question library"). A knowledge base with
// sample phrasings or keywords never uses it.
func WithoutResidentLibrary() Option { return func(o *options) { o.noLibrary = true } }

// WithResidentLibraryExcept leaves the library's questions written for the
// named development FAQs (default_qa, city2, dev3, …) out: development
// tools that measure on one of those FAQs pass its name, so that its own
// questions do not vote for it. Names the library does not hold are
// ignored; ResidentLibrarySources lists those it does.
func WithResidentLibraryExcept(sources ...string) Option {
	return func(o *options) { o.libSkip = append([]string{}, sources...) }
}

func defaultOptions() options {
	return options{
		programmePenalty: 0.5,
		libInject:        2,
		model:            defaultConfidence,
		ranker:           defaultRanker,
		th:               DefaultThresholds(),
		k1:               1.2,
		bQuestion:        0.5,
		bAnswer:          0.75,
		answerWeight:     0.5,
		// bigram, kana-only bigram, kanji unigram, Latin/digit word,
		// kanji+hiragana bigram; chosen on the development query set
		// (testdata/dev_queries.json).
		kindWeight: [numKinds]float32{1, 0.5, 0.6, 1, 0.7},
	}
}

// Compile validates kb and builds its index. The Matcher keeps a pointer to
// kb's entries: do not modify kb afterwards.
func Compile(kb *KnowledgeBase, opts ...Option) (*Matcher, error) {
	if kb == nil {
		return nil, fmt.Errorf("chatbot: compile: %w", ErrEmpty)
	}
	if err := kb.Validate(); err != nil {
		return nil, fmt.Errorf("chatbot: compile %s: %w", kb.Name, err)
	}
	if len(kb.Entries) == 0 {
		return nil, fmt.Errorf("chatbot: compile %s: %w", kb.Name, ErrEmpty)
	}
	o := defaultOptions()
	for _, f := range opts {
		f(&o)
	}
	if err := o.th.validate(); err != nil {
		return nil, err
	}
	o.ownLibrary = o.glossaries != nil || o.programmes != nil || o.noSynonyms
	if o.glossaries == nil {
		g, err := defaultGlossary()
		if err != nil {
			return nil, fmt.Errorf("chatbot: compile: embedded glossary: %w", err)
		}
		o.glossaries = []*Glossary{g}
	}
	if o.programmes == nil {
		ps, err := packProgrammes()
		if err != nil {
			return nil, fmt.Errorf("chatbot: compile: embedded programme list: %w", err)
		}
		o.programmes = ps
		for _, g := range o.glossaries {
			o.programmes = append(o.programmes[:len(o.programmes):len(o.programmes)], g.Programmes...)
		}
	}
	m := &Matcher{kb: kb, terms: map[string]int32{}, opts: o}
	if err := m.buildRewrites(); err != nil {
		return nil, err
	}
	m.danger = compileDanger(kb.Danger)

	n := len(kb.Entries)
	m.entries = make([]*Entry, n)
	m.entryProg = make([][]uint16, n)
	m.progNamed = make([]uint8, len(m.programmes.ids))
	m.otherNamed = make([]uint8, len(m.others.ids))
	m.benefitInQuestion = make([]bool, len(m.benefits.ids))
	m.benefitInAnswer = make([][]uint16, n)
	m.progFromAnswer = make([]bool, n)
	m.entryAspect = make([]aspect, n)
	m.answerAspect = make([]aspect, n)
	m.entryMoney = make([]moneyBits, n)
	// A plain entry has neither phrasings nor keywords: a FAQ as it
	// arrives. Known before any text is indexed (anyPlain decides the
	// terms).
	m.plain = make([]bool, n)
	m.words = make([]string, n)
	for d := range kb.Entries {
		if e := &kb.Entries[d]; len(e.Phrasings) == 0 && len(e.Keywords) == 0 {
			m.plain[d] = true
			m.anyPlain = true
			m.words[d] = entryWords(e)
		}
	}
	qterms := make([][]int32, n)
	var tf [numFields][]map[int32]float32
	var lens [numFields][]float32
	for f := range tf {
		tf[f] = make([]map[int32]float32, n)
		lens[f] = make([]float32, n)
	}
	var nz normalizer
	var b1, b2 []byte
	var spans []span
	var progs [numFields][]uint16
	var others, bens []entitySpan
	addText := func(f, d int, text string) {
		b1 = nz.normalize(b1[:0], text)
		b2 = m.aliases.apply(b2[:0], b1)
		progs[f] = m.programmes.find(progs[f], b2)
		bens = m.benefits.spans(bens[:0], b2)
		for _, e := range bens {
			if f == fieldQuestion {
				m.benefitInQuestion[e.idx] = true
			} else if !slices.Contains(m.benefitInAnswer[d], e.idx) {
				m.benefitInAnswer[d] = append(m.benefitInAnswer[d], e.idx)
			}
		}
		others = m.others.spans(others[:0], b2)
		for _, e := range others {
			if f == fieldQuestion {
				m.otherNamed[e.idx] |= namedQuestion
			} else {
				m.otherNamed[e.idx] |= namedAnswer
			}
		}
		spans = appendTerms(spans[:0], b2, nil)
		if m.anyPlain {
			spans = appendNumberTerms(spans, b2, nil)
		}
		for _, sp := range spans {
			t := string(b2[sp.start:sp.end])
			id, ok := m.terms[t]
			if !ok {
				id = int32(len(m.kind))
				m.terms[t] = id
				m.kind = append(m.kind, sp.kind)
			}
			tf[f][d][id]++
			lens[f][d]++
		}
	}
	for d := range kb.Entries {
		e := &kb.Entries[d]
		m.entries[d] = e
		for f := range tf {
			tf[f][d] = map[int32]float32{}
			progs[f] = progs[f][:0]
		}
		addText(fieldQuestion, d, e.Question)
		// The aspect is what the question itself asks. An entry with
		// sample phrasings gets none: its phrasings already carry the
		// words residents ask with (the boost moved two of the default
		// knowledge base's v5 questions to a sibling entry).
		if m.plain[d] {
			m.entryAspect[d] = queryAspects(b1, b2)
			m.entryMoney[d] = defaultMoneyHelp().bits(b1)
		}
		for id := range tf[fieldQuestion][d] {
			qterms[d] = append(qterms[d], id)
		}
		for _, p := range e.Phrasings {
			addText(fieldQuestion, d, p)
		}
		// Keywords share the question's field: measured on the development
		// set, a separate keyword field ranked worse at every weight tried.
		for _, k := range e.Keywords {
			addText(fieldQuestion, d, k)
		}
		addText(fieldAnswer, d, e.Answer)
		if m.plain[d] {
			m.answerAspect[d] = queryAspects(b1, b2)
		}
		// An entry is about the programmes its question side names; an
		// entry whose question names none («手当はいつ振り込まれますか») is
		// about those its answer names.
		for _, p := range progs[fieldQuestion] {
			m.progNamed[p] |= namedQuestion
		}
		for _, p := range progs[fieldAnswer] {
			m.progNamed[p] |= namedAnswer
		}
		if p := progs[fieldQuestion]; len(p) > 0 {
			m.entryProg[d] = slices.Clone(p)
		} else if p := progs[fieldAnswer]; len(p) > 0 {
			m.entryProg[d] = slices.Clone(p)
			m.progFromAnswer[d] = true
		}
	}

	nt := len(m.kind)
	bs := [numFields]float32{o.bQuestion, o.bAnswer}
	ws := [numFields]float32{1, o.answerWeight}
	var idf [numFields][]float32
	var norm [numFields][]float32
	for f := range tf {
		var total float32
		for _, l := range lens[f] {
			total += l
		}
		avg := total / float32(n)
		if avg == 0 {
			avg = 1
		}
		norm[f] = make([]float32, n)
		for d := range n {
			norm[f][d] = o.k1 * (1 - bs[f] + bs[f]*lens[f][d]/avg)
		}
		df := make([]int, nt)
		for d := range n {
			for id := range tf[f][d] {
				df[id]++
			}
		}
		idf[f] = make([]float32, nt)
		for id := range nt {
			idf[f][id] = bm25IDF(n, df[id])
		}
	}
	m.postings = make([][]posting, nt)
	k1p1 := o.k1 + 1
	var ids []int32
	for d := range n {
		ids = ids[:0]
		for f := range tf {
			for id := range tf[f][d] {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			var w float32
			for f := range tf {
				if x, ok := tf[f][d][id]; ok {
					w += idf[f][id] * ws[f] * k1p1 * x / (x + norm[f][d])
				}
			}
			doc := uint32(d)
			if _, ok := tf[fieldQuestion][d][id]; ok {
				doc |= questionBit
			}
			m.postings[id] = append(m.postings[id], posting{doc: doc, w: w})
		}
	}
	// Coverage weights use the document frequency over all fields: an
	// entry is in a term's posting list once, whichever fields hold it.
	m.idf = make([]float32, nt)
	for id, ps := range m.postings {
		m.idf[id] = bm25IDF(n, len(ps))
	}
	m.unknownIDF = bm25IDF(n, 1)
	m.questionMass = make([]float32, n)
	for d, ids := range qterms {
		for _, id := range ids {
			m.questionMass[d] += m.idf[id] * o.kindWeight[m.kind[id]]
		}
	}
	m.pool = &sync.Pool{New: func() any { return newScratch(n) }}
	if !o.noLibrary && !slices.Contains(m.plain, false) {
		lib, err := m.buildLibrary()
		if err != nil {
			return nil, err
		}
		m.lib = lib
	}
	m.ownRatios()
	return m, nil
}

// ownRatios fills m.ownRatio by matching each plain entry's own question.
func (m *Matcher) ownRatios() {
	m.ownRatio = make([]float32, len(m.entries))
	if !m.anyPlain {
		return
	}
	var r Result
	for d, e := range m.entries {
		if !m.plain[d] {
			continue
		}
		m.MatchInto(&r, e.Question, 2)
		m.ownRatio[d] = 1.5
		if len(r.Candidates) > 0 && r.Candidates[0].doc == int32(d) {
			m.ownRatio[d] = float32(r.Signals.Ratio)
		}
	}
}

// bm25IDF is the non-negative BM25 idf: ln(1 + (N − df + 0.5)/(df + 0.5)).
func bm25IDF(n, df int) float32 {
	return float32(math.Log(1 + (float64(n-df)+0.5)/(float64(df)+0.5)))
}

// Thresholds returns the thresholds the matcher decides with.
func (m *Matcher) Thresholds() Thresholds { return m.opts.th }

// WithThresholds returns a matcher that decides with t and is otherwise m:
// it shares m's index, so it costs no compilation, and it ranks every
// message exactly as m does (thresholds decide only the level: answer,
// suggestion or handoff). Calibrate uses it to try many bars on one
// compiled FAQ; a vendor can use it to apply a calibrated bar. m is not
// changed, and both may be used at once.
func (m *Matcher) WithThresholds(t Thresholds) (*Matcher, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	c := *m
	c.opts.th = t
	return &c, nil
}

// KnowledgeBase returns the knowledge base the matcher was compiled from.
func (m *Matcher) KnowledgeBase() *KnowledgeBase { return m.kb }

// Stats describes the size of a compiled index.
type Stats struct {
	Entries  int
	Terms    int
	Postings int
	// Aliases is the number of rewrite rules from every source; the
	// fields after it break it down.
	Aliases int
	// KBAliases are the knowledge base's own; GlossaryRules come from the
	// glossaries; ProgrammeRules map programme aliases to names;
	// ReadingRules are readings of the knowledge base's words
	// (WithReadings); SynonymRules bridge general synonyms to the words
	// the knowledge base uses.
	KBAliases, GlossaryRules, ProgrammeRules, ReadingRules, SynonymRules int
	// HomophoneRules add the knowledge base's word to a word read like it
	// (a conversion error; see HomophoneSource).
	HomophoneRules int
	// Programmes is the number of programmes recognised by name.
	Programmes int
	// Bytes estimates the memory the index holds (postings, dictionary,
	// per-term and per-entry arrays), excluding the knowledge base text.
	Bytes int
	// LibraryEntries is the number of entries of the resident-question
	// library in use (after WithResidentLibraryExcept); 0 when the
	// knowledge base does not use the library. LibraryAligned is the
	// number of the knowledge base's entries aligned with at least one of
	// them: those the library's resident questions can vote for. An entry
	// without an alignment is reached by its own words only, and is where
	// sample phrasings help most (docs/chatbot.md, "Resident-question
	// library").
	LibraryEntries, LibraryAligned int
	// LibraryInSample lists the library's sources in use (development
	// FAQs such as dev3) that hold at least half of this knowledge base's
	// entry questions word for word: the knowledge base is one of them, or
	// a copy, so the library holds the very resident questions written
	// for it, and an evaluation with their labelled questions is in sample
	// (its figures come out higher than a new FAQ's). Leave such a source
	// out with WithResidentLibraryExcept to measure it as a new FAQ.
	LibraryInSample []string
}

// Stats reports the index size.
func (m *Matcher) Stats() Stats {
	s := Stats{Entries: len(m.entries), Terms: len(m.kind), Aliases: m.aliases.n,
		KBAliases: m.aliases.bySrc[srcKB], GlossaryRules: m.aliases.bySrc[srcGlossary], ProgrammeRules: m.aliases.bySrc[srcProgramme],
		ReadingRules: m.aliases.bySrc[srcReading], SynonymRules: m.aliases.bySrc[srcSynonym], HomophoneRules: m.aliases.bySrc[srcHomophone],
		Programmes: len(m.programmes.ids)}
	for _, rs := range m.aliases.byFirst {
		for _, r := range rs {
			s.Bytes += len(r.from) + len(r.to) + 64 // rule, slice headers, map share (approx.)
		}
	}
	for t := range m.terms {
		s.Bytes += len(t) + 16 + 4 + 8 // key bytes, string header, value, map overhead (approx.)
	}
	for _, p := range m.postings {
		s.Postings += len(p)
		s.Bytes += 24 + cap(p)*8
	}
	s.Bytes += len(m.kind) + 4*len(m.idf) + 8*len(m.entries)
	if m.lib != nil {
		s.LibraryEntries = len(m.lib.m.entries)
		for _, a := range m.lib.align {
			if len(a) > 0 {
				s.LibraryAligned++
			}
		}
		s.LibraryInSample = m.libraryInSample()
	}
	return s
}
