package civil

import (
	"cmp"
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date (暦日) without a time of day or zone. The zero
// Date is "no date" (IsZero reports it); every other value is a real date
// between 0001-01-01 and 9999-12-31.
type Date struct {
	y int16
	m uint8
	d uint8
}

// ErrInvalid is wrapped by the errors of NewDate and Parse: the date does
// not exist or is not written YYYY-MM-DD.
var ErrInvalid = errors.New("civil: not a date")

// NewDate returns the date y-m-d, or an error wrapping ErrInvalid if it
// does not exist (2023-02-29, 2025-13-01 …) or lies outside years 1–9999.
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m) {
		return Date{}, fmt.Errorf("%04d-%02d-%02d: %w", y, int(m), d, ErrInvalid)
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

// Parse parses a date written YYYY-MM-DD, the form of facts, rule packs
// and stored records. It refuses other layouts and impossible dates; a
// date as a person types it (和暦, 2025/6/1 …) goes through wareki.Parse.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not written YYYY-MM-DD: %w", s, ErrInvalid)
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
		return Date{}, fmt.Errorf("%q is not written YYYY-MM-DD: %w", s, ErrInvalid)
	}
	dt, err := NewDate(y, time.Month(m), d)
	if err != nil {
		return Date{}, fmt.Errorf("%q does not exist in the calendar: %w", s, ErrInvalid)
	}
	return dt, nil
}

// DateOf returns the calendar date of t in t's location: for "today in
// Japan", DateOf(time.Now().In(jst)).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{int16(y), uint8(m), uint8(d)}
}

// DaysIn returns the number of days of month m of year y.
func DaysIn(y int, m time.Month) int {
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

// MarshalText implements encoding.TextMarshaler: YYYY-MM-DD, "" for the
// zero Date.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: YYYY-MM-DD, and ""
// for the zero Date. It is strict on purpose: stored data are ISO 8601,
// people's input goes through wareki.Parse.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Time returns midnight at the start of d in loc (UTC when loc is nil).
// The zero Date gives the zero time.Time.
func (d Date) Time(loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(int(d.y), time.Month(d.m), int(d.d), 0, 0, 0, 0, loc)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return cmp.Compare(d.key(), e.key()) }

// key orders dates as one integer: year, month, day.
func (d Date) key() int32 { return int32(d.y)<<16 | int32(d.m)<<8 | int32(d.d) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.key() < e.key() }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.key() > e.key() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	// A day back or forward (ages, periods) without going through time.
	switch {
	case n == -1 && d.d > 1:
		return Date{d.y, d.m, d.d - 1}
	case n == -1 && d.m > 1:
		return Date{d.y, d.m - 1, uint8(DaysIn(int(d.y), time.Month(d.m-1)))}
	case n == -1 && d.y > 1:
		return Date{d.y - 1, 12, 31}
	case n == 1 && int(d.d) < DaysIn(int(d.y), time.Month(d.m)):
		return Date{d.y, d.m, d.d + 1}
	case n == 1 && d.m < 12:
		return Date{d.y, d.m + 1, 1}
	case n == 1 && d.y < 9999:
		return Date{d.y + 1, 1, 1}
	}
	return DateOf(d.Time(nil).AddDate(0, 0, n))
}

// AddMonths returns d moved by n months; a day past the end of the target
// month becomes its last day (2025-01-31 + 1 month = 2025-02-28). ok is
// false when the result falls outside years 1–9999.
func (d Date) AddMonths(n int) (Date, bool) {
	months := int64(d.y)*12 + int64(d.m) - 1 + int64(n)
	if months < 12 || months >= 10000*12 {
		return Date{}, false
	}
	y, m := int(months/12), time.Month(months%12+1)
	return Date{int16(y), uint8(m), uint8(min(int(d.d), DaysIn(y, m)))}, true
}

// DaysUntil returns the number of days from d to e (negative if e is
// earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.Time(nil).Sub(d.Time(nil)).Hours() / 24)
}

// FiscalYear returns the fiscal year (年度) d falls in: April to the
// following March, named by the year it starts in (2025-04-01 to
// 2026-03-31 is 2025).
func (d Date) FiscalYear() int {
	if d.m >= 4 {
		return int(d.y)
	}
	return int(d.y) - 1
}

// EndOfFiscalYear returns 31 March that ends the fiscal year of d.
func (d Date) EndOfFiscalYear() Date {
	return Date{int16(d.FiscalYear() + 1), 3, 31}
}
