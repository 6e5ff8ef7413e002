package forms

import (
	"fmt"
	"io"
	"strings"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

// display says a normalised answer in Japanese, as a printed form shows it.
func display(n *node, v *value) string {
	label := func(val string) string {
		for _, c := range n.f.Choices {
			if c.Value == val {
				return c.Label
			}
		}
		return val
	}
	switch n.typ {
	case TypeBool, TypeConsent:
		if v.b {
			return "はい"
		}
		return "いいえ"
	case TypeChoice:
		return label(v.s)
	case TypeChoices:
		parts := make([]string, len(v.ss))
		for i, s := range v.ss {
			parts[i] = label(s)
		}
		return strings.Join(parts, "、")
	case TypeYen:
		return eligibility.FormatYen(v.n)
	case TypeInt:
		return fmt.Sprint(v.n)
	case TypeDate:
		var d civil.Date
		if d.UnmarshalText([]byte(v.s)) == nil {
			return wareki.Both(d)
		}
	case TypePostal:
		if len(v.s) == 7 {
			return "〒" + v.s[:3] + "-" + v.s[3:]
		}
	}
	return v.s
}

// Summary is the application as a printable Japanese text: each section
// with its items, what was copied from the record and what the family
// still enters, and why.
func (a *Application) Summary() string {
	var b strings.Builder
	_ = a.WriteSummary(&b)
	return b.String()
}

// WriteSummary writes Summary to w.
func (a *Application) WriteSummary(w io.Writer) error {
	var b strings.Builder
	date := a.Date
	var d civil.Date
	if d.UnmarshalText([]byte(a.Date)) == nil {
		date = wareki.Both(d)
	}
	fmt.Fprintf(&b, "%s（オンライン申請）\n", a.Title)
	fmt.Fprintf(&b, "提出先　%s\n", a.Application.Recipient.Name)
	fmt.Fprintf(&b, "作成日　%s\n", date)
	if a.Application.LegalBasis != "" {
		fmt.Fprintf(&b, "根拠　　%s\n", a.Application.LegalBasis)
	}
	fmt.Fprintf(&b, "記録から転記した項目 %d　入力していただく項目 %d\n", a.Filled, a.ToEnter)
	section := ""
	for _, it := range a.Items {
		if it.Section != section {
			section = it.Section
			fmt.Fprintf(&b, "\n■ %s\n", section)
		}
		mark := ""
		if it.Required {
			mark = "（必須）"
		}
		if it.Status == ItemFilled {
			fmt.Fprintf(&b, "　%s%s：%s\n", it.Label, mark, it.Display)
			continue
		}
		fmt.Fprintf(&b, "　%s%s：＿＿＿＿＿＿＿＿　※%s\n", it.Label, mark, it.Note)
	}
	b.WriteString("\n記録から転記した内容は、オンライン申請での転記へのご本人の同意に基づいて提供されたものです。\n")
	b.WriteString("違っているところは直してから提出してください。\n")
	_, err := io.WriteString(w, b.String())
	return err
}
