package eligibility

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullHousehold is a household with every optional fact given (every
// pointer set, two members, two incomes each, receiving and local facts),
// so that every string of the facts model is there to be made too long.
func fullHousehold() *Household {
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			fill(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i))
				}
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Struct {
				v.Set(reflect.MakeSlice(v.Type(), 2, 2))
				for i := range 2 {
					fill(v.Index(i))
				}
			} else if v.Type().Elem().Kind() == reflect.String {
				v.Set(reflect.ValueOf([]string{"a", "b"}).Convert(v.Type()))
			}
		case reflect.String:
			v.SetString("x")
		}
	}
	h := &Household{}
	fill(reflect.ValueOf(h).Elem())
	h.Extra = map[string]any{"k": "v", "l": []any{"a"}}
	return h
}

// stringSites are setters of every string of h (fields, pointed-to
// strings, list elements), with their paths.
func stringSites(h *Household) (sites []func(string), paths []string) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(v.Field(i), path+"."+f.Name)
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), path+"["+string(rune('0'+i))+"]")
			}
		case reflect.String:
			sites = append(sites, v.SetString)
			paths = append(paths, path)
		}
	}
	walk(reflect.ValueOf(h).Elem(), "h")
	return sites, paths
}

// TestSizesWithinIsSizeError: Screen's quick size check (sizesWithin)
// passes only households the exact one (sizeError) passes, for a string
// too long in every place of the facts model and for lists beyond their
// bounds; a string of many bytes but few characters goes on to the exact
// check and passes.
func TestSizesWithinIsSizeError(t *testing.T) {
	require.NoError(t, checkSizes(fullHousehold()))
	require.True(t, sizesWithin(fullHousehold()), "a household within the bounds takes the quick check")
	sites, paths := stringSites(fullHousehold())
	require.Greater(t, len(sites), 20, "every string of the facts model")
	long, wide, edge := strings.Repeat("x", MaxStringLength+1), strings.Repeat("あ", MaxStringLength), strings.Repeat("x", MaxStringLength)
	for i, path := range paths {
		for _, c := range []struct {
			s    string
			fits bool
		}{{long, false}, {wide, true}, {edge, true}} {
			h := fullHousehold()
			s, _ := stringSites(h)
			s[i](c.s)
			if sizesWithin(h) {
				assert.True(t, c.fits, "%s: %d bytes passed the quick check", path, len(c.s))
			}
			err := checkSizes(h)
			if c.fits {
				assert.NoError(t, err, path)
			} else {
				assert.ErrorIs(t, err, ErrTooLarge, path)
			}
			assert.Equal(t, sizeError(h) == nil, err == nil, path)
		}
	}
	lists := map[string]func(h *Household){
		"members":   func(h *Household) { h.Members = make([]Member, MaxMembers+1) },
		"incomes":   func(h *Household) { h.Members[1].Incomes = make([]Income, MaxIncomes+1) },
		"receiving": func(h *Household) { h.Receiving = make([]string, MaxReceiving+1) },
		"extra string": func(h *Household) {
			h.Extra["s"] = long
		},
		"extra list": func(h *Household) { h.Extra["s"] = make([]any, MaxReceiving+1) },
		"extra count": func(h *Household) {
			for i := range MaxExtra {
				h.Extra[strings.Repeat("k", i+2)] = 1
			}
		},
	}
	for name, beyond := range lists {
		h := fullHousehold()
		beyond(h)
		assert.False(t, sizesWithin(h), name)
		assert.ErrorIs(t, checkSizes(h), ErrTooLarge, name)
	}
}
