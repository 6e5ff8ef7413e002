package chatbot

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Programme is a benefit or support programme residents ask about by name
// (児童扶養手当, 児童手当, 児童育成手当). Programme names are entities: a
// question that names one programme is never answered directly with an
// entry about another, however many words the two share, and entries about
// another programme rank below the rest.
//
// The list comes from the caller (WithProgrammes), typically built from
// the rule engine's programmes: the chatbot package does not import the
// engine. DefaultProgrammes is the list generated from the national and
// Tokyo rule packs plus the glossary's programmes.
type Programme struct {
	// ID identifies the programme (the rule pack's id where there is one).
	ID string
	// Name is the official name. A part in brackets is a qualifier and is
	// not matched: 児童育成手当（東京都） is recognised as 児童育成手当.
	Name string
	// Aliases are nicknames and short forms (母子手当, 児扶).
	Aliases []string
}

//go:generate go run ../internal/gen/programmes -o data/programmes.yaml

//go:embed data/programmes.yaml
var programmesYAML []byte

var packProgrammes = sync.OnceValues(func() ([]Programme, error) {
	g, err := LoadGlossary(bytes.NewReader(programmesYAML), "programmes.yaml")
	if err != nil {
		return nil, err
	}
	return g.Programmes, nil
})

// PackProgrammes returns the programmes of the rule packs shipped with the
// library (national and Tokyo), generated from packs/ by `go generate`:
// their ids, names and aliases.
func PackProgrammes() []Programme {
	ps, err := packProgrammes()
	if err != nil {
		panic(fmt.Sprintf("chatbot: embedded programme list: %v", err))
	}
	return cloneProgrammes(ps)
}

// DefaultProgrammes returns PackProgrammes followed by the default
// glossary's programmes: the list Compile uses unless told otherwise.
func DefaultProgrammes() []Programme {
	return append(PackProgrammes(), DefaultGlossary().Programmes...)
}

func cloneProgrammes(ps []Programme) []Programme {
	out := make([]Programme, len(ps))
	for i, p := range ps {
		p.Aliases = append([]string(nil), p.Aliases...)
		out[i] = p
	}
	return out
}

// programmeForms returns the names a programme is recognised by: its name
// without bracketed qualifiers, and its aliases.
func programmeForms(p Programme) []string {
	forms := []string{stripQualifier(p.Name)}
	for _, a := range p.Aliases {
		forms = append(forms, stripQualifier(a))
	}
	return forms
}

// stripQualifier removes bracketed parts: 児童育成手当（東京都） → 児童育成手当.
func stripQualifier(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '（', '(', '［', '[', '【':
			depth++
			continue
		case '）', ')', '］', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// programmeSet recognises programme names in rewritten text, longest first.
type programmeSet struct {
	byFirst map[rune][]programmeForm
	ids     []string // by index: the programme's ID
	names   []string // by index: the programme's name, for messages
	// local is, by index, whether the programme was found in the FAQ
	// (faqProgrammes) rather than known to the engine; parent is, by
	// index, the family a place's programme belongs to (青松市遺児手当 →
	// 遺児手当), or -1. Both nil when the FAQ names no programme of its own.
	local  []bool
	parent []int32
}

type programmeForm struct {
	form []byte
	idx  uint16
}

// maxProgrammes bounds the programmes one compiled matcher recognises
// (indices are uint16).
const maxProgrammes = 1 << 15

// addProgrammeRules keeps every form of every programme whole, and maps
// aliases to the name, in the rewrite table being built.
func addProgrammeRules(b *aliasBuilder, ps []Programme) {
	for _, p := range ps {
		name := Normalize(stripQualifier(p.Name))
		b.add(name, name, false, srcProgramme)
		for _, a := range p.Aliases {
			b.add(Normalize(stripQualifier(a)), name, false, srcProgramme)
		}
	}
}

// compileProgrammes builds the recogniser; forms are rewritten with t so
// they look like the rewritten text they are found in. Programmes whose
// forms coincide after rewriting (two lists naming the same programme) are
// one.
func compileProgrammes(ps []Programme, t *aliasTable) programmeSet {
	s := programmeSet{byFirst: map[rune][]programmeForm{}}
	byForm := map[string]uint16{}
	byID := map[string]uint16{}
	for _, p := range ps {
		if len(s.ids) >= maxProgrammes {
			break
		}
		var forms []string
		for _, f := range programmeForms(p) {
			if n := string(t.apply(nil, []byte(Normalize(f)))); n != "" && !slices.Contains(forms, n) {
				forms = append(forms, n)
			}
		}
		if len(forms) == 0 {
			continue
		}
		idx, known := byID[p.ID]
		for _, f := range forms {
			if known {
				break
			}
			if i, ok := byForm[f]; ok {
				idx, known = i, true
				break
			}
		}
		if !known {
			idx = uint16(len(s.ids))
			s.ids = append(s.ids, p.ID)
			s.names = append(s.names, stripQualifier(p.Name))
		}
		if p.ID != "" {
			if _, ok := byID[p.ID]; !ok {
				byID[p.ID] = idx
			}
		}
		for _, f := range forms {
			if _, ok := byForm[f]; ok {
				continue
			}
			byForm[f] = idx
			r, _ := utf8.DecodeRuneInString(f)
			s.byFirst[r] = append(s.byFirst[r], programmeForm{form: []byte(f), idx: idx})
		}
	}
	for r := range s.byFirst {
		fs := s.byFirst[r]
		sort.Slice(fs, func(i, j int) bool {
			if len(fs[i].form) != len(fs[j].form) {
				return len(fs[i].form) > len(fs[j].form)
			}
			return bytes.Compare(fs[i].form, fs[j].form) < 0
		})
	}
	return s
}

// entitySpan is a programme name found in rewritten text.
type entitySpan struct {
	start, end int32
	idx        uint16
	// negated: the resident corrects themselves right after the name
	// (「児童手当じゃなくて」, negation.go); the name does not count.
	negated bool
}

// spans appends to dst the programme names in rewritten text,
// leftmost-longest (特別児童扶養手当 is not also 児童扶養手当). It does not
// allocate when dst has room.
func (s *programmeSet) spans(dst []entitySpan, text []byte) []entitySpan {
	if len(s.byFirst) == 0 {
		return dst
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		matched := 0
		for _, f := range s.byFirst[r] {
			if bytes.HasPrefix(text[i:], f.form) {
				end := i + len(f.form)
				dst = append(dst, entitySpan{start: int32(i), end: int32(end), idx: f.idx, negated: negatedAt(text, end)})
				matched = len(f.form)
				break
			}
		}
		if matched > 0 {
			i += matched
		} else {
			i += size
		}
	}
	return dst
}

// find appends to dst the indices of the programmes named in rewritten
// text, each once; a negated name (「児童手当じゃなくて」) is not named.
func (s *programmeSet) find(dst []uint16, text []byte) []uint16 {
	for _, e := range s.spans(nil, text) {
		if !e.negated && !slices.Contains(dst, e.idx) {
			dst = append(dst, e.idx)
		}
	}
	return dst
}

// setLocal marks local's programmes as found in the FAQ and records the
// families parent names (by ID; a family may be a known programme).
func (s *programmeSet) setLocal(local []Programme, parent map[string]string) {
	if len(local) == 0 {
		return
	}
	s.local = make([]bool, len(s.ids))
	s.parent = make([]int32, len(s.ids))
	byID := map[string]int32{}
	for i, id := range s.ids {
		byID[id] = int32(i)
		s.parent[i] = -1
	}
	for _, p := range local {
		if i, ok := byID[p.ID]; ok {
			s.local[i] = true
		}
	}
	for c, p := range parent {
		ci, ok1 := byID[c]
		pi, ok2 := byID[p]
		if ok1 && ok2 && s.local[ci] {
			s.parent[ci] = pi
		}
	}
}

// progRel is how the programmes an entry is about stand to those a
// question names.
type progRel int8

const (
	relNone    progRel = iota // the entry is about none that count
	relOther                  // about other programmes only
	relRelated                // about one the question names (or its family)
)

// namesLocal reports whether q holds a programme found in the FAQ.
func (s *programmeSet) namesLocal(q []uint16) bool {
	for _, x := range q {
		if s.local != nil && s.local[x] {
			return true
		}
	}
	return false
}

// covers reports whether every programme of q is among e or related to
// one of e (a place's programme and its family).
func (s *programmeSet) covers(q, e []uint16) bool {
	for _, x := range q {
		found := false
		for _, y := range e {
			if s.related(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sign is +1 for relRelated, −1 for relOther and 0 for relNone
// (Signals.Programme and Signals.LocalProgramme).
func (r progRel) sign() int {
	switch r {
	case relRelated:
		return 1
	case relOther:
		return -1
	}
	return 0
}

// related reports whether programmes x and y are the same, or a place's
// programme and its family (愛知県遺児手当 and 遺児手当).
func (s *programmeSet) related(x, y uint16) bool {
	return x == y || s.parent != nil && (s.parent[x] == int32(y) || s.parent[y] == int32(x))
}

// relate returns how entry programmes e stand to question programmes q.
// A programme found in the FAQ (local) counts only when the question
// names one too: it may be the FAQ's own name for a programme the question
// names as the engine knows it. A place's programme and its family are
// related (遺児手当 and 愛知県遺児手当); two places' are not.
func (s *programmeSet) relate(q, e []uint16) progRel {
	anyLocal := s.namesLocal(q)
	counted := false
	for _, y := range e {
		for _, x := range q {
			if s.related(x, y) {
				return relRelated
			}
		}
		if !anyLocal && s.local != nil && s.local[y] {
			continue
		}
		counted = true
	}
	if !counted {
		return relNone
	}
	return relOther
}

// Classes of a programme in a relation table (relTable): how an entry
// about it stands to the question's programmes.
const (
	relUncounted uint8 = iota // found in the FAQ, and the question names none such
	relCounted                // counts against the entry
	relIsRelated              // the same as or related to one the question names
)

// relTable writes into dst, by programme, its class against question
// programmes q (relUncounted, relCounted, relIsRelated), so that
// relateTable gives relate's answer for any entry in one pass over the
// entry's programmes.
func (s *programmeSet) relTable(dst []uint8, q []uint16) []uint8 {
	dst = slices.Grow(dst[:0], len(s.ids))[:len(s.ids)]
	anyLocal := s.namesLocal(q)
	for y := range dst {
		c := relCounted
		if !anyLocal && s.local != nil && s.local[y] {
			c = relUncounted
		}
		for _, x := range q {
			if s.related(x, uint16(y)) {
				c = relIsRelated
				break
			}
		}
		dst[y] = c
	}
	return dst
}

// relateTable is relate(q, e) for the table relTable made for q.
func relateTable(t []uint8, e []uint16) progRel {
	counted := false
	for _, y := range e {
		switch t[y] {
		case relIsRelated:
			return relRelated
		case relCounted:
			counted = true
		}
	}
	if !counted {
		return relNone
	}
	return relOther
}

// programmesIn returns the IDs of the programmes text names, in order.
func (m *Matcher) programmesIn(text string) []string {
	var out []string
	for _, i := range m.programmes.find(nil, []byte(m.Canonical(text))) {
		out = append(out, m.programmes.ids[i])
	}
	return out
}

// programmeName returns the name of programme id, or def.
func (m *Matcher) programmeName(id, def string) string {
	for i, x := range m.programmes.ids {
		if x == id {
			return m.programmes.names[i]
		}
	}
	return def
}
