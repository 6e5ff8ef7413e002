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
