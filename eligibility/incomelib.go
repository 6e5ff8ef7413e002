package eligibility

import (
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"reflect"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/onestop-jp/onestop/eligibility/income"
)

// The income maths of package income, exposed to rules. Pure functions
// take known values; the Member methods read the member's facts for an
// income year and, when a fact is missing, give the unknown of exactly
// that fact. With explanations, the Member methods also record their
// step-by-step breakdown (給与所得, +養育費の8割, −8万円 …) on the outcome.

// Result record types returned by income functions.
var (
	dependentsType  = types.NewObjectType("onestop.Dependents", traits.IndexerType|traits.FieldTesterType)
	residentTaxType = types.NewObjectType("onestop.ResidentTax", traits.IndexerType|traits.FieldTesterType)
	deductionType   = types.NewObjectType("onestop.PersonalDeduction", traits.IndexerType|traits.FieldTesterType)
)

type recordDecl struct {
	t      *types.Type
	fields []string
	ftypes []*types.Type
}

var recordDecls = append([]recordDecl{
	{dependentsType,
		[]string{"count", "spouse", "elderly_spouse", "under16", "aged16to18", "specified", "adult", "elderly", "recipient_addition", "liable_addition"},
		[]*types.Type{types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType}},
	{residentTaxType,
		[]string{"exempt", "income_levy_exempt", "per_capita_limit", "income_levy_limit"},
		[]*types.Type{types.BoolType, types.BoolType, types.IntType, types.IntType}},
	{deductionType,
		[]string{"eligible", "income_tax", "resident_tax"},
		[]*types.Type{types.BoolType, types.IntType, types.IntType}},
}, taxRecordDecls...)

// recordVal is a result record: fixed fields, all known.
type recordVal struct {
	decl *recordDecl
	vals []ref.Val
}

func newRecord(t *types.Type, vals ...ref.Val) ref.Val {
	for i := range recordDecls {
		if recordDecls[i].t == t {
			return &recordVal{decl: &recordDecls[i], vals: vals}
		}
	}
	return types.NewErr("no record type %v", t)
}

func (v *recordVal) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("%s cannot be converted to %v", v.decl.t.TypeName(), t)
}
func (v *recordVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return v.decl.t
	}
	return types.NewErr("type conversion error from %s to %v", v.decl.t.TypeName(), t)
}
func (v *recordVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *recordVal) Type() ref.Type          { return v.decl.t }
func (v *recordVal) Value() any              { return v.vals }

func (v *recordVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	for i, n := range v.decl.fields {
		if n == f {
			return v.vals[i]
		}
	}
	return noSuchField(v.decl.t.TypeName(), idx)
}

func (v *recordVal) IsSet(idx ref.Val) ref.Val {
	if types.IsError(v.Get(idx)) {
		return v.Get(idx)
	}
	return types.True
}

// Breakdown is the step-by-step computation of an income figure, recorded
// on an outcome with explanations.
type Breakdown struct {
	Title string          `json:"title"`
	Steps []BreakdownStep `json:"steps"`
}

// BreakdownStep is one line of a Breakdown.
type BreakdownStep struct {
	Label string `json:"label"`
	// Op is how the amount enters: "" (a starting amount), "+", "−", "="
	// (the result so far) or "・" (information).
	Op     string `json:"op"`
	Yen    int64  `json:"yen"`
	Law    string `json:"law,omitempty"`
	Source string `json:"source,omitempty"`
	// Unit is "" for yen, or "人" when Yen counts people.
	Unit string `json:"unit,omitempty"`
}

func breakdown(title string, steps []income.Step) Breakdown {
	b := Breakdown{Title: title, Steps: make([]BreakdownStep, len(steps))}
	for i, s := range steps {
		b.Steps[i] = BreakdownStep{Label: s.Label, Op: s.Op.String(), Yen: s.Amount, Law: s.Source.Law, Source: s.Source.URL, Unit: s.Unit}
	}
	return b
}

// record adds a breakdown to the evaluation's outcome when explanations
// are on; the same title is kept once.
func (v *memberVal) record(title string, steps []income.Step) {
	if v.hh == nil || v.hh.rec == nil {
		return
	}
	ec := v.hh.rec
	for _, b := range ec.breakdowns {
		if b.Title == title {
			return
		}
	}
	ec.breakdowns = append(ec.breakdowns, breakdown(title, steps))
}

func (v *memberVal) explaining() bool { return v.hh != nil && v.hh.rec != nil }

// memoEntry keeps the result of an income function of a member for the
// whole screening: several programmes ask for the same 所得額 or 扶養親族等,
// and the facts do not change while a household is screened. The breakdown
// is kept too, so that every programme that uses the figure explains it.
type memoEntry struct {
	key   memoKey
	val   ref.Val
	title string
	steps []income.Step
}

type memoKey struct {
	fn        uint8 // 1 total_income, 2 income_measure, 3 dependents
	year      int64
	measure   string
	role      string
	relatives uint64 // dependents: the members given, as a bit set (at most MaxMembers)
	explained bool
}

// memoized returns the result for key, computing it once with f (which
// returns the value and, when explaining, the breakdown's title and steps).
func (v *memberVal) memoized(key memoKey, f func() (ref.Val, string, []income.Step)) ref.Val {
	key.explained = v.explaining()
	for i := range v.memo {
		if v.memo[i].key == key {
			e := &v.memo[i]
			if e.title != "" {
				v.record(e.title, e.steps)
			}
			return e.val
		}
	}
	val, title, steps := f()
	if title != "" {
		v.record(title, steps)
	}
	v.memo = append(v.memo, memoEntry{key: key, val: val, title: title, steps: steps})
	return val
}

// incomeErr turns an error of package income into a CEL error that staff
// can read.
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

func (v *memberVal) label() string { return memberLabel(v.m) }

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
		return types.NewErr("income_measure: no measure %q (child_rearing_allowance, tokyo_single_parent_medical, tokyo_child_upbringing)", measureName), "", nil
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

// dependentsBinding is Member.dependents. It is non-strict: when the list
// of relatives is unknown, the result is unknown because of it and of the
// facts dependents would read for the members the list may hold.
func dependentsBinding(args ...ref.Val) ref.Val {
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
			return m.dependents(int64(y), l)
		}
	case *types.Unknown:
		if m.hh != nil {
			unk = mergeUnknownsOf(unk, m.computeDependentsUnknown(int64(y), m.hh.candidateList(candidateSet(l))))
		}
	default:
		return types.NoSuchOverloadErr()
	}
	return unk
}

// computeDependentsUnknown is the unknown of dependents over relatives,
// or nil when it is known.
func (v *memberVal) computeDependentsUnknown(year int64, relatives traits.Lister) ref.Val {
	r, _, _ := v.computeDependents(year, relatives)
	return r
}

// splitArgs returns the merged unknowns among the arguments of a
// non-strict function, and the first error (which wins, as in a strict
// call).
func splitArgs(args []ref.Val) (*types.Unknown, ref.Val) {
	var unk *types.Unknown
	for _, a := range args {
		switch v := a.(type) {
		case *types.Err:
			return nil, v
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, v)
		}
	}
	return unk, nil
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

// IncomeFunctions documents the income functions available in rules.
func incomeFunctionDocs() []Function {
	return []Function{
		{"salary_income(int year, int revenue) -> int", "給与収入から給与所得（所得税法別表第五。令和7年分の改正を含む）"},
		{"salary_deduction(int year, int revenue) -> int", "給与所得控除額（法定の算式）"},
		{"pension_income(int year, int revenue, bool aged65, int other_income) -> int", "公的年金等に係る雑所得（年齢区分と公的年金等以外の合計所得金額による）"},
		{"Member.total_income(int year) -> int", "その年分の合計所得金額（給与所得＋公的年金等の雑所得＋事業所得＋その他の所得）"},
		{"Member.income_measure(int year, string measure, string role) -> int", "制度の所得額。measure: child_rearing_allowance（児童扶養手当）, tokyo_single_parent_medical, tokyo_child_upbringing。role: parent, caretaker, spouse, liable_relative（扶養義務者）"},
		{"Member.dependents(int year, list(Member) relatives) -> Dependents", "12月31日現在の扶養親族等の数と内訳（count, under16, aged16to18, specified, elderly, recipient_addition, liable_addition …）"},
		{"Member.age_at_year_end(int year) -> int", "その年の12月31日の年齢"},
		{"resident_tax(int year, int total_income, int dependents, int grade, bool disabled, bool minor, bool widow, bool single_parent) -> ResidentTax", "翌年度の住民税の非課税判定（exempt: 均等割も非課税, income_levy_exempt, per_capita_limit, income_levy_limit）"},
		{"resident_tax_minor(Date birth, int fiscal_year) -> bool", "住民税の未成年者（その年度の1月1日に18歳未満）か"},
		{"single_parent_deduction(int year, int total_income, bool unmarried, bool de_facto, list(int) children_incomes) -> PersonalDeduction", "ひとり親控除の判定（eligible, income_tax, resident_tax）"},
		{"widow_deduction(int year, int total_income, bool female, bool bereaved, bool divorced, bool has_dependent, bool de_facto, bool single_parent) -> PersonalDeduction", "寡婦控除の判定"},
	}
}

func incomeOptions() []cel.EnvOption {
	yearYen := func(f func(int, int64) (int64, error)) cel.OverloadOpt {
		return binary(func(y, v types.Int) ref.Val {
			r, err := f(int(y), int64(v))
			if err != nil {
				return incomeErr(err)
			}
			return types.Int(r)
		})
	}
	return []cel.EnvOption{
		cel.Function("salary_income", cel.Overload("onestop_salary_income", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType,
			yearYen(income.SalaryIncome))),
		cel.Function("salary_deduction", cel.Overload("onestop_salary_deduction", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType,
			yearYen(income.SalaryDeduction))),
		cel.Function("pension_income", cel.Overload("onestop_pension_income", []*cel.Type{cel.IntType, cel.IntType, cel.BoolType, cel.IntType}, cel.IntType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				y, rev, aged, other := arg[types.Int](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Bool](args, 2, &ok), arg[types.Int](args, 3, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				r, err := income.PublicPensionIncome(int(y), int64(rev), bool(aged), int64(other))
				if err != nil {
					return incomeErr(err)
				}
				return types.Int(r)
			}))),
		cel.Function("total_income", cel.MemberOverload("onestop_member_total_income", []*cel.Type{memberType, cel.IntType}, cel.IntType,
			binary(func(m *memberVal, y types.Int) ref.Val { return m.totalIncome(int64(y)) }))),
		cel.Function("income_measure", cel.MemberOverload("onestop_member_income_measure", []*cel.Type{memberType, cel.IntType, cel.StringType, cel.StringType}, cel.IntType,
			cel.OverloadIsNonStrict(), cel.FunctionBinding(incomeMeasureBinding))),
		cel.Function("dependents", cel.MemberOverload("onestop_member_dependents", []*cel.Type{memberType, cel.IntType, listOfMember}, dependentsType,
			cel.OverloadIsNonStrict(), cel.FunctionBinding(dependentsBinding))),
		cel.Function("age_at_year_end", cel.MemberOverload("onestop_member_age_at_year_end", []*cel.Type{memberType, cel.IntType}, cel.IntType,
			binary(func(m *memberVal, y types.Int) ref.Val {
				if m.m.BirthDate == nil {
					return memberFact(m.idx, "birth_date").unknown()
				}
				if y < 1 || y > 9999 {
					return types.NewErr("age_at_year_end: year %d out of range", y)
				}
				return types.Int(civil.StatutoryAge(*m.m.BirthDate, civil.MustDate(int(y), time.December, 31)))
			}))),
		cel.Function("resident_tax", cel.Overload("onestop_resident_tax",
			[]*cel.Type{cel.IntType, cel.IntType, cel.IntType, cel.IntType, cel.BoolType, cel.BoolType, cel.BoolType, cel.BoolType}, residentTaxType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:4])
				b, ok2 := asBools(args[4:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				if x[3] < 1 || x[3] > 3 {
					return types.NewErr("resident_tax: 級地 %d (use 1, 2 or 3)", x[3])
				}
				if x[2] < 0 || x[2] > MaxMembers {
					return types.NewErr("resident_tax: dependents %d out of range", x[2])
				}
				st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
					Grade: income.Grade(x[3]), Disabled: b[0], Minor: b[1], Widow: b[2], SingleParent: b[3]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(residentTaxType, types.Bool(st.PerCapitaExempt), types.Bool(st.IncomeLevyExempt), types.Int(st.PerCapitaLimit), types.Int(st.IncomeLevyLimit))
			}))),
		cel.Function("resident_tax_minor", cel.Overload("onestop_resident_tax_minor", []*cel.Type{dateType, cel.IntType}, cel.BoolType,
			binary(func(birth dateVal, fy types.Int) ref.Val {
				if fy < 1900 || fy > 9998 {
					return types.NewErr("resident_tax_minor: fiscal year %d out of range", fy)
				}
				return types.Bool(income.ResidentTaxMinor(birth.d, int(fy)))
			}))),
		cel.Function("single_parent_deduction", cel.Overload("onestop_single_parent_deduction",
			[]*cel.Type{cel.IntType, cel.IntType, cel.BoolType, cel.BoolType, intList}, deductionType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:2])
				b, ok2 := asBools(args[2:4])
				l, ok3 := args[4].(traits.Lister)
				if !ok1 || !ok2 || !ok3 {
					return types.NoSuchOverloadErr()
				}
				var children []int64
				it := l.Iterator()
				for it.HasNext() == types.True {
					c, ok := it.Next().(types.Int)
					if !ok {
						return types.NewErr("single_parent_deduction: children_incomes must be integers")
					}
					children = append(children, int64(c))
				}
				d, err := income.SingleParentDeduction(income.SingleParentInput{Year: int(x[0]), TotalIncome: x[1], Unmarried: b[0], DeFactoSpouse: b[1], Children: children})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(deductionType, types.Bool(d.Eligible), types.Int(d.IncomeTax), types.Int(d.ResidentTax))
			}))),
		cel.Function("widow_deduction", cel.Overload("onestop_widow_deduction",
			[]*cel.Type{cel.IntType, cel.IntType, cel.BoolType, cel.BoolType, cel.BoolType, cel.BoolType, cel.BoolType, cel.BoolType}, deductionType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:2])
				b, ok2 := asBools(args[2:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				d, err := income.WidowDeduction(income.WidowInput{Year: int(x[0]), TotalIncome: x[1], Female: b[0], Bereaved: b[1], Divorced: b[2],
					HasDependent: b[3], DeFactoSpouse: b[4], SingleParent: b[5]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(deductionType, types.Bool(d.Eligible), types.Int(d.IncomeTax), types.Int(d.ResidentTax))
			}))),
	}
}
