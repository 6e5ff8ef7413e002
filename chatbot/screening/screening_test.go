package screening

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleEngine(t testing.TB) *eligibility.Engine {
	t.Helper()
	p, err := eligibility.LoadPack(os.DirFS("../../eligibility/testdata/samplepack"), "samplepack")
	require.NoError(t, err)
	e, err := eligibility.Compile([]*eligibility.Pack{p})
	require.NoError(t, err)
	return e
}

func screeningBot(t testing.TB) *chatbot.Bot {
	t.Helper()
	kb, err := chatbot.Default()
	require.NoError(t, err)
	m, err := chatbot.Compile(kb)
	require.NoError(t, err)
	return chatbot.NewBot(m, chatbot.WithDialogue(Name, New(sampleEngine(t),
		WithDate(func() civil.Date { return civil.MustDate(2025, 6, 1) }),
		WithDesks(kb))))
}

// converse starts the screening dialogue and answers each question in
// turn, returning every bot turn.
func converse(t *testing.T, program string, answers ...string) []chatbot.Reply {
	t.Helper()
	s := screeningBot(t).NewSession("t")
	r, err := s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:" + program})
	require.NoError(t, err)
	replies := []chatbot.Reply{r}
	for _, a := range answers {
		require.True(t, s.InDialogue(), "the dialogue ended before the answer %q; last turn:\n%s", a, replies[len(replies)-1].Text)
		r, err = s.Handle(context.Background(), chatbot.Input{Text: a})
		require.NoError(t, err)
		replies = append(replies, r)
	}
	return replies
}

func TestScreeningDialogueToAnAmount(t *testing.T) {
	rs := converse(t, "child-rearing-allowance",
		"1",         // children
		"いない",       // grandparents
		"divorced",  // situation (the button sends the code)
		"いいえ",       // de-facto partner
		"平成27年5月1日", // the child's birth date, 和暦
		"はい",        // income in 2023
		"１８４万円",     // business income, full width
		"0",         // child support
		"0",         // other income
	)
	questions := []string{"お子さん", "祖父母", "ひとり親になった事情", "事実婚", "生年月日", "2023年（令和5年）の収入", "事業の所得", "養育費", "そのほかの所得"}
	for i, q := range questions {
		assert.Contains(t, rs[i].Text, q, "turn %d", i)
	}
	last := rs[len(rs)-1]
	assert.True(t, last.DialogueDone)
	assert.Contains(t, last.Text, "児童扶養手当の対象になる可能性があります")
	assert.Contains(t, last.Text, "目安の額: 28,970円/月")
	assert.Contains(t, last.Text, "正式な判定は、申請をいただいたうえで市区町村が行います")
	assert.NotEmpty(t, last.Links)
	for _, r := range rs {
		assert.LessOrEqual(t, len(r.QuickReplies), chatbot.MaxQuickReplies)
		for _, q := range r.QuickReplies {
			assert.LessOrEqual(t, len([]rune(q.Label)), chatbot.MaxQuickReplyLabel)
		}
	}
}

func TestScreeningDialogueAsksOnlyWhatDecides(t *testing.T) {
	// A married applicant is not eligible whatever the income: the dialogue
	// ends without asking about money.
	rs := converse(t, "child-rearing-allowance", "1", "0", "married")
	last := rs[len(rs)-1]
	assert.True(t, last.DialogueDone)
	assert.Contains(t, last.Text, "当てはまらないようです")
	assert.Contains(t, last.Text, "父母の離婚・死別などの支給要件に該当すること")
	for _, r := range rs {
		assert.NotContains(t, r.Text, "収入")
	}
}

func TestScreeningDialogueReasksAndStops(t *testing.T) {
	rs := converse(t, "child-rearing-allowance", "たくさん", "2", "0", "divorced", "いいえ", "2015年13月1日", "わからない")
	assert.Contains(t, rs[1].Text, "人数を数字で")
	assert.Contains(t, rs[6].Text, "日付として読めませんでした")
	assert.Contains(t, rs[6].Text, "生年月日", "the question is asked again")
	last := rs[len(rs)-1]
	assert.True(t, last.DialogueDone)
	assert.Contains(t, last.Text, "次のことが分かると判定できます")
	assert.Contains(t, last.Text, "生年月日")
}

func TestScreeningDialogueCancelAndUnknownProgramme(t *testing.T) {
	s := screeningBot(t).NewSession("t")
	_, err := s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:child-rearing-allowance"})
	require.NoError(t, err)
	r, err := s.Handle(context.Background(), chatbot.Input{Text: "やめる"})
	require.NoError(t, err)
	assert.True(t, r.DialogueDone)
	assert.False(t, s.InDialogue())

	_, err = s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:no-such-programme"})
	assert.ErrorIs(t, err, chatbot.ErrNoDialogue)
}

func TestScreeningDialogueDangerOverride(t *testing.T) {
	s := screeningBot(t).NewSession("t")
	_, err := s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:child-rearing-allowance"})
	require.NoError(t, err)
	r, err := s.Handle(context.Background(), chatbot.Input{Text: "夫に殴られて逃げたい"})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Emergency, "the emergency contacts come first even inside a dialogue")
	assert.True(t, s.InDialogue(), "the dialogue waits")
}

func TestParseYen(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"2400000", 2400000, true},
		{"2,400,000円", 2400000, true},
		{"240万", 2400000, true},
		{"240万円", 2400000, true},
		{"12.5万", 125000, true},
		{"1億2000万", 120000000, true},
		{"3千", 3000, true},
		{"0", 0, true},
		{"-5", 0, false},
		{"12.34567万", 0, false},
		{"たくさん", 0, false},
		{"", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseYen(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		if tc.ok {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
}

func FuzzNew(f *testing.F) {
	f.Add("1\nいない\ndivorced\nいいえ\n平成27年5月1日\nはい\n184万\n0\n0")
	f.Add("3\n2\nbereaved\nはい\n2000-01-01\n2010-02-29\nわからない")
	f.Add("0\n0\n\x00\n１２３４５６７８９０１２")
	bot := screeningBot(f)
	f.Fuzz(func(t *testing.T, script string) {
		s := bot.NewSession("fuzz")
		if _, err := s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:child-rearing-allowance"}); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(script, "\n") {
			if i > 60 || !s.InDialogue() {
				break
			}
			r, err := s.Handle(context.Background(), chatbot.Input{Text: line})
			if err != nil {
				t.Fatalf("answer %q: %v", line, err)
			}
			if r.Text == "" && len(r.Emergency) == 0 {
				t.Fatalf("empty turn after %q", line)
			}
		}
	})
}

func TestScreeningDialogueAsksLocalFactsByLabel(t *testing.T) {
	rs := converse(t, "visit-support", "0", "0", "はい")
	// The sample pack declares extra.wants_visit with a label.
	found := false
	for _, r := range rs {
		if strings.Contains(r.Text, "自宅への訪問支援を希望するか？") {
			found = true
		}
	}
	assert.True(t, found, "turns: %v", rs)
}

// TestScreeningRepromptsNameTheButtons: an answer that cannot be used is
// asked again with the buttons named as they are labelled.
func TestScreeningRepromptsNameTheButtons(t *testing.T) {
	rs := converse(t, "child-rearing-allowance", "1", "abc", "0", "divorced", "いいえ", "平成27年5月1日", "たぶん")
	assert.Contains(t, rs[2].Text, "「いない」「1人」「2人」「わからない」")
	assert.Contains(t, rs[2].Text, "一緒に暮らしている方は何人", "the question is asked again")
	last := rs[len(rs)-1]
	assert.Contains(t, last.Text, "下のボタン（「収入があった」「収入はなかった」「わからない」）から選んでください。")
	assert.NotContains(t, last.Text, "「はい」か「いいえ」で")
	assert.Equal(t, []string{"収入があった", "収入はなかった", "わからない"}, labels(last.QuickReplies))
}

func labels(qs []chatbot.QuickReply) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Label)
	}
	return out
}

// TestScreeningWarningsForResidents: warnings written for staff (a figure
// carried forward, with the parameter's name) reach residents as what they
// mean for them, once however many figures were carried forward.
func TestScreeningWarningsForResidents(t *testing.T) {
	kb, err := chatbot.Default()
	require.NoError(t, err)
	m, err := chatbot.Compile(kb)
	require.NoError(t, err)
	bot := chatbot.NewBot(m, chatbot.WithDialogue(Name, New(sampleEngine(t),
		WithDate(func() civil.Date { return civil.MustDate(2026, 6, 1) }),
		WithDesks(kb))))
	s := bot.NewSession("t")
	r, err := s.Handle(context.Background(), chatbot.Input{Postback: "dialogue:screening:child-rearing-allowance"})
	require.NoError(t, err)
	for _, a := range []string{"2", "いない", "divorced", "いいえ", "平成27年5月1日", "平成30年4月1日", "はい", "184万", "0", "0"} {
		if !s.InDialogue() {
			break
		}
		r, err = s.Handle(context.Background(), chatbot.Input{Text: a})
		require.NoError(t, err)
	}
	require.True(t, r.DialogueDone, r.Text)
	assert.Equal(t, 1, strings.Count(r.Text, "最新の改定がまだ反映されていない"), r.Text)
	for _, staff := range []string{"params.", "未登録", "cra_", "パラメータ"} {
		assert.NotContains(t, r.Text, staff)
	}
	// No line of the last turn is shown twice.
	seen := map[string]bool{}
	for _, line := range strings.Split(r.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			assert.False(t, seen[line], "shown twice: %q", line)
			seen[line] = true
		}
	}
}
