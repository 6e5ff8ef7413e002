package eligibility

import (
	"strings"

	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// The cost of the library's functions: one model for the compile-time
// estimate and the run-time charge. A call's cost is a function of its
// shape — the members of the household it works on, the income years of
// the member, the length of its list argument, how many combinations of
// an unknown argument it tries — and both the estimator and the tracker
// read that same function: the estimate takes the smallest and the largest
// shape the facts model allows, the tracker the actual one. So a run-time
// charge always lies within the estimate.

// callShape is what a call's cost depends on.
type callShape struct {
	members int // members of the household
	incomes int // income years of the member the call is on
	elems   int // elements of the list argument
	combos  int // argument values tried (an unknown role or measure)
}

// callCost gives a library overload's cost for a shape; listArg is the
// index of its list argument among the call's values (target first), or
// -1.
type callCost struct {
	cost    func(callShape) uint64
	listArg int
}

func constCost(n uint64) callCost {
	return callCost{cost: func(callShape) uint64 { return n }, listArg: -1}
}

func perMember(base, each uint64) callCost {
	return callCost{cost: func(s callShape) uint64 { return base + each*uint64(s.members) }, listArg: -1}
}

func perElem(base, each uint64, listArg int) callCost {
	return callCost{cost: func(s callShape) uint64 { return base + each*uint64(s.elems) }, listArg: listArg}
}

// maxCombos is the most argument values a call may try: income_measure
// with both the measure and the role unknown.
func maxCombos(overloadID string) int {
	if overloadID == "onestop_member_income_measure" {
		return len(measures) * len(roles)
	}
	return 1
}

// costOf returns the cost model of an overload of the library: its
// declaration's, or 1 per call.
func costOf(overloadID string) callCost {
	if d := overloadDecl(overloadID); d != nil && d.cost.cost != nil {
		return d.cost
	}
	return constCost(1)
}

// estimate is the estimate of a call whose list argument has at most
// listMax elements.
func (c callCost) estimate(overloadID string, listMin, listMax uint64) cost.CostEstimate {
	lo := callShape{members: 1, incomes: 0, elems: int(min(listMin, MaxMembers*MaxIncomes)), combos: 1}
	hi := callShape{members: MaxMembers, incomes: MaxIncomes, elems: int(min(listMax, 1<<20)), combos: maxCombos(overloadID)}
	return cost.CostEstimate{Min: c.cost(lo), Max: c.cost(hi)}
}

// actual is the charge of a call on these values.
func (c callCost) actual(overloadID string, args []ref.Val) uint64 {
	s := callShape{combos: 1}
	if len(args) > 0 {
		switch t := args[0].(type) {
		case *householdVal:
			s.members = len(t.h.Members)
		case *memberVal:
			s.incomes = len(t.m.Incomes)
			if t.hh != nil {
				s.members = len(t.hh.h.Members)
			}
		}
	}
	if c.listArg >= 0 && c.listArg < len(args) {
		switch l := args[c.listArg].(type) {
		case traits.Sizer:
			if n, ok := l.Size().(types.Int); ok {
				s.elems = int(n)
			}
		case *types.Unknown:
			s.elems = s.members // the members the list may hold
		}
	}
	if overloadID == "onestop_member_income_measure" && len(args) == 4 {
		s.combos = 1
		if _, unk := args[2].(*types.Unknown); unk {
			s.combos *= len(measures)
		}
		if _, unk := args[3].(*types.Unknown); unk {
			s.combos *= len(roles)
		}
	}
	return c.cost(s)
}

// costEstimator gives CEL the size bounds of the facts model and the cost
// of the library's functions, for the compile-time estimate and the
// run-time tracking alike.
type costEstimator struct {
	engine *Engine
}

// EstimateCallCost implements cost.Estimator.
func (e costEstimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	if !strings.HasPrefix(overloadID, "onestop_") {
		return nil
	}
	one := cost.CostEstimate{Min: 1, Max: 1}
	size := func(n cost.AstNode) *cost.SizeEstimate {
		if sz := n.ComputedSize(); sz != nil {
			return sz
		}
		return e.EstimateSize(n)
	}
	// The internal calls of rewriteForMissing.
	switch overloadID {
	case candidatesOverload:
		return &cost.CallEstimate{CostEstimate: one, ResultSize: &cost.SizeEstimate{Min: 0, Max: MaxMembers}}
	case filterDoneOverload, filterStepOverload:
		// A filter's accumulator and result: no longer than a list of its
		// element type can be.
		est := &cost.CallEstimate{CostEstimate: one}
		accu := 0
		if overloadID == filterStepOverload {
			accu = 1
		}
		if len(args) > accu {
			est.ResultSize = size(args[accu])
		}
		return est
	case condOverload:
		est := &cost.CallEstimate{CostEstimate: one}
		if len(args) == 3 {
			if a, b := size(args[1]), size(args[2]); a != nil && b != nil {
				est.ResultSize = &cost.SizeEstimate{Min: min(a.Min, b.Min), Max: max(a.Max, b.Max)}
			}
		}
		return est
	case foldOverload:
		est := &cost.CallEstimate{CostEstimate: one}
		if len(args) == 2 {
			est.ResultSize = size(args[0])
		}
		return est
	case probeInitOverload, probeStepOverload:
		return &cost.CallEstimate{CostEstimate: one, ResultSize: &cost.SizeEstimate{Min: 1, Max: 1}}
	}
	c := costOf(overloadID)
	listMin, listMax := uint64(0), uint64(0)
	if c.listArg >= 0 {
		nodes := args
		if target != nil {
			nodes = append([]cost.AstNode{*target}, args...)
		}
		listMax = MaxStringLength
		if c.listArg < len(nodes) {
			n := nodes[c.listArg]
			if sz := n.ComputedSize(); sz != nil {
				listMin, listMax = sz.Min, sz.Max
			} else if sz := e.EstimateSize(n); sz != nil {
				listMin, listMax = sz.Min, sz.Max
			}
		}
	}
	est := &cost.CallEstimate{CostEstimate: c.estimate(overloadID, listMin, listMax)}
	switch overloadID {
	case "onestop_household_children":
		est.ResultSize = &cost.SizeEstimate{Min: 0, Max: MaxMembers}
	}
	return est
}

func isMemberList(t *types.Type) bool {
	return t != nil && t.Kind() == types.ListKind && len(t.Parameters()) == 1 && t.Parameters()[0].TypeName() == celMember
}

// CallCost implements cost.ActualCostEstimator.
func (e costEstimator) CallCost(function, overloadID string, args []ref.Val, result ref.Val) *uint64 {
	if !strings.HasPrefix(overloadID, "onestop_") {
		return nil
	}
	c := costOf(overloadID).actual(overloadID, args)
	return &c
}

// objectTypeNames are the object types onestop declares.
var objectTypeNames = map[string]bool{
	celHousehold: true, celMember: true, celIncome: true, celDisability: true, celDeductions: true,
	celDate: true, celDecimal: true, celParams: true,
}

// isRecordType reports whether name is a result record of the library.
func isRecordType(name string) bool {
	for _, rd := range recordDecls {
		if rd.t.TypeName() == name {
			return true
		}
	}
	return false
}

// EstimateSize implements cost.Estimator.
func (e costEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	// onestop's objects (a member, a date, a decimal …) compare by
	// identity or by a fixed-size value: their "size" for equality is 1.
	if t := n.Type(); t != nil && t.Kind() == types.StructKind {
		if _, ours := objectTypeNames[t.TypeName()]; ours || isRecordType(t.TypeName()) {
			return &cost.SizeEstimate{Min: 1, Max: 1}
		}
	}
	p := n.Path()
	if len(p) == 0 {
		if t := n.Type(); t != nil && t.Kind() == types.StringKind {
			return &cost.SizeEstimate{Min: 0, Max: MaxStringLength}
		}
		return nil
	}
	if p[0] == "params" && len(p) == 2 {
		if i, ok := e.engine.paramIndex[p[1]]; ok {
			longest := uint64(0)
			for _, v := range e.engine.params[i].param.Values {
				switch x := v.Value.(type) {
				case []int64:
					longest = max(longest, uint64(len(x)))
				default:
					longest = max(longest, 1)
				}
			}
			return &cost.SizeEstimate{Min: 0, Max: max(longest, MaxStringLength)}
		}
	}
	switch p[len(p)-1] {
	case "members":
		return &cost.SizeEstimate{Min: 1, Max: MaxMembers}
	case "incomes":
		return &cost.SizeEstimate{Min: 0, Max: MaxIncomes}
	case "receiving":
		return &cost.SizeEstimate{Min: 0, Max: MaxReceiving}
	case "extra":
		return &cost.SizeEstimate{Min: 0, Max: MaxExtra}
	}
	if t := n.Type(); t != nil && t.Kind() == types.ListKind && len(t.Parameters()) == 1 && t.Parameters()[0].TypeName() == celMember {
		// Any list of members is a part of the household's members.
		return &cost.SizeEstimate{Min: 0, Max: MaxMembers}
	}
	if t := n.Type(); t != nil && (t.Kind() == types.StringKind || t.Kind() == types.ListKind) {
		return &cost.SizeEstimate{Min: 0, Max: MaxStringLength}
	}
	if t := n.Type(); t != nil && (t.Kind() == types.DynKind || t.Kind() == types.AnyKind) {
		// A value of no static type: a local fact (household.extra.x) or
		// a value read from another programme (program('id').values.x),
		// or a named value holding one. Facts are bounded by the facts
		// model; a value is sized like the named values above.
		return &cost.SizeEstimate{Min: 0, Max: max(MaxStringLength, MaxMembers)}
	}
	return nil
}
