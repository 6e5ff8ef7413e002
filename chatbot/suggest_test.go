package chatbot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeReadings is a ReadingSource from a table: the words of a text are the
// table's words it contains.
type fakeReadings map[string]string

func (f fakeReadings) Readings(text string) []Reading {
	var out []Reading
	for w, k := range f {
		if strings.Contains(text, w) {
			out = append(out, Reading{Word: w, Kana: k})
		}
	}
	return out
}

func TestSuggestions(t *testing.T) {
	kb := tinyKB(t,
		[2]string{"児童扶養手当の金額はいくらですか", "月額は46,690円です。"},
		[2]string{"児童扶養手当の所得制限はいくらですか", "所得が限度額未満なら支給されます。"},
		[2]string{"粗大ごみの出し方", "電話で申し込みます。"},
		[2]string{"龘龘の申込", "窓口でどうぞ。"})
	src := fakeReadings{"児童扶養手当": "ジドウフヨウテアテ", "金額": "キンガク", "所得制限": "ショトクセイゲン", "粗大ごみ": "ソダイゴミ", "龘龘": ""}
	m, err := Compile(kb, WithReadings(src))
	require.NoError(t, err)
	byID := map[string]Suggestion{}
	for _, s := range m.Suggestions(src) {
		byID[s.Entry.ID] = s
	}
	// 龘龘 has no reading and nothing else leads to it.
	assert.Contains(t, byID["d"].NoReading, "龘龘")
	assert.Contains(t, byID["d"].NoOtherWord, "龘龘")
	// 児童扶養手当 has a reading and nicknames (母子手当): nothing to say.
	assert.NotContains(t, byID["a"].NoReading, "児童扶養手当")
	assert.NotContains(t, byID["a"].NoOtherWord, "児童扶養手当")
	// 粗大ごみ is reached from 捨てたい, 大型ごみ (glossary).
	assert.NotContains(t, byID["c"].NoOtherWord, "粗大ごみ")
	// The two 児童扶養手当 entries compete on each other's question.
	require.NotEmpty(t, byID["a"].Confused)
	assert.Equal(t, "b", byID["a"].Confused[0].Entry.ID)
	assert.Equal(t, 1, byID["a"].Confused[0].Rank)
	assert.Greater(t, byID["a"].Confused[0].Ratio, confusedRatio)

	// Without a reading source the words are the runs of kanji and katakana.
	m, err = Compile(kb)
	require.NoError(t, err)
	found := false
	for _, s := range m.Suggestions(nil) {
		if s.Entry.ID == "d" {
			found = true
			assert.Contains(t, s.NoReading, "龘龘")
		}
	}
	assert.True(t, found)
}

func ExampleMatcher_Suggestions() {
	csv := "ID,問い合わせ文,応答文,カテゴリ\n" +
		"a,児童扶養手当の金額はいくらですか,令和7年度の月額は46690円です。,手当\n" +
		"b,児童扶養手当の所得制限はいくらですか,所得が限度額未満なら支給されます。,手当\n"
	kb, _ := LoadCSV(strings.NewReader(csv), "city.csv", CSVOptions{})
	m, _ := Compile(kb)
	for _, s := range m.Suggestions(nil) {
		for _, c := range s.Confused {
			fmt.Printf("%s may be taken for %s\n", s.Entry.ID, c.Entry.ID)
		}
	}
	// Output:
	// a may be taken for b
}
