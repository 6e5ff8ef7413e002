package forms

import (
	"bytes"
	"encoding/json"
)

// DefinitionSchemaID is the $id of the JSON Schema of definition files.
const DefinitionSchemaID = "https://github.com/onestop-jp/onestop/forms/form.schema.json"

// DefinitionSchema returns the JSON Schema (draft 2020-12) of a form or
// application definition file, generated from the same tables the loader
// checks files against. It is kept in the repository as
// forms/form.schema.json, so that editors can check a definition while it
// is written (# yaml-language-server: $schema=…).
func DefinitionSchema() []byte {
	var defs obj
	seen := map[string]bool{definitionSpec.name: true}
	var add func(o *objSpec)
	add = func(o *objSpec) {
		for _, k := range o.keys {
			if k.obj != nil && !seen[k.obj.name] {
				seen[k.obj.name] = true
				defs = append(defs, kv{k.obj.name, specSchema(k.obj)})
				add(k.obj)
			}
		}
	}
	add(definitionSpec)
	root := obj{{"$schema", SchemaDialect}, {"$id", DefinitionSchemaID}, {"title", "onestop form definition"}}
	root = append(root, specSchema(definitionSpec)...)
	root = append(root, kv{"$defs", defs})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(root)
	return buf.Bytes()
}

func specSchema(o *objSpec) obj {
	props := obj{}
	var req []string
	for _, k := range o.keys {
		props = append(props, kv{k.key, keySchema(k)})
		if k.required {
			req = append(req, k.key)
		}
	}
	s := obj{{"description", o.doc}, {"type", "object"}, {"additionalProperties", false}, {"properties", props}}
	if len(req) > 0 {
		s = append(s, kv{"required", req})
	}
	return s
}

func keySchema(k keySpec) obj {
	s := obj{{"description", k.doc}}
	str := func() obj {
		o := obj{{"type", "string"}}
		if len(k.enum) > 0 {
			o = append(o, kv{"enum", k.enum})
		}
		if k.pattern != "" {
			o = append(o, kv{"pattern", k.pattern})
		}
		return o
	}
	switch k.kind {
	case sString:
		if len(k.enum) == 0 && k.pattern == "" {
			s = append(s, kv{"type", []string{"string", "number"}})
		} else {
			s = append(s, str()...)
		}
	case sText:
		s = append(s, kv{"type", "string"})
	case sBool:
		s = append(s, kv{"type", "boolean"})
	case sInt:
		s = append(s, kv{"type", "integer"})
	case sStrings:
		s = append(s, kv{"type", "array"}, kv{"items", str()})
	case sObject:
		s = append(s, kv{"$ref", "#/$defs/" + k.obj.name})
	case sObjects:
		s = append(s, kv{"type", "array"}, kv{"items", obj{{"$ref", "#/$defs/" + k.obj.name}}})
	}
	return s
}
