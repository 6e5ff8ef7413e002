package docnode

// The JSON parser as it was before the Scanner (commit bfd8a27), kept as
// the reference the Scanner is fuzzed against: a rewrite of a parser whose
// messages and positions people read must not change either.

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// refParseJSON is ParseJSON as it was.
func refParseJSON(data []byte) (*Node, error) {
	if len(data) > MaxValueSize {
		return nil, &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: fmt.Sprintf("the document is larger than %d bytes", MaxValueSize)}
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
		return nil, p.errorf("unexpected %s after the end of the JSON value", p.describe())
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
		return "end of input"
	}
	b := p.b[p.i]
	if b < 0x20 || b == 0x7f {
		return fmt.Sprintf("control character 0x%02x", b)
	}
	if b >= 0x80 {
		r, _ := utf8.DecodeRune(p.b[p.i:])
		if r == utf8.RuneError {
			return "invalid UTF-8"
		}
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("%q", rune(b))
}

func (p *refParser) value(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	p.space()
	if p.i >= len(p.b) {
		return nil, p.errorf("unexpected end of input, expected a value")
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
	return nil, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *refParser) literal(word string, n *Node) (*Node, error) {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.b) || p.b[p.i] != word[k] {
			return nil, p.errorf("unexpected %s in literal %q", p.describe(), word)
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
			return nil, p.errorf("expected a quoted key, found %s", p.describe())
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if refDupKey(n.Fields, &keys, key) {
			return nil, &SyntaxError{Pos: keyPos, Msg: fmt.Sprintf("key %q appears twice", key)}
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errorf("expected : after key %q, found %s", key, p.describe())
		}
		p.advance(1)
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.Fields = append(n.Fields, Field{Key: key, KeyPos: keyPos, Value: v})
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("object opened at %s is not closed with }", start)
		}
		switch p.b[p.i] {
		case ',':
			p.advance(1)
			continue
		case '}':
			p.advance(1)
			return n, nil
		}
		return nil, p.errorf("expected , or } in object, found %s", p.describe())
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
			return nil, p.errorf("array opened at %s is not closed with ]", start)
		}
		switch p.b[p.i] {
		case ',':
			p.advance(1)
			continue
		case ']':
			p.advance(1)
			return n, nil
		}
		return nil, p.errorf("expected , or ] in array, found %s", p.describe())
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
		return nil, p.errorf("invalid number: expected a digit, found %s", p.describe())
	}
	if p.b[p.i] == '0' {
		p.advance(1)
		if p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			return nil, p.errorf("invalid number: leading zeros are not allowed")
		}
	} else {
		digits()
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.advance(1)
		if digits() == 0 {
			return nil, p.errorf("invalid number: expected a digit after the decimal point")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.advance(1)
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.advance(1)
		}
		if digits() == 0 {
			return nil, p.errorf("invalid number: expected a digit in the exponent")
		}
	}
	if p.i-i > 64 {
		return nil, &SyntaxError{Pos: start, Msg: "number literal is too long"}
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
				return "", p.errorf("string longer than %d bytes", refMaxString)
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
			return "", p.errorf("string is not closed with \"")
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
			return "", p.errorf("control character 0x%02x in string (escape it)", c)
		case c < 0x80:
			b.WriteByte(c)
			p.advance(1)
		default:
			r, size := utf8.DecodeRune(p.b[p.i:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.errorf("invalid UTF-8 in string (save the file as UTF-8)")
			}
			b.Write(p.b[p.i : p.i+size])
			p.advance(size)
		}
		if b.Len() > refMaxString {
			return "", p.errorf("string longer than %d bytes", refMaxString)
		}
	}
}

func (p *refParser) escape(b *strings.Builder) error {
	if p.i >= len(p.b) {
		return p.errorf("string is not closed with \"")
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
				return p.errorf("invalid \\u surrogate pair in string")
			}
		}
		b.WriteRune(r)
	default:
		return p.errorf("invalid escape \\%c in string", c)
	}
	return nil
}

func (p *refParser) hex4() (rune, error) {
	var r rune
	for k := 0; k < 4; k++ {
		if p.i >= len(p.b) {
			return 0, p.errorf("incomplete \\u escape")
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
			return 0, p.errorf("invalid hex digit %q in \\u escape", rune(c))
		}
		p.advance(1)
		r = r<<4 | rune(v)
	}
	return r, nil
}
