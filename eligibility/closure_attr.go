package eligibility

import (
	"slices"
	"unsafe"

	"github.com/onestop-jp/onestop/civil"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// Attributes: household.members, m.disability.kind, params.x[i],
// has(m.same_livelihood). cel-go evaluates a chain of selections and
// indexes as one attribute: its root (a variable, or any other
// expression), then each qualifier in turn. An unknown root ends the
// chain at once; an object that becomes unknown further down stays
// unknown through the following field selections, but a computed index is
// still evaluated and, if unknown, its unknown replaces the object's. The
// closures keep that order: in a chain with a computed index the root's
// unknown travels negated, so that the index steps know to skip.

type qual struct {
	x     celast.Expr // the select or index node
	field string
	index celast.Expr // nil for a field
	test  bool        // has()
}

func (c *ccomp) attribute(x celast.Expr) cnode {
	var quals []qual
	cur := x
	for {
		if cur.Kind() == celast.SelectKind {
			if _, ok := c.native.ReferenceMap()[cur.ID()]; ok {
				c.fail("名前空間つきの名前")
			}
			sel := cur.AsSelect()
			quals = append(quals, qual{x: cur, field: sel.FieldName(), test: sel.IsTestOnly()})
			cur = sel.Operand()
			continue
		}
		if cur.Kind() == celast.CallKind {
			switch cur.AsCall().FunctionName() {
			case operators.Index:
				args := cur.AsCall().Args()
				quals = append(quals, qual{x: cur, index: args[1]})
				cur = args[0]
				continue
			case operators.OptIndex, operators.OptSelect:
				c.fail("省略可能な選択（?.）")
			}
		}
		break
	}
	computed := false
	for i, j := 0, len(quals)-1; i < j; i, j = i+1, j-1 {
		quals[i], quals[j] = quals[j], quals[i]
	}
	for _, q := range quals {
		if q.index != nil && q.index.Kind() != celast.LiteralKind {
			computed = true
		}
	}
	if !computed && len(quals) >= 2 {
		if n, ok := c.programValue(cur, quals[0], quals[1]); ok {
			for _, q := range quals[2:] {
				n = c.qualify(n, q)
			}
			return n
		}
	}
	n := c.expr(cur)
	// params is never unknown: nothing to mark.
	marked := computed && n.t.k != kParams
	if marked {
		n = cnode{t: n.t, f: opsOf(n.t.k).markRoot(n.f)}
	}
	for _, q := range quals {
		n = c.qualify(n, q)
	}
	if marked {
		n = cnode{t: n.t, f: opsOf(n.t.k).unmarkRoot(n.f)}
	}
	return n
}

// on applies get to a known object; an unknown object (whether root or
// not) passes through.
func on[A, B any](prev fn[A], get func(*cenv, A) (B, unk)) fn[B] {
	return func(e *cenv) (B, unk) {
		a, u := prev(e)
		if u != 0 {
			var z B
			return z, u
		}
		return get(e, a)
	}
}

// onIndex applies get with a computed index (see the comment above).
func onIndex[A, B any](prev fn[A], idx fn[int64], get func(*cenv, A, int64) (B, unk)) fn[B] {
	return func(e *cenv) (B, unk) {
		var z B
		a, u := prev(e)
		if u < 0 {
			return z, u
		}
		i, iu := idx(e)
		if iu != 0 {
			return z, iu
		}
		if u != 0 {
			return z, u
		}
		return get(e, a, i)
	}
}

func (c *ccomp) qualify(n cnode, q qual) cnode {
	if q.index != nil {
		return c.index(n, q)
	}
	if q.test {
		return c.has(n, q.field)
	}
	switch n.t.k {
	case kHousehold:
		return householdField(q.field, c)
	case kMember:
		return memberField(n, q.field, c)
	case kIncome:
		return incomeField(n.f.(fn[incRef]), q.field, c)
	case kDisability:
		return disabilityField(n.f.(fn[disRef]), q.field, c)
	case kDeductions:
		return deductionsField(n.f.(fn[*Deductions]), q.field, c)
	case kRecord:
		return recordField(n, n.t.rec, q.field, c)
	case kExtra:
		return extraKey(n.f.(fn[struct{}]), q.field)
	case kParams:
		return c.param(q.field)
	case kDyn:
		return c.dynSelect(n, q)
	}
	c.fail("%v の項目 %s", n.t.k, q.field)
	return cnode{}
}

func boolNode(f fn[bool]) cnode       { return cnode{t: ctype{k: kBool}, f: f} }
func intNode(f fn[int64]) cnode       { return cnode{t: ctype{k: kInt}, f: f} }
func strNode(f fn[string]) cnode      { return cnode{t: ctype{k: kString}, f: f} }
func dateNode(f fn[civil.Date]) cnode { return cnode{t: ctype{k: kDate}, f: f} }

func householdField(field string, c *ccomp) cnode {
	fact := householdFact(field)
	switch field {
	case "id":
		return strNode(func(e *cenv) (string, unk) { return e.h.ID, 0 })
	case "municipality_code":
		return strNode(func(e *cenv) (string, unk) { return optS(e, e.h.MunicipalityCode, fact) })
	case "situation":
		return strNode(func(e *cenv) (string, unk) { return optS(e, e.h.Situation, fact) })
	case "applicant_role":
		return strNode(func(e *cenv) (string, unk) { return optS(e, e.h.ApplicantRole, fact) })
	case "de_facto_partner":
		return boolNode(func(e *cenv) (bool, unk) { return optB(e, e.h.DeFactoPartner, fact) })
	case "grade_area":
		return intNode(func(e *cenv) (int64, unk) {
			if e.h.GradeArea == nil {
				return 0, e.fact(fact)
			}
			return int64(*e.h.GradeArea), 0
		})
	case "members":
		return cnode{t: ctype{k: kMembers}, f: fn[uint64](func(e *cenv) (uint64, unk) { return e.hh.all, 0 })}
	case "receiving":
		return cnode{t: ctype{k: kStrList}, f: fn[[]string](func(e *cenv) ([]string, unk) {
			if e.h.Receiving == nil {
				return nil, e.fact(fact)
			}
			return e.h.Receiving, 0
		})}
	case "extra":
		return constNode(kExtra, lval{})
	}
	c.fail("世帯の項目 %s", field)
	return cnode{}
}

func optS[T ~string](e *cenv, v *T, p factPath) (string, unk) {
	if v == nil {
		return "", e.fact(p)
	}
	return string(*v), 0
}

func optB(e *cenv, v *bool, p factPath) (bool, unk) {
	if v == nil {
		return false, e.fact(p)
	}
	return *v, 0
}

// memberBoolOffset is where each of memberBool's facts is in a Member:
// a closure over a comprehension variable loads it in place instead of
// calling the getter (TestMemberBoolOffsets holds the two together).
var memberBoolOffset = map[string]uintptr{
	"lives_with":       unsafe.Offsetof(Member{}.LivesWith),
	"same_livelihood":  unsafe.Offsetof(Member{}.SameLivelihood),
	"supported":        unsafe.Offsetof(Member{}.Supported),
	"in_facility":      unsafe.Offsetof(Member{}.InFacility),
	"resides_in_japan": unsafe.Offsetof(Member{}.ResidesInJapan),
	"school_private":   unsafe.Offsetof(Member{}.SchoolPrivate),
}

// boolAt is the *bool fact at offset off of m (memberBoolOffset).
func boolAt(m *Member, off uintptr) *bool {
	return *(**bool)(unsafe.Add(unsafe.Pointer(m), off))
}

// memberBool and memberString are the Member facts that are optional
// booleans and strings (enums included).
var memberBool = map[string]func(*Member) *bool{
	"lives_with":       func(m *Member) *bool { return m.LivesWith },
	"same_livelihood":  func(m *Member) *bool { return m.SameLivelihood },
	"supported":        func(m *Member) *bool { return m.Supported },
	"in_facility":      func(m *Member) *bool { return m.InFacility },
	"resides_in_japan": func(m *Member) *bool { return m.ResidesInJapan },
	"school_private":   func(m *Member) *bool { return m.SchoolPrivate },
}

var memberString = map[string]func(*Member) (string, bool){
	"sex": func(m *Member) (string, bool) { return optStr(m.Sex) },
	"school": func(m *Member) (string, bool) {
		return optStr(m.School)
	},
	"health_insurance": func(m *Member) (string, bool) { return optStr(m.HealthInsurance) },
	"pension_category": func(m *Member) (string, bool) { return optStr(m.PensionCategory) },
}

func optStr[T ~string](v *T) (string, bool) {
	if v == nil {
		return "", false
	}
	return string(*v), true
}

// onMember is on over a member: when m is a comprehension variable read
// as it is, its slot is read directly (one call less per field).
func onMember[B any](m cnode, get func(*cenv, int) (B, unk)) fn[B] {
	if m.local == 0 {
		return on(m.f.(fn[int]), get)
	}
	slot := m.local - 1
	return func(e *cenv) (B, unk) {
		l := &e.loc[slot]
		if l.u != 0 {
			var z B
			return z, l.u
		}
		return get(e, int(l.i))
	}
}

func memberField(m cnode, field string, c *ccomp) cnode {
	if get, ok := memberBool[field]; ok {
		if off, ok := memberBoolOffset[field]; ok && m.local > 0 {
			// m.lives_with of a comprehension variable: one closure
			// reads the slot and the fact.
			slot := m.local - 1
			return boolNode(func(e *cenv) (bool, unk) {
				l := &e.loc[slot]
				if l.u != 0 {
					return false, l.u
				}
				if v := boolAt(&e.h.Members[l.i], off); v != nil {
					return *v, 0
				}
				return false, e.fact(memberFact(int(l.i), field))
			})
		}
		return boolNode(onMember(m, func(e *cenv, i int) (bool, unk) {
			return optB(e, get(&e.h.Members[i]), memberFact(i, field))
		}))
	}
	if get, ok := memberString[field]; ok {
		return strNode(onMember(m, func(e *cenv, i int) (string, unk) {
			s, ok := get(&e.h.Members[i])
			if !ok {
				return "", e.fact(memberFact(i, field))
			}
			return s, 0
		}))
	}
	switch field {
	case "id":
		return strNode(onMember(m, func(e *cenv, i int) (string, unk) { return e.h.Members[i].ID, 0 }))
	case "relation":
		if m.local > 0 {
			// The commonest read of all (m.relation == 'child' …), fused.
			slot := m.local - 1
			n := strNode(func(e *cenv) (string, unk) {
				l := &e.loc[slot]
				if l.u != 0 {
					return "", l.u
				}
				return string(e.h.Members[l.i].Relation), 0
			})
			n.relOf = m.local
			return n
		}
		return strNode(on(m.f.(fn[int]), func(e *cenv, i int) (string, unk) { return string(e.h.Members[i].Relation), 0 }))
	case "birth_date":
		if m.local > 0 {
			slot := m.local - 1
			return dateNode(func(e *cenv) (civil.Date, unk) {
				l := &e.loc[slot]
				if l.u != 0 {
					return civil.Date{}, l.u
				}
				if b := e.h.Members[l.i].BirthDate; b != nil {
					return *b, 0
				}
				return civil.Date{}, e.fact(memberFact(int(l.i), field))
			})
		}
		return dateNode(on(m.f.(fn[int]), func(e *cenv, i int) (civil.Date, unk) {
			if b := e.h.Members[i].BirthDate; b != nil {
				return *b, 0
			}
			return civil.Date{}, e.fact(memberFact(i, field))
		}))
	case "disability":
		return cnode{t: ctype{k: kDisability}, f: onMember(m, func(e *cenv, i int) (disRef, unk) {
			if d := e.h.Members[i].Disability; d != nil {
				return disRef{m: i, d: d}, 0
			}
			return disRef{}, e.fact(memberFact(i, field))
		})}
	}
	c.fail("世帯員の項目 %s", field)
	return cnode{}
}

// incomeInt are the Income facts that are optional amounts.
var incomeInt = map[string]func(*Income) *int64{
	"salary_revenue":         func(i *Income) *int64 { return i.SalaryRevenue },
	"pension_revenue":        func(i *Income) *int64 { return i.PensionRevenue },
	"business_income":        func(i *Income) *int64 { return i.BusinessIncome },
	"other_income":           func(i *Income) *int64 { return i.OtherIncome },
	"child_support_received": func(i *Income) *int64 { return i.ChildSupportReceived },
}

func incomePath(r incRef, field string) factPath {
	return factPath{member: r.m, sub: "incomes", year: int64(r.inc.Year), field: field}
}

func incomeField(in fn[incRef], field string, c *ccomp) cnode {
	if get, ok := incomeInt[field]; ok {
		return intNode(on(in, func(e *cenv, r incRef) (int64, unk) {
			if v := get(r.inc); v != nil {
				return *v, 0
			}
			return 0, e.fact(incomePath(r, field))
		}))
	}
	switch field {
	case "year":
		return intNode(on(in, func(e *cenv, r incRef) (int64, unk) { return int64(r.inc.Year), 0 }))
	case "deductions":
		return cnode{t: ctype{k: kDeductions}, f: on(in, func(e *cenv, r incRef) (*Deductions, unk) {
			if r.inc.Deductions == nil {
				return nil, e.fact(incomePath(r, field))
			}
			return r.inc.Deductions, 0
		})}
	}
	c.fail("所得の項目 %s", field)
	return cnode{}
}

func disabilityField(d fn[disRef], field string, c *ccomp) cnode {
	switch field {
	case "kind":
		return strNode(on(d, func(e *cenv, r disRef) (string, unk) { return string(r.d.Kind), 0 }))
	case "grade":
		return strNode(on(d, func(e *cenv, r disRef) (string, unk) {
			if r.d.Grade == "" && r.d.Kind != DisabilityNone {
				return "", e.fact(factPath{member: r.m, sub: "disability", field: field})
			}
			return r.d.Grade, 0
		}))
	case "allowance_level":
		return boolNode(on(d, func(e *cenv, r disRef) (bool, unk) {
			if r.d.Kind == DisabilityNone {
				return false, 0
			}
			return optB(e, r.d.AllowanceLevel, factPath{member: r.m, sub: "disability", field: field})
		}))
	case "constant_care":
		return boolNode(on(d, func(e *cenv, r disRef) (bool, unk) {
			if r.d.Kind == DisabilityNone {
				return false, 0
			}
			return optB(e, r.d.ConstantCare, factPath{member: r.m, sub: "disability", field: field})
		}))
	case "special_child_grade":
		return strNode(on(d, func(e *cenv, r disRef) (string, unk) {
			if r.d.Kind == DisabilityNone {
				return string(SpecialChildGradeNone), 0
			}
			return optS(e, r.d.SpecialChildGrade, factPath{member: r.m, sub: "disability", field: field})
		}))
	}
	c.fail("障害の項目 %s", field)
	return cnode{}
}

// deductionsInt and deductionsBool are every Deductions fact (all known).
var deductionsInt = map[string]func(*Deductions) int64{
	"medical":                   func(d *Deductions) int64 { return d.Medical },
	"casualty_loss":             func(d *Deductions) int64 { return d.CasualtyLoss },
	"small_business_mutual_aid": func(d *Deductions) int64 { return d.SmallBusinessMutualAid },
	"spouse_special":            func(d *Deductions) int64 { return d.SpouseSpecial },
	"disabled":                  func(d *Deductions) int64 { return int64(d.Disabled) },
	"special_disabled":          func(d *Deductions) int64 { return int64(d.SpecialDisabled) },
	"social_insurance":          func(d *Deductions) int64 { return d.SocialInsurance },
	"insurance_premiums":        func(d *Deductions) int64 { return d.InsurancePremiums },
}

var deductionsBool = map[string]func(*Deductions) bool{
	"working_student": func(d *Deductions) bool { return d.WorkingStudent },
	"widow":           func(d *Deductions) bool { return d.Widow },
	"single_parent":   func(d *Deductions) bool { return d.SingleParent },
}

func deductionsField(d fn[*Deductions], field string, c *ccomp) cnode {
	if get, ok := deductionsInt[field]; ok {
		return intNode(on(d, func(e *cenv, x *Deductions) (int64, unk) { return get(x), 0 }))
	}
	if get, ok := deductionsBool[field]; ok {
		return boolNode(on(d, func(e *cenv, x *Deductions) (bool, unk) { return get(x), 0 }))
	}
	c.fail("控除の項目 %s", field)
	return cnode{}
}

func recordField(n cnode, decl *recordDecl, field string, c *ccomp) cnode {
	r := n.f.(fn[*crec])
	for i, f := range decl.fields {
		if f != field {
			continue
		}
		if decl.ftypes[i] == types.BoolType {
			return boolNode(on(r, func(e *cenv, x *crec) (bool, unk) { return x.v[i] != 0, 0 }))
		}
		if n.value > 0 {
			// dependents.count …: a field of a named value, read from its
			// slot once filled.
			vi := n.value - 1
			return intNode(func(e *cenv) (int64, unk) {
				if l := &e.vals[vi]; l.st == e.gen {
					if l.u != 0 {
						return 0, l.u
					}
					return l.rec.v[i], 0
				}
				x, u := r(e)
				if u != 0 {
					return 0, u
				}
				return x.v[i], 0
			})
		}
		return intNode(on(r, func(e *cenv, x *crec) (int64, unk) { return x.v[i], 0 }))
	}
	c.fail("%s の項目 %s", decl.t.TypeName(), field)
	return cnode{}
}

func extraKey(x fn[struct{}], key string) cnode {
	fact := extraFact(key)
	return cnode{t: ctype{k: kDyn}, f: on(x, func(e *cenv, _ struct{}) (ref.Val, unk) {
		v, ok := e.h.Extra[key]
		if !ok {
			return nil, e.fact(fact)
		}
		r := extraToVal(v)
		if types.IsError(r) {
			e.fail()
		}
		return r, 0
	})}
}

// param reads params.name for the screening's date and notes its use.
func (c *ccomp) param(name string) cnode {
	i, ok := c.eng.paramIndex[name]
	if !ok {
		c.fail("パラメータ %s", name)
	}
	t, ok := c.typeOf(c.eng.params[i].celType)
	if !ok {
		c.fail("パラメータ %s の型", name)
	}
	read := opsOf(t.k).readParam(i)
	return cnode{t: t, f: read}
}

// has compiles has(x.field): on an unknown object, unknown.
func (c *ccomp) has(n cnode, field string) cnode {
	switch n.t.k {
	case kHousehold:
		if t := householdHas(field); t != nil {
			return boolNode(hasOn(n.f.(fn[struct{}]), func(e *cenv, _ struct{}) bool { return t(e.h) }))
		}
	case kMember:
		if off, ok := memberBoolOffset[field]; ok && n.local > 0 {
			// has(m.same_livelihood) of a comprehension variable: the
			// fact loaded in place.
			slot := n.local - 1
			return boolNode(func(e *cenv) (bool, unk) {
				l := &e.loc[slot]
				if l.u != 0 {
					return false, l.u
				}
				return boolAt(&e.h.Members[l.i], off) != nil, 0
			})
		}
		if t := memberHas(field); t != nil {
			if n.local > 0 {
				// has(m.same_livelihood) of a comprehension variable:
				// one closure reads the slot and tests the fact.
				slot := n.local - 1
				return boolNode(func(e *cenv) (bool, unk) {
					l := &e.loc[slot]
					if l.u != 0 {
						return false, l.u
					}
					return t(&e.h.Members[l.i]), 0
				})
			}
			return boolNode(hasOn(n.f.(fn[int]), func(e *cenv, i int) bool { return t(&e.h.Members[i]) }))
		}
	case kIncome:
		switch {
		case field == "year":
			return boolNode(hasOn(n.f.(fn[incRef]), func(*cenv, incRef) bool { return true }))
		case field == "deductions":
			return boolNode(hasOn(n.f.(fn[incRef]), func(_ *cenv, r incRef) bool { return r.inc.Deductions != nil }))
		case incomeInt[field] != nil:
			get := incomeInt[field]
			return boolNode(hasOn(n.f.(fn[incRef]), func(_ *cenv, r incRef) bool { return get(r.inc) != nil }))
		}
	case kDisability:
		switch field {
		case "kind":
			return boolNode(hasOn(n.f.(fn[disRef]), func(*cenv, disRef) bool { return true }))
		case "grade":
			return boolNode(hasOn(n.f.(fn[disRef]), func(_ *cenv, r disRef) bool { return r.d.Grade != "" }))
		case "allowance_level":
			return boolNode(hasOn(n.f.(fn[disRef]), func(_ *cenv, r disRef) bool {
				return r.d.AllowanceLevel != nil || r.d.Kind == DisabilityNone
			}))
		case "special_child_grade":
			return boolNode(hasOn(n.f.(fn[disRef]), func(_ *cenv, r disRef) bool {
				return r.d.SpecialChildGrade != nil || r.d.Kind == DisabilityNone
			}))
		case "constant_care":
			return boolNode(hasOn(n.f.(fn[disRef]), func(_ *cenv, r disRef) bool {
				return r.d.ConstantCare != nil || r.d.Kind == DisabilityNone
			}))
		}
	case kDeductions:
		if deductionsInt[field] != nil || deductionsBool[field] != nil {
			return boolNode(hasOn(n.f.(fn[*Deductions]), func(*cenv, *Deductions) bool { return true }))
		}
	case kRecord:
		if slices.Contains(n.t.rec.fields, field) {
			return boolNode(hasOn(n.f.(fn[*crec]), func(*cenv, *crec) bool { return true }))
		}
	case kExtra:
		return boolNode(hasOn(n.f.(fn[struct{}]), func(e *cenv, _ struct{}) bool { _, ok := e.h.Extra[field]; return ok }))
	case kDyn:
		key := types.String(field)
		return boolNode(hasOn(n.f.(fn[ref.Val]), func(e *cenv, v ref.Val) bool {
			switch o := v.(type) {
			case traits.Mapper:
				_, found := o.Find(key)
				return found
			case traits.FieldTester:
				if b, ok := o.IsSet(key).(types.Bool); ok {
					return bool(b)
				}
			}
			e.fail()
			return false
		}))
	case kParams:
		if i, ok := c.eng.paramIndex[field]; ok {
			return boolNode(hasOn(fn[struct{}](func(*cenv) (struct{}, unk) { return struct{}{}, 0 }),
				func(e *cenv, _ struct{}) bool { return e.tp.has[i] }))
		}
	}
	c.fail("has(%v.%s)", n.t.k, field)
	return cnode{}
}

func hasOn[T any](f fn[T], test func(*cenv, T) bool) fn[bool] {
	return func(e *cenv) (bool, unk) {
		v, u := f(e)
		if u != 0 {
			return false, u
		}
		return test(e, v), 0
	}
}

func householdHas(field string) func(*Household) bool {
	switch field {
	case "id":
		return func(h *Household) bool { return h.ID != "" }
	case "municipality_code":
		return func(h *Household) bool { return h.MunicipalityCode != nil }
	case "situation":
		return func(h *Household) bool { return h.Situation != nil }
	case "applicant_role":
		return func(h *Household) bool { return h.ApplicantRole != nil }
	case "de_facto_partner":
		return func(h *Household) bool { return h.DeFactoPartner != nil }
	case "grade_area":
		return func(h *Household) bool { return h.GradeArea != nil }
	case "members":
		return func(*Household) bool { return true }
	case "receiving":
		return func(h *Household) bool { return h.Receiving != nil }
	case "extra":
		return func(h *Household) bool { return h.Extra != nil }
	}
	return nil
}

func memberHas(field string) func(*Member) bool {
	if get, ok := memberBool[field]; ok {
		return func(m *Member) bool { return get(m) != nil }
	}
	if get, ok := memberString[field]; ok {
		return func(m *Member) bool { _, ok := get(m); return ok }
	}
	switch field {
	case "id":
		return func(m *Member) bool { return m.ID != "" }
	case "relation":
		return func(*Member) bool { return true }
	case "birth_date":
		return func(m *Member) bool { return m.BirthDate != nil }
	case "disability":
		return func(m *Member) bool { return m.Disability != nil }
	case "incomes":
		return func(m *Member) bool { return m.Incomes != nil }
	}
	return nil
}

// index compiles x[i]: a list by a position, household.extra by a key.
func (c *ccomp) index(n cnode, q qual) cnode {
	if n.t.k == kExtra {
		if q.index.Kind() == celast.LiteralKind {
			if s, ok := q.index.AsLiteral().(types.String); ok {
				return extraKey(n.f.(fn[struct{}]), string(s))
			}
		}
		c.fail("household.extra の添字")
	}
	idx := c.exprAs(q.index, kInt).f.(fn[int64])
	switch n.t.k {
	case kIntList:
		return cnode{t: ctype{k: kInt}, f: onIndex(n.f.(fn[[]int64]), idx, elemAt[int64])}
	case kStrList:
		return cnode{t: ctype{k: kString}, f: onIndex(n.f.(fn[[]string]), idx, elemAt[string])}
	case kDecList:
		return cnode{t: ctype{k: kDec}, f: onIndex(n.f.(fn[[]dec]), idx, elemAt[dec])}
	case kMembers:
		return cnode{t: ctype{k: kMember}, f: onIndex(n.f.(fn[uint64]), idx, func(e *cenv, s uint64, i int64) (int, unk) {
			if i < 0 || i >= int64(popcount(s)) {
				e.fail()
				return 0, 0
			}
			return nthMember(s, int(i)), 0
		})}
	}
	c.fail("%v の添字", n.t.k)
	return cnode{}
}

func elemAt[T any](e *cenv, l []T, i int64) (T, unk) {
	if i < 0 || i >= int64(len(l)) {
		e.fail()
		var z T
		return z, 0
	}
	return l[i], 0
}

// nthMember returns the index of the n-th member (0-based) of a set.
func nthMember(s uint64, n int) int {
	for ; n > 0; n-- {
		s &= s - 1
	}
	return trailing(s)
}

// dynSelect selects a field of a boxed value (a programme's outcome,
// program('x').values), as cel-go qualifies an attribute: a map by its
// key, an object by its field; the result is typed as the checker says.
func (c *ccomp) dynSelect(n cnode, q qual) cnode {
	return c.typedAsChecked(c.dynSelectRaw(n, q), q)
}

// typedAsChecked types a boxed selection as the checker says.
func (c *ccomp) typedAsChecked(node cnode, q qual) cnode {
	if t, ok := c.typeOf(c.native.GetType(q.x.ID())); ok && t.k != kDyn && opsOf(t.k) != nil {
		return fromDyn(node, t.k)
	}
	return node
}

// programValue compiles program('id').values.x, when the programme and its
// exported value x exist: while the screening has the programme's outcome
// from the closures (cenv.pend), the value is read from its typed copy
// (cenv.expv) and boxed alone — the value the boxed outcome holds, without
// boxing the outcome; otherwise (the interpreter screened that programme)
// from the boxed outcome.
func (c *ccomp) programValue(x celast.Expr, values, field qual) (cnode, bool) {
	if values.index != nil || values.test || values.field != "values" || field.index != nil || field.test ||
		x.Kind() != celast.CallKind || x.AsCall().FunctionName() != "program" || len(x.AsCall().Args()) != 1 {
		return cnode{}, false
	}
	arg := x.AsCall().Args()[0]
	if arg.Kind() != celast.LiteralKind {
		return cnode{}, false
	}
	id, ok := arg.AsLiteral().Value().(string)
	if !ok {
		return cnode{}, false
	}
	t, ok := c.eng.byID[id]
	if !ok {
		return cnode{}, false
	}
	p := c.eng.programs[t]
	vi, ok := p.valueIndex[field.field]
	k := slices.Index(p.exports, vi)
	if !ok || k < 0 {
		return cnode{}, false
	}
	boxed := c.dynSelectRaw(c.dynSelectRaw(c.expr(x), values), field).f.(fn[ref.Val])
	return c.typedAsChecked(cnode{t: ctype{k: kDyn}, f: fn[ref.Val](func(e *cenv) (ref.Val, unk) {
		if e.results == nil || t >= len(e.pend) || !e.pend[t].set {
			return boxed(e)
		}
		cps := e.eng.closures
		l := &e.expv[cps.expOff[t]+k]
		if l.u != 0 {
			// The arena's own unknown: the facts and members the boxed
			// value's unknown holds (unkArena.toUnknown, fromUnknown).
			return nil, l.u
		}
		return opsOf(cps.progs[t].values[vi].t.k).box(e, l), 0
	})}, field), true
}

// dynSelectRaw is dynSelect giving the boxed value.
func (c *ccomp) dynSelectRaw(n cnode, q qual) cnode {
	// Boxed once: a types.String converted to ref.Val on each call would
	// be allocated on each.
	var key ref.Val = types.String(q.field)
	node := cnode{t: ctype{k: kDyn}, f: on(n.f.(fn[ref.Val]), func(e *cenv, v ref.Val) (ref.Val, unk) {
		var r ref.Val
		switch o := v.(type) {
		case traits.Mapper:
			x, found := o.Find(key)
			if !found {
				e.fail()
			}
			r = x
		case traits.Indexer:
			r = o.Get(key)
		default:
			e.fail()
		}
		switch t := r.(type) {
		case *types.Err:
			e.fail()
		case *types.Unknown:
			return nil, e.ua.fromUnknown(t)
		}
		return r, 0
	})}
	return node
}
