package eligibility

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/onestop-jp/onestop/civil"
)

// The household and its members in rules: the applicant, the children,
// counts by relation and age, a member's income year and rank.

func householdDecls() []libOverload {
	household := func(f func(*householdVal) ref.Val) cel.OverloadOpt { return unary(f) }
	relation := []string{"members[].relation"}
	return []libOverload{
		{fn: "applicant", id: "onestop_household_applicant", member: true, params: []param{p("", householdType)}, result: memberType, since: 1,
			doc: "申請者（relation が self の世帯員）", reads: relation,
			impl: household(func(h *householdVal) ref.Val { return h.self })},
		{fn: "children", id: "onestop_household_children", member: true, params: []param{p("", householdType)}, result: listOfMember, since: 1,
			doc: "子（relation が child の世帯員）", reads: relation, cost: perMember(1, 1),
			impl: household(func(h *householdVal) ref.Val {
				if h.children == nil {
					var out []ref.Val
					for i := range h.h.Members {
						if h.h.Members[i].Relation == RelationChild {
							out = append(out, h.members.Get(types.Int(i)))
						}
					}
					h.children = types.NewRefValList(types.DefaultTypeAdapter, out)
				}
				return h.children
			})},
		{fn: "count", id: "onestop_household_count", member: true, params: []param{p("", householdType), p("relation", types.StringType)}, result: types.IntType, since: 1,
			doc: "その続柄の世帯員の人数", reads: relation, cost: perMember(1, 1),
			impl: binary(func(h *householdVal, rel types.String) ref.Val {
				n := 0
				for i := range h.h.Members {
					if string(h.h.Members[i].Relation) == string(rel) {
						n++
					}
				}
				return types.Int(n)
			})},
		{fn: "count_aged", id: "onestop_household_count_aged", member: true,
			params: []param{p("", householdType), p("relation", types.StringType), p("min", types.IntType), p("max", types.IntType), p("on", dateType)}, result: types.IntType, since: 1,
			doc: "その続柄で、on の日の年齢が min 以上 max 以下の人数", reads: []string{"members[].relation", "members[].birth_date"}, cost: perMember(1, 2),
			nonStrict: true, impl: cel.FunctionBinding(countAged)},
		{fn: "income", id: "onestop_member_income", member: true, params: []param{p("", memberType), p("year", types.IntType)}, result: incomeType, since: 1,
			doc: "その年分の所得（未回答なら不明）", reads: []string{"members[].incomes", "members[].incomes[].year"},
			cost: callCost{cost: func(s callShape) uint64 { return 1 + uint64(s.incomes) }, listArg: -1},
			impl: binary(func(m *memberVal, y types.Int) ref.Val {
				if m.m.Incomes == nil {
					return incomeYearFact(m.idx, int64(y)).unknown()
				}
				return m.income(int64(y))
			})},
		{fn: "rank_among", id: "onestop_member_rank_among", member: true, params: []param{p("", memberType), p("list", listOfMember)}, result: types.IntType, since: 1,
			doc:   "その並びの中で年齢の高い順に数えた順位（1から。同じ生年月日は世帯員の順）。並びにいなければ 0。第2子・第3子の判定に使います",
			reads: []string{"members[].birth_date"}, cost: perElem(1, 1, 1),
			nonStrict: true, impl: cel.BinaryBinding(rankAmongBinding)},
	}
}

// countAged is Household.count_aged. It is non-strict: with the relation
// or a bound unknown, the result is unknown because of it and of the birth
// dates it would read (those of every member of the relation, or of every
// member when the relation is unknown).
func countAged(args ...ref.Val) ref.Val {
	unk, bad := splitArgs(args)
	if bad != nil {
		return bad
	}
	h, ok := args[0].(*householdVal)
	if !ok {
		if unk != nil {
			return unk
		}
		return types.NoSuchOverloadErr()
	}
	rel, relKnown := args[1].(types.String)
	if unk != nil {
		for i := range h.h.Members {
			m := &h.h.Members[i]
			if (!relKnown || string(m.Relation) == string(rel)) && m.BirthDate == nil {
				unk = types.MergeUnknowns(unk, memberFact(i, "birth_date").unknownVal())
			}
		}
		return unk
	}
	ok = true
	lo, hi, on := arg[types.Int](args, 2, &ok), arg[types.Int](args, 3, &ok), arg[dateVal](args, 4, &ok)
	if !ok || !relKnown {
		return types.NoSuchOverloadErr()
	}
	n := 0
	for i := range h.h.Members {
		m := &h.h.Members[i]
		if string(m.Relation) != string(rel) {
			continue
		}
		if m.BirthDate == nil {
			unk = types.MergeUnknowns(unk, memberFact(i, "birth_date").unknownVal())
			continue
		}
		if age := int64(civil.StatutoryAge(*m.BirthDate, on.d)); age >= int64(lo) && age <= int64(hi) {
			n++
		}
	}
	if unk != nil {
		return unk
	}
	return types.Int(n)
}

// rankAmongBinding is Member.rank_among. It is non-strict: when the list
// is unknown, the result is unknown because of it and of the birth dates
// of the members the list may hold.
func rankAmongBinding(x, y ref.Val) ref.Val {
	unk, bad := splitArgs([]ref.Val{x, y})
	if bad != nil {
		return bad
	}
	m, ok := x.(*memberVal)
	if !ok {
		if unk != nil {
			return unk
		}
		return types.MaybeNoSuchOverloadErr(x)
	}
	switch l := y.(type) {
	case traits.Lister:
		return rankAmong(m, l)
	case *types.Unknown:
		if m.hh != nil {
			return mergeUnknownsOf(l, rankAmong(m, m.hh.candidateList(candidateSet(l)|1<<uint(m.idx))))
		}
		return l
	}
	return types.MaybeNoSuchOverloadErr(y)
}

// rankAmong returns the 1-based rank of a member in a list of members,
// oldest first, members born the same day in household order; 0 when the
// member is not in the list.
func rankAmong(m *memberVal, l traits.Lister) ref.Val {
	var unk *types.Unknown
	in := false
	rank := 1
	it := l.Iterator()
	for it.HasNext() == types.True {
		o, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("rank_among: the list holds a value that is not a member")
		}
		if o == m {
			in = true
			continue
		}
		if o.m.BirthDate == nil {
			unk = types.MergeUnknowns(unk, memberFact(o.idx, "birth_date").unknownVal())
			continue
		}
		if m.m.BirthDate == nil {
			continue
		}
		if c := o.m.BirthDate.Compare(*m.m.BirthDate); c < 0 || (c == 0 && o.idx < m.idx) {
			rank++
		}
	}
	if !in {
		return types.Int(0)
	}
	if m.m.BirthDate == nil {
		unk = types.MergeUnknowns(unk, memberFact(m.idx, "birth_date").unknownVal())
	}
	if unk != nil {
		return unk
	}
	return types.Int(rank)
}
