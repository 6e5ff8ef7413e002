// Package civil holds the one calendar-date type of onestop and the
// calendar rules Japanese statutes apply to it.
//
// A Date is a day of the Gregorian calendar (暦日) with no time of day and
// no zone: a birth date, the date a household is screened for (基準日), the
// day a case is opened. Its zero value means "no date". It is a small value
// (comparable, usable as a map key), written YYYY-MM-DD in JSON and text.
// 和暦 input and output (令和7年4月1日) live in package wareki, which reads
// into and formats this type.
//
// The rules:
//
//   - Age (年齢) is counted as 年齢計算ニ関スル法律 (明治35年法律第50号)
//     and 民法 第143条 count it: from the day of birth, a person reaches an
//     age at the end of the day before the birthday, so on that day the new
//     age applies. StatutoryAge, ReachesAge and FirstMarch31AfterAge follow
//     it. (This is why a child born on 1 April belongs to the school year
//     before one born on 2 April.) There is no other age function in
//     onestop.
//   - School years (学年) follow from it: a child enters elementary school
//     in the first school year beginning after the day of reaching 6
//     (学校教育法 第17条), so the 1 April children are in the class before
//     the 2 April children (ElementaryEntryYear, SchoolGrade).
//   - The fiscal year (年度) runs from 1 April to 31 March and is named by
//     the year it starts in (FiscalYear, EndOfFiscalYear).
package civil
