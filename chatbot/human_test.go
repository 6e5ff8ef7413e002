package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMatchHuman: a request for a person, or a question to the chat about
// itself, is handed off by Match as the Session hands it off (intentHuman),
// so that `onestop faq eval` counts it as rejected; the rest of the message
// still ranks the candidates that say which desk. Questions that only
// mention a person or the staff are matched as before.
func TestMatchHuman(t *testing.T) {
	m := defaultMatcher(t)
	for _, tt := range []struct {
		q     string
		human bool
		best  string // a word of the best candidate's question when the rest names a need ("" = any or none)
	}{
		{q: "あなたはAIですか？人間の職員さんと話したいです。", human: true},
		{q: "人と話したい", human: true},
		{q: "オペレーターにつないでください", human: true},
		{q: "これってロボットですか", human: true},
		{q: "Can I talk to a person?", human: true},
		{q: "ＡＩですか？", human: true},
		{q: "養育費のことを職員に相談したい", human: true, best: "養育費"},
		{q: "児童扶養手当の申請について人間の方と話したい", human: true, best: "児童扶養手当"},
		{q: "子どもが人と話したがらない", human: false},
		{q: "職員の方に書類を出すのはいつですか", human: false},
		{q: "児童扶養手当はいつ振り込まれますか", human: false},
	} {
		r := m.Match(tt.q)
		assert.Equal(t, tt.human, r.Human, tt.q)
		if tt.human {
			assert.Equal(t, Handoff, r.Level, tt.q)
			assert.False(t, r.Personal, tt.q)
		}
		if tt.best != "" {
			require.NotEmpty(t, r.Candidates, tt.q)
			assert.Contains(t, r.Best().Question, tt.best, tt.q)
		}
		// The Session recognises the same messages.
		assert.Equal(t, tt.human, detectIntent(tt.q) == intentHuman, tt.q)
	}
}

// TestHumanRest: the phrases asking for a person are cut out, each leaving
// a space, and nothing else is.
func TestHumanRest(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"養育費のことを職員に相談したい", "養育費のことを "},
		{"あなたはAIですか？人と話したい", "   "},
		{"ロボットですか。児童手当のことで人と話したい", "  児童手当のことで "},
		{"児童手当の申請", "児童手当の申請"},
	} {
		assert.Equal(t, tt.want, humanRest(Normalize(tt.in)), tt.in)
	}
}

// TestMatchHumanEval: faq eval counts a request for a person labelled out
// of scope as rejected.
func TestMatchHumanEval(t *testing.T) {
	m := defaultMatcher(t)
	rep := Evaluate(m, []LabeledQuery{{Q: "あなたはAIですか？人間の職員さんと話したいです。"}, {Q: "職員さんと話したい。児童手当のことです"}})
	assert.Equal(t, 2, rep.OutOfScope)
	assert.InDelta(t, 1.0, rep.Rejection, 1e-9)
}
