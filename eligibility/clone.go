package eligibility

import "reflect"

// Clone returns a deep copy of the household: the copy shares no memory
// with h (no pointer, list or map), so either can be changed without the
// other seeing it. Unknown facts stay unknown (nil) and empty lists stay
// empty, not nil. The per-type copies are generated from the fact catalog
// (factview.go), so a fact added to the catalog is copied too.
func (h *Household) Clone() *Household {
	if h == nil {
		return nil
	}
	c := cloneHousehold(h)
	return &c
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
