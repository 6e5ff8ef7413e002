package chatbot

import (
	"context"
	"fmt"
	"strings"
)

// Replies to what a message asks of the conversation (see detectIntent).

// screenable is a programme the bot's FAQ offers guided screening for: an
// entry has a 「対象か調べる」 button for it.
type screenable struct {
	id, label string
}

// screenables lists, in file order, the programmes the knowledge base's
// buttons start guided screening for.
func screenables(m *Matcher) []screenable {
	var out []screenable
	seen := map[string]bool{}
	for _, e := range m.entries {
		for _, q := range e.QuickReplies {
			rest, ok := strings.CutPrefix(q.Postback, PostbackDialogue+ScreeningName+":")
			if !ok || rest == "" || seen[rest] {
				continue
			}
			seen[rest] = true
			out = append(out, screenable{id: rest, label: truncateRunes(m.programmeName(rest, rest), MaxQuickReplyLabel)})
		}
	}
	return out
}

// screen starts guided screening for the programme the message names, or
// the one the last entry shown offered, or asks which. ok is false when
// the bot has no screening dialogue (the message then goes to the FAQ).
func (s *Session) screen(ctx context.Context, text string) (r Reply, err error, ok bool) {
	b := s.bot
	if _, has := b.dialogues[ScreeningName]; !has || len(b.screenables) == 0 {
		return Reply{}, nil, false
	}
	can := func(id string) bool {
		for _, p := range b.screenables {
			if p.id == id {
				return true
			}
		}
		return false
	}
	named := b.m.programmesIn(text)
	for _, id := range named {
		if can(id) {
			return s.startScreening(ctx, id)
		}
	}
	if len(named) > 0 {
		lead := fmt.Sprintf("「%s」は、このチャットでは対象かどうかを調べられません。窓口でご確認ください。\n次の制度なら調べられます。", b.m.programmeName(named[0], named[0]))
		return s.screeningMenu(lead), nil, true
	}
	if e, found := b.m.kb.Entry(s.lastEntry); found {
		for _, q := range e.QuickReplies {
			if id, ok := strings.CutPrefix(q.Postback, PostbackDialogue+ScreeningName+":"); ok && can(id) {
				return s.startScreening(ctx, id)
			}
		}
	}
	if len(b.screenables) == 1 {
		return s.startScreening(ctx, b.screenables[0].id)
	}
	return s.screeningMenu("どの制度について、対象になりそうか調べますか？ボタンで選んでください。"), nil, true
}

func (s *Session) startScreening(ctx context.Context, id string) (Reply, error, bool) {
	r, err := s.start(ctx, ScreeningName, id)
	if err != nil {
		return s.screeningMenu("その制度は、いまは調べられません。次の制度なら調べられます。"), err, true
	}
	s.lastAnswer, s.lastCandidates = "", nil
	return r, nil, true
}

// screeningMenu offers the screenable programmes as buttons.
func (s *Session) screeningMenu(lead string) Reply {
	s.lastAnswer, s.lastCandidates = "", nil
	r := Reply{Kind: ReplyDialogue, DialogueDone: true}
	var t strings.Builder
	t.WriteString(lead)
	for i, p := range s.bot.screenables {
		if i == MaxQuickReplies {
			break
		}
		fmt.Fprintf(&t, "\n・%s", p.label)
		r.QuickReplies = append(r.QuickReplies, QuickReply{Label: p.label, Text: p.label + "の対象か調べる", Postback: PostbackDialogue + ScreeningName + ":" + p.id})
	}
	r.Text = t.String()
	return r
}

// more answers 「もっと詳しく」: the last entry's links and desk (its answer
// was just shown and is not repeated), or a question back.
func (s *Session) more() Reply {
	kb := s.bot.m.kb
	e, ok := kb.Entry(s.lastEntry)
	if !ok {
		return Reply{Kind: ReplyHandoff, Text: "どのことについて詳しく知りたいですか？知りたいことを入力するか、下のボタンから分野を選んでください。",
			QuickReplies: s.bot.categoryMenu}
	}
	desk, _ := kb.DeskFor(e)
	var t strings.Builder
	fmt.Fprintf(&t, "「%s」について、さらに詳しいことは", e.Question)
	switch {
	case len(e.Links) > 0:
		t.WriteString("次のページをご覧ください。")
		for _, l := range e.Links {
			fmt.Fprintf(&t, "\n▶ %s: %s", l.Label, l.URL)
		}
		if desk != nil {
			t.WriteString("\n\nご自分の場合にどうなるかは、窓口でご相談ください。\n")
			t.WriteString(deskBlock(desk))
		}
	case desk != nil:
		t.WriteString("担当の窓口でご案内します。ご自分の場合にどうなるかもご相談ください。\n")
		t.WriteString(deskBlock(desk))
	default:
		t.WriteString("お住まいの市区町村の窓口でご確認ください。")
	}
	return Reply{Kind: ReplyDetails, Text: t.String(), Entry: e, Desk: desk, Links: e.Links, QuickReplies: s.bot.available(e.QuickReplies)}
}

// thanks answers 「ありがとう」. Thanks for an answer awaiting 「解決しましたか」
// is taken as 「はい」.
func (s *Session) thanks(record func(Event)) Reply {
	if s.lastAnswer != "" {
		record(Event{Kind: EventFeedback, EntryID: s.lastAnswer, Helpful: true})
		s.lastAnswer = ""
	}
	return Reply{Kind: ReplySmallTalk, Text: "どういたしまして。ほかにも知りたいことがあれば、いつでも入力してください。", QuickReplies: s.bot.categoryMenu}
}

func (s *Session) hello() Reply {
	return Reply{Kind: ReplySmallTalk, Text: "こんにちは。ひとり親家庭の支援について、知りたいことを入力するか、下のボタンから分野を選んでください。",
		QuickReplies: s.bot.categoryMenu}
}

// human answers a request for a person (「職員と話したい」「AIですか？」):
// the chat is automatic and sees no one's case. Whom to call is the desk
// of what the request is about when it says (「養育費のことを職員に相談
// したい」: the best entry it matches, answered or suggested), else of the
// entry last shown, else the knowledge base's default desk. Nothing is
// recorded: the request is not a FAQ question.
func (s *Session) human(text string) Reply {
	// The words asking for a person say nothing of the need (職員 would
	// match an entry about 公務員); only the rest is matched.
	rest := humanRest(Normalize(text))
	var res Result
	s.bot.m.MatchInto(&res, rest, 1)
	e, _ := s.bot.m.kb.Entry(s.lastEntry)
	if res.Level != Handoff && len(res.Candidates) > 0 {
		e = res.Candidates[0].Entry
	}
	return s.handoff(e, "このチャットは自動で応答しています（職員が読んで答えているのではありません）。職員と直接お話ししたいときは、お電話か窓口でご相談ください。")
}

// ScreeningName is the dialogue name guided screening is registered under
// (chatbot/screening registers as screening.Name, the same); the
// conversation starts it when a resident asks in words.
const ScreeningName = "screening"
