package eligibility

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
)

// fillAll sets every field of v, recursively: pointers point at filled
// values, lists hold two filled elements, the local facts hold a scalar
// and a list. A field added to the facts model is filled without a change
// here.
func fillAll(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(civil.Date{}) {
			v.Set(reflect.ValueOf(civil.MustDate(2020, 4, 2)))
			return
		}
		for i := range v.NumField() {
			fillAll(t, v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(t, v.Index(i))
		}
	case reflect.Map:
		require.Equal(t, reflect.TypeOf(map[string]any(nil)), v.Type(), "a map of the facts model other than extra")
		v.Set(reflect.ValueOf(map[string]any{"note": "x", "months": []any{int64(1), int64(2)}, "names": []string{"a", "b"}}))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	default:
		t.Fatalf("fillAll: no value for %s", v.Type())
	}
}

// assertNothingShared walks a and b (equal values) and fails on any
// pointer, list or map they share.
func assertNothingShared(t *testing.T, a, b reflect.Value, path string) {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return
		}
		assert.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
		assertNothingShared(t, a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			assertNothingShared(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	case reflect.Slice:
		if a.Len() > 0 {
			assert.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
		}
		for i := range a.Len() {
			assertNothingShared(t, a.Index(i), b.Index(i), path+"[]")
		}
	case reflect.Map:
		if a.IsNil() {
			return
		}
		assert.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
		for _, k := range a.MapKeys() {
			assertNothingShared(t, a.MapIndex(k), b.MapIndex(k), path+"."+k.String())
		}
	case reflect.Interface:
		if !a.IsNil() {
			assertNothingShared(t, a.Elem(), b.Elem(), path)
		}
	}
}

// Clone copies every fact of a fully filled household and shares none of
// its memory; a fact added to the model without its copy fails here (and
// in TestFactViewIsGenerated, which generates the copy).
func TestCloneSharesNothing(t *testing.T) {
	var h Household
	fillAll(t, reflect.ValueOf(&h).Elem())
	c := h.Clone()
	require.Equal(t, &h, c)
	assertNothingShared(t, reflect.ValueOf(h), reflect.ValueOf(*c), "Household")

	*c.Members[0].Disability.ConstantCare = false
	c.Members[1].Incomes[0].Deductions.Medical = 9
	c.Receiving[0] = "changed"
	c.Extra["months"].([]any)[0] = int64(7)
	assert.True(t, *h.Members[0].Disability.ConstantCare)
	assert.Equal(t, int64(1), h.Members[1].Incomes[0].Deductions.Medical)
	assert.Equal(t, "x", h.Receiving[0])
	assert.Equal(t, int64(1), h.Extra["months"].([]any)[0])
}

// Unknown stays unknown and "none" stays none: nil and empty lists differ
// in the facts model.
func TestCloneKeepsNilAndEmpty(t *testing.T) {
	h := Household{Members: []Member{{ID: "a", Relation: RelationSelf, Incomes: []Income{}}}, Receiving: nil}
	c := h.Clone()
	assert.Nil(t, c.Receiving)
	assert.NotNil(t, c.Members[0].Incomes)
	assert.Empty(t, c.Members[0].Incomes)
	assert.Nil(t, c.Members[0].BirthDate)
	assert.Nil(t, c.Extra)

	h.Receiving = []string{}
	assert.NotNil(t, h.Clone().Receiving)
	assert.Nil(t, (*Household)(nil).Clone())
}
