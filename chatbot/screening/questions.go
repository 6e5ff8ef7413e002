package screening

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

var countReplies = func(max int, none string) []chatbot.QuickReply {
	qs := []chatbot.QuickReply{{Label: none, Text: "0"}}
	for i := 1; i <= max; i++ {
		qs = append(qs, chatbot.QuickReply{Label: fmt.Sprintf("%d人", i), Text: strconv.Itoa(i)})
	}
	return append(qs, chatbot.QuickReply{Label: "わからない", Text: "わからない"})
}

// memberIndex returns the member index of a missing fact's path, or -1.
func memberIndex(path string) int {
	rest, ok := strings.CutPrefix(path, "members[")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest[:strings.IndexByte(rest, ']')])
	if err != nil {
		return -1
	}
	return n
}

func (d *dialogue) who(m eligibility.Missing) string {
	i := memberIndex(m.Path)
	if i < 0 || i >= len(d.h.Members) {
		return ""
	}
	if d.h.Members[i].Relation == eligibility.RelationSelf {
		return "あなた"
	}
	id := d.h.Members[i].ID
	if strings.HasPrefix(id, "子") {
		return "お子さん（" + strings.TrimPrefix(id, "子") + "人目）"
	}
	if strings.HasPrefix(id, "祖父母") {
		return "同居の祖父母（" + strings.TrimPrefix(id, "祖父母") + "人目）"
	}
	return id
}

var yesNo = []chatbot.QuickReply{{Label: "はい", Text: "はい"}, {Label: "いいえ", Text: "いいえ"}, {Label: "わからない", Text: "わからない"}}

func yenReplies() []chatbot.QuickReply {
	return []chatbot.QuickReply{{Label: "なし（0円）", Text: "0"}, {Label: "わからない", Text: "わからない"}}
}

func yearLabel(y int) string {
	if w, err := wareki.Format(civil.MustDate(max(1, min(y, 9999)), 12, 31), wareki.Kanji); err == nil {
		return fmt.Sprintf("%d年（%s）", y, strings.SplitN(w, "年", 2)[0]+"年")
	}
	return fmt.Sprintf("%d年", y)
}

// question renders the question for a missing fact: the catalog's
// question (FactField.Question) with the member and the income year filled
// in, and buttons by the kind of fact.
func (d *dialogue) question(m eligibility.Missing) chatbot.Reply {
	who := d.who(m)
	unknown := chatbot.QuickReply{Label: "わからない", Text: "わからない"}
	if strings.HasPrefix(m.Path, "extra.") {
		return d.extraQuestion(m)
	}
	f, ok := eligibility.FactFor(m.Path)
	if !ok || f.Question == "" {
		return chatbot.Reply{Text: fmt.Sprintf("%sを教えてください。", m.Label), QuickReplies: []chatbot.QuickReply{unknown}}
	}
	text := strings.NewReplacer("{who}", who, "{year}", yearLabel(m.Year)).Replace(f.Question)
	if who == "" {
		text = strings.TrimPrefix(strings.ReplaceAll(text, "の{who}", ""), "の")
	}
	switch {
	case f.Key == "incomes":
		return chatbot.Reply{Text: text, QuickReplies: []chatbot.QuickReply{{Label: "収入があった", Text: "はい"}, {Label: "収入はなかった", Text: "いいえ"}, unknown}}
	case f.Key == "disability":
		return chatbot.Reply{Text: text, QuickReplies: []chatbot.QuickReply{
			{Label: "持っていない", Text: "なし"}, {Label: "身体障害者手帳", Text: "身体"}, {Label: "療育手帳", Text: "療育"},
			{Label: "精神保健福祉手帳", Text: "精神"}, unknown}}
	case f.Kind == eligibility.KindBool, f.Key == "deductions":
		return chatbot.Reply{Text: text, QuickReplies: yesNo}
	case f.Kind == eligibility.KindYen:
		return chatbot.Reply{Text: text + "（例: 240万、2400000）", QuickReplies: yenReplies()}
	case f.Kind == eligibility.KindEnum:
		var qs []chatbot.QuickReply
		for _, ev := range f.Enum {
			if len(qs) == chatbot.MaxQuickReplies-1 {
				break
			}
			qs = append(qs, chatbot.QuickReply{Label: truncateLabel(ev.Label), Text: ev.Value})
		}
		return chatbot.Reply{Text: text, QuickReplies: append(qs, unknown)}
	}
	return chatbot.Reply{Text: text, QuickReplies: []chatbot.QuickReply{unknown}}
}

// extraQuestion asks for a local fact by the label its pack declares.
func (d *dialogue) extraQuestion(m eligibility.Missing) chatbot.Reply {
	unknown := chatbot.QuickReply{Label: "わからない", Text: "わからない"}
	f, ok := d.extras[m.Field]
	if !ok {
		return chatbot.Reply{Text: fmt.Sprintf("「%s」について教えてください（はい／いいえ、または数字）。", m.Field), QuickReplies: yesNo}
	}
	switch f.Type {
	case eligibility.ExtraBool:
		return chatbot.Reply{Text: f.Label + "？", QuickReplies: yesNo}
	case eligibility.ExtraYen:
		return chatbot.Reply{Text: f.Label + "を教えてください（例: 12万、120000。なければ 0）。", QuickReplies: yenReplies()}
	case eligibility.ExtraInt:
		return chatbot.Reply{Text: f.Label + "を数字で教えてください。", QuickReplies: []chatbot.QuickReply{unknown}}
	}
	return chatbot.Reply{Text: f.Label + "を教えてください。", QuickReplies: []chatbot.QuickReply{unknown}}
}

func truncateLabel(s string) string {
	r := []rune(s)
	if len(r) > chatbot.MaxQuickReplyLabel {
		return string(r[:chatbot.MaxQuickReplyLabel-1]) + "…"
	}
	return s
}
