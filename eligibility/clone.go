package eligibility

import "reflect"

// Clone returns a deep copy of the household: the copy shares no memory
// with h (no pointer, list or map), so either can be changed without the
// other seeing it. Unknown facts stay unknown (nil) and empty lists stay
// empty, not nil. The copy is laid out in a few blocks, the household's
// facts next to each other (layout.go): a population of clones is read
// with fewer cache misses than households built fact by fact.
func (h *Household) Clone() *Household {
	if h == nil {
		return nil
	}
	c := compactHousehold(h)
	c.Extra = cloneExtra(h.Extra)
	return c
}

// clonePtr copies the value p points to.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	return new(*p)
}

// cloneExtra copies the local facts. Their values are strings, integers,
// booleans or lists of those; a list is copied element by element
// (elements of any other kind are shared).
func cloneExtra(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && !rv.IsNil() {
			cp := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
			reflect.Copy(cp, rv)
			v = cp.Interface()
		}
		out[k] = v
	}
	return out
}
