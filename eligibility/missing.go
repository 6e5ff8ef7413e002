package eligibility

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cel.dev/cel-go/common/types"
)

// Missing facts, cheaply. A fact's Missing entry (path, field, year,
// Japanese label) depends on the household only through the member it is
// about: its index (the path), its relation and its position among the
// members of that relation (the label: 子（2人目）の生年月日), and its id.
// An engine keeps the entries it has built, keyed by the fact and that
// member description, so that a batch builds each label once and screening
// a household with missing facts formats nothing; only MemberID is filled
// per household. missingFromTrail (outcome.go) builds an entry the first
// time and stays the definition: TestMissingCacheAgreesWithTrails holds the
// cache to it.

// maxMissingCached bounds an engine's cache: the facts a pack can ask for,
// per member position and income year, are far fewer; beyond it entries are
// built each time (same result, slower).
const maxMissingCached = 4096

// missingCache is an engine's Missing entries: the facts of the model by
// missKey, the local facts (household.extra) by key. Reading is one atomic
// load and a map lookup; an entry not there yet is added to a copy of the
// maps (a few hundred times per engine, then never).
type missingCache struct {
	mu   sync.Mutex // serialises adding
	maps atomic.Pointer[missMaps]
}

type missMaps struct {
	facts map[missKey]*missEntry
	extra map[string]*missEntry
}

// missKey is what the Missing entry of a fact of the model depends on: the
// fact (factPath.id, exact for the model's fields) and, for a member's
// fact, the member's relation (its index in relationValues, from 1) and,
// when the household has several members of that relation, which one it
// is (nth from 1; 0 when alone, -1 for a member index beyond the
// household).
type missKey struct {
	id  int64
	rel int16
	nth int16
}

// missEntry is a cached entry: the Missing without its MemberID, and
// whether the fact has one at all (ok false: a trail with no path).
type missEntry struct {
	m  Missing
	ok bool
}

// memberKey returns the part of a member's fact's key that depends on the
// household; ok is false for a relation outside the model (not cached).
func memberKey(h *Household, i int) (rel, nth int16, ok bool) {
	if i < 0 || i >= len(h.Members) {
		return 0, -1, true
	}
	r := h.Members[i].Relation
	rel = -1
	for j := range relationValues {
		if relationValues[j].Value == string(r) {
			rel = int16(j + 1)
			break
		}
	}
	if rel < 0 {
		return 0, 0, false
	}
	same := 0
	for j := range h.Members {
		if h.Members[j].Relation == r {
			same++
			if j <= i {
				nth++
			}
		}
	}
	if same == 1 {
		nth = 0
	}
	return rel, nth, true
}

// cacheKey is the key of fact p of h in the cache (ok false: not cached).
func cacheKey(h *Household, p factPath, mk *memberKeys) (missKey, bool) {
	switch p.sub {
	case "", "disability", "incomes":
	default:
		return missKey{}, false
	}
	code := fieldCode(p.field)
	if p.year < 0 || p.year >= 1<<27 || p.member >= 1<<20 || code >= 255 {
		return missKey{}, false
	}
	k := missKey{id: p.idWith(code)}
	if p.member >= 0 {
		var ok bool
		if k.rel, k.nth, ok = mk.of(h, p.member); !ok {
			return k, false
		}
	}
	return k, true
}

// memberKeys memoises memberKey for the members of one household (a nil
// *memberKeys computes each time).
type memberKeys struct {
	done [MaxMembers]bool
	ok   [MaxMembers]bool
	rel  [MaxMembers]int16
	nth  [MaxMembers]int16
}

func (mk *memberKeys) of(h *Household, i int) (rel, nth int16, ok bool) {
	if mk == nil || i < 0 || i >= len(mk.done) {
		return memberKey(h, i)
	}
	if !mk.done[i] {
		mk.rel[i], mk.nth[i], mk.ok[i] = memberKey(h, i)
		mk.done[i] = true
	}
	return mk.rel[i], mk.nth[i], mk.ok[i]
}

// missingFact returns the Missing entry of fact p of household h (ok false
// when p has no path).
func (e *Engine) missingFact(h *Household, p factPath, mk *memberKeys) (Missing, bool) {
	ent, _ := e.missEntryOf(h, p, mk)
	return ent.of(h, p)
}

// of is the entry's Missing for fact p of household h.
func (ent *missEntry) of(h *Household, p factPath) (Missing, bool) {
	m := ent.m
	if p.member >= 0 && p.member < len(h.Members) {
		m.MemberID = h.Members[p.member].ID
	}
	return m, ent.ok
}

// missEntryOf returns the entry of fact p of household h; engine says it
// is the engine's (its key, the fact and the member's description, gives
// that entry for any household), not one made for h alone.
func (e *Engine) missEntryOf(h *Household, p factPath, mk *memberKeys) (ent *missEntry, engine bool) {
	c := e.missing
	var key missKey
	cached, extra := false, p.sub == "extra" && p.member < 0
	if c != nil {
		key, cached = cacheKey(h, p, mk)
		if mm := c.maps.Load(); mm != nil {
			switch {
			case cached:
				ent = mm.facts[key]
			case extra:
				ent = mm.extra[p.field]
			}
		}
	}
	if ent != nil {
		return ent, true
	}
	{
		ent = &missEntry{}
		ent.m, ent.ok = missingFromTrail(h, p.quals())
		if f, ok := e.factByKey[ent.m.Field]; ok && strings.HasPrefix(ent.m.Path, "extra.") {
			ent.m.Label = f.Label
		}
		ent.m.MemberID = ""
		if c != nil && (cached || extra) {
			c.add(key, cached, p.field, ent)
			return ent, true
		}
	}
	return ent, false
}

// add adds an entry to a copy of the maps (unless the cache is full).
func (c *missingCache) add(key missKey, fact bool, extraKey string, ent *missEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.maps.Load()
	var n int
	mm := &missMaps{}
	if old != nil {
		n = len(old.facts) + len(old.extra)
		if n >= maxMissingCached {
			return
		}
		mm.facts, mm.extra = maps.Clone(old.facts), maps.Clone(old.extra)
	}
	if mm.facts == nil {
		mm.facts = map[missKey]*missEntry{}
	}
	if mm.extra == nil {
		mm.extra = map[string]*missEntry{}
	}
	if fact {
		mm.facts[key] = ent
	} else {
		mm.extra[extraKey] = ent
	}
	c.maps.Store(mm)
}

// missingOf lists the facts of an arena unknown as Engine.missingList
// lists those of a *types.Unknown: by path, once each, labelled.
func (e *Engine) missingOf(h *Household, a *unkArena, u unk, blocks *outBlocks) []Missing {
	if u == 0 {
		return nil
	}
	// Programmes often wait for the same facts: a list made once per
	// screening for a set of facts (of index below 64) is copied again.
	set := a.sets[u]
	cacheable := set.n == 0
	if cacheable {
		for _, c := range a.lists {
			if c.lo == set.lo {
				if c.n == 0 {
					return nil
				}
				r := blocks.missing(int(c.n))
				copy(r, a.listBuf[c.off:c.off+c.n])
				return r
			}
		}
	}
	var buf [64]int32
	ids := a.idsOf(u, buf[:0])
	if len(ids) == 0 {
		return nil
	}
	// Gathered at the end of the screening's listBuf (kept there for the
	// next programme waiting for the same facts, when cacheable), then
	// copied to a slice of its own from the screening's block.
	start := len(a.listBuf)
	all := a.listBuf
	for _, i := range ids {
		sl := &a.miss[i]
		if !sl.done {
			sl.m, sl.ok = a.entry(e, h, a.facts[i]).of(h, a.facts[i])
			sl.done = true
		}
		if sl.ok && !hasPath(all[start:], sl.m.Path) {
			all = append(all, sl.m)
		}
	}
	out := all[start:]
	if len(out) > 0 {
		sortMissing(out)
	}
	if cacheable {
		a.lists = append(a.lists, missList{lo: set.lo, off: int32(start), n: int32(len(out))})
		a.listBuf = all
	} else {
		a.listBuf = all[:start]
	}
	if len(out) == 0 {
		return nil
	}
	r := blocks.missing(len(out))
	copy(r, out)
	if !cacheable {
		clear(out) // no strings of this household kept past the screening
	}
	return r
}

// hasPath reports whether a fact of path p is in ms.
func hasPath(ms []Missing, p string) bool {
	for i := range ms {
		if ms[i].Path == p {
			return true
		}
	}
	return false
}

// addMissing appends m to out unless a fact of its path is there.
func addMissing(out []Missing, m Missing) []Missing {
	if hasPath(out, m.Path) {
		return out
	}
	return append(out, m)
}

// missingList lists the facts of an unknown value, in a stable order.
func (e *Engine) missingList(h *Household, u *types.Unknown) []Missing {
	var out []Missing
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			if t.Variable() != "household" {
				continue
			}
			q := t.QualifierPath()
			var m Missing
			var ok bool
			if p, parsed := factPathOf(q); parsed {
				m, ok = e.missingFact(h, p, nil)
			} else {
				m, ok = missingFromTrail(h, q)
				if f, known := e.factByKey[m.Field]; known && strings.HasPrefix(m.Path, "extra.") {
					m.Label = f.Label
				}
			}
			if ok {
				out = addMissing(out, m)
			}
		}
	}
	sortMissing(out)
	return out
}

// sortMissing orders ms by path (paths are distinct: addMissing). A
// screening's lists are short: an insertion sort, moving no more than it
// must; longer lists are sorted by slices.SortFunc.
func sortMissing(ms []Missing) {
	if len(ms) > 12 {
		slices.SortFunc(ms, func(a, b Missing) int { return strings.Compare(a.Path, b.Path) })
		return
	}
	for i := 1; i < len(ms); i++ {
		if ms[i-1].Path <= ms[i].Path {
			continue
		}
		m := ms[i]
		j := i
		for j > 0 && ms[j-1].Path > m.Path {
			ms[j] = ms[j-1]
			j--
		}
		ms[j] = m
	}
}

// missTab is the size of unkArena's table of Missing entries (a power of
// two); it keeps at most missTab/2 entries.
const missTab = 256

// missTabEntry is an entry of that table: a fact, the description of its
// member (memberKey), and the engine's Missing entry of them.
type missTabEntry struct {
	p        factPath
	rel, nth int16
	ent      *missEntry
}

// entry returns the Missing entry of fact p of household h. The arena
// keeps the engine's entries it looked up in a table that lasts from one
// screening to the next (an arena serves one engine: its environment is
// pooled by the engine), so that a fact many households miss is found
// there without the engine's maps; an entry made for h alone is not kept.
func (a *unkArena) entry(e *Engine, h *Household, p factPath) *missEntry {
	var rel, nth int16
	if p.member >= 0 {
		var ok bool
		if rel, nth, ok = a.mkeys.of(h, p.member); !ok {
			ent, _ := e.missEntryOf(h, p, &a.mkeys)
			return ent
		}
	}
	if a.mtab == nil {
		a.mtab = new([missTab]missTabEntry)
	}
	k := (quickKey(p) ^ uint64(uint16(rel))<<40 ^ uint64(uint16(nth))<<48) * 0x9E3779B97F4A7C15
	i := int(k >> (64 - 8))
	for ; a.mtab[i].ent != nil; i = (i + 1) & (missTab - 1) {
		t := &a.mtab[i]
		if t.rel == rel && t.nth == nth && t.p == p {
			return t.ent
		}
	}
	ent, engine := e.missEntryOf(h, p, &a.mkeys)
	if engine && a.nmtab < missTab/2 {
		a.mtab[i] = missTabEntry{p: p, rel: rel, nth: nth, ent: ent}
		a.nmtab++
	}
	return ent
}
