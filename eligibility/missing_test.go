package eligibility

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func missingPaths(o *Outcome) []string {
	var out []string
	for _, m := range o.Missing {
		out = append(out, m.Path)
	}
	return out
}

// The case: two children partly unknown. cel-go's filter kept only
// the last unknown predicate, so only the second child's facts were asked;
// the first child's appeared once those were answered.
func TestMissingListsEveryChildInOneRound(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	h := household(t, `{"situation":"divorced","de_facto_partner":false,"members":[
		{"id":"p","relation":"self","resides_in_japan":true,"incomes":[{"year":2023,"business_income":0,"other_income":0,"child_support_received":0}]},
		{"id":"c1","relation":"child"},{"id":"c2","relation":"child"}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("child-rearing-allowance")
	assert.Equal(t, Undetermined, o.Status)
	assert.Subset(t, missingPaths(o), []string{"members[1].birth_date", "members[2].birth_date"})

	ca := s.Outcome("child-allowance")
	assert.Equal(t, Undetermined, ca.Status)
	// A child over 18 counts for the ranking only if supported: asked too.
	assert.Equal(t, []string{"members[1].birth_date", "members[1].supported", "members[2].birth_date", "members[2].supported"}, missingPaths(ca))
}

// A conditional whose condition is unknown asks for the facts of both
// branches too: once the condition is answered, one of them is needed.
func TestMissingIncludesBothBranchesOfAnUnknownCondition(t *testing.T) {
	body := "    conditions:\n      - reason: r\n        expr: \"household.de_facto_partner ? household.situation == 'married' : household.applicant().resides_in_japan\"\n"
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	s, err := e.Screen(context.Background(), household(t, `{"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"de_facto_partner", "members[0].resides_in_japan", "situation"}, missingPaths(s.Outcome("p")))

	// A known condition still evaluates only its branch.
	s, err = e.Screen(context.Background(), household(t, `{"de_facto_partner":false,"members":[{"relation":"self"}]}`), d("2025-06-01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"members[0].resides_in_japan"}, missingPaths(s.Outcome("p")))
}

// A comprehension over a list whose members are not all known adds what
// its body reads for every member that may be in the list; a library
// function given such a list adds what it reads for them.
func TestMissingLooksInsideUnknownLists(t *testing.T) {
	body := `    values:
      - name: kids
        expr: household.children().filter(c, c.lives_with)
    conditions:
      - reason: r
        expr: kids.exists(c, c.resides_in_japan)
    amount:
      per: month
      expr: kids.map(c, c.rank_among(kids)).sum()
`
	p, err := LoadPack(programPack(body), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	h := household(t, `{"members":[{"relation":"self"},
		{"relation":"child","birth_date":"2015-01-01"},
		{"relation":"child","lives_with":false},
		{"relation":"child","lives_with":true}]}`)
	s, err := e.Screen(context.Background(), h, d("2025-06-01"))
	require.NoError(t, err)
	o := s.Outcome("p")
	assert.Equal(t, Undetermined, o.Status)
	// members[2] cannot be in kids: nothing is asked about it.
	assert.Equal(t, []string{"members[1].lives_with", "members[1].resides_in_japan", "members[3].birth_date", "members[3].resides_in_japan"}, missingPaths(o))
}

// The engine's Missing cache (missing.go) keys an entry by the fact and
// the member's relation and position: every household must get the entry
// it would get built afresh (missingFromTrail), whichever household built
// the cached one. Households of random shapes and every fact path the
// facts model has (and a few it has not) are checked, in two passes so the
// second reads entries cached by other households.
func TestMissingCacheAgreesWithTrails(t *testing.T) {
	e := loadSample(t, "testdata/samplepack")
	r := rand.New(rand.NewPCG(13, 5))
	var hs []*Household
	for range 60 {
		h := &Household{ID: "h"}
		n := 1 + r.IntN(7)
		for i := range n {
			rel := RelationSelf
			if i > 0 {
				rel = Relation(relationValues[r.IntN(len(relationValues))].Value)
				if r.IntN(9) == 0 {
					rel = "not-a-relation"
				}
			}
			h.Members = append(h.Members, Member{ID: fmt.Sprintf("m%d-%d", len(hs), i), Relation: rel})
		}
		hs = append(hs, h)
	}
	catalog := factCatalog()
	var paths []factPath
	for _, f := range catalog["Household"].Fields {
		paths = append(paths, householdFact(f.Key))
	}
	for _, key := range []string{"wants_visit", "not_declared"} {
		paths = append(paths, extraFact(key))
	}
	for m := range 9 { // beyond the smallest households too
		for _, f := range catalog["Member"].Fields {
			paths = append(paths, memberFact(m, f.Key))
		}
		for _, f := range catalog["Disability"].Fields {
			paths = append(paths, factPath{member: m, sub: "disability", field: f.Key})
		}
		for _, y := range []int64{2023, 2024} {
			paths = append(paths, incomeYearFact(m, y))
			for _, f := range catalog["Income"].Fields {
				paths = append(paths, factPath{member: m, sub: "incomes", year: y, field: f.Key})
			}
		}
		paths = append(paths, factPath{member: m})
	}
	// The third pass looks the entries up through an arena kept from one
	// household to the next, as the closures' screenings do (entry), for
	// fewer facts than its table keeps: members' facts whose entries
	// depend on the member's relation and rank, and facts with an entry
	// of their household's own (no field: not the engine's).
	var a unkArena
	var tablePaths []factPath
	for _, p := range paths {
		if p.member >= 1 && p.member <= 4 && p.sub == "" && (p.field == "birth_date" || p.field == "") || p.sub == "extra" {
			tablePaths = append(tablePaths, p)
		}
	}
	require.Less(t, len(tablePaths), missTab/2)
	for pass := range 3 {
		for hi, h := range hs {
			// The second pass memoises the members' keys per household,
			// as a screening does.
			var mk *memberKeys
			if pass == 1 {
				mk = &memberKeys{}
			}
			a.reset()
			ps := paths
			if pass == 2 {
				ps = tablePaths
			}
			for _, p := range ps {
				want, wantOK := missingFromTrail(h, p.quals())
				if f, ok := e.factByKey[want.Field]; ok && strings.HasPrefix(want.Path, "extra.") {
					want.Label = f.Label
				}
				got, ok := e.missingFact(h, p, mk)
				if pass == 2 {
					got, ok = a.entry(e, h, p).of(h, p)
				}
				require.Equal(t, wantOK, ok, "pass %d household %d %+v", pass, hi, p)
				require.Equal(t, want, got, "pass %d household %d %+v", pass, hi, p)
				// The interpreter's trail of the fact reads back to a
				// fact of the same trail.
				back, parsed := factPathOf(p.quals())
				require.True(t, parsed, "%+v", p)
				require.Equal(t, p.quals(), back.quals())
			}
		}
	}
	mm := e.missing.maps.Load()
	require.NotNil(t, mm)
	require.Len(t, mm.extra, 2)
	require.Positive(t, len(mm.facts))
	require.Less(t, len(mm.facts), len(paths)*len(hs)/5, "entries are shared between households")
}

// A trail that is not in factPath's form is not read back (the Missing
// entry is then built from the trail itself).
func TestFactPathOfRefusesOtherTrails(t *testing.T) {
	for _, q := range [][]any{
		{"members", int64(0), "incomes", "year=02024", "salary_revenue"},
		{"members", int64(0), "incomes", "year=-1"},
		{"members", int64(0), "incomes", "year="},
		{"members", int64(0), "incomes", "year=2x24"},
		{"members", "0", "birth_date"},
		{"a", "b"},
	} {
		_, ok := factPathOf(q)
		assert.False(t, ok, "%v", q)
	}
}
