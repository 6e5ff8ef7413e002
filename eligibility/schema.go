package eligibility

import (
	"encoding/json"
	"slices"
)

// HouseholdSchemaID is the $id of the household JSON Schema.
const HouseholdSchemaID = "https://github.com/onestop-jp/onestop/eligibility/household.schema.json"

// HouseholdSchema returns the JSON Schema (draft 2020-12) of the household
// facts, generated from the fact catalog, so that a vendor can validate
// its own data before calling onestop, or generate forms. Every optional
// fact also accepts null, which, like an absent key, means "not known".
// The same document is kept in the repository as household.schema.json.
func HouseholdSchema() []byte {
	catalog := factCatalog()
	defs := map[string]any{}
	for _, name := range []string{"Member", "Income", "Deductions", "Disability"} {
		defs[name] = objectSchema(catalog[name])
	}
	root := objectSchema(catalog["Household"])
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = HouseholdSchemaID
	root["title"] = "onestop household facts（世帯の情報）"
	root["description"] = "One household screened by onestop. An absent key or null means the fact is not known (never zero); a rule that needs it makes the outcome undetermined and names it. Dates are YYYY-MM-DD; amounts are whole yen."
	root["$defs"] = defs
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // maps of plain values always marshal
	}
	return append(out, '\n')
}

func objectSchema(t *FactType) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.Fields {
		f := &t.Fields[i]
		props[f.Key] = fieldSchema(f)
		if f.Required {
			required = append(required, f.Key)
		}
	}
	s := map[string]any{
		"type":                 "object",
		"title":                t.Label,
		"additionalProperties": false,
		"properties":           props,
	}
	if len(required) > 0 {
		slices.Sort(required)
		s["required"] = required
	}
	return s
}

func fieldSchema(f *FactField) map[string]any {
	s := map[string]any{"title": f.Label, "description": f.Doc}
	nullable := func(t string) any {
		if f.Required {
			return t
		}
		return []string{t, "null"}
	}
	switch f.Kind {
	case KindString:
		s["type"] = nullable("string")
		s["maxLength"] = f.Max
	case KindBool:
		s["type"] = nullable("boolean")
	case KindYen:
		s["type"] = nullable("integer")
		s["minimum"] = 0
		s["maximum"] = f.Max
	case KindInt:
		s["type"] = nullable("integer")
		s["minimum"] = f.Min
		s["maximum"] = f.Max
	case KindDate:
		s["type"] = nullable("string")
		s["format"] = "date"
		s["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	case KindEnum:
		var vals []any
		var labels []string
		for _, ev := range f.Enum {
			vals = append(vals, ev.Value)
			labels = append(labels, ev.Value+": "+ev.Label)
		}
		if !f.Required {
			vals = append(vals, nil)
		}
		s["enum"] = vals
		s["description"] = f.Doc + " (" + joinLabels(labels) + ")"
	case KindList:
		s["type"] = nullable("array")
		if f.Elem == "" {
			s["items"] = map[string]any{"type": "string", "pattern": programID.String()}
		} else {
			s["items"] = map[string]any{"$ref": "#/$defs/" + f.Elem}
		}
		s["maxItems"] = f.Max
		if f.Min > 0 {
			s["minItems"] = f.Min
		}
	case KindObject:
		s["anyOf"] = []any{map[string]any{"$ref": "#/$defs/" + f.Elem}, map[string]any{"type": "null"}}
	case KindMap:
		scalar := []any{map[string]any{"type": "string", "maxLength": MaxStringLength}, map[string]any{"type": "integer"}, map[string]any{"type": "boolean"}}
		s["type"] = nullable("object")
		s["maxProperties"] = f.Max
		s["propertyNames"] = map[string]any{"pattern": snakeKey.String()}
		s["additionalProperties"] = map[string]any{"anyOf": append(scalar,
			map[string]any{"type": "array", "maxItems": MaxReceiving, "items": map[string]any{"anyOf": scalar}},
			map[string]any{"type": "null"})}
	}
	return s
}

func joinLabels(ls []string) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += ", "
		}
		out += l
	}
	return out
}
