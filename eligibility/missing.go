package eligibility

import (
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
const maxMissingCached = 1 << 14

// missingCache is an engine's Missing entries by missKey; safe for
// concurrent use (read mostly: sync.Map).
type missingCache struct {
	m sync.Map // missKey → *missEntry
	n atomic.Int32
}

// missKey is what a fact's Missing entry depends on: the fact, and for a
// member's fact the member's relation and, when the household has several
// members of that relation, which one it is (nth from 1; 0 when alone, -1
// for a member index beyond the household).
type missKey struct {
	p   factPath
	rel Relation
	nth int
}

// missEntry is a cached entry: the Missing without its MemberID, and
// whether the fact has one at all (ok false: a trail with no path).
type missEntry struct {
	m  Missing
	ok bool
}

// memberKey returns the part of a member's fact's key that depends on the
// household.
func memberKey(h *Household, i int) (Relation, int) {
	if i < 0 || i >= len(h.Members) {
		return "", -1
	}
	rel := h.Members[i].Relation
	nth, same := 0, 0
	for j := range h.Members {
		if h.Members[j].Relation == rel {
			same++
			if j <= i {
				nth++
			}
		}
	}
	if same == 1 {
		nth = 0
	}
	return rel, nth
}

// missingFact returns the Missing entry of fact p of household h (ok false
// when p has no path).
func (e *Engine) missingFact(h *Household, p factPath) (Missing, bool) {
	k := missKey{p: p}
	if p.member >= 0 {
		k.rel, k.nth = memberKey(h, p.member)
	}
	c := e.missing
	var ent *missEntry
	if c != nil {
		if v, ok := c.m.Load(k); ok {
			ent = v.(*missEntry)
		}
	}
	if ent == nil {
		ent = &missEntry{}
		ent.m, ent.ok = missingFromTrail(h, p.quals())
		if f, ok := e.factByKey[ent.m.Field]; ok && strings.HasPrefix(ent.m.Path, "extra.") {
			ent.m.Label = f.Label
		}
		ent.m.MemberID = ""
		if c != nil && c.n.Load() < maxMissingCached {
			if _, loaded := c.m.LoadOrStore(k, ent); !loaded {
				c.n.Add(1)
			}
		}
	}
	m := ent.m
	if k.nth >= 0 && p.member >= 0 {
		m.MemberID = h.Members[p.member].ID
	}
	return m, ent.ok
}

// missingOf lists the facts of an arena unknown as Engine.missingList
// lists those of a *types.Unknown: by path, once each, labelled.
func (e *Engine) missingOf(h *Household, a *unkArena, u unk) []Missing {
	if u == 0 {
		return nil
	}
	ids := a.idsOf(u)
	if len(ids) == 0 {
		return nil
	}
	out := make([]Missing, 0, len(ids))
	for _, i := range ids {
		m, ok := e.missingFact(h, a.facts[i])
		if ok {
			out = addMissing(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	sortMissing(out)
	return out
}

// addMissing appends m to out unless a fact of its path is there.
func addMissing(out []Missing, m Missing) []Missing {
	for i := range out {
		if out[i].Path == m.Path {
			return out
		}
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
				m, ok = e.missingFact(h, p)
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

func sortMissing(ms []Missing) {
	slices.SortFunc(ms, func(a, b Missing) int { return strings.Compare(a.Path, b.Path) })
}
