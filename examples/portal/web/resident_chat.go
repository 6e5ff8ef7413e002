package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/screening"
)

// ① The FAQ chat. Each message is a plain form post (the page works
// without JavaScript); the conversation lives in the server-side session
// only, and the bot logs nothing but redacted, unanswered questions.

// maxChatText bounds one message; a longer one is refused, not cut.
const maxChatText = 500

// maxChatTurns bounds the transcript kept in a session.
const maxChatTurns = 40

type chatState struct {
	sess    *chatbot.Session
	turns   []chatTurn
	buttons []chatbot.QuickReply // the last reply's buttons, by index
}

type chatTurn struct {
	Resident string // what the resident typed or pressed
	Reply    replyView
}

// replyView is a bot reply as the page shows it.
type replyView struct {
	Emergency        []chatbot.Contact
	EmergencyMessage string
	Lines            []string
	Desk             *chatbot.Desk
	Links            []chatbot.Link
	Buttons          []chatButton
	Feedback         []chatButton
}

// chatButton is a quick reply: a form button (Index) or, for
// 「対象か調べる」, a link to the input form.
type chatButton struct {
	Index int
	Label string
	Href  string
}

func (a *App) chat(s *session) *chatState {
	if s.chat == nil {
		// the bot's session id goes into its event log: a fresh random
		// id, never the cookie
		s.chat = &chatState{sess: a.bot.NewSession("web-" + randomToken(9))}
		g := a.bot.Greeting()
		s.chat.add("", g)
	}
	return s.chat
}

// add appends a turn and makes the reply's buttons the live ones.
func (c *chatState) add(said string, r chatbot.Reply) {
	c.buttons = c.buttons[:0]
	v := replyView{Desk: r.Desk, Links: r.Links, Emergency: r.Emergency}
	text := r.Text
	if len(r.Emergency) > 0 && strings.HasPrefix(text, "【") {
		// the plain text starts with the contacts; the page shows them
		// in their own box, with numbers to tap
		head, rest, _ := strings.Cut(text, "\n\n")
		v.EmergencyMessage = strings.Trim(strings.SplitN(head, "\n", 2)[0], "【】")
		text = rest
	}
	if r.AskFeedback {
		text = strings.TrimSuffix(strings.TrimRight(text, "\n"), "解決しましたか？（はい／いいえ）")
	}
	v.Lines = strings.Split(strings.TrimRight(text, "\n"), "\n")
	for _, q := range r.QuickReplies {
		v.Buttons = append(v.Buttons, c.button(q))
	}
	for _, q := range r.FeedbackReplies {
		v.Feedback = append(v.Feedback, c.button(q))
	}
	c.turns = append(c.turns, chatTurn{Resident: said, Reply: v})
	if len(c.turns) > maxChatTurns {
		c.turns = c.turns[len(c.turns)-maxChatTurns:]
	}
}

func (c *chatState) button(q chatbot.QuickReply) chatButton {
	if id, ok := strings.CutPrefix(q.Postback, chatbot.PostbackDialogue+screening.Name+":"); ok {
		// 「対象か調べる」 opens the input form for that programme
		return chatButton{Label: q.Label, Href: "/check?program=" + url.QueryEscape(id)}
	}
	c.buttons = append(c.buttons, q)
	return chatButton{Index: len(c.buttons) - 1, Label: q.Label}
}

type chatPageData struct {
	Turns  []chatTurn
	Error  string
	Notice string
}

func (a *App) chatPage(w http.ResponseWriter, r *http.Request, s *session) {
	c := a.chat(s)
	a.render(w, r, http.StatusOK, "chat", view{Title: "チャットで相談", Area: "resident", CSRF: s.csrf, Data: chatPageData{Turns: c.turns}})
}

func (a *App) chatPost(w http.ResponseWriter, r *http.Request, s *session) {
	c := a.chat(s)
	var in chatbot.Input
	var said string
	if b := r.PostForm.Get("button"); b != "" {
		i, err := strconv.Atoi(b)
		if err != nil || i < 0 || i >= len(c.buttons) {
			// a button of an older reply: just show the chat again
			http.Redirect(w, r, "/chat#latest", http.StatusSeeOther)
			return
		}
		q := c.buttons[i]
		in = chatbot.Input{Text: q.Text, Postback: q.Postback}
		if in.Text == "" && in.Postback == "" {
			in.Text = q.Label
		}
		said = q.Label
	} else {
		text := strings.TrimSpace(r.PostForm.Get("text"))
		if text == "" {
			http.Redirect(w, r, "/chat#latest", http.StatusSeeOther)
			return
		}
		if !utf8.ValidString(text) || utf8.RuneCountInString(text) > maxChatText {
			a.render(w, r, http.StatusUnprocessableEntity, "chat", view{Title: "チャットで相談", Area: "resident", CSRF: s.csrf,
				Data: chatPageData{Turns: c.turns, Error: "メッセージは" + strconv.Itoa(maxChatText) + "文字以内で入力してください。"}})
			return
		}
		in, said = chatbot.Input{Text: text}, text
	}
	reply, err := c.sess.Handle(r.Context(), in)
	if err != nil {
		// the reply is still good (an event log error, an unknown
		// dialogue); the error may quote the input: log its kind only
		a.log.Warn("chat turn", "err_type", errType(err))
	}
	if reply.Text == "" && len(reply.Emergency) == 0 {
		reply = chatbot.Reply{Text: "うまく受け付けられませんでした。もう一度入力してください。"}
	}
	c.add(said, reply)
	http.Redirect(w, r, "/chat#latest", http.StatusSeeOther)
}
