package forms

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/onestop-jp/onestop/internal/docnode"
	"github.com/onestop-jp/onestop/internal/textdist"
)

// MaxDefinitionSize bounds a definition file; a form is a few hundred
// lines, and a larger file is refused rather than parsed.
const MaxDefinitionSize = 1 << 20

// Load reads a form or application definition (YAML or JSON) from fsys
// and compiles it. Errors are a *DefinitionError listing every problem
// with its file, line and column.
func Load(fsys fs.FS, path string) (*Form, error) {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	return Parse(data, path)
}

// Parse compiles a definition held in memory; name is how the file is
// called in messages.
func Parse(data []byte, name string) (*Form, error) {
	d, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	return compile(d)
}

// def is a decoded definition, before compilation.
type def struct {
	file  string
	src   []byte
	info  Info
	pages []*pageDef
}

type pageDef struct {
	page   Page // without Fields
	pos    docnode.Pos
	fields []*fieldDef
}

type fieldDef struct {
	f        Field // without Path and Fields
	pos      docnode.Pos
	idNode   *docnode.Node
	cond     *docnode.Node
	fact     *docnode.Node
	record   *docnode.Node
	category *docnode.Node
	typNode  *docnode.Node
	kids     []*fieldDef
}

// loader collects problems while decoding.
type loader struct {
	file    string
	ps      []Problem
	nfields int
}

func (l *loader) add(pos docnode.Pos, code ProblemCode, format string, args ...any) {
	l.ps = append(l.ps, Problem{File: l.file, Line: pos.Line, Col: pos.Col, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) err() error {
	if len(l.ps) == 0 {
		return nil
	}
	return &DefinitionError{Problems: l.ps}
}

func decode(data []byte, name string) (*def, error) {
	l := &loader{file: name}
	if len(data) > MaxDefinitionSize {
		l.add(docnode.Pos{}, ProblemSyntax, "定義ファイルが大きすぎます（%d バイトまで）", MaxDefinitionSize)
		return nil, l.err()
	}
	root, err := docnode.ParseYAML(data)
	if err != nil {
		var se *docnode.SyntaxError
		if errors.As(err, &se) {
			l.ps = append(l.ps, Problem{File: name, Line: se.Pos.Line, Col: se.Pos.Col, Code: ProblemSyntax,
				Message: "YAML（または JSON）として読めません", Detail: se.Msg})
		} else {
			l.ps = append(l.ps, Problem{File: name, Code: ProblemSyntax, Message: "YAML（または JSON）として読めません", Detail: err.Error()})
		}
		return nil, l.err()
	}
	d := &def{file: name, src: data}
	top := l.object(root, definitionSpec, "")
	if top == nil {
		return nil, l.err()
	}
	if n := top["form"]; n != nil {
		d.info = l.info(n)
	}
	if n := top["pages"]; n != nil {
		for i, pn := range n.Items {
			if pd := l.page(pn, fmt.Sprintf("pages[%d]", i)); pd != nil {
				d.pages = append(d.pages, pd)
			}
		}
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return d, nil
}

func (l *loader) info(n *docnode.Node) Info {
	m := l.object(n, infoSpec, "form")
	if m == nil {
		return Info{}
	}
	in := Info{ID: text(m["id"]), Version: text(m["version"]), Title: text(m["title"]), Description: text(m["description"]),
		Kind: Kind(text(m["kind"]))}
	if in.Kind == "" {
		in.Kind = KindForm
	}
	if an := m["application"]; an != nil {
		am := l.object(an, applicationSpec, "form.application")
		if am != nil {
			in.Application = &ApplicationInfo{Program: text(am["program"]), LegalBasis: text(am["legal_basis"]), Source: text(am["source"])}
			if rn := am["recipient"]; rn != nil {
				in.Application.Recipient = l.recipient(rn, "form.application.recipient")
			}
		}
	}
	switch {
	case in.Kind == KindApplication && in.Application == nil:
		l.add(n.Pos, ProblemMissing, "申請書の定義（kind: application）には application: を書いてください（制度と提出先）")
	case in.Kind == KindForm && in.Application != nil:
		l.add(m["application"].Pos, ProblemInvalid, "application: は申請書の定義（kind: application）だけに書けます")
	}
	return in
}

func (l *loader) recipient(n *docnode.Node, where string) Recipient {
	m := l.object(n, recipientSpec, where)
	if m == nil {
		return Recipient{}
	}
	return Recipient{Kind: text(m["kind"]), Code: text(m["code"]), Name: text(m["name"])}
}

func (l *loader) page(n *docnode.Node, where string) *pageDef {
	m := l.object(n, pageSpec, where)
	if m == nil {
		return nil
	}
	pd := &pageDef{page: Page{ID: text(m["id"]), Title: text(m["title"]), Help: text(m["help"])}, pos: n.Pos}
	if fn := m["fields"]; fn != nil {
		pd.fields = l.fields(fn, where+".fields", 0)
	}
	return pd
}

// maxNesting bounds groups inside groups (a list of children holding a
// group of income years is two levels).
const maxNesting = 4

func (l *loader) fields(n *docnode.Node, where string, depth int) []*fieldDef {
	if depth > maxNesting {
		l.add(n.Pos, ProblemInvalid, "%s: グループの入れ子が深すぎます（%d 段まで）", where, maxNesting)
		return nil
	}
	var out []*fieldDef
	for i, fn := range n.Items {
		if l.nfields++; l.nfields > maxFields {
			l.add(fn.Pos, ProblemInvalid, "項目が多すぎます（1つの定義に %d 項目まで）", maxFields)
			return out
		}
		if fd := l.field(fn, fmt.Sprintf("%s[%d]", where, i), depth); fd != nil {
			out = append(out, fd)
		}
	}
	return out
}

func (l *loader) field(n *docnode.Node, where string, depth int) *fieldDef {
	m := l.object(n, fieldSpec, where)
	if m == nil {
		return nil
	}
	fd := &fieldDef{pos: n.Pos, idNode: m["id"], cond: m["visible_if"], fact: m["fact"], record: m["record"], category: m["category"], typNode: m["type"]}
	f := &fd.f
	f.ID, f.Type, f.Label, f.Help = text(m["id"]), FieldType(text(m["type"])), text(m["label"]), text(m["help"])
	f.Required, f.Units, f.Past, f.Multiline = isTrue(m["required"]), isTrue(m["units"]), isTrue(m["past"]), isTrue(m["multiline"])
	f.VisibleIf, f.Fact, f.Record = strings.TrimSpace(text(m["visible_if"])), text(m["fact"]), text(m["record"])
	f.Category = text(m["category"])
	f.SetBy, f.Member, f.IDPrefix = SetBy(text(m["set_by"])), text(m["member"]), text(m["id_prefix"])
	f.Min, f.Max = l.intPtr(m["min"]), l.intPtr(m["max"])
	if v := l.intPtr(m["max_length"]); v != nil {
		f.MaxLength = int(*v)
	}
	if v := l.intPtr(m["max_items"]); v != nil {
		f.MaxItems = int(*v)
	}
	if cn := m["choices"]; cn != nil {
		for i, c := range cn.Items {
			cm := l.object(c, choiceSpec, fmt.Sprintf("%s.choices[%d]", where, i))
			if cm != nil {
				f.Choices = append(f.Choices, Choice{Value: text(cm["value"]), Label: text(cm["label"]), Help: text(cm["help"]), Exclusive: isTrue(cm["exclusive"])})
			}
		}
	}
	if cn := m["consent"]; cn != nil {
		f.Consent = l.consent(cn, where+".consent")
	}
	if kn := m["fields"]; kn != nil {
		fd.kids = l.fields(kn, where+".fields", depth+1)
	}
	return fd
}

func (l *loader) consent(n *docnode.Node, where string) *ConsentSpec {
	m := l.object(n, consentSpecSpec, where)
	if m == nil {
		return nil
	}
	cs := &ConsentSpec{Purposes: strs(m["purposes"]), Actions: strs(m["actions"]), Categories: strs(m["categories"]),
		Notice: strings.TrimSpace(text(m["notice"])), NoticeVersion: text(m["notice_version"]), Children: isTrue(m["children"])}
	if v := l.intPtr(m["period_months"]); v != nil {
		cs.PeriodMonths = int(*v)
	}
	if rn := m["recipients"]; rn != nil {
		for i, r := range rn.Items {
			cs.Recipients = append(cs.Recipients, l.recipient(r, fmt.Sprintf("%s.recipients[%d]", where, i)))
		}
	}
	return cs
}

func (l *loader) intPtr(n *docnode.Node) *int64 {
	if n == nil {
		return nil
	}
	v, err := n.Int()
	if err != nil {
		l.add(n.Pos, ProblemType, "%q は整数で書いてください", n.Text)
		return nil
	}
	return &v
}

func text(n *docnode.Node) string {
	if n == nil {
		return ""
	}
	return n.Text
}

func isTrue(n *docnode.Node) bool { return n != nil && n.Text == "true" }

func strs(n *docnode.Node) []string {
	if n == nil {
		return nil
	}
	out := make([]string, len(n.Items))
	for i, it := range n.Items {
		out[i] = it.Text
	}
	return out
}

var patterns = map[string]*regexp.Regexp{}

func init() {
	for _, o := range []*objSpec{definitionSpec, infoSpec, applicationSpec, pageSpec, fieldSpec, choiceSpec, consentSpecSpec, recipientSpec} {
		for _, k := range o.keys {
			if k.pattern != "" {
				patterns[k.pattern] = regexp.MustCompile(k.pattern)
			}
		}
	}
}

// object checks n against spec: an object, known keys, required keys
// present, values of the right type and within their enumerations. It
// returns the present keys' values, or nil when n is not an object.
func (l *loader) object(n *docnode.Node, spec *objSpec, where string) map[string]*docnode.Node {
	label := where
	if label == "" {
		label = "ファイル"
	}
	if n.Kind != docnode.Object {
		l.add(n.Pos, ProblemType, "%s はキーと値の組（オブジェクト）で書いてください", label)
		return nil
	}
	m := make(map[string]*docnode.Node, len(n.Fields))
	for _, f := range n.Fields {
		k := spec.key(f.Key)
		if k == nil {
			known := make([]string, len(spec.keys))
			for i, ks := range spec.keys {
				known[i] = ks.key
			}
			msg := fmt.Sprintf("%s: 「%s」という項目はありません", label, f.Key)
			if s := textdist.Closest(f.Key, known); s != "" {
				msg += fmt.Sprintf("（もしかして「%s」？）", s)
			}
			l.add(f.KeyPos, ProblemUnknownKey, "%s", msg)
			continue
		}
		if f.Value.Kind == docnode.Null {
			continue // an empty value is an absent one
		}
		if l.value(f.Value, k, label) {
			m[f.Key] = f.Value
		}
	}
	for _, k := range spec.keys {
		if k.required && m[k.key] == nil {
			l.add(n.Pos, ProblemMissing, "%s: 「%s」を書いてください（%s）", label, k.key, k.doc)
		}
	}
	return m
}

func (l *loader) value(v *docnode.Node, k *keySpec, where string) bool {
	bad := func(what string) bool {
		l.add(v.Pos, ProblemType, "%s の「%s」は%sで書いてください", where, k.key, what)
		return false
	}
	switch k.kind {
	case sString, sText:
		if v.Kind != docnode.String && v.Kind != docnode.Number {
			return bad("文字列")
		}
		if k.kind == sString && strings.ContainsAny(v.Text, "\n\r") {
			l.add(v.Pos, ProblemInvalid, "%s の「%s」は1行で書いてください", where, k.key)
			return false
		}
		return l.enumOK(v, v.Text, k, where)
	case sBool:
		if v.Kind != docnode.Bool {
			return bad("真偽値（true または false）")
		}
	case sInt:
		if v.Kind != docnode.Number {
			return bad("整数")
		}
		if _, err := v.Int(); err != nil {
			return bad("整数")
		}
	case sStrings:
		if v.Kind != docnode.Array {
			return bad("文字列の並び（[a, b]）")
		}
		ok := true
		for _, it := range v.Items {
			if it.Kind != docnode.String {
				l.add(it.Pos, ProblemType, "%s の「%s」の要素は文字列で書いてください", where, k.key)
				ok = false
				continue
			}
			ok = l.enumOK(it, it.Text, k, where) && ok
		}
		return ok
	case sObject:
		if v.Kind != docnode.Object {
			return bad("キーと値の組（オブジェクト）")
		}
	case sObjects:
		if v.Kind != docnode.Array {
			return bad("並び（- で始まる行）")
		}
	}
	return true
}

func (l *loader) enumOK(n *docnode.Node, s string, k *keySpec, where string) bool {
	if len(k.enum) > 0 {
		for _, e := range k.enum {
			if s == e {
				return true
			}
		}
		msg := fmt.Sprintf("%s の「%s」に %q は使えません（使えるのは %s）", where, k.key, s, strings.Join(k.enum, "・"))
		if sg := textdist.Closest(s, k.enum); sg != "" {
			msg += fmt.Sprintf("。もしかして %q？", sg)
		}
		l.add(n.Pos, ProblemInvalid, "%s", msg)
		return false
	}
	if k.pattern != "" && !patterns[k.pattern].MatchString(s) {
		l.add(n.Pos, ProblemInvalid, "%s の「%s」%q は形式が違います（%s）", where, k.key, s, k.doc)
		return false
	}
	return true
}
