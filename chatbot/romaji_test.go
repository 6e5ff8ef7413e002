package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Romaji is read with long vowels folded away, in Hepburn or kunrei-shiki,
// and English that is not romaji is not read at all.
func TestRomajiFold(t *testing.T) {
	key := func(kana string) string {
		k, ok := foldKana(Normalize(kana))
		require.True(t, ok, kana)
		return k
	}
	for _, tt := range []struct{ romaji, kana string }{
		{"juminhyo", "じゅうみんひょう"},
		{"juuminhyou", "じゅうみんひょう"},
		{"jyuminhyo", "じゅうみんひょう"},
		{"jidofuyoteate", "じどうふようてあて"},
		{"konbini", "コンビニ"},
		{"shimbun", "しんぶん"},
		{"sinbun", "しんぶん"},
		{"gakko", "がっこう"},
		{"konnichiwa", "こんにちわ"},
		{"famisapo", "ファミサポ"},
		{"boshiteate", "ぼしてあて"},
		{"hoikuen", "ほいくえん"},
	} {
		t.Run(tt.romaji, func(t *testing.T) {
			got, _, ok := romajiFold(nil, 0, []byte(tt.romaji))
			require.True(t, ok)
			assert.Equal(t, key(tt.kana), string(got))
		})
	}
	for _, w := range []string{"the", "city", "address", "card", "what", "x"} {
		_, _, ok := romajiFold(nil, 0, []byte(w))
		assert.False(t, ok, w)
	}
	_, ok := foldKana("ジドウ")
	assert.False(t, ok, "katakana is not a normalised key")
}

// A question in romaji meets the knowledge base's kana and katakana words;
// English around it is left as it is, and so is romaji that reads no word
// of the knowledge base.
func TestRomajiQuestions(t *testing.T) {
	kb := &KnowledgeBase{Name: "romaji", Entries: []Entry{
		{ID: "a", Question: "コンビニで住民票の写しは取れますか", Answer: "マイナンバーカードがあれば取れます。", Category: "証明書"},
		{ID: "b", Question: "母子手当はいつ振り込まれますか", Answer: "1月、3月、5月、7月、9月、11月です。", Category: "手当"},
		{ID: "c", Question: "粗大ごみの出し方", Answer: "予約してください。", Category: "ごみ"},
	}}
	m, err := Compile(kb)
	require.NoError(t, err)
	for _, tt := range []struct{ q, want, id string }{
		{"Can I use a konbini?", "can i use a こんびに", "a"},
		{"KONBINI de toreru?", "こんびに de toreru", "a"},
		{"when is boshi teate paid", "いつ 時期  is 児童扶養手当 paid", "b"}, // when: the glossary (round 12)
		{"boshiteate itsu", "児童扶養手当 itsu", "b"},
	} {
		t.Run(tt.q, func(t *testing.T) {
			assert.Equal(t, tt.want, m.Canonical(tt.q))
			r := m.Match(tt.q)
			require.NotNil(t, r.Best())
			assert.Equal(t, tt.id, r.Best().ID)
		})
	}
	// Not romaji of any word here: unchanged.
	for _, q := range []string{"sodai gomi", "konbini2", "mykonbini", "hello there"} {
		assert.Equal(t, Normalize(q), m.Canonical(q), q)
	}
}
