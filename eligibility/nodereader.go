package eligibility

import (
	"strings"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/docnode"
	"github.com/onestop-jp/onestop/internal/textdist"
)

// at converts a position in the file being read.
func (r *nodeReader) at(pos docnode.Pos) Position {
	return Position{File: r.file, Line: pos.Line, Col: pos.Col}
}

// nodeReader reads the fields of pack nodes, recording problems.
type nodeReader struct {
	ps   *problems
	file string
}

func (l *loader) reader(file string) *nodeReader { return &nodeReader{ps: &l.ps, file: file} }

func (r *nodeReader) fail(n *docnode.Node, code ProblemCode, format string, args ...any) {
	pos := docnode.Pos{}
	if n != nil {
		pos = n.Pos
	}
	r.failAt(pos, code, format, args...)
}

func (r *nodeReader) failAt(pos docnode.Pos, code ProblemCode, format string, args ...any) {
	r.ps.errorf(r.file, pos.Line, pos.Col, code, format, args...)
}

// object checks that n is a mapping with only the allowed keys.
func (r *nodeReader) object(n *docnode.Node, what string, allowed ...string) bool {
	if n.Kind != docnode.Object {
		r.fail(n, "invalid", "%sは「キー: 値」の形（マッピング）で書いてください", what)
		return false
	}
	for _, f := range n.Fields {
		ok := false
		for _, a := range allowed {
			if f.Key == a {
				ok = true
				break
			}
		}
		if ok {
			continue
		}
		if best := textdist.Closest(f.Key, allowed); best != "" {
			r.failAt(f.KeyPos, "unknown-key", "%sに %q という項目はありません（もしかして %q？）", what, f.Key, best)
		} else {
			r.failAt(f.KeyPos, "unknown-key", "%sに %q という項目はありません（使える項目: %s）", what, f.Key, strings.Join(allowed, ", "))
		}
	}
	return true
}

func (r *nodeReader) str(n *docnode.Node, key string, required bool) string {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		if required {
			r.fail(n, "missing", "%s: を書いてください", key)
		}
		return ""
	}
	if v.Kind == docnode.Object || v.Kind == docnode.Array {
		r.fail(v, "invalid", "%s: には文字列を書いてください", key)
		return ""
	}
	if required && strings.TrimSpace(v.Text) == "" {
		r.fail(v, "missing", "%s: が空です", key)
	}
	return v.Text
}

func (r *nodeReader) boolean(n *docnode.Node, key string) bool {
	v := n.Get(key)
	if v == nil {
		return false
	}
	if v.Kind != docnode.Bool {
		r.fail(v, "invalid", "%s: は true か false で書いてください", key)
		return false
	}
	return v.Text == "true"
}

func (r *nodeReader) date(n *docnode.Node, key string, required bool) civil.Date {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		if required {
			r.fail(n, "missing", "%s:（日付 YYYY-MM-DD）を書いてください", key)
		}
		return civil.Date{}
	}
	d, err := civil.Parse(v.Text)
	if err != nil || v.Kind != docnode.String {
		r.fail(v, "invalid", "%s: %q は日付として読めません（YYYY-MM-DD の形で書いてください）", key, v.Text)
		return civil.Date{}
	}
	return d
}

func (r *nodeReader) expr(n *docnode.Node, key string) Expr {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		r.fail(n, "missing", "%s:（CEL の式）を書いてください", key)
		return Expr{File: r.file}
	}
	if v.Kind == docnode.Object || v.Kind == docnode.Array {
		r.fail(v, "invalid", "%s: には式を文字列として書いてください（記号で始まる式は \"…\" で囲むか | を使ってください）", key)
		return Expr{File: r.file}
	}
	if strings.TrimSpace(v.Text) == "" {
		r.fail(v, "missing", "%s: が空です", key)
	}
	return Expr{Source: v.Text, File: r.file, node: v}
}
