package civil

import "time"

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

// ReachesAge returns the date on which a person born on birth reaches age
// n (n歳に達する日). Under 年齢計算ニ関スル法律 (明治35年法律第50号) age is
// counted from the day of birth and, by 民法 第143条, a year ends on the day
// before the birthday: a person reaches n on the day before the n-th
// birthday. Someone born on 1 April reaches each age on 31 March, which is
// why they belong to the earlier school year. n must leave the result
// within years 1–9999.
func ReachesAge(birth Date, n int) Date { return birth.anniversaryEve(n) }

// StatutoryAge returns the age of a person born on birth, on the date on,
// counted as statutes count it (年齢計算ニ関スル法律): the age goes up on the
// day before each birthday (see ReachesAge). Born 2010-04-02, the person is
// 15 on 2025-04-01. It returns 0 before the birth date itself.
func StatutoryAge(birth, on Date) int {
	if on.Before(birth) {
		return 0
	}
	// The age goes up on the day before each birthday: on on, the age is
	// the number of birthdays up to the day after. A 29 February birthday
	// compares as itself: in a common year the day after reaches it only
	// on 1 March, the day after its eve (28 February, anniversaryEve).
	y, m, d := int(on.y), on.m, on.d+1
	if int(d) > DaysIn(y, time.Month(m)) {
		d, m = 1, m+1
		if m > 12 {
			m, y = 1, y+1
		}
	}
	n := y - int(birth.y)
	if m < birth.m || (m == birth.m && d < birth.d) {
		n--
	}
	return n
}

// FirstMarch31AfterAge returns the first 31 March on or after the day a
// person born on birth reaches age n (n歳に達する日以後の最初の3月31日), the
// end of the school year in which they reach n — the limit of 児童扶養手当法
// 第3条 and 児童手当法 第3条 for age 18.
func FirstMarch31AfterAge(birth Date, n int) Date {
	r := ReachesAge(birth, n)
	m31 := Date{r.y, 3, 31}
	if r.After(m31) {
		m31.y++
	}
	return m31
}
