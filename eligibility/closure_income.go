package eligibility

import (
	"cmp"
	"slices"
	"sync"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"

	celast "cel.dev/cel-go/common/ast"
)

// The income functions on the closure path: the facts they read and the
// unknown facts they ask for are income_facts.go's (shared with the
// interpreter), read through the cenv as an incomeReader into the arena;
// the memo is the interpreter's too: a figure of a member is computed once
// per screening and replays its unknown facts in every programme that
// asks for it.

// cmemo is one memoised income figure of a member.
type cmemo struct {
	m    int
	fn   uint8 // memoTotal …
	year int64
	spec *measureSpec // memoMeasure: the measure and role
	rel  uint64
	v    int64
	rec  *crec
	u    unk
	ok   bool // false: the computation is a run-time error
}

const (
	memoTotal uint8 = iota + 1
	memoMeasure
	memoDependents
	memoLevy
)

func (e *cenv) memoGet(m int, fn uint8, year int64, rel uint64) *cmemo {
	for i := range e.memo {
		x := &e.memo[i]
		if x.m == m && x.fn == fn && x.year == year && x.rel == rel {
			return x
		}
	}
	return nil
}

// memoAdd appends a zero figure to the memo (after its computation, which
// may have appended others) and returns it.
func (e *cenv) memoAdd() *cmemo {
	n := len(e.memo)
	if n < cap(e.memo) {
		e.memo = e.memo[:n+1]
		x := &e.memo[n]
		*x = cmemo{}
		return x
	}
	e.memo = append(e.memo, cmemo{})
	return &e.memo[n]
}

// unknown implements incomeReader: the fact is added to the unknown of
// the income computation running (cenv.iu).
func (e *cenv) unknown(p factPath) { e.iu = e.merge(e.iu, e.fact(p)) }

// incomeTotal implements incomeReader.
func (e *cenv) incomeTotal(m int, year int64) (int64, bool, bool) {
	t, tu, ok := e.totalIncome(m, year)
	switch {
	case !ok:
		return 0, false, false
	case tu != 0:
		e.iu = e.merge(e.iu, tu)
		return 0, false, true
	}
	return t, true, true
}

// reading starts an income computation: its unknown is collected in
// e.iu; done returns it and restores the one of the computation that
// asked (computations nest: dependents reads total incomes).
func (e *cenv) reading() (outer unk) {
	outer, e.iu = e.iu, 0
	return outer
}

func (e *cenv) done(outer unk) unk {
	u := e.iu
	e.iu = outer
	return u
}

// totalIncome is memberVal.totalIncome: ok false on a run-time error.
func (e *cenv) totalIncome(m int, year int64) (int64, unk, bool) {
	if x := e.memoGet(m, memoTotal, year, 0); x != nil {
		return x.v, x.u, x.ok
	}
	outer := e.reading()
	ea, _ := earningsOf(e, e.h, m, year)
	u := e.done(outer)
	var v int64
	ok := true
	if u == 0 {
		t, err := income.TotalIncome(int(year), ea)
		v, ok = t.Total, err == nil
	}
	x := e.memoAdd()
	x.m, x.fn, x.year, x.v, x.u, x.ok = m, memoTotal, year, v, u, ok
	return v, u, ok
}

// measureSpec is an income_measure's measure and role, resolved once.
type measureSpec struct {
	measure, role string
	m             income.Measure
	cm            income.CheckedMeasure // m, validated once
	r             income.Role
	ok            bool // both names exist (and the measure is valid)
}

// measureSpecs resolves every pair of names once.
var measureSpecs = sync.OnceValue(func() map[[2]string]*measureSpec {
	out := map[[2]string]*measureSpec{}
	for mn, mk := range measures {
		for rn, r := range roles {
			m := mk()
			cm, err := m.Check()
			out[[2]string{mn, rn}] = &measureSpec{measure: mn, role: rn, m: m, cm: cm, r: r, ok: err == nil}
		}
	}
	return out
})

// specOf is the spec of a pair of names: the same pointer for the same
// names, and a spec that is not ok (a run-time error) for unknown ones.
func specOf(measure, role string) *measureSpec {
	if s, ok := measureSpecs()[[2]string{measure, role}]; ok {
		return s
	}
	return &measureSpec{measure: measure, role: role}
}

// specsOf are the specs of a call site whose measure or role (or both) is
// a literal ("" when not): the few pairs it can name, looked up by
// comparing names instead of hashing them (a role chosen at run time from
// two literals is the usual call). Nil when neither is a literal.
func specsOf(measure, role string) []*measureSpec {
	if measure == "" && role == "" {
		return nil
	}
	var out []*measureSpec
	for _, s := range measureSpecs() {
		if (measure == "" || s.measure == measure) && (role == "" || s.role == role) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b *measureSpec) int {
		return cmp.Or(cmp.Compare(a.measure, b.measure), cmp.Compare(a.role, b.role))
	})
	return out
}

// lookupSpec is specOf over a call site's specs (specsOf): a name is
// compared only when its length and first byte match (the roles differ
// there).
func lookupSpec(specs []*measureSpec, measure, role string) *measureSpec {
	for _, s := range specs {
		if sameName(s.role, role) && sameName(s.measure, measure) {
			return s
		}
	}
	return specOf(measure, role)
}

// lookupRole is lookupSpec at a call site whose measure is a literal (every
// one of its specs has it): only the role is compared.
func lookupRole(specs []*measureSpec, measure, role string) *measureSpec {
	for _, s := range specs {
		if sameName(s.role, role) {
			return s
		}
	}
	return specOf(measure, role)
}

func sameName(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || a[0] == b[0]) && a == b
}

func (e *cenv) incomeMeasure(m int, year int64, spec *measureSpec) (int64, unk, bool) {
	for i := range e.memo {
		x := &e.memo[i]
		// A spec is one pointer per pair of names (specOf): the names
		// need no comparing.
		if x.fn == memoMeasure && x.m == m && x.year == year && x.spec == spec {
			return x.v, x.u, x.ok
		}
	}
	v, u, ok := e.computeIncomeMeasure(m, year, spec)
	x := e.memoAdd()
	x.m, x.fn, x.year, x.spec, x.v, x.u, x.ok = m, memoMeasure, year, spec, v, u, ok
	return v, u, ok
}

// computeIncomeMeasure is memberVal.computeIncomeMeasure.
func (e *cenv) computeIncomeMeasure(m int, year int64, spec *measureSpec) (int64, unk, bool) {
	if !spec.ok {
		return 0, 0, false
	}
	outer := e.reading()
	mi := measureInputOf(e, e.h, m, year, &spec.m, spec.r)
	if u := e.done(outer); u != 0 {
		return 0, u, true
	}
	r, err := spec.cm.Income(mi)
	return r, 0, err == nil
}

// measureUnknown is an income_measure whose measure or role is unknown
// (msu, rsu): every one it may be is tried, adding their unknown facts to
// u (a combination that is a run-time error adds nothing).
func (e *cenv) measureUnknown(mv int, yv int64, msv string, msu unk, rsv string, rsu unk, u unk) (int64, unk) {
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
	return 0, u
}

// setIndices are the members of a set, in household order.
func setIndices(s uint64, buf []int) []int {
	for ; s != 0; s &= s - 1 {
		buf = append(buf, trailing(s))
	}
	return buf
}

func (e *cenv) dependents(m int, year int64, rel uint64) (*crec, unk, bool) {
	if x := e.memoGet(m, memoDependents, year, rel); x != nil {
		return x.rec, x.u, x.ok
	}
	r, u, ok := e.computeDependents(m, year, rel)
	x := e.memoAdd()
	x.m, x.fn, x.year, x.rel, x.rec, x.u, x.ok = m, memoDependents, year, rel, r, u, ok
	return r, u, ok
}

// computeDependents is memberVal.computeDependents.
func (e *cenv) computeDependents(m int, year int64, relatives uint64) (*crec, unk, bool) {
	outer := e.reading()
	e.idx = setIndices(relatives, e.idx[:0])
	rels, own, ok := dependentsInputOf(e, e.h, m, year, e.idx, e.rels[:0])
	e.rels = rels[:0]
	u := e.done(outer)
	switch {
	case !ok:
		return nil, 0, false
	case u != 0:
		return nil, u, true
	}
	d, err := income.CountDependents(int(year), own, rels)
	if err != nil {
		return nil, 0, false
	}
	r := e.rec(&recordDecls[0])
	r.v = [len(crec{}.v)]int64{int64(d.Count), int64(d.Spouse), int64(d.ElderlySpouse), int64(d.Under16), int64(d.Aged16to18),
		int64(d.Specified), int64(d.Adult), int64(d.Elderly), d.RecipientAddition, d.LiableRelativeAddition}
	return r, 0, true
}

func (e *cenv) residentLevy(m int, year int64, rel uint64) (*crec, unk, bool) {
	if x := e.memoGet(m, memoLevy, year, rel); x != nil {
		return x.rec, x.u, x.ok
	}
	r, u, ok := e.computeResidentLevy(m, year, rel)
	x := e.memoAdd()
	x.m, x.fn, x.year, x.rel, x.rec, x.u, x.ok = m, memoLevy, year, rel, r, u, ok
	return r, u, ok
}

// computeResidentLevy is memberVal.computeResidentLevy.
func (e *cenv) computeResidentLevy(m int, year int64, relatives uint64) (*crec, unk, bool) {
	var buf [MaxMembers]int
	outer := e.reading()
	in, ok := levyInputOf(e, e.h, m, year, setIndices(relatives, buf[:0]), e.taxRels[:0])
	e.taxRels = in.Relatives[:0]
	u := e.done(outer)
	switch {
	case !ok:
		return nil, 0, false
	case u != 0:
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
			// The usual call names both as literals: resolved now; one
			// that names one of them looks among the few pairs it can be.
			var constSpec *measureSpec
			lit := func(i int) (string, bool) {
				if arg := x.AsCall().Args()[i]; arg.Kind() == celast.LiteralKind {
					s, ok := arg.AsLiteral().Value().(string)
					return s, ok && s != ""
				}
				return "", false
			}
			mn, mlit := lit(1)
			rn, rlit := lit(2)
			if mlit && rlit {
				constSpec = specOf(mn, rn)
			}
			specs := specsOf(mn, rn)
			lookup := lookupSpec
			if mlit {
				lookup = lookupRole
			}
			if ch := a[3].choice; ch != nil && mlit {
				// The role chosen by a condition from two literals
				// (is_caretaker ? 'caretaker' : 'parent'): the spec is
				// chosen by the condition's value, as rs would name it.
				cf, ts, fs := ch.cond, specOf(mn, ch.t), specOf(mn, ch.f)
				return intNode(func(e *cenv) (int64, unk) {
					mv, mu := m(e)
					yv, yu := y(e)
					b, bu := cf(e)
					u := e.merge(e.merge(mu, yu), bu)
					if mu != 0 || yu != 0 {
						return 0, u
					}
					if u == 0 {
						spec := fs
						if b {
							spec = ts
						}
						v, vu, ok := e.incomeMeasure(mv, yv, spec)
						if !ok {
							e.fail()
						}
						return v, vu
					}
					return e.measureUnknown(mv, yv, mn, 0, "", bu, u)
				})
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
						spec = lookup(specs, msv, rsv)
					}
					v, vu, ok := e.incomeMeasure(mv, yv, spec)
					if !ok {
						e.fail()
					}
					return v, vu
				}
				return e.measureUnknown(mv, yv, msv, msu, rsv, rsu, u)
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
