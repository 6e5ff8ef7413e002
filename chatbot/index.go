package chatbot

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"sync"
	"unicode/utf8"
)

// Matcher is a compiled knowledge base: the term index, the alias table and
// the danger keywords, built once by Compile and used by any number of
// goroutines at once. It never changes after Compile.
type Matcher struct {
	kb      *KnowledgeBase
	entries []*Entry
	terms   map[string]int32
	kind    []termKind
	idf     []float32 // over either field, for coverage
	fields  [2]field  // 0: question side, 1: answer
	aliases aliasTable
	danger  [][]byte
	opts    options
	// unknownIDF is the coverage weight of a query term the index has never
	// seen: what a term occurring in a single entry would get.
	unknownIDF float32
	pool       sync.Pool
}

type field struct {
	postings [][]posting // by term id
	idf      []float32   // by term id
	norm     []float32   // by doc: k1·(1 − b + b·len/avgLen)
	weight   float32
}

type posting struct {
	doc int32
	tf  float32
}

// options are set with Option values.
type options struct {
	th           Thresholds
	k1           float32
	bQuestion    float32
	bAnswer      float32
	answerWeight float32
	kindWeight   [4]float32
}

// Option configures Compile.
type Option func(*options)

// WithThresholds sets the confidence thresholds (see Thresholds).
func WithThresholds(t Thresholds) Option { return func(o *options) { o.th = t } }

// WithAnswerWeight sets how much the answer text counts against the question
// side (question, phrasings, keywords); 0 ignores answers. Default 0.35.
func WithAnswerWeight(w float64) Option {
	return func(o *options) { o.answerWeight = float32(w) }
}

// WithBM25 sets BM25's k1 and the length normalisation b of the question
// side and of the answer. Defaults 1.2, 0.3, 0.75.
func WithBM25(k1, bQuestion, bAnswer float64) Option {
	return func(o *options) { o.k1, o.bQuestion, o.bAnswer = float32(k1), float32(bQuestion), float32(bAnswer) }
}

func defaultOptions() options {
	return options{
		th:           DefaultThresholds,
		k1:           1.2,
		bQuestion:    0.3,
		bAnswer:      0.75,
		answerWeight: 0.35,
		// bigram, kana-only bigram, kanji unigram, Latin/digit word
		kindWeight: [4]float32{1, 0.35, 0.5, 1},
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
	m := &Matcher{kb: kb, terms: map[string]int32{}, opts: o}
	m.aliases = compileAliases(kb.Aliases)
	for _, k := range kb.Danger.Keywords {
		if n := Normalize(k); n != "" {
			m.danger = append(m.danger, []byte(n))
		}
	}

	n := len(kb.Entries)
	m.entries = make([]*Entry, n)
	var tf [2][]map[int32]float32
	lens := [2][]float32{make([]float32, n), make([]float32, n)}
	var nz normalizer
	var b1, b2 []byte
	var spans []span
	addText := func(f, d int, text string) {
		b1 = nz.normalize(b1[:0], text)
		b2 = m.aliases.apply(b2[:0], b1)
		spans = appendTerms(spans[:0], b2)
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
	for f := range tf {
		tf[f] = make([]map[int32]float32, n)
	}
	for d := range kb.Entries {
		e := &kb.Entries[d]
		m.entries[d] = e
		tf[0][d], tf[1][d] = map[int32]float32{}, map[int32]float32{}
		addText(0, d, e.Question)
		for _, p := range e.Phrasings {
			addText(0, d, p)
		}
		for _, k := range e.Keywords {
			addText(0, d, k)
		}
		addText(1, d, e.Answer)
	}

	nt := len(m.kind)
	bs := [2]float32{o.bQuestion, o.bAnswer}
	ws := [2]float32{1, o.answerWeight}
	dfAll := make([]int32, nt)
	for f := range m.fields {
		fl := &m.fields[f]
		fl.postings = make([][]posting, nt)
		fl.idf = make([]float32, nt)
		fl.norm = make([]float32, n)
		fl.weight = ws[f]
		var total float32
		for _, l := range lens[f] {
			total += l
		}
		avg := total / float32(n)
		if avg == 0 {
			avg = 1
		}
		for d := 0; d < n; d++ {
			fl.norm[d] = o.k1 * (1 - bs[f] + bs[f]*lens[f][d]/avg)
			ids := make([]int32, 0, len(tf[f][d]))
			for id := range tf[f][d] {
				ids = append(ids, id)
			}
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			for _, id := range ids {
				fl.postings[id] = append(fl.postings[id], posting{doc: int32(d), tf: tf[f][d][id]})
			}
		}
		for id := range fl.postings {
			fl.idf[id] = bm25IDF(n, len(fl.postings[id]))
		}
	}
	for d := 0; d < n; d++ {
		for id := range tf[0][d] {
			dfAll[id]++
		}
		for id := range tf[1][d] {
			if _, ok := tf[0][d][id]; !ok {
				dfAll[id]++
			}
		}
	}
	m.idf = make([]float32, nt)
	for id := range m.idf {
		m.idf[id] = bm25IDF(n, int(dfAll[id]))
	}
	m.unknownIDF = bm25IDF(n, 1)
	m.pool.New = func() any { return newScratch(n) }
	return m, nil
}

// bm25IDF is the non-negative BM25 idf: ln(1 + (N − df + 0.5)/(df + 0.5)).
func bm25IDF(n, df int) float32 {
	return float32(math.Log(1 + (float64(n-df)+0.5)/(float64(df)+0.5)))
}

// KnowledgeBase returns the knowledge base the matcher was compiled from.
func (m *Matcher) KnowledgeBase() *KnowledgeBase { return m.kb }

// Stats describes the size of a compiled index.
type Stats struct {
	Entries  int
	Terms    int
	Postings int
	Aliases  int
	// Bytes estimates the memory the index holds (postings, dictionary,
	// per-term and per-entry arrays), excluding the knowledge base text.
	Bytes int
}

// Stats reports the index size.
func (m *Matcher) Stats() Stats {
	s := Stats{Entries: len(m.entries), Terms: len(m.kind), Aliases: m.aliases.n}
	for t := range m.terms {
		s.Bytes += len(t) + 16 + 4 + 8 // key bytes, string header, value, map overhead (approx.)
	}
	for f := range m.fields {
		for _, p := range m.fields[f].postings {
			s.Postings += len(p)
			s.Bytes += 24 + cap(p)*8
		}
		s.Bytes += 4*len(m.fields[f].idf) + 4*len(m.fields[f].norm)
	}
	s.Bytes += len(m.kind) + 4*len(m.idf) + 8*len(m.entries)
	return s
}

// aliasTable rewrites residents' words into the FAQ's words. Rules are found
// by their first rune, longest first, so rewriting is one pass over the text.
type aliasTable struct {
	byFirst map[rune][]aliasRule
	n       int
}

type aliasRule struct {
	from, to []byte
}

func compileAliases(as []Alias) aliasTable {
	t := aliasTable{byFirst: map[rune][]aliasRule{}}
	for _, a := range as {
		from, to := Normalize(a.From), Normalize(a.To)
		if from == "" || to == "" || from == to {
			continue
		}
		r, _ := utf8.DecodeRuneInString(from)
		t.byFirst[r] = append(t.byFirst[r], aliasRule{[]byte(from), []byte(to)})
		t.n++
	}
	for r := range t.byFirst {
		rules := t.byFirst[r]
		sort.SliceStable(rules, func(i, j int) bool { return len(rules[i].from) > len(rules[j].from) })
	}
	return t
}

// apply appends s to dst with every alias replaced by its canonical word.
func (t *aliasTable) apply(dst, s []byte) []byte {
	if t.n == 0 {
		return append(dst, s...)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		matched := false
		for _, rule := range t.byFirst[r] {
			if bytes.HasPrefix(s[i:], rule.from) {
				dst = append(dst, rule.to...)
				i += len(rule.from)
				matched = true
				break
			}
		}
		if !matched {
			dst = append(dst, s[i:i+size]...)
			i += size
		}
	}
	return dst
}
