package forms

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/wareki"
)

// Normalisation turns what a person typed into the form Check keeps, before
// validation: full-width digits and letters become ASCII, half-width
// katakana becomes full-width (NFKC, width folding), spaces are tidied,
// the many dashes and long-vowel marks people type in phone numbers and
// postal codes become one hyphen, 和暦 dates become dates, and amounts
// written with 万 and 千 become yen. A value that cannot be normalised is
// kept as typed (folded) so that validation reports it in words.

// isSpace reports the spaces people type: ASCII, ideographic (全角スペース),
// no-break and tabs.
func isSpace(r rune) bool {
	return r == ' ' || r == '\u3000' || r == '\u00a0' || r == '\t' || unicode.IsSpace(r)
}

// tidySpaces trims s and turns every run of spaces into one ASCII space.
func tidySpaces(s string) string {
	if !needsTidy(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func needsTidy(s string) bool {
	prevSpace := true // a leading space needs trimming
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return true // cheap test: non-ASCII may hold a wide space
		}
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp && (prevSpace || c != ' ') {
			return true
		}
		prevSpace = sp
	}
	return prevSpace && len(s) > 0
}

// isASCII reports whether s has only ASCII bytes (no folding needed).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// nfkc applies NFKC, which also folds full-width ASCII and half-width
// katakana. Text already in NFKC (most of what people type) is returned
// as it is, without a copy.
func nfkc(s string) string {
	if isASCII(s) || norm.NFKC.QuickSpanString(s) == len(s) {
		return s
	}
	return norm.NFKC.String(s)
}

// foldWidth folds full-width ASCII to ASCII and half-width katakana to
// full-width, leaving every other character (kanji in names) as written.
func foldWidth(s string) string {
	if isASCII(s) || !hasWidthForms(s) {
		return s
	}
	return width.Fold.String(s)
}

// hasWidthForms reports whether s holds a character width folding changes:
// the Halfwidth and Fullwidth Forms block (Ｕ+FF01–U+FFEE).
func hasWidthForms(s string) bool {
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFFEE {
			return true
		}
	}
	return false
}

// normText is free text on one line: width folded, spaces tidied.
func normText(s string) string { return tidySpaces(foldWidth(s)) }

// normMultiline is free text on several lines: width folded, line ends
// unified, trailing spaces of each line and blank lines at the ends
// removed.
func normMultiline(s string) string {
	s = strings.ReplaceAll(foldWidth(s), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, isSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// isDash reports the characters people type for a hyphen in numbers:
// ASCII hyphen-minus, the Unicode hyphens and dashes, the minus sign, the
// full-width hyphen, and the long-vowel marks ー and ｰ (an IME often gives
// ー when the person meant -), and the wave dash.
func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uff0d', '\u30fc', '\uff70', '\u2500', '\u301c', '\uff5e', '\u02d7', '\u2043', '\ufe63':
		return true
	}
	return false
}

// normPostal keeps the digits of a postal code: 〒１００ー０００１ → 1000001.
func normPostal(s string) string {
	s = nfkc(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '〒' || isSpace(r) || isDash(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normPhone tidies a phone number: full-width digits, dashes and
// long-vowel marks, parentheses and spaces become ASCII digits separated by
// single hyphens where the person separated them (０９０－１２３４－５６７８ →
// 090-1234-5678, 03(1234)5678 → 03-1234-5678); +81 becomes the domestic 0.
// A number typed without separators keeps its digits, except mobile, IP
// and free-dial numbers, whose grouping is fixed (09012345678 →
// 090-1234-5678).
func normPhone(s string) string {
	s = strings.TrimSpace(nfkc(s))
	var b strings.Builder
	sep := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case isSpace(r) || isDash(r) || r == '(' || r == ')' || r == '.':
			sep = true
		default:
			return tidySpaces(s) // not a phone number: validation says so
		}
	}
	out := b.String()
	if strings.HasPrefix(out, "+81") {
		rest := strings.TrimPrefix(strings.TrimPrefix(out, "+81"), "-")
		if !strings.HasPrefix(rest, "0") {
			rest = "0" + rest
		}
		out = rest
	}
	if strings.ContainsRune(out, '-') {
		return out
	}
	switch {
	case len(out) == 11 && (strings.HasPrefix(out, "090") || strings.HasPrefix(out, "080") || strings.HasPrefix(out, "070") || strings.HasPrefix(out, "050")):
		return out[:3] + "-" + out[3:7] + "-" + out[7:]
	case len(out) == 10 && strings.HasPrefix(out, "0120"):
		return out[:4] + "-" + out[4:7] + "-" + out[7:]
	case len(out) == 11 && strings.HasPrefix(out, "0800"):
		return out[:4] + "-" + out[4:7] + "-" + out[7:]
	}
	return out
}

// phoneDigits returns the digits of a normalised phone number, or "" if
// it holds anything but digits and hyphens.
func phoneDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '-':
		default:
			return ""
		}
	}
	return b.String()
}

// normDigits keeps the digits of a code (全国地方公共団体コード).
func normDigits(s string) string {
	s = nfkc(s)
	var b strings.Builder
	for _, r := range s {
		if !isSpace(r) && !isDash(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normKana turns a reading into full-width katakana: ｶﾀｶﾅ and hiragana
// become カタカナ, a hyphen or dash after a kana becomes the long-vowel
// mark ー, and spaces are tidied.
func normKana(s string) string {
	s = nfkc(s)
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for _, r := range s {
		switch {
		case r >= 'ぁ' && r <= 'ゖ', r == 'ゝ' || r == 'ゞ':
			r += 'ァ' - 'ぁ'
		case isDash(r) && isKana(prev):
			r = 'ー'
		}
		b.WriteRune(r)
		prev = r
	}
	return tidySpaces(b.String())
}

func isKana(r rune) bool { return r >= 'ァ' && r <= 'ヿ' }

// isKatakanaName reports whether s is written in full-width katakana
// (with ー, ・ and single spaces between words).
func isKatakanaName(s string) bool {
	for _, r := range s {
		if !(isKana(r) || r == ' ') {
			return false
		}
	}
	return s != ""
}

// normDate reads a date in 和暦 or the Gregorian calendar (R7.4.1,
// 令和7年4月1日, ２０２５年４月１日, 2025/4/1) and returns it as YYYY-MM-DD; on
// failure it returns the folded text and wareki's error.
func normDate(s string) (string, error) {
	if isISODate(s) {
		return s, nil
	}
	folded := strings.TrimSpace(nfkc(s))
	d, err := wareki.Parse(folded)
	if err != nil {
		return folded, err
	}
	return d.String(), nil
}

var errAmount = errors.New("not an amount")

// normYen reads an amount in yen: 1200000, 1,200,000円, ¥1,200,000 and, when
// units is set, 120万, 1,200万円, 1万2千円, 12.5万, 2千万. The result is whole
// yen; fractions of a yen, negative amounts and words (約120万) are refused.
func normYen(s string, units bool) (int64, error) {
	s = nfkc(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case isSpace(r), r == ',', r == '、', r == '円', r == '¥', r == '\\', r == '￥':
		default:
			b.WriteRune(r)
		}
	}
	t := b.String()
	if t == "" {
		return 0, errAmount
	}
	if digitsOnly(t) && len(t) <= 12 { // the usual case: whole yen in digits
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n > eligibility.MaxYen {
			return 0, errAmount
		}
		return n, nil
	}
	var v decimal.Decimal
	var err error
	if units && strings.ContainsAny(t, "億万千百十") {
		v, err = parseJapaneseAmount(t)
	} else {
		v, err = decimal.NewFromString(t)
		if err == nil && strings.ContainsAny(t, "eE+-") {
			err = errAmount // no exponents or signs: a person writes digits
		}
	}
	if err != nil || !v.IsInteger() || v.IsNegative() || v.GreaterThan(decimal.NewFromInt(eligibility.MaxYen)) {
		return 0, errAmount
	}
	return v.IntPart(), nil
}

var unitValues = map[rune]int64{'億': 100_000_000, '万': 10_000, '千': 1_000, '百': 100, '十': 10}

// parseJapaneseAmount reads digits with the units 億, 万 (each closing a
// four-digit section) and 千, 百, 十 within a section, as amounts are
// written in Japanese: 1億2000万, 1万2千, 2千万, 12.5万.
func parseJapaneseAmount(t string) (decimal.Decimal, error) {
	total, section := decimal.Zero, decimal.Zero
	var num strings.Builder
	lastBig, lastSmall := int64(1<<62), int64(1<<62)
	afterUnit := false
	for _, r := range t {
		if (r >= '0' && r <= '9') || r == '.' {
			num.WriteRune(r)
			afterUnit = false
			continue
		}
		u, ok := unitValues[r]
		if !ok {
			return decimal.Zero, errAmount
		}
		n := decimal.Zero
		if num.Len() > 0 {
			var err error
			if n, err = decimal.NewFromString(num.String()); err != nil {
				return decimal.Zero, errAmount
			}
			num.Reset()
		} else if !afterUnit || u < 10_000 {
			// 万 needs a number or a smaller unit before it (2千万); 千
			// needs a number.
			return decimal.Zero, errAmount
		}
		if u >= 10_000 {
			if u >= lastBig {
				return decimal.Zero, errAmount
			}
			lastBig, lastSmall = u, 1<<62
			total = total.Add(section.Add(n).Mul(decimal.NewFromInt(u)))
			section = decimal.Zero
		} else {
			if u >= lastSmall {
				return decimal.Zero, errAmount
			}
			lastSmall = u
			section = section.Add(n.Mul(decimal.NewFromInt(u)))
		}
		afterUnit = true
	}
	if num.Len() > 0 {
		n, err := decimal.NewFromString(num.String())
		if err != nil || !n.IsInteger() {
			return decimal.Zero, errAmount
		}
		if lastSmall < 1<<62 || lastBig < 1<<62 {
			// the digits after the last unit must fit below it (1万2000, not 1万20000)
			if limit := min(lastSmall, lastBig); n.GreaterThanOrEqual(decimal.NewFromInt(limit)) {
				return decimal.Zero, errAmount
			}
		}
		section = section.Add(n)
	}
	return total.Add(section), nil
}

// normInt reads a whole number: full-width digits, commas and spaces
// allowed.
func normInt(s string) (int64, error) {
	s = nfkc(s)
	var b strings.Builder
	for _, r := range s {
		if !isSpace(r) && r != ',' {
			b.WriteRune(r)
		}
	}
	t := b.String()
	if t == "" || len(t) > 18 {
		return 0, errAmount
	}
	var n int64
	neg := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		if i == 0 && c == '-' {
			neg = true
			continue
		}
		if c < '0' || c > '9' {
			return 0, errAmount
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		if len(t) == 1 {
			return 0, errAmount
		}
		n = -n
	}
	return n, nil
}

// normBool reads はい / いいえ and their English and numeric forms.
func normBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(nfkc(s))) {
	case "true", "yes", "はい", "1", "あり", "有", "同意する":
		return true, true
	case "false", "no", "いいえ", "0", "なし", "無", "同意しない":
		return false, true
	}
	return false, false
}

// normEmail folds the width of an address and trims it.
func normEmail(s string) string { return strings.TrimSpace(nfkc(s)) }
