package yomi

import (
	"fmt"
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

var _ chatbot.ReadingSource = (*Dictionary)(nil)

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
