package docnode

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Scanner reads one JSON value from a string piece by piece, checking its
// syntax exactly as ParseJSON does (ParseJSON is built on it: the same
// errors, with the same messages, at the same positions), without building
// a tree. A decoder that knows the shape it expects pulls values with
// Value, walks objects with ObjectKey and Colon and arrays with ArrayNext,
// and skips what it does not want with Skip.
//
// Positions cost nothing until asked for: the scanner counts lines as it
// passes them and keeps Marks (offsets); Pos turns a Mark into a line and a
// column (in code points) only when an error or a tree needs one.
//
// Strings without escapes are returned as substrings of the source, so a
// decoder that keeps them keeps the source alive and allocates nothing.
type Scanner struct {
	src       string
	i         int
	base      Pos // position of src[0]
	line      int // line of src[i]
	lineStart int // offset in src where that line starts (or where the base column is, on the first line)
	cache     posCache
}

// Mark is a place in the scanned text, kept cheaply; Scanner.Pos turns it
// into a Pos. Its fields are 32 bits (line counted from the scanner's
// first line), so that a Token is 32 bytes: the compiler then keeps a
// Token returned by Value in registers rather than copying it through
// memory, a copy that stalled the decoder on every key. The texts scanned
// are bounded far below 2 GiB (MaxValueSize; NewScanner refuses more).
type Mark struct {
	off, line, lineStart int32
}

// Offset returns the mark's byte offset in the scanned text.
func (m Mark) Offset() int { return int(m.off) }

// posCache is the last position computed, so that positions asked for in
// increasing order (as a tree is built) cost linear time in all.
type posCache struct {
	off, line, col int
	ok             bool
}

// Token is the start of a value: its kind and where it starts. For a
// String, Text is the decoded string; for a Number, the literal as
// written; for a Bool, "true" or "false". For an Object or an Array only
// the opening bracket has been read: walk it with ObjectKey or ArrayNext,
// or Skip it.
type Token struct {
	Kind Kind
	Mark Mark
	Text string
}

// maxScan bounds the text a Scanner reads (its marks are 32 bits).
const maxScan = 1<<31 - 1

// NewScanner returns a scanner of src, whose first byte is at start. A
// text of 2 GiB or more is read as if empty (Value reports that the input
// ends): no caller gives one.
func NewScanner(src string, start Pos) Scanner {
	if len(src) >= maxScan {
		src = ""
	}
	return Scanner{src: src, base: start, line: start.Line}
}

// SkipBOM skips a UTF-8 byte order mark at the start: Windows editors write
// one. The column does not count it.
func (s *Scanner) SkipBOM() {
	if s.i == 0 && strings.HasPrefix(s.src, "\uFEFF") {
		s.i, s.lineStart = 3, 3
	}
}

// Mark returns the current place.
func (s *Scanner) Mark() Mark {
	return Mark{int32(s.i), int32(s.line - s.base.Line), int32(s.lineStart)}
}

// AtEnd reports whether the whole text has been read.
func (s *Scanner) AtEnd() bool { return s.i >= len(s.src) }

// Pos returns the position of a mark.
func (s *Scanner) Pos(m Mark) Pos {
	var col int
	off, line := int(m.off), s.base.Line+int(m.line)
	if c := s.cache; c.ok && c.line == line && c.off <= off {
		col = c.col + columns(s.src[c.off:off])
	} else {
		col = 1
		if m.line == 0 {
			col = s.base.Col
		}
		col += columns(s.src[m.lineStart:off])
	}
	s.cache = posCache{off: off, line: line, col: col, ok: true}
	return Pos{Line: line, Col: col, Offset: s.base.Offset + off}
}

// columns counts the columns of text on one line: its code points, a byte
// of broken UTF-8 counting as one unless it is a continuation byte.
func columns(text string) int {
	n := 0
	for i := 0; i < len(text); i++ {
		if text[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// Errorf returns a *SyntaxError at the current place.
func (s *Scanner) Errorf(format string, args ...any) error {
	return s.ErrorAt(s.Mark(), format, args...)
}

// ErrorAt returns a *SyntaxError at a mark.
func (s *Scanner) ErrorAt(m Mark, format string, args ...any) error {
	return &SyntaxError{Pos: s.Pos(m), Msg: fmt.Sprintf(format, args...)}
}

// DuplicateKey is the error for an object key that appears twice, at the
// second key's mark.
func (s *Scanner) DuplicateKey(m Mark, key string) error {
	return s.ErrorAt(m, "項目 %q が2回書かれています", key)
}

func (s *Scanner) space() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r':
		case '\n':
			s.line++
			s.lineStart = s.i + 1
		default:
			return
		}
		s.i++
	}
}

// describe names the byte at the current place for an error message.
func (s *Scanner) describe() string {
	if s.i >= len(s.src) {
		return "入力の終わり"
	}
	b := s.src[s.i]
	if b < 0x20 || b == 0x7f {
		return fmt.Sprintf("制御文字 0x%02x", b)
	}
	if b >= 0x80 {
		r, _ := utf8.DecodeRuneInString(s.src[s.i:])
		if r == utf8.RuneError {
			return "UTF-8 として読めない文字"
		}
		return "「" + string(r) + "」"
	}
	return "「" + string(rune(b)) + "」"
}

// Value reads the start of the next value, at nesting depth depth (0 for
// the document itself).
func (s *Scanner) Value(depth int) (Token, error) {
	if depth > MaxDepth {
		return Token{}, s.Errorf("入れ子が %d 段を超えています", MaxDepth)
	}
	s.space()
	if s.i >= len(s.src) {
		return Token{}, s.Errorf("値があるべきところで入力が終わっています")
	}
	start := s.Mark()
	switch b := s.src[s.i]; {
	case b == '{':
		s.i++
		return Token{Kind: Object, Mark: start}, nil
	case b == '[':
		s.i++
		return Token{Kind: Array, Mark: start}, nil
	case b == '"':
		str, err := s.str()
		return Token{Kind: String, Mark: start, Text: str}, err
	case b == '-' || (b >= '0' && b <= '9'):
		lit, err := s.number(start)
		return Token{Kind: Number, Mark: start, Text: lit}, err
	case b == 't':
		return Token{Kind: Bool, Mark: start, Text: "true"}, s.literal("true")
	case b == 'f':
		return Token{Kind: Bool, Mark: start, Text: "false"}, s.literal("false")
	case b == 'n':
		return Token{Kind: Null, Mark: start}, s.literal("null")
	}
	return Token{}, s.Errorf("値があるべきところに%sがあります", s.describe())
}

func (s *Scanner) literal(word string) error {
	for k := 0; k < len(word); k++ {
		if s.i >= len(s.src) || s.src[s.i] != word[k] {
			return s.Errorf("%s の途中に%sがあります（true・false・null の綴りを確認してください）", word, s.describe())
		}
		s.i++
	}
	return nil
}

// ObjectKey reads the next key of the object opened at open: first is true
// right after the opening brace, false after a member's value. done is
// true (and the closing brace read) when the object ends. The caller checks
// the key for duplicates, then calls Colon and reads the value.
func (s *Scanner) ObjectKey(first bool, open Mark) (key string, at Mark, done bool, err error) {
	s.space()
	if first {
		if s.i < len(s.src) && s.src[s.i] == '}' {
			s.i++
			return "", Mark{}, true, nil
		}
	} else {
		if s.i >= len(s.src) {
			return "", Mark{}, false, s.Errorf("%s で始まった { … } が } で閉じられていません", s.Pos(open))
		}
		switch s.src[s.i] {
		case ',':
			s.i++
			s.space()
		case '}':
			s.i++
			return "", Mark{}, true, nil
		default:
			return "", Mark{}, false, s.Errorf("「,」か「}」があるべきところに%sがあります", s.describe())
		}
	}
	at = s.Mark()
	if s.i >= len(s.src) || s.src[s.i] != '"' {
		return "", at, false, s.Errorf("項目名（\"…\" で囲んだ名前）があるべきところに%sがあります（最後の項目の後に「,」は書けません）", s.describe())
	}
	key, err = s.str()
	return key, at, false, err
}

// Colon reads the colon after key.
func (s *Scanner) Colon(key string) error {
	s.space()
	if s.i >= len(s.src) || s.src[s.i] != ':' {
		return s.Errorf("項目名 %q の後に「:」がなく、%sがあります", key, s.describe())
	}
	s.i++
	return nil
}

// ArrayNext reports whether the array opened at open has another element
// (read it with Value): first is true right after the opening bracket,
// false after an element. It reads the closing bracket at the end.
func (s *Scanner) ArrayNext(first bool, open Mark) (bool, error) {
	s.space()
	if first {
		if s.i < len(s.src) && s.src[s.i] == ']' {
			s.i++
			return false, nil
		}
		return true, nil
	}
	if s.i >= len(s.src) {
		return false, s.Errorf("%s で始まった [ … ] が ] で閉じられていません", s.Pos(open))
	}
	switch s.src[s.i] {
	case ',':
		s.i++
		return true, nil
	case ']':
		s.i++
		return false, nil
	}
	return false, s.Errorf("「,」か「]」があるべきところに%sがあります", s.describe())
}

// Skip reads the rest of a value whose start tok was read at depth, checking
// its syntax (duplicate keys included).
func (s *Scanner) Skip(tok Token, depth int) error {
	switch tok.Kind {
	case Object:
		var keys KeySet
		for first := true; ; first = false {
			key, at, done, err := s.ObjectKey(first, tok.Mark)
			if err != nil || done {
				return err
			}
			if keys.Add(key) {
				return s.DuplicateKey(at, key)
			}
			if err := s.Colon(key); err != nil {
				return err
			}
			v, err := s.Value(depth + 1)
			if err != nil {
				return err
			}
			if err := s.Skip(v, depth+1); err != nil {
				return err
			}
		}
	case Array:
		for first := true; ; first = false {
			more, err := s.ArrayNext(first, tok.Mark)
			if err != nil || !more {
				return err
			}
			v, err := s.Value(depth + 1)
			if err != nil {
				return err
			}
			if err := s.Skip(v, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// End checks that only white space follows the value, as at the end of a
// document.
func (s *Scanner) End() error {
	s.space()
	if s.i < len(s.src) {
		return s.Errorf("JSON の値の終わりの後に%sがあります", s.describe())
	}
	return nil
}

// KeySet finds a key that appears twice in one object. The zero value is
// an empty set.
type KeySet struct {
	keys []string
	set  map[string]struct{}
}

// linearKeys is the number of keys up to which a KeySet scans its keys
// rather than a hash set: the facts model's objects have at most a dozen
// keys, and a scan of a few strings is cheaper than hashing them.
const linearKeys = 16

// Add adds key and reports whether it was already there. An object with
// many keys is checked in linear time overall.
func (k *KeySet) Add(key string) (dup bool) {
	if len(k.keys) < linearKeys {
		for _, x := range k.keys {
			if x == key {
				return true
			}
		}
		k.keys = append(k.keys, key)
		return false
	}
	if k.set == nil {
		k.set = make(map[string]struct{}, 2*len(k.keys))
		for _, x := range k.keys {
			k.set[x] = struct{}{}
		}
	}
	if _, dup := k.set[key]; dup {
		return true
	}
	k.set[key] = struct{}{}
	return false
}

func (s *Scanner) number(start Mark) (string, error) {
	i := s.i
	digits := func() int {
		k := 0
		for s.i+k < len(s.src) && s.src[s.i+k] >= '0' && s.src[s.i+k] <= '9' {
			k++
		}
		s.i += k
		return k
	}
	if s.src[s.i] == '-' {
		s.i++
	}
	if s.i >= len(s.src) || s.src[s.i] < '0' || s.src[s.i] > '9' {
		return "", s.Errorf("数値の書き方に誤りがあります（数字があるべきところに%sがあります）", s.describe())
	}
	if s.src[s.i] == '0' {
		s.i++
		if s.i < len(s.src) && s.src[s.i] >= '0' && s.src[s.i] <= '9' {
			return "", s.Errorf("数値の書き方に誤りがあります（先頭に 0 を付けた数は書けません）")
		}
	} else {
		digits()
	}
	if s.i < len(s.src) && s.src[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return "", s.Errorf("数値の書き方に誤りがあります（小数点の後に数字がありません）")
		}
	}
	if s.i < len(s.src) && (s.src[s.i] == 'e' || s.src[s.i] == 'E') {
		s.i++
		if s.i < len(s.src) && (s.src[s.i] == '+' || s.src[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return "", s.Errorf("数値の書き方に誤りがあります（指数に数字がありません）")
		}
	}
	if s.i-i > 64 {
		return "", s.ErrorAt(start, "数値が長すぎます")
	}
	return s.src[i:s.i], nil
}

// maxString bounds one string, so a hostile input cannot make us buffer an
// unbounded token.
const maxString = 1 << 20

// asciiPlain is true for the bytes a string holds as they are: ASCII, not
// a control character, not " or \.
var asciiPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (s *Scanner) str() (string, error) {
	s.i++ // "
	// Fastest path: printable ASCII up to the closing quote, one table
	// look-up a byte.
	k := s.i
	for k < len(s.src) && asciiPlain[s.src[k]] {
		k++
	}
	if k < len(s.src) && s.src[k] == '"' && k-s.i <= maxString {
		str := s.src[s.i:k]
		s.i = k + 1
		return str, nil
	}
	// Fast path: no escapes; the UTF-8 is checked only when there are
	// bytes beyond ASCII.
	high := byte(0)
	for ; k < len(s.src); k++ {
		c := s.src[k]
		high |= c
		if c == '"' {
			str := s.src[s.i:k]
			if high >= utf8.RuneSelf && !utf8.ValidString(str) {
				break
			}
			if k-s.i > maxString {
				return "", s.Errorf("文字列が %d バイトを超えています", maxString)
			}
			s.i = k + 1
			return str, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b strings.Builder
	for {
		if s.i >= len(s.src) {
			return "", s.Errorf("文字列が \" で閉じられていません")
		}
		c := s.src[s.i]
		switch {
		case c == '"':
			s.i++
			return b.String(), nil
		case c == '\\':
			s.i++
			if err := s.escape(&b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", s.Errorf("文字列の中に制御文字 0x%02x があります（\\n・\\t などで書いてください）", c)
		case c < 0x80:
			b.WriteByte(c)
			s.i++
		default:
			r, size := utf8.DecodeRuneInString(s.src[s.i:])
			if r == utf8.RuneError && size <= 1 {
				return "", s.Errorf("文字列に UTF-8 として読めない文字があります（ファイルを UTF-8 で保存してください）")
			}
			b.WriteString(s.src[s.i : s.i+size])
			s.i += size
		}
		if b.Len() > maxString {
			return "", s.Errorf("文字列が %d バイトを超えています", maxString)
		}
	}
}

func (s *Scanner) escape(b *strings.Builder) error {
	if s.i >= len(s.src) {
		return s.Errorf("文字列が \" で閉じられていません")
	}
	c := s.src[s.i]
	s.i++
	switch c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, err := s.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// A surrogate must be followed by its pair.
			if s.i+1 < len(s.src) && s.src[s.i] == '\\' && s.src[s.i+1] == 'u' {
				s.i += 2
				r2, err := s.hex4()
				if err != nil {
					return err
				}
				r = utf16.DecodeRune(r, r2)
			} else {
				r = utf8.RuneError
			}
			if r == utf8.RuneError {
				return s.Errorf("文字列の \\u エスケープのサロゲートペアが正しくありません")
			}
		}
		b.WriteRune(r)
	default:
		return s.Errorf("文字列の中のエスケープ \\%c は使えません", c)
	}
	return nil
}

func (s *Scanner) hex4() (rune, error) {
	var r rune
	for k := 0; k < 4; k++ {
		if s.i >= len(s.src) {
			return 0, s.Errorf("\\u エスケープが途中で終わっています")
		}
		c := s.src[s.i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, s.Errorf("\\u エスケープに16進数でない文字 %q があります", rune(c))
		}
		s.i++
		r = r<<4 | rune(v)
	}
	return r, nil
}

// EndOfStreamValue checks that the value just read is the whole text, as
// for a value cut from a stream.
func (s *Scanner) EndOfStreamValue() error {
	if s.i < len(s.src) {
		return s.Errorf("値の後に%sがあります", s.describe())
	}
	return nil
}
