package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ambiguousKB is a FAQ without phrasings with one entry per question
// on 児童手当 and 児童扶養手当, and one on both.
func ambiguousKB(t *testing.T) *Matcher {
	t.Helper()
	kb := tinyKB(t,
		[2]string{"児童手当の支給額はいくらですか。", "3歳未満は月額15,000円、3歳以上高校生年代までは10,000円です。"},
		[2]string{"児童扶養手当の月額はいくらですか。", "全部支給で月額46,690円です。"},
		[2]string{"児童手当の申請期限を教えてください。", "出生や転入の翌日から15日以内に申請してください。"},
		[2]string{"児童扶養手当の申請方法を教えてください。", "窓口で申請してください。戸籍謄本が必要です。"},
		[2]string{"外国籍でも児童手当や児童扶養手当を受けられますか。", "住民登録があれば受けられます。"},
	)
	m, err := Compile(kb, WithoutResidentLibrary())
	require.NoError(t, err)
	return m
}

// TestAmbiguousName: 「子どもの手当」 is 児童手当 or 児童扶養手当. Details
// that decide it steer the ranking and allow a direct answer; without
// them, an entry about one of the two is not answered directly, while an
// entry about both still may be.
func TestAmbiguousName(t *testing.T) {
	m := ambiguousKB(t)
	for _, tt := range []struct {
		q         string
		best      string // a word of the best entry's question ("" = any)
		notAnswer bool   // never a direct answer
		undecided bool
	}{
		{q: "日本の こどもの手当、ひと月 いくら もらえますか", notAnswer: true, undecided: true},
		{q: "子どもの手当はいくらですか", notAnswer: true, undecided: true},
		{q: "公務員です。子どもの手当はいくらですか", best: "児童手当の支給額"},
		{q: "0歳の赤ちゃんがいます。子どもの手当はひと月いくら？", best: "児童手当の支給額"},
		{q: "離婚してひとり親になりました。子どもの手当はいくら？", best: "児童扶養手当の月額"},
		{q: "夫と死別しました。子どもの手当の申請方法は？", best: "児童扶養手当の申請"},
		{q: "転入しました。子どもの手当の申請はいつまで？", best: "児童手当の申請期限"},
		// 「子どものお金」 is the same two (round 21).
		{q: "子どものお金はいくらですか", notAnswer: true, undecided: true},
		{q: "転入しました。子どものお金の申請はいつまで？", best: "児童手当の申請期限"},
		{q: "離婚してひとり親になりました。子どもの毎月のお金はいくら？", best: "児童扶養手当の月額"},
		// Both readings' details: nothing decides.
		{q: "ひとり親で中学生がいます。子どもの手当はいくら？", notAnswer: true, undecided: true},
		// A question that names the programme is not ambiguous.
		{q: "子どもの手当、つまり児童手当はいくらですか", best: "児童手当の支給額"},
		// An entry about both readings answers either.
		{q: "外国籍でも子どもの手当を受けられますか", best: "外国籍", undecided: true},
	} {
		r := m.Match(tt.q)
		require.NotEmpty(t, r.Candidates, tt.q)
		if tt.best != "" {
			assert.Contains(t, r.Best().Question, tt.best, tt.q)
		}
		if tt.notAnswer {
			assert.NotEqual(t, Answer, r.Level, tt.q)
		}
		text := []byte(m.Canonical(tt.q))
		q, u, _ := m.ambig.resolve(text, []byte(Normalize(tt.q)), m.programmes.find(nil, text), nil, nil)
		assert.Equal(t, tt.undecided, len(u) > 0, "%s: undecided %v, named %v", tt.q, u, q)
	}
}

// TestAmbiguousDisabled: 「障害のある子どもの手当」 is read as the
// disability allowances, not as 児童手当 or 児童扶養手当.
func TestAmbiguousDisabled(t *testing.T) {
	m := defaultMatcher(t)
	const q0 = "障害のある子どもの手当って所得制限ありますか"
	q, u, _ := m.ambig.resolve([]byte(m.Canonical(q0)), []byte(Normalize(q0)), nil, nil, nil)
	assert.Empty(t, u)
	var names []string
	for _, p := range q {
		names = append(names, m.programmes.names[p])
	}
	assert.ElementsMatch(t, []string{"特別児童扶養手当", "障害児福祉手当"}, names)
}

// TestSomeNotAll: an entry about some of the undecided programmes but not
// all.
func TestSomeNotAll(t *testing.T) {
	for _, tt := range []struct {
		u, e []uint16
		want bool
	}{
		{[]uint16{1, 2}, []uint16{1}, true},
		{[]uint16{1, 2}, []uint16{2, 5}, true},
		{[]uint16{1, 2}, []uint16{1, 2}, false},
		{[]uint16{1, 2}, []uint16{3}, false},
		{[]uint16{1, 2}, nil, false},
		{nil, []uint16{1}, false},
	} {
		assert.Equal(t, tt.want, someNotAll(tt.u, tt.e), "%v %v", tt.u, tt.e)
	}
}
