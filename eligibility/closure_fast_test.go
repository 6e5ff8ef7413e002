package eligibility

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Tests of the closure path's fast paths (round g): each fails when its
// path gives another result than the plain one.

// TestRelationCodesAgree: m.relation == / != a literal and m.relation in a
// list of literals test the member's relation code (hhInfo.rel, relMask);
// a relation without a code — a household built in Go is not validated —
// compares as a string. Every relation with a code, strings without one
// (close to one with: other case, a prefix, empty) and lists that mix them,
// against the interpreter.
func TestRelationCodesAgree(t *testing.T) {
	rels := []Relation{RelationSelf, RelationChild, RelationSpouse, RelationParent, RelationSibling, RelationOther,
		"grandparent", "Child", "chil", "", "spousee", "parents"}
	// The compiler accepts only relations as literals (a pack cannot
	// name another); the household can hold any string.
	lits := []string{"self", "child", "spouse", "parent", "sibling", "other"}
	var conds []string
	for _, l := range lits {
		conds = append(conds, fmt.Sprintf("household.members.filter(m, m.relation == %q).size()", l),
			fmt.Sprintf("household.members.filter(m, m.relation != %q).size()", l))
	}
	lists := [][]string{{"child", "spouse"}, {"spouse", "parent", "sibling"}, {"other"}, {"self", "other", "child"},
		{"parent", "sibling"}, {"self"}, {}}
	for _, l := range lists {
		q := make([]string, len(l))
		for i, s := range l {
			q[i] = fmt.Sprintf("%q", s)
		}
		conds = append(conds, fmt.Sprintf("household.members.filter(m, m.relation in [%s]).size()", strings.Join(q, ", ")))
	}
	// The amount encodes every count (each below 16): one wrong count
	// changes it.
	e := compileValuesPack(t, conds, nil, func(i int) string { return fmt.Sprintf("v%d * %d", i, (i%4+1)*(i%7+1)*(i+1)) })
	// Each set of relations: self first, then three others cycling
	// through rels.
	at := d("2026-11-23")
	for k := range len(rels) * len(rels) {
		h := &Household{ID: "h", Members: []Member{{ID: "p", Relation: RelationSelf}}}
		for j := range 3 {
			h.Members = append(h.Members, Member{ID: fmt.Sprintf("m%d", j), Relation: rels[(k+j*(k/len(rels)+1))%len(rels)]})
		}
		want, got := screenBothWays(t, e, h, at)
		require.Equal(t, want, got, "relations %v", h.Members)
		require.NotNil(t, got.Results[0].Amount)
	}
	require.Zero(t, e.closures.handedBack.Load())
}

// TestRelCodesAreTheRelations: relCode numbers exactly the relations of
// relCodes, and relMask says which of a list have one.
func TestRelCodesAreTheRelations(t *testing.T) {
	for i, r := range relCodes {
		require.Equal(t, uint8(i+1), relCode(r), r)
	}
	for _, s := range []Relation{"", "Self", "grandparent", "childs", "parent "} {
		require.Zero(t, relCode(s), s)
	}
	m, rest := relMask("child", "spouse")
	require.Equal(t, uint8(1<<2|1<<3), m)
	require.False(t, rest)
	m, rest = relMask("grandparent", "self")
	require.Equal(t, uint8(1<<1), m)
	require.True(t, rest)
}

// TestContainsStringIsContains: the first-byte test never hides a match.
func TestContainsStringIsContains(t *testing.T) {
	words := []string{"", "a", "b", "ab", "ba", "aa", "parent", "spouse", "sibling", "child", "chile", "xhild", "親", "子"}
	for i := range words {
		for j := i; j <= len(words); j++ {
			l := words[i:j]
			for _, v := range words {
				require.Equal(t, slices.Contains(l, v), containsString(l, v), "%q in %q", v, l)
			}
		}
	}
}

// TestLookupSpecIsSpecOf: a call site's few specs (specsOf) give the same
// spec as specOf for every pair of names, whichever of them the site names
// as a literal, and unknown names stay an error (not ok).
func TestLookupSpecIsSpecOf(t *testing.T) {
	ms := []string{"unknown_measure"}
	for m := range measures {
		ms = append(ms, m)
	}
	rs := []string{"nobody", ""}
	for r := range roles {
		rs = append(rs, r)
	}
	for _, m := range ms {
		for _, r := range rs {
			want := specOf(m, r)
			for _, site := range [][2]string{{m, ""}, {"", r}, {m, r}, {ms[1], ""}, {"", "parent"}} {
				got := lookupSpec(specsOf(site[0], site[1]), m, r)
				if want.ok {
					require.Same(t, want, got, "%s/%s at a site naming %q", m, r, site)
				} else {
					require.False(t, got.ok, "%s/%s", m, r)
					require.Equal(t, [2]string{m, r}, [2]string{got.measure, got.role})
				}
			}
		}
	}
	for m := range measures {
		for _, r := range rs {
			want := specOf(m, r)
			got := lookupRole(specsOf(m, ""), m, r)
			if want.ok {
				require.Same(t, want, got, "%s/%s", m, r)
			} else {
				require.False(t, got.ok, "%s/%s", m, r)
			}
		}
	}
	require.Nil(t, specsOf("", ""))
	require.Len(t, specsOf("child_rearing_allowance", ""), len(roles))
}

// TestDateComparesAgree: a comparison of dates is one closure per operator
// (dateCompare), and first_march31_after_age with a literal age reads its
// date directly: every operator, both orders, dates before, on and after,
// unknown birth dates, against the interpreter.
func TestDateComparesAgree(t *testing.T) {
	var conds []string
	for _, op := range []string{"<", "<=", ">", ">="} {
		conds = append(conds,
			fmt.Sprintf("household.members.filter(m, m.birth_date %s date('2015-05-01')).size()", op),
			fmt.Sprintf("household.members.filter(m, date('2015-05-01') %s m.birth_date).size()", op),
			fmt.Sprintf("household.members.filter(m, as_of %s first_march31_after_age(m.birth_date, 18)).size()", op),
			fmt.Sprintf("household.members.filter(m, m.birth_date.add_days(6000) %s as_of).size()", op),
			fmt.Sprintf("household.members.filter(m, date('2026-04-01') %s as_of).size()", op),
			fmt.Sprintf("household.members.filter(m, first_march31_after_age(m.birth_date, 0) %s date('2016-03-31')).size()", op))
	}
	e := compileValuesPack(t, conds, nil, func(i int) string { return fmt.Sprintf("v%d * %d", i, 1<<(2*i%62)) })
	births := []string{"", "2015-04-30", "2015-05-01", "2015-05-02", "2008-04-01", "2008-04-02", "2016-02-29", "2007-03-31"}
	screened := 0
	for i, b1 := range births {
		for _, b2 := range births[i:] {
			var ms []string
			for _, bd := range []string{"1985-01-01", b1, b2} {
				f := ""
				if bd != "" {
					f = fmt.Sprintf(`,"birth_date":%q`, bd)
				}
				rel := "child"
				if len(ms) == 0 {
					rel = "self"
				}
				ms = append(ms, fmt.Sprintf(`{"relation":%q%s}`, rel, f))
			}
			h := household(t, fmt.Sprintf(`{"members":[%s]}`, strings.Join(ms, ",")))
			for _, at := range []string{"2026-03-31", "2026-04-01", "2025-06-01"} {
				want, got := screenBothWays(t, e, h, d(at))
				require.Equal(t, want, got, "%v on %s", ms, at)
				screened++
			}
		}
	}
	require.Zero(t, e.closures.handedBack.Load())
	require.Equal(t, 3*len(births)*(len(births)+1)/2, screened)
}

// TestFilterRelationPrefixAgrees: a filter over members whose predicate
// starts with a test of the relation loops only over the members the test
// holds for (filterMembers with a relationTest) and runs the rest of the
// chain on them: ==, != and in, the literal on either side, chains of two
// and three terms whose other terms are unknown for some members (the
// filter's unknown and the members it may hold), relations without a code;
// a predicate that starts with an || of relation tests (or of && chains
// led by one) leaves out the members none of them holds for
// (relationGuardOf). Against the interpreter.
func TestFilterRelationPrefixAgrees(t *testing.T) {
	filters := []string{
		"household.members.filter(m, m.relation != 'self' && m.lives_with)",
		"household.members.filter(m, 'child' == m.relation && m.resides_in_japan && m.lives_with)",
		"household.members.filter(m, m.relation == 'other' && m.lives_with)",
		"household.members.filter(m, m.relation in ['spouse', 'parent', 'sibling'] && (m.lives_with || m.resides_in_japan))",
		"household.members.filter(m, m.relation in ['child', 'other'] && m.resides_in_japan)",
		"household.members.filter(m, (m.relation != 'child' && m.lives_with) && m.resides_in_japan)",
		"household.children().filter(c, c.relation == 'child' && c.lives_with)",
		"household.members.filter(m, m.relation != 'self' && (!has(m.lives_with) || m.resides_in_japan))",
		// An || of relation tests first (relationGuardOf).
		"household.members.filter(m, (m.relation in ['spouse', 'parent'] || (m.relation == 'child' && m.resides_in_japan)) && m.lives_with)",
		"household.members.filter(m, m.relation == 'sibling' || 'other' == m.relation && m.lives_with || m.relation == 'spouse')",
		"household.members.filter(m, (m.relation != 'child' || m.relation == 'spouse') && m.resides_in_japan)",
		"household.members.filter(m, m.relation == 'child' || m.lives_with)",
	}
	conds := make([]string, len(filters))
	for i := range filters {
		conds[i] = fmt.Sprintf("size(v%d) < 9", i)
	}
	e := compileValuesPack(t, filters, conds, func(i int) string { return fmt.Sprintf("size(v%d) * %d", i, 1<<(3*i)) })
	rels := []Relation{RelationChild, RelationSpouse, RelationParent, RelationSibling, RelationOther, "grandparent", "", RelationSelf}
	at := d("2026-11-23")
	for k := range 600 {
		h := &Household{ID: "h", Members: []Member{{ID: "p", Relation: RelationSelf, LivesWith: triBool(k / 7), ResidesInJapan: triBool(k / 11)}}}
		for j := range 1 + k%4 {
			x := k*7 + j*13
			h.Members = append(h.Members, Member{ID: fmt.Sprintf("m%d", j), Relation: rels[(k/3+j*5)%len(rels)],
				LivesWith: triBool(x / 3), ResidesInJapan: triBool(x / 5)})
		}
		want, got := screenBothWays(t, e, h, at)
		require.Equal(t, want, got, "%+v", h.Members)
	}
	require.Zero(t, e.closures.handedBack.Load())
}

// compileValuesPack compiles a one-programme pack whose named values v0,
// v1, … are values, whose conditions r0, r1, … are conds (a single
// condition "true" when conds is empty) and whose monthly amount is
// 0 + term(0) + term(1) + … over the values, and requires that no
// expression fell back to the interpreter.
func compileValuesPack(t *testing.T, values, conds []string, term func(i int) string) *Engine {
	t.Helper()
	var b strings.Builder
	b.WriteString("    values:\n")
	for i, v := range values {
		fmt.Fprintf(&b, "      - name: v%d\n        expr: %q\n", i, v)
	}
	b.WriteString("    conditions:\n")
	if len(conds) == 0 {
		b.WriteString("      - reason: r\n        expr: \"true\"\n")
	}
	for i, c := range conds {
		fmt.Fprintf(&b, "      - reason: r%d\n        expr: %q\n", i, c)
	}
	b.WriteString("    amount:\n      per: month\n      expr: \"0")
	for i := range values {
		fmt.Fprintf(&b, " + %s", term(i))
	}
	b.WriteString("\"\n")
	p, err := LoadPack(programPack(b.String()), "pk")
	require.NoError(t, err)
	e, err := Compile([]*Pack{p})
	require.NoError(t, err)
	require.Empty(t, e.InterpretedExpressions())
	return e
}

// TestReadOnceValuesAgree: a named value read in one place only, outside
// any comprehension's loop, is evaluated by its reader in place of a slot
// (readOnce, ident): read by another value, in a cel.bind's value and
// body, by the amount; one read in a filter's predicate, twice, or by
// another programme (exports) keeps its slot. Against the interpreter on
// households with unknown facts.
func TestReadOnceValuesAgree(t *testing.T) {
	values := []string{
		"household.members.filter(m, m.relation != 'self' && m.lives_with)",
		"size(v0) * 2",
		"household.members.filter(m, m.relation == 'child' && size(household.members) < v1 + 3)",
		"household.members.exists(m, m.lives_with)",
		"cel.bind(x, household.members.filter(m, m.resides_in_japan), size(x) + 1)",
		"cel.bind(y, v4, y * y)",
	}
	terms := []string{"0", "0", "size(v2)", "(v3 ? 1 : 0)", "0", "v5 * 4"}
	e := compileValuesPack(t, values, []string{"v3 || true"}, func(i int) string { return terms[i] })
	p := e.programs[0]
	require.Equal(t, []bool{true, false, true, false, true, true}, readOnce(p))
	p.exports = []int{0}
	require.Equal(t, []bool{false, false, true, false, true, true}, readOnce(p), "a value another programme reads")
	p.exports = nil
	rels := []Relation{RelationChild, RelationSpouse, RelationParent, RelationOther}
	at := d("2026-11-23")
	for k := range 400 {
		h := &Household{ID: "h", Members: []Member{{ID: "p", Relation: RelationSelf, LivesWith: triBool(k / 5), ResidesInJapan: triBool(k / 7)}}}
		for j := range k % 5 {
			x := k*7 + j*13
			h.Members = append(h.Members, Member{ID: fmt.Sprintf("m%d", j), Relation: rels[(k/3+j)%len(rels)],
				LivesWith: triBool(x / 3), ResidesInJapan: triBool(x / 5)})
		}
		want, got := screenBothWays(t, e, h, at)
		require.Equal(t, want, got, "%+v", h.Members)
	}
	require.Zero(t, e.closures.handedBack.Load())
}

// TestValueStampsWrap: a programme's start gives its named values a new
// stamp (cenv.gen); when the stamps wrap around, every value's state is
// cleared, so a slot stamped long ago does not read as evaluated.
func TestValueStampsWrap(t *testing.T) {
	cp := &cprogram{}
	e := &cenv{vals: make([]lval, 3), gen: 1<<32 - 2}
	e.vals[0].st, e.vals[1].st = 2, 3
	e.start(cp)
	require.Equal(t, uint32(2), e.gen)
	for i, l := range e.vals {
		require.NotEqual(t, e.gen, l.st, "value %d reads as evaluated", i)
		require.NotEqual(t, e.gen+1, l.st, "value %d reads as being evaluated", i)
	}
	e.vals[2].st = e.gen
	e.start(cp)
	require.Equal(t, uint32(4), e.gen)
	require.NotEqual(t, e.gen, e.vals[2].st, "the last programme's value is not this one's")
}

// TestMemberBoolOffsets: the offsets at which the closures load a
// member's boolean facts (memberBoolOffset) are the facts memberBool
// reads, for every one of them.
func TestMemberBoolOffsets(t *testing.T) {
	require.Len(t, memberBoolOffset, len(memberBool))
	m := &Member{LivesWith: new(true), SameLivelihood: new(true), Supported: new(false), InFacility: new(false),
		ResidesInJapan: new(true), SchoolPrivate: new(false)}
	seen := map[*bool]string{}
	for field, get := range memberBool {
		off, ok := memberBoolOffset[field]
		require.True(t, ok, field)
		p := get(m)
		require.NotNil(t, p, field)
		require.Same(t, p, boolAt(m, off), field)
		require.Empty(t, seen[p], "%s and %s are one fact", field, seen[p])
		seen[p] = field
	}
}

// triBool is a fact that cycles through unknown, true and false with v.
func triBool(v int) *bool {
	switch v % 3 {
	case 1:
		return new(true)
	case 2:
		return new(false)
	}
	return nil
}
