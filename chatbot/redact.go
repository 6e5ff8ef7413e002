package chatbot

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// PII kinds that Redact masks, with the placeholder each leaves in the text.
const (
	MaskMyNumber = "[マイナンバー]"
	MaskPhone    = "[電話番号]"
	MaskEmail    = "[メール]"
	MaskPostal   = "[郵便番号]"
	MaskNumber   = "[番号]"
	MaskName     = "[氏名]"
)

// Redactions counts what Redact masked.
type Redactions struct {
	MyNumbers, Phones, Emails, Postals, Numbers, Names int
}

// Total is the number of masked spans.
func (r Redactions) Total() int {
	return r.MyNumbers + r.Phones + r.Emails + r.Postals + r.Numbers + r.Names
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	// A digit span: digits with the separators people type inside numbers
	// (hyphens, spaces, parentheses, dots), optionally after 〒 or +.
	digitsRE = regexp.MustCompile(`(?:〒\s*|\+)?[0-9][0-9\-\s().]*[0-9]|[0-9]`)
	// Names after the phrases that introduce them. Only these explicit
	// phrases: 「私は…」 starts too many ordinary questions.
	nameRE = regexp.MustCompile(`(名前は|氏名は|名前:|氏名:|名前が|なまえは)\s*([^\s、。,.!?！？0-9]{1,12}?)(です|といいます|と申します|と言います|。|、|\s|$)`)
)

// Redact masks personal data in text before it is logged: e-mail addresses,
// My Number (12 digits whose check digit validates), phone numbers (0 and 9
// to 10 more digits, with or without hyphens or parentheses, or +81),
// postal codes (〒 or the 3-4 pattern), other runs of seven or more digits
// (accounts, cards, 12-digit numbers whose check digit fails), and a name
// introduced by 「名前は」/「氏名は」. Text is NFKC-normalised first so that
// full-width digits (０９０…) are caught; the result is the normalised,
// masked text.
func Redact(text string) (string, Redactions) {
	var rs Redactions
	s := norm.NFKC.String(text)
	s = emailRE.ReplaceAllStringFunc(s, func(string) string { rs.Emails++; return MaskEmail })
	s = digitsRE.ReplaceAllStringFunc(s, func(m string) string {
		mask := classifyDigits(m)
		switch mask {
		case MaskMyNumber:
			rs.MyNumbers++
		case MaskPhone:
			rs.Phones++
		case MaskPostal:
			rs.Postals++
		case MaskNumber:
			rs.Numbers++
		default:
			return m
		}
		// keep the whitespace that the span swallowed at its end
		return mask
	})
	s = nameRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := nameRE.FindStringSubmatch(m)
		rs.Names++
		return sub[1] + MaskName + sub[3]
	})
	return s, rs
}

// classifyDigits decides what a digit span is; "" means leave it.
func classifyDigits(m string) string {
	postalMark := strings.HasPrefix(m, "〒")
	plus := strings.HasPrefix(m, "+")
	var d []byte
	for i := 0; i < len(m); i++ {
		if m[i] >= '0' && m[i] <= '9' {
			d = append(d, m[i])
		}
	}
	n := len(d)
	switch {
	case postalMark && n == 7:
		return MaskPostal
	case n == 12 && ValidMyNumber(string(d)):
		return MaskMyNumber
	case plus && strings.HasPrefix(string(d), "81") && n >= 11 && n <= 12:
		return MaskPhone
	case d[0] == '0' && (n == 10 || n == 11):
		return MaskPhone
	case n == 7 && isPostalShape(m):
		return MaskPostal
	case n >= 7:
		return MaskNumber
	}
	return ""
}

// isPostalShape reports the 3-4 hyphenated form (123-4567).
func isPostalShape(m string) bool {
	m = strings.TrimSpace(m)
	return len(m) == 8 && m[3] == '-'
}

// ValidMyNumber reports whether s is a 12-digit 個人番号 whose check digit
// (the last digit) is right. Full-width digits are accepted.
//
// The check digit is defined by 行政手続における特定の個人を識別するための
// 番号の利用等に関する法律の規定による通知カード及び個人番号カード並びに
// 情報提供ネットワークシステムによる特定個人情報の提供等に関する省令
// (平成26年総務省令第85号) 第5条, the 算式 that 番号法施行令 第8条 refers to
// (e-Gov: https://laws.e-gov.go.jp/law/426M60000008085):
//
//	check = 11 − (Σ_{n=1..11} P_n × Q_n mod 11), and 0 when the remainder ≤ 1,
//	P_n = the n-th digit of the first 11 counted from the right,
//	Q_n = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11.
func ValidMyNumber(s string) bool {
	s = norm.NFKC.String(s)
	if len(s) != 12 {
		return false
	}
	sum := 0
	for n := 1; n <= 11; n++ {
		c := s[11-n] // n-th digit from the right of the first 11
		if c < '0' || c > '9' {
			return false
		}
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += int(c-'0') * q
	}
	last := s[11]
	if last < '0' || last > '9' {
		return false
	}
	r := sum % 11
	check := 0
	if r > 1 {
		check = 11 - r
	}
	return int(last-'0') == check
}
