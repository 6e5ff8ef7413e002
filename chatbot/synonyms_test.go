package chatbot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSynonymTable(t *testing.T) {
	st, err := synonyms()
	require.NoError(t, err)
	assert.Greater(t, len(st.members), 10000)
	assert.Greater(t, len(st.words), 30000)
	for _, w := range st.words {
		assert.Equal(t, w, Normalize(w), "stored words are normalised")
		assert.GreaterOrEqual(t, utf8.RuneCountInString(w), 2)
	}
	_, err = parseSynonyms([]byte("1:ab\tx\n"))
	assert.Error(t, err)
	_, err = parseSynonyms([]byte("1:あ\t2:いい\n"))
	assert.Error(t, err)
}

// TestSynonymBridging: a word the knowledge base never uses is rewritten to
// the synonym it does use; a word it uses is never rewritten.
func TestSynonymBridging(t *testing.T) {
	skipUnderRace(t)
	kb := tinyKB(t,
		[2]string{"家庭裁判所での調停について", "家庭裁判所に申し立てます。"},
		[2]string{"年齢の条件", "18歳までです。"})
	m, err := Compile(kb, WithGlossary())
	require.NoError(t, err)
	assert.Equal(t, Normalize("家庭裁判所"), m.Canonical("家裁"))
	assert.Equal(t, Normalize("年齢"), m.Canonical("年令"))
	r := m.Match("家裁に行けばいい？")
	require.NotEmpty(t, r.Candidates)
	assert.Equal(t, "a", r.Best().ID)

	// Both spellings in the knowledge base: neither is rewritten.
	kb = tinyKB(t, [2]string{"家裁とは", "家庭裁判所のことです。"})
	m, err = Compile(kb, WithGlossary())
	require.NoError(t, err)
	assert.Equal(t, "家裁", m.Canonical("家裁"))

	// Off: no bridging.
	kb = tinyKB(t, [2]string{"家庭裁判所での調停について", "家庭裁判所に申し立てます。"})
	m, err = Compile(kb, WithGlossary(), WithoutSynonyms())
	require.NoError(t, err)
	assert.Equal(t, "家裁", m.Canonical("家裁"))
}

func TestSafeSynonymSource(t *testing.T) {
	assert.True(t, safeSynonymSource("家裁"))
	assert.True(t, safeSynonymSource("はろわく"))
	assert.False(t, safeSynonymSource("はいく"), "short kana occur inside other words")
	assert.True(t, safeSynonymSource(strings.ToLower("Loan")))
}
