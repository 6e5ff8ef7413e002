package chatbot

import (
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

// addReadingRules adds a rule from each usable reading of the knowledge
// base's words to the word. canon is the table of the higher sources: two
// spellings it makes one (子供, 子ども) are one word, not a homophone pair.
// It returns the words with no reading, for staff (Suggestions).
func addReadingRules(b *aliasBuilder, canon *aliasTable, src ReadingSource, texts []string) (unread []string) {
	byKana := map[string]string{}
	conflict := map[string]bool{}
	seenUnread := map[string]bool{}
	for _, text := range texts {
		for _, r := range src.Readings(text) {
			if r.Kana == "" {
				w := Normalize(r.Word)
				if w != "" && !seenUnread[w] && utf8.RuneCountInString(w) > 1 {
					seenUnread[w] = true
					unread = append(unread, r.Word)
				}
				continue
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
	return unread
}
