package chatbot

import (
	"strings"
)

// intent is what a short message asks of the conversation rather than of
// the FAQ: to check eligibility, to hear more, to say thanks or hello.
type intent int

const (
	intentNone intent = iota
	// intentScreen: 「対象か調べる」「自分がもらえるか知りたい」 — start guided
	// screening.
	intentScreen
	// intentMore: 「もっと詳しく」 — more about the entry just shown.
	intentMore
	// intentThanks: 「ありがとう」「助かりました」.
	intentThanks
	// intentHello: 「こんにちは」.
	intentHello
	// intentHuman: 「職員と話したい」「AIですか？」 — the resident wants a
	// person, not the chat: the reply says whom to call.
	intentHuman
)

// Phrases are compared after Normalize (katakana folded to hiragana, small
// kana to full size: もらえるか, つて).
var (
	// screenPhrases ask whether the resident qualifies. A question about who
	// qualifies in general (「児童扶養手当はどんな人がもらえますか」) is an FAQ
	// question and is not among them.
	screenPhrases = normalizeAll(
		"対象か調べ", "対象か確認", "対象か知りたい", "対象かどうか", "対象になるか調べ", "対象になるか知りたい",
		"対象になるか確認", "対象になるかどうか", "該当するか調べ", "該当するか知りたい", "該当するかどうか",
		"もらえるか知りたい", "もらえるか調べ", "もらえるか確認", "もらえるかどうか", "貰えるか知りたい", "貰えるか調べ",
		"受けられるか知りたい", "受けられるか調べ", "受けられるかどうか", "受給できるか", "受給資格を調べ", "受給資格があるか",
		"自分がもらえる", "自分はもらえる", "自分ももらえる", "私がもらえる", "私はもらえる", "私ももらえる",
		"うちはもらえる", "うちももらえる", "うちがもらえる", "うちは対象", "うちも対象", "自分は対象", "自分も対象", "私は対象", "私も対象",
		"判定して", "診断して", "しみゅれしよん", "資格があるか調べ", "もらえるかちえつく", "対象かちえつく",
	)
	// humanPhrases ask for a person instead of the chat, or whether the
	// chat is one. Each names a person (人, 人間, 職員, 担当者, オペレーター)
	// together with talking or being put through, so that 「子どもが人と
	// 話したがらない」 or 「職員の方に書類を出す」 are not among them.
	humanPhrases = normalizeAll(
		"人と話したい", "人間と話したい", "人間の人と話", "人間の方と話", "職員と話したい", "職員さんと話したい", "職員の方と話したい",
		"職員の人と話したい", "担当者と話したい", "担当の方と話したい", "担当の人と話したい", "窓口の人と話したい", "窓口の方と話したい",
		"人間につないで", "人につないで", "職員につないで", "職員さんにつないで", "担当者につないで", "オペレーターにつないで",
		"オペレーターと話", "有人対応", "有人チャット", "人間に代わって", "職員に代わって", "人間に相談したい", "職員に相談したい",
		"職員さんに相談したい",
		"あなたはaiですか", "aiですか", "ロボットですか", "botですか", "機械ですか", "人間ですか", "自動応答ですか",
		"talk to a person", "talk to a human", "speak to a person", "speak to a human",
		"real person", "human agent",
	)
	// humanIndex finds humanPhrases in normalised text (Result.Human).
	humanIndex  = newFirstRuneIndex(bytesAll(humanPhrases))
	morePhrases = normalizeAll(
		"もっと詳しく", "もつとくわしく", "詳しく教えて", "くわしく教えて", "詳しく知りたい", "くわしく知りたい",
		"もっと教えて", "詳細を教えて", "詳細", "詳しく", "くわしく", "続きを教えて", "もう少し詳しく", "もうちょっと詳しく",
		"具体的に教えて", "more", "more details", "details",
	)
	thanksWords = normalizeAll(
		"ありがとうございました", "ありがとうございます", "ありがとう", "ありがと", "有難う", "有り難う",
		"助かりました", "助かります", "たすかりました", "わかりました", "分かりました", "了解です", "了解しました", "了解",
		"おおきに", "さんきゆ", "thanks", "thank you", "thx",
	)
	helloWords = normalizeAll(
		"こんにちは", "こんばんは", "おはようございます", "おはよう", "はじめまして", "初めまして",
		"もしもし", "hello", "hi",
	)
	// fillers may surround a thanks or a hello without changing it.
	fillers = normalizeAll("どうも", "本当に", "ほんとうに", "とても", "すごく", "です", "ございます", "ね", "よ", "わ", "〜", "笑", "w")
)

// humanIn reports whether normalised text asks for a person instead of
// the chat, or whether the chat is one (humanPhrases).
func humanIn(text []byte) bool {
	return humanIndex.in(text)
}

// humanRest is normalised text n without the phrases asking for a person:
// what the request is about, if it says (「養育費のことを職員に相談したい」
// → 養育費). Each phrase becomes a space, so that the words around it do
// not join into a new one.
func humanRest(n string) string {
	for _, p := range humanPhrases {
		n = strings.ReplaceAll(n, p, " ")
	}
	return n
}

// bytesAll is ss as byte slices.
func bytesAll(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func normalizeAll(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Normalize(s)
	}
	return out
}

// normalizeAllBytes is normalizeAll as byte slices, for phrases looked for
// in normalised text held as bytes (negation.go, personal.go).
func normalizeAllBytes(ss ...string) [][]byte {
	return bytesAll(normalizeAll(ss...))
}

// detectIntent classifies a typed message. Thanks, hello and 「もっと詳しく」
// must be the whole message (give or take fillers); a request for a person
// or a screening phrase may sit in a longer one (「あなたはAIですか？人間の
// 職員さんと話したいです。」, 「うちは児童扶養手当がもらえるか知りたい」).
func detectIntent(text string) intent {
	n := Normalize(text)
	if n == "" {
		return intentNone
	}
	if humanIn([]byte(n)) {
		return intentHuman
	}
	for _, p := range screenPhrases {
		if strings.Contains(n, p) {
			return intentScreen
		}
	}
	if only(n, morePhrases) {
		return intentMore
	}
	if only(n, thanksWords) {
		return intentThanks
	}
	if only(n, helloWords) {
		return intentHello
	}
	return intentNone
}

// only reports whether n consists of words from list (at least one) and
// fillers, in any order, separated or not by spaces.
func only(n string, list []string) bool {
	found := false
	for n != "" {
		n = strings.TrimLeft(n, " ")
		if n == "" {
			break
		}
		if w := longestPrefix(n, list); w != "" {
			n, found = n[len(w):], true
			continue
		}
		if w := longestPrefix(n, fillers); w != "" {
			n = n[len(w):]
			continue
		}
		return false
	}
	return found
}

func longestPrefix(s string, list []string) string {
	best := ""
	for _, w := range list {
		if len(w) > len(best) && strings.HasPrefix(s, w) {
			best = w
		}
	}
	return best
}
