package chatbot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Postbacks the Bot understands. Buttons carry them so that a tap is not
// re-matched as text.
const (
	postbackFAQ      = "faq:"      // faq:<entry id>: show that entry
	postbackNone     = "none"      // none of the candidates
	postbackFeedback = "feedback:" // feedback:yes:<id> / feedback:no:<id>
	// PostbackDialogue starts a registered Dialogue: "dialogue:<name>".
	PostbackDialogue = "dialogue:"
)

// ReplyKind says what kind of turn a Reply is.
type ReplyKind int

const (
	// ReplyHandoff: no answer; Desk says whom to call.
	ReplyHandoff ReplyKind = iota
	// ReplySuggest: candidate questions to choose from (「もしかして」).
	ReplySuggest
	// ReplyAnswer: an FAQ answer (Entry).
	ReplyAnswer
	// ReplyGreeting: the first message with the privacy notice.
	ReplyGreeting
	// ReplyFeedback: the acknowledgement of 「解決しましたか」.
	ReplyFeedback
	// ReplyDialogue: a turn produced by a guided Dialogue.
	ReplyDialogue
	// ReplyEmergency: only the emergency contacts (danger during a dialogue).
	ReplyEmergency
	// ReplyDetails: more about the entry just shown (「もっと詳しく」): its
	// links and desk.
	ReplyDetails
	// ReplySmallTalk: a reply to thanks or a greeting.
	ReplySmallTalk
	// ReplyPersonal: the message asks about the resident's own case (how
	// an application stands, whether a payment was made), which the chat
	// cannot see: Desk says whom to ask (Result.Personal).
	ReplyPersonal
)

// Reply is one bot turn in a channel-neutral form: Text is the plain-text
// rendering (Japanese) for channels without buttons; the other fields let a
// vendor build LINE or web messages (quick replies, link buttons, a second
// 「解決しましたか」 message).
type Reply struct {
	Kind ReplyKind
	Text string
	// Emergency lists the contacts of the danger override; when non-empty
	// show them first and prominently.
	Emergency []Contact
	// Entry is the answered entry (ReplyAnswer).
	Entry *Entry
	// Candidates are the offered entries (ReplySuggest).
	Candidates []Candidate
	// Desk is where to turn for a person (handoff, suggest, answer).
	Desk *Desk
	// QuickReplies are the follow-up buttons (at most MaxQuickReplies).
	QuickReplies []QuickReply
	// Links are link buttons.
	Links []Link
	// AskFeedback asks 「解決しましたか？」; FeedbackReplies are its buttons,
	// to be sent as their own message (LINE's 13-button limit applies per
	// message).
	AskFeedback     bool
	FeedbackReplies []QuickReply
	// DialogueDone is set on the last turn of a guided dialogue.
	DialogueDone bool
}

// Input is what the resident sent: typed Text, or the Postback of a button.
type Input struct {
	Text     string
	Postback string
}

// Dialogue is a guided, multi-turn conversation (for example the screening
// dialogue that asks the facts eligibility partial evaluation says are
// missing). While a session has an active Dialogue every turn goes to it,
// except that the danger override still runs first and the words of
// CancelWords end it. Implementations need not be safe for concurrent use:
// a Session serialises its turns.
type Dialogue interface {
	// Start returns the dialogue's first turn (usually its first question).
	Start(ctx context.Context) (Reply, error)
	// Next consumes the resident's input and returns the next turn; done
	// ends the dialogue after this turn.
	Next(ctx context.Context, in Input) (reply Reply, done bool, err error)
}

// DialogueFactory creates a fresh Dialogue for a session. arg is the text
// after the name in the postback ("dialogue:screening:jido-fuyo" gives
// name "screening", arg "jido-fuyo").
type DialogueFactory func(ctx context.Context, arg string) (Dialogue, error)

// cancelWords end an active dialogue (compared after Normalize).
var cancelWords = [...]string{"やめる", "中止", "キャンセル", "終了", "最初から", "もどる"}

// CancelWords returns the words that end an active dialogue.
func CancelWords() []string { return append([]string(nil), cancelWords[:]...) }

// ErrNoDialogue is returned when a postback names a dialogue that was not
// registered with WithDialogue.
var ErrNoDialogue = errors.New("chatbot: no such dialogue")

// Bot turns matcher results into replies, logs events and routes turns to
// guided dialogues. It is safe for concurrent use; each resident's
// conversation is a Session.
type Bot struct {
	m            *Matcher
	log          EventLog
	now          func() time.Time
	dialogues    map[string]DialogueFactory
	logText      bool
	logAnswered  bool
	categoryMenu []QuickReply
	screenables  []screenable
}

// BotOption configures NewBot.
type BotOption func(*Bot)

// WithEventLog sets where events go (default: nowhere).
func WithEventLog(l EventLog) BotOption { return func(b *Bot) { b.log = l } }

// WithClock sets the clock used to time-stamp events.
func WithClock(now func() time.Time) BotOption { return func(b *Bot) { b.now = now } }

// WithDialogue registers a guided dialogue under name; a button whose
// postback is "dialogue:<name>[:arg]" starts it, and so does Session.Start.
func WithDialogue(name string, f DialogueFactory) BotOption {
	return func(b *Bot) { b.dialogues[name] = f }
}

// WithoutTextLogging logs events without even the redacted question text.
func WithoutTextLogging() BotOption { return func(b *Bot) { b.logText = false } }

// WithAnsweredLogging also logs directly answered questions (off by default:
// log only what staff need for upkeep).
func WithAnsweredLogging() BotOption { return func(b *Bot) { b.logAnswered = true } }

// NewBot returns a Bot over a compiled matcher.
func NewBot(m *Matcher, opts ...BotOption) *Bot {
	b := &Bot{m: m, now: time.Now, dialogues: map[string]DialogueFactory{}, logText: true}
	for _, o := range opts {
		o(b)
	}
	seen := map[string]bool{}
	for _, c := range categoryOrder {
		for _, e := range m.entries {
			if e.Category == c && !seen[c] {
				seen[c] = true
				b.categoryMenu = append(b.categoryMenu, QuickReply{Label: c, Text: c + "について知りたい"})
			}
		}
	}
	if len(b.categoryMenu) > MaxQuickReplies {
		b.categoryMenu = b.categoryMenu[:MaxQuickReplies]
	}
	b.screenables = screenables(m)
	return b
}

// Matcher returns the bot's matcher.
func (b *Bot) Matcher() *Matcher { return b.m }

// Greeting is the first message of a chat: the privacy notice (「個人情報は
// 入力しないでください」) and a category menu.
func (b *Bot) Greeting() Reply {
	notice := b.m.kb.Notice
	if notice == "" {
		notice = DefaultNotice
	}
	return Reply{Kind: ReplyGreeting, Text: notice, QuickReplies: b.categoryMenu}
}

// DefaultNotice is shown when the knowledge base has no notice of its own.
const DefaultNotice = "ひとり親家庭の支援についてお答えするチャットです。\n" +
	"お名前・住所・電話番号・マイナンバーなどの個人情報は入力しないでください。\n" +
	"入力された内容は、個人情報を伏せたうえで回答の改善に使うことがあります。\n" +
	"身の危険を感じているときは、すぐに110番してください。"

// Session is one resident's conversation. Its methods serialise turns.
type Session struct {
	bot      *Bot
	id       string
	mu       sync.Mutex
	dialogue Dialogue
	// lastAnswer is the entry awaiting 「解決しましたか」.
	lastAnswer string
	// lastEntry is the last entry shown, for 「もっと詳しく」 and for
	// screening the programme it offered.
	lastEntry string
	// lastCandidates lets a typed "1"–"3" pick an offered candidate.
	lastCandidates []string
}

// NewSession starts a conversation. id is an opaque, pseudonymous session
// identifier that goes into the event log: never a LINE user ID, name or
// phone number.
func (b *Bot) NewSession(id string) *Session { return &Session{bot: b, id: id} }

// InDialogue reports whether a guided dialogue is active.
func (s *Session) InDialogue() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dialogue != nil
}

// Start begins the registered dialogue name with arg (see DialogueFactory).
func (s *Session) Start(ctx context.Context, name, arg string) (Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.start(ctx, name, arg)
}

func (s *Session) start(ctx context.Context, name, arg string) (Reply, error) {
	f, ok := s.bot.dialogues[name]
	if !ok {
		return Reply{}, fmt.Errorf("chatbot: start %q: %w", name, ErrNoDialogue)
	}
	d, err := f(ctx, arg)
	if err != nil {
		return Reply{}, fmt.Errorf("chatbot: start %q: %w", name, err)
	}
	r, err := d.Start(ctx)
	if err != nil {
		return Reply{}, fmt.Errorf("chatbot: start %q: %w", name, err)
	}
	r.Kind = ReplyDialogue
	if !r.DialogueDone {
		s.dialogue = d
	}
	return r, nil
}

// Handle answers one input. The order is: the danger override (always
// first); an active guided dialogue; buttons (candidate picked, feedback);
// 「はい/いいえ」 to 「解決しましたか」; then FAQ matching. The returned error
// is from the event log or a dialogue; the Reply is usable even then.
func (s *Session) Handle(ctx context.Context, in Input) (Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bot
	var logErr error
	record := func(e Event) {
		if b.log == nil {
			return
		}
		e.Time, e.Session = b.now(), s.id
		if err := b.log.Record(ctx, e); err != nil && logErr == nil {
			logErr = fmt.Errorf("chatbot: event log: %w", err)
		}
	}

	danger := in.Text != "" && b.m.IsDanger(in.Text)
	if danger {
		record(Event{Kind: EventDanger})
	}

	// An active guided dialogue takes the turn.
	if s.dialogue != nil {
		if isCancel(in.Text) {
			s.dialogue = nil
			r := Reply{Kind: ReplyDialogue, Text: "質問を終了しました。ほかに知りたいことを入力してください。", DialogueDone: true, QuickReplies: b.categoryMenu}
			return withEmergency(r, b.m.kb, danger), logErr
		}
		if danger {
			r := Reply{Kind: ReplyEmergency, Text: "（質問の続きに答えるときは、そのまま入力してください）"}
			return withEmergency(r, b.m.kb, true), logErr
		}
		r, done, err := s.dialogue.Next(ctx, in)
		if done || err != nil {
			s.dialogue = nil
		}
		r.Kind, r.DialogueDone = ReplyDialogue, done || err != nil
		if err != nil {
			return r, errors.Join(logErr, fmt.Errorf("chatbot: dialogue: %w", err))
		}
		return r, logErr
	}

	switch p := in.Postback; {
	case strings.HasPrefix(p, PostbackDialogue):
		name, arg, _ := strings.Cut(strings.TrimPrefix(p, PostbackDialogue), ":")
		r, err := s.start(ctx, name, arg)
		return withEmergency(r, b.m.kb, danger), errors.Join(logErr, err)
	case strings.HasPrefix(p, postbackFAQ):
		id := strings.TrimPrefix(p, postbackFAQ)
		if e, ok := b.m.kb.Entry(id); ok {
			record(Event{Kind: EventSelected, EntryID: id})
			return withEmergency(s.answer(e), b.m.kb, danger), logErr
		}
	case p == postbackNone:
		s.lastCandidates = nil
		return s.handoff(nil, "お役に立てず申し訳ありません。"), logErr
	case strings.HasPrefix(p, postbackFeedback):
		yes, id, _ := strings.Cut(strings.TrimPrefix(p, postbackFeedback), ":")
		return s.feedback(id, yes == "yes", record), logErr
	}

	text := in.Text
	if text == "" {
		text = in.Postback
	}
	// 「はい／いいえ」 typed after an answer is feedback.
	if s.lastAnswer != "" && !danger {
		switch Normalize(text) {
		case "はい", "解決した", "解決しました", "yes":
			return s.feedback(s.lastAnswer, true, record), logErr
		case "いいえ", "解決しない", "解決しなかった", "解決しませんでした", "no":
			return s.feedback(s.lastAnswer, false, record), logErr
		}
	}
	// A typed number picks an offered candidate.
	if n := Normalize(text); len(s.lastCandidates) > 0 && len(n) == 1 && n[0] >= '1' && int(n[0]-'0') <= len(s.lastCandidates) {
		id := s.lastCandidates[n[0]-'1']
		if e, ok := b.m.kb.Entry(id); ok {
			record(Event{Kind: EventSelected, EntryID: id})
			return s.answer(e), logErr
		}
	}
	// What the message asks of the conversation rather than of the FAQ.
	if !danger {
		switch detectIntent(text) {
		case intentScreen:
			if r, err, ok := s.screen(ctx, text); ok {
				return r, errors.Join(logErr, err)
			}
		case intentMore:
			return s.more(), logErr
		case intentThanks:
			return s.thanks(record), logErr
		case intentHello:
			return s.hello(), logErr
		case intentHuman:
			return s.human(text), logErr
		}
	}

	var res Result
	b.m.MatchInto(&res, text, 3)
	ev := Event{Level: res.Level}
	if b.logText {
		ev.Text, ev.Redactions = Redact(text)
		ev.Text = strings.Join(strings.Fields(ev.Text), " ")
	}
	for _, c := range res.Candidates {
		ev.Candidates = append(ev.Candidates, EventCandidate{ID: c.Entry.ID, Score: c.Score, Coverage: c.Coverage})
	}
	if danger {
		// Whatever the resident wrote in a danger message stays out of logs.
		ev.Text, ev.Redactions = "", Redactions{}
	}
	var r Reply
	switch {
	case res.Personal:
		ev.Kind = EventUnanswered
		record(ev)
		r = s.personal(res.Best())
	case res.Level == Answer:
		ev.Kind, ev.EntryID = EventAnswered, res.Candidates[0].Entry.ID
		if b.logAnswered {
			record(ev)
		}
		r = s.answer(res.Candidates[0].Entry)
	case res.Level == Suggest:
		ev.Kind = EventLowConfidence
		record(ev)
		r = s.suggest(res.Candidates)
	default:
		ev.Kind = EventUnanswered
		record(ev)
		r = s.handoff(res.Best(), "申し訳ありません。お答えできる情報が見つかりませんでした。")
	}
	return withEmergency(r, b.m.kb, danger || res.Danger), logErr
}

func isCancel(text string) bool {
	n := Normalize(text)
	for _, w := range cancelWords {
		if n == Normalize(w) {
			return true
		}
	}
	return false
}

func (s *Session) answer(e *Entry) Reply {
	kb := s.bot.m.kb
	desk, _ := kb.DeskFor(e)
	s.lastAnswer, s.lastEntry, s.lastCandidates = e.ID, e.ID, nil
	var t strings.Builder
	t.WriteString(e.Answer)
	if !e.Updated.IsZero() {
		fmt.Fprintf(&t, "\n（%d年%d月%d日 時点の情報です）", e.Updated.Year(), int(e.Updated.Month()), e.Updated.Day())
	}
	for _, l := range e.Links {
		fmt.Fprintf(&t, "\n▶ %s: %s", l.Label, l.URL)
	}
	if desk != nil {
		t.WriteString("\n\nお問い合わせ: ")
		t.WriteString(deskLine(desk))
	}
	t.WriteString("\n\n解決しましたか？（はい／いいえ）")
	return Reply{
		Kind: ReplyAnswer, Text: t.String(), Entry: e, Desk: desk,
		QuickReplies: s.bot.available(e.QuickReplies), Links: e.Links, AskFeedback: true,
		FeedbackReplies: []QuickReply{
			{Label: "はい", Text: "はい", Postback: postbackFeedback + "yes:" + e.ID},
			{Label: "いいえ", Text: "いいえ", Postback: postbackFeedback + "no:" + e.ID},
		},
	}
}

// available drops the buttons that would start a dialogue this bot does
// not have (an FAQ may offer 「対象か調べる」 buttons; a vendor that does
// not register guided screening gets no dead button).
func (b *Bot) available(qs []QuickReply) []QuickReply {
	out := qs[:0:0]
	for _, q := range qs {
		if rest, ok := strings.CutPrefix(q.Postback, PostbackDialogue); ok {
			name, _, _ := strings.Cut(rest, ":")
			if _, ok := b.dialogues[name]; !ok {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

func (s *Session) suggest(cs []Candidate) Reply {
	kb := s.bot.m.kb
	desk, _ := kb.DeskFor(cs[0].Entry)
	s.lastAnswer = ""
	s.lastCandidates = s.lastCandidates[:0]
	var t strings.Builder
	t.WriteString("もしかして、次のどれかについてのご質問ですか？番号かボタンで選んでください。")
	r := Reply{Kind: ReplySuggest, Candidates: cs, Desk: desk}
	for i, c := range cs {
		fmt.Fprintf(&t, "\n%d. %s", i+1, c.Entry.Question)
		s.lastCandidates = append(s.lastCandidates, c.Entry.ID)
		r.QuickReplies = append(r.QuickReplies, QuickReply{Label: truncateRunes(c.Entry.Question, MaxQuickReplyLabel), Text: c.Entry.Question, Postback: postbackFAQ + c.Entry.ID})
	}
	r.QuickReplies = append(r.QuickReplies, QuickReply{Label: "どれでもない", Text: "どれでもない", Postback: postbackNone})
	if desk != nil {
		t.WriteString("\n\nどれにも当てはまらないときは: ")
		t.WriteString(deskLine(desk))
	}
	r.Text = t.String()
	return r
}

func (s *Session) handoff(best *Entry, lead string) Reply {
	kb := s.bot.m.kb
	desk, _ := kb.DeskFor(best)
	s.lastAnswer, s.lastCandidates = "", nil
	var t strings.Builder
	t.WriteString(lead)
	if desk != nil {
		t.WriteString("\n担当の窓口にお問い合わせください。\n")
		t.WriteString(deskBlock(desk))
	}
	t.WriteString("\n\n別の言葉で質問し直すか、下のボタンから分野を選ぶこともできます。")
	return Reply{Kind: ReplyHandoff, Text: t.String(), Desk: desk, QuickReplies: s.bot.categoryMenu}
}

// personal answers a question about the resident's own case: the chat
// cannot see it; the desk of the entry the question is about (best, which
// may be nil) can. Nothing of that entry but its desk is shown.
func (s *Session) personal(best *Entry) Reply {
	desk, _ := s.bot.m.kb.DeskFor(best)
	s.lastAnswer, s.lastCandidates = "", nil
	var t strings.Builder
	t.WriteString("このチャットでは、おひとりおひとりの申請や審査の状況、振込や書類の受付などを確かめることはできません（個人の情報は見ていません）。")
	if desk != nil {
		t.WriteString("\nお手数ですが、担当の窓口にお問い合わせください。\n")
		t.WriteString(deskBlock(desk))
	} else {
		t.WriteString("\nお手数ですが、担当窓口にお問い合わせください。")
	}
	t.WriteString("\n\n手続きのしかたなど一般的なことなら、このチャットでもお答えできます。")
	return Reply{Kind: ReplyPersonal, Text: t.String(), Desk: desk, QuickReplies: s.bot.categoryMenu}
}

func (s *Session) feedback(id string, helpful bool, record func(Event)) Reply {
	record(Event{Kind: EventFeedback, EntryID: id, Helpful: helpful})
	s.lastAnswer = ""
	if helpful {
		return Reply{Kind: ReplyFeedback, Text: "ありがとうございます。ほかにも知りたいことがあれば入力してください。", QuickReplies: s.bot.categoryMenu}
	}
	e, _ := s.bot.m.kb.Entry(id)
	r := s.handoff(e, "お役に立てず申し訳ありません。ご意見は回答の改善に使わせていただきます。")
	r.Kind = ReplyFeedback
	return r
}

func deskLine(d *Desk) string {
	s := d.Name
	if d.Phone != "" {
		s += "（電話 " + d.Phone
		if d.Hours != "" {
			s += "、" + d.Hours
		}
		s += "）"
	} else if d.Hours != "" {
		s += "（" + d.Hours + "）"
	}
	return s
}

func deskBlock(d *Desk) string {
	var t strings.Builder
	t.WriteString("■ " + d.Name)
	if d.Phone != "" {
		t.WriteString("\n電話: " + d.Phone)
	}
	if d.Hours != "" {
		t.WriteString("\n受付時間: " + d.Hours)
	}
	if d.Address != "" {
		t.WriteString("\n所在地: " + d.Address)
	}
	if d.URL != "" {
		t.WriteString("\n" + d.URL)
	}
	return t.String()
}

// withEmergency puts the danger override's contacts in front of a reply.
func withEmergency(r Reply, kb *KnowledgeBase, danger bool) Reply {
	if !danger || len(kb.Danger.Contacts) == 0 {
		return r
	}
	r.Emergency = kb.Danger.Contacts
	var t strings.Builder
	msg := kb.Danger.Message
	if msg == "" {
		msg = "身の危険を感じているときは、ためらわずに相談してください。"
	}
	t.WriteString("【" + msg + "】")
	for _, c := range kb.Danger.Contacts {
		t.WriteString("\n・" + c.Name + " " + c.Phone)
		if c.Hours != "" {
			t.WriteString("（" + c.Hours + "）")
		}
		if c.Note != "" {
			t.WriteString(" " + c.Note)
		}
	}
	if r.Text != "" {
		t.WriteString("\n\n")
		t.WriteString(r.Text)
	}
	r.Text = t.String()
	return r
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

// IsDanger reports whether text contains a danger keyword of the knowledge
// base (after normalisation).
func (m *Matcher) IsDanger(text string) bool {
	if len(text) > maxQueryBytes {
		text = text[:maxQueryBytes]
	}
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	sc.b1 = sc.nz.normalize(sc.b1[:0], text)
	return m.dangerIn(sc.b1)
}
