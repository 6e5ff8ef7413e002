package chatbot

import (
	"slices"
	"strings"
)

// DefaultMaxPhrasings is how many sample phrasings SuggestPhrasings
// proposes per entry when asked for 0 or fewer.
const DefaultMaxPhrasings = 8

// PhrasingSuggestion is the sample phrasings the resident-question library
// proposes for one entry: how residents elsewhere asked the library entries
// aligned with it.
type PhrasingSuggestion struct {
	Entry *Entry
	// Phrasings are the candidates, best first: questions of the most
	// similar aligned library entry come first, then the next one's, in
	// turns (one from each aligned entry, then a second from each, …).
	Phrasings []string
	// Origins[i] is the library entry Phrasings[i] was written for: staff
	// compare its question with the entry's to see whether the phrasing
	// asks what the entry answers (the library's FAQs split topics
	// differently).
	Origins []PhrasingOrigin
	// From are the aligned library entries the candidates were drawn from
	// ("source/id", most similar first), for staff who want to see why.
	From []string
}

// PhrasingOrigin is the library entry a suggested phrasing comes from.
type PhrasingOrigin struct {
	// ID is the library entry ("source/id", e.g. "dev3/M02").
	ID string
	// Question is its question: another municipality's wording.
	Question string
	// Similarity is its alignment with the entry (cosine of the formal
	// text, 0–1).
	Similarity float64
}

// SuggestPhrasings proposes, for every entry of the knowledge base, up to
// maxN sample phrasings (0 or fewer: DefaultMaxPhrasings) taken from the
// resident-question library (docs/chatbot.md, "Resident-question
// library"): the resident questions of the library entries aligned with the
// entry by their formal text, ranked by the alignment's similarity and
// taken in turns from each aligned entry. A candidate is kept only if the
// matcher itself ranks the entry first for it — a phrasing another entry
// matches better would plant a confusion — and if it is not already the
// entry's question, one of its phrasings or another entry's candidate.
//
// It is a tool for staff before going live: the candidates are for review,
// not for loading unread. Accepting every one on the development FAQs
// raised direct answers but also wrong ones above 2 % and lowered
// rejection (docs/chatbot.md, "Sample phrasings from the library"): a
// knowledge base with phrasings leaves the path for plain FAQs (the
// library's vote, the re-ranker, the calibrated confidence). The library's questions left out by
// WithResidentLibraryExcept are left out here too. Entries that get no
// candidate are left out; the result is nil when the matcher was compiled
// WithoutResidentLibrary. Unlike matching, it also works on a knowledge
// base whose entries already have phrasings (it aligns them on demand).
func (m *Matcher) SuggestPhrasings(maxN int) ([]PhrasingSuggestion, error) {
	if maxN <= 0 {
		maxN = DefaultMaxPhrasings
	}
	if m.opts.noLibrary {
		return nil, nil
	}
	lib := m.lib
	if lib == nil {
		var err error
		lib, err = m.buildLibrary()
		if err != nil {
			return nil, err
		}
	}
	var nz normalizer
	key := func(s string) string { return string(nz.normalize(nil, s)) }
	taken := map[string]bool{} // candidates kept for any entry, and every entry's own texts
	for _, e := range m.entries {
		for _, t := range questionSide(e) {
			taken[key(t)] = true
		}
	}
	var out []PhrasingSuggestion
	var res Result
	for d, e := range m.entries {
		al := slices.Clone(lib.align[d])
		slices.SortStableFunc(al, func(a, b libAlign) int {
			switch {
			case a.w > b.w:
				return -1
			case a.w < b.w:
				return 1
			}
			return 0
		})
		s := PhrasingSuggestion{Entry: e}
		for _, a := range al {
			s.From = append(s.From, lib.m.entries[a.doc].ID)
		}
		for turn := 0; len(s.Phrasings) < maxN; turn++ {
			more := false
			for _, a := range al {
				qs := lib.m.entries[a.doc].Phrasings
				if turn >= len(qs) {
					continue
				}
				more = true
				q := strings.TrimSpace(qs[turn])
				k := key(q)
				if q == "" || taken[k] {
					continue
				}
				m.MatchInto(&res, q, 1)
				if len(res.Candidates) == 0 || int(res.Candidates[0].doc) != d {
					continue
				}
				taken[k] = true
				s.Phrasings = append(s.Phrasings, q)
				le := lib.m.entries[a.doc]
				s.Origins = append(s.Origins, PhrasingOrigin{ID: le.ID, Question: le.Question, Similarity: float64(a.w)})
				if len(s.Phrasings) == maxN {
					break
				}
			}
			if !more {
				break
			}
		}
		if len(s.Phrasings) > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// WithPhrasings returns a copy of kb whose entries have the suggestions'
// phrasings added after their own (by entry ID; a phrasing the entry
// already has is not added twice). kb is not changed.
func (kb *KnowledgeBase) WithPhrasings(sugs []PhrasingSuggestion) *KnowledgeBase {
	add := map[string][]string{}
	for _, s := range sugs {
		if s.Entry != nil {
			add[s.Entry.ID] = append(add[s.Entry.ID], s.Phrasings...)
		}
	}
	out := *kb
	out.Entries = slices.Clone(kb.Entries)
	for i := range out.Entries {
		e := &out.Entries[i]
		ps := slices.Clip(e.Phrasings)
		for _, p := range add[e.ID] {
			if !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
		e.Phrasings = ps
	}
	return &out
}
