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
// fact is missing, give the unknown of exactly that fact. With
// explanations they also record their step-by-step breakdown (給与所得,
// +養育費の8割, −8万円 …) on the outcome; their results are kept for the
// whole screening (memo), as several programmes ask for the same figures.
// The compiled screening has its own typed form of each (closure_income.go):
// a change to which facts a computation reads here must be made there too
// (the differential tests fail until both agree).

func incomeErr(err error) ref.Val {
	var yn *income.YearNotCoveredError
	if errors.As(err, &yn) {
		return types.NewErr("%sの計算は %s に未対応です（対応しているのは %d〜%d年分）", yn.Rule, income.YearLabel(yn.Year), yn.First, yn.Last)
	}
	return types.NewErr("%v", err)
}

// need collects the known int facts of an income entry, merging the
// unknowns of those not known.
type need struct {
	unk *types.Unknown
}

func (n *need) int(v ref.Val) int64 {
	switch t := v.(type) {
	case types.Int:
		return int64(t)
	case *types.Unknown:
		n.unk = types.MergeUnknowns(n.unk, t)
	}
	return 0
}

// earnings reads a member's earnings for a year.
func (v *memberVal) earnings(year int64) (income.Earnings, ref.Val) {
	iv, ok := v.income(year).(*incomeVal)
	if !ok {
		return income.Earnings{}, v.income(year)
	}
	var n need
	e := income.Earnings{
		SalaryRevenue:  n.int(iv.Get(types.String("salary_revenue"))),
		PensionRevenue: n.int(iv.Get(types.String("pension_revenue"))),
		OtherIncome:    n.int(iv.Get(types.String("business_income"))) + n.int(iv.Get(types.String("other_income"))),
	}
	if e.PensionRevenue > 0 {
		if v.m.BirthDate == nil {
			n.unk = types.MergeUnknowns(n.unk, memberFact(v.idx, "birth_date").unknownVal())
		} else {
			e.PensionAged65 = income.AgeAtYearEnd(*v.m.BirthDate, int(year)) >= 65
		}
	}
	if e.SalaryRevenue > 8_500_000 && v.hh != nil {
		// The 所得金額調整控除 for 子ども・特別障害者等 matters only above
		// 8,500,000 yen: a child of the household under 23 qualifies.
		for i := range v.hh.h.Members {
			c := &v.hh.h.Members[i]
			if c.Relation == RelationChild && c.BirthDate != nil && income.AgeAtYearEnd(*c.BirthDate, int(year)) < 23 {
				e.SalaryAdjustmentEligible = true
			}
		}
	}
	if n.unk != nil {
		return e, n.unk
	}
	return e, nil
}

func (v *memberVal) label() string { return memberLabel(v.hh.h, v.idx) }

func (v *memberVal) totalIncome(year int64) ref.Val {
	return v.memoized(memoKey{fn: 1, year: year}, func() (ref.Val, string, []income.Step) {
		e, unk := v.earnings(year)
		if unk != nil {
			return unk, "", nil
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
	e, unk := v.earnings(year)
	in := income.MeasureInput{Year: int(year), Role: role, Earnings: e}
	var n need
	if unk != nil {
		n.unk, _ = unk.(*types.Unknown)
	}
	iv, isIncome := v.income(year).(*incomeVal)
	if role == income.RoleParent && m.ChildSupportPercent > 0 && isIncome {
		in.ChildSupport = n.int(iv.Get(types.String("child_support_received")))
	}
	if isIncome && (m.StatutoryDeductions || m.Widow != income.WidowNever) {
		switch dv := iv.Get(types.String("deductions")).(type) {
		case *deductionsVal:
			d := dv.d
			in.CasualtyLoss, in.Medical, in.SmallBusinessMutualAid, in.SpouseSpecial = d.CasualtyLoss, d.Medical, d.SmallBusinessMutualAid, d.SpouseSpecial
			in.Disabled, in.SpecialDisabled, in.WorkingStudent = d.Disabled, d.SpecialDisabled, d.WorkingStudent
			in.Widow, in.SingleParent = d.Widow, d.SingleParent
		case *types.Unknown:
			n.unk = types.MergeUnknowns(n.unk, dv)
		}
	}
	if n.unk != nil {
		return n.unk, "", nil
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
	var rels []income.Relative
	var unk *types.Unknown
	hasSpouse := false
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("dependents: the list holds a value that is not a member"), "", nil
		}
		if r == v {
			continue
		}
		rel := income.Relative{Spouse: r.m.Relation == RelationSpouse}
		hasSpouse = hasSpouse || rel.Spouse
		if r.m.BirthDate == nil {
			unk = types.MergeUnknowns(unk, memberFact(r.idx, "birth_date").unknownVal())
		} else {
			rel.BirthDate = *r.m.BirthDate
		}
		switch t := r.totalIncome(year).(type) {
		case types.Int:
			rel.TotalIncome = int64(t)
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, t)
		default:
			return t, "", nil
		}
		rels = append(rels, rel)
	}
	var own int64
	if hasSpouse {
		switch t := v.totalIncome(year).(type) {
		case types.Int:
			own = int64(t)
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, t)
		default:
			return t, "", nil
		}
	}
	if unk != nil {
		return unk, "", nil
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
	var unk *types.Unknown
	merge := func(x ref.Val) bool {
		switch t := x.(type) {
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, t)
			return true
		case *types.Err:
			return false
		}
		return true
	}
	// While the year's deductions are unknown, a ひとり親控除 among them
	// would need the sex (the 人的控除額の差 differs): ask it in the same
	// round.
	sexIfSingleParent := func() {
		if v.m.Sex == nil {
			merge(memberFact(v.idx, "sex").unknownVal())
		}
	}
	in := income.DeductionInput{Tax: income.ResidentTax, Year: int(year)}
	total := v.totalIncome(year)
	if t, ok := total.(types.Int); ok {
		in.TotalIncome = int64(t)
	} else if !merge(total) {
		return total, "", nil
	}
	switch iv := v.income(year).(type) {
	case *incomeVal:
		switch dv := iv.Get(types.String("deductions")).(type) {
		case *deductionsVal:
			d := dv.d
			in.SocialInsurance, in.InsurancePremiums, in.Medical, in.CasualtyLoss, in.SmallBusinessMutualAid =
				d.SocialInsurance, d.InsurancePremiums, d.Medical, d.CasualtyLoss, d.SmallBusinessMutualAid
			in.DisabledPeople, in.SpecialDisabledPeople = d.Disabled, d.SpecialDisabled
			in.Widow, in.SingleParent, in.WorkingStudent = d.Widow, d.SingleParent, d.WorkingStudent
			if d.SingleParent {
				if v.m.Sex == nil {
					merge(memberFact(v.idx, "sex").unknownVal())
				} else {
					in.Female = *v.m.Sex == SexFemale
				}
			}
		case *types.Unknown:
			merge(dv)
			sexIfSingleParent()
		}
	default:
		merge(iv)
		sexIfSingleParent()
	}
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("resident_levy: 並びに世帯員でない値があります"), "", nil
		}
		if r == v {
			continue
		}
		rel := income.TaxRelative{Spouse: r.m.Relation == RelationSpouse, LinealAscendant: r.m.Relation == RelationParent}
		if r.m.BirthDate == nil {
			merge(memberFact(r.idx, "birth_date").unknownVal())
			// A parent of unknown age may be 70 or over: then whether
			// they live with the taxpayer decides, so ask it in the same
			// round (Missing is complete in one round).
			if rel.LinealAscendant && r.m.LivesWith == nil {
				merge(memberFact(r.idx, "lives_with").unknownVal())
			}
		} else {
			rel.BirthDate = *r.m.BirthDate
			// 同居老親等: a parent 70 or over who lives with the taxpayer.
			if rel.LinealAscendant && income.AgeAtYearEnd(rel.BirthDate, int(year)) >= 70 {
				if r.m.LivesWith == nil {
					merge(memberFact(r.idx, "lives_with").unknownVal())
				} else {
					rel.LivesWith = *r.m.LivesWith
				}
			}
		}
		ti := r.totalIncome(year)
		if t, ok := ti.(types.Int); ok {
			rel.TotalIncome = int64(t)
		} else if !merge(ti) {
			return ti, "", nil
		}
		in.Relatives = append(in.Relatives, rel)
	}
	if unk != nil {
		return unk, "", nil
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
