package docnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxDepth bounds the nesting of JSON documents, so a hostile input cannot
// exhaust the stack.
const MaxDepth = 64

// MaxValueSize bounds one JSON document given to ParseJSON and one
// top-level value of a stream (one household); a larger one is an error
// rather than an unbounded buffer or parse.
const MaxValueSize = 16 << 20

// SyntaxError is a syntax error at a position. Msg is in Japanese for the
// person who wrote the document, except when FromYAML is set: then it is
// the YAML library's own message, in English, which a caller translates
// or shows as a detail.
type SyntaxError struct {
	Pos      Pos
	Msg      string
	FromYAML bool
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// ParseJSON parses exactly one JSON value from data, at most MaxValueSize
// bytes. Duplicate object keys are an error (a person who wrote a key twice
// meant one of them).
func ParseJSON(data []byte) (*Node, error) {
	if len(data) > MaxValueSize {
		return nil, &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("文書が %d バイトを超えています", MaxValueSize)}
	}
	s := NewScanner(string(data), Pos{Line: 1, Col: 1})
	s.SkipBOM()
	n, err := s.Tree(0)
	if err != nil {
		return nil, err
	}
	if err := s.End(); err != nil {
		return nil, err
	}
	return n, nil
}

// Tree reads a whole value, at nesting depth depth, as a tree of Nodes.
func (s *Scanner) Tree(depth int) (*Node, error) {
	tok, err := s.Value(depth)
	if err != nil {
		return nil, err
	}
	n := &Node{Kind: tok.Kind, Pos: s.Pos(tok.Mark), Text: tok.Text, Quoted: tok.Kind == String}
	switch tok.Kind {
	case Object:
		n.Fields = make([]Field, 0, 8)
		var keys KeySet
		for first := true; ; first = false {
			key, at, done, err := s.ObjectKey(first, tok.Mark)
			if err != nil {
				return nil, err
			}
			if done {
				return n, nil
			}
			keyPos := s.Pos(at)
			if keys.Add(key) {
				return nil, &SyntaxError{Pos: keyPos, Msg: fmt.Sprintf("項目 %q が2回書かれています", key)}
			}
			if err := s.Colon(key); err != nil {
				return nil, err
			}
			v, err := s.Tree(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Fields = append(n.Fields, Field{Key: key, KeyPos: keyPos, Value: v})
		}
	case Array:
		n.Items = make([]*Node, 0, 4)
		for first := true; ; first = false {
			more, err := s.ArrayNext(first, tok.Mark)
			if err != nil {
				return nil, err
			}
			if !more {
				return n, nil
			}
			v, err := s.Tree(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, v)
		}
	}
	return n, nil
}

// Stream reads JSON values one after another from a reader without loading
// it whole: a single value, a top-level array of values (each element is
// returned on its own), or JSON Lines / concatenated values. It keeps one
// value in memory at a time.
type Stream struct {
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

// NewStream returns a Stream reading from r.
func NewStream(r io.Reader) *Stream {
	data := make([]byte, 0, 64*1024)
	return &Stream{r: r, data: data, buf: data, pos: Pos{Line: 1, Col: 1}}
}

// fill reads more input, keeping what is not consumed; it returns false
// at the end of the input.
func (s *Stream) fill() bool {
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
func (s *Stream) consume(n int) {
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
func (s *Stream) peek() (byte, bool) {
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

func (s *Stream) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: s.pos, Msg: fmt.Sprintf(format, args...)}
}

// valueLen returns the length of the JSON value at the start of the
// window, reading more input as needed. It only finds where the value
// ends; the parser checks it. It returns the window length when the input
// ends inside the value, so that the parser reports the error.
func (s *Stream) valueLen() (int, error) {
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

// Next returns the next value of the stream, or io.EOF when there is none.
// After a syntax error inside a JSON Lines stream, the stream skips to the
// next line so that one broken record does not hide the others; a syntax
// error inside a top-level array ends the stream.
func (s *Stream) Next() (*Node, error) {
	raw, err := s.NextRaw()
	if err != nil {
		return nil, err
	}
	sc := NewScanner(raw.Text, raw.Pos)
	n, err := sc.Tree(raw.Depth)
	if err == nil {
		err = sc.EndOfStreamValue()
	}
	if err != nil {
		if raw.InArray {
			s.failed = true
		}
		return nil, err
	}
	if raw.Err != nil {
		return nil, raw.Err
	}
	return n, nil
}

// RawValue is the text of one top-level value of a stream, not parsed yet,
// so that it can be parsed (decoded) elsewhere, on another goroutine.
// Whoever parses it reads it with a Scanner from Pos at nesting depth
// Depth, and checks its end with EndOfStreamValue; then:
//   - a syntax error in Text is that value's error, as Next would return it;
//     when InArray is true, it also ends the stream: Next must not be called
//     again (Next, built on NextRaw, returns io.EOF from then on);
//   - otherwise, when Err is not nil, Err replaces the value (the top-level
//     array is broken after it) and the stream has ended.
type RawValue struct {
	Text    string
	Pos     Pos
	Depth   int
	InArray bool
	Err     error
}

// NextRaw returns the next value of the stream without parsing it, or
// io.EOF when there is none. It is Next's first half: Next parses what
// NextRaw returns. The stream moves on exactly as Next would have: a value
// whose syntax errors could change where the next value starts (a JSON
// Lines value over several lines, or one followed by more text on its
// line) is checked here, and its syntax error returned, before moving on.
func (s *Stream) NextRaw() (RawValue, error) {
	if s.failed {
		return RawValue{}, io.EOF
	}
	c, ok := s.peek()
	if s.err != nil {
		s.failed = true
		return RawValue{}, s.err
	}
	if !s.started {
		s.started = true
		if !ok {
			return RawValue{}, io.EOF
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
				return RawValue{}, s.errorf("配列 [ … ] の終わりの後に %q があります", rune(c))
			}
			return RawValue{}, io.EOF
		}
		if !ok {
			s.failed = true
			return RawValue{}, s.errorf("配列 [ … ] が ] で閉じられていません")
		}
		n, err := s.valueLen()
		if err != nil {
			s.failed = true
			return RawValue{}, err
		}
		raw := RawValue{Text: string(s.buf[:n]), Pos: s.pos, Depth: 1, InArray: true}
		s.consume(n)
		c, ok := s.peek()
		switch {
		case !ok:
			s.failed = true
			raw.Err = s.errorf("配列 [ … ] が ] で閉じられていません")
		case c == ',':
			s.consume(1)
		case c == ']':
			s.consume(1)
			s.arrayDone = true
		default:
			s.failed = true
			raw.Err = s.errorf("配列の要素の後に「,」か「]」がなく、%q があります", rune(c))
		}
		return raw, nil
	}
	if !ok {
		return RawValue{}, io.EOF
	}
	raw, err := s.nextLine()
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			s.skipPastLine(se.Pos.Offset)
		}
		return RawValue{}, err
	}
	return raw, nil
}

// nextLine returns the value at the start of the window outside a
// top-level array (JSON Lines, or values one after another).
func (s *Stream) nextLine() (RawValue, error) {
	n, err := s.valueLen()
	if err != nil {
		return RawValue{}, err
	}
	if !s.aloneOnItsLine(n) {
		// A syntax error's position decides where the stream resumes:
		// find it now.
		sc := NewScanner(string(s.buf[:n]), s.pos)
		tok, err := sc.Value(0)
		if err == nil {
			err = sc.Skip(tok, 0)
		}
		if err != nil {
			return RawValue{}, err
		}
		if err := sc.EndOfStreamValue(); err != nil {
			s.consume(sc.i)
			return RawValue{}, err
		}
	}
	raw := RawValue{Text: string(s.buf[:n]), Pos: s.pos}
	s.consume(n)
	return raw, nil
}

// maxBlankLookahead bounds how far aloneOnItsLine reads past a value.
const maxBlankLookahead = 64 << 10

// aloneOnItsLine reports whether the n-byte value at the start of the
// window lies on one line with nothing but white space after it on that
// line. Then any syntax error in it lies on that line, and skipping past
// the line (what Next does after an error) resumes where the stream
// would resume after the value: the value can be parsed later.
func (s *Stream) aloneOnItsLine(n int) bool {
	if bytes.IndexByte(s.buf[:n], '\n') >= 0 {
		return false
	}
	for i := n; ; i++ {
		for i >= len(s.buf) {
			if i-n > maxBlankLookahead || !s.fill() {
				return i-n <= maxBlankLookahead
			}
		}
		switch s.buf[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
}

// skipPastLine drops input up to and including the newline that ends the
// line holding offset (or everything, at the end of the input).
func (s *Stream) skipPastLine(offset int) {
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

// Offset returns the number of bytes of the input consumed so far: the
// offset just past the last value returned (and the separators after it).
func (s *Stream) Offset() int64 { return int64(s.pos.Offset) }
