package docnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
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
//
// The reading is one goroutine's work in a batch while the values are
// parsed on others, so it touches each byte as few times as it can: one
// pass finds where a value ends; lines are counted with bytes.Count and
// columns only when a position is asked for (a value alone on its line,
// as in JSON Lines, never needs them); and the values' text is cut from
// one string copy of many lines rather than copied one by one.
type Stream struct {
	r          io.Reader
	data       []byte // data[start:end] is read but not yet consumed
	start, end int
	eof        bool
	err        error // a read error other than EOF

	// pos is the position of data[start], except Col: pos.Col is the
	// column of data[colFrom], and the columns of data[colFrom:start] are
	// counted when a position is asked for (position).
	pos     Pos
	colFrom int

	// text holds a copy of the input from stream offset textOff, as a
	// string: a value's Text is a substring of it.
	text    string
	textOff int

	started   bool
	inArray   bool
	arrayDone bool
	failed    bool // a syntax error inside a top-level array ends the stream

	// Speculative lines (NextLine): spec holds whole lines of the input
	// cut at once; specPos is the position of spec[specAt].
	lines     bool // SpeculateLines was called
	suspended bool // the next value is read exactly (NextRaw)
	inSpec    bool // the last value came from spec: Offset is specEnd
	spec      string
	specAt    int
	specPos   Pos
	specEnd   int
	// hist keeps the input from the first line a caller may still rewind
	// to (Rewind) up to the stream's position, in consecutive pieces.
	hist []histPiece
}

// histPiece is a piece of the input kept for Rewind, from stream offset off.
type histPiece struct {
	off  int
	text string
}

// streamBuffer is the size of a Stream's first buffer; it doubles for a
// value that does not fit.
const streamBuffer = 64 << 10

// maxTextCopy bounds the lines copied at once into a Stream's text, so that
// a value kept by a caller keeps a bounded part of the input alive.
const maxTextCopy = 256 << 10

// NewStream returns a Stream reading from r.
func NewStream(r io.Reader) *Stream {
	return &Stream{r: r, data: make([]byte, streamBuffer), pos: Pos{Line: 1, Col: 1}}
}

// window is the input read but not yet consumed.
func (s *Stream) window() []byte { return s.data[s.start:s.end] }

// fill reads more input, keeping what is not consumed; it returns false
// at the end of the input.
func (s *Stream) fill() bool {
	if s.eof {
		return false
	}
	// Make room: move the unconsumed bytes to the front, or grow.
	if s.end == len(s.data) {
		s.position() // the columns of the bytes about to go
		n := s.end - s.start
		if n < len(s.data)/2 {
			copy(s.data, s.data[s.start:s.end])
		} else {
			nd := make([]byte, 2*len(s.data))
			copy(nd, s.data[s.start:s.end])
			s.data = nd
		}
		s.start, s.end, s.colFrom = 0, n, 0
	}
	n, err := s.r.Read(s.data[s.end:])
	s.end += n
	if err != nil {
		s.eof = true
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
	}
	return n > 0 || !s.eof
}

// consume drops the first n bytes of the window, moving the position;
// while a Rewind may need them, it keeps them.
func (s *Stream) consume(n int) {
	if len(s.hist) > 0 && n > 0 {
		s.hist = append(s.hist, histPiece{off: s.pos.Offset, text: string(s.data[s.start : s.start+n])})
	}
	s.advance(n)
}

// advance is consume without keeping the bytes.
func (s *Stream) advance(n int) {
	seg := s.data[s.start : s.start+n]
	if bytes.IndexByte(seg, '\n') >= 0 { // IndexByte is the fast one
		k := bytes.LastIndexByte(seg, '\n')
		s.pos.Line += bytes.Count(seg[:k], newline) + 1
		s.pos.Col = 1
		s.colFrom = s.start + k + 1
	}
	s.pos.Offset += n
	s.start += n
}

var newline = []byte{'\n'}

// position returns the position of the first byte of the window.
func (s *Stream) position() Pos {
	if s.colFrom < s.start {
		for _, c := range s.data[s.colFrom:s.start] {
			if c&0xC0 != 0x80 {
				s.pos.Col++
			}
		}
		s.colFrom = s.start
	}
	return s.pos
}

// textOf returns the first n bytes of the window as a string.
func (s *Stream) textOf(n int) string {
	off := s.pos.Offset
	if off < s.textOff || off+n > s.textOff+len(s.text) {
		// Copy the whole lines of the window (the n bytes at least) at
		// once: the next values are cut from the same copy.
		w := s.window()
		k := bytes.LastIndexByte(w[:min(len(w), max(n, maxTextCopy))], '\n') + 1
		s.text, s.textOff = string(w[:max(k, n)]), off
	}
	return s.text[off-s.textOff:][:n]
}

// peek returns the next non-space byte, consuming the space before it.
func (s *Stream) peek() (byte, bool) {
	for {
		w := s.window()
		i := 0
		for i < len(w) && (w[i] == ' ' || w[i] == '\t' || w[i] == '\n' || w[i] == '\r') {
			i++
		}
		if i > 0 {
			s.consume(i)
			w = w[i:]
		}
		if len(w) > 0 {
			// A UTF-8 byte order mark at the start is tolerated: Windows
			// editors write one.
			if s.pos.Offset == 0 && bytes.HasPrefix(w, []byte("\uFEFF")) {
				s.start += 3
				s.colFrom = s.start // it takes no column
				s.pos.Offset = 3
				continue
			}
			if s.pos.Offset == 0 && len(w) < 3 && bytes.HasPrefix([]byte("\uFEFF"), w) && s.fill() {
				continue
			}
			return w[0], true
		}
		if !s.fill() {
			return 0, false
		}
	}
}

func (s *Stream) errorf(format string, args ...any) error {
	return &SyntaxError{Pos: s.position(), Msg: fmt.Sprintf(format, args...)}
}

// plainInString is true for the bytes that neither end a string nor start
// an escape.
var plainInString = func() (t [256]bool) {
	for c := range t {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// valueLen returns the length of the JSON value at the start of the
// window, reading more input as needed. It only finds where the value
// ends; the parser checks it. It returns the window length when the input
// ends inside the value, so that the parser reports the error.
func (s *Stream) valueLen() (int, error) {
	depth := 0
	inString, escaped := false, false
	i := 0
	for {
		w := s.window()
		for i < len(w) {
			if inString {
				if escaped {
					escaped = false
					i++
					continue
				}
				for i < len(w) && plainInString[w[i]] {
					i++
				}
				if i == len(w) {
					break
				}
				if w[i] == '\\' {
					escaped = true
				} else {
					inString = false
					if depth == 0 {
						return i + 1, nil
					}
				}
				i++
				continue
			}
			switch w[i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth <= 0 {
					return i + 1, nil
				}
			case ',', ' ', '\t', '\n', '\r':
				// The end of a scalar at the top level.
				if depth == 0 {
					return max(i, 1), nil
				}
			}
			i++
		}
		if i >= MaxValueSize {
			return 0, s.errorf("1つの値が %d バイトを超えています", MaxValueSize)
		}
		if !s.fill() {
			return s.end - s.start, nil
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
//
// Text may share its memory with the values around it: keeping it (or a
// substring of it) keeps up to a few hundred kilobytes of the input alive.
type RawValue struct {
	Text    string
	Pos     Pos
	Depth   int
	InArray bool
	Err     error
	// Speculative is true for a value NextLine cut at newlines without
	// finding where it ends: Text is a line, trimmed of white space, that
	// holds exactly one value in JSON Lines. Whoever parses it must check
	// that it does (no syntax error, nothing after the value) and, if it
	// does not, Rewind the stream to it: the stream then reads it again
	// exactly (NextRaw), with the error Next would have given, and the
	// values after it, as Next would have read them.
	Speculative bool

	alone bool // read by NextRaw, and alone on its line(s)
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
		raw := RawValue{Text: s.textOf(n), Pos: s.position(), Depth: 1, InArray: true}
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
	raw := RawValue{Text: s.textOf(n), Pos: s.position()}
	raw.alone = s.aloneOnItsLine(n)
	if !raw.alone {
		// A syntax error's position decides where the stream resumes:
		// find it now.
		sc := NewScanner(raw.Text, raw.Pos)
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
	if bytes.IndexByte(s.data[s.start:s.start+n], '\n') >= 0 {
		return false
	}
	for i := n; ; i++ {
		for i >= s.end-s.start {
			if i-n > maxBlankLookahead || !s.fill() {
				return i-n <= maxBlankLookahead
			}
		}
		switch s.data[s.start+i] {
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
		s.consume(min(offset-s.pos.Offset, s.end-s.start))
	}
	for {
		if i := bytes.IndexByte(s.window(), '\n'); i >= 0 {
			s.consume(i + 1)
			return
		}
		s.consume(s.end - s.start)
		if !s.fill() {
			return
		}
	}
}

// Offset returns the number of bytes of the input consumed so far: the
// offset just past the last value returned (and the separators after it).
func (s *Stream) Offset() int64 {
	if s.inSpec {
		return int64(s.specEnd)
	}
	return int64(s.pos.Offset)
}

// SpeculateLines lets NextLine cut values at newlines.
func (s *Stream) SpeculateLines() { s.lines = true }

// NextLine is NextRaw for JSON Lines, without finding where each value
// ends: after the first value, outside a top-level array, once
// SpeculateLines was called, the values it returns are the stream's
// non-blank lines (RawValue.Speculative): a value over several lines, or
// several values on one line, are found when the line is parsed, and the
// caller then calls Rewind. The cost of reading a value is then finding
// its line's end (bytes.IndexByte) instead of scanning its structure.
// Otherwise — the first value, an array's elements, the value after a
// Rewind, a line longer than MaxValueSize — it is NextRaw; after a value
// alone on its line it speculates again.
func (s *Stream) NextLine() (RawValue, error) {
	if !s.lines || s.suspended || !s.started || s.inArray || s.failed {
		s.inSpec = false
		raw, err := s.NextRaw()
		s.suspended = err != nil || !raw.alone
		return raw, err
	}
	for {
		if s.specAt == len(s.spec) {
			switch s.nextLines() {
			case linesEOF:
				s.inSpec = false
				return RawValue{}, io.EOF
			case linesFailed:
				s.inSpec = false
				s.failed = true
				return RawValue{}, s.err
			case linesTooLong:
				s.suspended = true
				return s.NextLine()
			}
		}
		rest := s.spec[s.specAt:]
		line, adv := rest, len(rest)
		nl := strings.IndexByte(rest, '\n')
		if nl >= 0 {
			line, adv = rest[:nl], nl+1
		}
		lead, end := 0, len(line)
		for lead < end && (line[lead] == ' ' || line[lead] == '\t' || line[lead] == '\r') {
			lead++
		}
		for end > lead && (line[end-1] == ' ' || line[end-1] == '\t' || line[end-1] == '\r') {
			end--
		}
		p := s.specPos
		s.specAt += adv
		s.specPos = Pos{Line: p.Line + 1, Col: 1, Offset: p.Offset + adv} // only the last line of the input has no newline
		if lead == end {
			continue
		}
		s.inSpec = true
		s.specEnd = p.Offset + end
		return RawValue{Text: line[lead:end], Pos: Pos{Line: p.Line, Col: p.Col + lead, Offset: p.Offset + lead}, Speculative: true}, nil
	}
}

const (
	linesOK = iota
	linesEOF
	linesFailed
	linesTooLong
)

// nextLines cuts the next whole lines of the input into spec.
func (s *Stream) nextLines() int {
	searched := 0
	for {
		if s.err != nil {
			return linesFailed
		}
		w := s.window()
		n := 0
		if i := bytes.IndexByte(w[searched:], '\n'); i >= 0 {
			n = searched + i + 1
			if k := bytes.LastIndexByte(w[:min(len(w), maxTextCopy)], '\n'); k+1 > n {
				n = k + 1
			}
		} else {
			searched = len(w)
			switch {
			case len(w) >= MaxValueSize:
				return linesTooLong
			case s.fill():
				continue
			case s.err != nil:
				return linesFailed
			case len(w) == 0:
				return linesEOF
			}
			n = len(w) // the last line, with no newline
		}
		s.specPos = s.position()
		s.spec, s.specAt = string(w[:n]), 0
		s.hist = append(s.hist, histPiece{off: s.specPos.Offset, text: s.spec})
		s.advance(n)
		return linesOK
	}
}

// Forget lets the stream drop the input before offset: the caller will
// not Rewind to a value before it.
func (s *Stream) Forget(offset int64) {
	i := 0
	for i < len(s.hist) && int64(s.hist[i].off+len(s.hist[i].text)) <= offset {
		i++
	}
	if i > 0 {
		s.hist = append(s.hist[:0], s.hist[i:]...)
	}
}

// Rewind moves the stream back to v, a value NextLine returned with
// Speculative set (and no Forget past it since), whatever was returned
// after it: the next value is v, read again exactly.
func (s *Stream) Rewind(v RawValue) error {
	off := v.Pos.Offset
	i := 0
	for i < len(s.hist) && s.hist[i].off+len(s.hist[i].text) <= off {
		i++
	}
	if !v.Speculative || i == len(s.hist) || s.hist[i].off > off {
		return fmt.Errorf("docnode: no rewind to %s: not a speculative value the stream keeps", v.Pos)
	}
	total := s.end - s.start
	for _, h := range s.hist[i:] {
		total += len(h.text)
	}
	nd := make([]byte, 0, max(total, streamBuffer))
	nd = append(nd, s.hist[i].text[off-s.hist[i].off:]...)
	for _, h := range s.hist[i+1:] {
		nd = append(nd, h.text...)
	}
	nd = append(nd, s.window()...)
	s.data, s.start, s.end = nd[:cap(nd)], 0, len(nd)
	s.pos, s.colFrom = v.Pos, 0
	s.text, s.textOff = "", 0
	s.spec, s.specAt, s.hist = "", 0, nil
	s.suspended, s.inSpec = true, false
	return nil
}
