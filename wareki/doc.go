// Package wareki parses and formats Japanese era dates (和暦).
//
// Japanese forms, registers and legacy municipal files write dates in the
// era calendar: 令和7年4月1日, R7.4.1, R07/04/01, 平成31年4月30日 or
// 令和元年5月1日 (元年 is the first year of an era). Staff also type
// Gregorian dates (2025-04-01, 2025/4/1, 2025年4月1日), often with
// full-width digits (２０２５年４月１日) or kanji numerals (令和七年四月一日),
// and legacy exports use seven-digit era codes (5070401 = 令和7年4月1日, with
// 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和).
//
// [Parse] accepts all of these and returns a [civil.Date], onestop's one
// calendar-date type. Era boundaries are exact: an era ends the day before
// the next one starts, so 平成31年5月1日 and 令和元年4月30日 are rejected, as
// is 昭和64年1月8日. Supported eras are 大正 (from 1912-07-30), 昭和, 平成
// and 令和; 明治 dates are rejected with a clear error because the lunisolar
// calendar before 明治6年 makes them ambiguous and no living resident needs
// them.
//
// Every failure is a *[ParseError] that carries the input, the 1-based
// character column of the problem and a Japanese message for the person who
// typed it; errors.Is matches the sentinel kinds ([ErrSyntax],
// [ErrUnknownEra], [ErrOutOfEra], [ErrInvalidDate], [ErrUnsupportedEra]).
//
// [Format] writes a date in one of the common [Style]s; [String] and [Both]
// are the forms letters use. Ages, fiscal years and the date type itself are
// package civil's.
package wareki
