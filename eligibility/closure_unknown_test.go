package eligibility

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The arena's sets (facts of index below 64 as bits, the others listed)
// against plain sets: merging keeps every fact and member of both, in
// ascending order, returns an operand when it already holds the other,
// and the candidates are the members' union — with more than 64 facts too.
func TestUnknownArenaMergesAsSets(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	var a unkArena
	for round := range 40 {
		a.reset()
		nFacts := 1 + r.IntN(150)
		type ref struct {
			facts   map[int32]bool
			members uint64
		}
		var us []unk
		var refs []ref
		for i := range nFacts {
			p := memberFact(i%MaxMembers, []string{"birth_date", "sex", "lives_with", "supported", "school"}[i/MaxMembers%5])
			p.year = int64(i / (5 * MaxMembers)) // distinct facts beyond 100
			if p.year > 0 {
				p.sub = "incomes"
			}
			us = append(us, a.fact(p))
			refs = append(refs, ref{facts: map[int32]bool{int32(i): true}})
		}
		require.Len(t, a.facts, nFacts, "round %d: distinct facts", round)
		for range 300 {
			var u unk
			var want ref
			switch r.IntN(4) {
			case 0:
				m := r.Uint64() & (1<<MaxMembers - 1)
				u, want = a.members(m), ref{facts: map[int32]bool{}, members: m}
			default:
				x, y := r.IntN(len(us)), r.IntN(len(us))
				u = a.merge(us[x], us[y])
				want = ref{facts: map[int32]bool{}, members: refs[x].members | refs[y].members}
				for f := range refs[x].facts {
					want.facts[f] = true
				}
				for f := range refs[y].facts {
					want.facts[f] = true
				}
				if len(want.facts) == len(refs[x].facts) && want.members == refs[x].members {
					require.Equal(t, us[x], u, "a superset operand is the result")
				}
			}
			var wantIDs []int32
			for f := range want.facts {
				wantIDs = append(wantIDs, f)
			}
			slices.Sort(wantIDs)
			got := a.idsOf(u, nil)
			if len(wantIDs) == 0 {
				require.Empty(t, got)
			} else {
				require.Equal(t, wantIDs, got)
			}
			require.Equal(t, want.members, a.candidates(u))
			us, refs = append(us, u), append(refs, want)
		}
	}
}

// TestUnknownArenaFindsEachFactOnce: the arena's look-up (a hash table over
// quick keys up to scanFacts facts, a map beyond) finds a fact asked again,
// however many facts share its quick key, and nothing of the household
// screened before a reset — against a plain list of the paths seen.
func TestUnknownArenaFindsEachFactOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	// Paths of few shapes: many share a quick key (same member, year,
	// lengths, first and last bytes).
	fields := []string{"sex", "sax", "six", "birth_date", "birth_gate", "lives_with", "grade"}
	subs := []string{"", "disability", "incomes", "extra"}
	var a unkArena
	for round := range 200 {
		a.reset()
		var seen []factPath
		n := 1 + r.IntN(2*scanFacts)
		if round%3 == 0 {
			n = 1 + r.IntN(scanFacts) // the table only
		}
		for range 4 * n {
			p := factPath{member: r.IntN(4) - 1, sub: subs[r.IntN(len(subs))], field: fields[r.IntN(len(fields))]}
			if p.sub == "incomes" {
				p.year = int64(2023 + r.IntN(2))
			}
			if !slices.Contains(seen, p) && len(seen) == n {
				continue
			}
			u := a.fact(p)
			idx := slices.Index(seen, p)
			if idx < 0 {
				seen = append(seen, p)
				idx = len(seen) - 1
			}
			require.Len(t, a.facts, len(seen), "round %d: %v is one fact", round, p)
			require.Equal(t, p, a.facts[idx], "round %d", round)
			require.Equal(t, u, a.fact(p), "round %d: the same set for the same fact", round)
			got, ok := a.find(p)
			require.True(t, ok)
			require.Equal(t, int32(idx), got, "round %d: %v", round, p)
		}
	}
}
