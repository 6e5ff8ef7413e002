package forms

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// Every scalar fact of the catalog a form can bind (household facts, the
// applicant's facts, the disability's) reaches the household a checked
// submission builds: the form and its answers are built from the catalog,
// so a fact added to the catalog is bound and checked here without a change
// to this test or to apply.
func TestEveryCatalogFactAFormBindsIsApplied(t *testing.T) {
	type bound struct {
		id, fact string
		where    []string // JSON path of the fact in the household
		answer   any
	}
	var binds []bound
	var page, member strings.Builder
	add := func(b *strings.Builder, indent, id, fact string, ff eligibility.FactField, where []string) {
		var typ string
		var answer any
		choices := "" // and the other properties the type needs
		switch ff.Kind {
		case eligibility.KindBool:
			typ, answer = "bool", true
		case eligibility.KindDate:
			typ, answer, choices = "date", "1990-04-02", ", past: true"
		case eligibility.KindYen:
			typ, answer = "yen", 1000
		case eligibility.KindInt:
			typ, answer, choices = "int", max(ff.Min, 1), fmt.Sprintf(", min: %d, max: %d", ff.Min, ff.Max)
		case eligibility.KindEnum:
			v := ff.Enum[0].Value
			if fact == "disability.kind" {
				v = string(eligibility.DisabilityPhysical)
			}
			typ, answer, choices = "choice", v, fmt.Sprintf(", choices: [{value: %q, label: X}]", v)
		case eligibility.KindString:
			typ, answer = "text", "2" // a 身体障害者手帳 grade
			if fact == "municipality_code" {
				typ, answer = "lg_code", "131016" // the form's type for it (check digit)
			}
		default:
			return
		}
		fmt.Fprintf(b, "%s- {id: %s, type: %s, label: L%s, fact: %q}\n", indent, id, typ, choices, fact)
		binds = append(binds, bound{id: id, fact: fact, where: where, answer: answer})
	}
	catalog := map[string]eligibility.FactType{}
	for _, ft := range eligibility.FactTypes() {
		catalog[ft.Name] = ft
	}
	for _, ff := range catalog["Household"].Fields {
		if ff.Key != "id" {
			add(&page, "      ", "h_"+ff.Key, ff.Key, ff, []string{ff.Key})
		}
	}
	for _, ff := range catalog["Member"].Fields {
		if ff.Key != "id" && ff.Key != "relation" {
			add(&member, "          ", "m_"+ff.Key, ff.Key, ff, []string{"members", "0", ff.Key})
		}
	}
	for _, ff := range catalog["Disability"].Fields {
		add(&member, "          ", "d_"+ff.Key, "disability."+ff.Key, ff, []string{"members", "0", "disability", ff.Key})
	}
	def := "form: {id: f, version: \"1\", title: T}\npages:\n  - id: p\n    title: P\n    fields:\n" + page.String() +
		"      - id: me\n        type: group\n        label: 本人\n        member: self\n        fields:\n" + member.String()
	form, err := Parse([]byte(def), "catalog.yaml")
	require.NoError(t, err, def)

	answers := map[string]any{}
	me := map[string]any{}
	for _, b := range binds {
		if strings.HasPrefix(b.id, "h_") {
			answers[b.id] = b.answer
		} else {
			me[b.id] = b.answer
		}
	}
	answers["me"] = me
	sub, err := json.Marshal(map[string]any{"form": "f", "date": "2026-12-04", "answers": answers})
	require.NoError(t, err)
	c, err := form.Check(sub, On(civil.MustDate(2026, 12, 4)))
	require.NoError(t, err)
	data, err := json.Marshal(c.Household())
	require.NoError(t, err)
	var h any
	require.NoError(t, json.Unmarshal(data, &h))
	for _, b := range binds {
		got := h
		for _, k := range b.where {
			switch x := got.(type) {
			case map[string]any:
				got = x[k]
			case []any:
				got = x[0]
			}
		}
		assert.Equal(t, fmt.Sprint(b.answer), fmt.Sprint(got), "fact %s (field %s)", b.fact, b.id)
	}
	assert.NotEmpty(t, binds)
}
