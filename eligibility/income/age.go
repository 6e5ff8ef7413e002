package income

import "time"

// AgeOn returns the age of a person born on birth, on the calendar day on.
// Japanese law counts age from the day of birth (年齢計算ニ関スル法律) and a
// person reaches each age at the end of the day before the birthday, so on
// that day the new age already applies (民法 第143条). For example, a person
// born on 1 January reaches 65 on 31 December of the year before the 65th
// birthday, which is why tax pages say "65歳以上: 昭和32年1月1日以前生まれ" for
// 令和3年分. A person born on 29 February reaches each age on 28 February.
//
// Only the year, month and day of each time.Time are used (in their own
// location). The result is negative when on is before the day before birth.
func AgeOn(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	// The day after `on`: the ordinary birthday rule applied to it gives the
	// legal age on `on`.
	ny, nm, nd := time.Date(on.Year(), on.Month(), on.Day()+1, 0, 0, 0, 0, time.UTC).Date()
	age := ny - by
	if nm < bm || (nm == bm && nd < bd) {
		age--
	}
	return age
}

// AgeAtYearEnd returns the age on 31 December of the income year, the day on
// which tax law judges 扶養親族 categories and the 65-year band of 公的年金等控除.
func AgeAtYearEnd(birth time.Time, year int) int {
	return AgeOn(birth, time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC))
}

// bornBy reports whether a person born on birth is alive (born) on the day on.
func bornBy(birth, on time.Time) bool {
	by, bm, bd := birth.Date()
	oy, om, od := on.Date()
	if by != oy {
		return by < oy
	}
	if bm != om {
		return bm < om
	}
	return bd <= od
}
