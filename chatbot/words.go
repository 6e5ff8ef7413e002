package chatbot

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// The words of a question as typed — its runs of two or more kanji,
// katakana, or Latin letters and digits, NFKC-folded and lower-cased —
// are checked whole against the best candidate's and the runner-up's text
// (Signals.WordGap): the index matches character bigrams, so an entry
// holding 失業 and 保険 covers most of 「失業保険」 though it never says
// 失業保険, and a sibling entry that holds the resident's word as written
// is told apart from one that only shares its pieces.

// entryWords returns an entry's text as the word check reads it: its
// question and answer, NFKC-folded and lower-cased.
func entryWords(e *Entry) string {
	return strings.ToLower(norm.NFKC.String(e.Question + "\n" + e.Answer))
}

// isWordRune reports a rune of a word: a kanji, a katakana (with the long
// vowel mark) or a lower-case Latin letter or digit.
func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == 'ー' || unicode.Is(unicode.Han, r) || unicode.Is(unicode.Katakana, r)
}

// wordGap returns Signals.WordGap for the question in sc (its NFKC form,
// as the normaliser kept it) and entries best and second: the share of
// the question's words that best's text does not contain minus the share
// second's does not (0 when the question has none).
func (m *Matcher) wordGap(sc *scratch, best, second int32) float64 {
	bt, st := m.words[best], m.words[second]
	var n, gap int
	w, runes := sc.word[:0], 0
	end := func() {
		if runes >= 2 {
			word := unsafe.String(unsafe.SliceData(w), len(w))
			n++
			if !strings.Contains(bt, word) {
				gap++
			}
			if !strings.Contains(st, word) {
				gap--
			}
		}
		w, runes = w[:0], 0
	}
	q := sc.nz.nfkcAll
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRune(q[i:])
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if isWordRune(r) {
			w = utf8.AppendRune(w, r)
			runes++
		} else {
			end()
		}
		i += size
	}
	end()
	sc.word = w
	if n == 0 {
		return 0
	}
	return float64(gap) / float64(n)
}
