package docnode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of JSON documents, so a hostile input cannot
// exhaust the stack.
const MaxDepth = 64

// SyntaxError is a JSON syntax error at a position.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// ParseJSON parses exactly one JSON value from data. Duplicate object keys
// are an error (a person who wrote a key twice meant one of them).
func ParseJSON(data []byte) (*Node, error) {
	s := NewStream(bytes.NewReader(data))
	n, err := s.parseValue(0)
	if err != nil {
		return nil, err
	}
	s.skipSpace()
	if _, err := s.peek(); err == nil {
		return nil, s.errorf("unexpected %s after the end of the JSON value", s.describeNext())
	}
	return n, nil
}

// Stream reads JSON values one after another from a reader without loading
// it whole: a single value, a top-level array of values (each element is
// returned on its own), or JSON Lines / concatenated values.
type Stream struct {
	r         *bufio.Reader
	pos       Pos // position of the next byte
	inArray   bool
	arrayDone bool
	started   bool
	failed    bool // a syntax error inside a top-level array ends the stream
}

// NewStream returns a Stream reading from r.
func NewStream(r io.Reader) *Stream {
	return &Stream{r: bufio.NewReaderSize(r, 64*1024), pos: Pos{Line: 1, Col: 1}}
}

// Next returns the next value of the stream, or io.EOF when there is none.
// After a syntax error inside a JSON Lines stream, the stream skips to the
// next line so that one broken record does not hide the others; a syntax
// error inside a top-level array ends the stream.
func (s *Stream) Next() (*Node, error) {
	if s.failed {
		return nil, io.EOF
	}
	s.skipSpace()
	if !s.started {
		s.started = true
		b, err := s.peek()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if b == '[' {
			s.advance()
			s.inArray = true
			s.skipSpace()
			if b, err := s.peek(); err == nil && b == ']' {
				s.advance()
				s.arrayDone = true
			}
		}
	}
	if s.inArray {
		if s.arrayDone {
			s.skipSpace()
			if _, err := s.peek(); err == nil {
				s.failed = true
				return nil, s.errorf("unexpected %s after the end of the top-level array", s.describeNext())
			}
			return nil, io.EOF
		}
		n, err := s.parseValue(1)
		if err != nil {
			s.failed = true
			return nil, err
		}
		s.skipSpace()
		b, err := s.peek()
		switch {
		case err != nil:
			s.failed = true
			return nil, s.errorf("the top-level array is not closed with ]")
		case b == ',':
			s.advance()
		case b == ']':
			s.advance()
			s.arrayDone = true
		default:
			s.failed = true
			return nil, s.errorf("expected , or ] after an array element, found %s", s.describeNext())
		}
		return n, nil
	}
	if _, err := s.peek(); err == io.EOF {
		return nil, io.EOF
	}
	n, err := s.parseValue(0)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			s.skipLine()
		}
		return nil, err
	}
	return n, nil
}

func (s *Stream) skipLine() {
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return
		}
		s.move(b)
		if b == '\n' {
			return
		}
	}
}

func (s *Stream) peek() (byte, error) {
	bs, err := s.r.Peek(1)
	if err != nil {
		return 0, err
	}
	return bs[0], nil
}

func (s *Stream) move(b byte) {
	s.pos.Offset++
	switch {
	case b == '\n':
		s.pos.Line++
		s.pos.Col = 1
	case b&0xC0 != 0x80: // the first byte of a rune
		s.pos.Col++
	}
}

func (s *Stream) advance() byte {
	b, err := s.r.ReadByte()
	if err != nil {
		return 0
	}
	s.move(b)
	return b
}

func (s *Stream) skipSpace() {
	for {
		b, err := s.peek()
		if err != nil {
			return
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			// A UTF-8 byte order mark at the start is tolerated: Windows
			// editors write one.
			if b == 0xEF && s.pos.Offset == 0 {
				if bom, err := s.r.Peek(3); err == nil && string(bom) == "\uFEFF" {
					s.r.Discard(3)
					s.pos.Offset += 3
					continue
				}
			}
			return
		}
		s.advance()
	}
}

func (s *Stream) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: s.pos, Msg: fmt.Sprintf(format, args...)}
}

func (s *Stream) describeNext() string {
	b, err := s.peek()
	if err != nil {
		return "end of input"
	}
	if b < 0x20 || b == 0x7f {
		return fmt.Sprintf("control character 0x%02x", b)
	}
	if b >= 0x80 {
		bs, _ := s.r.Peek(utf8.UTFMax)
		r, _ := utf8.DecodeRune(bs)
		if r == utf8.RuneError {
			return "invalid UTF-8"
		}
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("%q", rune(b))
}

func (s *Stream) parseValue(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, s.errorf("nesting deeper than %d levels", MaxDepth)
	}
	s.skipSpace()
	start := s.pos
	b, err := s.peek()
	if err != nil {
		return nil, s.errorf("unexpected end of input, expected a value")
	}
	switch {
	case b == '{':
		return s.parseObject(depth, start)
	case b == '[':
		return s.parseArray(depth, start)
	case b == '"':
		str, err := s.parseString()
		if err != nil {
			return nil, err
		}
		return &Node{Kind: String, Pos: start, Text: str, Quoted: true}, nil
	case b == '-' || (b >= '0' && b <= '9'):
		return s.parseNumber(start)
	case b == 't':
		return s.parseLiteral("true", &Node{Kind: Bool, Pos: start, Text: "true"})
	case b == 'f':
		return s.parseLiteral("false", &Node{Kind: Bool, Pos: start, Text: "false"})
	case b == 'n':
		return s.parseLiteral("null", &Node{Kind: Null, Pos: start})
	}
	return nil, s.errorf("unexpected %s, expected a value", s.describeNext())
}

func (s *Stream) parseLiteral(word string, n *Node) (*Node, error) {
	for i := 0; i < len(word); i++ {
		b, err := s.peek()
		if err != nil || b != word[i] {
			return nil, s.errorf("unexpected %s in literal %q", s.describeNext(), word)
		}
		s.advance()
	}
	return n, nil
}

func (s *Stream) parseObject(depth int, start Pos) (*Node, error) {
	s.advance() // {
	n := &Node{Kind: Object, Pos: start}
	s.skipSpace()
	if b, err := s.peek(); err == nil && b == '}' {
		s.advance()
		return n, nil
	}
	seen := make(map[string]struct{})
	for {
		s.skipSpace()
		keyPos := s.pos
		b, err := s.peek()
		if err != nil || b != '"' {
			return nil, s.errorf("expected a quoted key, found %s", s.describeNext())
		}
		key, err := s.parseString()
		if err != nil {
			return nil, err
		}
		if _, dup := seen[key]; dup {
			return nil, &SyntaxError{Pos: keyPos, Msg: fmt.Sprintf("key %q appears twice", key)}
		}
		seen[key] = struct{}{}
		s.skipSpace()
		if b, err := s.peek(); err != nil || b != ':' {
			return nil, s.errorf("expected : after key %q, found %s", key, s.describeNext())
		}
		s.advance()
		v, err := s.parseValue(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Fields = append(n.Fields, Field{Key: key, KeyPos: keyPos, Value: v})
		s.skipSpace()
		b, err = s.peek()
		if err != nil {
			return nil, s.errorf("object opened at %s is not closed with }", start)
		}
		if b == ',' {
			s.advance()
			continue
		}
		if b == '}' {
			s.advance()
			return n, nil
		}
		return nil, s.errorf("expected , or } in object, found %s", s.describeNext())
	}
}

func (s *Stream) parseArray(depth int, start Pos) (*Node, error) {
	s.advance() // [
	n := &Node{Kind: Array, Pos: start}
	s.skipSpace()
	if b, err := s.peek(); err == nil && b == ']' {
		s.advance()
		return n, nil
	}
	for {
		v, err := s.parseValue(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, v)
		s.skipSpace()
		b, err := s.peek()
		if err != nil {
			return nil, s.errorf("array opened at %s is not closed with ]", start)
		}
		if b == ',' {
			s.advance()
			continue
		}
		if b == ']' {
			s.advance()
			return n, nil
		}
		return nil, s.errorf("expected , or ] in array, found %s", s.describeNext())
	}
}

func (s *Stream) parseNumber(start Pos) (*Node, error) {
	var b strings.Builder
	take := func() { b.WriteByte(s.advance()) }
	digits := func() int {
		k := 0
		for {
			c, err := s.peek()
			if err != nil || c < '0' || c > '9' {
				return k
			}
			take()
			k++
		}
	}
	if c, _ := s.peek(); c == '-' {
		take()
	}
	c, err := s.peek()
	if err != nil || c < '0' || c > '9' {
		return nil, s.errorf("invalid number: expected a digit, found %s", s.describeNext())
	}
	if c == '0' {
		take()
		if c, err := s.peek(); err == nil && c >= '0' && c <= '9' {
			return nil, s.errorf("invalid number: leading zeros are not allowed")
		}
	} else {
		digits()
	}
	if c, err := s.peek(); err == nil && c == '.' {
		take()
		if digits() == 0 {
			return nil, s.errorf("invalid number: expected a digit after the decimal point")
		}
	}
	if c, err := s.peek(); err == nil && (c == 'e' || c == 'E') {
		take()
		if c, err := s.peek(); err == nil && (c == '+' || c == '-') {
			take()
		}
		if digits() == 0 {
			return nil, s.errorf("invalid number: expected a digit in the exponent")
		}
	}
	if b.Len() > 64 {
		return nil, &SyntaxError{Pos: start, Msg: "number literal is too long"}
	}
	return &Node{Kind: Number, Pos: start, Text: b.String()}, nil
}

// maxString bounds one string, so a hostile input cannot make us buffer an
// unbounded token.
const maxString = 1 << 20

func (s *Stream) parseString() (string, error) {
	s.advance() // "
	var b strings.Builder
	for {
		c, err := s.peek()
		if err != nil {
			return "", s.errorf("string is not closed with \"")
		}
		switch {
		case c == '"':
			s.advance()
			return b.String(), nil
		case c == '\\':
			s.advance()
			if err := s.parseEscape(&b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", s.errorf("control character 0x%02x in string (escape it)", c)
		case c < 0x80:
			b.WriteByte(s.advance())
		default:
			bs, _ := s.r.Peek(utf8.UTFMax)
			r, size := utf8.DecodeRune(bs)
			if r == utf8.RuneError && size <= 1 {
				return "", s.errorf("invalid UTF-8 in string (save the file as UTF-8)")
			}
			for i := 0; i < size; i++ {
				b.WriteByte(s.advance())
			}
		}
		if b.Len() > maxString {
			return "", s.errorf("string longer than %d bytes", maxString)
		}
	}
}

func (s *Stream) parseEscape(b *strings.Builder) error {
	c, err := s.peek()
	if err != nil {
		return s.errorf("string is not closed with \"")
	}
	s.advance()
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
			if bs, err := s.r.Peek(2); err == nil && string(bs) == `\u` {
				s.advance()
				s.advance()
				r2, err := s.hex4()
				if err != nil {
					return err
				}
				r = utf16.DecodeRune(r, r2)
			} else {
				r = utf8.RuneError
			}
			if r == utf8.RuneError {
				return s.errorf("invalid \\u surrogate pair in string")
			}
		}
		b.WriteRune(r)
	default:
		return s.errorf("invalid escape \\%c in string", c)
	}
	return nil
}

func (s *Stream) hex4() (rune, error) {
	var r rune
	for i := 0; i < 4; i++ {
		c, err := s.peek()
		if err != nil {
			return 0, s.errorf("incomplete \\u escape")
		}
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, s.errorf("invalid hex digit %q in \\u escape", rune(c))
		}
		s.advance()
		r = r<<4 | rune(v)
	}
	return r, nil
}
