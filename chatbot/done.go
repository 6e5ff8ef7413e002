package chatbot

import (
	"bytes"
	"unicode/utf8"
)

// A resident who says one paper is already in (「現況届は出したんだけど、
// 医療証の更新の書類も別に出さなきゃいけないの？」) asks about something
// else: the entry on that paper is not the answer, however many words the
// question shares with it. donePaper finds the paper; the match is then
// not answered directly with an entry whose question names it.
//
// The markers are compared after Normalize: the paper is a word before は
// and a verb of handing in, in the past or as a state.
var doneMarkers = normalizeAllBytes(
	"は出した", "はもう出した", "は提出した", "はもう提出した", "は済ませた", "はもう済ませた",
	"は出しました", "はもう出しました", "は提出しました", "はもう提出しました", "は済ませました",
	"は出してある", "は出してます", "は出しています", "はもう出してる", "は出しとる", "は出しといた",
)

// maxPaperRunes bounds the word taken before a marker.
const maxPaperRunes = 10

// donePaper returns the paper normalised text says is already handed in —
// a word of kanji ending in 届, 届け, 書 or 書類 right before one of
// doneMarkers (現況届, 転入届, 申請書) — or nil.
func donePaper(text []byte) []byte {
	for _, mk := range doneMarkers {
		for from := 0; ; {
			i := bytes.Index(text[from:], mk)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(mk)
			end := at
			if bytes.HasSuffix(text[:end], []byte("け")) {
				end -= len("け")
			}
			start, n := end, 0
			for start > 0 && n < maxPaperRunes {
				r, size := utf8.DecodeLastRune(text[:start])
				if !isHan(r) {
					break
				}
				start -= size
				n++
			}
			w := text[start:end]
			if n >= 2 && (bytes.HasSuffix(w, []byte("届")) || bytes.HasSuffix(w, []byte("書")) || bytes.HasSuffix(w, []byte("書類"))) {
				return w
			}
		}
	}
	return nil
}
