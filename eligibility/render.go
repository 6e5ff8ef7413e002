package eligibility

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// AppendJSON appends the JSON form of a screening to dst: the same bytes as
// s.AppendJSON, written faster when s comes from this engine, because the
// parts of an outcome that are the same for every household (a programme's
// id, name, category and kind, each condition's reason, the question of a
// local fact, a carried-forward warning) were escaped once, when the engine
// was compiled. Whatever s holds, the output is the screening contract:
// a part that does not match the engine's is written as s.AppendJSON
// writes it.
func (e *Engine) AppendJSON(dst []byte, s *Screening) []byte {
	return jsonWriter{f: e.jsonFragments()}.screening(dst, s)
}

// jsonFragments are the parts of an engine's screenings' JSON that are the
// same for every household, escaped once.
type jsonFragments struct {
	packRef  PackRef
	pack     []byte // ,"pack":{…}
	programs []programFragments
	byID     map[string]int
	// extra holds the Missing entries of local facts, by path.
	extra map[string]missingFragment
	// carried holds the warnings of parameters with a carry-forward
	// message, by parameter name.
	carried map[string]warningFragment
	// parts holds the written parts of the Missing entries met so far,
	// by path (string → *missingVariants), and nparts counts them: the
	// engine builds the same few hundred entries for every household.
	parts  sync.Map
	nparts atomic.Int32
	// slots finds the parts of a path again by the address of its bytes,
	// without hashing it: the engine hands out each fact's Missing with
	// the same strings (its Missing cache), so a path's address recurs.
	slots [partsSlots]atomic.Pointer[missingParts]
}

// partsSlots is the number of jsonFragments.slots (a power of 2).
const partsSlots = 1 << 10

// maxMissingParts bounds an engine's written Missing parts; beyond it an
// entry is written in full each time (the same bytes, slower).
const maxMissingParts = 1 << 12

// missingParts is the JSON of a Missing entry, escaped, around its
// member_id: head is {"path":…, tail is ,"field":… to the closing brace.
// It is the same in every household for the entry's field, label and
// year (and path, its key).
type missingParts struct {
	path         string
	field, label string
	year         int
	head, tail   []byte
}

// missingVariants are the parts kept for one path (a member's fact is
// labelled by the member's place among the household's members: 子の…,
// 子（2人目）の…); never changed once stored (a new one replaces it).
type missingVariants struct {
	v []*missingParts
}

type programFragments struct {
	id, name, category string
	kind               Kind
	head               []byte // {"program":…,"kind":…,"status":
	conds              []condFragment
}

type condFragment struct {
	reason string
	head   []byte // {"reason":…,"result":
}

type missingFragment struct {
	m    Missing
	json []byte
}

type warningFragment struct {
	w    Warning
	json []byte
}

// jsonFragments returns the engine's fragments, prepared by Compile.
func (e *Engine) jsonFragments() *jsonFragments {
	if e.render == nil {
		// An Engine not made by Compile (the zero value) has none.
		return nil
	}
	return e.render
}

// newJSONFragments prepares the fragments of a compiled engine.
func newJSONFragments(e *Engine) *jsonFragments {
	f := &jsonFragments{byID: map[string]int{}, extra: map[string]missingFragment{}, carried: map[string]warningFragment{}}
	top := e.layers[len(e.layers)-1]
	f.packRef = PackRef{ID: top.ID, Version: top.Version}
	if len(e.layers) > 1 {
		f.packRef.Layers = slices.Clone(e.layers)
	}
	f.pack = appendPackRef(nil, f.packRef)
	for _, p := range e.programs {
		src := p.src
		o := Outcome{Program: src.ID, Name: src.Name, Category: src.Category, Kind: src.Kind}
		pf := programFragments{id: o.Program, name: o.Name, category: o.Category, kind: o.Kind}
		head := jsonWriter{}.outcome(nil, &o, 0)
		if k := bytes.Index(head, []byte(`,"status":`)); k >= 0 {
			pf.head = head[:k+len(`,"status":`)]
		}
		for _, c := range src.Conditions {
			cr := ConditionResult{Reason: c.Reason}
			b, _ := jsonWriter{}.condition(nil, &cr, nil, 0)
			if k := bytes.Index(b, []byte(`,"result":`)); k >= 0 {
				pf.conds = append(pf.conds, condFragment{reason: c.Reason, head: b[:k+len(`,"result":`)]})
			}
		}
		if pf.head == nil {
			continue // never: the head always holds the status key
		}
		f.byID[o.Program] = len(f.programs)
		f.programs = append(f.programs, pf)
	}
	for _, x := range e.facts {
		m := Missing{Path: "extra." + x.Key, Field: x.Key, Label: x.Label}
		f.extra[m.Path] = missingFragment{m: m, json: appendMissing(nil, &m)}
	}
	for _, pd := range e.params {
		if msg := pd.param.CarryForwardWarning; msg != "" {
			w := Warning{Code: "parameter_carried_forward", Message: msg, Parameter: pd.name}
			f.carried[pd.name] = warningFragment{w: w, json: jsonWriter{}.warning(nil, &w)}
		}
	}
	return f
}

func (f *jsonFragments) samePack(p PackRef) bool {
	return p.ID == f.packRef.ID && p.Version == f.packRef.Version && slices.Equal(p.Layers, f.packRef.Layers)
}

// program returns the fragments of the i-th outcome's programme, or nil
// when the outcome does not hold the programme's own id, name, category
// and kind.
func (f *jsonFragments) program(o *Outcome, i int) *programFragments {
	var pf *programFragments
	if i < len(f.programs) && f.programs[i].id == o.Program {
		pf = &f.programs[i] // the usual case: no map lookup
	} else if k, ok := f.byID[o.Program]; ok {
		pf = &f.programs[k]
	} else {
		return nil
	}
	if pf.name != o.Name || pf.category != o.Category || pf.kind != o.Kind {
		return nil
	}
	return pf
}

// condition returns the written start of the condition with reason, the
// first such at or after next, and its index; nil when there is none.
func (pf *programFragments) condition(reason string, next int) ([]byte, int) {
	if pf == nil {
		return nil, 0
	}
	for k := next; k < len(pf.conds); k++ {
		if pf.conds[k].reason == reason {
			return pf.conds[k].head, k
		}
	}
	return nil, 0
}

func (f *jsonFragments) missing(m *Missing) []byte {
	if f == nil || m.MemberID != "" || m.Year != 0 || !strings.HasPrefix(m.Path, "extra.") {
		return nil
	}
	if x, ok := f.extra[m.Path]; ok && x.m == *m {
		return x.json
	}
	return nil
}

func (f *jsonFragments) warning(w *Warning) []byte {
	if f == nil {
		return nil
	}
	if x, ok := f.carried[w.Parameter]; ok && x.w == *w {
		return x.json
	}
	return nil
}

// missingParts returns the written parts of m, written once per engine;
// nil when f is nil or holds too many.
func (f *jsonFragments) missingParts(m *Missing) *missingParts {
	if f == nil {
		return nil
	}
	// Fibonacci hashing of the address (whose low 3 bits vary little).
	slot := &f.slots[uint64(uintptr(unsafe.Pointer(unsafe.StringData(m.Path))))>>3*0x9E3779B97F4A7C15>>(64-10)]
	if p := slot.Load(); p != nil && p.path == m.Path && p.field == m.Field && p.label == m.Label && p.year == m.Year {
		return p // == on the same string data compares no bytes
	}
	p := f.storedParts(m)
	if p != nil {
		slot.Store(p)
	}
	return p
}

// storedParts is missingParts by the path's value.
func (f *jsonFragments) storedParts(m *Missing) *missingParts {
	old, _ := f.parts.Load(m.Path)
	var vs *missingVariants
	if old != nil {
		vs = old.(*missingVariants)
		for _, p := range vs.v {
			if p.field == m.Field && p.label == m.Label && p.year == m.Year {
				return p
			}
		}
	}
	if f.nparts.Load() >= maxMissingParts {
		return nil
	}
	head := appendString([]byte(`{"path":`), m.Path)
	full := appendMissing(nil, &Missing{Path: m.Path, Field: m.Field, Year: m.Year, Label: m.Label})
	p := &missingParts{path: m.Path, field: m.Field, label: m.Label, year: m.Year, head: head, tail: full[len(head):]}
	next := &missingVariants{v: []*missingParts{p}}
	if vs != nil {
		next.v = append(slices.Clone(vs.v), p)
	}
	// Another worker may have stored the same path meanwhile: then p is
	// used this once, and kept the next time.
	if old == nil {
		if _, loaded := f.parts.LoadOrStore(m.Path, next); loaded {
			return p
		}
	} else if !f.parts.CompareAndSwap(m.Path, old, next) {
		return p
	}
	f.nparts.Add(1)
	return p
}
