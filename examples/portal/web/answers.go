package web

import (
	"fmt"
	"strconv"
	"strings"
)

// A submission's answers are kept as decoded JSON (map[string]any), the form
// the forms package reads. Paths are the forms package's: "situation",
// "applicant.birth_date", "children[1].birth_date".

type pathSeg struct {
	name  string
	index int // -1: not a list item
}

func parsePath(path string) ([]pathSeg, error) {
	if path == "" {
		return nil, fmt.Errorf("empty path")
	}
	parts := strings.Split(path, ".")
	segs := make([]pathSeg, 0, len(parts))
	for _, p := range parts {
		s := pathSeg{name: p, index: -1}
		if i := strings.IndexByte(p, '['); i >= 0 {
			if !strings.HasSuffix(p, "]") {
				return nil, fmt.Errorf("path %q: bad index", path)
			}
			n, err := strconv.Atoi(p[i+1 : len(p)-1])
			if err != nil || n < 0 || n > 100 {
				return nil, fmt.Errorf("path %q: bad index", path)
			}
			s.name, s.index = p[:i], n
		}
		if s.name == "" {
			return nil, fmt.Errorf("path %q: empty segment", path)
		}
		segs = append(segs, s)
	}
	return segs, nil
}

// getAnswer returns the answer at path.
func getAnswer(root map[string]any, path string) (any, bool) {
	segs, err := parsePath(path)
	if err != nil {
		return nil, false
	}
	var cur any = root
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok := m[s.name]
		if !ok {
			return nil, false
		}
		if s.index >= 0 {
			l, ok := v.([]any)
			if !ok || s.index >= len(l) {
				return nil, false
			}
			v = l[s.index]
		}
		cur = v
	}
	return cur, true
}

// setAnswer stores v at path, creating groups on the way; list items must
// exist already (lists are created by their count question). A nil v
// removes the answer.
func setAnswer(root map[string]any, path string, v any) error {
	segs, err := parsePath(path)
	if err != nil {
		return err
	}
	cur := root
	for i, s := range segs {
		last := i == len(segs)-1
		if s.index < 0 {
			if last {
				if v == nil {
					delete(cur, s.name)
				} else {
					cur[s.name] = v
				}
				return nil
			}
			next, ok := cur[s.name].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[s.name] = next
			}
			cur = next
			continue
		}
		l, ok := cur[s.name].([]any)
		if !ok || s.index >= len(l) {
			return fmt.Errorf("path %q: no such list item", path)
		}
		if last {
			return fmt.Errorf("path %q: cannot replace a list item", path)
		}
		item, ok := l[s.index].(map[string]any)
		if !ok {
			return fmt.Errorf("path %q: list item is not an object", path)
		}
		cur = item
	}
	return nil
}

// setListLength makes the list at path (a top-level or group list) hold n
// items with ids prefix1…prefixN, keeping the answers of the items kept.
func setListLength(root map[string]any, path string, n int, prefix string) error {
	if n < 0 || n > 100 {
		return fmt.Errorf("path %q: %d items", path, n)
	}
	segs, err := parsePath(path)
	if err != nil {
		return err
	}
	parent := root
	for _, s := range segs[:len(segs)-1] {
		if s.index >= 0 {
			return fmt.Errorf("path %q: nested lists are not supported", path)
		}
		next, ok := parent[s.name].(map[string]any)
		if !ok {
			next = map[string]any{}
			parent[s.name] = next
		}
		parent = next
	}
	name := segs[len(segs)-1].name
	old, _ := parent[name].([]any)
	items := make([]any, n)
	for i := range items {
		if i < len(old) {
			items[i] = old[i]
			continue
		}
		items[i] = map[string]any{"id": prefix + strconv.Itoa(i+1)}
	}
	parent[name] = items
	return nil
}

// templatePath turns a concrete path into the form's template path:
// children[1].birth_date → children[].birth_date.
func templatePath(path string) string {
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			b.WriteRune(r)
			skip = true
		case r == ']':
			b.WriteRune(r)
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// itemOf returns the list path and index of the first list item in path:
// children[1].birth_date → "children", 1.
func itemOf(path string) (string, int, bool) {
	i := strings.IndexByte(path, '[')
	if i < 0 {
		return "", 0, false
	}
	j := strings.IndexByte(path[i:], ']')
	if j < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(path[i+1 : i+j])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return path[:i], n, true
}

// cloneAnswers deep-copies decoded JSON.
func cloneAnswers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = cloneAnswers(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = cloneAnswers(x)
		}
		return l
	default:
		return t
	}
}
