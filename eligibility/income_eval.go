package eligibility

import (
	"errors"
	"fmt"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/onestop-jp/onestop/eligibility/income"
)

// The income maths of package income, applied to a member's facts. The
// Member functions read the member's facts for an income year and, when a
// fact is missing, give the unknown of exactly that fact: which facts they
// read is income_facts.go's, shared with the compiled screening
// (closure_income.go). With explanations they also record their
// step-by-step breakdown (給与所得, +養育費の8割, −8万円 …) on the
// outcome; their results are kept for the whole screening (memo), as
// several programmes ask for the same figures.

func incomeErr(err error) ref.Val {
	var yn *income.YearNotCoveredError
	if errors.As(err, &yn) {
		return types.NewErr("%sの計算は %s に未対応です（対応しているのは %d〜%d年分）", yn.Rule, income.YearLabel(yn.Year), yn.First, yn.Last)
	}
	return types.NewErr("%v", err)
}

// interpFacts is the interpreter's incomeReader: the unknown facts of a
// computation merged as cel-go unknowns, and the first run-time error of
// a figure it asked for.
type interpFacts struct {
	hv  *householdVal
	unk *types.Unknown
	err ref.Val
}

func (r *interpFacts) unknown(p factPath) { r.unk = types.MergeUnknowns(r.unk, p.unknownVal()) }

func (r *interpFacts) incomeTotal(m int, year int64) (int64, bool, bool) {
	mv, _ := r.hv.members.Get(types.Int(m)).(*memberVal)
	switch t := mv.totalIncome(year).(type) {
	case types.Int:
		return int64(t), true, true
	case *types.Unknown:
		r.unk = types.MergeUnknowns(r.unk, t)
		return 0, false, true
	default:
		r.err = t
		return 0, false, false
	}
}

// memberIndices are the indices of the members in a list (bad: the error
// for a value that is not a member).
func memberIndices(l traits.Lister, what string) (_ []int, bad ref.Val) {
	var out []int
	it := l.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return nil, types.NewErr("%s", what)
		}
		out = append(out, r.idx)
	}
	return out, nil
}

func (v *memberVal) label() string { return memberLabel(v.hh.h, v.idx) }

func (v *memberVal) totalIncome(year int64) ref.Val {
	return v.memoized(memoKey{fn: 1, year: year}, func() (ref.Val, string, []income.Step) {
		r := interpFacts{hv: v.hh}
		e, _ := earningsOf(&r, v.hh.h, v.idx, year)
		if r.unk != nil {
			return r.unk, "", nil
		}
		if v.explaining() {
			t, steps, err := income.TotalIncomeExplained(int(year), e)
			if err != nil {
				return incomeErr(err), "", nil
			}
			return types.Int(t.Total), fmt.Sprintf("%sの%d年分 合計所得金額", v.label(), year), steps
		}
		t, err := income.TotalIncome(int(year), e)
		if err != nil {
			return incomeErr(err), "", nil
		}
		return types.Int(t.Total), "", nil
	})
}

var measures = map[string]func() income.Measure{
	"child_rearing_allowance":     income.ChildRearingAllowance,
	"tokyo_single_parent_medical": income.TokyoSingleParentMedical,
	"tokyo_child_upbringing":      income.TokyoChildUpbringing,
	"special_child_allowance":     income.SpecialChildAllowance,
}

var roles = map[string]income.Role{
	"parent":          income.RoleParent,
	"caretaker":       income.RoleCaretaker,
	"spouse":          income.RoleSpouse,
	"liable_relative": income.RoleLiableRelative,
}

func (v *memberVal) incomeMeasure(year int64, measureName, roleName string) ref.Val {
	return v.memoized(memoKey{fn: 2, year: year, measure: measureName, role: roleName}, func() (ref.Val, string, []income.Step) {
		return v.computeIncomeMeasure(year, measureName, roleName)
	})
}

func (v *memberVal) computeIncomeMeasure(year int64, measureName, roleName string) (ref.Val, string, []income.Step) {
	mk, ok := measures[measureName]
	if !ok {
		return types.NewErr("income_measure: no measure %q (child_rearing_allowance, tokyo_single_parent_medical, tokyo_child_upbringing, special_child_allowance)", measureName), "", nil
	}
	role, ok := roles[roleName]
	if !ok {
		return types.NewErr("income_measure: no role %q (parent, caretaker, spouse, liable_relative)", roleName), "", nil
	}
	m := mk()
	facts := interpFacts{hv: v.hh}
	in := measureInputOf(&facts, v.hh.h, v.idx, year, &m, role)
	if facts.unk != nil {
		return facts.unk, "", nil
	}
	if v.explaining() {
		r, steps, err := m.IncomeExplained(in)
		if err != nil {
			return incomeErr(err), "", nil
		}
		return types.Int(r), fmt.Sprintf("%sの%d年分 %sの所得額", v.label(), year, m.Name), steps
	}
	r, err := m.Income(in)
	if err != nil {
		return incomeErr(err), "", nil
	}
	return types.Int(r), "", nil
}

func (v *memberVal) dependents(year int64, relatives traits.Lister) ref.Val {
	var set uint64
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("dependents: the list holds a value that is not a member")
		}
		set |= 1 << uint(r.idx)
	}
	return v.memoized(memoKey{fn: 3, year: year, relatives: set}, func() (ref.Val, string, []income.Step) {
		return v.computeDependents(year, relatives)
	})
}

func (v *memberVal) computeDependents(year int64, relatives traits.Lister) (ref.Val, string, []income.Step) {
	idx, bad := memberIndices(relatives, "dependents: the list holds a value that is not a member")
	if bad != nil {
		return bad, "", nil
	}
	r := interpFacts{hv: v.hh}
	rels, own, ok := dependentsInputOf(&r, v.hh.h, v.idx, year, idx, nil)
	if !ok {
		return r.err, "", nil
	}
	if r.unk != nil {
		return r.unk, "", nil
	}
	var d income.Dependents
	var steps []income.Step
	var title string
	var err error
	if v.explaining() {
		d, steps, err = income.CountDependentsExplained(int(year), own, rels)
		title = fmt.Sprintf("%sの%d年分 扶養親族等の数", v.label(), year)
	} else {
		d, err = income.CountDependents(int(year), own, rels)
	}
	if err != nil {
		return incomeErr(err), "", nil
	}
	i := func(x int) ref.Val { return types.Int(x) }
	return newRecord(dependentsType, i(d.Count), i(d.Spouse), i(d.ElderlySpouse), i(d.Under16), i(d.Aged16to18),
		i(d.Specified), i(d.Adult), i(d.Elderly), types.Int(d.RecipientAddition), types.Int(d.LiableRelativeAddition)), title, steps
}

// incomeMeasureBinding is Member.income_measure. It is non-strict: when
// the measure or the role is unknown, the result is unknown because of them
// and of the facts the measure would read for any measure and role they
// may be (Missing is complete in one round; see complete.go).
// incomeMeasureBinding is Member.income_measure. It is non-strict: when
// the measure or the role is unknown, the result is unknown because of them
// and of the facts the measure would read for any measure and role they
// may be (Missing is complete in one round; see complete.go).
func incomeMeasureBinding(args ...ref.Val) ref.Val {
	unk, bad := splitArgs(args)
	if bad != nil {
		return bad
	}
	m, ok1 := args[0].(*memberVal)
	y, ok2 := args[1].(types.Int)
	if !ok1 || !ok2 {
		if unk != nil {
			return unk
		}
		return types.NoSuchOverloadErr()
	}
	measureNames, roleNames := []string{}, []string{}
	switch v := args[2].(type) {
	case types.String:
		measureNames = append(measureNames, string(v))
	case *types.Unknown:
		for name := range measures {
			measureNames = append(measureNames, name)
		}
	default:
		return types.NoSuchOverloadErr()
	}
	switch v := args[3].(type) {
	case types.String:
		roleNames = append(roleNames, string(v))
	case *types.Unknown:
		for name := range roles {
			roleNames = append(roleNames, name)
		}
	default:
		return types.NoSuchOverloadErr()
	}
	if unk == nil {
		return m.incomeMeasure(int64(y), measureNames[0], roleNames[0])
	}
	for _, ms := range measureNames {
		for _, rs := range roleNames {
			unk = mergeUnknownsOf(unk, m.incomeMeasure(int64(y), ms, rs))
		}
	}
	return unk
}

// relativesBinding is the binding of a member function of (year,
// relatives) — dependents, resident_levy. It is non-strict: when the list
// of relatives is unknown, the result is unknown because of it and of the
// facts the function would read for the members the list may hold
// (candidates computes that on the candidate list).
func relativesBinding(known, candidates func(m *memberVal, year int64, relatives traits.Lister) ref.Val) func(args ...ref.Val) ref.Val {
	return func(args ...ref.Val) ref.Val {
		unk, bad := splitArgs(args)
		if bad != nil {
			return bad
		}
		m, ok1 := args[0].(*memberVal)
		y, ok2 := args[1].(types.Int)
		if !ok1 || !ok2 {
			if unk != nil {
				return unk
			}
			return types.NoSuchOverloadErr()
		}
		switch l := args[2].(type) {
		case traits.Lister:
			if unk == nil {
				return known(m, int64(y), l)
			}
		case *types.Unknown:
			if m.hh != nil {
				unk = mergeUnknownsOf(unk, candidates(m, int64(y), m.hh.candidateList(candidateSet(l))))
			}
		default:
			return types.NoSuchOverloadErr()
		}
		return unk
	}
}

// dependentsBinding is Member.dependents.
func dependentsBinding() func(args ...ref.Val) ref.Val {
	return relativesBinding(
		func(m *memberVal, y int64, l traits.Lister) ref.Val { return m.dependents(y, l) },
		func(m *memberVal, y int64, l traits.Lister) ref.Val { return m.computeDependentsUnknown(y, l) })
}

// computeDependentsUnknown is the unknown of dependents over relatives,
// or nil when it is known.
func (v *memberVal) computeDependentsUnknown(year int64, relatives traits.Lister) ref.Val {
	r, _, _ := v.computeDependents(year, relatives)
	return r
}

func asInts(args []ref.Val) ([]int64, bool) {
	out := make([]int64, len(args))
	for i, a := range args {
		v, ok := a.(types.Int)
		if !ok {
			return nil, false
		}
		out[i] = int64(v)
	}
	return out, true
}

func asBools(args []ref.Val) ([]bool, bool) {
	out := make([]bool, len(args))
	for i, a := range args {
		v, ok := a.(types.Bool)
		if !ok {
			return nil, false
		}
		out[i] = bool(v)
	}
	return out, true
}

// residentLevy computes a member's 住民税 所得割 for the 年度 after year,
// once per screening.
func (v *memberVal) residentLevy(year int64, relatives traits.Lister) ref.Val {
	var set uint64
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("resident_levy: 並びに世帯員でない値があります")
		}
		set |= 1 << uint(r.idx)
	}
	return v.memoized(memoKey{fn: memoResidentLevy, year: year, relatives: set}, func() (ref.Val, string, []income.Step) {
		return v.computeResidentLevy(year, relatives)
	})
}

// memoResidentLevy is resident_levy's memo slot (the other income
// functions use 1–3).
const memoResidentLevy = 10

// residentLevyBinding is Member.resident_levy.
func residentLevyBinding() func(args ...ref.Val) ref.Val {
	return relativesBinding(
		func(m *memberVal, y int64, l traits.Lister) ref.Val { return m.residentLevy(y, l) },
		func(m *memberVal, y int64, l traits.Lister) ref.Val {
			r, _, _ := m.computeResidentLevy(y, l)
			return r
		})
}

func (v *memberVal) computeResidentLevy(year int64, relatives traits.Lister) (ref.Val, string, []income.Step) {
	idx, bad := memberIndices(relatives, "resident_levy: 並びに世帯員でない値があります")
	if bad != nil {
		return bad, "", nil
	}
	r := interpFacts{hv: v.hh}
	in, ok := levyInputOf(&r, v.hh.h, v.idx, year, idx, nil)
	if !ok {
		return r.err, "", nil
	}
	if r.unk != nil {
		return r.unk, "", nil
	}
	var ded income.Deductions
	var lv income.ResidentLevy
	var steps []income.Step
	var title string
	var err error
	if v.explaining() {
		var s1, s2 []income.Step
		ded, s1, err = income.IncomeDeductionsExplained(in)
		if err == nil {
			lv, s2, err = income.ResidentIncomeLevyExplained(income.ResidentLevyInput{IncomeYear: int(year), TotalIncome: in.TotalIncome, Deductions: ded})
		}
		steps = append(s1, s2...)
		title = fmt.Sprintf("%sの%d年分の所得による住民税所得割", v.label(), year)
	} else {
		ded, err = income.IncomeDeductions(in)
		if err == nil {
			lv, err = income.ResidentIncomeLevy(income.ResidentLevyInput{IncomeYear: int(year), TotalIncome: in.TotalIncome, Deductions: ded})
		}
	}
	if err != nil {
		return incomeErr(err), "", nil
	}
	i := func(x int64) ref.Val { return types.Int(x) }
	return newRecord(residentLevyType, i(lv.TaxableBase), i(lv.StandardMunicipal), i(lv.Municipal), i(lv.Prefectural),
		i(lv.MunicipalAdjustment), i(ded.Total), i(ded.PersonalDifference)), title, steps
}
