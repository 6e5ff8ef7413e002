package wareki

import (
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel kinds of parse failure; a *ParseError wraps exactly one.
var (
	ErrSyntax         = errors.New("wareki: not a date")
	ErrUnknownEra     = errors.New("wareki: unknown era")
	ErrUnsupportedEra = errors.New("wareki: unsupported era")
	ErrOutOfEra       = errors.New("wareki: date outside its era")
	ErrInvalidDate    = errors.New("wareki: no such calendar date")
)

// ParseError describes why an input is not a date. Column is the 1-based
// position, in characters (not bytes), of the offending part of Input;
// Message is Japanese, for the person who typed the date.
type ParseError struct {
	Input   string
	Column  int
	Kind    error // one of the Err* sentinels
	Message string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("日付「%s」の%d文字目: %s", e.Input, e.Column, e.Message)
}

// Unwrap returns the sentinel kind, so errors.Is(err, ErrOutOfEra) works.
func (e *ParseError) Unwrap() error { return e.Kind }

// maxInput bounds the work done on hostile input; no date is this long.
const maxInput = 64

type tokKind int

const (
	tEra tokKind = iota
	tNum
	tSep
)

type token struct {
	kind   tokKind
	col    int
	era    Era
	meiji  bool
	num    int
	digits int // ASCII digit count; 0 for kanji numerals
	gannen bool
	sep    rune // '.', '/', '-', '年', '月', '日'
}

// Parse reads a date written in 和暦 or in the Gregorian calendar. See the
// package documentation for the accepted forms.
func Parse(s string) (civil.Date, error) {
	p := parser{in: s}
	return p.parse()
}

type parser struct {
	in   string
	toks []token
	end  int // column just past the last character
}

func (p *parser) fail(col int, kind error, format string, args ...any) *ParseError {
	if col < 1 {
		col = 1
	}
	return &ParseError{Input: p.in, Column: col, Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func (p *parser) parse() (civil.Date, error) {
	if strings.TrimSpace(p.in) == "" {
		return civil.Date{}, p.fail(1, ErrSyntax, "日付が入力されていません")
	}
	if utf8.RuneCountInString(p.in) > maxInput {
		return civil.Date{}, p.fail(maxInput+1, ErrSyntax, "日付として長すぎます")
	}
	if !utf8.ValidString(p.in) {
		return civil.Date{}, p.fail(1, ErrSyntax, "文字コードが正しくありません")
	}
	if err := p.tokenize(); err != nil {
		return civil.Date{}, err
	}
	if len(p.toks) == 0 {
		return civil.Date{}, p.fail(1, ErrSyntax, "日付が入力されていません")
	}
	first := p.toks[0]
	if first.kind == tEra {
		if first.meiji {
			return civil.Date{}, p.fail(first.col, ErrUnsupportedEra, "明治の日付には対応していません")
		}
		return p.parseEra(first.era, p.toks[1:])
	}
	if first.kind == tNum && len(p.toks) == 1 && first.digits == 7 {
		return p.parseLegacy(first)
	}
	if first.kind == tNum && len(p.toks) == 1 && first.digits == 8 {
		n := first.num
		return p.makeGregorian(first, n/10000, n/100%100, n%100)
	}
	if first.kind == tNum {
		return p.parseGregorian(p.toks)
	}
	return civil.Date{}, p.fail(first.col, ErrSyntax, "日付は年から始めてください")
}

// parseLegacy reads the seven-digit form EYYMMDD used by legacy municipal
// files, where E is the era code (2 大正, 3 昭和, 4 平成, 5 令和).
func (p *parser) parseLegacy(t token) (civil.Date, error) {
	code := t.num / 1000000
	if code == 1 {
		return civil.Date{}, p.fail(t.col, ErrUnsupportedEra, "明治の日付には対応していません")
	}
	era, ok := eraByCode(code)
	if !ok {
		return civil.Date{}, p.fail(t.col, ErrUnknownEra, "先頭の元号コード「%d」は使えません（2 大正・3 昭和・4 平成・5 令和）", code)
	}
	rest := t.num % 1000000
	return p.makeEra(era, t, t.col, rest/10000, rest/100%100, rest%100)
}

func (p *parser) parseEra(era Era, toks []token) (civil.Date, error) {
	if len(toks) == 0 {
		return civil.Date{}, p.fail(p.end, ErrSyntax, "%sの後に年が必要です", era.Name)
	}
	y := toks[0]
	if y.kind != tNum {
		return civil.Date{}, p.fail(y.col, ErrSyntax, "%sの後に年の数字が必要です", era.Name)
	}
	// R070401: era letter followed by six digits.
	if len(toks) == 1 && y.digits == 6 {
		return p.makeEra(era, y, y.col, y.num/10000, y.num/100%100, y.num%100)
	}
	yy, mm, dd, err := p.threeParts(toks, true)
	if err != nil {
		return civil.Date{}, err
	}
	return p.makeEra(era, y, y.col, yy.num, mm.num, dd.num)
}

func (p *parser) parseGregorian(toks []token) (civil.Date, error) {
	yy, mm, dd, err := p.threeParts(toks, false)
	if err != nil {
		return civil.Date{}, err
	}
	if yy.digits != 0 && yy.digits != 4 {
		return civil.Date{}, p.fail(yy.col, ErrSyntax, "西暦の年は4桁で入力してください（和暦なら令和・平成などの元号を付けてください）")
	}
	return p.makeGregorian(yy, yy.num, mm.num, dd.num)
}

// threeParts reads "year sep month sep day [日]" where the separators are
// either 年・月(・日) or one of . / - used twice.
func (p *parser) threeParts(toks []token, eraYear bool) (y, m, d token, err error) {
	need := func(i int, what string) (token, error) {
		if i >= len(toks) {
			return token{}, p.fail(p.end, ErrSyntax, "%sが必要です", what)
		}
		return toks[i], nil
	}
	y = toks[0]
	if y.gannen && !eraYear {
		return y, m, d, p.fail(y.col, ErrSyntax, "「元」は元号の後でだけ使えます")
	}
	s1, err := need(1, "年の後に区切り（年 . / -）")
	if err != nil {
		return y, m, d, err
	}
	if s1.kind != tSep || s1.sep == '月' || s1.sep == '日' {
		return y, m, d, p.fail(s1.col, ErrSyntax, "年の後に「年」または . / - の区切りが必要です")
	}
	if m, err = need(2, "月"); err != nil {
		return y, m, d, err
	}
	if m.kind != tNum || m.gannen {
		return y, m, d, p.fail(m.col, ErrSyntax, "月の数字が必要です")
	}
	want := s1.sep
	if want == '年' {
		want = '月'
	}
	s2, err := need(3, fmt.Sprintf("月の後に「%c」", want))
	if err != nil {
		return y, m, d, err
	}
	if s2.kind != tSep || s2.sep != want {
		return y, m, d, p.fail(s2.col, ErrSyntax, "月の後には「%c」が必要です（区切りをそろえてください）", want)
	}
	if d, err = need(4, "日"); err != nil {
		return y, m, d, err
	}
	if d.kind != tNum || d.gannen {
		return y, m, d, p.fail(d.col, ErrSyntax, "日の数字が必要です")
	}
	rest := toks[5:]
	if len(rest) > 0 && s1.sep == '年' && rest[0].kind == tSep && rest[0].sep == '日' {
		rest = rest[1:]
	}
	if len(rest) > 0 {
		return y, m, d, p.fail(rest[0].col, ErrSyntax, "日付の後に余分な文字があります")
	}
	for _, t := range []token{y, m, d} {
		if t.digits > 4 {
			return y, m, d, p.fail(t.col, ErrSyntax, "数字が長すぎます")
		}
	}
	return y, m, d, nil
}

func (p *parser) makeGregorian(at token, y, m, d int) (civil.Date, error) {
	if y < 1000 || y > 9999 {
		return civil.Date{}, p.fail(at.col, ErrInvalidDate, "西暦%d年は扱えません（1000年から9999年まで）", y)
	}
	if m < 1 || m > 12 {
		return civil.Date{}, p.fail(at.col, ErrInvalidDate, "%d月という月はありません", m)
	}
	dt, err := civil.NewDate(y, time.Month(m), d)
	if err != nil {
		return civil.Date{}, p.fail(at.col, ErrInvalidDate, "%d年%d月%d日は存在しない日付です", y, m, d)
	}
	return dt, nil
}

func (p *parser) makeEra(era Era, at token, col, y, m, d int) (civil.Date, error) {
	if y < 1 {
		return civil.Date{}, p.fail(col, ErrOutOfEra, "%s0年はありません（最初の年は元年です）", era.Name)
	}
	if m < 1 || m > 12 {
		return civil.Date{}, p.fail(col, ErrInvalidDate, "%d月という月はありません", m)
	}
	gy := era.First.Year() + y - 1
	if gy > 9999 {
		return civil.Date{}, p.fail(col, ErrOutOfEra, "%s%d年は扱えません", era.Name, y)
	}
	dt, err := civil.NewDate(gy, time.Month(m), d)
	if err != nil {
		return civil.Date{}, p.fail(col, ErrInvalidDate, "%s%s%d月%d日は存在しない日付です", era.Name, yearText(y), m, d)
	}
	if !era.Contains(dt) {
		return civil.Date{}, p.fail(col, ErrOutOfEra, "%s%s%d月%d日は%sの期間外です（%s）", era.Name, yearText(y), m, d, era.Name, eraSpan(era))
	}
	return dt, nil
}

func yearText(y int) string {
	if y == 1 {
		return "元年"
	}
	return fmt.Sprintf("%d年", y)
}

func eraSpan(e Era) string {
	if e.Last.IsZero() {
		return fmt.Sprintf("%sは%d年%d月%d日から", e.Name, e.First.Year(), int(e.First.Month()), e.First.Day())
	}
	return fmt.Sprintf("%sは%d年%d月%d日から%d年%d月%d日まで", e.Name,
		e.First.Year(), int(e.First.Month()), e.First.Day(), e.Last.Year(), int(e.Last.Month()), e.Last.Day())
}

// squared era ligatures (㍻ etc.).
var squaredEras = map[rune]string{'㋿': "令和", '㍻': "平成", '㍼': "昭和", '㍽': "大正", '㍾': "明治"}

// one-character era abbreviations used in some ledgers (令7.4.1).
var kanjiAbbrev = map[rune]string{'令': "令和", '平': "平成", '昭': "昭和", '大': "大正", '明': "明治"}

var kanjiDigits = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var kanjiUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// fold maps full-width and look-alike characters to their ASCII forms.
func fold(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - 0xFEE0
	case r == '\u3000':
		return ' '
	case r == '\u2212' || (r >= '\u2010' && r <= '\u2015') || r == 'ー' || r == '－':
		return '-'
	case r == '。' || r == '・':
		return '.'
	}
	return r
}

func (p *parser) tokenize() error {
	rs := []rune(p.in)
	p.end = len(rs) + 1
	for i := 0; i < len(rs); {
		col := i + 1
		r := fold(rs[i])
		switch {
		case r == ' ' || r == '\t':
			i++
		case r >= '0' && r <= '9':
			j := i
			n := 0
			for j < len(rs) && fold(rs[j]) >= '0' && fold(rs[j]) <= '9' {
				if j-i >= 9 {
					return p.fail(col, ErrSyntax, "数字が長すぎます")
				}
				n = n*10 + int(fold(rs[j])-'0')
				j++
			}
			if err := p.pushNum(token{kind: tNum, col: col, num: n, digits: j - i}); err != nil {
				return err
			}
			i = j
		case r == '元':
			if err := p.pushNum(token{kind: tNum, col: col, num: 1, gannen: true}); err != nil {
				return err
			}
			i++
		case isKanjiNumeral(r):
			j := i
			for j < len(rs) && isKanjiNumeral(rs[j]) {
				j++
			}
			n, ok := kanjiNumber(rs[i:j])
			if !ok {
				return p.fail(col, ErrSyntax, "漢数字「%s」を数として読めません", string(rs[i:j]))
			}
			if err := p.pushNum(token{kind: tNum, col: col, num: n}); err != nil {
				return err
			}
			i = j
		case r == '.' || r == '/' || r == '-' || r == '年' || r == '月' || r == '日':
			p.toks = append(p.toks, token{kind: tSep, col: col, sep: r})
			i++
		case squaredEras[r] != "":
			if err := p.pushEra(col, squaredEras[r]); err != nil {
				return err
			}
			i++
		case (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z'):
			if len(p.toks) > 0 {
				return p.fail(col, ErrSyntax, "「%c」は日付に使えない文字です", rs[i])
			}
			e, ok := eraByLetter(byte(r))
			if !ok {
				if r == 'M' || r == 'm' {
					return p.fail(col, ErrUnsupportedEra, "明治の日付には対応していません")
				}
				return p.fail(col, ErrUnknownEra, "「%c」は元号の略号として使えません（R 令和・H 平成・S 昭和・T 大正）", rs[i])
			}
			p.toks = append(p.toks, token{kind: tEra, col: col, era: e})
			i++
		default:
			if i+1 < len(rs) {
				if name := string(rs[i : i+2]); name == meiji.Name || isEraName(name) {
					if err := p.pushEra(col, name); err != nil {
						return err
					}
					i += 2
					continue
				}
			}
			if name := kanjiAbbrev[r]; name != "" && len(p.toks) == 0 {
				if err := p.pushEra(col, name); err != nil {
					return err
				}
				i++
				continue
			}
			return p.fail(col, ErrSyntax, "「%c」は日付に使えない文字です", rs[i])
		}
	}
	return nil
}

func isEraName(s string) bool { _, ok := eraByName(s); return ok }

func (p *parser) pushEra(col int, name string) error {
	if len(p.toks) > 0 {
		return p.fail(col, ErrSyntax, "元号は日付の先頭に書いてください")
	}
	if name == meiji.Name {
		p.toks = append(p.toks, token{kind: tEra, col: col, era: meiji, meiji: true})
		return nil
	}
	e, _ := eraByName(name)
	p.toks = append(p.toks, token{kind: tEra, col: col, era: e})
	return nil
}

func (p *parser) pushNum(t token) error {
	if n := len(p.toks); n > 0 && p.toks[n-1].kind == tNum {
		return p.fail(t.col, ErrSyntax, "数字と数字の間に区切り（年・月 または . / -）が必要です")
	}
	p.toks = append(p.toks, t)
	return nil
}

func isKanjiNumeral(r rune) bool {
	_, d := kanjiDigits[r]
	_, u := kanjiUnits[r]
	return d || u
}

// kanjiNumber reads 三十一, 十二, 二千二十五 or the positional 二〇二五.
func kanjiNumber(rs []rune) (int, bool) {
	hasUnit := false
	for _, r := range rs {
		if _, ok := kanjiUnits[r]; ok {
			hasUnit = true
		}
	}
	if !hasUnit {
		if len(rs) > 4 {
			return 0, false
		}
		n := 0
		for _, r := range rs {
			n = n*10 + kanjiDigits[r]
		}
		return n, true
	}
	total, cur, lastUnit := 0, -1, 10000
	for _, r := range rs {
		if d, ok := kanjiDigits[r]; ok {
			if cur != -1 {
				return 0, false
			}
			cur = d
			continue
		}
		u := kanjiUnits[r]
		if u >= lastUnit || cur == 0 {
			return 0, false
		}
		if cur == -1 {
			cur = 1
		}
		total += cur * u
		cur, lastUnit = -1, u
	}
	if cur != -1 {
		total += cur
	}
	return total, true
}
