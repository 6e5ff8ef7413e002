package outreach

import (
	"fmt"

	"github.com/onestop-jp/onestop/civil"
)

// Period says how often a person may be told about one programme: never
// twice in the same period (the outbox key is person, programme, period).
type Period string

// Periods.
const (
	// PeriodOnce: once ever.
	PeriodOnce Period = "once"
	// PeriodFiscalYear: once per 年度 (April to March); the default, as
	// most amounts and income limits change by fiscal year.
	PeriodFiscalYear Period = "fiscal_year"
	// PeriodCalendarYear: once per calendar year (a tax deduction claimed
	// for a year of income).
	PeriodCalendarYear Period = "calendar_year"
	// PeriodMonth: once per month.
	PeriodMonth Period = "month"
)

func (p Period) valid() bool {
	switch p {
	case PeriodOnce, PeriodFiscalYear, PeriodCalendarYear, PeriodMonth:
		return true
	}
	return false
}

// Key names the period containing the date: "once", "FY2026" (令和8年度),
// "CY2026", "2026-12".
func (p Period) Key(on civil.Date) string {
	switch p {
	case PeriodOnce:
		return "once"
	case PeriodCalendarYear:
		return fmt.Sprintf("CY%d", on.Year())
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", on.Year(), int(on.Month()))
	}
	return fmt.Sprintf("FY%d", on.FiscalYear())
}
