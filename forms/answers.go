package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// value is one answer after normalisation.
type value struct {
	set bool
	vis uint8 // visShown, visHidden or visPending once evaluated
	// ok is false when the answer could not be normalised to the field's
	// type; s then holds it as typed (folded) for the message.
	ok    bool
	s     string   // text, choice, date (YYYY-MM-DD), phone …
	n     int64    // yen, int
	b     bool     // bool, consent
	ss    []string // choices
	g     *group   // group
	items []*group // list
}

// group holds the answers of a group, of one list item, or of the whole
// form (the root), aligned with its node's kids.
type group struct {
	n    *node
	id   string // a list item's member id (c1 …); "" elsewhere
	vals []value
}

func newGroup(n *node) *group { return &group{n: n, vals: make([]value, len(n.kids))} }

// get returns the answer of the field with id in g, or nil.
func (g *group) get(id string) *value {
	if i, ok := g.n.byID[id]; ok {
		return &g.vals[i]
	}
	return nil
}

// goValue is the answer as validator/v10 sees it.
func (v *value) goValue(t FieldType) any {
	if !v.set {
		return ""
	}
	if !v.ok {
		return v.s
	}
	switch t {
	case TypeYen, TypeInt:
		return v.n
	case TypeBool, TypeConsent:
		return v.b
	case TypeChoices:
		return v.ss
	case TypeList:
		return len(v.items)
	}
	return v.s
}

// ref is the answer for validator/v10 as a pointer (which it follows),
// so that handing it over does not copy the value into an interface.
func (v *value) ref(t FieldType) any {
	if !v.ok {
		return &v.s
	}
	switch t {
	case TypeYen, TypeInt:
		return &v.n
	case TypeBool, TypeConsent:
		return &v.b
	case TypeChoices:
		return &v.ss
	case TypeList:
		return len(v.items)
	}
	return &v.s
}

// json returns the normalised answer in the submission's JSON form.
func (v *value) json(t FieldType) any {
	switch t {
	case TypeYen, TypeInt:
		return v.n
	case TypeBool, TypeConsent:
		return v.b
	case TypeChoices:
		out := make([]string, len(v.ss))
		copy(out, v.ss)
		return out
	case TypeGroup:
		return v.g.jsonMap()
	case TypeList:
		out := make([]map[string]any, len(v.items))
		for i, it := range v.items {
			out[i] = it.jsonMap()
		}
		return out
	}
	return v.s
}

func (g *group) jsonMap() map[string]any {
	m := make(map[string]any, len(g.vals)+1)
	if g.id != "" {
		m["id"] = g.id
	}
	for i := range g.vals {
		if g.vals[i].set {
			m[g.n.kids[i].f.ID] = g.vals[i].json(g.n.kids[i].typ)
		}
	}
	return m
}

// itemIDRe is the form of a list item's id, which becomes a member id.
var itemIDRe = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// decoder reads a submission's answers against the form, normalising each
// one, and collects decoding problems as field errors.
type decoder struct {
	f      *Form
	errs   []FieldError
	ids    map[string]string // member id -> item path, to refuse duplicates
	strict bool
}

func (d *decoder) fail(path string, n *node, code ErrorCode, format string, args ...any) {
	label := ""
	if n != nil {
		label = n.f.Label
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	d.errs = append(d.errs, FieldError{Path: path, Label: label, Code: code, Message: msg})
}

// decodeGroup fills g from a JSON object.
func (d *decoder) decodeGroup(g *group, obj *docnode.Node, path string, item bool) {
	if obj.Kind != docnode.Object {
		d.fail(path, g.n, CodeType, "%sは項目と値の組（オブジェクト）で送ってください", labelOr(g.n, "回答"))
		return
	}
	for _, fl := range obj.Fields {
		if item && fl.Key == "id" {
			p := joinPath(path, fl.Key)
			if fl.Value.Kind != docnode.String || !itemIDRe.MatchString(fl.Value.Text) {
				d.fail(p, nil, CodeInvalid, "id は英小文字で始まる32文字までの英小文字・数字・_・- で送ってください")
				continue
			}
			if prev, dup := d.ids[fl.Value.Text]; dup {
				d.fail(p, nil, CodeDuplicate, "id %q が %s と重なっています", fl.Value.Text, prev)
				continue
			}
			d.ids[fl.Value.Text] = path
			g.id = fl.Value.Text
			continue
		}
		i, ok := g.n.byID[fl.Key]
		if !ok {
			d.fail(joinPath(path, fl.Key), nil, CodeUnknown, "%q はこのフォームにない項目です", fl.Key)
			continue
		}
		d.decodeValue(&g.vals[i], g.n.kids[i], fl.Value, path)
	}
}

func labelOr(n *node, def string) string {
	if n != nil && n.f.Label != "" {
		return n.f.Label
	}
	return def
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decodeValue reads one answer and normalises it; in is the path of the
// group holding it (the answer's own path is built only when needed).
func (d *decoder) decodeValue(v *value, n *node, j *docnode.Node, in string) {
	if j.Kind == docnode.Null {
		return // null: not answered
	}
	path := func() string { return joinPath(in, n.f.ID) }
	wrong := func(what string) {
		d.fail(path(), n, CodeType, "%sは%sで送ってください", n.f.Label, what)
	}
	v.set, v.ok = true, true
	switch n.typ {
	case TypeGroup:
		v.g = newGroup(n)
		d.decodeGroup(v.g, j, path(), false)
		return
	case TypeList:
		if j.Kind != docnode.Array {
			v.set = false
			wrong("並び（配列）")
			return
		}
		if len(j.Items) > 64 {
			v.set = false
			d.fail(path(), n, CodeTooLarge, "%sが多すぎます", n.f.Label)
			return
		}
		v.items = make([]*group, len(j.Items))
		lp := path()
		for i, it := range j.Items {
			g := newGroup(n)
			ip := lp + "[" + strconv.Itoa(i) + "]"
			d.decodeGroup(g, it, ip, true)
			if g.id == "" && n.f.IDPrefix != "" {
				g.id = n.f.IDPrefix + strconv.Itoa(i+1)
				if prev, dup := d.ids[g.id]; dup {
					d.fail(ip, n, CodeDuplicate, "項目の id %q が %s と重なっています（id を送ってください）", g.id, prev)
				}
				d.ids[g.id] = ip
			}
			v.items[i] = g
		}
		return
	case TypeChoices:
		if j.Kind != docnode.Array {
			v.set = false
			wrong("選択肢の値の並び（[\"a\", \"b\"]）")
			return
		}
		v.ss = make([]string, 0, len(j.Items))
		for _, it := range j.Items {
			if it.Kind != docnode.String {
				v.set = false
				wrong("選択肢の値（文字列）の並び")
				return
			}
			s := n.choiceValue(it.Text)
			if !containsStr(v.ss, s) {
				v.ss = append(v.ss, s)
			}
		}
		return
	case TypeBool, TypeConsent:
		switch j.Kind {
		case docnode.Bool:
			v.b = j.Text == "true"
		case docnode.String:
			b, ok := normBool(j.Text)
			v.b, v.ok, v.s = b, ok, j.Text
		default:
			v.set = false
			wrong("true か false")
		}
		return
	}
	// scalars: strings, and numbers where a number makes sense
	var s string
	switch j.Kind {
	case docnode.String:
		s = j.Text
	case docnode.Number:
		switch n.typ {
		case TypeYen, TypeInt, TypePostal, TypeLGCode:
			s = j.Text
		default:
			v.set = false
			wrong("文字列")
			return
		}
	default:
		v.set = false
		wrong("文字列")
		return
	}
	if len(s) > 8000 {
		v.set = false
		d.fail(path(), n, CodeTooLarge, "%sが長すぎます", n.f.Label)
		return
	}
	normScalar(v, n, s)
	if v.ok && v.s == "" && n.typ != TypeYen && n.typ != TypeInt {
		v.set = false // an empty string is no answer
	}
}

// normScalar normalises one typed answer into v.
func normScalar(v *value, n *node, s string) {
	switch n.typ {
	case TypeText:
		if n.f.Multiline {
			v.s = normMultiline(s)
		} else {
			v.s = normText(s)
		}
	case TypeName:
		v.s = normText(s)
	case TypeKana:
		v.s = normKana(s)
	case TypeDate:
		var err error
		if v.s, err = normDate(s); err != nil {
			v.ok = false
		}
		if strings.TrimSpace(s) == "" {
			v.s, v.ok = "", true
		}
	case TypeYen, TypeInt:
		if strings.TrimSpace(nfkc(s)) == "" {
			v.set = false
			return
		}
		var err error
		if n.typ == TypeYen {
			v.n, err = normYen(s, n.f.Units)
		} else {
			v.n, err = normInt(s)
		}
		if err != nil {
			v.ok, v.s = false, strings.TrimSpace(s)
		}
	case TypePostal:
		v.s = normPostal(s)
	case TypePhone:
		v.s = normPhone(s)
	case TypeEmail:
		v.s = normEmail(s)
	case TypeLGCode:
		v.s = normDigits(s)
	case TypeChoice:
		v.s = n.choiceValue(s)
	default:
		v.s = normText(s)
	}
}

// choiceValue maps an answer to a choice's value: the value itself, or
// its label as a person would write it (離婚 for divorced).
func (n *node) choiceValue(s string) string {
	if slices.Contains(n.values, s) {
		return s
	}
	t := strings.TrimSpace(nfkc(s))
	if slices.Contains(n.values, t) {
		return t
	}
	for i, l := range n.labels {
		if l == t {
			return n.values[i]
		}
	}
	return t
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
