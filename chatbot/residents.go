package chatbot

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// residentsTXT is the resident-question library: the entries of the
// development FAQs (question and answer) with the resident questions our own
// writers wrote for them and the default knowledge base's sample
// phrasings. It is generated from testdata by
// ONESTOP_WRITE_RESIDENTS=1 go test ./chatbot -run ResidentLibraryCurrent
// (see docs/chatbot.md, "Resident-question library").
//
//go:embed data/residents.txt
var residentsTXT []byte

// libEntry is one entry of the resident-question library.
type libEntry struct {
	source           string // the FAQ it comes from (default_qa, city2, dev3, …)
	id               string
	question, answer string
	residents        []string
}

var residentEntries = sync.OnceValues(func() ([]libEntry, error) { return parseResidents(residentsTXT) })

// parseResidents reads the library's text form: a line
// "E\tsource\tid\tquestion\tanswer" starts an entry, each following line
// "Q\tquestion" is one of its resident questions, "#" starts a comment.
func parseResidents(data []byte) ([]libEntry, error) {
	var out []libEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(t, "\t")
		switch {
		case f[0] == "E" && len(f) == 5 && f[1] != "" && f[2] != "" && f[3] != "" && f[4] != "":
			out = append(out, libEntry{source: f[1], id: f[2], question: f[3], answer: f[4]})
		case f[0] == "Q" && len(f) == 2 && f[1] != "" && len(out) > 0:
			out[len(out)-1].residents = append(out[len(out)-1].residents, f[1])
		default:
			return nil, fmt.Errorf("resident library line %d: want E\\tsource\\tid\\tquestion\\tanswer or Q\\tquestion", line)
		}
	}
	return out, sc.Err()
}

// libraryVoteK is how many of the library's best entries vote for a
// query; libraryAlign is the least similarity (cosine of IDF-weighted
// character bigrams, question plus 0.3 × answer) of an alignment;
// libraryGamma sharpens a library hit's score ratio. Chosen leave one FAQ
// out on the development FAQs (docs/chatbot.md).
const (
	libraryVoteK   = 10
	libraryAlign   = 0.15
	libraryGamma   = 2
	libraryAnswerW = 0.3
)

// residentLibrary is the library compiled for one knowledge base: a
// matcher over the library's entries with their resident questions as
// phrasings, and for each entry of the knowledge base the library entries
// aligned with it, at most one from each source FAQ.
type residentLibrary struct {
	m     *Matcher
	align [][]libAlign // by the knowledge base's entry
}

type libAlign struct {
	doc int32   // the library entry's index in m
	w   float32 // its similarity
}

// defaultLibraryMatcher is the library matcher with the default glossary
// and programmes, compiled once per process (set in init: compiling it
// goes through Compile, which refers to it).
var defaultLibraryMatcher func() (*Matcher, error)

func init() {
	defaultLibraryMatcher = sync.OnceValues(func() (*Matcher, error) { return compileLibrary(nil, options{}) })
}

// compileLibrary compiles the library's entries except those of sources in
// skip, with o's glossaries, programmes and synonyms (no readings: they
// cost four times the build time and moved no figure).
func compileLibrary(skip []string, o options) (*Matcher, error) {
	es, err := residentEntries()
	if err != nil {
		return nil, err
	}
	kb := &KnowledgeBase{Name: "resident library"}
	for _, e := range es {
		if slices.Contains(skip, e.source) {
			continue
		}
		kb.Entries = append(kb.Entries, Entry{ID: e.source + "/" + e.id, Category: "library", Question: e.question, Answer: e.answer, Phrasings: e.residents})
	}
	opts := []Option{WithoutResidentLibrary()}
	if o.glossaries != nil {
		opts = append(opts, WithGlossary(o.glossaries...))
	}
	if o.programmes != nil {
		opts = append(opts, WithProgrammes(o.programmes))
	}
	if o.noSynonyms {
		opts = append(opts, WithoutSynonyms())
	}
	return Compile(kb, opts...)
}

// bigramVec is a unit vector of IDF-weighted character bigrams, sorted by
// bigram id.
type bigramVec []bigramW

type bigramW struct {
	id int32
	w  float32
}

// buildLibrary compiles the library for m (all of whose entries are plain)
// and aligns m's entries with the library's.
func (m *Matcher) buildLibrary(custom bool) (*residentLibrary, error) {
	var lm *Matcher
	var err error
	if custom || len(m.opts.libSkip) > 0 {
		lm, err = compileLibrary(m.opts.libSkip, m.opts)
	} else {
		lm, err = defaultLibraryMatcher()
	}
	if err != nil {
		return nil, fmt.Errorf("chatbot: compile: resident library: %w", err)
	}
	// Bigram ids and document frequencies over both sides.
	ids := map[string]int32{}
	var nz normalizer
	var buf []byte
	bag := func(text string, w float32, into map[int32]float32) {
		buf = nz.normalize(buf[:0], text)
		rs := []rune(string(buf))
		for i := 0; i+1 < len(rs); i++ {
			if libSkipRune(rs[i]) || libSkipRune(rs[i+1]) {
				continue
			}
			k := string(rs[i : i+2])
			id, ok := ids[k]
			if !ok {
				id = int32(len(ids))
				ids[k] = id
			}
			into[id] += w
		}
	}
	entryBag := func(q, a string) map[int32]float32 {
		b := map[int32]float32{}
		bag(q, 1, b)
		bag(a, libraryAnswerW, b)
		return b
	}
	lib := make([]map[int32]float32, len(lm.entries))
	for d, e := range lm.entries {
		lib[d] = entryBag(e.Question, e.Answer)
	}
	own := make([]map[int32]float32, len(m.entries))
	for d, e := range m.entries {
		own[d] = entryBag(e.Question, e.Answer)
	}
	df := make([]float32, len(ids))
	for _, bs := range [][]map[int32]float32{lib, own} {
		for _, b := range bs {
			for id := range b {
				df[id]++
			}
		}
	}
	nd := float64(len(lib) + len(own))
	vec := func(b map[int32]float32) bigramVec {
		v := make(bigramVec, 0, len(b))
		var n float64
		for id, x := range b {
			x *= float32(math.Log(1 + nd/float64(df[id])))
			v = append(v, bigramW{id, x})
			n += float64(x) * float64(x)
		}
		n = math.Sqrt(n)
		for i := range v {
			v[i].w /= float32(n)
		}
		return v
	}
	// Postings of the library's vectors.
	post := make([][]bigramW, len(ids)) // by bigram: (library doc, weight)
	source := make([]int32, len(lm.entries))
	srcIdx := map[string]int32{}
	for d, b := range lib {
		for _, x := range vec(b) {
			post[x.id] = append(post[x.id], bigramW{int32(d), x.w})
		}
		s := strings.SplitN(lm.entries[d].ID, "/", 2)[0]
		if _, ok := srcIdx[s]; !ok {
			srcIdx[s] = int32(len(srcIdx))
		}
		source[d] = srcIdx[s]
	}
	sim := make([]float32, len(lm.entries))
	best := make([]int32, len(srcIdx))
	rl := &residentLibrary{m: lm, align: make([][]libAlign, len(m.entries))}
	for d, b := range own {
		clear(sim)
		for _, x := range vec(b) {
			for _, p := range post[x.id] {
				sim[p.id] += x.w * p.w
			}
		}
		for i := range best {
			best[i] = -1
		}
		for l, s := range sim {
			if b := best[source[l]]; b < 0 || s > sim[b] {
				best[source[l]] = int32(l)
			}
		}
		for _, l := range best {
			if l >= 0 && sim[l] >= libraryAlign {
				rl.align[d] = append(rl.align[d], libAlign{l, sim[l]})
			}
		}
	}
	return rl, nil
}

// libSkipRune reports a rune that bigrams of the alignment skip:
// spaces and punctuation.
func libSkipRune(r rune) bool {
	return strings.ContainsRune(" 　、。，．・「」（）()？?！!：:；;/／〜~-…", r)
}

// libraryVotes fills votes (by candidate) with the library's vote for
// each of cs: Σ over its aligned library entries of similarity ×
// (hit score / best hit score)^libraryGamma for the library's best
// libraryVoteK entries for query.
func (m *Matcher) libraryVotes(votes []float64, sc *scratch, cs []Candidate, query string) {
	lib := m.lib
	lib.m.matchInto(&sc.lib, query, libraryVoteK, nil)
	hits := sc.lib.Candidates
	for i := range cs {
		votes[i] = 0
		if len(hits) == 0 || hits[0].Score <= 0 {
			continue
		}
		for _, a := range lib.align[cs[i].doc] {
			for _, h := range hits {
				if h.doc == a.doc {
					r := h.Score / hits[0].Score
					votes[i] += float64(a.w) * r * r
					break
				}
			}
		}
	}
}
