package eligibility

import (
	"testing"

	"github.com/onestop-jp/onestop/civil"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigHousehold has MaxMembers members, each with MaxIncomes income years.
func bigHousehold() *Household {
	h := &Household{Members: make([]Member, MaxMembers)}
	for i := range h.Members {
		h.Members[i] = Member{Relation: RelationChild, BirthDate: new(civil.MustDate(2010, 1, 1)), Incomes: make([]Income, MaxIncomes)}
		for k := range h.Members[i].Incomes {
			h.Members[i].Incomes[k] = *noIncome(2015 + k)
		}
	}
	h.Members[0].Relation = RelationSelf
	return h
}

// The run-time charge of a library function on the largest household the
// facts model allows is the estimate's maximum, and on the smallest its
// minimum: estimate and charge come from one model. (Before, every
// function was charged 1 at run time whatever its estimate.)
func TestLibraryChargesMatchTheirEstimates(t *testing.T) {
	big := newHouseholdVal(bigHousehold())
	small := newHouseholdVal(&Household{Members: []Member{{Relation: RelationSelf}}})
	member := func(hv *householdVal) ref.Val { return hv.members.Get(types.Int(0)) }
	est := costEstimator{}
	node := func(t *types.Type, min, max uint64) cost.AstNode {
		return cost.NewAstNode(celast.NewExprFactory().NewIdent(1, "x"), nil, t, &cost.SizeEstimate{Min: min, Max: max})
	}
	memberN := func() cost.AstNode { return node(memberType, 1, 1) }
	hhN := func() cost.AstNode { return node(householdType, 1, 1) }
	intN := func() cost.AstNode { return node(types.IntType, 1, 1) }
	strN := func() cost.AstNode { return node(types.StringType, 0, MaxStringLength) }
	membersN := node(listOfMember, 0, MaxMembers)
	tests := []struct {
		overload    string
		target      *cost.AstNode
		args        []cost.AstNode
		bigArgs     []ref.Val
		smallArgs   []ref.Val
		skipMinimum bool
	}{
		{"onestop_member_dependents", new(memberN()), []cost.AstNode{intN(), membersN},
			[]ref.Val{member(big), types.Int(2024), big.members}, []ref.Val{member(small), types.Int(2024), types.NewRefValList(types.DefaultTypeAdapter, nil)}, false},
		{"onestop_member_total_income", new(memberN()), []cost.AstNode{intN()},
			[]ref.Val{member(big), types.Int(2024)}, []ref.Val{member(small), types.Int(2024)}, false},
		{"onestop_member_income_measure", new(memberN()), []cost.AstNode{intN(), strN(), strN()},
			[]ref.Val{member(big), types.Int(2024), memberFact(0, "x").unknown(), memberFact(0, "y").unknown()},
			[]ref.Val{member(small), types.Int(2024), types.String("child_rearing_allowance"), types.String("parent")}, false},
		{"onestop_household_count_aged", new(hhN()), []cost.AstNode{strN(), intN(), intN(), node(dateType, 1, 1)},
			[]ref.Val{big, types.String("child"), types.Int(0), types.Int(18), dateVal{civil.MustDate(2025, 6, 1)}},
			[]ref.Val{small, types.String("child"), types.Int(0), types.Int(18), dateVal{civil.MustDate(2025, 6, 1)}}, false},
		{"onestop_household_children", new(hhN()), nil, []ref.Val{big}, []ref.Val{small}, false},
		{"onestop_member_income", new(memberN()), []cost.AstNode{intN()},
			[]ref.Val{member(big), types.Int(2024)}, []ref.Val{member(small), types.Int(2024)}, false},
		{"onestop_member_rank_among", new(memberN()), []cost.AstNode{membersN},
			[]ref.Val{member(big), big.members}, []ref.Val{member(small), types.NewRefValList(types.DefaultTypeAdapter, nil)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.overload, func(t *testing.T) {
			e := est.EstimateCallCost("", tc.overload, tc.target, tc.args)
			require.NotNil(t, e)
			got := est.CallCost("", tc.overload, tc.bigArgs, nil)
			require.NotNil(t, got)
			assert.Equal(t, e.Max, *got, "charge on the largest household")
			got = est.CallCost("", tc.overload, tc.smallArgs, nil)
			assert.Equal(t, e.Min, *got, "charge on the smallest household")
		})
	}
}
