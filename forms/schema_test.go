package forms

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./forms -update to create %s", path)
	if string(want) == string(got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Fatalf("%s is out of date at line %d:\n  want %q\n  got  %q\nrun go test ./forms -run %s -update", path, i+1, w, g, t.Name())
		}
	}
}

func TestDefinitionSchemaFile(t *testing.T) {
	golden(t, "form.schema.json", DefinitionSchema())
}

func TestSubmissionSchemaGolden(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	golden(t, "testdata/jp-model.schema.json", f.Schema())
}

// TestEmbeddedDefinitionsMatchSchema checks every embedded definition
// against the definition schema, read as a JSON Schema by a small
// validator for the keywords the generated schemas use.
func TestEmbeddedDefinitionsMatchSchema(t *testing.T) {
	schema := decodeJSON(t, DefinitionSchema())
	err := fs.WalkDir(ModelFiles(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(ModelFiles(), path)
		require.NoError(t, err)
		var doc any
		require.NoError(t, yaml.Unmarshal(data, &doc))
		doc = jsonish(doc)
		assert.Empty(t, validateSchema(schema, schema, doc, ""), path)
		return nil
	})
	require.NoError(t, err)
	// and the validator does find problems
	bad := map[string]any{"form": map[string]any{"id": "X", "version": "1", "title": "t"}, "pages": []any{map[string]any{"id": "p", "title": "t", "fields": []any{map[string]any{"id": "a", "type": "txt", "label": "A", "nope": 1}}}}}
	problems := validateSchema(schema, schema, bad, "")
	assert.Len(t, problems, 3, "%v", problems) // id pattern, type enum, unknown key
}

func TestCheckedSubmissionMatchesSchema(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	schema := decodeJSON(t, f.Schema())
	data, err := os.ReadFile("testdata/submission.json")
	require.NoError(t, err)
	c, err := f.Check(data)
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Empty(t, validateSchema(schema, schema, decodeJSON(t, b), ""))
	// an unknown answer and a value outside the choices are refused by
	// the schema too
	doc := decodeJSON(t, b).(map[string]any)
	doc["answers"].(map[string]any)["nickname"] = "x"
	doc["answers"].(map[string]any)["situation"] = "divorsed"
	problems := validateSchema(schema, schema, doc, "")
	assert.Len(t, problems, 2, "%v", problems)
}

func TestSchemaDescribesConsents(t *testing.T) {
	f, err := Model()
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal(f.Schema(), &s))
	props := s["properties"].(map[string]any)["answers"].(map[string]any)["properties"].(map[string]any)
	c := props["consent_online_application"].(map[string]any)
	ext := c["x-onestop-consent"].(map[string]any)
	assert.Equal(t, c["description"], ext["notice"])
	assert.Len(t, ext["notice_sha256"], 64)
	assert.Equal(t, []any{"online_application"}, ext["purposes"])
	// a conditional requirement is not a JSON Schema requirement
	app := props["applicant_income"].(map[string]any)
	assert.Contains(t, app["x-onestop-required-if-visible"], "prev_salary")
	req, _ := app["required"].([]any)
	assert.NotContains(t, req, "prev_salary")
	assert.Equal(t, "'salary_revenue' in prev_kinds", app["properties"].(map[string]any)["prev_salary"].(map[string]any)["x-onestop-visible-if"])
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	return v
}

// jsonish converts a YAML-decoded value to what encoding/json would give.
func jsonish(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonish(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonish(e)
		}
		return x
	case int:
		return json.Number(fmt.Sprint(x))
	case float64:
		return json.Number(fmt.Sprint(x))
	}
	return v
}

// validateSchema is a small JSON Schema validator for the keywords this
// package's schemas use: $ref to $defs, type, const, enum, pattern,
// maxLength, minimum, maximum, properties, additionalProperties: false,
// required, items, maxItems, uniqueItems and oneOf. Annotations and
// x-onestop-* keywords are ignored.
func validateSchema(root, schema, v any, path string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	fail := func(format string, args ...any) { out = append(out, path+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		out = append(out, validateSchema(root, root.(map[string]any)["$defs"].(map[string]any)[name], v, path)...)
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch tt := t.(type) {
		case string:
			types = []string{tt}
		case []any:
			for _, x := range tt {
				types = append(types, x.(string))
			}
		}
		matched := false
		for _, ty := range types {
			matched = matched || jsonType(v, ty)
		}
		if !matched {
			fail("type %v, got %T", types, v)
			return out
		}
	}
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, v) {
		fail("const %v, got %v", c, v)
	}
	if e, ok := s["enum"].([]any); ok {
		found := false
		for _, x := range e {
			found = found || reflect.DeepEqual(x, v)
		}
		if !found {
			fail("not in enum: %v", v)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("does not match %s: %q", p, str)
		}
		if m, ok := s["maxLength"].(json.Number); ok {
			if n, _ := m.Int64(); int64(utf8.RuneCountInString(str)) > n {
				fail("longer than %d", n)
			}
		}
	}
	if num, ok := v.(json.Number); ok {
		x, _ := num.Float64()
		if m, ok := s["minimum"].(json.Number); ok {
			if lim, _ := m.Float64(); x < lim {
				fail("below %v", lim)
			}
		}
		if m, ok := s["maximum"].(json.Number); ok {
			if lim, _ := m.Float64(); x > lim {
				fail("above %v", lim)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for k, e := range obj {
			if ps, ok := props[k]; ok {
				out = append(out, validateSchema(root, ps, e, path+"."+k)...)
			} else if s["additionalProperties"] == false {
				fail("unknown property %q", k)
			}
		}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					fail("missing %q", r)
				}
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if m, ok := s["maxItems"].(json.Number); ok {
			if n, _ := m.Int64(); int64(len(arr)) > n {
				fail("more than %d items", n)
			}
		}
		if s["uniqueItems"] == true {
			for i := range arr {
				for j := i + 1; j < len(arr); j++ {
					if reflect.DeepEqual(arr[i], arr[j]) {
						fail("items %d and %d are equal", i, j)
					}
				}
			}
		}
		if it, ok := s["items"]; ok {
			for i, e := range arr {
				out = append(out, validateSchema(root, it, e, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, alt := range one {
			if len(validateSchema(root, alt, v, path)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of oneOf", n)
		}
	}
	return out
}

func jsonType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case "null":
		return v == nil
	}
	return false
}
