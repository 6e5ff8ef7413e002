package docnode

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of a Node.
type Kind uint8

// The kinds of node.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	}
	return "unknown"
}

// Pos is a position in a source text: 1-based line and column (columns count
// Unicode code points, so a position under Japanese text is where a person
// sees it), and the byte offset.
type Pos struct {
	Line, Col int
	Offset    int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Node is one value of a document.
type Node struct {
	Kind Kind
	Pos  Pos
	// Text is the scalar as written: "true"/"false" for Bool, the literal for
	// Number, the decoded string for String. Empty for Null, Object, Array.
	Text string
	// Fields holds an object's members in document order.
	Fields []Field
	// Items holds an array's elements.
	Items []*Node
	// Quoted is true for a YAML scalar written in quotes (so "123" stays a
	// string); JSON strings are always quoted.
	Quoted bool
	// Style carries the YAML scalar style for position mapping inside
	// multi-line scalars (see ScalarPos). Zero for JSON.
	Style ScalarStyle
}

// Field is one member of an object.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// ScalarStyle is how a YAML scalar was written.
type ScalarStyle uint8

// Scalar styles.
const (
	StylePlain ScalarStyle = iota
	StyleDoubleQuoted
	StyleSingleQuoted
	StyleLiteral // |
	StyleFolded  // >
)

// Get returns the value of an object's member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return n.Fields[i].Value
		}
	}
	return nil
}

// Int parses a Number node as a whole number. It refuses fractions and
// exponents rather than rounding them.
func (n *Node) Int() (int64, error) {
	if n.Kind != Number {
		return 0, fmt.Errorf("not a number")
	}
	return ParseInt(n.Text)
}

// ParseInt parses a JSON number literal as a whole number, refusing
// fractions and exponents rather than rounding them.
func ParseInt(lit string) (int64, error) {
	// Most literals are short runs of digits: no need for strconv.
	digits := lit
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) > 0 && len(digits) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			c := digits[i]
			if c < '0' || c > '9' {
				v = -1
				break
			}
			v = v*10 + int64(c-'0')
		}
		if v >= 0 {
			if len(digits) < len(lit) {
				v = -v
			}
			return v, nil
		}
	}
	if strings.ContainsAny(lit, ".eE") {
		// Accept "12.0"? No: a person who wrote a fraction of a yen made a
		// mistake we should show, not hide.
		return 0, fmt.Errorf("%s is not a whole number", lit)
	}
	v, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%s is too large", lit)
		}
		return 0, fmt.Errorf("%s is not a whole number", lit)
	}
	return v, nil
}

// Path is a JSON-path-like location inside a document, such as
// members[1].birth_date. It is a small value: building a child path copies
// it and never allocates, so a decoder can carry one down every value and
// render it only for an error. The zero value is the document root. Paths
// deeper than maxPathDepth keep their first segments and end in "…".
type Path struct {
	segs [maxPathDepth]pathSeg
	n    int
}

const maxPathDepth = 10

type pathSeg struct {
	key   string
	index int
	isIdx bool
}

// Key returns the path of member key below p.
func (p Path) Key(key string) Path {
	if p.n < maxPathDepth {
		p.segs[p.n] = pathSeg{key: key}
	}
	p.n++
	return p
}

// Index returns the path of element i below p.
func (p Path) Index(i int) Path {
	if p.n < maxPathDepth {
		p.segs[p.n] = pathSeg{index: i, isIdx: true}
	}
	p.n++
	return p
}

func (p Path) String() string {
	var b strings.Builder
	for i := 0; i < p.n && i < maxPathDepth; i++ {
		q := p.segs[i]
		if q.isIdx {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(q.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(q.key)
	}
	if p.n > maxPathDepth {
		b.WriteString("…")
	}
	return b.String()
}
