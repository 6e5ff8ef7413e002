package yomi

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"

	"github.com/onestop-jp/onestop/chatbot"
)

// Dictionary finds the content words of Japanese text and their readings.
// It is safe for concurrent use.
type Dictionary struct {
	t *tokenizer.Tokenizer
}

var (
	_ chatbot.ReadingSource   = (*Dictionary)(nil)
	_ chatbot.HomophoneSource = (*Dictionary)(nil)
)

// New loads the IPA dictionary (about a second the first time in a
// process; later calls share kagome's loaded copy).
func New() (*Dictionary, error) {
	t, err := tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
	if err != nil {
		return nil, fmt.Errorf("yomi: %w", err)
	}
	return &Dictionary{t: t}, nil
}

// maxCompound bounds the words of one compound whose every contiguous part
// gets its reading (児童扶養手当 gives 児童扶養手当, 児童扶養, 扶養手当, 児童,
// 扶養, 手当).
const maxCompound = 6

// Readings returns the nouns and noun compounds of text that are written
// with at least one kanji, each with its reading in katakana, and every
// contiguous part of a compound of up to maxCompound words. A word the
// dictionary does not know has an empty Kana, and so does every part that
// contains it.
func (d *Dictionary) Readings(text string) []chatbot.Reading {
	var out []chatbot.Reading
	var run []tokenizer.Token
	flush := func() {
		for i := range run {
			for j := i + 1; j <= len(run) && j-i <= maxCompound; j++ {
				part := run[i:j]
				var word, kana strings.Builder
				known := true
				for _, t := range part {
					word.WriteString(t.Surface)
					r, ok := t.Reading()
					if t.Class == tokenizer.UNKNOWN || !ok || r == "" || r == "*" {
						known = false
					}
					kana.WriteString(r)
				}
				w := word.String()
				if !hasHan(w) || !known && len(part) > 1 {
					continue
				}
				r := chatbot.Reading{Word: w}
				if known {
					r.Kana = kana.String()
				}
				out = append(out, r)
			}
		}
		run = run[:0]
	}
	for _, t := range d.t.Tokenize(text) {
		if compoundPart(t) {
			run = append(run, t)
			continue
		}
		flush()
	}
	flush()
	return out
}

// compoundPart reports whether a token can be part of a noun compound:
// nouns other than pronouns, numbers and dependent nouns (こと, もの), and
// noun prefixes (お, 総).
func compoundPart(t tokenizer.Token) bool {
	pos := t.POS()
	if len(pos) == 0 {
		return false
	}
	switch pos[0] {
	case "名詞":
		if len(pos) > 1 {
			switch pos[1] {
			case "代名詞", "数", "非自立", "特殊":
				return false
			}
		}
		return true
	case "接頭詞":
		return len(pos) > 1 && pos[1] == "名詞接続"
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Homophones implements chatbot.HomophoneSource: for each reading, the
// common nouns of the dictionary written with kanji and read that way
// (readings compared with katakana folded to hiragana and small kana to
// full size, as the chatbot normalises them). The first call walks the
// dictionary once (about 0.1–0.3 s).
func (d *Dictionary) Homophones(kana []string) map[string][]string {
	want := make(map[string]bool, len(kana))
	for _, k := range kana {
		want[k] = true
	}
	dic := ipa.Dict()
	out := map[string][]string{}
	names := dic.POSTable.NameList
	for i, c := range dic.Contents {
		if len(c) < 4 || i >= len(dic.POSTable.POSs) {
			continue
		}
		pos := dic.POSTable.POSs[i]
		if len(pos) < 2 || names[pos[0]] != "名詞" {
			continue
		}
		switch names[pos[1]] {
		case "一般", "サ変接続", "形容動詞語幹":
		default:
			continue
		}
		k := foldKana(c[3])
		if !want[k] {
			continue
		}
		w := c[2]
		if !hasHan(w) || slices.Contains(out[k], w) {
			continue
		}
		out[k] = append(out[k], w)
	}
	return out
}

// foldKana folds a katakana reading the way chatbot.Normalize folds kana:
// katakana to hiragana, small kana to full size, long-vowel marks dropped.
func foldKana(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 'ー':
			continue
		case r >= 0x30A1 && r <= 0x30F6:
			r -= 0x60
		}
		switch r {
		case 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ':
			r++
		case 'ゕ':
			r = 'か'
		case 'ゖ':
			r = 'け'
		}
		b.WriteRune(r)
	}
	return b.String()
}
