package chatbot

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxQuickReplies is the most quick-reply buttons one message may carry.
// LINE's Messaging API refuses a message with more than 13 items, so a
// knowledge base entry with more is a load error rather than a surprise at
// send time.
const MaxQuickReplies = 13

// MaxQuickReplyLabel is the longest quick-reply label in characters (LINE's
// limit for the action label is 20).
const MaxQuickReplyLabel = 20

// categoryOrder is the order of the category menu.
var categoryOrder = [...]string{"手当", "子育て", "住まい", "医療", "仕事", "生活", "養育費", "DV・安全", "介護", "手続き", "相談"}

// Categories lists the categories the default knowledge base uses, in the
// order a menu shows them. A knowledge base may use others.
func Categories() []string { return append([]string(nil), categoryOrder[:]...) }

// KnowledgeBase is a loaded FAQ: entries, the alias table, the desks that
// answer the phone, and the danger configuration. It is plain data: load it
// (LoadYAML, LoadCSV, Default), adjust it if needed, then Compile it into a
// Matcher. A KnowledgeBase is not modified by Compile and may be shared.
type KnowledgeBase struct {
	// Name identifies the knowledge base in logs and reports.
	Name string
	// Notice is the privacy notice shown at the start of a chat.
	Notice string
	// Entries are the FAQ entries, in file order.
	Entries []Entry
	// Aliases map the words residents use to the words the FAQ uses
	// (母子手当 → 児童扶養手当). Staff edit them.
	Aliases []Alias
	// Desks are the human desks (担当課) a chat hands off to.
	Desks []Desk
	// DefaultDesk is the ID of the desk used when nothing more specific
	// applies (for example a question that matched nothing).
	DefaultDesk string
	// Danger configures the danger/DV override.
	Danger Danger
}

// Entry is one FAQ entry.
type Entry struct {
	// ID is unique within the knowledge base (ASCII or Japanese).
	ID string
	// Category is one of Categories or a local one.
	Category string
	// Question is the canonical question shown to residents.
	Question string
	// Phrasings are other ways residents ask the same question.
	Phrasings []string
	// Keywords (別表現) are extra words that should find this entry.
	Keywords []string
	// Answer is the reply text. Figures in it carry their fiscal year.
	Answer string
	// Links are buttons shown with the answer (forms, pages).
	Links []Link
	// QuickReplies are follow-up buttons (at most MaxQuickReplies).
	QuickReplies []QuickReply
	// Desk is the ID of the desk responsible for this entry.
	Desk string
	// Updated is the date the entry was last checked (更新日).
	Updated civil.Date
	// Pos is where the entry was defined, for messages to staff.
	Pos Position
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// QuickReply is a follow-up button. Text is what the button sends as the
// resident's next message; Postback, when set, is sent instead and is not
// shown as typed text (it is how buttons start a guided dialogue: see
// Dialogue).
type QuickReply struct {
	Label    string
	Text     string
	Postback string
}

// Alias maps a word residents use (From) to the canonical word (To).
type Alias struct {
	From string
	To   string
	Pos  Position
}

// Desk is a human desk (担当課) with the facts a resident needs to reach it.
type Desk struct {
	ID      string
	Name    string
	Phone   string
	Hours   string
	Address string
	URL     string
	// Categories routes hand-offs: a question whose best candidate is in one
	// of these categories is handed to this desk.
	Categories []string
	Pos        Position
}

// Danger configures the danger/DV override: when a message contains one of
// Keywords, the reply always shows Contacts first, whatever else matched.
type Danger struct {
	Keywords []string
	// Except are ordinary phrases that contain a keyword but are not a cry
	// for help (「助けてもらえる制度」, 「包丁の捨て方」). A keyword occurrence
	// that lies inside one of them does not count; the same keyword
	// elsewhere in the message still does. Keep the list narrow: a missed
	// emergency costs far more than contacts shown once too often.
	Except   []string
	Message  string
	Contacts []Contact
}

// Contact is an emergency or support contact shown by the danger override.
type Contact struct {
	Name  string
	Phone string
	Hours string
	Note  string
}

// Position is a place in a knowledge-base file. Line and Column are 1-based;
// for CSV files Row is the record number (1 = header) and Column the field.
type Position struct {
	File   string
	Line   int
	Column int
	Row    int
}

func (p Position) String() string {
	s := p.File
	if s == "" {
		s = "(入力)"
	}
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	if p.Row > 0 {
		s += fmt.Sprintf(" (%d行目", p.Row)
		if p.Column > 0 && p.Line == 0 {
			s += fmt.Sprintf(" %d列目", p.Column)
		}
		s += ")"
	}
	return s
}

// Entry returns the entry with the given ID.
func (kb *KnowledgeBase) Entry(id string) (*Entry, bool) {
	for i := range kb.Entries {
		if kb.Entries[i].ID == id {
			return &kb.Entries[i], true
		}
	}
	return nil, false
}

// Desk returns the desk with the given ID.
func (kb *KnowledgeBase) Desk(id string) (*Desk, bool) {
	for i := range kb.Desks {
		if kb.Desks[i].ID == id {
			return &kb.Desks[i], true
		}
	}
	return nil, false
}

// DeskFor returns the desk for an entry's category or ID: the entry's own
// desk, else the desk that lists its category, else the default desk.
// e may be nil (nothing matched).
func (kb *KnowledgeBase) DeskFor(e *Entry) (*Desk, bool) {
	if e != nil {
		if d, ok := kb.Desk(e.Desk); ok {
			return d, true
		}
		for i := range kb.Desks {
			for _, c := range kb.Desks[i].Categories {
				if c == e.Category {
					return &kb.Desks[i], true
				}
			}
		}
	}
	return kb.Desk(kb.DefaultDesk)
}

// WithDefaults returns a copy of kb in which whatever kb leaves empty (the
// notice, desks, default desk, danger configuration) is taken from base. A
// CSV file holds entries only; this is how it gets the default knowledge
// base's desks and, above all, its emergency contacts. Aliases are not
// taken: a knowledge base's aliases are about its own words, and what every
// FAQ needs (nicknames, everyday words, English, dialect) comes with the
// glossary (DefaultGlossary) and readings (WithReadings) at Compile.
func (kb *KnowledgeBase) WithDefaults(base *KnowledgeBase) *KnowledgeBase {
	out := *kb
	if out.Notice == "" {
		out.Notice = base.Notice
	}
	if len(out.Danger.Keywords) == 0 {
		// The exceptions qualify the keywords: with base's keywords come
		// base's exceptions, after any of kb's own.
		out.Danger.Keywords = base.Danger.Keywords
		out.Danger.Except = append(slices.Clip(kb.Danger.Except), base.Danger.Except...)
	}
	if len(out.Danger.Contacts) == 0 {
		out.Danger.Contacts = base.Danger.Contacts
	}
	if out.Danger.Message == "" {
		out.Danger.Message = base.Danger.Message
	}
	// Desks: keep kb's, add base's that kb does not define.
	have := map[string]bool{}
	for _, d := range out.Desks {
		have[d.ID] = true
	}
	desks := append([]Desk(nil), out.Desks...)
	for _, d := range base.Desks {
		if !have[d.ID] {
			desks = append(desks, d)
		}
	}
	out.Desks = desks
	if out.DefaultDesk == "" {
		out.DefaultDesk = base.DefaultDesk
	}
	return &out
}

// StaleEntry is an entry whose 更新日 is older than allowed.
type StaleEntry struct {
	Entry *Entry
	// Months is the entry's age in whole months.
	Months int
}

// Stale lists the entries whose Updated date is more than months months
// before today (or missing), oldest first: the FAQ upkeep list.
func (kb *KnowledgeBase) Stale(today civil.Date, months int) []StaleEntry {
	var out []StaleEntry
	for i := range kb.Entries {
		e := &kb.Entries[i]
		if e.Updated.IsZero() {
			out = append(out, StaleEntry{Entry: e, Months: -1})
			continue
		}
		age := monthsBetween(e.Updated, today)
		back, _ := today.AddMonths(-months)
		if age > months || (age == months && back.After(e.Updated)) {
			out = append(out, StaleEntry{Entry: e, Months: age})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Entry.Updated.Before(out[j].Entry.Updated)
	})
	return out
}

func monthsBetween(from, to civil.Date) int {
	m := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
	if to.Day() < from.Day() {
		m--
	}
	return m
}

// Validate checks the knowledge base as Compile would, returning a
// *LoadErrors listing every problem with its position.
func (kb *KnowledgeBase) Validate() error {
	var errs LoadErrors
	add := func(pos Position, field string, err error, format string, args ...any) {
		errs = append(errs, &LoadError{Pos: pos, Field: field, Err: err, Msg: fmt.Sprintf(format, args...)})
	}
	desks := map[string]bool{}
	for _, d := range kb.Desks {
		if d.ID == "" {
			add(d.Pos, "id", ErrMissingField, "窓口の id がありません")
			continue
		}
		if desks[d.ID] {
			add(d.Pos, "id", ErrDuplicateID, "窓口の id %q が重複しています", d.ID)
		}
		desks[d.ID] = true
		if d.Name == "" {
			add(d.Pos, "name", ErrMissingField, "窓口 %q の名前（name）がありません", d.ID)
		}
		if d.URL != "" && !validURL(d.URL) {
			add(d.Pos, "url", ErrBadURL, "窓口 %q の URL %q は http:// か https:// で始まる正しい形式にしてください", d.ID, d.URL)
		}
	}
	if kb.DefaultDesk != "" && !desks[kb.DefaultDesk] {
		add(Position{}, "default_desk", ErrUnknownDesk, "default_desk %q に当たる窓口がありません", kb.DefaultDesk)
	}
	ids := map[string]bool{}
	for i := range kb.Entries {
		e := &kb.Entries[i]
		if e.ID == "" {
			add(e.Pos, "id", ErrMissingField, "FAQ の ID がありません")
		} else if ids[e.ID] {
			add(e.Pos, "id", ErrDuplicateID, "FAQ の ID %q が重複しています", e.ID)
		}
		ids[e.ID] = true
		if e.Question == "" {
			add(e.Pos, "question", ErrMissingField, "FAQ %q の問い合わせ文（question）がありません", e.ID)
		}
		if e.Answer == "" {
			add(e.Pos, "answer", ErrMissingField, "FAQ %q の応答文（answer）がありません", e.ID)
		}
		if e.Category == "" {
			add(e.Pos, "category", ErrMissingField, "FAQ %q のカテゴリ（category）がありません", e.ID)
		}
		if n := len(e.QuickReplies); n > MaxQuickReplies {
			add(e.Pos, "quick_replies", ErrTooManyQuickReplies, "FAQ %q のクイックリプライは %d 個までです（%d 個あります）", e.ID, MaxQuickReplies, n)
		}
		for _, q := range e.QuickReplies {
			if q.Label == "" {
				add(e.Pos, "quick_replies", ErrMissingField, "FAQ %q にラベルのないクイックリプライがあります", e.ID)
			} else if utf8.RuneCountInString(q.Label) > MaxQuickReplyLabel {
				add(e.Pos, "quick_replies", ErrLabelTooLong, "FAQ %q のクイックリプライ %q は %d 文字以内にしてください", e.ID, q.Label, MaxQuickReplyLabel)
			}
		}
		for _, l := range e.Links {
			if !validURL(l.URL) {
				add(e.Pos, "links", ErrBadURL, "FAQ %q のリンク %q は http:// か https:// で始まる正しい形式にしてください", e.ID, l.URL)
			}
		}
		if e.Desk != "" && !desks[e.Desk] {
			add(e.Pos, "desk", ErrUnknownDesk, "FAQ %q の担当課 %q が窓口一覧（desks）にありません", e.ID, e.Desk)
		}
	}
	seen := map[string]string{} // normalized From → normalized To
	for _, a := range kb.Aliases {
		from, to := Normalize(a.From), Normalize(a.To)
		if from == "" || to == "" {
			add(a.Pos, "aliases", ErrMissingField, "言い換え %q → %q の片方が空です", a.From, a.To)
			continue
		}
		// The same word twice is harmless (ファミサポ and ふぁみさぽ fold
		// alike); the same word with two meanings is not.
		if prev, ok := seen[from]; ok && prev != to {
			add(a.Pos, "aliases", ErrDuplicateID, "言い換え %q に別々の置き換え先（%q と %q）があります", a.From, prev, to)
		}
		seen[from] = to
	}
	// An exception that holds no keyword never applies: say so rather
	// than let staff believe it works. Without keywords of its own a
	// knowledge base takes the default ones at WithDefaults, and Compile
	// checks again then.
	if len(kb.Danger.Keywords) > 0 {
		for _, x := range kb.Danger.Except {
			if !holdsDangerKeyword(Normalize(x), kb.Danger.Keywords) {
				add(Position{}, "danger", ErrUnusedException, "danger.except の %q には緊急ワード（keywords）が含まれていないため、この例外は使われません", x)
			}
		}
	}
	for _, c := range kb.Danger.Contacts {
		if c.Name == "" || c.Phone == "" {
			add(Position{}, "danger", ErrMissingField, "緊急連絡先には名前（name）と電話番号（phone）が必要です")
		}
	}
	if len(errs) > 0 {
		return &errs
	}
	return nil
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// holdsDangerKeyword reports whether the normalised phrase contains one of
// the keywords (after normalisation).
func holdsDangerKeyword(phrase string, keywords []string) bool {
	for _, k := range keywords {
		if n := Normalize(k); n != "" && strings.Contains(phrase, n) {
			return true
		}
	}
	return false
}
