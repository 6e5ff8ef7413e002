package web

import (
	"strconv"

	"github.com/onestop-jp/onestop/casefile/report"
)

// Charts are inline SVG drawn on the server (no script, nothing for the
// Content-Security-Policy to allow): bars for the released counts, an "X"
// where a count was suppressed. Each chart has a text title and
// description, and the table beside it carries the same numbers for
// screen readers and for people who would rather read.

type chart struct {
	ID     string
	Title  string
	Desc   string
	Width  int
	Height int
	Bars   []chartBar
	Ticks  []chartTick
	Column bool // columns (months) or horizontal bars (categories)
	Axis   chartAxis
}

type chartBar struct {
	X, Y, W, H       int
	Label            string
	LabelX, LabelY   int
	Value            string
	ValueX, ValueY   int
	Suppressed       bool
	SuppressX, SuppY int
}

type chartTick struct {
	X1, Y1, X2, Y2 int
	Label          string
	LX, LY         int
}

type chartAxis struct {
	X1, Y1, X2, Y2 int
}

func maxCount(cells []report.Cell) int {
	m := 0
	for _, c := range cells {
		if !c.Suppressed && c.Count > m {
			m = c.Count
		}
	}
	return m
}

// niceMax rounds up to 1, 2 or 5 times a power of ten.
func niceMax(v int) int {
	if v <= 0 {
		return 1
	}
	p := 1
	for p*10 <= v {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func describe(labels []string, cells []report.Cell) string {
	s := ""
	for i, l := range labels {
		if i >= len(cells) {
			break
		}
		if s != "" {
			s += "、"
		}
		s += l + " " + cells[i].String()
	}
	return s + "（X は少数のため非表示）"
}

// tickCount divides the axis 0…top into steps of whole numbers (top is
// 1, 2 or 5 times a power of ten).
func tickCount(top int) int {
	switch {
	case top%5 == 0:
		return 5
	case top%2 == 0:
		return 2
	}
	return 1
}

// columnChart draws one column per label (the months of a fiscal year).
func columnChart(title string, labels []string, cells []report.Cell) chart {
	const left, top, plotH, colW, gap = 40, 16, 180, 36, 10
	c := chart{ID: "chart-months", Title: title, Desc: describe(labels, cells), Column: true}
	c.Width = left + len(labels)*(colW+gap) + gap
	c.Height = top + plotH + 40
	top0 := niceMax(maxCount(cells))
	base := top + plotH
	c.Axis = chartAxis{left, base, c.Width - 4, base}
	n := tickCount(top0)
	for i := 0; i <= n; i++ {
		y := base - plotH*i/n
		c.Ticks = append(c.Ticks, chartTick{X1: left, Y1: y, X2: c.Width - 4, Y2: y, Label: strconv.Itoa(top0 * i / n), LX: left - 6, LY: y + 4})
	}
	for i, l := range labels {
		x := left + gap + i*(colW+gap)
		b := chartBar{X: x, W: colW, Label: l, LabelX: x + colW/2, LabelY: base + 18}
		if i < len(cells) && cells[i].Suppressed {
			b.Suppressed, b.SuppressX, b.SuppY = true, x+colW/2, base-6
		} else if i < len(cells) {
			b.H = plotH * cells[i].Count / top0
			b.Y = base - b.H
			b.Value, b.ValueX, b.ValueY = strconv.Itoa(cells[i].Count), x+colW/2, b.Y-4
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// barChart draws one horizontal bar per label (the topics).
func barChart(title string, labels []string, cells []report.Cell) chart {
	const left, top, barH, gap, plotW = 150, 10, 22, 8, 420
	c := chart{ID: "chart-topics", Title: title, Desc: describe(labels, cells)}
	c.Width = left + plotW + 60
	c.Height = top + len(labels)*(barH+gap) + 10
	top0 := niceMax(maxCount(cells))
	c.Axis = chartAxis{left, top, left, c.Height - 6}
	for i, l := range labels {
		y := top + i*(barH+gap)
		b := chartBar{X: left, Y: y, H: barH, Label: l, LabelX: left - 8, LabelY: y + barH/2 + 5}
		if i < len(cells) && cells[i].Suppressed {
			b.Suppressed, b.SuppressX, b.SuppY = true, left+12, y+barH/2+5
		} else if i < len(cells) {
			b.W = plotW * cells[i].Count / top0
			b.Value, b.ValueX, b.ValueY = strconv.Itoa(cells[i].Count), left+b.W+6, y+barH/2+5
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
