package chatbot

import (
	"sort"
	"unicode/utf8"
)

// romajiTable reads residents' romaji (「jido fuyo teate」, 「juminhyo」,
// 「konbini」) as the kana words of the knowledge base. Its keys are the
// knowledge base's kana words (readings of its kanji words, the glossary's
// kana forms, its katakana words), folded so that long vowels, which romaji
// usually leaves out (juminhyo for じゅうみんひょう), do not count. A Latin
// word, or a run of up to maxRomajiWords of them, is rewritten only when
// its whole romaji reads one of these words: English words are left to the
// glossary's English rules.
type romajiTable struct {
	words map[string]string // folded kana → the kana word as the knowledge base writes it
}

// maxRomajiWords is the longest run of Latin words read as one kana word
// (jido fuyo teate).
const maxRomajiWords = 4

// minRomajiKana is the fewest folded kana of a word romaji may read: a
// shorter key (ほめ, なめ) is as likely an English word as romaji.
const minRomajiKana = 3

// maxRomajiBytes bounds the kana a run of Latin words is read into.
const maxRomajiBytes = 192

// romajiSyllables maps a romaji syllable to its kana as Normalize writes
// them (small kana at full size: kya → きや). Hepburn and kunrei-shiki both.
var romajiSyllables = func() map[string]string {
	m := map[string]string{"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}
	rows := []struct{ c, kana string }{
		{"k", "かきくけこ"}, {"g", "がぎぐげご"}, {"s", "さしすせそ"}, {"z", "ざじずぜぞ"},
		{"t", "たちつてと"}, {"d", "だぢづでど"}, {"n", "なにぬねの"}, {"h", "はひふへほ"},
		{"b", "ばびぶべぼ"}, {"p", "ぱぴぷぺぽ"}, {"m", "まみむめも"}, {"r", "らりるれろ"},
		{"l", "らりるれろ"},
	}
	const vowels = "aiueo"
	for _, r := range rows {
		ks := []rune(r.kana)
		for i, v := range vowels {
			m[r.c+string(v)] = string(ks[i])
		}
	}
	for k, v := range map[string]string{
		"ya": "や", "yu": "ゆ", "yo": "よ", "wa": "わ", "wo": "を", "wi": "うい", "we": "うえ",
		"shi": "し", "chi": "ち", "tsu": "つ", "fu": "ふ", "ji": "じ",
		"fa": "ふあ", "fi": "ふい", "fe": "ふえ", "fo": "ふお",
		"va": "ゔあ", "vi": "ゔい", "vu": "ゔ", "ve": "ゔえ", "vo": "ゔお",
		"she": "しえ", "che": "ちえ", "je": "じえ",
	} {
		m[k] = v
	}
	// Contracted syllables: ky+a → きや; sh, ch, j and their kunrei forms.
	for _, r := range []struct{ c, i string }{
		{"ky", "き"}, {"gy", "ぎ"}, {"ny", "に"}, {"hy", "ひ"}, {"by", "び"}, {"py", "ぴ"},
		{"my", "み"}, {"ry", "り"}, {"ly", "り"}, {"sy", "し"}, {"sh", "し"}, {"zy", "じ"},
		{"jy", "じ"}, {"j", "じ"}, {"ty", "ち"}, {"ch", "ち"}, {"cy", "ち"}, {"dy", "ぢ"},
	} {
		m[r.c+"a"] = r.i + "や"
		m[r.c+"u"] = r.i + "ゆ"
		m[r.c+"o"] = r.i + "よ"
	}
	return m
}()

// kanaVowel is the vowel a kana ends with ('a' … 'o'), 0 for ん and others.
var kanaVowel = func() map[rune]byte {
	m := map[rune]byte{'つ': 'u'}
	for k, v := range romajiSyllables {
		rs := []rune(v)
		if len(rs) == 1 {
			m[rs[0]] = k[len(k)-1]
		}
	}
	m['や'], m['ゆ'], m['よ'], m['わ'], m['を'] = 'a', 'u', 'o', 'a', 'o'
	return m
}()

// appendFolded appends kana rune r to the folded key dst, whose last rune
// is prev: a vowel that only lengthens the one before it (おう, うう, ああ,
// いい, ええ, おお) is left out. It returns the new dst and prev.
func appendFolded(dst []byte, prev, r rune) ([]byte, rune) {
	if v, ok := kanaVowel[r]; ok && prev != 0 {
		if pv := kanaVowel[prev]; pv != 0 && isBareVowel(r) && (pv == v || pv == 'o' && v == 'u') {
			return dst, prev
		}
	}
	return utf8.AppendRune(dst, r), r
}

func isBareVowel(r rune) bool {
	switch r {
	case 'あ', 'い', 'う', 'え', 'お':
		return true
	}
	return false
}

// foldKana returns the folded key of normalised hiragana s, or false when s
// holds anything but hiragana.
func foldKana(s string) (string, bool) {
	var dst []byte
	var prev rune
	for _, r := range s {
		if !isHira(r) {
			return "", false
		}
		dst, prev = appendFolded(dst, prev, r)
	}
	return string(dst), true
}

// romajiFold reads the Latin letters w (lower case, no spaces) as romaji and
// appends their folded kana to dst; false when w is not romaji.
func romajiFold(dst []byte, prev rune, w []byte) ([]byte, rune, bool) {
	for i := 0; i < len(w); {
		c := w[i]
		if i+1 < len(w) {
			n := w[i+1]
			switch {
			case c == 'n' && n == 'n':
				// nn is ん; before a vowel the second n starts the next
				// syllable (konnichiwa).
				dst, prev = appendFolded(dst, prev, 'ん')
				i++
				if i+1 < len(w) && isLatinVowel(w[i+1]) {
					continue
				}
				i++
				continue
			case c == 'n' && !isLatinVowel(n) && n != 'y':
				dst, prev = appendFolded(dst, prev, 'ん')
				i++
				continue
			case c == 'm' && (n == 'b' || n == 'p' || n == 'm'):
				dst, prev = appendFolded(dst, prev, 'ん')
				i++
				continue
			case c == n && !isLatinVowel(c) || c == 't' && n == 'c':
				dst, prev = appendFolded(dst, prev, 'つ') // っ, folded
				i++
				continue
			}
		} else if c == 'n' {
			dst, prev = appendFolded(dst, prev, 'ん')
			i++
			continue
		}
		ok := false
		for l := min(3, len(w)-i); l >= 1; l-- {
			if k, found := romajiSyllables[string(w[i:i+l])]; found {
				for _, r := range k {
					dst, prev = appendFolded(dst, prev, r)
				}
				i += l
				ok = true
				break
			}
		}
		if !ok || len(dst) > maxRomajiBytes {
			return dst, prev, false
		}
	}
	return dst, prev, true
}

func isLatinVowel(c byte) bool {
	switch c {
	case 'a', 'i', 'u', 'e', 'o':
		return true
	}
	return false
}

func isLatinLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// newRomajiTable builds the table from the kana words of a knowledge base:
// kana (normalised hiragana words) are the keys of the rewrite rules and
// the knowledge base's katakana words. Two words with one folded key are
// both left out.
func newRomajiTable(kana []string) romajiTable {
	t := romajiTable{words: map[string]string{}}
	clash := map[string]bool{}
	for _, k := range kana {
		key, ok := foldKana(k)
		if !ok || utf8.RuneCountInString(key) < minRomajiKana {
			continue
		}
		if prev, ok := t.words[key]; ok && prev != k {
			clash[key] = true
			continue
		}
		t.words[key] = k
	}
	for k := range clash {
		delete(t.words, k)
	}
	return t
}

// rewrite appends s (normalised text, ks its marks) to dst with every run of
// Latin words that reads a kana word of the knowledge base replaced by that
// word, marked as content; kdst gets the marks. The longest run wins.
func (t *romajiTable) rewrite(dst []byte, kdst []uint8, s []byte, ks []uint8) ([]byte, []uint8) {
	var buf [maxRomajiBytes + 16]byte
	for i := 0; i < len(s); {
		if !isLatinLetter(s[i]) || i > 0 && isLatinOrDigit(rune(s[i-1])) {
			dst, kdst = append(dst, s[i]), append(kdst, ks[i])
			i++
			continue
		}
		// The ends of up to maxRomajiWords Latin words from i, one space
		// apart.
		var ends [maxRomajiWords]int
		nw := 0
		for j := i; nw < maxRomajiWords; {
			e := j
			for e < len(s) && isLatinLetter(s[e]) {
				e++
			}
			if e < len(s) && isLatinOrDigit(rune(s[e])) || e == j {
				break // a word running into digits is not romaji
			}
			ends[nw] = e
			nw++
			if e+1 >= len(s) || s[e] != ' ' || !isLatinLetter(s[e+1]) {
				break
			}
			j = e + 1
		}
		end, word := 0, ""
		for k := nw; k >= 1 && end == 0; k-- {
			key, prev, ok := buf[:0], rune(0), true
			for w, st := 0, i; w < k && ok; w++ {
				key, prev, ok = romajiFold(key, prev, s[st:ends[w]])
				st = ends[w] + 1
			}
			if !ok || utf8.RuneCount(key) < minRomajiKana {
				continue
			}
			if kw, found := t.words[string(key)]; found {
				end, word = ends[k-1], kw
			}
		}
		if end == 0 {
			e := i
			for e < len(s) && isLatinOrDigit(rune(s[e])) {
				e++
			}
			dst, kdst = append(dst, s[i:e]...), append(kdst, ks[i:e]...)
			i = e
			continue
		}
		dst = append(dst, word...)
		for range len(word) {
			kdst = append(kdst, markContent)
		}
		i = end
	}
	return dst, kdst
}

// hasLatin reports whether normalised text holds a Latin letter.
func hasLatin(s []byte) bool {
	for _, c := range s {
		if isLatinLetter(c) {
			return true
		}
	}
	return false
}

// romajiKana lists the kana words romaji may read: the hiragana words the
// rules rewrite (readings of the knowledge base's kanji words, the
// glossary's kana forms) and the katakana words of texts (コンビニ), as
// Normalize writes them.
func romajiKana(b *aliasBuilder, texts []string) []string {
	var out []string
	for from := range b.rules {
		out = append(out, from)
	}
	var nz normalizer
	var buf []byte
	for _, t := range texts {
		buf = nz.normalize(buf[:0], t)
		for i := 0; i < len(buf); {
			if nz.kata[i] == 0 {
				i++
				continue
			}
			j := i
			for j < len(buf) && nz.kata[j] != 0 {
				j++
			}
			out = append(out, string(buf[i:j]))
			i = j
		}
	}
	sort.Strings(out) // a clash is decided the same way every time
	return out
}
