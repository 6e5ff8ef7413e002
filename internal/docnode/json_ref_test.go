package docnode

// The JSON parser as it was before the Scanner (commit bfd8a27), kept as
// the reference the Scanner is fuzzed against: a rewrite of a parser whose
// messages and positions people read must not change either. (Its
// messages have since been put in Japanese, in both.)

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// refParseJSON is ParseJSON as it was.
func refParseJSON(data []byte) (*Node, error) {
	if len(data) > MaxValueSize {
		return nil, &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("文書が %d バイトを超えています", MaxValueSize)}
	}
	p := refParser{b: data, pos: Pos{Line: 1, Col: 1}}
	if len(data) >= 3 && string(data[:3]) == "\uFEFF" {
		p.i, p.pos.Offset = 3, 3
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.b) {
		return nil, p.errorf("JSON の値の終わりの後に%sがあります", p.describe())
	}
	return n, nil
}

// refParser parses JSON from a byte slice, tracking positions.
type refParser struct {
	b   []byte
	i   int
	pos Pos // position of b[i]
}

func (p *refParser) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: p.pos, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes known to contain no newline.
func (p *refParser) advance(n int) {
	for k := 0; k < n; k++ {
		if p.b[p.i]&0xC0 != 0x80 {
			p.pos.Col++
		}
		p.i++
	}
	p.pos.Offset += n
}

func (p *refParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r':
			p.pos.Col++
		case '\n':
			p.pos.Line++
			p.pos.Col = 1
		default:
			return
		}
		p.i++
		p.pos.Offset++
	}
}

func (p *refParser) describe() string {
	if p.i >= len(p.b) {
		return "入力の終わり"
	}
	b := p.b[p.i]
	if b < 0x20 || b == 0x7f {
		return fmt.Sprintf("制御文字 0x%02x", b)
	}
	if b >= 0x80 {
		r, _ := utf8.DecodeRune(p.b[p.i:])
		if r == utf8.RuneError {
			return "UTF-8 として読めない文字"
		}
		return "「" + string(r) + "」"
	}
	return "「" + string(rune(b)) + "」"
}

func (p *refParser) value(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, p.errorf("入れ子が %d 段を超えています", MaxDepth)
	}
	p.space()
	if p.i >= len(p.b) {
		return nil, p.errorf("値があるべきところで入力が終わっています")
	}
	start := p.pos
	switch b := p.b[p.i]; {
	case b == '{':
		return p.object(depth, start)
	case b == '[':
		return p.array(depth, start)
	case b == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Node{Kind: String, Pos: start, Text: s, Quoted: true}, nil
	case b == '-' || (b >= '0' && b <= '9'):
		return p.number(start)
	case b == 't':
		return p.literal("true", &Node{Kind: Bool, Pos: start, Text: "true"})
	case b == 'f':
		return p.literal("false", &Node{Kind: Bool, Pos: start, Text: "false"})
	case b == 'n':
		return p.literal("null", &Node{Kind: Null, Pos: start})
	}
	return nil, p.errorf("値があるべきところに%sがあります", p.describe())
}

func (p *refParser) literal(word string, n *Node) (*Node, error) {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.b) || p.b[p.i] != word[k] {
			return nil, p.errorf("%s の途中に%sがあります（true・false・null の綴りを確認してください）", word, p.describe())
		}
		p.advance(1)
	}
	return n, nil
}

func (p *refParser) object(depth int, start Pos) (*Node, error) {
	p.advance(1) // {
	n := &Node{Kind: Object, Pos: start, Fields: make([]Field, 0, 8)}
	var keys map[string]struct{} // built once an object outgrows a linear scan
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.advance(1)
		return n, nil
	}
	for {
		p.space()
		keyPos := p.pos
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.errorf("項目名（\"…\" で囲んだ名前）があるべきところに%sがあります（最後の項目の後に「,」は書けません）", p.describe())
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if refDupKey(n.Fields, &keys, key) {
			return nil, &SyntaxError{Pos: keyPos, Msg: fmt.Sprintf("項目 %q が2回書かれています", key)}
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errorf("項目名 %q の後に「:」がなく、%sがあります", key, p.describe())
		}
		p.advance(1)
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Fields = append(n.Fields, Field{Key: key, KeyPos: keyPos, Value: v})
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("%s で始まった { … } が } で閉じられていません", start)
		}
		switch p.b[p.i] {
		case ',':
			p.advance(1)
			continue
		case '}':
			p.advance(1)
			return n, nil
		}
		return nil, p.errorf("「,」か「}」があるべきところに%sがあります", p.describe())
	}
}

// refDupKey reports whether key is already among fields, keeping *keys, a set
// of the keys, once there are more than linearKeys of them, so that an
// object with many keys is checked in linear time overall.
func refDupKey(fields []Field, keys *map[string]struct{}, key string) bool {
	if len(fields) < linearKeys {
		for i := range fields {
			if fields[i].Key == key {
				return true
			}
		}
		return false
	}
	if *keys == nil {
		*keys = make(map[string]struct{}, 2*len(fields))
		for i := range fields {
			(*keys)[fields[i].Key] = struct{}{}
		}
	}
	if _, dup := (*keys)[key]; dup {
		return true
	}
	(*keys)[key] = struct{}{}
	return false
}

func (p *refParser) array(depth int, start Pos) (*Node, error) {
	p.advance(1) // [
	n := &Node{Kind: Array, Pos: start, Items: make([]*Node, 0, 4)}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.advance(1)
		return n, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("%s で始まった [ … ] が ] で閉じられていません", start)
		}
		switch p.b[p.i] {
		case ',':
			p.advance(1)
			continue
		case ']':
			p.advance(1)
			return n, nil
		}
		return nil, p.errorf("「,」か「]」があるべきところに%sがあります", p.describe())
	}
}

func (p *refParser) number(start Pos) (*Node, error) {
	i := p.i
	digits := func() int {
		k := 0
		for p.i+k < len(p.b) && p.b[p.i+k] >= '0' && p.b[p.i+k] <= '9' {
			k++
		}
		p.advance(k)
		return k
	}
	if p.b[p.i] == '-' {
		p.advance(1)
	}
	if p.i >= len(p.b) || p.b[p.i] < '0' || p.b[p.i] > '9' {
		return nil, p.errorf("数値の書き方に誤りがあります（数字があるべきところに%sがあります）", p.describe())
	}
	if p.b[p.i] == '0' {
		p.advance(1)
		if p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			return nil, p.errorf("数値の書き方に誤りがあります（先頭に 0 を付けた数は書けません）")
		}
	} else {
		digits()
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.advance(1)
		if digits() == 0 {
			return nil, p.errorf("数値の書き方に誤りがあります（小数点の後に数字がありません）")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.advance(1)
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.advance(1)
		}
		if digits() == 0 {
			return nil, p.errorf("数値の書き方に誤りがあります（指数に数字がありません）")
		}
	}
	if p.i-i > 64 {
		return nil, &SyntaxError{Pos: start, Msg: "数値が長すぎます"}
	}
	return &Node{Kind: Number, Pos: start, Text: string(p.b[i:p.i])}, nil
}

const refMaxString = maxString

func (p *refParser) str() (string, error) {
	p.advance(1) // "
	// Fast path: no escapes.
	for k := p.i; k < len(p.b); k++ {
		c := p.b[k]
		if c == '"' {
			s := p.b[p.i:k]
			if !utf8.Valid(s) {
				break
			}
			if k-p.i > refMaxString {
				return "", p.errorf("文字列が %d バイトを超えています", refMaxString)
			}
			p.advance(k - p.i)
			p.advance(1)
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b strings.Builder
	for {
		if p.i >= len(p.b) {
			return "", p.errorf("文字列が \" で閉じられていません")
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.advance(1)
			return b.String(), nil
		case c == '\\':
			p.advance(1)
			if err := p.escape(&b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", p.errorf("文字列の中に制御文字 0x%02x があります（\\n・\\t などで書いてください）", c)
		case c < 0x80:
			b.WriteByte(c)
			p.advance(1)
		default:
			r, size := utf8.DecodeRune(p.b[p.i:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.errorf("文字列に UTF-8 として読めない文字があります（ファイルを UTF-8 で保存してください）")
			}
			b.Write(p.b[p.i : p.i+size])
			p.advance(size)
		}
		if b.Len() > refMaxString {
			return "", p.errorf("文字列が %d バイトを超えています", refMaxString)
		}
	}
}

func (p *refParser) escape(b *strings.Builder) error {
	if p.i >= len(p.b) {
		return p.errorf("文字列が \" で閉じられていません")
	}
	c := p.b[p.i]
	p.advance(1)
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
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// A surrogate must be followed by its pair.
			if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
				p.advance(2)
				r2, err := p.hex4()
				if err != nil {
					return err
				}
				r = utf16.DecodeRune(r, r2)
			} else {
				r = utf8.RuneError
			}
			if r == utf8.RuneError {
				return p.errorf("文字列の \\u エスケープのサロゲートペアが正しくありません")
			}
		}
		b.WriteRune(r)
	default:
		return p.errorf("文字列の中のエスケープ \\%c は使えません", c)
	}
	return nil
}

func (p *refParser) hex4() (rune, error) {
	var r rune
	for k := 0; k < 4; k++ {
		if p.i >= len(p.b) {
			return 0, p.errorf("\\u エスケープが途中で終わっています")
		}
		c := p.b[p.i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, p.errorf("\\u エスケープに16進数でない文字 %q があります", rune(c))
		}
		p.advance(1)
		r = r<<4 | rune(v)
	}
	return r, nil
}

// refStream is Stream as it was.
//
// It reads JSON values one after another from a reader without loading
// it whole: a single value, a top-level array of values (each element is
// returned on its own), or JSON Lines / concatenated values. It keeps one
// value in memory at a time.
type refStream struct {
	r    io.Reader
	data []byte // data[start:] is read but not yet consumed
	buf  []byte // == data[start:]
	pos  Pos    // position of buf[0]
	eof  bool
	err  error // a read error other than EOF

	started   bool
	inArray   bool
	arrayDone bool
	failed    bool // a syntax error inside a top-level array ends the stream
}

// newRefStream returns a refStream reading from r.
func newRefStream(r io.Reader) *refStream {
	data := make([]byte, 0, 64*1024)
	return &refStream{r: r, data: data, buf: data, pos: Pos{Line: 1, Col: 1}}
}

// fill reads more input, keeping what is not consumed; it returns false
// at the end of the input.
func (s *refStream) fill() bool {
	if s.eof {
		return false
	}
	// Make room: move the unconsumed bytes to the front, or grow.
	if len(s.buf) == cap(s.buf) {
		if len(s.buf) < cap(s.data)/2 {
			s.data = s.data[:copy(s.data[:cap(s.data)], s.buf)]
		} else {
			nd := make([]byte, len(s.buf), 2*cap(s.data))
			copy(nd, s.buf)
			s.data = nd
		}
		s.buf = s.data
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.eof = true
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
	}
	return n > 0 || !s.eof
}

// consume drops the first n bytes of the window, moving the position.
func (s *refStream) consume(n int) {
	for _, c := range s.buf[:n] {
		switch {
		case c == '\n':
			s.pos.Line++
			s.pos.Col = 1
		case c&0xC0 != 0x80:
			s.pos.Col++
		}
	}
	s.pos.Offset += n
	s.buf = s.buf[n:]
}

// peek returns the next non-space byte, consuming the space before it.
func (s *refStream) peek() (byte, bool) {
	for {
		i := 0
		for i < len(s.buf) && (s.buf[i] == ' ' || s.buf[i] == '\t' || s.buf[i] == '\n' || s.buf[i] == '\r') {
			i++
		}
		if i > 0 {
			s.consume(i)
		}
		if len(s.buf) > 0 {
			// A UTF-8 byte order mark at the start is tolerated: Windows
			// editors write one.
			if s.pos.Offset == 0 && bytes.HasPrefix(s.buf, []byte("\uFEFF")) {
				s.buf = s.buf[3:]
				s.pos.Offset = 3
				continue
			}
			if s.pos.Offset == 0 && len(s.buf) < 3 && bytes.HasPrefix([]byte("\uFEFF"), s.buf) && s.fill() {
				continue
			}
			return s.buf[0], true
		}
		if !s.fill() {
			return 0, false
		}
	}
}

func (s *refStream) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: s.pos, Msg: fmt.Sprintf(format, args...)}
}

// valueLen returns the length of the JSON value at the start of the
// window, reading more input as needed. It only finds where the value
// ends; the refParser checks it. It returns the window length when the input
// ends inside the value, so that the refParser reports the error.
func (s *refStream) valueLen() (int, error) {
	depth := 0
	inString, escaped := false, false
	for i := 0; ; i++ {
		for i >= len(s.buf) {
			if i >= MaxValueSize {
				return 0, s.errorf("1つの値が %d バイトを超えています", MaxValueSize)
			}
			if !s.fill() {
				return len(s.buf), nil
			}
		}
		c := s.buf[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					return i + 1, nil
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth <= 0 {
				return i + 1, nil
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			// The end of a scalar at the top level.
			if i == 0 {
				return 1, nil
			}
			return i, nil
		}
	}
}

// parseNext parses the value at the start of the window.
func (s *refStream) parseNext(depth int) (*Node, error) {
	n, err := s.valueLen()
	if err != nil {
		return nil, err
	}
	p := refParser{b: s.buf[:n], pos: s.pos}
	v, err := p.value(depth)
	if err != nil {
		return nil, err
	}
	if p.i < n {
		// valueLen and the refParser disagree only on malformed input.
		s.consume(p.i)
		return nil, s.errorf("値の後に%sがあります", (&refParser{b: s.buf, pos: s.pos}).describe())
	}
	s.consume(n)
	return v, nil
}

// Next returns the next value of the stream, or io.EOF when there is none.
// After a syntax error inside a JSON Lines stream, the stream skips to the
// next line so that one broken record does not hide the others; a syntax
// error inside a top-level array ends the stream.
func (s *refStream) Next() (*Node, error) {
	if s.failed {
		return nil, io.EOF
	}
	c, ok := s.peek()
	if s.err != nil {
		s.failed = true
		return nil, s.err
	}
	if !s.started {
		s.started = true
		if !ok {
			return nil, io.EOF
		}
		if c == '[' {
			s.consume(1)
			s.inArray = true
			if c, ok := s.peek(); ok && c == ']' {
				s.consume(1)
				s.arrayDone = true
			}
			c, ok = s.peek()
		}
	}
	if s.inArray {
		if s.arrayDone {
			if ok {
				s.failed = true
				return nil, s.errorf("配列 [ … ] の終わりの後に %q があります", rune(c))
			}
			return nil, io.EOF
		}
		if !ok {
			s.failed = true
			return nil, s.errorf("配列 [ … ] が ] で閉じられていません")
		}
		n, err := s.parseNext(1)
		if err != nil {
			s.failed = true
			return nil, err
		}
		c, ok := s.peek()
		switch {
		case !ok:
			s.failed = true
			return nil, s.errorf("配列 [ … ] が ] で閉じられていません")
		case c == ',':
			s.consume(1)
		case c == ']':
			s.consume(1)
			s.arrayDone = true
		default:
			s.failed = true
			return nil, s.errorf("配列の要素の後に「,」か「]」がなく、%q があります", rune(c))
		}
		return n, nil
	}
	if !ok {
		return nil, io.EOF
	}
	n, err := s.parseNext(0)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			s.skipPastLine(se.Pos.Offset)
		}
		return nil, err
	}
	return n, nil
}

// skipPastLine drops input up to and including the newline that ends the
// line holding offset (or everything, at the end of the input).
func (s *refStream) skipPastLine(offset int) {
	if offset > s.pos.Offset {
		skip := min(offset-s.pos.Offset, len(s.buf))
		s.consume(skip)
	}
	for {
		if i := bytes.IndexByte(s.buf, '\n'); i >= 0 {
			s.consume(i + 1)
			return
		}
		s.consume(len(s.buf))
		if !s.fill() {
			return
		}
	}
}
