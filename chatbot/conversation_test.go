package chatbot

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetectIntent(t *testing.T) {
	tests := []struct {
		text string
		want intent
	}{
		{"対象か調べる", intentScreen},
		{"自分がもらえるか知りたい", intentScreen},
		{"うちは児童扶養手当がもらえるか知りたいです", intentScreen},
		{"児童手当の対象かどうか調べて", intentScreen},
		{"判定してください", intentScreen},
		{"児童扶養手当はどんな人がもらえますか", intentNone},
		{"もっと詳しく", intentMore},
		{"もっとくわしく！", intentMore},
		{"詳しく教えてください", intentNone}, // 「ください」 is not a filler: an ordinary question then
		{"詳しく教えて", intentMore},
		{"ありがとう", intentThanks},
		{"ありがとうございます！", intentThanks},
		{"どうもありがとうございました", intentThanks},
		{"助かりました。ありがとう", intentThanks},
		{"おおきに", intentThanks},
		{"Thank you", intentThanks},
		{"ありがとう。でも児童手当の額も知りたい", intentNone},
		{"こんにちは", intentHello},
		{"こんばんは〜", intentHello},
		{"こんにちは、児童扶養手当の額は？", intentNone},
		{"", intentNone},
		{"はい", intentNone},
		{"あなたはAIですか？人間の職員さんと話したいです。", intentHuman},
		{"人と話したい", intentHuman},
		{"オペレーターにつないでください", intentHuman},
		{"養育費のことを職員に相談したい", intentHuman},
		{"これってロボットですか", intentHuman},
		{"Can I talk to a person?", intentHuman},
		{"子どもが人と話したがらない", intentNone},
		{"職員の方に書類を出すときに必要なものは", intentNone},
		{"公務員の児童手当はどこで申請しますか", intentNone},
		{"元夫と直接話したくない", intentNone},
		{"Can I talk to someone in English about my kids' paperwork?", intentNone}, // consulting, not asking for a person instead of the chat
		{"あなたは人間ですか？それともAI？", intentHuman},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, detectIntent(tt.text), tt.text)
	}
}

// recordingDialogue is a guided dialogue that records the argument it was
// started with.
type recordingDialogue struct{ arg string }

func (d *recordingDialogue) Start(context.Context) (Reply, error) {
	return Reply{Text: "screening " + d.arg}, nil
}

func (d *recordingDialogue) Next(_ context.Context, in Input) (Reply, bool, error) {
	return Reply{Text: "next"}, false, nil
}

func recordingScreeningBot(t *testing.T, opts ...BotOption) (*Bot, *[]string) {
	t.Helper()
	var started []string
	f := func(_ context.Context, arg string) (Dialogue, error) {
		if arg == "unknown" {
			return nil, ErrNoDialogue
		}
		started = append(started, arg)
		return &recordingDialogue{arg: arg}, nil
	}
	return NewBot(defaultMatcher(t), append([]BotOption{WithDialogue(ScreeningName, f)}, opts...)...), &started
}

// TestScreeningIntent: 「対象か調べる」 and plain wording start guided
// screening at any point, for the programme named, or the one just read
// about, or after asking which.
func TestScreeningIntent(t *testing.T) {
	ctx := context.Background()
	bot, started := recordingScreeningBot(t)

	s := bot.NewSession("a")
	r, err := s.Handle(ctx, Input{Text: "対象か調べる"})
	require.NoError(t, err)
	assert.Contains(t, r.Text, "どの制度について")
	var postbacks []string
	for _, q := range r.QuickReplies {
		postbacks = append(postbacks, q.Postback)
	}
	assert.Equal(t, []string{"dialogue:screening:child-rearing-allowance", "dialogue:screening:child-allowance", "dialogue:screening:single-parent-deduction"}, postbacks)
	assert.False(t, s.InDialogue())
	// The button starts it.
	r, err = s.Handle(ctx, Input{Text: r.QuickReplies[1].Text, Postback: r.QuickReplies[1].Postback})
	require.NoError(t, err)
	assert.Equal(t, "screening child-allowance", r.Text)
	assert.True(t, s.InDialogue())

	// The programme named in the message.
	s = bot.NewSession("b")
	r, err = s.Handle(ctx, Input{Text: "うちは児童手当がもらえるか知りたい"})
	require.NoError(t, err)
	assert.Equal(t, "screening child-allowance", r.Text)
	s = bot.NewSession("b2")
	r, err = s.Handle(ctx, Input{Text: "母子手当の対象か調べたい"})
	require.NoError(t, err)
	assert.Equal(t, "screening child-rearing-allowance", r.Text)

	// The programme of the entry just read.
	s = bot.NewSession("c")
	r, err = s.Handle(ctx, Input{Text: "児童扶養手当の金額はいくらですか"})
	require.NoError(t, err)
	require.Equal(t, ReplyAnswer, r.Kind)
	r, err = s.Handle(ctx, Input{Text: "自分がもらえるか知りたい"})
	require.NoError(t, err)
	assert.Equal(t, "screening child-rearing-allowance", r.Text)

	// A programme the chat cannot screen: said so, and the menu.
	s = bot.NewSession("d")
	r, err = s.Handle(ctx, Input{Text: "特別児童扶養手当の対象か調べて"})
	require.NoError(t, err)
	assert.Contains(t, r.Text, "「特別児童扶養手当」は、このチャットでは")
	assert.Len(t, r.QuickReplies, 3)
	assert.Equal(t, []string{"child-allowance", "child-allowance", "child-rearing-allowance", "child-rearing-allowance"}, *started)

	// Without a screening dialogue the question goes to the FAQ.
	plain := NewBot(defaultMatcher(t))
	r, err = plain.NewSession("e").Handle(ctx, Input{Text: "自分がもらえるか知りたい"})
	require.NoError(t, err)
	assert.NotEqual(t, ReplyDialogue, r.Kind)
}

func TestMoreThanksHello(t *testing.T) {
	ctx := context.Background()
	log := &MemoryLog{}
	bot := NewBot(defaultMatcher(t), WithEventLog(log))
	s := bot.NewSession("a")

	// 「もっと詳しく」 before anything: a question back.
	r, err := s.Handle(ctx, Input{Text: "もっと詳しく"})
	require.NoError(t, err)
	assert.Contains(t, r.Text, "どのことについて")
	assert.NotEmpty(t, r.QuickReplies)

	r, err = s.Handle(ctx, Input{Text: "児童扶養手当の金額はいくらですか"})
	require.NoError(t, err)
	require.Equal(t, ReplyAnswer, r.Kind)
	answer := r.Entry.Answer
	r, err = s.Handle(ctx, Input{Text: "もっと詳しく"})
	require.NoError(t, err)
	assert.Equal(t, ReplyDetails, r.Kind)
	assert.Equal(t, "jifu-amount", r.Entry.ID)
	assert.Contains(t, r.Text, "「児童扶養手当の金額はいくらですか？」について")
	assert.NotContains(t, r.Text, answer, "the answer is not shown twice")
	assert.Contains(t, r.Text, r.Desk.Name)

	// Thanks after an answer: 「はい」 to 「解決しましたか」.
	r, err = s.Handle(ctx, Input{Text: "ありがとうございます！"})
	require.NoError(t, err)
	assert.Equal(t, ReplySmallTalk, r.Kind)
	assert.Contains(t, r.Text, "どういたしまして")
	evs := log.Events()
	require.NotEmpty(t, evs)
	last := evs[len(evs)-1]
	assert.Equal(t, EventFeedback, last.Kind)
	assert.True(t, last.Helpful)
	assert.Equal(t, "jifu-amount", last.EntryID)
	// A second thanks records nothing more.
	_, err = s.Handle(ctx, Input{Text: "ありがとう"})
	require.NoError(t, err)
	assert.Len(t, log.Events(), len(evs))

	r, err = s.Handle(ctx, Input{Text: "こんにちは"})
	require.NoError(t, err)
	assert.Equal(t, ReplySmallTalk, r.Kind)
	assert.NotEmpty(t, r.QuickReplies)

	// Danger comes first, even in a thanks.
	r, err = s.Handle(ctx, Input{Text: "ありがとう、でも死にたい"})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Emergency)
}

// TestHumanIntent: a request for a person gets whom to call — the desk of
// what it is about, or of the entry just read, or the default desk —
// instead of an entry that shares a word with it (職員 ~ 公務員).
func TestHumanIntent(t *testing.T) {
	ctx := context.Background()
	log := &MemoryLog{}
	bot := NewBot(defaultMatcher(t), WithEventLog(log))
	kb := bot.m.kb
	defaultDesk, ok := kb.DeskFor(nil)
	require.True(t, ok)

	tests := []struct {
		name, before, text string
		// wantDesk is the entry whose desk the reply names ("" = default desk).
		wantDesk string
	}{
		{name: "AI and a person, nothing else", text: "あなたはAIですか？人間の職員さんと話したいです。"},
		{name: "after an answer: that entry's desk", before: "児童扶養手当の金額はいくらですか", text: "職員と話したい", wantDesk: "jifu-amount"},
		{name: "what it is about names the desk", text: "養育費が払われないことで担当の方と話したいです", wantDesk: "youikuhi-unpaid"},
		{name: "English", text: "I want to talk to a person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bot.NewSession(tt.name)
			if tt.before != "" {
				r, err := s.Handle(ctx, Input{Text: tt.before})
				require.NoError(t, err)
				require.Equal(t, ReplyAnswer, r.Kind)
			}
			n := len(log.Events())
			r, err := s.Handle(ctx, Input{Text: tt.text})
			require.NoError(t, err)
			assert.Equal(t, ReplyHandoff, r.Kind)
			assert.Nil(t, r.Entry, "no entry is shown")
			assert.Contains(t, r.Text, "自動で応答しています")
			want := defaultDesk
			if tt.wantDesk != "" {
				e, ok := kb.Entry(tt.wantDesk)
				require.True(t, ok, tt.wantDesk)
				want, ok = kb.DeskFor(e)
				require.True(t, ok)
			}
			require.NotNil(t, r.Desk)
			assert.Equal(t, want.ID, r.Desk.ID)
			assert.Contains(t, r.Text, want.Name)
			assert.Len(t, log.Events(), n, "nothing recorded")
		})
	}
}
