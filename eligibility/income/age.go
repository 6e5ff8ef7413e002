package income

import "github.com/onestop-jp/onestop/civil"

// AgeAtYearEnd returns the age on 31 December of the income year, the day on
// which tax law judges 扶養親族 categories and the 65-year band of 公的年金等控除
// (所得税法 第85条第3項). Age is the statutory age (civil.StatutoryAge): a
// person born on 1 January reaches 65 on 31 December of the year before the
// 65th birthday, which is why tax pages say "65歳以上: 昭和32年1月1日以前生まれ"
// for 令和3年分.
func AgeAtYearEnd(birth civil.Date, year int) int {
	return civil.StatutoryAge(birth, civil.MustDate(year, 12, 31))
}
