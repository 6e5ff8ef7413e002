package chatbot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"ＤＶ　相談", "dv 相談"},
		{"０９０", "090"},
		{"ハローワーク", "はろわく"},
		{"ハロ－ワ－ク", "はろわく"},
		{"ﾊﾛｰﾜｰｸ", "はろわく"},
		{"はろーわーく", "はろわく"},
		{"ジドウフヨウテアテ", "じどうふようてあて"},
		{"ｼﾞﾄﾞｳﾃｱﾃ", "じどうてあて"},
		{"ファミリー・サポート", "ふあみりさぽと"},
		{"児童扶養手当は、いくら？", "児童扶養手当は いくら"},
		{"  「養育費」!!  ", "養育費"},
		{"ABC-123", "abc 123"},
		{"ちょっと", "ちよつと"},
		{"", ""},
		{"\xff\xfe児童", "児童"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Normalize(tt.in), "Normalize(%q)", tt.in)
	}
}

func TestTerms(t *testing.T) {
	terms := func(s string) (out []string) {
		var n normalizer
		b := n.normalize(nil, s)
		for _, sp := range appendTerms(nil, b, n.kata) {
			out = append(out, string(b[sp.start:sp.end]))
		}
		return out
	}
	// Latin runs stay whole and never pair with CJK ("v相").
	assert.Equal(t, []string{"dv", "相", "相談", "談"}, terms("ＤＶ相談"))
	// A single kanji still yields a term (short queries: 塾, 夫).
	assert.Equal(t, []string{"塾"}, terms("塾"))
	// A lone hiragana yields nothing.
	assert.Empty(t, terms("は"))
	assert.Equal(t, []string{"家", "家賃", "賃"}, terms("家賃"))
}

func TestTermKinds(t *testing.T) {
	kinds := func(s string) (out []termKind) {
		var n normalizer
		b := n.normalize(nil, s)
		for _, sp := range appendTerms(nil, b, n.kata) {
			out = append(out, sp.kind)
		}
		return out
	}
	assert.Equal(t, []termKind{kindKana}, kinds("いく"), "typed hiragana is weak evidence")
	assert.Equal(t, []termKind{kindBigram}, kinds("ゴミ"), "katakana is content even after folding")
	assert.Equal(t, []termKind{kindUnigram, kindMixed}, kinds("日を"))
}

func TestLastSentenceStart(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"児童扶養手当の金額", -1},
		{"先月離婚しました。子どもが2人います。手当はいくらもらえますか？", len("先月離婚しました。子どもが2人います")},
		{"離婚しました\n養育費の決め方を知りたい", len("離婚しました")},
		{"長い前置きです。はい", -1},
		{"。。。", -1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, lastSentenceStart(tc.in), tc.in)
	}
}

func TestLastClauseStart(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"児童扶養手当の金額", -1},
		{"旦那が公務員なんやけど、児童手当ってどこからもらうん？", len("旦那が公務員なんやけど")},
		{"離婚しました。手当はいくら？", len("離婚しました")},
		{"手当について、はい", -1},
		{"a, b, c, how much", len("a, b, c")},
		{"、、、", -1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, lastClauseStart(tc.in), tc.in)
	}
}

// Normalising a message in two parts split before a separator gives the
// same text and katakana marks as normalising it at once (MatchInto relies
// on it to find the last sentence's terms).
func TestNormalizeInParts(t *testing.T) {
	for _, q := range []string{
		"先月離婚しました。子どもが2人います。ハローワークはどこですか？",
		"。ＤＶ相談\nシェルター　ありますか",
		"ａｂｃ！ー ーテスト。\n\nコドモ",
		"離婚した。",
		"。",
		"旦那が公務員なんやけど、児童手当ってどこからもらうん？",
		"ａ，ｂ、、ハロー,ワーク",
	} {
		var whole, parts normalizer
		want := whole.normalize(nil, q)
		for i := range q {
			if i > 0 && q[i] != '\n' && q[i] != ',' && !strings.HasPrefix(q[i:], "。") && !strings.HasPrefix(q[i:], "！") &&
				!strings.HasPrefix(q[i:], "、") && !strings.HasPrefix(q[i:], "，") {
				continue // split only before a sentence or clause boundary
			}
			got := parts.normalize(nil, q[:i])
			got = parts.normalize(got, q[i:])
			assert.Equal(t, string(want), string(got), "%q split at %d", q, i)
			assert.Equal(t, whole.kata, parts.kata, "%q split at %d", q, i)
		}
	}
}

// A number with its kanji counter is a term of its own (5年, 18歳, 3人目's
// 3人); a number run into Latin letters, or followed by hiragana or
// nothing, is not.
func TestNumberTerms(t *testing.T) {
	s := []byte(Normalize("5年たったら半分? 18歳まで 3人目 abc5年 7です 12"))
	var got []string
	for _, sp := range appendNumberTerms(nil, s, nil) {
		got = append(got, string(s[sp.start:sp.end]))
		assert.Equal(t, kindWord, sp.kind)
	}
	assert.Equal(t, []string{"5年", "18歳", "3人"}, got)
}

// On a FAQ as it arrives, a number with its counter finds the entry whose
// answer holds it (「5年」); a knowledge base whose entries all carry
// phrasings keeps the terms it was tuned with.
func TestNumberTermsRank(t *testing.T) {
	kb := &KnowledgeBase{Name: "numbers", Entries: []Entry{
		{ID: "stop", Question: "児童扶養手当の一部支給停止とは何ですか", Answer: "受給から5年を過ぎると、手当の一部が支給停止になることがあります。", Category: "手当"},
		{ID: "amount", Question: "児童扶養手当の金額を教えてください", Answer: "所得によって手当の額が決まり、半額になることもあります。年に6回支払います。", Category: "手当"},
	}}
	m, err := Compile(kb)
	require.NoError(t, err)
	assert.True(t, m.anyPlain)
	assert.Equal(t, "stop", m.Match("手当もらって5年たったら半分になるってほんと？").Best().ID)
	def := defaultMatcher(t)
	assert.False(t, def.anyPlain, "the default knowledge base has phrasings")
}
