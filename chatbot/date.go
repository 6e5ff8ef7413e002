package chatbot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// eras are the 和暦 eras a person may type in a 更新日, newest first, with
// the Gregorian year of their first year (元年).
var eras = []struct {
	names []string
	start time.Time
}{
	{[]string{"令和", "R"}, time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
	{[]string{"平成", "H"}, time.Date(1989, 1, 8, 0, 0, 0, 0, time.UTC)},
	{[]string{"昭和", "S"}, time.Date(1926, 12, 25, 0, 0, 0, 0, time.UTC)},
}

var (
	westernDateRE = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	eraDateRE     = regexp.MustCompile(`^(令和|平成|昭和|R|H|S)(元|\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?$`)
)

// ParseDate reads a date as staff type it in a spreadsheet: 2025-04-01,
// 2025/4/1, 2025年4月1日, 令和7年4月1日, 令和元年5月1日, R7.4.1 (full-width
// digits too). The result is midnight UTC of that calendar date. A 和暦 date
// before its era began (平成31年5月1日) is an error.
func ParseDate(s string) (time.Time, error) {
	s = strings.ReplaceAll(norm.NFKC.String(strings.TrimSpace(s)), " ", "")
	s = strings.ToUpper(s)
	var y, mo, d int
	if m := westernDateRE.FindStringSubmatch(s); m != nil {
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		d, _ = strconv.Atoi(m[3])
	} else if m := eraDateRE.FindStringSubmatch(s); m != nil {
		n := 1
		if m[2] != "元" {
			n, _ = strconv.Atoi(m[2])
		}
		mo, _ = strconv.Atoi(m[3])
		d, _ = strconv.Atoi(m[4])
		found := false
		for i, e := range eras {
			if !contains(e.names, m[1]) {
				continue
			}
			found = true
			y = e.start.Year() + n - 1
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Before(e.start) || (i > 0 && !t.Before(eras[i-1].start)) {
				return time.Time{}, fmt.Errorf("chatbot: date %q is outside its era: %w", s, ErrBadDate)
			}
		}
		if !found {
			return time.Time{}, fmt.Errorf("chatbot: date %q: %w", s, ErrBadDate)
		}
	} else {
		return time.Time{}, fmt.Errorf("chatbot: date %q: %w", s, ErrBadDate)
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 || y > 2200 {
		return time.Time{}, fmt.Errorf("chatbot: date %q does not exist: %w", s, ErrBadDate)
	}
	return t, nil
}
