// Package textwidth lays out Japanese text in a terminal: East Asian wide and
// full-width characters take two columns, everything else one. The CLI's
// screening and impact tables and the outreach report share it.
package textwidth

import (
	"strings"

	"golang.org/x/text/width"
)

// Width counts the terminal columns s takes.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// PadRight left-aligns s in w columns (spaces after it); s wider than w is
// returned as it is.
func PadRight(s string, w int) string {
	if d := w - Width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// PadLeft right-aligns s in w columns (spaces before it); s wider than w is
// returned as it is.
func PadLeft(s string, w int) string {
	if d := w - Width(s); d > 0 {
		return strings.Repeat(" ", d) + s
	}
	return s
}

// Truncate cuts s to at most w columns, marking a cut with "…" (which takes
// one column).
func Truncate(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

// Widths returns, for each column, the width of its widest cell over rows
// (rows may have different lengths).
func Widths(rows [][]string) []int {
	var ws []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(ws) {
				ws = append(ws, 0)
			}
			ws[i] = max(ws[i], Width(c))
		}
	}
	return ws
}

// Row lays out one table row in the given column widths: the first column
// left-aligned, the others right-aligned, columns separated by two spaces.
// Trailing spaces are kept, so rows line up when a later column is empty.
func Row(cells []string, widths []int) string {
	var b strings.Builder
	for i, c := range cells {
		if i == 0 {
			b.WriteString(PadRight(c, widths[0]))
			continue
		}
		b.WriteString("  ")
		b.WriteString(PadLeft(c, widths[i]))
	}
	return b.String()
}
