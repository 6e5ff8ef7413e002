package eligibility

import (
	mbits "math/bits"
	"strings"

	"cel.dev/cel-go/common/types"
)

// Unknown facts on the closure path. A compiled closure returns its value
// and an unk: 0 when the value is known, otherwise the handle of a set of
// unknown facts in the screening's arena — the same content as the
// interpreter's *types.Unknown: fact paths (its household.… trails) and
// the members an unknown list may hold (its @members trail); a probe's own
// unknown (@probe) is a set with neither. Sets are built only when facts
// are missing, so a household whose facts are all known never touches the
// arena. Handles stay valid for the whole screening: a memoised income
// figure replays its unknown facts in every programme that asks.

// unk is the unknown state of a closure's result (0: known).
type unk int32

// emptyUnk is the unknown with no facts and no members (a probe's
// accumulator): unknown, but adding nothing to Missing.
const emptyUnk unk = 1

type unkSet struct {
	// The set's facts: those of index below 64 as a bit set (lo), the
	// others in arena.ids[off : off+n], ascending. A screening rarely
	// meets 64 unknown facts: then merging is a few bit operations.
	lo      uint64
	off, n  int32
	members uint64 // members an unknown list may hold
}

type unkArena struct {
	sets  []unkSet
	ids   []int32
	facts []factPath
	// keys are the facts' quick keys (quickKey), scanned before a path
	// is compared.
	keys []uint64
	// byPath indexes facts once there are more than a few; below, tab
	// does: an open-addressing table over their quick keys (fact index+1;
	// 0 is empty), cleared at reset.
	byPath map[factPath]int32
	tab    [factTab]int32
	one    []unk // fact index → its singleton set
	// miss are the facts' Missing entries, built on first use
	// (missingOf): a fact several programmes wait for is looked up once.
	miss []missSlot
	// lists are the Missing lists made in the screening (missingOf) of
	// sets of facts of index below 64, in listBuf.
	lists   []missList
	listBuf []Missing
	// mkeys are the household's members' cache keys (missingFact).
	mkeys memberKeys
	// mtab are the engine's Missing entries looked up, kept from one
	// screening to the next (entry): an open-addressing table.
	mtab  *[missTab]missTabEntry
	nmtab int
}

type missList struct {
	lo     uint64
	off, n int32
}

type missSlot struct {
	m    Missing
	done bool
	ok   bool
}

func (a *unkArena) reset() {
	if len(a.facts) > 0 {
		// tab holds entries only for facts added (fact): a screening
		// without unknown facts leaves nothing to clear.
		a.tab = [factTab]int32{}
	}
	a.sets = append(a.sets[:0], unkSet{}, unkSet{}) // 0 unused, 1 emptyUnk
	a.ids = a.ids[:0]
	a.facts = a.facts[:0]
	a.keys = a.keys[:0]
	a.one = a.one[:0]
	a.miss = a.miss[:0]
	a.lists = a.lists[:0]
	a.mkeys.done = [MaxMembers]bool{}
	clear(a.listBuf) // no strings of the last household kept
	a.listBuf = a.listBuf[:0]
	if len(a.byPath) > 0 {
		clear(a.byPath)
	}
}

// scanFacts is how many facts fact looks up in tab (then in byPath).
const scanFacts = 32

// factTab is the size of unkArena.tab: a power of two, four times
// scanFacts, so that probes are short.
const factTab = 128

// tabSlot is the first slot of a quick key in unkArena.tab.
func tabSlot(k uint64) int { return int((k * 0x9E3779B97F4A7C15) >> (64 - 7)) }

// fact returns the unknown of one fact.
func (a *unkArena) fact(p factPath) unk {
	i, ok := a.find(p)
	if !ok {
		i = int32(len(a.facts))
		a.facts = append(a.facts, p)
		a.keys = append(a.keys, quickKey(p))
		a.one = append(a.one, 0)
		a.miss = append(a.miss, missSlot{})
		if len(a.facts) <= scanFacts {
			h := tabSlot(a.keys[i])
			for a.tab[h] != 0 {
				h = (h + 1) & (factTab - 1)
			}
			a.tab[h] = i + 1
		}
		switch {
		case len(a.facts) == scanFacts+1:
			if a.byPath == nil {
				a.byPath = map[factPath]int32{}
			}
			for j, f := range a.facts {
				a.byPath[f] = int32(j)
			}
		case len(a.facts) > scanFacts+1:
			a.byPath[p] = i
		}
	}
	if a.one[i] == 0 {
		if i < 64 {
			a.sets = append(a.sets, unkSet{lo: 1 << uint(i)})
		} else {
			a.ids = append(a.ids, i)
			a.sets = append(a.sets, unkSet{off: int32(len(a.ids) - 1), n: 1})
		}
		a.one[i] = unk(len(a.sets) - 1)
	}
	return a.one[i]
}

// find returns the index of fact p in the arena.
func (a *unkArena) find(p factPath) (int32, bool) {
	if len(a.facts) > scanFacts {
		i, ok := a.byPath[p]
		return i, ok
	}
	k := quickKey(p)
	for h := tabSlot(k); a.tab[h] != 0; h = (h + 1) & (factTab - 1) {
		i := a.tab[h] - 1
		if a.keys[i] != k {
			continue
		}
		f := &a.facts[i]
		if f.member == p.member && f.year == p.year && f.field == p.field && f.sub == p.sub {
			return i, true
		}
	}
	return 0, false
}

// quickKey sums up a fact path in a word: equal paths have equal keys
// (different paths may too: find compares them in full).
func quickKey(p factPath) uint64 {
	k := uint64(p.member+1)<<56 ^ uint64(p.year)<<32 ^ uint64(len(p.sub))<<24 ^ uint64(len(p.field))<<16
	if n := len(p.field); n > 0 {
		k ^= uint64(p.field[0])<<8 ^ uint64(p.field[n-1])
	}
	return k
}

// members returns the unknown of a list that may hold the members of set.
func (a *unkArena) members(set uint64) unk {
	a.sets = append(a.sets, unkSet{members: set})
	return unk(len(a.sets) - 1)
}

// hiOf are the set's facts of index 64 and above.
func (a *unkArena) hiOf(s unkSet) []int32 {
	return a.ids[s.off : s.off+s.n]
}

// idsOf appends the set's fact indices to buf, ascending.
func (a *unkArena) idsOf(u unk, buf []int32) []int32 {
	s := a.sets[u]
	for b := s.lo; b != 0; b &= b - 1 {
		buf = append(buf, int32(mbits.TrailingZeros64(b)))
	}
	return append(buf, a.hiOf(s)...)
}

// within reports whether set x is within set y.
func (a *unkArena) within(x, y unkSet) bool {
	return x.lo&^y.lo == 0 && x.members&^y.members == 0 && subset(a.hiOf(x), a.hiOf(y))
}

// merge is types.MergeUnknowns: the union of two unknowns (0 is known).
func (a *unkArena) merge(x, y unk) unk {
	switch {
	case x == 0 || x == y:
		return y
	case y == 0:
		return x
	}
	sx, sy := &a.sets[x], &a.sets[y]
	if sx.n == 0 && sy.n == 0 {
		// Facts of index below 64 only (nearly always): bit operations.
		lo, members := sx.lo|sy.lo, sx.members|sy.members
		switch {
		case lo == sx.lo && members == sx.members:
			return x
		case lo == sy.lo && members == sy.members:
			return y
		}
		a.sets = append(a.sets, unkSet{lo: lo, members: members})
		return unk(len(a.sets) - 1)
	}
	return a.mergeSlow(x, y)
}

// mergeSlow is merge of sets with facts of index 64 and above.
func (a *unkArena) mergeSlow(x, y unk) unk {
	sx, sy := a.sets[x], a.sets[y]
	if a.within(sy, sx) {
		return x
	}
	if a.within(sx, sy) {
		return y
	}
	off := int32(len(a.ids))
	if sx.n > 0 || sy.n > 0 {
		xs, ys := a.hiOf(sx), a.hiOf(sy)
		i, j := 0, 0
		for i < len(xs) || j < len(ys) {
			switch {
			case j == len(ys) || (i < len(xs) && xs[i] < ys[j]):
				a.ids = append(a.ids, xs[i])
				i++
			case i == len(xs) || ys[j] < xs[i]:
				a.ids = append(a.ids, ys[j])
				j++
			default:
				a.ids = append(a.ids, xs[i])
				i++
				j++
			}
		}
	}
	a.sets = append(a.sets, unkSet{lo: sx.lo | sy.lo, off: off, n: int32(len(a.ids)) - off, members: sx.members | sy.members})
	return unk(len(a.sets) - 1)
}

// subset reports whether the ascending list x is within the ascending y.
func subset(x, y []int32) bool {
	j := 0
	for _, v := range x {
		for j < len(y) && y[j] < v {
			j++
		}
		if j == len(y) || y[j] != v {
			return false
		}
	}
	return true
}

// candidates is candidateSet: the members an unknown list may hold.
func (a *unkArena) candidates(u unk) uint64 {
	if u == 0 {
		return 0
	}
	return a.sets[u].members
}

// quals is the qualifier path of the fact's unknown trail (household.…),
// as factPath.unknownVal builds it.
func (p factPath) quals() []any {
	var q []any
	if p.member >= 0 {
		q = append(q, "members", int64(p.member))
	}
	switch p.sub {
	case "disability":
		q = append(q, "disability")
	case "incomes":
		q = append(q, "incomes", yearQual(p.year))
	case "extra":
		q = append(q, "extra")
	}
	if p.field != "" {
		q = append(q, p.field)
	}
	return q
}

// toUnknown converts an arena unknown to the interpreter's (for an
// expression the interpreter evaluates on the closure path).
func (a *unkArena) toUnknown(u unk) *types.Unknown {
	out := probeUnknown()
	var buf [64]int32
	for _, i := range a.idsOf(u, buf[:0]) {
		out = types.MergeUnknowns(out, a.facts[i].unknownVal())
	}
	if m := a.sets[u].members; m != 0 {
		out = types.MergeUnknowns(out, membersUnknown(m))
	}
	return out
}

// fromUnknown converts an interpreter unknown into the arena.
func (a *unkArena) fromUnknown(x *types.Unknown) unk {
	u := emptyUnk
	for _, id := range x.IDs() {
		trails, _ := x.GetAttributeTrails(id)
		for _, t := range trails {
			switch t.Variable() {
			case membersTrail:
				if q := t.QualifierPath(); len(q) == 1 {
					if s, ok := q[0].(int64); ok {
						u = a.merge(u, a.members(uint64(s)))
					}
				}
			case "household":
				if p, ok := factPathOf(t.QualifierPath()); ok {
					u = a.merge(u, a.fact(p))
				}
			}
		}
	}
	return u
}

// factPathOf reads a household trail back into a factPath.
func factPathOf(q []any) (factPath, bool) {
	p := factPath{member: -1}
	i := 0
	if len(q) >= 2 && q[0] == "members" {
		m, ok := q[1].(int64)
		if !ok {
			return p, false
		}
		p.member = int(m)
		i = 2
	}
	if i < len(q) {
		switch q[i] {
		case "disability":
			p.sub = "disability"
			i++
		case "extra":
			p.sub = "extra"
			i++
		case "incomes":
			if i+1 < len(q) {
				if s, ok := q[i+1].(string); ok && strings.HasPrefix(s, "year=") {
					// Only yearQual's form (no sign, no leading zero):
					// the path reads back to the same trail.
					digits := s[len("year="):]
					if digits == "" || len(digits) > 18 || (digits[0] == '0' && len(digits) > 1) {
						return p, false
					}
					p.sub = "incomes"
					var y int64
					for _, c := range digits {
						if c < '0' || c > '9' {
							return p, false
						}
						y = y*10 + int64(c-'0')
					}
					p.year = y
					i += 2
				}
			}
		}
	}
	if i < len(q) {
		f, ok := q[i].(string)
		if !ok || i+1 != len(q) {
			return p, false
		}
		p.field = f
	}
	return p, true
}

// popcount and nth help member sets.
func popcount(s uint64) int { return mbits.OnesCount64(s) }
