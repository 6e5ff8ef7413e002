package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/consent"
)

// A redacted view from casefile is a flat list of fields ("name.family",
// "contacts.0.value"); only the permitted ones are there. tree rebuilds the
// nesting so that templates can ask for "name.family" or the list of
// "consultations". A field absent from the view is simply absent here: the
// page cannot show what the department was not given.
type tree map[string]any

func buildTree(fields []consent.Field) tree {
	t := tree{}
	for _, f := range fields {
		cur := t
		segs := strings.Split(f.Path, ".")
		for i, s := range segs {
			if i == len(segs)-1 {
				cur[s] = f.Value
				break
			}
			next, ok := cur[s].(tree)
			if !ok {
				next = tree{}
				cur[s] = next
			}
			cur = next
		}
	}
	return t
}

func (t tree) get(path string) (any, bool) {
	var cur any = t
	for _, s := range strings.Split(path, ".") {
		m, ok := cur.(tree)
		if !ok {
			return nil, false
		}
		if cur, ok = m[s]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// str returns the value at path as text ("" when absent).
func (t tree) str(path string) string {
	v, ok := t.get(path)
	if !ok {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "はい"
		}
		return "いいえ"
	case tree:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func (t tree) has(path string) bool {
	_, ok := t.get(path)
	return ok
}

func (t tree) boolean(path string) (bool, bool) {
	v, ok := t.get(path)
	b, isBool := v.(bool)
	return b, ok && isBool
}

// list returns the children of path whose keys are indices, in order.
func (t tree) list(path string) []tree {
	v, ok := t.get(path)
	if !ok {
		return nil
	}
	m, ok := v.(tree)
	if !ok {
		return nil
	}
	type kv struct {
		i int
		t tree
	}
	var items []kv
	for k, x := range m {
		i, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		if sub, ok := x.(tree); ok {
			items = append(items, kv{i, sub})
		}
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]tree, len(items))
	for i, it := range items {
		out[i] = it.t
	}
	return out
}

// strs returns the leaves of a list of strings (topics.0, topics.1 …).
func (t tree) strs(path string) []string {
	v, ok := t.get(path)
	if !ok {
		return nil
	}
	m, ok := v.(tree)
	if !ok {
		return nil
	}
	keys := make([]int, 0, len(m))
	for k := range m {
		if i, err := strconv.Atoi(k); err == nil {
			keys = append(keys, i)
		}
	}
	sort.Ints(keys)
	var out []string
	for _, k := range keys {
		if s, ok := m[strconv.Itoa(k)].(string); ok {
			out = append(out, s)
		}
	}
	return out
}
