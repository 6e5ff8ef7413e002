package chatbot

import (
	"slices"
	"strings"
	"unicode"
)

// Suggestion is what staff can improve in one FAQ entry before going live
// (`onestop faq suggest`).
type Suggestion struct {
	Entry *Entry
	// NoReading are the kanji words of the entry's question side that got
	// no reading (the dictionary does not know them, or their reading is
	// too short or shared with another word): a resident who types them in
	// hiragana does not reach the entry. Add the reading as an alias or a
	// phrasing.
	NoReading []string
	// NoOtherWord are the question side's kanji words that no other word
	// is rewritten to — no nickname, everyday word, spelling variant or
	// synonym leads to them: a resident has to use the FAQ's own word.
	// Add phrasings in residents' words, or aliases.
	NoOtherWord []string
	// Confused are the entries this entry's own question (or phrasings)
	// may be taken for.
	Confused []Confusion
}

// Confusion is another entry that competes with an entry on its own
// question.
type Confusion struct {
	Entry *Entry
	// Text is the entry's own question or phrasing that was tried.
	Text string
	// Rank is where the entry itself came (1 = first) for Text; 0 if not
	// in the first three.
	Rank int
	// Ratio is the other entry's score over the entry's own (above 1 the
	// other entry wins).
	Ratio float64
	// Answered is true when Text is answered directly with the other entry.
	Answered bool
}

// confusedRatio is the score ratio from which another entry counts as a
// competitor on an entry's own question. An entry's own wording always
// finds it first; residents' wording is further away, and on the shipped
// development sets the pairs residents' questions were mixed up between
// (金額 and 所得制限, ひとり親の医療費 and 子どもの医療費, 恋人と同居 and
// 祖父母と同居) are those scoring at least half the entry's own score.
const confusedRatio = 0.5

// Suggestions lists, for every entry with something to improve, the words
// residents cannot reach it by and the entries it may be taken for. src
// gives the words and their readings (the same source given to
// WithReadings; nil: the question side's runs of kanji and katakana are
// the words, and none has a reading unless an alias gives one). Entries
// with nothing to report are left out.
func (m *Matcher) Suggestions(src ReadingSource) []Suggestion {
	// What every rewritten word can be reached from.
	byReading := map[string]bool{}
	byOther := map[string]bool{}
	for _, rs := range m.aliases.byFirst {
		for _, r := range rs {
			if string(r.from) == string(r.to) || r.src == srcHomophone {
				continue // a conversion error is no way a resident means to ask
			}
			to := string(r.to)
			if r.src == srcReading || !r.expand && isAllHira(string(r.from)) && hasHanRune(to) {
				byReading[to] = true
			} else {
				byOther[to] = true
			}
		}
	}
	var out []Suggestion
	var res Result
	for d, e := range m.entries {
		s := Suggestion{Entry: e}
		seen := map[string]bool{}
		for _, text := range questionSide(e) {
			for _, w := range longestWords(wordsOf(src, text)) {
				canon := m.Canonical(w)
				if seen[canon] || !hasHanRune(w) {
					continue
				}
				seen[canon] = true
				if !byReading[canon] {
					s.NoReading = append(s.NoReading, w)
				}
				if !byOther[canon] {
					s.NoOtherWord = append(s.NoOtherWord, w)
				}
			}
		}
		for _, text := range questionSide(e) {
			m.MatchInto(&res, text, 3)
			own := -1
			for i, c := range res.Candidates {
				if int(c.doc) == d {
					own = i
				}
			}
			ownScore := 0.0
			if own >= 0 {
				ownScore = res.Candidates[own].Score
			}
			for i, c := range res.Candidates {
				if int(c.doc) == d {
					continue
				}
				if own >= 0 && c.Score < ownScore*confusedRatio {
					continue
				}
				if slices.ContainsFunc(s.Confused, func(x Confusion) bool { return x.Entry == c.Entry }) {
					continue
				}
				ratio := 0.0
				if ownScore > 0 {
					ratio = c.Score / ownScore
				}
				s.Confused = append(s.Confused, Confusion{Entry: c.Entry, Text: text, Rank: own + 1, Ratio: ratio, Answered: i == 0 && res.Level == Answer})
			}
		}
		if len(s.NoReading)+len(s.NoOtherWord)+len(s.Confused) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// questionSide returns the texts residents' questions are matched against
// first: the question, phrasings and keywords.
func questionSide(e *Entry) []string {
	out := append([]string{e.Question}, e.Phrasings...)
	return append(out, e.Keywords...)
}

// longestWords keeps the words no other word of the list contains (a
// compound, not also its parts).
func longestWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		inside := false
		for _, o := range ws {
			if len(o) > len(w) && strings.Contains(o, w) {
				inside = true
				break
			}
		}
		if !inside && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// wordsOf returns the words of text: from src, or the runs of kanji and
// katakana when src is nil.
func wordsOf(src ReadingSource, text string) []string {
	if src != nil {
		var out []string
		for _, r := range src.Readings(text) {
			out = append(out, r.Word)
		}
		return out
	}
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, run.String())
			run.Reset()
		}
	}
	for _, r := range text {
		if isHan(r) || unicode.Is(unicode.Katakana, r) || r == 'ー' {
			run.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	return out
}

func hasHanRune(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}

func isAllHira(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isHira(r) {
			return false
		}
	}
	return true
}
