package income

import (
	"errors"
	"fmt"
)

// ErrYearNotCovered is matched (errors.Is) by every *YearNotCoveredError.
var ErrYearNotCovered = errors.New("income: income year not covered")

// ErrInvalidInput is matched (errors.Is) by every *InputError.
var ErrInvalidInput = errors.New("income: invalid input")

// YearNotCoveredError reports that a rule has no encoded law for the income
// year asked. The package never falls back to a neighbouring year: the caller
// (the rule engine) decides what to do, for example show "未対応" to staff.
type YearNotCoveredError struct {
	Rule  string // the rule asked, e.g. "給与所得"
	Year  int    // the income year (暦年) asked
	First int    // first covered income year
	Last  int    // last covered income year
}

func (e *YearNotCoveredError) Error() string {
	return fmt.Sprintf("income: %s: income year %d (%s) is not covered; rules are encoded for %d–%d",
		e.Rule, e.Year, YearLabel(e.Year), e.First, e.Last)
}

// Is makes errors.Is(err, ErrYearNotCovered) true.
func (e *YearNotCoveredError) Is(target error) bool { return target == ErrYearNotCovered }

// InputError reports a value the functions cannot compute with: a negative
// amount, a count out of range, a sum that would overflow int64, or a fact
// that contradicts the rule asked (e.g. 養育費 for a 扶養義務者).
type InputError struct {
	Field  string // the input field, e.g. "SalaryRevenue"
	Reason string // English, for developers
}

func (e *InputError) Error() string {
	return fmt.Sprintf("income: invalid %s: %s", e.Field, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func notCovered(rule string, year, first, last int) error {
	return &YearNotCoveredError{Rule: rule, Year: year, First: first, Last: last}
}

func checkYear(rule string, year, first, last int) error {
	if year < first || year > last {
		return notCovered(rule, year, first, last)
	}
	return nil
}

func nonNegative(field string, v int64) error {
	if v < 0 {
		return &InputError{Field: field, Reason: fmt.Sprintf("must be zero or positive yen, got %d", v)}
	}
	return nil
}

// YearLabel returns the 和暦 label of an income year, e.g. 2023 → "令和5年分".
// Years before 令和 use 平成; years before 1989 use the Western year.
func YearLabel(year int) string {
	switch {
	case year >= 2020:
		return fmt.Sprintf("令和%d年分", year-2018)
	case year == 2019:
		return "令和元年分"
	case year >= 1990:
		return fmt.Sprintf("平成%d年分", year-1988)
	case year == 1989:
		return "平成元年分"
	default:
		return fmt.Sprintf("%d年分", year)
	}
}
