package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAspectSibling: the best entry's aspect against its same-programme
// siblings among the candidates (Signals.AspectSibling).
func TestAspectSibling(t *testing.T) {
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"1,児童扶養手当の月額はいくらですか。,児童1人の場合、全部支給で月額48050円です。,手当\n" +
		"2,児童扶養手当の所得制限について教えてください。,前年の所得が限度額以上のときは支給されません。,手当\n" +
		"3,児童扶養手当はいつ支払われますか。,奇数月の11日に口座へ振り込みます。,手当\n" +
		"4,保育所の入所申込はどこでできますか。,保育課の窓口で受け付けます。,子育て\n" +
		"5,学童保育について教えてください。,放課後に小学生をお預かりします。,子育て\n"
	m, dm := plainAndDefault(t, csv)
	for _, tt := range []struct {
		name    string
		m       *Matcher
		q, best string
		want    int
	}{
		{"the best asks the aspect, its siblings do not", m, "児童扶養手当はいつ振り込まれますか", "3", 1},
		{"the amount among siblings", m, "児童扶養手当の月額はいくら", "1", 1},
		{"no aspect asked", m, "児童扶養手当", "", 0},
		{"no sibling: an entry about no programme", m, "保育所の申込はどこ", "4", 0},
		{"an entry with sample phrasings", dm, "児童手当はいつ振り込まれますか", "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := matchBest(t, tt.m, tt.q, tt.best)
			assert.Equal(t, tt.want, r.Signals.AspectSibling)
		})
	}
	// A sibling asks the aspect, the best does not: −1 (the candidates
	// as ranked, whatever comes first).
	sc := &scratch{}
	cs := []Candidate{{doc: 1}, {doc: 0}, {doc: 2}}
	m.siblingAspects(sc, cs, aspectAmount, aspectAmount)
	assert.Equal(t, []int8{-1, 1, -1}, sc.sib)
	// Income and amount asked, the amount in the last sentence
	// (「所得が低くて全額もらえる場合、月いくら」): the amount entry fits best.
	m.siblingAspects(sc, cs, aspectAmount|aspectIncome, aspectAmount)
	assert.Equal(t, []int8{-1, 1, -1}, sc.sib)
	assert.Equal(t, []int16{4, 8, -1}, sc.fit)
	// Both asked alike: the income and the amount entry tie, the payment
	// months entry fits worse than either.
	m.siblingAspects(sc, cs, aspectAmount|aspectIncome, aspectAmount|aspectIncome)
	assert.Equal(t, []int8{1, 1, -1}, sc.sib)
	m.siblingAspects(sc, cs, aspectAbout, aspectAbout)
	assert.Equal(t, []int8{0, 0, 0}, sc.sib)
	m.siblingAspects(sc, []Candidate{{doc: 0}, {doc: 3}}, aspectAmount, aspectAmount)
	assert.Equal(t, []int8{0, 0}, sc.sib, "entry 3 is about no programme: no sibling")
}

// TestAspectData: every example in aspects.yaml asks its aspect and no
// "not" text does; who_alone's examples ask who qualifies.
func TestAspectData(t *testing.T) {
	f, err := parseAspects(aspectsYAML)
	require.NoError(t, err)
	n := func(s string) []byte { return []byte(Normalize(s)) }
	for _, g := range f.Aspects {
		a := aspectNames[g.Name]
		for _, x := range g.Examples {
			assert.NotZero(t, aspectsOf(n(x))&a, "%s: %s", g.Name, x)
		}
		for _, x := range g.Not {
			assert.Zero(t, aspectsOf(n(x))&a, "%s not: %s", g.Name, x)
		}
	}
	for _, x := range f.WhoAlone.Examples {
		assert.Equal(t, aspectWho, aspectsOf(n(x)), "who_alone: %s", x)
	}
	for _, x := range f.WhoAlone.Not {
		assert.Zero(t, aspectsOf(n(x))&aspectWho, "who_alone not: %s", x)
	}
	for _, tt := range []struct{ name, yaml, err string }{
		{"unknown name", "aspects:\n  - {name: colour, words: [色]}\nwho_alone: {words: [もらえ]}\n", "unknown aspect"},
		{"twice", "aspects:\n  - {name: when, words: [いつ]}\n  - {name: when, words: [何日]}\nwho_alone: {words: [もらえ]}\n", "twice"},
		{"no words", "aspects:\n  - {name: when}\nwho_alone: {words: [もらえ]}\n", "no words"},
		{"no who words", "aspects:\n  - {name: when, words: [いつ]}\n", "who_alone"},
		{"unknown field", "aspects:\n  - {name: when, word: [いつ]}\n", "word"},
		{"not YAML", "aspects: [", "aspects.yaml"},
	} {
		_, err := parseAspects([]byte(tt.yaml))
		assert.ErrorContains(t, err, tt.err, tt.name)
	}
}
