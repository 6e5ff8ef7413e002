package wareki

import (
	"fmt"
	"time"

	"github.com/onestop-jp/onestop/civil"
)

// Era is one Japanese era (元号) with its exact first and last day.
type Era struct {
	Name   string     // 令和
	Romaji string     // Reiwa
	Letter byte       // R
	Code   int        // legacy numeric code: 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和
	First  civil.Date // first day (元年)
	Last   civil.Date // last day; zero for the current era
}

// The eras this package supports, oldest first. 明治 is known so that its
// name gives a clear error instead of a syntax error.
var eras = [...]Era{
	{Name: "大正", Romaji: "Taisho", Letter: 'T', Code: 2, First: civil.MustDate(1912, time.July, 30), Last: civil.MustDate(1926, time.December, 24)},
	{Name: "昭和", Romaji: "Showa", Letter: 'S', Code: 3, First: civil.MustDate(1926, time.December, 25), Last: civil.MustDate(1989, time.January, 7)},
	{Name: "平成", Romaji: "Heisei", Letter: 'H', Code: 4, First: civil.MustDate(1989, time.January, 8), Last: civil.MustDate(2019, time.April, 30)},
	{Name: "令和", Romaji: "Reiwa", Letter: 'R', Code: 5, First: civil.MustDate(2019, time.May, 1)},
}

var meiji = Era{Name: "明治", Romaji: "Meiji", Letter: 'M', Code: 1, First: civil.MustDate(1868, time.October, 23), Last: civil.MustDate(1912, time.July, 29)}

// Eras returns the supported eras, oldest first.
func Eras() []Era {
	out := make([]Era, len(eras))
	copy(out, eras[:])
	return out
}

// Contains reports whether d lies within the era.
func (e Era) Contains(d civil.Date) bool {
	if d.Before(e.First) {
		return false
	}
	return e.Last.IsZero() || !d.After(e.Last)
}

// Date returns the Gregorian date of era year y (1 = 元年), month m, day d,
// checking that it exists and lies within the era.
func (e Era) Date(y int, m time.Month, d int) (civil.Date, error) {
	if y < 1 {
		return civil.Date{}, ErrOutOfEra
	}
	dt, err := civil.NewDate(e.First.Year()+y-1, m, d)
	if err != nil {
		return civil.Date{}, fmt.Errorf("%w: %w", ErrInvalidDate, err)
	}
	if !e.Contains(dt) {
		return civil.Date{}, ErrOutOfEra
	}
	return dt, nil
}

// EraOf returns the era containing d and the era year (1 = 元年). ok is
// false for dates before 大正.
func EraOf(d civil.Date) (era Era, year int, ok bool) {
	for i := len(eras) - 1; i >= 0; i-- {
		if eras[i].Contains(d) {
			return eras[i], d.Year() - eras[i].First.Year() + 1, true
		}
	}
	return Era{}, 0, false
}

func eraByName(name string) (Era, bool) {
	for _, e := range eras {
		if e.Name == name {
			return e, true
		}
	}
	return Era{}, false
}

func eraByLetter(c byte) (Era, bool) {
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	for _, e := range eras {
		if e.Letter == c {
			return e, true
		}
	}
	return Era{}, false
}

func eraByCode(c int) (Era, bool) {
	for _, e := range eras {
		if e.Code == c {
			return e, true
		}
	}
	return Era{}, false
}
