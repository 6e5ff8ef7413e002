package outreach

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/onestop-jp/onestop/civil"
)

// Safe times are in the person's own words (casefile.Contact.SafeTimes):
// 「平日9時〜12時」「土日祝日」「平日17時以降、土日の午前中」「夜は避けてください」.
// A notice is sent only inside them, so they are parsed into a weekly
// schedule; words that look like a time but cannot be read make the whole
// answer unclear, and an unclear answer is never guessed at — the contact
// is not used.

// ErrSafeTimes is wrapped by the *SafeTimesError of an answer that cannot
// be read.
var ErrSafeTimes = errors.New("outreach: safe times not understood")

// SafeTimesError says which part of an answer could not be read. It does
// not repeat the person's words (they are personal data); Part is the
// 1-based part, counting parts separated by 、 or 。.
type SafeTimesError struct {
	Part    int
	Message string // Japanese, for staff
}

func (e *SafeTimesError) Error() string {
	return fmt.Sprintf("outreach: 連絡可能時間帯の%d番目の指定が読み取れません: %s", e.Part, e.Message)
}

// Unwrap makes errors.Is(err, ErrSafeTimes) true.
func (e *SafeTimesError) Unwrap() error { return ErrSafeTimes }

// days is a set of days: specific weekdays, national holidays, and 平日
// (Monday to Friday when not a holiday).
type days struct {
	week     uint8 // bit per time.Weekday
	holiday  bool
	weekdays bool // 平日
}

func (d days) empty() bool { return d.week == 0 && !d.holiday && !d.weekdays }

func (d days) has(day civil.Date) bool {
	wd := weekday(day)
	switch {
	case d.week&(1<<wd) != 0:
		return true
	case d.holiday && isHoliday(day):
		return true
	case d.weekdays && wd >= time.Monday && wd <= time.Friday && !isHoliday(day):
		return true
	}
	return false
}

var everyDay = days{week: 0x7f}

// span is a range of minutes of a day, [from, to).
type span struct{ from, to int }

// rule is a set of days and the spans of those days.
type rule struct {
	days  days
	spans []span
}

// SafeTimes is a parsed answer: the spans allowed (none: any time) minus
// the spans refused. The zero value allows any time.
type SafeTimes struct {
	allow []rule
	deny  []rule
}

// Unrestricted reports whether the answer puts no limit on the time.
func (st SafeTimes) Unrestricted() bool { return len(st.allow) == 0 && len(st.deny) == 0 }

// maxSafeTimes bounds an answer (bytes): the model form allows 200
// characters of notes besides the chosen times.
const maxSafeTimes = 1000

// ParseSafeTimes reads a person's answer. An empty answer, or one that
// only carries notes without a time ("「市役所」と名乗らないでください"),
// puts no limit on the time; the municipality's sending hours still apply.
func ParseSafeTimes(s string) (SafeTimes, error) {
	var st SafeTimes
	if len(s) > maxSafeTimes || !utf8.ValidString(s) {
		return st, &SafeTimesError{Part: 1, Message: "長すぎるか、文字として読めません"}
	}
	s = norm.NFKC.String(s)
	for i, part := range splitParts(s) {
		allow, deny, err := parsePart(part)
		if err != nil {
			return SafeTimes{}, &SafeTimesError{Part: i + 1, Message: err.Error()}
		}
		st.allow = append(st.allow, allow...)
		st.deny = append(st.deny, deny...)
	}
	return st, nil
}

// splitParts splits an answer at 、 , ; / 。 and line breaks, keeping
// bracketed text whole.
func splitParts(s string) []string {
	var parts []string
	var b strings.Builder
	depth := 0
	flush := func() {
		if p := strings.TrimSpace(b.String()); p != "" {
			parts = append(parts, p)
		}
		b.Reset()
	}
	for _, r := range s {
		switch r {
		case '(', '「', '『', '[', '【':
			depth++
		case ')', '」', '』', ']', '】':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.ContainsRune("、,;/。\n\r", r) {
			flush()
			continue
		}
		b.WriteRune(r)
	}
	flush()
	return parts
}

// token kinds of a part.
type tokKind int

const (
	tkDays   tokKind = iota + 1
	tkAll            // いつでも, 終日
	tkPeriod         // 午前, 夕方 …: a span
	tkAMPM           // 午前/午後 before a time: 12-hour clock
	tkTime           // a time of day, in minutes
	tkRange          // 〜 から
	tkUntil          // まで 以前
	tkSince          // 以降 以後 から (after a time with nothing after)
	tkNot            // 以外 不可 避けて …
	tkFiller
	tkOther
	tkTimeish // a word about times we do not read (休み, 仕事中 …)
)

type token struct {
	kind tokKind
	days days
	span span
	min  int  // tkTime
	pm   bool // tkAMPM
}

// words are matched longest first at each position.
var words = []struct {
	w string
	t token
}{
	{"いつでも", token{kind: tkAll}}, {"何時でも", token{kind: tkAll}}, {"終日", token{kind: tkAll}}, {"24時間", token{kind: tkAll}},
	{"土日祝日", token{kind: tkDays, days: days{week: 1<<time.Saturday | 1<<time.Sunday, holiday: true}}},
	{"土日祝", token{kind: tkDays, days: days{week: 1<<time.Saturday | 1<<time.Sunday, holiday: true}}},
	{"土日", token{kind: tkDays, days: days{week: 1<<time.Saturday | 1<<time.Sunday}}},
	{"週末", token{kind: tkDays, days: days{week: 1<<time.Saturday | 1<<time.Sunday}}},
	{"休日", token{kind: tkDays, days: days{week: 1<<time.Saturday | 1<<time.Sunday, holiday: true}}},
	{"祝日", token{kind: tkDays, days: days{holiday: true}}},
	{"祝祭日", token{kind: tkDays, days: days{holiday: true}}},
	{"平日", token{kind: tkDays, days: days{weekdays: true}}},
	{"毎日", token{kind: tkDays, days: everyDay}},
	{"午前中", token{kind: tkPeriod, span: span{9 * 60, 12 * 60}}},
	{"日中", token{kind: tkPeriod, span: span{9 * 60, 17 * 60}}},
	{"昼間", token{kind: tkPeriod, span: span{11 * 60, 14 * 60}}},
	{"お昼", token{kind: tkPeriod, span: span{11 * 60, 14 * 60}}},
	{"昼休み", token{kind: tkPeriod, span: span{12 * 60, 13 * 60}}},
	{"昼", token{kind: tkPeriod, span: span{11 * 60, 14 * 60}}},
	{"夕方", token{kind: tkPeriod, span: span{16 * 60, 19 * 60}}},
	{"深夜", token{kind: tkPeriod, span: span{0, 5 * 60}}},
	{"夜間", token{kind: tkPeriod, span: span{18 * 60, 24 * 60}}},
	{"夜", token{kind: tkPeriod, span: span{18 * 60, 24 * 60}}},
	{"早朝", token{kind: tkPeriod, span: span{5 * 60, 8 * 60}}},
	{"朝", token{kind: tkPeriod, span: span{7 * 60, 10 * 60}}},
	{"正午", token{kind: tkTime, min: 12 * 60}},
	{"午前", token{kind: tkAMPM}}, {"午後", token{kind: tkAMPM, pm: true}},
	{"AM", token{kind: tkAMPM}}, {"am", token{kind: tkAMPM}}, {"PM", token{kind: tkAMPM, pm: true}}, {"pm", token{kind: tkAMPM, pm: true}},
	{"〜", token{kind: tkRange}}, {"~", token{kind: tkRange}}, {"-", token{kind: tkRange}}, {"−", token{kind: tkRange}},
	{"–", token{kind: tkRange}}, {"—", token{kind: tkRange}}, {"から", token{kind: tkRange}}, {"より", token{kind: tkRange}},
	{"までの間", token{kind: tkUntil}}, {"まで", token{kind: tkUntil}}, {"以前", token{kind: tkUntil}},
	{"以降", token{kind: tkSince}}, {"以後", token{kind: tkSince}}, {"過ぎ", token{kind: tkSince}}, {"すぎ", token{kind: tkSince}},
	{"以外", token{kind: tkNot}}, {"不可", token{kind: tkNot}}, {"だめ", token{kind: tkNot}}, {"ダメ", token{kind: tkNot}},
	{"駄目", token{kind: tkNot}}, {"NG", token{kind: tkNot}}, {"避けて", token{kind: tkNot}}, {"避け", token{kind: tkNot}},
	{"控えて", token{kind: tkNot}}, {"やめて", token{kind: tkNot}}, {"無理", token{kind: tkNot}}, {"できません", token{kind: tkNot}},
	{"出られません", token{kind: tkNot}}, {"出られない", token{kind: tkNot}}, {"しないで", token{kind: tkNot}}, {"困ります", token{kind: tkNot}},
	{"休み", token{kind: tkTimeish}}, {"仕事", token{kind: tkTimeish}}, {"勤務", token{kind: tkTimeish}}, {"在宅", token{kind: tkTimeish}},
	{"帰宅", token{kind: tkTimeish}}, {"出勤", token{kind: tkTimeish}}, {"曜", token{kind: tkTimeish}}, {"時", token{kind: tkTimeish}},
	{"分", token{kind: tkTimeish}}, {"日", token{kind: tkTimeish}}, {"週", token{kind: tkTimeish}}, {"月", token{kind: tkTimeish}},
	{"ください", token{kind: tkFiller}}, {"下さい", token{kind: tkFiller}}, {"お願いします", token{kind: tkFiller}},
	{"お願い", token{kind: tkFiller}}, {"希望", token{kind: tkFiller}}, {"可能", token{kind: tkFiller}}, {"大丈夫", token{kind: tkFiller}},
	{"OK", token{kind: tkFiller}}, {"ok", token{kind: tkFiller}}, {"連絡", token{kind: tkFiller}}, {"電話", token{kind: tkFiller}},
	{"メール", token{kind: tkFiller}}, {"時間帯", token{kind: tkFiller}}, {"時間", token{kind: tkFiller}}, {"の間", token{kind: tkFiller}},
	{"です", token{kind: tkFiller}}, {"なら", token{kind: tkFiller}}, {"であれば", token{kind: tkFiller}}, {"くらい", token{kind: tkFiller}},
	{"ぐらい", token{kind: tkFiller}}, {"ごろ", token{kind: tkFiller}}, {"頃", token{kind: tkFiller}}, {"程度", token{kind: tkFiller}},
	{"のみ", token{kind: tkFiller}}, {"だけ", token{kind: tkFiller}}, {"限り", token{kind: tkFiller}}, {"可", token{kind: tkFiller}},
	{"に", token{kind: tkFiller}}, {"の", token{kind: tkFiller}}, {"は", token{kind: tkFiller}}, {"で", token{kind: tkFiller}},
	{"が", token{kind: tkFiller}}, {"も", token{kind: tkFiller}}, {"を", token{kind: tkFiller}}, {"と", token{kind: tkFiller}},
	{"中", token{kind: tkFiller}}, {"帯", token{kind: tkFiller}}, {"ころ", token{kind: tkFiller}},
	{"良い", token{kind: tkFiller}}, {"よい", token{kind: tkFiller}}, {"いい", token{kind: tkFiller}}, {"都合", token{kind: tkFiller}},
	{"助かります", token{kind: tkFiller}}, {"出られます", token{kind: tkFiller}}, {"ます", token{kind: tkFiller}},
	{"でしたら", token{kind: tkFiller}}, {"だと", token{kind: tkFiller}}, {"など", token{kind: tkFiller}},
}

// byFirst indexes words by their first rune, longest first, so that 時間帯
// is read before 時.
var byFirst = func() map[rune][][]rune {
	idx := make([]int, len(words))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return utf8.RuneCountInString(words[b].w) - utf8.RuneCountInString(words[a].w) })
	m := map[rune][][]rune{}
	for _, i := range idx {
		rs := []rune(words[i].w)
		m[rs[0]] = append(m[rs[0]], rs)
	}
	return m
}()

// wordToken is the token of each word.
var wordToken = func() map[string]token {
	m := make(map[string]token, len(words))
	for _, w := range words {
		m[w.w] = w.t
	}
	return m
}()

// weekdayNames are the single-character weekday names.
var weekdayNames = map[rune]time.Weekday{'月': time.Monday, '火': time.Tuesday, '水': time.Wednesday, '木': time.Thursday,
	'金': time.Friday, '土': time.Saturday, '日': time.Sunday}

// tokenize splits a part into tokens.
func tokenize(p string) []token {
	var out []token
	rs := []rune(p)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune("()「」『』[]【】・!?！？.:", r) && !(r == ':' && i > 0 && unicode.IsDigit(rs[i-1])):
			i++
			continue
		case unicode.IsDigit(r):
			if strings.HasPrefix(string(rs[i:min(i+4, len(rs))]), "24時間") {
				out = append(out, token{kind: tkAll})
				i += 4
				continue
			}
			if t, n, ok := clockTime(rs[i:]); ok {
				out = append(out, t)
				i += n
				continue
			}
		}
		if t, n, ok := weekdayList(rs[i:]); ok {
			out = append(out, t)
			i += n
			continue
		}
		matched := false
		for _, wr := range byFirst[r] {
			if len(wr) <= len(rs)-i && slices.Equal(rs[i:i+len(wr)], wr) {
				out = append(out, wordToken[string(wr)])
				i += len(wr)
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, token{kind: tkOther})
			i++
		}
	}
	return out
}

// clockTime reads a time at the start of rs: 9時, 9時半, 9時30分, 9:30, 21:00.
func clockTime(rs []rune) (token, int, bool) {
	n := 0
	for n < len(rs) && n < 2 && unicode.IsDigit(rs[n]) {
		n++
	}
	if n == 0 || n < len(rs) && unicode.IsDigit(rs[n]) {
		return token{}, 0, false
	}
	h, _ := strconv.Atoi(string(rs[:n]))
	m := 0
	switch {
	case n < len(rs) && rs[n] == ':':
		if n+3 > len(rs) || !unicode.IsDigit(rs[n+1]) || !unicode.IsDigit(rs[n+2]) {
			return token{}, 0, false
		}
		m, _ = strconv.Atoi(string(rs[n+1 : n+3]))
		n += 3
	case n < len(rs) && rs[n] == '時':
		n++
		switch {
		case n < len(rs) && rs[n] == '半':
			m = 30
			n++
		case n < len(rs) && unicode.IsDigit(rs[n]):
			k := n
			for k < len(rs) && k < n+2 && unicode.IsDigit(rs[k]) {
				k++
			}
			if k < len(rs) && rs[k] == '分' {
				m, _ = strconv.Atoi(string(rs[n:k]))
				n = k + 1
			}
		}
	default:
		return token{}, 0, false
	}
	if h > 24 || m > 59 || h == 24 && m > 0 {
		return token{}, 0, false
	}
	return token{kind: tkTime, min: h*60 + m}, n, true
}

// weekdayList reads weekday names at the start of rs: 月曜, 月曜日,
// 月・水・金, 月〜金, 月曜から金曜 (a lone 日 or 月 is not a weekday: 「日中」).
func weekdayList(rs []rune) (token, int, bool) {
	var d days
	n := 0
	any := false
	for {
		wd, ok := weekdayNames[safeAt(rs, n)]
		if !ok {
			break
		}
		k := n + 1
		if safeAt(rs, k) == '曜' {
			k++
			if safeAt(rs, k) == '日' {
				k++
			}
		} else if !isWeekdayListContext(rs, n) {
			break
		}
		// a range 月〜金 / 月曜から金曜
		if to, k2, ok := rangeEnd(rs, k); ok {
			for x := wd; ; x = (x + 1) % 7 {
				d.week |= 1 << x
				if x == to {
					break
				}
			}
			k = k2
		} else {
			d.week |= 1 << wd
		}
		n, any = k, true
		if safeAt(rs, n) == '・' || safeAt(rs, n) == 'と' {
			if _, ok := weekdayNames[safeAt(rs, n+1)]; ok {
				n++
				continue
			}
		}
		break
	}
	if !any {
		return token{}, 0, false
	}
	return token{kind: tkDays, days: d}, n, true
}

// isWeekdayListContext: a weekday character without 曜 counts only in a
// list or range of weekday characters (月・水・金, 月〜金, 土と日).
func isWeekdayListContext(rs []rune, n int) bool {
	next := safeAt(rs, n+1)
	if next == '・' || next == 'と' {
		_, ok := weekdayNames[safeAt(rs, n+2)]
		return ok
	}
	if _, _, ok := rangeEnd(rs, n+1); ok {
		return true
	}
	if n >= 2 && (rs[n-1] == '・' || rs[n-1] == 'と') {
		_, ok := weekdayNames[rs[n-2]]
		return ok
	}
	return false
}

// rangeEnd reads "〜金", "から金曜", "-金曜日" at k.
func rangeEnd(rs []rune, k int) (time.Weekday, int, bool) {
	switch {
	case strings.ContainsRune("〜~-−", safeAt(rs, k)):
		k++
	case safeAt(rs, k) == 'か' && safeAt(rs, k+1) == 'ら':
		k += 2
	default:
		return 0, 0, false
	}
	wd, ok := weekdayNames[safeAt(rs, k)]
	if !ok {
		return 0, 0, false
	}
	k++
	if safeAt(rs, k) == '曜' {
		k++
		if safeAt(rs, k) == '日' {
			k++
		}
	}
	return wd, k, true
}

func safeAt(rs []rune, i int) rune {
	if i < 0 || i >= len(rs) {
		return 0
	}
	return rs[i]
}

// parsePart turns one part into allow or deny rules.
func parsePart(p string) (allow, deny []rule, err error) {
	toks := tokenize(p)
	var d days
	var spans []span
	neg, all, timeish, other := false, false, false, false
	pm, ampm := false, false
	var pending *int // a time waiting for what follows
	rangeOpen := false
	flush := func(until int) {
		if pending == nil {
			return
		}
		from := *pending
		pending = nil
		switch {
		case until >= 0 && until > from:
			spans = append(spans, span{from, until})
		case until >= 0: // 22時〜6時: across midnight
			spans = append(spans, span{from, 24 * 60}, span{0, until})
		default: // a time on its own: the hour from it
			spans = append(spans, span{from, min(from+60, 24*60)})
		}
	}
	for i, t := range toks {
		switch t.kind {
		case tkDays:
			if d.week |= t.days.week; t.days.holiday {
				d.holiday = true
			}
			if t.days.weekdays {
				d.weekdays = true
			}
		case tkAll:
			all = true
		case tkPeriod:
			if i+1 < len(toks) && toks[i+1].kind == tkTime {
				// 夜7時, 朝8時: the period sets the clock half
				pm, ampm = t.span.from >= 12*60, true
				continue
			}
			spans = append(spans, t.span)
		case tkAMPM:
			pm, ampm = t.pm, true
			if i+1 >= len(toks) || toks[i+1].kind != tkTime {
				if t.pm {
					spans = append(spans, span{12 * 60, 18 * 60})
				} else {
					spans = append(spans, span{9 * 60, 12 * 60})
				}
			}
		case tkTime:
			m := t.min
			if ampm && pm && m < 12*60 {
				m += 12 * 60
			}
			if rangeOpen && pending != nil {
				rangeOpen = false
				flush(m)
				continue
			}
			if rangeOpen && pending == nil {
				// 〜12時 with no start
				spans = append(spans, span{0, m})
				rangeOpen = false
				continue
			}
			flush(-1)
			mm := m
			pending = &mm
		case tkRange:
			if pending == nil && len(spans) == 0 {
				rangeOpen = true
				continue
			}
			if pending != nil {
				if next := nextKind(toks, i); next == tkTime {
					rangeOpen = true
				} else {
					spans = append(spans, span{*pending, 24 * 60})
					pending = nil
				}
			}
		case tkUntil:
			if pending != nil {
				spans = append(spans, span{0, *pending})
				pending = nil
			} else {
				timeish = true
			}
		case tkSince:
			if pending != nil {
				spans = append(spans, span{*pending, 24 * 60})
				pending = nil
			} else {
				timeish = true
			}
		case tkNot:
			neg = true
		case tkTimeish:
			timeish = true
		case tkOther:
			other = true
		}
	}
	flush(-1)
	if rangeOpen {
		return nil, nil, errors.New("時間の範囲の終わりがありません")
	}
	hasTime := len(spans) > 0 || all || !d.empty()
	switch {
	case !hasTime && !neg && !timeish:
		return nil, nil, nil // a note without a time: nothing to plan with
	case !hasTime:
		return nil, nil, errors.New("曜日や時刻として読めない言葉があります")
	case timeish || other:
		return nil, nil, errors.New("曜日・時刻のほかに読み取れない言葉があります")
	}
	for _, s := range spans {
		if s.from >= s.to {
			return nil, nil, errors.New("時間の範囲が正しくありません")
		}
	}
	if d.empty() {
		d = everyDay
	}
	if len(spans) == 0 || all {
		spans = []span{{0, 24 * 60}}
	}
	r := rule{days: d, spans: spans}
	if neg {
		return nil, []rule{r}, nil
	}
	return []rule{r}, nil, nil
}

// nextKind is the kind of the next token that is not a filler; a 午前,
// 午後 or period word before a time counts as that time.
func nextKind(toks []token, i int) tokKind {
	for j := i + 1; j < len(toks); j++ {
		switch k := toks[j].kind; {
		case k == tkFiller:
		case (k == tkAMPM || k == tkPeriod) && j+1 < len(toks) && toks[j+1].kind == tkTime:
			return tkTime
		default:
			return k
		}
	}
	return 0
}

// SendingHours are the hours of the day in which the municipality sends
// notices at all, whatever a person said (default 9:00–20:00).
type SendingHours struct {
	From, To time.Duration // since midnight, Japan time
}

// DefaultSendingHours are 9:00–20:00.
var DefaultSendingHours = SendingHours{From: 9 * time.Hour, To: 20 * time.Hour}

// minWindow is the shortest window worth planning a send in.
const minWindow = 15

// allowedOn returns the spans of day d the answer allows, within hours.
func (st SafeTimes) allowedOn(d civil.Date, hours SendingHours) []span {
	var ok []span
	if len(st.allow) == 0 {
		ok = []span{{0, 24 * 60}}
	}
	for _, r := range st.allow {
		if r.days.has(d) {
			ok = append(ok, r.spans...)
		}
	}
	ok = merge(ok)
	for _, r := range st.deny {
		if r.days.has(d) {
			for _, s := range r.spans {
				ok = subtract(ok, s)
			}
		}
	}
	return intersect(ok, span{int(hours.From / time.Minute), int(hours.To / time.Minute)})
}

// Next returns the first window at or after from (within horizon days) in
// which the answer and the sending hours allow sending, at least 15
// minutes long: its start (from itself when inside one) and end.
func (st SafeTimes) Next(from time.Time, hours SendingHours, horizon int) (start, end time.Time, ok bool) {
	from = from.In(jst)
	day := civil.DateOf(from)
	for i := 0; i <= horizon; i++ {
		d := day.AddDays(i)
		midnight := d.Time(jst)
		for _, s := range st.allowedOn(d, hours) {
			a, b := midnight.Add(time.Duration(s.from)*time.Minute), midnight.Add(time.Duration(s.to)*time.Minute)
			if a.Before(from) {
				a = from
			}
			if b.Sub(a) >= minWindow*time.Minute {
				return a, b, true
			}
		}
	}
	return time.Time{}, time.Time{}, false
}

// Allows reports whether t is inside the answer and the sending hours
// with at least a minute to go.
func (st SafeTimes) Allows(t time.Time, hours SendingHours) bool {
	t = t.In(jst)
	m := t.Hour()*60 + t.Minute()
	for _, s := range st.allowedOn(civil.DateOf(t), hours) {
		if m >= s.from && m < s.to {
			return true
		}
	}
	return false
}

func merge(ss []span) []span {
	ss = slices.Clone(ss)
	slices.SortFunc(ss, func(a, b span) int { return a.from - b.from })
	var out []span
	for _, s := range ss {
		if n := len(out); n > 0 && s.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

func subtract(ss []span, x span) []span {
	var out []span
	for _, s := range ss {
		if x.to <= s.from || x.from >= s.to {
			out = append(out, s)
			continue
		}
		if s.from < x.from {
			out = append(out, span{s.from, x.from})
		}
		if x.to < s.to {
			out = append(out, span{x.to, s.to})
		}
	}
	return out
}

func intersect(ss []span, x span) []span {
	var out []span
	for _, s := range ss {
		a, b := max(s.from, x.from), min(s.to, x.to)
		if a < b {
			out = append(out, span{a, b})
		}
	}
	return out
}

var jst = time.FixedZone("JST", 9*60*60)
