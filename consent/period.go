package consent

import (
	"fmt"
	"time"
)

// jst is Japan Standard Time. Japan has had no daylight saving since 1951,
// so a fixed zone equals Asia/Tokyo for every date this package shows, and
// it needs no tzdata on the host.
var jst = time.FixedZone("JST", 9*60*60)

// Period is a half-open interval [Start, End). A zero End means open-ended
// (until withdrawn); a zero Start is invalid wherever a Period is required.
//
// In JSON, Start and End are RFC 3339 timestamps; a date alone
// ("2026-03-31") is read as a day in Japan: Start at 00:00 JST of that day,
// End at 00:00 JST of the next day, so that "end": "2026-03-31" means
// "through 31 March 2026", as people write it.
type Period struct {
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// Contains reports whether t is within the period.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && (p.End.IsZero() || t.Before(p.End))
}

// IsZero reports whether neither bound is set.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// validate reports problems with p under the given path; required means
// Start must be set.
func (p Period) validate(path string, required bool, ps *problems) {
	if p.IsZero() {
		if required {
			ps.add(path+".start", "開始日時を指定してください")
		}
		return
	}
	if p.Start.IsZero() {
		ps.add(path+".start", "開始日時を指定してください")
	}
	if !p.End.IsZero() && !p.End.After(p.Start) {
		ps.add(path+".end", "終了日時は開始日時より後にしてください")
	}
}

// Japanese era (元号) starts, for dates shown to people.
var eras = [...]struct {
	name  string
	start time.Time
}{
	{"令和", time.Date(2019, 5, 1, 0, 0, 0, 0, jst)},
	{"平成", time.Date(1989, 1, 8, 0, 0, 0, 0, jst)},
	{"昭和", time.Date(1926, 12, 25, 0, 0, 0, 0, jst)},
}

// FormatDate renders the calendar day of t in Japan as 和暦, the style of
// municipal documents: "令和7年4月1日" ("令和元年" for the first year).
// Dates before 昭和 are rendered in the Western calendar.
func FormatDate(t time.Time) string {
	t = t.In(jst)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, jst)
	for _, e := range eras {
		if !day.Before(e.start) {
			y := t.Year() - e.start.Year() + 1
			ys := fmt.Sprint(y)
			if y == 1 {
				ys = "元"
			}
			return fmt.Sprintf("%s%s年%d月%d日", e.name, ys, int(t.Month()), t.Day())
		}
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// FormatDateTime renders t in Japan as 和暦 with the time of day:
// "令和7年4月1日 10時30分".
func FormatDateTime(t time.Time) string {
	t = t.In(jst)
	return fmt.Sprintf("%s %d時%02d分", FormatDate(t), t.Hour(), t.Minute())
}

// isMidnightJST reports whether t is 00:00:00 in Japan.
func isMidnightJST(t time.Time) bool {
	t = t.In(jst)
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// formatPeriod renders a period for people: dates when the bounds fall on
// midnight in Japan (an End at midnight shows the last day included), date
// and time otherwise.
func formatPeriod(p Period) string {
	start := FormatDateTime(p.Start)
	if isMidnightJST(p.Start) {
		start = FormatDate(p.Start)
	}
	if p.End.IsZero() {
		return start + "から撤回まで"
	}
	end := FormatDateTime(p.End) + "まで"
	if isMidnightJST(p.End) {
		end = FormatDate(p.End.Add(-time.Nanosecond)) + "まで"
	}
	return start + "から" + end
}
