package chatbot

import (
	"bytes"
	"unicode/utf8"
)

// A question about the resident's own case — how their application
// stands, whether their papers arrived, why their payment was smaller,
// where their child is on the waiting list — is one no FAQ answers: the
// chatbot cannot see individual cases. Such a message is never answered
// directly with an FAQ entry (Result.Personal; the session replies that
// the desk can look it up, ReplyPersonal). A general question about the
// same steps (「申請してからどのくらいで振り込まれますか」「審査には何日
// かかりますか」) is an FAQ question and is not among them.
//
// The phrases are compared after Normalize (katakana folded to hiragana,
// small kana at full size: つてる). Each asks someone to look at one case,
// or reports that one case is stuck.
var personalPhrases = normalizeAllBytes(
	// the resident's own application or review
	"私の申請", "わたしの申請", "自分の申請", "うちの申請", "俺の申請", "僕の申請",
	"私の審査", "わたしの審査", "自分の審査", "うちの審査", "俺の審査", "僕の審査",
	"申請状況", "申請の状況", "審査状況", "審査の状況", "処理状況", "進捗", "進み具合",
	"審査どうな", "審査はどうな", "審査まだ", "審査はまだ", "審査結果まだ", "審査結果はまだ",
	"認定結果まだ", "認定結果はまだ", "結果まだ", "申請どうな", "申請はどうな", "申請は今どうな",
	"わたしの分どうな", "私の分どうな", "うちの分どうな", "うちの分止ま",
	// whether one review is over, how it came out, whether one paper was
	// taken in (round 13)
	"もう審査終わ", "審査終わってま", "審査は終わってま", "審査ってもう終わ", "審査はもう終わ",
	"審査通りそう", "審査に通りそう", "審査は通りそう", "審査通ったかどうか", "審査が通ったかどうか",
	"私の結果", "わたしの結果", "うちの結果", "自分の結果", "俺の結果", "僕の結果",
	"受け付けられてますか", "受け付けられていますか", "受け付けられてる?", "受け付けられとる",
	"受付されてますか", "受付されていますか", "受付されてる?",
	"私の分忘れ", "わたしの分忘れ", "うちの分忘れ", "わの分忘れ", "の分忘れられ", "の分を忘れられ",
	"うちの子は入れた", "うちの子入れた", "うちの子受かって", "うちの子は受かって", "入れそうか", "入れそう?", "はいれそう",
	// one lottery drawn, one reservation moved, one record looked up, one
	// amount worked out (round 14)
	"当たったかどうか", "当たってますか", "当たっていますか", "当たってる?", "当たっとる?",
	"変えといて", "記録見て教えて", "記録を見て教えて", "計算してもらえ", "計算してほしい", "計算して欲しい",
	"何点足りな", "あと何点",
	// asking staff to look at one case
	"確認してもらえ", "確認してもらいたい", "確認してほしい", "確認して欲しい", "確認してくれ", "確認してください",
	"確認お願い", "確認して。", "確認して?", "確認して!",
	"調べてもらえ", "調べてほしい", "調べて欲しい", "調べてくれ",
	"ちゃんと届いて", "届いてますか", "届いてるか", "届いとる?", "届いてる?",
	"受理されてますか", "受理されてる?", "受理されたか", "受理されとる",
	// one case that is stuck
	"まだ何も連絡", "まだ何の連絡", "まだなんの連絡", "まだ何も通知", "何の連絡もない", "なんの連絡もない",
	// places and points of one child
	"何番目", "うちは何点", "うちの子の点数", "うちは何店",
	// whether one review went through, and whether one paper arrived or
	// was taken in, in dialect (round 18): the progressive 〜とる (名古屋・
	// 三河, 中国, 四国), 〜とん (播州, 讃岐), 〜よる / 〜しよる (中国, 四国:
	// in progress), 〜でる (東北, voiced), 通ったん (関西)
	"審査もう通", "審査はもう通", "もう通ったん", "もう通ったかな", "もう通ったかね", "審査通っとる",
	"審査通ったん?",
	"私のもう通", "わたしのもう通", "うちのもう通", "私のは通っ", "うちのは通っ", "わのは通っ",
	"届いとん?", "届いでる?", "届いでらが", "届いとるかね", "届いとるやろか",
	"当たっとん?", "審査しよる?", "審査されよる?", "審査しよるん", "審査されとる?",
	// whether one application went through, or its result came out
	// (round 20: 「私の母子手当の申請もう通った？」 was answered directly)
	// (normalisation drops the question mark: 「通った？」 reads as
	// 「通った」, which 「通ったら」 holds, so only forms no general
	// question has are listed)
	"申請もう通", "申請はもう通", "申請ってもう通", "申請通ったん", "申請は通ったん", "申請通ったかな", "審査通ったかな",
	"通りましたか", "結果もう出", "結果はもう出", "結果出ましたか", "結果は出ましたか",
	// one reservation or one repayment changed, one lottery won, one
	// payment stuck, one amount worked out or looked into (round 20)
	"私の予約", "わたしの予約", "予約を変えてもらえ", "予約変えてもらえ", "予約を変更してもらえ", "分割にしてもらえ", "私の返還金",
	"当選していますか", "当選してますか", "当選してる?", "当選しとる", "当選したかどうか",
	"まだ振り込まれていません", "まだ振込まれていません", "まだ振り込まれてない", "まだ振込まれてない",
	"調べてください", "調べて下さい", "計算してください", "計算して下さい",
	// in English
	"has my application", "is my application", "was my application", "did my application", "my application been",
	"did i pass", "result of my", "check my", "check if", "check why", "check whether", "application status", "my status",
	"approved yet", "been approved", "is it approved", "it was approved", "did not come", "didn't come",
	"haven't heard", "have not heard",
	// round 26: how far one application has got (「審査はどこまで進んで
	// いるか教えてください」, round 25, is a status ask in standard
	// Japanese; 「どこまで進めば申請できますか」 is not, hence 進ん / 進み
	// and not 進め), at which stage it is, when it will likely be decided
	// (〜そう: a guess about one case; 「いつ決まりますか」 is general)
	"どこまで進ん", "どこまで進みま", "今どの段階", "いまどの段階", "どの段階まで進",
	"いつ頃決まりそう", "いつごろ決まりそう", "いつ決まりそう",
	"審査どこまでいっ", "審査はどこまでいっ", "申請どこまでいっ", "申請はどこまでいっ",
	// whether one paper or one review went through, in the progressive
	// 〜ちょる (山口, 大分, 土佐, 宮崎) and 〜とっと (福岡, 佐賀, 長崎) as
	// round 18 did for 〜とる / 〜とん
	"届いちょる?", "届いちょるかね", "届いちょるやろか", "届いちょるじゃろか", "届いとるじゃろか",
	"届いちょん?", "届いとっと?", "受理されちょる", "受け付けられちょる", "受付されとる?",
	"当選しちょる", "当たっちょる?", "審査通っちょる", "審査されちょる?", "審査しちょる?",
	// one application's payment not arrived, in dialect: 〜とらん (中国,
	// 四国, 近畿西部, 九州, 名古屋), 〜ちょらん (山口, 大分, 土佐), 〜てへん
	// (関西), 〜てねえ (関東, 東北), 〜でね (東北, voiced), after まだ as the
	// standard forms above
	"まだ振り込まれとらん", "まだ振込まれとらん", "まだ振り込まれちょらん", "まだ振込まれちょらん",
	"まだ振り込まれてへん", "まだ振込まれてへん", "まだ振り込まれてねえ", "まだ振込まれてねえ",
	"まだ振り込まれでね", "まだ振込まれでね",
	// in English: where one application has got
	"status of my", "where is my application", "where's my application", "progress of my",
	"how far along is my", "look up my", "look into my", "find out if my", "find out whether my",
	"has my payment", "did my payment", "was my payment",
)

// personalRegional holds the round-26 phrases built from parts: the
// request phrases above (調べて, 確認して) with regional request endings,
// a status ask with regional 「どう」, and whether a payment came into
// one's own account.
var personalRegional = normalizeAllBytes(crossPhrases(
	[]string{"調べて", "確認して"},
	[]string{
		"ごしない", "ごせ", "ごさっしゃい", // 出雲 (〜てごしない, 〜てごせ, 〜てごさっしゃい)
		"けろ", "けれ", // 東北 (〜てけろ, 〜てけれ)
		"くんない", "くんちぇ", // 北関東・南東北 (〜てくんない), 会津・中通り (〜てくんちぇ)
		"くいやい", "くいやんせ", "たもんせ", // 鹿児島
		"ちょうだい", "ちょ", // 共通語の親しい依頼, 名古屋 (〜てちょう, 〜てちょーよ)
		"つかあさい", "つかーさい", "つかぁさい", // 広島, 岡山 (〜てつかぁさい)
		"おくれ", "くだされ", "くださら", "くだせえ", // 古風な依頼, 〜てくださらんか (西日本)
		"ほしか",  // 九州 (〜てほしか)
		"もらわれ", // 北陸 (〜てもらわれんけ)
	},
)...)

// personalStatus: 「審査どげなっとる」 — how one application stands, with
// the regional word for どう: どげ (出雲, 鳥取), どげん (九州), どぎゃん
// (熊本, 佐賀), どがぁ (広島, 岡山), どがい (山口, 愛媛), どない (関西),
// どんげ (新潟, 宮崎), なじょ (東北). Only なって / なっと(る): 「審査は
// どげしたら通るかね」 is a general question.
var personalStatus = normalizeAllBytes(crossPhrases(
	[]string{"審査", "審査は", "申請", "申請は", "申し込み", "申し込みは", "申込", "申込は"},
	crossPhrases(
		[]string{"どげ", "どげん", "どぎゃん", "どがぁ", "どがい", "どない", "どんげ", "なじょ"},
		[]string{"なって", "なっと", "なっち"},
	),
)...)

// personalPayment: whether a payment came into one's own account, asked
// or reported (round 25: 「うちの口座に振り込まれたか調べてごせ」). The
// account is one's own (うち, 私, わし — 中国・四国・九州の男性, おら —
// 東北・関東, わ — 津軽), and arrived is past or progressive: 「うちの口座
// に振り込まれるのはいつですか」 asks the payment day. A check asked of the
// staff (「入ったか調べて」) is one case whatever the dialect; a report
// alone (「今月まだ入っとらん」, like 「今月まだ入ってない」) is not.
var personalPayment = normalizeAllBytes(append(
	crossPhrases(
		[]string{"うちの口座に", "私の口座に", "わたしの口座に", "自分の口座に", "わしの口座に", "俺の口座に", "僕の口座に", "おらの口座に", "わの口座さ"},
		[]string{"入っ", "まだ", "振り込まれて", "振り込まれと", "振り込まれた", "振り込まれち", "振り込まれで", "振込まれて", "振込まれと", "振込まれた", "入金され"},
	),
	crossPhrases(
		crossPhrases(
			[]string{
				"振り込まれたか", "振込まれたか", "振り込まれとるか", "振り込まれてるか", "振り込まれちょるか",
				"振り込まれとらんか", "振り込まれてないか", "入ったか", "入っとるか", "入ってるか", "入っちょるか",
				"入っとらんか", "入ってないか", "入っちょらんか", "入金されたか", "入金されとるか", "入金されてるか",
			},
			[]string{"", "どうか"},
		),
		[]string{"調べて", "確認して", "見て"},
	)...,
)...)

// crossPhrases joins every head to every tail.
func crossPhrases(heads, tails []string) []string {
	out := make([]string, 0, len(heads)*len(tails))
	for _, h := range heads {
		for _, t := range tails {
			out = append(out, h+t)
		}
	}
	return out
}

// personalIndex is personalPhrases by first rune, so that a question is
// read once rather than once per phrase (the match path runs it twice:
// for the question and for the resident-question library's vote).
var personalIndex = newFirstRuneIndex(personalAll())

// personalAll is every personal-case phrase: the list and the phrases
// built from parts (round 26).
func personalAll() [][]byte {
	all := append([][]byte{}, personalPhrases...)
	all = append(all, personalRegional...)
	all = append(all, personalStatus...)
	return append(all, personalPayment...)
}

// personalIn reports whether normalised text asks about the resident's own
// case.
func personalIn(text []byte) bool {
	return personalIndex.in(text)
}

// firstRuneIndex finds any of a set of phrases in a text in one pass.
type firstRuneIndex struct {
	first   [1 << 16 / 64]uint64 // bit r: some phrase starts with rune r (r < 1<<16)
	byFirst map[rune][][]byte
	// rest are the phrases whose first rune is outside the bitmap
	// (beyond the Basic Multilingual Plane), looked for one by one.
	rest [][]byte
}

// newFirstRuneIndex indexes the non-empty phrases of ps.
func newFirstRuneIndex(ps [][]byte) *firstRuneIndex {
	ix := &firstRuneIndex{byFirst: map[rune][][]byte{}}
	for _, p := range ps {
		if len(p) == 0 {
			continue
		}
		r, _ := utf8.DecodeRune(p)
		if r >= 1<<16 {
			ix.rest = append(ix.rest, p)
			continue
		}
		ix.first[r/64] |= 1 << (r % 64)
		ix.byFirst[r] = append(ix.byFirst[r], p)
	}
	return ix
}

// in reports whether text contains one of the phrases.
func (ix *firstRuneIndex) in(text []byte) bool {
	for _, p := range ix.rest {
		if bytes.Contains(text, p) {
			return true
		}
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(text[i:])
		}
		if r < 1<<16 && ix.first[r/64]&(1<<(r%64)) != 0 {
			for _, p := range ix.byFirst[r] {
				if bytes.HasPrefix(text[i:], p) {
					return true
				}
			}
		}
		i += size
	}
	return false
}
