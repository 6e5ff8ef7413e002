package eligibility

import (
	"sync"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"

	celast "cel.dev/cel-go/common/ast"
)

// The income functions on the closure path: the same income maths
// (package income) on the member's facts as income_eval.go, with the
// unknown facts in the arena, and the same memo: a figure of a member is
// computed once per screening and replays its unknown facts in every
// programme that asks for it. Which facts each computation reads when
// some are unknown is written here and in income_eval.go alike: a change
// to one is a change to the other (TestClosuresAgreeOnRuleTests,
// TestClosuresAgreeOnGeneratedPopulations and FuzzClosures fail until
// both agree).

// cmemo is one memoised income figure of a member.
type cmemo struct {
	m       int
	fn      uint8 // memoTotal …
	year    int64
	measure string
	role    string
	rel     uint64
	v       int64
	rec     *crec
	u       unk
	ok      bool // false: the computation is a run-time error
}

const (
	memoTotal uint8 = iota + 1
	memoMeasure
	memoDependents
	memoLevy
)

func (e *cenv) memoGet(key cmemo) (*cmemo, bool) {
	for i := range e.memo {
		x := &e.memo[i]
		if x.m == key.m && x.fn == key.fn && x.year == key.year && x.rel == key.rel && x.measure == key.measure && x.role == key.role {
			return x, true
		}
	}
	return nil, false
}

// zeroIncome is the income of a member known to have none (incomes: []),
// for reading amounts only.
var zeroIncome = noIncome(0)

// incomeEntry is the member's Income for a year, or the year's unknown.
func (e *cenv) incomeEntry(m int, year int64) (*Income, unk) {
	mem := &e.h.Members[m]
	if mem.Incomes != nil && len(mem.Incomes) == 0 {
		return zeroIncome, 0
	}
	var found *Income
	for i := range mem.Incomes {
		if int64(mem.Incomes[i].Year) == year {
			found = &mem.Incomes[i]
		}
	}
	if found == nil {
		return nil, e.fact(incomeYearFact(m, year))
	}
	return found, 0
}

func (e *cenv) amount(v *int64, m int, year int64, field string, u *unk) int64 {
	if v == nil {
		*u = e.merge(*u, e.fact(factPath{member: m, sub: "incomes", year: year, field: field}))
		return 0
	}
	return *v
}

// earnings is memberVal.earnings.
func (e *cenv) earnings(m int, year int64) (income.Earnings, *Income, unk) {
	in, u := e.incomeEntry(m, year)
	if u != 0 {
		return income.Earnings{}, nil, u
	}
	ea := income.Earnings{
		SalaryRevenue:  e.amount(in.SalaryRevenue, m, year, "salary_revenue", &u),
		PensionRevenue: e.amount(in.PensionRevenue, m, year, "pension_revenue", &u),
	}
	ea.OtherIncome = e.amount(in.BusinessIncome, m, year, "business_income", &u) + e.amount(in.OtherIncome, m, year, "other_income", &u)
	mem := &e.h.Members[m]
	if ea.PensionRevenue > 0 {
		if mem.BirthDate == nil {
			u = e.merge(u, e.fact(memberFact(m, "birth_date")))
		} else {
			ea.PensionAged65 = income.AgeAtYearEnd(*mem.BirthDate, int(year)) >= 65
		}
	}
	if ea.SalaryRevenue > 8_500_000 {
		for i := range e.h.Members {
			c := &e.h.Members[i]
			if c.Relation == RelationChild && c.BirthDate != nil && income.AgeAtYearEnd(*c.BirthDate, int(year)) < 23 {
				ea.SalaryAdjustmentEligible = true
			}
		}
	}
	return ea, in, u
}

// knownIncome is member m's 合計所得金額 of year in *dst when it is
// known; when it is not, its unknown is merged into *u (dst untouched).
// false: the closures stop (as totalIncome).
func (e *cenv) knownIncome(m int, year int64, u *unk, dst *int64) bool {
	t, tu, ok := e.totalIncome(m, year)
	if !ok {
		return false
	}
	if tu != 0 {
		*u = e.merge(*u, tu)
	} else {
		*dst = t
	}
	return true
}

// totalIncome is memberVal.totalIncome: ok false on a run-time error.
func (e *cenv) totalIncome(m int, year int64) (int64, unk, bool) {
	key := cmemo{m: m, fn: memoTotal, year: year}
	if x, ok := e.memoGet(key); ok {
		return x.v, x.u, x.ok
	}
	ea, _, u := e.earnings(m, year)
	key.ok = true
	if u != 0 {
		key.u = u
	} else {
		t, err := income.TotalIncome(int(year), ea)
		key.v, key.ok = t.Total, err == nil
	}
	e.memo = append(e.memo, key)
	return key.v, key.u, key.ok
}

// measureSpec is an income_measure's measure and role, resolved once.
type measureSpec struct {
	measure, role string
	m             income.Measure
	r             income.Role
	ok            bool // both names exist
}

// measureSpecs resolves every pair of names once.
var measureSpecs = sync.OnceValue(func() map[[2]string]*measureSpec {
	out := map[[2]string]*measureSpec{}
	for mn, mk := range measures {
		for rn, r := range roles {
			out[[2]string{mn, rn}] = &measureSpec{measure: mn, role: rn, m: mk(), r: r, ok: true}
		}
	}
	return out
})

func specOf(measure, role string) *measureSpec {
	if s, ok := measureSpecs()[[2]string{measure, role}]; ok {
		return s
	}
	return &measureSpec{measure: measure, role: role}
}

func (e *cenv) incomeMeasure(m int, year int64, spec *measureSpec) (int64, unk, bool) {
	for i := range e.memo {
		x := &e.memo[i]
		if x.fn == memoMeasure && x.m == m && x.year == year && x.measure == spec.measure && x.role == spec.role {
			return x.v, x.u, x.ok
		}
	}
	key := cmemo{m: m, fn: memoMeasure, year: year, measure: spec.measure, role: spec.role}
	key.v, key.u, key.ok = e.computeIncomeMeasure(m, year, spec)
	e.memo = append(e.memo, key)
	return key.v, key.u, key.ok
}

// computeIncomeMeasure is memberVal.computeIncomeMeasure.
func (e *cenv) computeIncomeMeasure(m int, year int64, spec *measureSpec) (int64, unk, bool) {
	if !spec.ok {
		return 0, 0, false
	}
	ms, role := &spec.m, spec.r
	ea, in, u := e.earnings(m, year)
	mi := income.MeasureInput{Year: int(year), Role: role, Earnings: ea}
	if in != nil && role == income.RoleParent && ms.ChildSupportPercent > 0 {
		mi.ChildSupport = e.amount(in.ChildSupportReceived, m, year, "child_support_received", &u)
	}
	if in != nil && (ms.StatutoryDeductions || ms.Widow != income.WidowNever) {
		if d := in.Deductions; d != nil {
			mi.CasualtyLoss, mi.Medical, mi.SmallBusinessMutualAid, mi.SpouseSpecial = d.CasualtyLoss, d.Medical, d.SmallBusinessMutualAid, d.SpouseSpecial
			mi.Disabled, mi.SpecialDisabled, mi.WorkingStudent = d.Disabled, d.SpecialDisabled, d.WorkingStudent
			mi.Widow, mi.SingleParent = d.Widow, d.SingleParent
		} else {
			u = e.merge(u, e.fact(factPath{member: m, sub: "incomes", year: year, field: "deductions"}))
		}
	}
	if u != 0 {
		return 0, u, true
	}
	r, err := ms.Income(mi)
	return r, 0, err == nil
}

func (e *cenv) dependents(m int, year int64, rel uint64) (*crec, unk, bool) {
	key := cmemo{m: m, fn: memoDependents, year: year, rel: rel}
	if x, ok := e.memoGet(key); ok {
		return x.rec, x.u, x.ok
	}
	key.rec, key.u, key.ok = e.computeDependents(m, year, rel)
	e.memo = append(e.memo, key)
	return key.rec, key.u, key.ok
}

// computeDependents is memberVal.computeDependents.
func (e *cenv) computeDependents(m int, year int64, relatives uint64) (*crec, unk, bool) {
	rels := e.rels[:0]
	defer func() { e.rels = rels[:0] }()
	var u unk
	hasSpouse := false
	for s := relatives; s != 0; s &= s - 1 {
		r := trailing(s)
		if r == m {
			continue
		}
		mem := &e.h.Members[r]
		rel := income.Relative{Spouse: mem.Relation == RelationSpouse}
		hasSpouse = hasSpouse || rel.Spouse
		if mem.BirthDate == nil {
			u = e.merge(u, e.fact(memberFact(r, "birth_date")))
		} else {
			rel.BirthDate = *mem.BirthDate
		}
		if !e.knownIncome(r, year, &u, &rel.TotalIncome) {
			return nil, 0, false
		}
		rels = append(rels, rel)
	}
	var own int64
	if hasSpouse {
		if !e.knownIncome(m, year, &u, &own) {
			return nil, 0, false
		}
	}
	if u != 0 {
		return nil, u, true
	}
	d, err := income.CountDependents(int(year), own, rels)
	if err != nil {
		return nil, 0, false
	}
	return e.newRec(&recordDecls[0], int64(d.Count), int64(d.Spouse), int64(d.ElderlySpouse), int64(d.Under16), int64(d.Aged16to18),
		int64(d.Specified), int64(d.Adult), int64(d.Elderly), d.RecipientAddition, d.LiableRelativeAddition), 0, true
}

func (e *cenv) residentLevy(m int, year int64, rel uint64) (*crec, unk, bool) {
	key := cmemo{m: m, fn: memoLevy, year: year, rel: rel}
	if x, ok := e.memoGet(key); ok {
		return x.rec, x.u, x.ok
	}
	key.rec, key.u, key.ok = e.computeResidentLevy(m, year, rel)
	e.memo = append(e.memo, key)
	return key.rec, key.u, key.ok
}

// computeResidentLevy is memberVal.computeResidentLevy.
func (e *cenv) computeResidentLevy(m int, year int64, relatives uint64) (*crec, unk, bool) {
	var u unk
	in := income.DeductionInput{Tax: income.ResidentTax, Year: int(year), Relatives: e.taxRels[:0]}
	defer func() { e.taxRels = in.Relatives[:0] }()
	if !e.knownIncome(m, year, &u, &in.TotalIncome) {
		return nil, 0, false
	}
	mem := &e.h.Members[m]
	// While the year's deductions are unknown, a ひとり親控除 among them
	// would need the sex: asked in the same round.
	sexIfSingleParent := func() {
		if mem.Sex == nil {
			u = e.merge(u, e.fact(memberFact(m, "sex")))
		}
	}
	inc, iu := e.incomeEntry(m, year)
	if iu != 0 {
		u = e.merge(u, iu)
		sexIfSingleParent()
	} else if d := inc.Deductions; d != nil {
		in.SocialInsurance, in.InsurancePremiums, in.Medical, in.CasualtyLoss, in.SmallBusinessMutualAid =
			d.SocialInsurance, d.InsurancePremiums, d.Medical, d.CasualtyLoss, d.SmallBusinessMutualAid
		in.DisabledPeople, in.SpecialDisabledPeople = d.Disabled, d.SpecialDisabled
		in.Widow, in.SingleParent, in.WorkingStudent = d.Widow, d.SingleParent, d.WorkingStudent
		if d.SingleParent {
			if mem.Sex == nil {
				u = e.merge(u, e.fact(memberFact(m, "sex")))
			} else {
				in.Female = *mem.Sex == SexFemale
			}
		}
	} else {
		u = e.merge(u, e.fact(factPath{member: m, sub: "incomes", year: year, field: "deductions"}))
		sexIfSingleParent()
	}
	for s := relatives; s != 0; s &= s - 1 {
		r := trailing(s)
		if r == m {
			continue
		}
		rm := &e.h.Members[r]
		rel := income.TaxRelative{Spouse: rm.Relation == RelationSpouse, LinealAscendant: rm.Relation == RelationParent}
		if rm.BirthDate == nil {
			u = e.merge(u, e.fact(memberFact(r, "birth_date")))
			// A parent of unknown age may be 70 or over (as
			// computeResidentLevy): ask whether they live with the
			// taxpayer in the same round.
			if rel.LinealAscendant && rm.LivesWith == nil {
				u = e.merge(u, e.fact(memberFact(r, "lives_with")))
			}
		} else {
			rel.BirthDate = *rm.BirthDate
			if rel.LinealAscendant && income.AgeAtYearEnd(rel.BirthDate, int(year)) >= 70 {
				if rm.LivesWith == nil {
					u = e.merge(u, e.fact(memberFact(r, "lives_with")))
				} else {
					rel.LivesWith = *rm.LivesWith
				}
			}
		}
		if !e.knownIncome(r, year, &u, &rel.TotalIncome) {
			return nil, 0, false
		}
		in.Relatives = append(in.Relatives, rel)
	}
	if u != 0 {
		return nil, u, true
	}
	ded, err := income.IncomeDeductions(in)
	if err != nil {
		return nil, 0, false
	}
	lv, err := income.ResidentIncomeLevy(income.ResidentLevyInput{IncomeYear: int(year), TotalIncome: in.TotalIncome, Deductions: ded})
	if err != nil {
		return nil, 0, false
	}
	return e.newRec(recordDeclOf(residentLevyType), lv.TaxableBase, lv.StandardMunicipal, lv.Municipal, lv.Prefectural,
		lv.MunicipalAdjustment, ded.Total, ded.PersonalDifference), 0, true
}

// ints evaluates int arguments in order (strict: their unknowns merge).
func evalAll(e *cenv, fs []func(*cenv, *lval), buf []lval) unk {
	var u unk
	for i, f := range fs {
		f(e, &buf[i])
		u = e.merge(u, buf[i].u)
	}
	return u
}

func incomeBuiltins() map[string]builtin {
	yearYen := func(f func(int, int64) (int64, error)) builtin {
		return func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt), func(e *cenv, y, v int64) (int64, unk) {
				r, err := f(int(y), v)
				if err != nil {
					e.fail()
				}
				return r, 0
			}))
		}
	}
	// strictN compiles a call whose arguments are ints then bools (the
	// tax functions), evaluating them into scratch slots.
	strictN := func(nInts int, f func(e *cenv, ints []int64, bools []bool) (*crec, bool), rec *recordDecl) builtin {
		return func(c *ccomp, x celast.Expr, a []cnode) cnode {
			stores := make([]func(*cenv, *lval), len(a))
			for i, n := range a {
				k := kBool
				if i < nInts {
					k = kInt
				}
				if n.t.k == kDyn {
					n = fromDyn(n, k)
				}
				if n.t.k != k {
					c.fail("引数の型")
				}
				stores[i] = opsOf(k).store(n.f)
			}
			base := c.newLocal()
			for range len(a) - 1 {
				c.newLocal()
			}
			return cnode{t: ctype{k: kRecord, rec: rec}, f: fn[*crec](func(e *cenv) (*crec, unk) {
				buf := e.loc[base : base+len(stores)]
				if u := evalAll(e, stores, buf); u != 0 {
					return nil, u
				}
				var ints [9]int64
				var bools [9]bool
				for i := range buf {
					if i < nInts {
						ints[i] = buf[i].i
					} else {
						bools[i-nInts] = buf[i].i != 0
					}
				}
				r, ok := f(e, ints[:nInts], bools[:len(buf)-nInts])
				if !ok {
					e.fail()
				}
				return r, 0
			})}
		}
	}
	deduction := recordDeclOf(deductionType)
	residentTax := recordDeclOf(residentTaxType)
	memberYear := func(c *ccomp, a []cnode) (fn[int], fn[int64]) {
		return argAs[int](c, a[0], kMember), argAs[int64](c, a[1], kInt)
	}
	return map[string]builtin{
		"onestop_salary_income":    yearYen(income.SalaryIncome),
		"onestop_salary_deduction": yearYen(income.SalaryDeduction),
		"onestop_pension_income": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			y, rev, aged, other := argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt), argAs[bool](c, a[2], kBool), argAs[int64](c, a[3], kInt)
			return intNode(func(e *cenv) (int64, unk) {
				yv, yu := y(e)
				rv, ru := rev(e)
				av, au := aged(e)
				ov, ou := other(e)
				if u := e.merge(e.merge(yu, ru), e.merge(au, ou)); u != 0 {
					return 0, u
				}
				r, err := income.PublicPensionIncome(int(yv), rv, av, ov)
				if err != nil {
					e.fail()
				}
				return r, 0
			})
		},
		"onestop_member_total_income": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			m, y := memberYear(c, a)
			return intNode(strict2(m, y, func(e *cenv, m int, y int64) (int64, unk) {
				v, u, ok := e.totalIncome(m, y)
				if !ok {
					e.fail()
				}
				return v, u
			}))
		},
		"onestop_member_income_measure": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			m, y := memberYear(c, a)
			ms, rs := argAs[string](c, a[2], kString), argAs[string](c, a[3], kString)
			// The usual call names both as literals: resolved now.
			var constSpec *measureSpec
			if x.AsCall().Args()[1].Kind() == celast.LiteralKind && x.AsCall().Args()[2].Kind() == celast.LiteralKind {
				mn, _ := x.AsCall().Args()[1].AsLiteral().Value().(string)
				rn, _ := x.AsCall().Args()[2].AsLiteral().Value().(string)
				constSpec = specOf(mn, rn)
			}
			return intNode(func(e *cenv) (int64, unk) {
				// Non-strict (incomeMeasureBinding): an unknown measure or
				// role tries every one, adding their unknown facts.
				mv, mu := m(e)
				yv, yu := y(e)
				msv, msu := ms(e)
				rsv, rsu := rs(e)
				u := e.merge(e.merge(mu, yu), e.merge(msu, rsu))
				if mu != 0 || yu != 0 {
					return 0, u
				}
				if u == 0 {
					spec := constSpec
					if spec == nil || spec.measure != msv || spec.role != rsv {
						spec = specOf(msv, rsv)
					}
					v, vu, ok := e.incomeMeasure(mv, yv, spec)
					if !ok {
						e.fail()
					}
					return v, vu
				}
				for mname := range measures {
					if msu == 0 && mname != msv {
						continue
					}
					for rname := range roles {
						if rsu == 0 && rname != rsv {
							continue
						}
						_, vu, _ := e.incomeMeasure(mv, yv, specOf(mname, rname))
						u = e.merge(u, vu)
					}
				}
				// A combination that is a run-time error adds nothing.
				return 0, u
			})
		},
		"onestop_member_dependents": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return c.relativesCall(a, dependentsType, (*cenv).dependents, (*cenv).computeDependents)
		},
		"onestop_member_resident_levy": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return c.relativesCall(a, residentLevyType, (*cenv).residentLevy, (*cenv).computeResidentLevy)
		},
		"onestop_member_age_at_year_end": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			m, y := memberYear(c, a)
			return intNode(strict2(m, y, func(e *cenv, m int, y int64) (int64, unk) {
				b := e.h.Members[m].BirthDate
				if b == nil {
					return 0, e.fact(memberFact(m, "birth_date"))
				}
				if y < 1 || y > 9999 {
					e.fail()
					return 0, 0
				}
				return int64(civil.StatutoryAge(*b, civil.MustDate(int(y), 12, 31))), 0
			}))
		},
		"onestop_resident_tax": strictN(4, func(e *cenv, x []int64, b []bool) (*crec, bool) {
			if x[3] < 1 || x[3] > 3 || x[2] < 0 || x[2] > MaxMembers {
				return nil, false
			}
			st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
				Grade: income.Grade(x[3]), Disabled: b[0], Minor: b[1], Widow: b[2], SingleParent: b[3]})
			if err != nil {
				return nil, false
			}
			return e.newRec(residentTax, b2i(st.PerCapitaExempt), b2i(st.IncomeLevyExempt), st.PerCapitaLimit, st.IncomeLevyLimit), true
		}, residentTax),
		"onestop_resident_tax_rule": strictN(5, func(e *cenv, x []int64, b []bool) (*crec, bool) {
			if x[2] < 0 || x[2] > MaxMembers || x[3] <= 0 {
				return nil, false
			}
			st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
				PerCapita: income.PerCapitaRule{Base: x[3], Addition: x[4]}, Disabled: b[0], Minor: b[1], Widow: b[2], SingleParent: b[3]})
			if err != nil {
				return nil, false
			}
			return e.newRec(residentTax, b2i(st.PerCapitaExempt), b2i(st.IncomeLevyExempt), st.PerCapitaLimit, st.IncomeLevyLimit), true
		}, residentTax),
		"onestop_resident_tax_minor": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return boolNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, b civil.Date, fy int64) (bool, unk) {
				if fy < 1900 || fy > 9998 {
					e.fail()
					return false, 0
				}
				return income.ResidentTaxMinor(b, int(fy)), 0
			}))
		},
		"onestop_single_parent_deduction": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			y, total := argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt)
			um, df := argAs[bool](c, a[2], kBool), argAs[bool](c, a[3], kBool)
			ch := argAs[[]int64](c, a[4], kIntList)
			return cnode{t: ctype{k: kRecord, rec: deduction}, f: fn[*crec](func(e *cenv) (*crec, unk) {
				yv, yu := y(e)
				tv, tu := total(e)
				uv, uu := um(e)
				dv, du := df(e)
				cv, cu := ch(e)
				if u := e.merge(e.merge(e.merge(yu, tu), e.merge(uu, du)), cu); u != 0 {
					return nil, u
				}
				d, err := income.SingleParentDeduction(income.SingleParentInput{Year: int(yv), TotalIncome: tv, Unmarried: uv, DeFactoSpouse: dv, Children: cv})
				if err != nil {
					e.fail()
					return nil, 0
				}
				return e.newRec(deduction, b2i(d.Eligible), d.IncomeTax, d.ResidentTax), 0
			})}
		},
		"onestop_widow_deduction": strictN(2, func(e *cenv, x []int64, b []bool) (*crec, bool) {
			d, err := income.WidowDeduction(income.WidowInput{Year: int(x[0]), TotalIncome: x[1], Female: b[0], Bereaved: b[1], Divorced: b[2],
				HasDependent: b[3], DeFactoSpouse: b[4], SingleParent: b[5]})
			if err != nil {
				return nil, false
			}
			return e.newRec(deduction, b2i(d.Eligible), d.IncomeTax, d.ResidentTax), true
		}, deduction),
	}
}

// relativesCall compiles dependents and resident_levy: non-strict in their
// list of relatives (dependentsBinding, residentLevyBinding). With the
// list unknown, the result is unknown because of it and of what the
// computation reads for the members the list may hold.
func (c *ccomp) relativesCall(a []cnode, t interface{ TypeName() string }, memo, compute func(*cenv, int, int64, uint64) (*crec, unk, bool)) cnode {
	m, y := argAs[int](c, a[0], kMember), argAs[int64](c, a[1], kInt)
	l := argAs[uint64](c, a[2], kMembers)
	var decl *recordDecl
	for i := range recordDecls {
		if recordDecls[i].t.TypeName() == t.TypeName() {
			decl = &recordDecls[i]
		}
	}
	return cnode{t: ctype{k: kRecord, rec: decl}, f: fn[*crec](func(e *cenv) (*crec, unk) {
		mv, mu := m(e)
		yv, yu := y(e)
		lv, lu := l(e)
		u := e.merge(e.merge(mu, yu), lu)
		if mu != 0 || yu != 0 {
			return nil, u
		}
		if lu == 0 {
			r, ru, ok := memo(e, mv, yv, lv)
			if !ok {
				e.fail()
			}
			return r, ru
		}
		_, ru, _ := compute(e, mv, yv, e.ua.candidates(lu))
		return nil, e.merge(u, ru)
	})}
}
