package docnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxYAMLNodes bounds the nodes a YAML document may expand to through
// aliases, so a "billion laughs" document is refused instead of exhausting
// memory.
const maxYAMLNodes = 200_000

// ParseYAML parses a YAML (or JSON) document into a Node tree. An empty
// document gives a Null node.
func ParseYAML(data []byte) (*Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Node{Kind: Null, Pos: Pos{Line: 1, Col: 1}}, nil
		}
		return nil, yamlSyntaxError(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &SyntaxError{Pos: Pos{Line: extra.Line, Col: extra.Column}, Msg: "1つのファイルに YAML の文書は1つだけ書けます（--- の後に2つ目があります）"}
	case !errors.Is(err, io.EOF):
		// A second document that does not even parse is still a second
		// document, and its error is the one to show.
		return nil, yamlSyntaxError(err)
	}
	c := converter{}
	return c.convert(&doc, 0)
}

// yamlSyntaxError turns a yaml.v3 error ("yaml: line 3: ...") into a
// positioned SyntaxError where the line is known.
func yamlSyntaxError(err error) error {
	msg := err.Error()
	var line int
	if n, _ := fmt.Sscanf(msg, "yaml: line %d:", &line); n == 1 {
		rest := msg[len(fmt.Sprintf("yaml: line %d:", line)):]
		return &SyntaxError{Pos: Pos{Line: line, Col: 1}, Msg: "YAML syntax:" + rest, FromYAML: true}
	}
	return &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: msg, FromYAML: true}
}

type converter struct {
	nodes int
}

func (c *converter) convert(y *yaml.Node, depth int) (*Node, error) {
	c.nodes++
	pos := Pos{Line: y.Line, Col: y.Column}
	if c.nodes > maxYAMLNodes {
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("文書が展開すると %d 個を超える値になります（エイリアス * の使いすぎ）", maxYAMLNodes)}
	}
	if depth > MaxDepth {
		return nil, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("入れ子が %d 段を超えています", MaxDepth)}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &Node{Kind: Null, Pos: pos}, nil
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, &SyntaxError{Pos: pos, Msg: "エイリアス（*名前）の参照先のアンカー（&名前）がありません"}
		}
		return c.convert(y.Alias, depth+1)
	case yaml.MappingNode:
		n := &Node{Kind: Object, Pos: pos}
		seen := map[string]bool{}
		var merges []*yaml.Node
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, v)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &SyntaxError{Pos: Pos{Line: k.Line, Col: k.Column}, Msg: "項目名にはリストやマッピングではなく、ふつうの値を書いてください"}
			}
			if seen[k.Value] {
				return nil, &SyntaxError{Pos: Pos{Line: k.Line, Col: k.Column}, Msg: fmt.Sprintf("項目 %q が2回書かれています", k.Value)}
			}
			seen[k.Value] = true
			val, err := c.convert(v, depth+1)
			if err != nil {
				return nil, err
			}
			n.Fields = append(n.Fields, Field{Key: k.Value, KeyPos: Pos{Line: k.Line, Col: k.Column}, Value: val})
		}
		// Merge keys (<<: *base) fill in what the mapping does not set itself.
		for _, m := range merges {
			srcs := []*yaml.Node{m}
			if m.Kind == yaml.SequenceNode {
				srcs = m.Content
			}
			for _, s := range srcs {
				mv, err := c.convert(s, depth+1)
				if err != nil {
					return nil, err
				}
				if mv.Kind != Object {
					return nil, &SyntaxError{Pos: mv.Pos, Msg: "<< で取り込めるのはマッピングだけです"}
				}
				for _, f := range mv.Fields {
					if !seen[f.Key] {
						seen[f.Key] = true
						n.Fields = append(n.Fields, f)
					}
				}
			}
		}
		return n, nil
	case yaml.SequenceNode:
		n := &Node{Kind: Array, Pos: pos, Items: make([]*Node, 0, len(y.Content))}
		for _, it := range y.Content {
			v, err := c.convert(it, depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, v)
		}
		return n, nil
	case yaml.ScalarNode:
		n := &Node{Pos: pos, Text: y.Value}
		switch y.Style {
		case yaml.DoubleQuotedStyle:
			n.Style = StyleDoubleQuoted
		case yaml.SingleQuotedStyle:
			n.Style = StyleSingleQuoted
		case yaml.LiteralStyle:
			n.Style = StyleLiteral
		case yaml.FoldedStyle:
			n.Style = StyleFolded
		}
		n.Quoted = n.Style != StylePlain
		switch y.ShortTag() {
		case "!!null":
			n.Kind, n.Text = Null, ""
		case "!!bool":
			n.Kind = Bool
			switch y.Value {
			case "true", "True", "TRUE":
				n.Text = "true"
			default:
				n.Text = "false"
			}
		case "!!int", "!!float":
			n.Kind = Number
		default:
			n.Kind = String
		}
		return n, nil
	}
	return nil, &SyntaxError{Pos: pos, Msg: "この YAML の書き方には対応していません"}
}

// PosAt maps a position inside a String node's text (a 0-based rune index)
// back to the source, so an error found inside a CEL expression written as a
// YAML scalar points at the right line and column of the file, including
// inside multi-line | and > blocks. src is the whole source file.
func (n *Node) PosAt(src []byte, runeIndex int) Pos {
	if n.Style == StylePlain && n.Kind != String && n.Kind != Number {
		return n.Pos
	}
	lines := bytes.Split(src, []byte("\n"))
	line, col := n.Pos.Line, n.Pos.Col
	if line < 1 || line > len(lines) {
		return n.Pos
	}
	// cur walks the source: (li, bi) = line index and byte index.
	li, bi := line-1, byteIndexOfCol(lines[line-1], col)
	switch n.Style {
	case StyleDoubleQuoted, StyleSingleQuoted:
		bi++ // the opening quote
	case StyleLiteral, StyleFolded:
		li, bi = li+1, 0
		if li < len(lines) {
			bi = indentOf(lines[li])
		}
	}
	block := n.Style == StyleLiteral || n.Style == StyleFolded
	blockIndent := bi
	lineStart := func(ln []byte) int {
		if block {
			return min(blockIndent, indentOf(ln))
		}
		return indentOf(ln)
	}
	// Walk the text up to and including the wanted rune, moving a source
	// cursor to each matching rune; (mli, mbi) is where the last match began.
	text := n.Text
	ti := 0
	mli, mbi := li, bi
	for k := 0; k <= runeIndex && ti < len(text) && li < len(lines); k++ {
		tr, tsize := utf8.DecodeRuneInString(text[ti:])
		ti += tsize
		for li < len(lines) {
			ln := lines[li]
			if bi >= len(ln) {
				// End of the source line: a text newline or space stands for it.
				mli, mbi = li, bi
				li++
				if li < len(lines) {
					bi = lineStart(lines[li])
				}
				if tr == '\n' || tr == ' ' {
					break
				}
				continue
			}
			sr, ssize := utf8.DecodeRune(ln[bi:])
			mli, mbi = li, bi
			bi += ssize
			if sr == tr {
				break
			}
		}
	}
	if mli >= len(lines) {
		return n.Pos
	}
	return Pos{Line: mli + 1, Col: utf8.RuneCount(lines[mli][:min(mbi, len(lines[mli]))]) + 1}
}

func byteIndexOfCol(line []byte, col int) int {
	bi := 0
	for c := 1; c < col && bi < len(line); c++ {
		_, size := utf8.DecodeRune(line[bi:])
		bi += size
	}
	return bi
}

func indentOf(line []byte) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}
