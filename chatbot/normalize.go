package chatbot

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds text the way the matcher sees it:
//
//   - NFKC (full-width ASCII and digits to ASCII, half-width katakana to full
//     width: ＤＶ → dv, ０９０ → 090, ｼﾞﾄﾞｳ → じどう);
//   - Latin letters to lower case;
//   - katakana to hiragana (x/text has no kana mapping: U+30A1–U+30F6 shift
//     down by 0x60) and small kana to their full-size forms, so ハローワーク,
//     はろーわーく and ﾊﾛｰﾜｰｸ agree;
//   - the long-vowel mark ー and dash-like characters typed after a kana as a
//     long vowel (‐ - – — ― − 〜 ～) are dropped (ハローワーク ≈ ハロ－ワ－ク ≈
//     はろわく), and so is the middle dot ・;
//   - punctuation, symbols and spaces become a single space.
//
// Always display the original text: normalisation is for matching only.
func Normalize(s string) string {
	var n normalizer
	return string(n.normalize(nil, s))
}

// normalizer holds the scratch buffer for NFKC so that repeated calls on the
// match path do not allocate.
type normalizer struct {
	nfkc []byte
	// kata[i] is markContent when output byte i belongs to a rune that
	// was katakana before folding (ゴミ, シェルター: content words, unlike
	// the hiragana of particles and okurigana), else 0.
	kata []uint8
	// nfkcAll is the NFKC form of the text normalised since the last call
	// with an empty dst (the resident-question library's matcher reads the
	// question in that form: NFKC text passes NFKC's quick check without
	// allocating).
	nfkcAll []byte
}

// normalize appends the normalised s to dst. A non-empty dst must be this
// normalizer's own previous output (its katakana marks are kept): text
// normalised in two calls, split before a separator, reads exactly as if
// normalised at once.
func (n *normalizer) normalize(dst []byte, s string) []byte {
	n.nfkc = norm.NFKC.AppendString(n.nfkc[:0], s)
	if len(dst) == 0 {
		n.nfkcAll = n.nfkcAll[:0]
	}
	n.nfkcAll = append(n.nfkcAll, n.nfkc...)
	n.kata = n.kata[:min(len(n.kata), len(dst))]
	for len(n.kata) < len(dst) {
		n.kata = append(n.kata, 0)
	}
	b := n.nfkc
	prevKana := false
	space := len(dst) == 0 || dst[len(dst)-1] == ' ' // suppress leading space
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		k := uint8(0)
		switch {
		case r == utf8.RuneError && size <= 1:
			// invalid byte: treat as a separator
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			prevKana = false
			continue
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 0x30A1 && r <= 0x30F6: // katakana → hiragana
			r -= 0x60
			k = markContent
		case r == 'ー' || r == '・' || r == 0xFF70:
			continue
		case isDash(r):
			if prevKana {
				continue // a dash typed as a long vowel
			}
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			continue
		case r < 0x80:
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				if !space {
					dst = append(dst, ' ')
					space = true
				}
				prevKana = false
				continue
			}
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			prevKana = false
			continue
		default:
			if unicode.IsUpper(r) {
				r = unicode.ToLower(r)
			}
		}
		r = foldSmallKana(r)
		prevKana = r >= 0x3041 && r <= 0x3096
		for len(n.kata) < len(dst) { // separators appended before this rune
			n.kata = append(n.kata, 0)
		}
		dst = utf8.AppendRune(dst, r)
		for len(n.kata) < len(dst) {
			n.kata = append(n.kata, k)
		}
		space = false
	}
	if len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	for len(n.kata) < len(dst) {
		n.kata = append(n.kata, 0)
	}
	return dst
}

func isDash(r rune) bool {
	switch r {
	case '-', '~', 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x301C, 0xFF5E, 0xFF0D:
		return true
	}
	return false
}

func foldSmallKana(r rune) rune {
	switch r {
	case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ':
		return r + 1
	case 'ゕ':
		return 'か'
	case 'ゖ':
		return 'け'
	}
	return r
}

// termKind says what a term is made of; it sets the term's weight.
type termKind uint8

const (
	kindBigram  termKind = iota // two kanji, or a bigram with katakana: content
	kindKana                    // two hiragana: particles, endings; weak evidence
	kindUnigram                 // one kanji
	kindWord                    // a run of Latin letters or digits
	kindMixed                   // kanji + hiragana: often crosses a particle (日を, を知)
	numKinds
)

// span is a term inside a normalized string.
type span struct {
	start, end int32
	kind       termKind
	added      bool // put in by an also rule (see markAdded)
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || r == '々' || r == '〆'
}

func isHira(r rune) bool { return r >= 0x3041 && r <= 0x309F }

func isCJK(r rune) bool { return isHan(r) || isHira(r) }

// appendTerms appends the terms of a normalized string: character bigrams
// inside CJK runs, one unigram per kanji, and Latin/digit runs whole (so
// "dv 相談" never yields a mixed "v相" bigram). marks (nil: none) are the
// byte marks of applyMarked; markContent hiragana counts as content, not
// particles, and a term starting in bytes marked markAdded is marked added.
func appendTerms(dst []span, s []byte, marks []uint8) []span {
	prevStart := -1 // previous CJK rune in the current run
	prevHira, prevHan := false, false
	wordStart := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case isCJK(r):
			if wordStart >= 0 {
				dst = append(dst, span{int32(wordStart), int32(i), kindWord, addedAt(marks, wordStart)})
				wordStart = -1
			}
			han := !isHira(r)
			hira := !han && (marks == nil || i >= len(marks) || marks[i]&markContent == 0) // hiragana as typed
			if prevStart >= 0 {
				k := kindBigram
				switch {
				case hira && prevHira:
					k = kindKana
				case hira && prevHan || han && prevHira:
					k = kindMixed
				}
				dst = append(dst, span{int32(prevStart), int32(i + size), k, addedAt(marks, prevStart)})
			}
			if han {
				dst = append(dst, span{int32(i), int32(i + size), kindUnigram, addedAt(marks, i)})
			}
			prevStart, prevHira, prevHan = i, hira, han
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || unicode.IsLetter(r) || unicode.IsDigit(r):
			prevStart = -1
			if wordStart < 0 {
				wordStart = i
			}
		default:
			prevStart = -1
			if wordStart >= 0 {
				dst = append(dst, span{int32(wordStart), int32(i), kindWord, addedAt(marks, wordStart)})
				wordStart = -1
			}
		}
		i += size
	}
	if wordStart >= 0 {
		dst = append(dst, span{int32(wordStart), int32(len(s)), kindWord, addedAt(marks, wordStart)})
	}
	return dst
}

// appendNumberTerms appends, for each number followed by a kanji counter in
// a normalized string (5年, 8月, 18歳, 3人目), a term of the number with its
// counter: 5 and 年 alone say little. marks as for appendTerms.
func appendNumberTerms(dst []span, s []byte, marks []uint8) []span {
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' || i > 0 && isLatinOrDigit(rune(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if r, size := utf8.DecodeRune(s[j:]); isCJK(r) && !isHira(r) {
			dst = append(dst, span{int32(i), int32(j + size), kindWord, addedAt(marks, i)})
		}
		i = j
	}
	return dst
}

func addedAt(marks []uint8, i int) bool { return i < len(marks) && marks[i]&markAdded != 0 }
