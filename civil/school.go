package civil

// ElementaryEntryYear returns the fiscal year (年度) in which a child born
// on birth enters elementary school (小学校に入学する年度): the first
// school year that begins after the day the child reaches age 6 (学校教育法
// 第17条第1項 "満六歳に達した日の翌日以後における最初の学年の初め"; the
// school year begins on 1 April, 学校教育法施行規則 第59条). Because a
// child reaches an age on the day before the birthday (ReachesAge), a
// child born on 1 April enters a year before one born on 2 April: born
// 2019-04-01 → 2025, born 2019-04-02 → 2026. Writing
// age_on(date(fy, 4, 1)) == 6 gets the 1 April children wrong.
func ElementaryEntryYear(birth Date) int { return ReachesAge(birth, 6).FiscalYear() + 1 }

// SchoolGrade returns the school grade (学年) by date of birth of a child
// born on birth, on the date on, counted from the first year of
// elementary school: 1–6 小学1〜6年, 7–9 中学1〜3年, 10–12 高校1〜3年 (for a
// child on the ordinary course); 0 in the school year before entry (年長),
// negative before that. It is the grade of the child's age cohort (学齢),
// not of enrolment: a child whose entry was deferred (就学猶予) is in a
// lower grade.
func SchoolGrade(birth, on Date) int { return on.FiscalYear() - ElementaryEntryYear(birth) + 1 }
