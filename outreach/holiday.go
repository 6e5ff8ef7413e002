package outreach

import (
	"time"

	"github.com/onestop-jp/onestop/civil"
)

// Japanese national holidays (国民の祝日), for "平日" and "祝日" in the safe
// times people give. 国民の祝日に関する法律 (昭和23年法律第178号) as amended
// through 2018, with the days moved for the Tokyo Olympics in 2020 and 2021
// (平成30年法律第57号, 令和2年法律第68号) and the days of the 2019
// enthronement (平成30年法律第99号):
// https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html
// 春分の日 and 秋分の日 are fixed each February in the 官報 from the
// astronomical equinox; the usual formula below agrees with the published
// dates for 1980–2099.

// isHoliday reports whether d is a national holiday, a 振替休日 or a 国民の休日.
func isHoliday(d civil.Date) bool {
	if namedHoliday(d) {
		return true
	}
	// 振替休日 (第3条第2項, since 2007): a holiday on a Sunday moves to the
	// next day that is not a holiday.
	for back := 1; back <= 7; back++ {
		p := d.AddDays(-back)
		if !namedHoliday(p) {
			break
		}
		if weekday(p) == time.Sunday {
			return true
		}
	}
	// 国民の休日 (第3条第3項): a day between two holidays.
	if weekday(d) != time.Sunday && namedHoliday(d.AddDays(-1)) && namedHoliday(d.AddDays(1)) {
		return true
	}
	return false
}

func weekday(d civil.Date) time.Weekday { return d.Time(time.UTC).Weekday() }

// nthMonday returns the day of the n-th Monday of month m of year y.
func nthMonday(y int, m time.Month, n int) int {
	first := weekday(civil.MustDate(y, m, 1))
	off := (int(time.Monday) - int(first) + 7) % 7
	return 1 + off + 7*(n-1)
}

// equinoxDay returns the day of 春分 (spring) or 秋分 in March / September.
func equinoxDay(y int, spring bool) int {
	base := 20843100 // 20.8431 × 10⁶
	if !spring {
		base = 23248800 // 23.2488 × 10⁶
	}
	k := y - 1980
	return (base+242194*k)/1000000 - k/4
}

// namedHoliday reports the holidays the law names (not 振替・国民の休日).
func namedHoliday(d civil.Date) bool {
	y, m, day := d.Year(), d.Month(), d.Day()
	switch y {
	case 2019:
		switch {
		case m == time.May && (day == 1 || day == 2) || m == time.April && day == 30 || m == time.October && day == 22:
			return true // 天皇の即位の日, 即位礼正殿の儀 and the days between
		}
	case 2020:
		switch {
		case m == time.July && (day == 23 || day == 24), m == time.August && day == 10:
			return true
		case m == time.July && day == nthMonday(y, time.July, 3), m == time.August && day == 11, m == time.October && day == nthMonday(y, time.October, 2):
			return false
		}
	case 2021:
		switch {
		case m == time.July && (day == 22 || day == 23), m == time.August && day == 8:
			return true
		case m == time.July && day == nthMonday(y, time.July, 3), m == time.August && day == 11, m == time.October && day == nthMonday(y, time.October, 2):
			return false
		}
	}
	switch m {
	case time.January:
		return day == 1 || day == nthMonday(y, m, 2) // 元日, 成人の日
	case time.February:
		return day == 11 || y >= 2020 && day == 23 // 建国記念の日, 天皇誕生日
	case time.March:
		return day == equinoxDay(y, true) // 春分の日
	case time.April:
		return day == 29 // 昭和の日
	case time.May:
		return day == 3 || day == 4 || day == 5 // 憲法記念日, みどりの日, こどもの日
	case time.July:
		return day == nthMonday(y, m, 3) // 海の日
	case time.August:
		return y >= 2016 && day == 11 // 山の日
	case time.September:
		return day == nthMonday(y, m, 3) || day == equinoxDay(y, false) // 敬老の日, 秋分の日
	case time.October:
		return day == nthMonday(y, m, 2) // スポーツの日
	case time.November:
		return day == 3 || day == 23 // 文化の日, 勤労感謝の日
	case time.December:
		return y <= 2018 && day == 23 // 天皇誕生日 (平成)
	}
	return false
}
