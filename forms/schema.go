package forms

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/onestop-jp/onestop/consent"
)

// SchemaDialect is the JSON Schema dialect of the schemas this package
// writes.
const SchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// Schema returns the JSON Schema (draft 2020-12) of a submission to the
// form, so that any front end can render the form and pre-validate
// answers. Each property carries the field's label (title), help
// (description), choices (oneOf with const and title) and bounds, and
// onestop's own keywords: x-onestop-type, x-onestop-page, x-onestop-fact,
// x-onestop-record, x-onestop-visible-if (the CEL condition; a field whose
// condition is false is not asked and its answer is dropped),
// x-onestop-set-by and, for consent questions, x-onestop-consent with the
// notice's SHA-256. Conditional requirements cannot be written in JSON
// Schema: a required field with a condition is listed in
// x-onestop-required-if-visible instead of required. Check remains the
// authority: it also accepts what people type (full-width digits, 和暦,
// 120万) that a schema cannot describe.
func (f *Form) Schema() []byte {
	answers := f.objectSchema(f.root)
	root := obj{
		{"$schema", SchemaDialect},
		{"$id", "https://github.com/onestop-jp/onestop/forms/" + f.info.ID + "/" + f.info.Version + "/submission.schema.json"},
		{"title", f.info.Title},
	}
	if f.info.Description != "" {
		root = append(root, kv{"description", strings.TrimSpace(f.info.Description)})
	}
	root = append(root,
		kv{"type", "object"},
		kv{"additionalProperties", false},
		kv{"required", []string{"form", "answers"}},
		kv{"properties", obj{
			{"form", obj{{"const", f.info.ID}}},
			{"version", obj{{"const", f.info.Version}}},
			{"date", obj{{"type", "string"}, {"description", "記入日（西暦 YYYY-MM-DD、または 令和8年12月4日・R8.12.4 などの和暦）。省略時はサーバーが設定します"}}},
			{"answers", answers},
		}},
		kv{"x-onestop-kind", string(f.info.Kind)},
		kv{"x-onestop-pages", f.pageList()},
	)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(root) // obj holds only encodable values
	return buf.Bytes()
}

func (f *Form) pageList() []obj {
	out := make([]obj, len(f.pages))
	for i, p := range f.pages {
		o := obj{{"id", p.page.ID}, {"title", p.page.Title}}
		if p.page.Help != "" {
			o = append(o, kv{"help", strings.TrimSpace(p.page.Help)})
		}
		out[i] = o
	}
	return out
}

func (f *Form) objectSchema(g *node) obj {
	props := obj{}
	var required, requiredIfVisible []string
	for _, k := range g.kids {
		props = append(props, kv{k.f.ID, f.fieldSchema(k)})
		if k.f.Required {
			if k.prg == nil {
				required = append(required, k.f.ID)
			} else {
				requiredIfVisible = append(requiredIfVisible, k.f.ID)
			}
		}
	}
	if g.typ == TypeList {
		props = append(obj{{"id", obj{{"type", "string"}, {"pattern", itemIDRe.String()},
			{"description", "この人を表す id（再送信のとき同じ人に同じ id を使います。省略時は " + g.f.IDPrefix + "1, " + g.f.IDPrefix + "2 …）"}}}}, props...)
	}
	o := obj{{"type", "object"}, {"additionalProperties", false}, {"properties", props}}
	if len(required) > 0 {
		o = append(o, kv{"required", required})
	}
	if len(requiredIfVisible) > 0 {
		o = append(o, kv{"x-onestop-required-if-visible", requiredIfVisible})
	}
	return o
}

func (f *Form) fieldSchema(n *node) obj {
	o := obj{{"title", n.f.Label}}
	if n.f.Help != "" {
		o = append(o, kv{"description", strings.TrimSpace(n.f.Help)})
	}
	str := func(maxLen int) {
		o = append(o, kv{"type", "string"})
		if maxLen > 0 {
			o = append(o, kv{"maxLength", maxLen})
		}
	}
	num := func() {
		o = append(o, kv{"type", []string{"integer", "string"}})
		if n.f.Min != nil {
			o = append(o, kv{"minimum", *n.f.Min})
		} else if n.typ == TypeYen {
			o = append(o, kv{"minimum", 0})
		}
		if n.f.Max != nil {
			o = append(o, kv{"maximum", *n.f.Max})
		}
	}
	choices := func() []obj {
		out := make([]obj, len(n.f.Choices))
		for i, c := range n.f.Choices {
			co := obj{{"const", c.Value}, {"title", c.Label}}
			if c.Help != "" {
				co = append(co, kv{"description", c.Help})
			}
			if c.Exclusive {
				co = append(co, kv{"x-onestop-exclusive", true})
			}
			out[i] = co
		}
		return out
	}
	limit := func(def int) int {
		if n.f.MaxLength > 0 {
			return n.f.MaxLength
		}
		return def
	}
	switch n.typ {
	case TypeText:
		if n.f.Multiline {
			str(limit(2000))
		} else {
			str(limit(200))
		}
	case TypeName:
		str(limit(50))
	case TypeKana:
		str(limit(50))
		o = append(o, kv{"examples", []string{"ヤマダ"}})
	case TypeEmail:
		str(254)
		o = append(o, kv{"format", "email"})
	case TypeDate:
		str(0)
		o = append(o, kv{"examples", []string{"2025-04-01", "令和7年4月1日", "R7.4.1"}})
	case TypePostal:
		o = append(o, kv{"type", []string{"string", "integer"}}, kv{"examples", []string{"100-0001"}})
	case TypePhone:
		str(20)
		o = append(o, kv{"examples", []string{"090-1234-5678"}})
	case TypeLGCode:
		o = append(o, kv{"type", []string{"string", "integer"}}, kv{"pattern", "^[0-9]{6}$"}, kv{"examples", []string{"131016"}})
	case TypeYen:
		num()
		if n.f.Units {
			o = append(o, kv{"examples", []any{1200000, "120万"}})
		}
	case TypeInt:
		num()
	case TypeBool:
		o = append(o, kv{"type", "boolean"})
	case TypeConsent:
		o = append(o, kv{"type", "boolean"}, kv{"description", n.f.Consent.Notice})
	case TypeChoice:
		o = append(o, kv{"type", "string"}, kv{"oneOf", choices()})
	case TypeChoices:
		o = append(o, kv{"type", "array"}, kv{"uniqueItems", true}, kv{"items", obj{{"type", "string"}, {"oneOf", choices()}}})
	case TypeGroup:
		o = append(o, f.objectSchema(n)...)
	case TypeList:
		o = append(o, kv{"type", "array"}, kv{"maxItems", n.f.MaxItems}, kv{"items", f.objectSchema(n)})
	}
	o = append(o, kv{"x-onestop-type", string(n.typ)})
	if n.parent == f.root {
		o = append(o, kv{"x-onestop-page", n.page})
	}
	if n.f.VisibleIf != "" {
		o = append(o, kv{"x-onestop-visible-if", n.f.VisibleIf})
	}
	if n.f.Fact != "" {
		o = append(o, kv{"x-onestop-fact", n.f.Fact})
	}
	if n.f.Record != "" {
		o = append(o, kv{"x-onestop-record", n.f.Record})
	}
	if n.f.SetBy != "" {
		o = append(o, kv{"x-onestop-set-by", string(n.f.SetBy)})
	}
	if n.f.Member != "" {
		o = append(o, kv{"x-onestop-member", n.f.Member})
	}
	if cs := n.f.Consent; cs != nil {
		o = append(o, kv{"x-onestop-consent", obj{
			{"purposes", cs.Purposes}, {"actions", cs.Actions}, {"categories", cs.Categories},
			{"recipients", cs.Recipients}, {"notice", cs.Notice}, {"notice_version", cs.NoticeVersion},
			{"notice_sha256", consent.HashNotice(cs.Notice)}, {"period_months", cs.PeriodMonths}, {"children", cs.Children},
		}})
	}
	return o
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		buf.Write(k)
		buf.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(e.v); err != nil {
			return nil, err
		}
		buf.Write(bytes.TrimRight(vb.Bytes(), "\n"))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
