package civil

import (
	"cmp"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d(s string) Date {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestParse(t *testing.T) {
	tests := []struct {
		in  string
		ok  bool
		out string
	}{
		{"2025-06-01", true, "2025-06-01"},
		{"2024-02-29", true, "2024-02-29"},
		{"2023-02-29", false, ""},
		{"2025-13-01", false, ""},
		{"2025-04-31", false, ""},
		{"2025-6-1", false, ""},
		{"２０２５-06-01", false, ""},
		{"0000-01-01", false, ""},
		{"2025/06/01", false, ""},
	}
	for _, tc := range tests {
		v, err := Parse(tc.in)
		if !tc.ok {
			assert.ErrorIs(t, err, ErrInvalid, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.out, v.String())
	}
	_, err := NewDate(2025, 2, 29)
	assert.True(t, errors.Is(err, ErrInvalid))
}

func TestFiscalYear(t *testing.T) {
	assert.Equal(t, 2024, d("2025-03-31").FiscalYear())
	assert.Equal(t, 2025, d("2025-04-01").FiscalYear())
	assert.Equal(t, "2026-03-31", d("2025-04-01").EndOfFiscalYear().String())
	assert.Equal(t, "2025-03-31", d("2025-03-31").EndOfFiscalYear().String())
}

// The statutory age rules (年齢計算ニ関スル法律, 民法第143条): an age is
// reached on the day before the birthday.
func TestAgeRules(t *testing.T) {
	tests := []struct {
		name             string
		birth            string
		n                int
		reaches, march31 string
		ageOn            string
		ageOnWant        int
	}{
		{"ordinary", "2007-07-15", 18, "2025-07-14", "2026-03-31", "2025-07-14", 18},
		{"ordinary, day before reaching", "2007-07-15", 18, "2025-07-14", "2026-03-31", "2025-07-13", 17},
		{"born 1 April reaches on 31 March: earlier school year", "2007-04-01", 18, "2025-03-31", "2025-03-31", "2025-03-31", 18},
		{"born 2 April reaches on 1 April: later school year", "2007-04-02", 18, "2025-04-01", "2026-03-31", "2025-03-31", 17},
		{"the issue's case: 2010-04-02 is 15 on 2025-04-01", "2010-04-02", 15, "2025-04-01", "2026-03-31", "2025-04-01", 15},
		{"29 February, common year", "2008-02-29", 18, "2026-02-28", "2026-03-31", "2026-02-28", 18},
		{"29 February, leap year", "2004-02-29", 20, "2024-02-28", "2024-03-31", "2024-02-27", 19},
		{"1 January", "2007-01-01", 18, "2024-12-31", "2025-03-31", "2024-12-31", 18},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := d(tc.birth)
			assert.Equal(t, tc.reaches, ReachesAge(b, tc.n).String())
			assert.Equal(t, tc.march31, FirstMarch31AfterAge(b, tc.n).String())
			assert.Equal(t, tc.ageOnWant, StatutoryAge(b, d(tc.ageOn)))
		})
	}
	assert.Equal(t, 0, StatutoryAge(d("2025-01-01"), d("2024-12-31")), "before birth")
	assert.Equal(t, 0, StatutoryAge(d("2025-01-01"), d("2025-01-01")))
}

// StatutoryAge agrees with ReachesAge on every day around every birthday
// of several years, leap days included.
func TestStatutoryAgeAgreesWithReachesAge(t *testing.T) {
	for b := d("2003-12-25"); b.Before(d("2005-03-05")); b = b.AddDays(1) {
		for n := 1; n <= 20; n++ {
			r := ReachesAge(b, n)
			assert.Equal(t, n, StatutoryAge(b, r), "%s reaches %d on %s", b, n, r)
			assert.Equal(t, n-1, StatutoryAge(b, r.AddDays(-1)), "%s the day before reaching %d", b, n)
		}
	}
}

// StatutoryAge is the largest n with ReachesAge(birth, n) on or before
// the date (the definition, counted here by a loop): every birth date of
// four years (a leap day among them), on every day of their first three
// years, around later birthdays, and at the ends of the calendar.
func TestStatutoryAgeIsTheDefinition(t *testing.T) {
	def := func(birth, on Date) int {
		if on.Before(birth) {
			return 0
		}
		n := int(on.y) - int(birth.y) + 1
		for n > 0 && ReachesAge(birth, n).After(on) {
			n--
		}
		return n
	}
	for b := d("2003-01-01"); b.Before(d("2007-01-01")); b = b.AddDays(1) {
		for on := b.AddDays(-2); on.Before(d("2007-01-10")); on = on.AddDays(1) {
			require.Equal(t, def(b, on), StatutoryAge(b, on), "born %s on %s", b, on)
		}
		for n := 4; n <= 80; n += 7 {
			r := ReachesAge(b, n)
			for k := -2; k <= 2; k++ {
				on := r.AddDays(k)
				require.Equal(t, def(b, on), StatutoryAge(b, on), "born %s on %s", b, on)
			}
		}
	}
	for _, c := range [][2]string{{"0001-01-01", "9999-12-31"}, {"0001-01-01", "0001-01-01"}, {"0001-12-31", "9999-12-30"},
		{"2000-02-29", "9999-12-31"}, {"9999-12-31", "9999-12-31"}, {"0004-02-29", "0005-02-28"}, {"0004-02-29", "0005-03-01"}} {
		require.Equal(t, def(d(c[0]), d(c[1])), StatutoryAge(d(c[0]), d(c[1])), "born %s on %s", c[0], c[1])
	}
}

// A day back and forward is what time's calendar says, on every day of
// several years (leap years, month and year ends) and at the calendar's ends.
func TestAddDaysOneIsTheCalendar(t *testing.T) {
	viaTime := func(x Date, n int) Date { return DateOf(x.Time(nil).AddDate(0, 0, n)) }
	days := []Date{d("0001-01-01"), d("0001-01-02"), d("9999-12-31"), d("9999-12-30"), d("1900-03-01"), d("2100-03-01")}
	for x := d("1999-12-01"); x.Before(d("2005-01-10")); x = viaTime(x, 1) {
		days = append(days, x)
	}
	for _, x := range days {
		for _, n := range []int{-1, 1} {
			require.Equal(t, viaTime(x, n), x.AddDays(n), "%s %+d", x, n)
		}
	}
}

// Compare, Before and After order by year, then month, then day, on
// dates around month and year ends, the zero date and the calendar's ends.
func TestCompareIsYearMonthDay(t *testing.T) {
	def := func(a, b Date) int {
		switch {
		case a.y != b.y:
			return cmp.Compare(a.y, b.y)
		case a.m != b.m:
			return cmp.Compare(a.m, b.m)
		}
		return cmp.Compare(a.d, b.d)
	}
	ds := []Date{{}, d("0001-01-01"), d("9999-12-31"), d("9999-01-01"), d("0255-12-31"), d("0256-01-01")}
	for x := d("2023-12-25"); x.Before(d("2025-03-05")); x = x.AddDays(3) {
		ds = append(ds, x)
	}
	for _, a := range ds {
		for _, b := range ds {
			c := def(a, b)
			require.Equal(t, c, a.Compare(b), "%s %s", a, b)
			require.Equal(t, c < 0, a.Before(b), "%s %s", a, b)
			require.Equal(t, c > 0, a.After(b), "%s %s", a, b)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	assert.Equal(t, "2025-03-01", d("2025-02-28").AddDays(1).String())
	assert.Equal(t, "2024-12-31", d("2025-01-01").AddDays(-1).String())
	assert.Equal(t, 365, d("2025-01-01").DaysUntil(d("2026-01-01")))
	assert.True(t, d("2025-01-01").Before(d("2025-01-02")))
	assert.Equal(t, 0, d("2025-01-01").Compare(MustDate(2025, time.January, 1)))
	m, ok := d("2025-01-31").AddMonths(1)
	assert.True(t, ok)
	assert.Equal(t, "2025-02-28", m.String())
	m, ok = d("2024-03-31").AddMonths(-13)
	assert.True(t, ok)
	assert.Equal(t, "2023-02-28", m.String())
	_, ok = d("9999-12-01").AddMonths(1)
	assert.False(t, ok)
	assert.True(t, Date{}.IsZero())
	assert.Equal(t, "", Date{}.String())
	assert.True(t, Date{}.Time(nil).IsZero())
	assert.Equal(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), d("2025-06-01").Time(nil))
}

func TestDateText(t *testing.T) {
	var x Date
	require.NoError(t, x.UnmarshalText([]byte("2025-11-01")))
	assert.Equal(t, d("2025-11-01"), x)
	require.NoError(t, x.UnmarshalText(nil))
	assert.True(t, x.IsZero())
	assert.Error(t, x.UnmarshalText([]byte("2025/11/01")))
	b, err := json.Marshal(struct {
		A Date `json:"a"`
		B Date `json:"b"`
	}{A: d("2025-04-01")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":"2025-04-01","b":""}`, string(b))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2025-06-01", "2024-02-29", "0000-00-00", "9999-12-31", "2025-1-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if v.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, v.String())
		}
	})
}
