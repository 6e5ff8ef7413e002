package web

import (
	"bytes"
	"net/http"
	"slices"
	"time"

	"github.com/onestop-jp/onestop/chatbot"
)

// FAQ upkeep (FAQの見直し): what residents asked that the chat could not
// answer well, and what they said of its answers. The chat's event log holds
// the question text NFKC-normalised with personal data masked (chatbot.Redact)
// and never the text of a danger/DV message; it is kept 90 days. The desk
// reads it here or downloads it as CSV for a spreadsheet.

// faqShown is how many questions the page lists (the CSV has them all).
const faqShown = 100

type faqData struct {
	Since      time.Time // the oldest event kept; zero when there is none
	Counts     []faqCount
	Questions  []faqQuestion
	Helpful    int
	NotHelpful int
}

type faqCount struct {
	Kind  string
	Count int
}

// faqQuestion is one unanswered or low-confidence question.
type faqQuestion struct {
	At         time.Time
	Kind       string
	Text       string
	Masked     int
	Candidates []string // the questions of the nearest FAQ entries
}

// faqPage shows the desk the chat's unanswered and low-confidence questions,
// newest first.
func (a *App) faqPage(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	if u.Org != deskOrg {
		a.message(w, r, http.StatusForbidden, "staff", "権限がありません", "チャットの記録は、ひとり親相談窓口の画面です。")
		return
	}
	a.render(w, r, http.StatusOK, "staff_faq", view{Title: "チャットの見直し", Area: "staff", CSRF: s.csrf, Staff: u, Data: a.faqSummary()})
}

func (a *App) faqSummary() faqData {
	events := a.chatLog.Events()
	var d faqData
	counts := map[chatbot.EventKind]int{}
	for i, e := range events {
		if i == 0 {
			d.Since = e.Time
		}
		counts[e.Kind]++
		if e.Kind == chatbot.EventFeedback {
			if e.Helpful {
				d.Helpful++
			} else {
				d.NotHelpful++
			}
		}
	}
	for _, k := range []chatbot.EventKind{chatbot.EventUnanswered, chatbot.EventLowConfidence, chatbot.EventSelected,
		chatbot.EventFeedback, chatbot.EventDanger} {
		d.Counts = append(d.Counts, faqCount{Kind: k.String(), Count: counts[k]})
	}
	for _, e := range slices.Backward(events) {
		if len(d.Questions) == faqShown {
			break
		}
		if e.Kind != chatbot.EventUnanswered && e.Kind != chatbot.EventLowConfidence {
			continue
		}
		q := faqQuestion{At: e.Time, Kind: e.Kind.String(), Text: e.Text, Masked: e.Redactions.Total()}
		for _, c := range e.Candidates {
			if en, ok := a.kb.Entry(c.ID); ok {
				q.Candidates = append(q.Candidates, en.Question)
			}
		}
		d.Questions = append(d.Questions, q)
	}
	return d
}

// faqCSV downloads the whole log (chatbot.WriteEventsCSV: UTF-8 with a BOM,
// so that Excel opens it as such).
func (a *App) faqCSV(w http.ResponseWriter, r *http.Request, s *session, u *staffUser) {
	if u.Org != deskOrg {
		a.message(w, r, http.StatusForbidden, "staff", "権限がありません", "チャットの記録は、ひとり親相談窓口の画面です。")
		return
	}
	var buf bytes.Buffer
	if err := chatbot.WriteEventsCSV(&buf, a.chatLog.Events()); err != nil {
		a.serverError(w, r, "staff", err)
		return
	}
	name := "chat-log-" + a.now().In(jst).Format("20060102") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}
