package impact

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/onestop-jp/onestop/eligibility"
)

// The chart: for each income band and each household size, a bar of the
// households that gain and one of those that lose, with the monthly cost
// difference beside them. Written by hand (no chart library): SVG 1.1,
// text in Japanese, readable without colour (each bar is labelled).

const (
	svgWidth   = 760
	svgLabelW  = 190 // group labels
	svgBarW    = 360 // the longest bar
	svgRowH    = 34
	svgBarH    = 12
	svgTitleH  = 30
	svgPad     = 16
	colourGain = "#2b8a3e"
	colourLose = "#c92a2a"
)

// WriteSVG writes the distribution of the changes as an SVG chart.
func (r *Report) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	panels := []struct {
		title  string
		groups []Group
	}{
		{"所得階級別（" + r.IncomeLabel + "）", r.ByIncome},
		{"世帯人数別", r.BySize},
	}
	height := svgPad + 24 + 28 // title and legend
	for _, p := range panels {
		height += svgTitleH + len(p.groups)*svgRowH + svgPad
	}
	most := 1
	for _, p := range panels {
		for _, g := range p.groups {
			most = max(most, g.Gaining, g.Losing)
		}
	}
	title := fmt.Sprintf("改正による変化（基準日 %s、%s 世帯）", r.AsOf, count(r.Households))
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12" role="img">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(title))
	fmt.Fprintf(&b, "<desc>%s</desc>\n", esc(fmt.Sprintf("受給が増える世帯 %s、減る世帯 %s、変化のある世帯 %s。月額の差 %s、年額換算の差 %s。",
		count(r.Gaining), count(r.Losing), count(r.Changed), signedYen(r.Cost.Monthly), signedYen(r.Cost.Yearly))))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, height)
	y := svgPad + 14
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="15" font-weight="bold">%s</text>`+"\n", svgPad, y, esc(title))
	y += 22
	legend := func(x int, colour, label string) {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="10" fill="%s"/>`+"\n", x, y-9, colour)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", x+20, y, esc(label))
	}
	legend(svgPad, colourGain, "受給が増える世帯（対象になる・増額）")
	legend(svgPad+280, colourLose, "受給が減る世帯（対象外になる・減額）")
	y += 6
	for _, p := range panels {
		y += svgTitleH
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" font-weight="bold">%s</text>`+"\n", svgPad, y-10, esc(p.title))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#868e96"/>`+"\n", svgLabelW, y-4, svgLabelW, y+len(p.groups)*svgRowH-4)
		for _, g := range p.groups {
			fmt.Fprintf(&b, `<g><text x="%d" y="%d" text-anchor="end">%s</text>`, svgLabelW-8, y+svgBarH+2, esc(g.Label))
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#495057" font-size="10">%s世帯</text>`, svgLabelW-8, y+2*svgBarH+4, count(g.Households))
			bar := func(top, n int, colour, what string) {
				l := n * svgBarW / most
				if n > 0 {
					l = max(l, 1)
				}
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s</title></rect>`,
					svgLabelW, top, l, svgBarH, colour, esc(fmt.Sprintf("%s %s: %s世帯", g.Label, what, count(n))))
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10">%s</text>`, svgLabelW+l+4, top+svgBarH-2, count(n))
			}
			bar(y, g.Gaining, colourGain, "受給が増える")
			bar(y+svgBarH+2, g.Losing, colourLose, "受給が減る")
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="11">月額 %s</text></g>`+"\n", svgWidth-svgPad, y+svgBarH+2, esc(signedYen(g.Cost.Monthly)))
			y += svgRowH
		}
		y += svgPad
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// esc escapes text for XML.
func esc(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return ""
	}
	return b.String()
}

// count writes a number with thousands separators.
func count(n int) string { return strings.TrimSuffix(eligibility.FormatYen(int64(n)), "円") }

// signedYen writes a difference of yen with its sign: +1,234円, −560円, 0円.
func signedYen(v int64) string {
	if v > 0 {
		return "+" + eligibility.FormatYen(v)
	}
	return eligibility.FormatYen(v)
}
