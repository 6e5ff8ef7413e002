package chatbot

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// EventKind says what happened in a turn.
type EventKind int

const (
	// EventUnanswered: nothing matched well enough; the chat handed off.
	EventUnanswered EventKind = iota
	// EventLowConfidence: the chat offered candidates (「もしかして」).
	EventLowConfidence
	// EventAnswered: the chat answered directly (logged only with
	// WithAnsweredLogging).
	EventAnswered
	// EventSelected: the resident picked one of the offered candidates.
	EventSelected
	// EventFeedback: the resident answered 「解決しましたか？」.
	EventFeedback
	// EventDanger: the danger override fired. Its text is never logged.
	EventDanger
)

var eventKindNames = [...]string{"未回答", "確信度低", "回答", "候補選択", "評価", "緊急表示"}

func (k EventKind) String() string {
	if k >= 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one logged turn. Text is the question, NFKC-normalised with
// personal data masked (see Redact), or empty when text logging is off or for
// EventDanger; the raw message is never logged.
type Event struct {
	Time       time.Time
	Session    string
	Kind       EventKind
	Text       string
	Redactions Redactions
	Level      Level
	Candidates []EventCandidate
	// EntryID is the entry answered, selected or rated.
	EntryID string
	// Helpful is the feedback answer (EventFeedback only).
	Helpful bool
}

// EventCandidate is a candidate as logged.
type EventCandidate struct {
	ID       string
	Score    float64
	Coverage float64
}

// EventLog receives the events a Bot produces: the unanswered and
// low-confidence questions and the feedback that staff use to improve the
// FAQ. Vendors implement it over their own store; Record must be safe for
// concurrent use. An error from Record is returned to the caller of
// Session.Handle together with the reply (the reply is still good).
type EventLog interface {
	Record(ctx context.Context, e Event) error
}

// MemoryLog is an in-memory EventLog that keeps at most Max events (oldest
// dropped first; 0 means 10,000) and can forget events past a retention
// period. It is safe for concurrent use.
type MemoryLog struct {
	Max    int
	mu     sync.Mutex
	events []Event
}

// Record implements EventLog.
func (l *MemoryLog) Record(_ context.Context, e Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	max := l.Max
	if max <= 0 {
		max = 10000
	}
	if len(l.events) >= max {
		n := copy(l.events, l.events[len(l.events)-max+1:])
		l.events = l.events[:n]
	}
	l.events = append(l.events, e)
	return nil
}

// Events returns a copy of the events, oldest first.
func (l *MemoryLog) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

// Prune forgets events older than before (a retention period) and reports
// how many it dropped.
func (l *MemoryLog) Prune(before time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.events[:0]
	for _, e := range l.events {
		if !e.Time.Before(before) {
			kept = append(kept, e)
		}
	}
	n := len(l.events) - len(kept)
	clear(l.events[len(kept):])
	l.events = kept
	return n
}

// eventCSVHeader is the export's header; staff open it in a spreadsheet.
var eventCSVHeader = []string{"日時", "種別", "セッション", "質問（個人情報マスク済み）", "マスク件数", "確信度",
	"候補1", "スコア1", "候補2", "スコア2", "候補3", "スコア3", "FAQ ID", "解決した"}

// WriteEventsCSV writes events as CSV (UTF-8 with BOM, so that Excel opens
// it as UTF-8) for staff who review unanswered questions and feedback.
func WriteEventsCSV(w io.Writer, events []Event) error {
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return fmt.Errorf("chatbot: export events: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(eventCSVHeader); err != nil {
		return fmt.Errorf("chatbot: export events: %w", err)
	}
	jst := time.FixedZone("JST", 9*3600)
	for _, e := range events {
		level := ""
		if e.Kind == EventUnanswered || e.Kind == EventLowConfidence || e.Kind == EventAnswered {
			level = levelJa(e.Level)
		}
		rec := []string{e.Time.In(jst).Format("2006-01-02 15:04:05"), e.Kind.String(), csvSafe(e.Session), csvSafe(e.Text),
			strconv.Itoa(e.Redactions.Total()), level}
		for i := 0; i < 3; i++ {
			if i < len(e.Candidates) {
				rec = append(rec, csvSafe(e.Candidates[i].ID), strconv.FormatFloat(e.Candidates[i].Score, 'f', 2, 64))
			} else {
				rec = append(rec, "", "")
			}
		}
		helpful := ""
		if e.Kind == EventFeedback {
			helpful = "いいえ"
			if e.Helpful {
				helpful = "はい"
			}
		}
		rec = append(rec, csvSafe(e.EntryID), helpful)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("chatbot: export events: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("chatbot: export events: %w", err)
	}
	return nil
}

// csvSafe defuses spreadsheet formula injection: a resident's text that
// starts with = + - @ would otherwise run as a formula in Excel.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

func levelJa(l Level) string {
	switch l {
	case Answer:
		return "回答"
	case Suggest:
		return "候補提示"
	default:
		return "引き継ぎ"
	}
}
