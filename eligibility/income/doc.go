// Package income is the income maths shared by the single-parent programmes:
// 給与所得 from 給与収入 (所得税法 別表第五 and the 給与所得控除 formula),
// 公的年金等に係る雑所得, 合計所得金額, the 所得額 of 児童扶養手当 and of the
// programmes that reuse it, 扶養親族等の数 with the limit additions, the 住民税
// non-taxable tests, and the ひとり親控除 / 寡婦控除 tests.
//
// Every function is pure and deterministic: known values in, yen out, no I/O
// and no mutable package state (the law tables are package-level values that
// are never written). The rule engine in package eligibility handles unknown
// facts before calling here and exposes these functions to CEL; this package
// imports no other onestop package.
//
// Dating. Every rule takes the income year (令和N年分 = 2018+N, a calendar
// year). A year with no encoded law returns a *YearNotCoveredError (errors.Is
// ErrYearNotCovered); nothing falls back to a neighbouring year. Each rule
// family states its covered range in exported constants (SalaryFirstYear …).
//
// Money. Amounts are int64 whole yen; sums are overflow-checked; rates use
// shopspring/decimal with the rounding the law states (給与所得 and 雑所得 cut
// down to the yen, 養育費の8割 rounded half up, 所得金額調整控除 rounded up).
// Bad input returns an *InputError (errors.Is ErrInvalidInput); nothing panics.
//
// Explanations. Each main function has two forms: X returns the value only;
// XExplained also returns the ordered []Step (Japanese label, Op, yen amount,
// legal Source with URL) that staff read, e.g. 総所得金額等, +養育費の8割, −8万円,
// −10万円, −障害者控除, = 所得額. Both forms run the same code with a nil or a
// live step collector, so they cannot disagree. Separate functions (rather
// than an options flag) keep the screening path's signature free of a slice
// it never reads and let it skip every label formatting; only the decimal
// arithmetic allocates there (see the benchmarks).
//
// Variants. The 所得額 is a Measure: ChildRearingAllowance (児童扶養手当),
// TokyoSingleParentMedical (ひとり親家庭等医療費助成) and TokyoChildUpbringing
// (児童育成手当) are presets; a local programme copies one and changes fields
// (the flat 8万, the 養育費 percentage, the 10万 adjustment, the deductions,
// whether 寡婦・ひとり親 are deducted and for whom).
//
// The figures, their sources and which of them could not be confirmed on an
// official page are listed in docs/income.md.
package income
