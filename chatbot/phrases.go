package chatbot

import (
	"bytes"
	"unicode/utf8"
)

// phraseIndex finds many words of two runes or more in texts at once: the
// words are indexed by their first two runes, so a text is scanned once
// whatever the number of words.
type phraseIndex struct {
	words  []string
	byPair map[uint64][]int32 // first two runes → word ids
}

func pairKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// index builds byPair from words (words shorter than two runes are never
// found).
func (p *phraseIndex) index() {
	p.byPair = make(map[uint64][]int32, len(p.words))
	for id, w := range p.words {
		r1, s1 := utf8.DecodeRuneInString(w)
		if s1 >= len(w) {
			continue
		}
		r2, _ := utf8.DecodeRuneInString(w[s1:])
		k := pairKey(r1, r2)
		p.byPair[k] = append(p.byPair[k], int32(id))
	}
}

// count adds to counts, by word id, how often each word occurs in text.
func (p *phraseIndex) count(counts []int32, text []byte) {
	for i := 0; i < len(text); {
		r1, s1 := utf8.DecodeRune(text[i:])
		if i+s1 < len(text) {
			r2, _ := utf8.DecodeRune(text[i+s1:])
			for _, id := range p.byPair[pairKey(r1, r2)] {
				if bytes.HasPrefix(text[i:], []byte(p.words[id])) {
					counts[id]++
				}
			}
		}
		i += s1
	}
}
