package eligibility

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a calendar date (日付) without a time of day or zone, as statutes
// use them. The zero Date is "no date" (IsZero reports it); every other value
// is a real date between 0001-01-01 and 9999-12-31.
type Date struct {
	y int16
	m uint8
	d uint8
}

// NewDate returns the date y-m-d, or an error if it does not exist
// (2023-02-29, 2025-13-01 …).
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return Date{}, fmt.Errorf("%04d-%02d-%02d is not a date", y, int(m), d)
	}
	return Date{int16(y), uint8(m), uint8(d)}, nil
}

// MustDate is NewDate for dates written in code; it panics on an impossible
// date, so use it only with literals.
func MustDate(y int, m time.Month, d int) Date {
	dt, err := NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return dt
}

// ParseDate parses a date written YYYY-MM-DD (the form used in facts and
// rule packs). It refuses other layouts and impossible dates.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			n = n*10 + int(p[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	dt, err := NewDate(y, time.Month(m), d)
	if err != nil {
		return Date{}, fmt.Errorf("%q does not exist in the calendar", s)
	}
	return dt, nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{int16(y), uint8(m), uint8(d)}
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.y == 0 }

// Year returns the year.
func (d Date) Year() int { return int(d.y) }

// Month returns the month.
func (d Date) Month() time.Month { return time.Month(d.m) }

// Day returns the day of the month.
func (d Date) Day() int { return int(d.d) }

// String formats d as YYYY-MM-DD; the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (YYYY-MM-DD).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.y != e.y:
		return cmp.Compare(int(d.y), int(e.y))
	case d.m != e.m:
		return cmp.Compare(int(d.m), int(e.m))
	}
	return cmp.Compare(int(d.d), int(e.d))
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// time returns midnight UTC of d, for day arithmetic.
func (d Date) time() time.Time {
	return time.Date(int(d.y), time.Month(d.m), int(d.d), 0, 0, 0, 0, time.UTC)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	switch {
	case n == -1 && d.d > 1:
		return Date{d.y, d.m, d.d - 1}
	case n == 1 && int(d.d) < daysIn(int(d.y), time.Month(d.m)):
		return Date{d.y, d.m, d.d + 1}
	}
	return DateOf(d.time().AddDate(0, 0, n))
}

// DaysUntil returns the number of days from d to e (negative if e is
// earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.time().Sub(d.time()).Hours() / 24)
}

// FiscalYear returns the fiscal year (年度) d falls in: April to the following
// March, named by the year it starts in (2025-04-01 to 2026-03-31 is 2025).
func (d Date) FiscalYear() int {
	if d.m >= 4 {
		return int(d.y)
	}
	return int(d.y) - 1
}

// anniversaryEve returns the day before the n-th anniversary of d — the day
// a period of n years counted from d (its first day included) ends under
// 民法 第143条: "起算日に応当する日の前日"; where the anniversary month has no
// such day (29 February in a common year), the period ends on the last day
// of that month (第143条第2項 ただし書).
func (d Date) anniversaryEve(n int) Date {
	y := int(d.y) + n
	if d.m == 2 && d.d == 29 && !isLeap(y) {
		return Date{int16(y), 2, 28}
	}
	return Date{int16(y), d.m, d.d}.AddDays(-1)
}

// ReachesAge returns the date on which a person born on birth reaches age n.
// Under 年齢計算ニ関スル法律 (明治35年法律第50号) age is counted from the day
// of birth and, by 民法 第143条, a year ends on the day before the birthday:
// a person reaches n on the day before the n-th birthday (18歳に達する日).
// So someone born on 1 April reaches each age on 31 March, which is why
// they belong to the earlier school year.
func ReachesAge(birth Date, n int) Date { return birth.anniversaryEve(n) }

// AgeOn returns the age reached on the date on, counted as statutes count
// it: the age goes up on the day before each birthday (see ReachesAge).
// It returns 0 before the birth date itself.
func AgeOn(birth, on Date) int {
	if on.Before(birth) {
		return 0
	}
	// Someone born on 1 January reaches each age on 31 December of the
	// year before, so start one year high.
	n := int(on.y) - int(birth.y) + 1
	for n > 0 && ReachesAge(birth, n).After(on) {
		n--
	}
	return n
}

// FirstMarch31AfterAge returns the first 31 March on or after the day a
// person born on birth reaches age n (N歳に達する日以後の最初の3月31日), the
// end of the school year in which they reach n — the limit used by
// 児童扶養手当法 第3条 and 児童手当法 第3条 for age 18.
func FirstMarch31AfterAge(birth Date, n int) Date {
	r := ReachesAge(birth, n)
	m31 := Date{r.y, 3, 31}
	if r.After(m31) {
		m31.y++
	}
	return m31
}

// EndOfFiscalYear returns 31 March that ends the fiscal year of d.
func (d Date) EndOfFiscalYear() Date {
	return Date{int16(d.FiscalYear() + 1), 3, 31}
}
