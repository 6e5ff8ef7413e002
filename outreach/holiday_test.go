package outreach

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/onestop-jp/onestop/civil"
)

// The Cabinet Office's lists (https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html).
var officialHolidays = map[int][]string{
	2019: {"01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05", "05-06", "07-15",
		"08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23"},
	2020: {"01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-23", "07-24",
		"08-10", "09-21", "09-22", "11-03", "11-23"},
	2021: {"01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23", "08-08", "08-09",
		"09-20", "09-23", "11-03", "11-23"},
	2025: {"01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-21", "08-11",
		"09-15", "09-23", "10-13", "11-03", "11-23", "11-24"},
	2026: {"01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20", "08-11", "09-21",
		"09-22", "09-23", "10-12", "11-03", "11-23"},
	2027: {"01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19", "08-11", "09-20",
		"09-23", "10-11", "11-03", "11-23"},
}

func TestHolidays(t *testing.T) {
	for y, days := range officialHolidays {
		want := map[string]bool{}
		for _, d := range days {
			want[d] = true
		}
		for d := civil.MustDate(y, 1, 1); d.Year() == y; d = d.AddDays(1) {
			md := d.String()[5:]
			assert.Equal(t, want[md], isHoliday(d), "%s", d)
		}
	}
}

func TestEquinoxFormula(t *testing.T) {
	// 春分・秋分 as published for the years around today.
	for y, want := range map[int][2]int{2024: {20, 22}, 2025: {20, 23}, 2026: {20, 23}, 2027: {21, 23}, 2028: {20, 22}, 2030: {20, 23}} {
		assert.Equal(t, want[0], equinoxDay(y, true), "%d spring", y)
		assert.Equal(t, want[1], equinoxDay(y, false), "%d autumn", y)
	}
	assert.Equal(t, time.Monday, weekday(civil.MustDate(2026, 12, 7)))
}
