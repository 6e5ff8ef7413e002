package wareki

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strings"
)

// Style selects how Format writes a date.
type Style int

const (
	// Kanji writes 令和7年4月1日, with 元年 for the first year.
	Kanji Style = iota
	// KanjiNumeric writes 令和1年5月1日: like Kanji but never 元年, for
	// systems that cannot store 元.
	KanjiNumeric
	// Short writes R7.4.1.
	Short
	// Padded writes R07/04/01, the fixed-width form of many ledgers.
	Padded
	// Legacy writes the seven-digit era code form 5070401.
	Legacy
	// ISO writes 2025-04-01.
	ISO
	// Japanese writes the Gregorian date as 2025年4月1日.
	Japanese
)

// Format writes d in style s. Era styles fail for dates before 大正.
func Format(d civil.Date, s Style) (string, error) {
	if d.IsZero() {
		return "", fmt.Errorf("wareki: format the zero date: %w", ErrInvalidDate)
	}
	switch s {
	case ISO:
		return d.String(), nil
	case Japanese:
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day()), nil
	}
	era, y, ok := EraOf(d)
	if !ok {
		return "", fmt.Errorf("wareki: %s is before 大正: %w", d, ErrUnsupportedEra)
	}
	switch s {
	case Kanji:
		return fmt.Sprintf("%s%s%d月%d日", era.Name, yearText(y), int(d.Month()), d.Day()), nil
	case KanjiNumeric:
		return fmt.Sprintf("%s%d年%d月%d日", era.Name, y, int(d.Month()), d.Day()), nil
	case Short:
		return fmt.Sprintf("%c%d.%d.%d", era.Letter, y, int(d.Month()), d.Day()), nil
	case Padded:
		return fmt.Sprintf("%c%02d/%02d/%02d", era.Letter, y, int(d.Month()), d.Day()), nil
	case Legacy:
		if y > 99 {
			return "", fmt.Errorf("wareki: %s%d年 does not fit the seven-digit form: %w", era.Name, y, ErrOutOfEra)
		}
		return fmt.Sprintf("%d%02d%02d%02d", era.Code, y, int(d.Month()), d.Day()), nil
	}
	return "", fmt.Errorf("wareki: unknown style %d", int(s))
}

// String returns d as 令和7年4月1日, the ISO form for dates before 大正, and
// "" for the zero date.
func String(d civil.Date) string {
	s, err := Format(d, Kanji)
	if err != nil {
		return d.String()
	}
	return s
}

// Both returns "令和7年4月1日（2025年4月1日）", the form letters to
// residents use when both calendars are wanted.
func Both(d civil.Date) string {
	var b strings.Builder
	b.WriteString(String(d))
	j, _ := Format(d, Japanese)
	if j != b.String() {
		b.WriteString("（" + j + "）")
	}
	return b.String()
}
