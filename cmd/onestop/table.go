package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/textwidth"
	"github.com/onestop-jp/onestop/wareki"
)

// tableWriter renders screenings as a Japanese table for people.
type tableWriter struct {
	explain bool
}

// dateLabel writes a date in both calendars: 2025-06-01（令和7年6月1日）.
func dateLabel(d civil.Date) string {
	w, err := wareki.Format(d, wareki.Kanji)
	if err != nil {
		return d.String()
	}
	return d.String() + "（" + w + "）"
}

// appendTable appends the table of one screening to dst.
func (t *tableWriter) appendTable(dst []byte, s *eligibility.Screening) []byte {
	var b strings.Builder
	id := s.HouseholdID
	if id == "" {
		id = "（IDなし）"
	}
	fmt.Fprintf(&b, "世帯 %s　基準日 %s　ルール %s %s\n", id, dateLabel(s.AsOf), s.Pack.ID, s.Pack.Version)
	nameW := textwidth.Width("制度")
	for _, o := range s.Results {
		nameW = max(nameW, min(textwidth.Width(o.Name), 30))
	}
	const statusW = 8
	amountW := textwidth.Width("金額")
	for _, o := range s.Results {
		amountW = max(amountW, textwidth.Width(amountText(o)))
	}
	fmt.Fprintf(&b, "  %s  %s  %s  %s\n", textwidth.PadRight("制度", nameW), textwidth.PadRight("判定", statusW), textwidth.PadRight("金額", amountW), "理由・確認が必要なこと")
	var notes []string
	for _, o := range s.Results {
		amount := amountText(o)
		reason := reasonSummary(o)
		if o.Kind == eligibility.KindReferral && o.Status != eligibility.Ineligible {
			reason = "申請の案内: 判定は実施機関の審査による。" + reason
		}
		fmt.Fprintf(&b, "  %s  %s  %s  %s\n", textwidth.PadRight(textwidth.Truncate(o.Name, nameW), nameW), textwidth.PadRight(o.Status.Label(), statusW), textwidth.PadRight(amount, amountW), reason)
		// Several parameters of a programme often carry the same warning
		// (every FY2026 amount is carried forward): say it once.
		seen := map[string]bool{}
		for _, w := range o.Warnings {
			if !seen[w.Message] {
				seen[w.Message] = true
				notes = append(notes, fmt.Sprintf("注意（%s）: %s", o.Name, w.Message))
			}
		}
		if o.Error != nil {
			notes = append(notes, fmt.Sprintf("ルールの誤り（%s）: %s", o.Name, o.Error.Error()))
		}
	}
	for _, n := range notes {
		b.WriteString("  " + n + "\n")
	}
	if t.explain {
		for _, o := range s.Results {
			writeExplanation(&b, o)
		}
	}
	b.WriteByte('\n')
	return append(dst, b.String()...)
}

// reasonSummary is the last column: why not eligible, or what to ask.
func reasonSummary(o eligibility.Outcome) string {
	switch o.Status {
	case eligibility.Ineligible:
		var rs []string
		for _, c := range o.Conditions {
			if c.Result != nil && !*c.Result {
				rs = append(rs, "満たさない: "+c.Reason)
			}
		}
		return strings.Join(rs, " / ")
	case eligibility.Undetermined:
		if o.Error != nil {
			return "ルールを評価できませんでした（下の注記を参照）"
		}
		var labels []string
		for _, m := range o.Missing {
			labels = append(labels, m.Label)
		}
		const show = 3
		extra := ""
		if len(labels) > show {
			extra = fmt.Sprintf(" ほか%d件", len(labels)-show)
			labels = labels[:show]
		}
		return "要確認: " + strings.Join(labels, "、") + extra
	}
	if len(o.Missing) > 0 {
		var labels []string
		for _, m := range o.Missing {
			labels = append(labels, m.Label)
		}
		return "金額の計算に要確認: " + strings.Join(labels, "、")
	}
	return ""
}

func mark(r *bool) string {
	switch {
	case r == nil:
		return "？"
	case *r:
		return "○"
	}
	return "×"
}

func writeExplanation(b *strings.Builder, o eligibility.Outcome) {
	fmt.Fprintf(b, "\n  ■ %s（%s）: %s［%s］", o.Name, o.Program, o.Status.Label(), o.Kind.Label())
	if o.Amount != nil {
		fmt.Fprintf(b, "　%s", o.Amount)
	}
	b.WriteByte('\n')
	for _, c := range o.Conditions {
		fmt.Fprintf(b, "    %s %s\n", mark(c.Result), c.Reason)
		if c.Explanation != "" {
			fmt.Fprintf(b, "        %s\n", c.Explanation)
		}
		for _, m := range c.Missing {
			fmt.Fprintf(b, "        不足: %s（%s）\n", m.Label, m.Path)
		}
	}
	if len(o.Values) > 0 {
		b.WriteString("    計算の途中の値:\n")
		for _, v := range o.Values {
			desc := ""
			if v.Description != "" {
				desc = "（" + v.Description + "）"
			}
			fmt.Fprintf(b, "      %s = %s%s\n", v.Name, valueText(v.Value), desc)
		}
	}
	for _, bd := range o.Breakdowns {
		fmt.Fprintf(b, "    %s:\n", bd.Title)
		for _, st := range bd.Steps {
			op := st.Op
			if op == "" {
				op = " "
			}
			amount := eligibility.FormatYen(st.Yen)
			if st.Unit != "" {
				amount = fmt.Sprintf("%d%s", st.Yen, st.Unit)
			}
			fmt.Fprintf(b, "      %s %s %s\n", op, textwidth.PadRight(st.Label, 36), amount)
		}
	}
	if len(o.Parameters) > 0 {
		b.WriteString("    使ったパラメータ:\n")
		for _, p := range o.Parameters {
			flags := ""
			if p.CarriedForward {
				flags += "［前年度の値を使用］"
			}
			if p.PastReview {
				flags += "［見直し期限切れ］"
			}
			fmt.Fprintf(b, "      %s = %s（%s から）%s\n        出典: %s\n", p.Title, valueText(p.Value), p.From, flags, p.Source)
		}
	}
	for _, s := range o.Sources {
		if s.URL != "" {
			fmt.Fprintf(b, "    根拠: %s %s\n", s.Title, s.URL)
		} else {
			fmt.Fprintf(b, "    根拠: %s\n", s.Title)
		}
	}
}

func valueText(v any) string {
	switch t := v.(type) {
	case nil:
		return "（不明）"
	case int64:
		if t >= 10000 || t <= -10000 {
			// Amounts in yen are easier to read with separators.
			return strings.TrimSuffix(eligibility.FormatYen(t), "円")
		}
		return fmt.Sprintf("%d", t)
	case bool:
		if t {
			return "はい"
		}
		return "いいえ"
	case string:
		if id, ok := strings.CutPrefix(t, "member:"); ok {
			return "世帯員 " + id
		}
		if utf8.RuneCountInString(t) > 60 {
			return textwidth.Truncate(t, 60)
		}
		return t
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = valueText(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+"="+valueText(t[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// amountText is the amount column: the amount, marked 目安 for an estimate.
func amountText(o eligibility.Outcome) string {
	if o.Amount == nil {
		return "-"
	}
	if o.Kind == eligibility.KindEstimate {
		return o.Amount.String() + "（目安）"
	}
	return o.Amount.String()
}
