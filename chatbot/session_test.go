package chatbot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func defaultMatcher(t testing.TB) *Matcher {
	t.Helper()
	kb, err := Default()
	require.NoError(t, err)
	m, err := Compile(kb)
	require.NoError(t, err)
	return m
}

func TestMatchLevels(t *testing.T) {
	m := defaultMatcher(t)
	tests := []struct {
		q     string
		level Level
		best  string
	}{
		{"保育園に入りたい", Answer, "hoikusho"},
		{"学童に入れたいです", Answer, "houkago-club"},
		{"ＤＶの相談をしたい", Answer, "dv-soudan"},
		{"粗大ごみの出し方", Handoff, ""},
		{"", Handoff, ""},
		{"！！！", Handoff, ""},
		{"はい", Handoff, ""},
	}
	for _, tt := range tests {
		r := m.Match(tt.q)
		assert.Equal(t, tt.level, r.Level, "%q: %+v", tt.q, r.Candidates)
		if tt.best != "" {
			require.NotEmpty(t, r.Candidates, tt.q)
			assert.Equal(t, tt.best, r.Best().ID, tt.q)
		}
		assert.LessOrEqual(t, len(r.Candidates), 3)
	}
}

func TestDangerOverride(t *testing.T) {
	m := defaultMatcher(t)
	for _, q := range []string{
		"夫に殴られる", "なぐられた", "逃げたい", "もう死にたい", "しにたい",
		"ＤＶ", "元夫につきまとわれている", "子どもを虐待してしまう",
		// Danger words inside an otherwise ordinary question.
		"児童扶養手当の金額を知りたいけど夫が怖くて逃げたい",
	} {
		assert.True(t, m.Match(q).Danger, q)
		assert.True(t, m.IsDanger(q), q)
	}
	for _, q := range []string{"死別の場合の手当", "保育料はいくら", "見つけられない書類"} {
		assert.False(t, m.Match(q).Danger, q)
	}
}

func TestSessionDangerShowsEmergencyContactsWhateverMatched(t *testing.T) {
	m := defaultMatcher(t)
	log := &MemoryLog{}
	bot := NewBot(m, WithEventLog(log))
	s := bot.NewSession("s1")
	// An ordinary FAQ question with a danger word: the answer still comes,
	// after the emergency contacts.
	r, err := s.Handle(context.Background(), Input{Text: "保育園に入りたいけど夫に殴られて逃げたい"})
	require.NoError(t, err)
	require.NotEmpty(t, r.Emergency)
	assert.True(t, strings.HasPrefix(r.Text, "【"), r.Text)
	for _, p := range []string{"110", "#8008", "0120-279-889"} {
		assert.Contains(t, r.Text, p)
	}
	// An out-of-scope message with a danger word: contacts and the desk.
	r, err = s.Handle(context.Background(), Input{Text: "死にたい"})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Emergency)
	// Danger messages are logged without text.
	for _, e := range log.Events() {
		assert.Empty(t, e.Text, "%+v", e)
	}
	var kinds []EventKind
	for _, e := range log.Events() {
		kinds = append(kinds, e.Kind)
	}
	assert.Contains(t, kinds, EventDanger)
}

func TestSessionHandoffShowsDeskPhoneAndHours(t *testing.T) {
	kb, err := Default()
	require.NoError(t, err)
	// A municipality sets its own desk under the default ID.
	own := &KnowledgeBase{Name: "市", Entries: kb.Entries[:1], Desks: []Desk{{
		ID: "hitorioya", Name: "こども家庭課 ひとり親係", Phone: "0120-000-000", Hours: "平日 8:30〜17:15", Address: "市役所2階",
	}}}
	m, err := Compile(own.WithDefaults(kb))
	require.NoError(t, err)
	log := &MemoryLog{}
	s := NewBot(m, WithEventLog(log), WithClock(func() time.Time { return time.Date(2026, 1, 5, 21, 0, 0, 0, time.UTC) })).NewSession("s2")
	r, err := s.Handle(context.Background(), Input{Text: "パスポートの申請はどこ"})
	require.NoError(t, err)
	assert.Equal(t, ReplyHandoff, r.Kind)
	require.NotNil(t, r.Desk)
	assert.Equal(t, "0120-000-000", r.Desk.Phone)
	assert.Contains(t, r.Text, "電話: 0120-000-000")
	assert.Contains(t, r.Text, "受付時間: 平日 8:30〜17:15")
	assert.Contains(t, r.Text, "市役所2階")
	assert.Empty(t, r.Emergency)
	ev := log.Events()
	require.Len(t, ev, 1)
	assert.Equal(t, EventUnanswered, ev[0].Kind)
	assert.Equal(t, "s2", ev[0].Session)
	assert.Equal(t, "パスポートの申請はどこ", ev[0].Text)
}

func TestSessionSuggestSelectAndFeedback(t *testing.T) {
	m := defaultMatcher(t)
	log := &MemoryLog{}
	s := NewBot(m, WithEventLog(log)).NewSession("s3")
	ctx := context.Background()
	r, err := s.Handle(ctx, Input{Text: "母子手当"})
	require.NoError(t, err)
	require.Equal(t, ReplySuggest, r.Kind, r.Text)
	require.Len(t, r.Candidates, 3)
	assert.Contains(t, r.Text, "もしかして")
	assert.Equal(t, "どれでもない", r.QuickReplies[len(r.QuickReplies)-1].Label)
	for _, q := range r.QuickReplies {
		assert.LessOrEqual(t, len([]rune(q.Label)), MaxQuickReplyLabel)
	}
	want := r.Candidates[1].Entry.ID
	// Typing "２" (full width) picks the second candidate.
	r, err = s.Handle(ctx, Input{Text: "２"})
	require.NoError(t, err)
	require.Equal(t, ReplyAnswer, r.Kind)
	assert.Equal(t, want, r.Entry.ID)
	assert.True(t, r.AskFeedback)
	require.Len(t, r.FeedbackReplies, 2)
	// 「いいえ」 is feedback, and it hands off.
	r, err = s.Handle(ctx, Input{Text: "いいえ"})
	require.NoError(t, err)
	assert.Equal(t, ReplyFeedback, r.Kind)
	assert.NotNil(t, r.Desk)
	// A button postback works the same.
	r, err = s.Handle(ctx, Input{Postback: "faq:hoikusho"})
	require.NoError(t, err)
	require.Equal(t, "hoikusho", r.Entry.ID)
	r, err = s.Handle(ctx, Input{Postback: r.FeedbackReplies[0].Postback})
	require.NoError(t, err)
	assert.Equal(t, ReplyFeedback, r.Kind)

	var got []string
	for _, e := range log.Events() {
		s := e.Kind.String() + ":" + e.EntryID
		if e.Kind == EventFeedback {
			s += map[bool]string{true: ":はい", false: ":いいえ"}[e.Helpful]
		}
		got = append(got, s)
	}
	assert.Equal(t, []string{"確信度低:", "候補選択:" + want, "評価:" + want + ":いいえ", "候補選択:hoikusho", "評価:hoikusho:はい"}, got)
}

func TestSessionLogsRedactedText(t *testing.T) {
	m := defaultMatcher(t)
	log := &MemoryLog{}
	s := NewBot(m, WithEventLog(log)).NewSession("s4")
	_, err := s.Handle(context.Background(), Input{Text: "名前は山田花子です。電話０９０－１２３４－５６７８、マイナンバー123456789018の件でパスポート"})
	require.NoError(t, err)
	ev := log.Events()
	require.Len(t, ev, 1)
	assert.NotContains(t, ev[0].Text, "山田")
	assert.NotContains(t, ev[0].Text, "1234")
	assert.NotContains(t, ev[0].Text, "5678")
	assert.Equal(t, 3, ev[0].Redactions.Total(), ev[0].Text)

	log2 := &MemoryLog{}
	s = NewBot(m, WithEventLog(log2), WithoutTextLogging()).NewSession("s5")
	_, err = s.Handle(context.Background(), Input{Text: "パスポート"})
	require.NoError(t, err)
	require.Len(t, log2.Events(), 1)
	assert.Empty(t, log2.Events()[0].Text)
}

type failingLog struct{}

func (failingLog) Record(context.Context, Event) error { return errors.New("disk full") }

func TestSessionEventLogErrorKeepsReply(t *testing.T) {
	s := NewBot(defaultMatcher(t), WithEventLog(failingLog{})).NewSession("s6")
	r, err := s.Handle(context.Background(), Input{Text: "パスポート"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Equal(t, ReplyHandoff, r.Kind)
	assert.NotEmpty(t, r.Text)
}

// screening is a stand-in for the guided screening dialogue: it asks two
// questions and then ends with an outcome.
type screening struct {
	programme string
	answers   []string
}

func (d *screening) Start(context.Context) (Reply, error) {
	return Reply{Text: d.programme + ": お子さんは何人ですか？"}, nil
}

func (d *screening) Next(_ context.Context, in Input) (Reply, bool, error) {
	d.answers = append(d.answers, in.Text)
	if len(d.answers) == 1 {
		return Reply{Text: "前年の収入はおよそいくらですか？"}, false, nil
	}
	return Reply{Text: "対象になる可能性があります。窓口で申請してください。"}, true, nil
}

func TestSessionGuidedDialogue(t *testing.T) {
	var started []string
	bot := NewBot(defaultMatcher(t), WithDialogue("screening", func(_ context.Context, arg string) (Dialogue, error) {
		started = append(started, arg)
		return &screening{programme: arg}, nil
	}))
	ctx := context.Background()
	s := bot.NewSession("s7")

	r, err := s.Handle(ctx, Input{Postback: "dialogue:screening:jido-fuyo"})
	require.NoError(t, err)
	assert.Equal(t, ReplyDialogue, r.Kind)
	assert.Equal(t, "jido-fuyo: お子さんは何人ですか？", r.Text)
	assert.True(t, s.InDialogue())

	// Turns go to the dialogue, not to FAQ matching.
	r, err = s.Handle(ctx, Input{Text: "保育園"})
	require.NoError(t, err)
	assert.Equal(t, "前年の収入はおよそいくらですか？", r.Text)

	// Danger pre-empts the dialogue without advancing it.
	r, err = s.Handle(ctx, Input{Text: "夫に殴られた"})
	require.NoError(t, err)
	assert.Equal(t, ReplyEmergency, r.Kind)
	assert.NotEmpty(t, r.Emergency)
	assert.True(t, s.InDialogue())

	r, err = s.Handle(ctx, Input{Text: "200万円"})
	require.NoError(t, err)
	assert.True(t, r.DialogueDone)
	assert.False(t, s.InDialogue())

	// Back to FAQ matching.
	r, err = s.Handle(ctx, Input{Text: "保育園に入りたい"})
	require.NoError(t, err)
	assert.Equal(t, ReplyAnswer, r.Kind)

	// Cancel words end a dialogue.
	_, err = s.Start(ctx, "screening", "x")
	require.NoError(t, err)
	r, err = s.Handle(ctx, Input{Text: "やめる"})
	require.NoError(t, err)
	assert.True(t, r.DialogueDone)
	assert.False(t, s.InDialogue())

	_, err = s.Start(ctx, "nothing", "")
	assert.ErrorIs(t, err, ErrNoDialogue)
	assert.Equal(t, []string{"jido-fuyo", "x"}, started)
}

func TestGreetingShowsPrivacyNotice(t *testing.T) {
	g := NewBot(defaultMatcher(t)).Greeting()
	assert.Equal(t, ReplyGreeting, g.Kind)
	assert.Contains(t, g.Text, "個人情報は入力しないでください")
	assert.LessOrEqual(t, len(g.QuickReplies), MaxQuickReplies)
	assert.NotEmpty(t, g.QuickReplies)
}

func TestMatcherConcurrentUse(t *testing.T) {
	m := defaultMatcher(t)
	want := m.Match("保育園に入りたい").Best().ID
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				r := m.Match("保育園に入りたい")
				if r.Best() == nil || r.Best().ID != want {
					t.Errorf("concurrent match changed: %+v", r.Candidates)
					return
				}
				m.Match("児童扶養手当の金額")
			}
		}()
	}
	wg.Wait()
}

// TestDangerExceptions: an ordinary request that contains a danger keyword
// (「助けてもらえる制度」, 「包丁の捨て方」) does not raise the override, while
// the same keyword elsewhere in the message, or another keyword, still does.
func TestDangerExceptions(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		q      string
		danger bool
	}{
		{"給食費とか修学旅行の積立がきつい。小学校の費用を助けてもらえる制度ある？", false},
		{"家賃を助けてもらえる支援はありますか", false},
		{"包丁の捨て方を教えて", false},
		{"古い刃物を捨てたい", false},
		{"包丁 ごみ", false},
		// The keyword outside the exception still counts.
		{"助けて", true},
		{"たすけて", true},
		{"助けてもらえる制度ある？助けて", true},
		{"助けて。お金を助けてもらえる制度ある？", true},
		{"夫に包丁を向けられた", true},
		// Another keyword in the same message counts.
		{"夫に殴られて逃げたい。助けてもらえる制度はありますか", true},
		{"包丁の捨て方を聞きたいけど、もう死にたい", true},
	} {
		assert.Equal(t, tc.danger, m.IsDanger(tc.q), tc.q)
		assert.Equal(t, tc.danger, m.Match(tc.q).Danger, tc.q)
	}
}

// TestDangerExceptionsFromYAML: a knowledge base's own exceptions are read
// from YAML and apply only to the keyword occurrence they contain.
func TestDangerExceptionsFromYAML(t *testing.T) {
	kb, err := LoadYAML(strings.NewReader(`
danger:
  message: 危ないときは
  keywords: [助けて]
  except: [助けてもらえる制度]
  contacts:
    - {name: 警察, phone: "110"}
entries:
  - {id: a, category: 手当, question: 手当はありますか, answer: あります}
`), "kb.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"助けてもらえる制度"}, kb.Danger.Except)
	m, err := Compile(kb)
	require.NoError(t, err)
	assert.False(t, m.IsDanger("助けてもらえる制度"))
	assert.True(t, m.IsDanger("助けてもらえる支援"), "only the listed phrase is excepted")
	assert.True(t, m.IsDanger("助けて"))
	// A CSV FAQ takes the keywords and their exceptions together.
	csvKB := (&KnowledgeBase{}).WithDefaults(kb)
	assert.Equal(t, kb.Danger.Except, csvKB.Danger.Except)
}

// TestDangerExceptionMustHoldAKeyword: an exception without any keyword
// would never apply, so loading says so (with the phrase); a knowledge base
// without keywords of its own keeps its exceptions beside the defaults'.
func TestDangerExceptionMustHoldAKeyword(t *testing.T) {
	const head = `
danger:
  message: 危ないときは
  contacts:
    - {name: 警察, phone: "110"}
`
	const entries = `
entries:
  - {id: a, category: 手当, question: 手当はありますか, answer: あります}
`
	for _, tc := range []struct {
		name   string
		danger string
		bad    string // "" when loading succeeds
	}{
		{"holds its keyword", "  keywords: [助けて]\n  except: [助けてもらえる制度]\n", ""},
		{"holds no keyword", "  keywords: [助けて]\n  except: [助けてもらえる制度, 包丁の捨て方]\n", "包丁の捨て方"},
		{"folds like the text", "  keywords: [ＤＶ]\n  except: [dv対策の講座]\n", ""},
		{"own exceptions without own keywords", "  except: [包丁の捨て方]\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kb, err := LoadYAML(strings.NewReader(head+tc.danger+entries), "kb.yaml")
			if tc.bad == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnusedException)
			assert.Contains(t, err.Error(), tc.bad)
			assert.Nil(t, kb, "nothing half-loaded")
		})
	}
	// Own exceptions without own keywords join the defaults' and apply to
	// the default keywords.
	kb, err := LoadYAML(strings.NewReader(head+"  except: [助けてくれる窓口]\n"+entries), "kb.yaml")
	require.NoError(t, err)
	def, err := Default()
	require.NoError(t, err)
	merged := kb.WithDefaults(def)
	assert.Equal(t, append([]string{"助けてくれる窓口"}, def.Danger.Except...), merged.Danger.Except)
	assert.Equal(t, []string{"助けてくれる窓口"}, kb.Danger.Except, "WithDefaults does not modify its receiver")
	m, err := Compile(merged)
	require.NoError(t, err)
	assert.False(t, m.IsDanger("助けてくれる窓口はどこ"))
	assert.False(t, m.IsDanger("包丁の捨て方"), "the defaults' exceptions still apply")
	assert.True(t, m.IsDanger("助けて"))
}
