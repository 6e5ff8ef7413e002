package eligibility

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checked-in schema is the generated one. Regenerate it with
//
//	UPDATE_SCHEMA=1 go test ./eligibility -run TestHouseholdSchemaFile
func TestHouseholdSchemaFile(t *testing.T) {
	got := HouseholdSchema()
	if os.Getenv("UPDATE_SCHEMA") == "1" {
		require.NoError(t, os.WriteFile("household.schema.json", got, 0o644))
	}
	want, err := os.ReadFile("household.schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "household.schema.json is stale: run UPDATE_SCHEMA=1 go test ./eligibility -run TestHouseholdSchemaFile")
}

// Every key the schema allows is a key the decoder accepts, and the other
// way round.
func TestHouseholdSchemaMatchesDecoder(t *testing.T) {
	var s map[string]any
	require.NoError(t, json.Unmarshal(HouseholdSchema(), &s))
	defs := s["$defs"].(map[string]any)
	check := func(name string, obj map[string]any) {
		props := obj["properties"].(map[string]any)
		ft := factCatalog()[name]
		assert.Len(t, props, len(ft.Fields), name)
		for k := range props {
			assert.NotNil(t, ft.Field(k), "%s.%s", name, k)
		}
		assert.Equal(t, false, obj["additionalProperties"])
	}
	check("Household", s)
	for name, def := range defs {
		check(name, def.(map[string]any))
	}
	// The contract household decodes, and its keys all appear in the schema.
	_, err := DecodeHousehold([]byte(contractHousehold))
	require.NoError(t, err)
}

// docs/rules.md, the guide for rule authors, has its tables of facts and
// functions generated from the fact catalog and the library declarations.
// Regenerate them with
//
//	UPDATE_DOCS=1 go test ./eligibility -run TestRulesGuideIsGenerated
func TestRulesGuideIsGenerated(t *testing.T) {
	const path = "../docs/rules.md"
	guide, err := os.ReadFile(path)
	require.NoError(t, err)
	got := string(guide)
	for _, part := range []struct{ name, body string }{{"facts", factsMarkdown()}, {"functions", functionsMarkdown()}} {
		begin, end := "<!-- generated: "+part.name+" -->\n", "<!-- end generated: "+part.name+" -->"
		i, j := strings.Index(got, begin), strings.Index(got, end)
		require.True(t, i >= 0 && j > i, "docs/rules.md lacks the markers %q … %q", begin, end)
		got = got[:i+len(begin)] + part.body + got[j:]
	}
	if os.Getenv("UPDATE_DOCS") == "1" {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	assert.Equal(t, got, string(guide), "docs/rules.md is stale: run UPDATE_DOCS=1 go test ./eligibility -run TestRulesGuideIsGenerated")
}
