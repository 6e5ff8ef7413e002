package chatbot

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Reading is how a word of a knowledge base is read.
type Reading struct {
	// Word is the word as written: 児童扶養手当.
	Word string
	// Kana is its reading in hiragana or katakana (ジドウフヨウテアテ), or ""
	// when the dictionary does not know the word.
	Kana string
}

// ReadingSource finds the content words of a text and their readings.
// Package chatbot/yomi implements it with a morphological dictionary; a
// vendor may plug in another. Implementations must be safe for concurrent
// use.
type ReadingSource interface {
	Readings(text string) []Reading
}

// HomophoneSource is implemented by a ReadingSource that can also list the
// words its dictionary reads the same way. Compile then adds, to each word
// of the knowledge base, the words read like it that the knowledge base
// never uses — the conversion errors of a resident's input method (自動手当
// for 児童手当, 装弾 for 相談, 新生 for 申請). The added word scores but is
// not counted in coverage, so a conversion error helps rank the right
// entry without making a direct answer out of a guess.
type HomophoneSource interface {
	// Homophones returns, for each reading (in hiragana), the words read
	// that way (common nouns written with kanji).
	Homophones(kana []string) map[string][]string
}

// WithReadings makes Compile give every kanji word of the knowledge base
// its reading as a rewrite rule (じどうふようてあて → 児童扶養手当), so that a
// question typed in hiragana, or in katakana, meets the entries written in
// kanji. Readings of fewer than three kana, readings shared by two
// different words of the knowledge base (こうざ: 口座 and 講座) and readings
// that are also common verb endings (しない: 市内) are left out.
func WithReadings(src ReadingSource) Option { return func(o *options) { o.readings = src } }

// minReadingKana is the shortest reading made a rule: two-kana readings (ちち,
// かじ) are part of too many other words.
const minReadingKana = 3

// readingEndings are endings of three-kana readings that are far more
// often verb or auxiliary forms in a question than the noun (しない 市内,
// いない 以内, かない 家内, したい 死体, しよう 使用, しても, している).
var readingEndings = []string{"ない", "たい", "よう", "ます", "ても", "てい", "たら", "れる", "せる"}

// readingStop are readings that are far more often grammar in a question
// than the noun they also read (ないように, どういう, わかって, でしょう
// after small kana are folded: でしよう).
var readingStop = map[string]bool{
	"ないよう": true, "どうい": true, "かって": true, "いって": true, "ついて": true, "しよう": true,
	"ください": true, "くださ": true, "ところ": true, "とおり": true, "くらい": true, "ぐらい": true,
	"ばかり": true, "みたい": true, "ほしい": true, "いける": true, "できる": true, "かかる": true,
	"なおす": true, "しかた": true, "ことし": true, "いいです": true, "ますか": true, "ですか": true,
	// Round 14: readings that met grammar, pronouns, loanwords or numbers
	// in the development questions more often than the noun — てしまいました
	// (姉妹), わたし (渡し), でもいいんですか (委員), こういう (行為),
	// 手続きって (切手), 払わんといけん (意見), シングル (寝具), おとうさん
	// (倒産), トワイライト (依頼), 会いたくない (委託), きのう (昨日, not 機能),
	// さいこうふ (再交付: 以降), ケースワーカーさん (加算), きゅうじゅう
	// (事由).
	"しまい": true, "わたし": true, "いいん": true, "こうい": true, "きって": true, "いけん": true,
	"しんぐ": true, "とうさん": true, "いらい": true, "いたく": true, "きのう": true, "いこう": true,
	"かさん": true, "じゆう": true,
}

// readingRule returns the rule kana → word for one reading, or false when
// the reading is unusable.
func readingRule(r Reading) (kana, word string, ok bool) {
	word, kana = Normalize(r.Word), Normalize(r.Kana)
	if word == "" || kana == "" || kana == word || readingStop[kana] {
		return "", "", false
	}
	hasHan := false
	for _, c := range word {
		if isHan(c) {
			hasHan = true
			break
		}
	}
	if !hasHan {
		return "", "", false
	}
	n := 0
	for _, c := range kana {
		if !isHira(c) {
			return "", "", false
		}
		n++
	}
	if n < minReadingKana {
		return "", "", false
	}
	// A single kanji read with one Sino-Japanese syllable (証 しょう, 中
	// ちゅう, 庁 ちょう) sits inside too many words and endings; its kun
	// readings (命 いのち, 心 こころ) are safe.
	if utf8.RuneCountInString(word) == 1 && (strings.ContainsAny(r.Kana, "ャュョゃゅょ") || strings.HasSuffix(kana, "う") || strings.HasSuffix(kana, "ん")) {
		return "", "", false
	}
	if n == minReadingKana {
		for _, e := range readingEndings {
			if strings.HasSuffix(kana, e) {
				return "", "", false
			}
		}
	}
	return kana, word, true
}

// allHan reports whether s is written with kanji only.
func allHan(s string) bool {
	for _, c := range s {
		if !isHan(c) {
			return false
		}
	}
	return s != ""
}

// writtenWord is a word of the knowledge base as read and rewritten.
type writtenWord struct{ kana, to string }

// homophoneKey returns the normalised reading and word of a word of two
// kanji or more, for looking up the words read like it.
func homophoneKey(r Reading) (kana, word string, ok bool) {
	word, kana = Normalize(r.Word), Normalize(r.Kana)
	if kana == "" || utf8.RuneCountInString(kana) < 2 {
		return "", "", false
	}
	n := 0
	for _, c := range word {
		if !isHan(c) {
			return "", "", false
		}
		n++
	}
	return kana, word, n >= 2
}

// addReadingRules adds a rule from each usable reading of the knowledge
// base's words to the word. canon is the table of the higher sources: two
// spellings it makes one (子供, 子ども) are one word, not a homophone pair.
// Words without a reading are left to Suggestions.
func addReadingRules(b *aliasBuilder, canon *aliasTable, src ReadingSource, texts []string) {
	byKana := map[string]string{}
	conflict := map[string]bool{}
	// Homophones are looked up for every word of two kanji or more, even
	// when its reading is too short to be a rule of its own (保護 ほご).
	homKana := map[string]string{}
	homConflict := map[string]bool{}
	// Every word of two kanji or more as written, with its reading and
	// its rewritten form: compounds and their parts.
	written := map[string]writtenWord{}
	for _, text := range texts {
		for _, r := range src.Readings(text) {
			if r.Kana == "" {
				continue
			}
			if kana, word, ok := homophoneKey(r); ok {
				w := word
				word = string(canon.apply(nil, []byte(word)))
				written[w] = writtenWord{kana: kana, to: word}
				if prev, ok := homKana[kana]; ok && prev != word {
					homConflict[kana] = true
				} else {
					homKana[kana] = word
				}
			}
			kana, word, ok := readingRule(r)
			if !ok {
				continue
			}
			word = string(canon.apply(nil, []byte(word)))
			if prev, ok := byKana[kana]; ok && prev != word {
				conflict[kana] = true
				continue
			}
			byKana[kana] = word
		}
	}
	for kana, word := range byKana {
		if !conflict[kana] {
			b.add(kana, word, false, srcReading)
		}
	}
	if hs, ok := src.(HomophoneSource); ok {
		addHomophoneRules(b, canon, hs, homKana, homConflict, written, texts)
	}
}

// addHomophoneRules adds, for each word of the knowledge base with a
// reading, the other words read the same way that the knowledge base never
// uses, as also rules (the word stays, the knowledge base's word is added).
//
// A compound of the knowledge base (児童扶養手当) also gets, as an also rule,
// each spelling with one of its parts replaced by a word read like that part
// (自動扶養手当, 児童不要手当), even when the knowledge base uses that word
// elsewhere (自動的に): the misspelt compound itself is not in the knowledge
// base.
func addHomophoneRules(b *aliasBuilder, canon *aliasTable, hs HomophoneSource, byKana map[string]string, conflict map[string]bool, written map[string]writtenWord, texts []string) {
	var kanas []string
	for k := range byKana {
		if !conflict[k] && utf8.RuneCountInString(byKana[k]) >= 2 {
			kanas = append(kanas, k)
		}
	}
	for _, w := range written {
		if _, ok := byKana[w.kana]; !ok || conflict[w.kana] {
			kanas = append(kanas, w.kana)
		}
	}
	sort.Strings(kanas)
	kanas = slices.Compact(kanas)
	target := map[string]string{}
	var cands []string
	homs := hs.Homophones(kanas)
	variant := map[string]string{}
	for whole, ww := range written {
		rs := []rune(whole)
		if len(rs) < 3 {
			continue
		}
		for i := range rs {
			for j := i + 2; j <= len(rs) && j-i < len(rs); j++ {
				part := string(rs[i:j])
				pw, ok := written[part]
				if !ok {
					continue
				}
				for _, h := range homs[pw.kana] {
					h = Normalize(h)
					if h == part || !allHan(h) {
						continue
					}
					v := string(rs[:i]) + h + string(rs[j:])
					if string(canon.apply(nil, []byte(v))) != v {
						continue // a higher source reads it already (国保料: 国保)
					}
					if prev, ok := variant[v]; ok && prev != ww.to {
						variant[v] = "" // read like two compounds
						continue
					}
					variant[v] = ww.to
				}
			}
		}
	}
	for v, to := range variant {
		if to == "" {
			continue
		}
		if _, ok := target[v]; !ok {
			cands = append(cands, v)
		}
		target[v] = to
	}
	for kana, words := range homs {
		w, ok := byKana[kana]
		if !ok || conflict[kana] {
			continue
		}
		for _, h := range words {
			n := Normalize(h)
			if n == w || utf8.RuneCountInString(n) < 2 || !hasHanRune(n) {
				continue
			}
			if prev, ok := target[n]; ok && prev != w {
				target[n] = "" // read like two words of the knowledge base
				continue
			}
			if _, ok := target[n]; !ok {
				cands = append(cands, n)
			}
			target[n] = w
		}
	}
	sort.Strings(cands)
	idx := phraseIndex{words: cands}
	idx.index()
	counts := make([]int32, len(cands))
	var nz normalizer
	var buf []byte
	for _, t := range texts {
		buf = nz.normalize(buf[:0], t)
		idx.count(counts, buf)
	}
	for i, h := range cands {
		if w := target[h]; w != "" && counts[i] == 0 && !b.has(h) {
			b.add(h, w, true, srcHomophone)
		}
	}
}
