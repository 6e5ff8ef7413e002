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
	"unsafe"
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

// ResidentLibrarySources lists, in the library's order, the development
// FAQs whose entries and resident questions make the resident-question
// library (default_qa, city2, dev3, …): the names
// WithResidentLibraryExcept takes.
func ResidentLibrarySources() ([]string, error) {
	es, err := residentEntries()
	if err != nil {
		return nil, fmt.Errorf("chatbot: resident library: %w", err)
	}
	var out []string
	for _, e := range es {
		if !slices.Contains(out, e.source) {
			out = append(out, e.source)
		}
	}
	return out, nil
}

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
	// libraryInjectShare: an entry outside BM25's best needs this share
	// of the best library vote to be brought in (libraryCandidates).
	libraryInjectShare = 0.5
)

// residentLibrary is the library as one knowledge base uses it: the
// library's index and, for each entry of the knowledge base, the library
// entries aligned with it, at most one from each source FAQ.
type residentLibrary struct {
	*libraryIndex
	align [][]libAlign // by the knowledge base's entry
	// ralign is align by the library's entry: the knowledge base's
	// entries aligned with it (libraryCandidates).
	ralign [][]libAlign
	// reach is, by library entry, its highest similarity with any entry
	// of the knowledge base (aligned or not).
	reach []float32
}

type libAlign struct {
	doc int32   // the library entry's index in m
	w   float32 // its similarity
}

// libraryIndex is the compiled library: a matcher over the library's
// entries with their resident questions as phrasings, and the entries'
// formal text (question + libraryAnswerW × answer) as unit vectors of
// IDF-weighted character bigrams (IDF over the library), indexed by bigram.
type libraryIndex struct {
	m       *Matcher
	bigrams map[string]int32
	idf     []float32
	unseen  float32     // the IDF of a bigram the library does not have
	post    [][]libPost // by bigram
	source  []int32     // by library entry: its source FAQ, an index into sourceNames
	// sourceNames are the source FAQs in use (default_qa, city2, dev3, …),
	// in the library's order.
	sourceNames []string
}

type libPost struct {
	doc int32
	w   float32
}

// defaultLibrary is the library with the default glossary and programmes,
// compiled once per process (set in init: compiling it goes through
// Compile, which refers to it).
var defaultLibrary func() (*libraryIndex, error)

func init() {
	defaultLibrary = sync.OnceValues(func() (*libraryIndex, error) { return compileLibrary(nil, options{}) })
}

// compileLibrary compiles the library's entries except those of sources in
// skip, with o's glossaries, programmes and synonyms (no readings: they
// cost four times the build time and moved no figure).
func compileLibrary(skip []string, o options) (*libraryIndex, error) {
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
	// The library's entries come from many FAQs: programmes one of them
	// names for its own place are not entities of the others.
	opts := []Option{WithoutResidentLibrary(), WithoutFAQProgrammes()}
	if o.glossaries != nil {
		opts = append(opts, WithGlossary(o.glossaries...))
	}
	if o.programmes != nil {
		opts = append(opts, WithProgrammes(o.programmes))
	}
	if o.noSynonyms {
		opts = append(opts, WithoutSynonyms())
	}
	m, err := Compile(kb, opts...)
	if err != nil {
		return nil, err
	}
	m.library = true
	li := &libraryIndex{m: m, bigrams: map[string]int32{}, source: make([]int32, len(m.entries))}
	var bb bigramBag
	bags := make([]map[int32]float32, len(m.entries))
	var df []float32
	srcIdx := map[string]int32{}
	for d, e := range m.entries {
		bag := map[int32]float32{}
		bb.each(e.Question, e.Answer, func(k string, w float32) {
			id, ok := li.bigrams[k]
			if !ok {
				id = int32(len(li.bigrams))
				li.bigrams[k] = id
				df = append(df, 0)
			}
			bag[id] += w
		})
		bags[d] = bag
		for id := range bags[d] {
			df[id]++
		}
		s, _, _ := strings.Cut(e.ID, "/")
		if _, ok := srcIdx[s]; !ok {
			srcIdx[s] = int32(len(li.sourceNames))
			li.sourceNames = append(li.sourceNames, s)
		}
		li.source[d] = srcIdx[s]
	}
	n := float64(len(m.entries))
	li.idf = make([]float32, len(df))
	for id, f := range df {
		li.idf[id] = float32(math.Log(1 + n/float64(f)))
	}
	li.unseen = float32(math.Log(1 + n))
	li.post = make([][]libPost, len(df))
	for d, b := range bags {
		for id, w := range li.unit(b, nil) {
			li.post[id] = append(li.post[id], libPost{int32(d), w})
		}
	}
	return li, nil
}

// bigramBag turns formal text into bigram weights.
type bigramBag struct {
	nz  normalizer
	buf []byte
	rs  []rune
}

// each calls fn with every bigram of question and answer after
// normalisation (spaces and punctuation skipped), weighted 1 in the
// question and libraryAnswerW in the answer.
func (bb *bigramBag) each(question, answer string, fn func(k string, w float32)) {
	for i, text := range [2]string{question, answer} {
		w := float32(1)
		if i == 1 {
			w = libraryAnswerW
		}
		bb.buf = bb.nz.normalize(bb.buf[:0], text)
		bb.rs = append(bb.rs[:0], []rune(string(bb.buf))...)
		for j := 0; j+1 < len(bb.rs); j++ {
			if libSkipRune(bb.rs[j]) || libSkipRune(bb.rs[j+1]) {
				continue
			}
			fn(string(bb.rs[j:j+2]), w)
		}
	}
}

// unit weights bag b by IDF and scales it to unit length; unseen are the
// weights of the bigrams the library lacks, which count only in the length.
func (li *libraryIndex) unit(b map[int32]float32, unseen []float32) map[int32]float32 {
	var n float64
	for _, u := range unseen {
		n += float64(u * li.unseen * u * li.unseen)
	}
	out := make(map[int32]float32, len(b))
	for id, x := range b {
		x *= li.idf[id]
		out[id] = x
		n += float64(x) * float64(x)
	}
	n = math.Sqrt(n)
	for id := range out {
		out[id] /= float32(n)
	}
	return out
}

// buildLibrary aligns m's entries with the library's: the library
// compiled once per process, or one of its own when m was compiled with
// its own glossaries, programmes or synonyms, or leaves sources out.
func (m *Matcher) buildLibrary() (*residentLibrary, error) {
	var li *libraryIndex
	var err error
	if m.opts.ownLibrary || len(m.opts.libSkip) > 0 {
		li, err = compileLibrary(m.opts.libSkip, m.opts)
	} else {
		li, err = defaultLibrary()
	}
	if err != nil {
		return nil, fmt.Errorf("chatbot: compile: resident library: %w", err)
	}
	rl := &residentLibrary{libraryIndex: li, align: make([][]libAlign, len(m.entries)),
		ralign: make([][]libAlign, len(li.m.entries)), reach: make([]float32, len(li.m.entries))}
	var bb bigramBag
	var unseen []float32
	unseenW := map[string]float32{} // by bigram the library lacks
	sim := make([]float32, len(li.m.entries))
	best := make([]int32, len(li.sourceNames))
	for d, e := range m.entries {
		b := map[int32]float32{}
		clear(unseenW)
		bb.each(e.Question, e.Answer, func(k string, w float32) {
			if id, ok := li.bigrams[k]; ok {
				b[id] += w
			} else {
				unseenW[k] += w
			}
		})
		unseen = unseen[:0]
		for _, w := range unseenW {
			unseen = append(unseen, w)
		}
		clear(sim)
		for id, w := range li.unit(b, unseen) {
			for _, p := range li.post[id] {
				sim[p.doc] += w * p.w
			}
		}
		for i := range best {
			best[i] = -1
		}
		for l, s := range sim {
			rl.reach[l] = max(rl.reach[l], s)
			if b := best[li.source[l]]; s > 0 && (b < 0 || s > sim[b]) {
				best[li.source[l]] = int32(l)
			}
		}
		for _, l := range best {
			if l >= 0 && sim[l] >= libraryAlign {
				rl.align[d] = append(rl.align[d], libAlign{l, sim[l]})
				rl.ralign[l] = append(rl.ralign[l], libAlign{int32(d), sim[l]})
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

// libraryHits matches query in the resident-question library, leaving
// its best libraryVoteK entries and their weights (libraryHitWeights) in
// sc for libraryVotes, libraryCandidates and libraryReach.
func (m *Matcher) libraryHits(sc *scratch, query string) {
	// The question as NFKC text (sc's normaliser kept it): normalising it
	// again allocates nothing. The string views sc's buffer only for the
	// call; the library's matcher keeps no reference to it.
	if b := sc.nz.nfkcAll; len(b) > 0 {
		query = unsafe.String(unsafe.SliceData(b), len(b))
	}
	m.lib.m.matchInto(&sc.lib, query, libraryVoteK, nil)
	libraryHitWeights(sc)
}

// libraryVotes fills votes (by candidate) with the library's vote for
// each of cs: Σ over its aligned library entries of similarity × the
// entry's hit weight among the library's hits (libraryHits).
func (m *Matcher) libraryVotes(votes []float64, sc *scratch, cs []Candidate) {
	hits := sc.lib.Candidates
	for i := range cs {
		votes[i] = 0
		if sc.libMass == 0 {
			continue
		}
		for _, a := range m.lib.align[cs[i].doc] {
			for j, h := range hits {
				if h.doc == a.doc {
					votes[i] += float64(a.w) * sc.libW[j]
					break
				}
			}
		}
	}
}

// libraryCandidates lets the library's vote bring entries that BM25 left
// out of cs (its best k by score) into it: a story told without the
// programme's words (「旦那が刑務所に入って…国から何か出ないのかい」)
// shares few terms with the entry it is about, but the library holds such
// stories under that programme's entries elsewhere. Up to
// options.libInject entries the query touched, outside cs, whose vote is
// at least libraryInjectShare of the best vote, each in turn take the
// place of the last candidate not brought in when that one has less vote
// (an entry put out so may come back in the next turn, its vote being
// high enough); they enter with their own scores, in BM25 order. It
// returns cs.
func (m *Matcher) libraryCandidates(sc *scratch, cs []Candidate, k int, gen uint32, qa aspect, total float32) []Candidate {
	if sc.libMass == 0 {
		return cs
	}
	// The vote of every entry aligned with a hit, in the order first met;
	// sc.lvpos finds an entry's place (marked by generation, so the cost is
	// that of the alignments, however many entries a hit aligns with).
	sc.lvotes = sc.lvotes[:0]
	for j, h := range sc.lib.Candidates {
		for _, a := range m.lib.ralign[h.doc] {
			v := float64(a.w) * sc.libW[j]
			if sc.lvmark[a.doc] == gen {
				sc.lvotes[sc.lvpos[a.doc]].w += v
				continue
			}
			sc.lvmark[a.doc] = gen
			sc.lvpos[a.doc] = int32(len(sc.lvotes))
			sc.lvotes = append(sc.lvotes, docVote{a.doc, v})
		}
	}
	var top float64
	for _, v := range sc.lvotes {
		top = max(top, v.w)
	}
	for range m.opts.libInject {
		// The best-voted entry outside cs that the query touched.
		bi := -1
		for i, v := range sc.lvotes {
			if v.w < libraryInjectShare*top || sc.acc[v.doc].mark != gen || !m.plain[v.doc] || inCandidates(cs, v.doc) {
				continue
			}
			if bi < 0 || v.w > sc.lvotes[bi].w {
				bi = i
			}
		}
		if bi < 0 {
			break
		}
		d, w := sc.lvotes[bi].doc, sc.lvotes[bi].w
		sc.lvotes[bi].w = -1 // taken
		c := m.candidate(sc, d, m.candidateScore(sc, d, qa), total)
		i := len(cs) // where c is placed
		if len(cs) < k {
			cs = append(cs, c)
		} else {
			// The last place among those not brought in, if its vote is
			// lower.
			last := -1
			for j := len(cs) - 1; j >= 0; j-- {
				if !cs[j].injected {
					last = j
					break
				}
			}
			if last < 1 || candidateVote(sc, cs[last].doc, gen) >= w {
				break
			}
			i = last
			cs[i] = c
		}
		// Back into BM25 order (insertion sort: allocation-free).
		cs[i].injected = true
		for ; i > 0 && better(cs[i], cs[i-1]); i-- {
			cs[i], cs[i-1] = cs[i-1], cs[i]
		}
		for ; i < len(cs)-1 && better(cs[i+1], cs[i]); i++ {
			cs[i], cs[i+1] = cs[i+1], cs[i]
		}
	}
	for i := range cs {
		cs[i].injected = false
	}
	return cs
}

// docVote is one entry's library vote (libraryCandidates).
type docVote struct {
	doc int32
	w   float64
}

// candidateVote is the library's vote for entry d in generation gen
// (libraryCandidates left every voted entry's in sc.lvotes, placed by
// sc.lvpos; 0 when it has none, or was brought in already).
func candidateVote(sc *scratch, d int32, gen uint32) float64 {
	if sc.lvmark[d] != gen {
		return 0
	}
	return max(0, sc.lvotes[sc.lvpos[d]].w)
}

// inCandidates reports whether entry d is one of cs.
func inCandidates(cs []Candidate, d int32) bool {
	for i := range cs {
		if cs[i].doc == d {
			return true
		}
	}
	return false
}

// allPlain reports whether every one of cs is an entry without sample
// phrasings or keywords (the re-ranker orders only those).
func allPlain(m *Matcher, cs []Candidate) bool {
	for i := range cs {
		if !m.plain[cs[i].doc] {
			return false
		}
	}
	return true
}

// libraryHitWeights sets, for the library's best hits for the query
// (sc.lib), each hit's weight (its score / the best hit's)^libraryGamma
// in sc.libW, and their sum in sc.libMass (0: no hits): one weighting for
// the vote and for LibraryReach.
func libraryHitWeights(sc *scratch) {
	hits := sc.lib.Candidates
	sc.libW = slices.Grow(sc.libW[:0], len(hits))[:len(hits)]
	sc.libMass = 0
	if len(hits) == 0 || hits[0].Score <= 0 {
		clear(sc.libW)
		return
	}
	for j, h := range hits {
		r := h.Score / hits[0].Score
		w := 1.0
		for range libraryGamma {
			w *= r
		}
		sc.libW[j] = w
		sc.libMass += w
	}
}

// libraryReach returns Signals.LibraryReach — the mean, by hit weight, of
// the library's best hits' reach (libraryVotes left the hits and weights
// in sc) — and the hits' total weight (0: no hits).
func (m *Matcher) libraryReach(sc *scratch) (reach, mass float64) {
	if sc.libMass == 0 {
		return 0, 0
	}
	for j, h := range sc.lib.Candidates {
		reach += sc.libW[j] * float64(m.lib.reach[h.doc])
	}
	return reach / sc.libMass, sc.libMass
}

// libraryInSample returns Stats.LibraryInSample: the library's sources, in
// the library's order, with at least half as many entries whose question
// is word for word one of the knowledge base's as the knowledge base has
// entries.
func (m *Matcher) libraryInSample() []string {
	if m.lib == nil || len(m.entries) == 0 {
		return nil
	}
	own := make(map[string]bool, len(m.entries))
	for _, e := range m.entries {
		own[strings.TrimSpace(e.Question)] = true
	}
	same := make([]int, len(m.lib.sourceNames))
	for d, e := range m.lib.m.entries {
		if own[strings.TrimSpace(e.Question)] {
			same[m.lib.source[d]]++
		}
	}
	var out []string
	for i, n := range same {
		if 2*n >= len(m.entries) {
			out = append(out, m.lib.sourceNames[i])
		}
	}
	return out
}
