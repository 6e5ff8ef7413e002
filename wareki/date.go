package wareki

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a Gregorian calendar date without time of day or zone. The zero
// Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, or an error if it does not exist
// (for example February 30th) or lies outside years 1–9999.
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, fmt.Errorf("wareki: date %04d-%02d-%02d out of range: %w", y, int(m), d, ErrInvalidDate)
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return Date{}, fmt.Errorf("wareki: date %04d-%02d-%02d does not exist: %w", y, int(m), d, ErrInvalidDate)
	}
	return Date{y, m, d}, nil
}

// MustDate is like NewDate but panics on an invalid date; use it only for
// constants in code and tests.
func MustDate(y int, m time.Month, d int) Date {
	dt, err := NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return dt
}

// FromTime returns the calendar date of t in t's location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date in years 1–9999.
func (d Date) Valid() bool {
	_, err := NewDate(d.Year, d.Month, d.Day)
	return err == nil
}

// Time returns midnight at the start of d in loc (UTC when loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp.Compare(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp.Compare(int(d.Month), int(e.Month))
	default:
		return cmp.Compare(d.Day, e.Day)
	}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return FromTime(d.Time(nil).AddDate(0, 0, n)) }

// FiscalYear returns the Japanese fiscal year (年度) containing d: April 1st
// to March 31st, named by the year in which it starts.
func (d Date) FiscalYear() int {
	if d.Month < time.April {
		return d.Year - 1
	}
	return d.Year
}

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText encodes d as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsZero() && !d.Valid() {
		return nil, fmt.Errorf("wareki: cannot marshal invalid date %d-%d-%d", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes YYYY-MM-DD; the empty string gives the zero Date.
// It is strict on purpose: stored data use ISO 8601, people's input goes
// through Parse.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	s := string(b)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return fmt.Errorf("wareki: %q is not a YYYY-MM-DD date: %w", s, ErrSyntax)
	}
	y, ok1 := atoiASCII(s[0:4])
	m, ok2 := atoiASCII(s[5:7])
	dd, ok3 := atoiASCII(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("wareki: %q is not a YYYY-MM-DD date: %w", s, ErrSyntax)
	}
	v, err := NewDate(y, time.Month(m), dd)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func atoiASCII(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// AgeOn returns the age in whole years of a person born on d, on day on.
// Under the 年齢計算ニ関スル法律 a person ages at the end of the day before
// the birthday; for counting whole years on a given day this equals the
// usual birthday rule, with 29 February birthdays ageing on 1 March in
// common years.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}
