package eligibility

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// objectVal holds the ref.Val methods the fact wrappers share: those that
// depend only on the wrapper's CEL type. Each wrapper adds Equal (identity)
// and Value.
type objectVal struct{ typ *types.Type }

func (objectVal) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("facts cannot be converted to %v", t)
}

// ConvertToType implements ref.Val: a fact converts only to its type.
func (o objectVal) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return o.typ
	}
	return types.NewErr("type conversion error from %s to %v", o.typ.TypeName(), t)
}

// Type implements ref.Val.
func (o objectVal) Type() ref.Type { return o.typ }

func optString[T ~string](v *T, p factPath) ref.Val {
	if v == nil {
		return p.unknown()
	}
	return types.String(*v)
}

func optBool(v *bool, p factPath) ref.Val {
	if v == nil {
		return p.unknown()
	}
	return types.Bool(*v)
}

func optInt[T ~int | ~int64](v *T, p factPath) ref.Val {
	if v == nil {
		return p.unknown()
	}
	return types.Int(*v)
}

func optDate(v *civil.Date, p factPath) ref.Val {
	if v == nil {
		return p.unknown()
	}
	return dateVal{*v}
}

func fieldName(idx ref.Val) (string, bool) {
	s, ok := idx.(types.String)
	return string(s), ok
}

func noSuchField(typ string, idx ref.Val) ref.Val {
	return types.NewErr("no such field %v on %s", idx, typ)
}

// householdVal is a Household seen from CEL.
type householdVal struct {
	objectVal
	h         *Household
	members   traits.Lister
	self      ref.Val
	children  ref.Val  // built on first use
	rec       *evalCtx // set while explaining: income functions record breakdowns
	receiving ref.Val
	extra     ref.Val
}

func newHouseholdVal(h *Household) *householdVal {
	hv := &householdVal{objectVal: objectVal{householdType}, h: h}
	ms := make([]ref.Val, len(h.Members))
	for i := range h.Members {
		mv := &memberVal{objectVal: objectVal{memberType}, m: &h.Members[i], idx: i, hh: hv}
		ms[i] = mv
		if h.Members[i].Relation == RelationSelf && hv.self == nil {
			hv.self = mv
		}
	}
	hv.members = types.NewRefValList(types.DefaultTypeAdapter, ms).(traits.Lister)
	if hv.self == nil {
		hv.self = types.NewErr("the household has no applicant (relation self)")
	}
	if h.Receiving == nil {
		hv.receiving = householdFact("receiving").unknown()
	} else {
		hv.receiving = types.NewStringList(types.DefaultTypeAdapter, h.Receiving)
	}
	hv.extra = &extraVal{objectVal: objectVal{types.MapType}, m: h.Extra}
	return hv
}

func (v *householdVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *householdVal) Value() any              { return v.h }

// memberVal is a Member seen from CEL.
type memberVal struct {
	objectVal
	m       *Member
	idx     int
	hh      *householdVal
	years   []yearVal   // income wrappers by year, built on first use
	memo    []memoEntry // results of the income functions, see incomelib.go
	incomes ref.Val     // built on first use
}

func (v *memberVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *memberVal) Value() any              { return v.m }

func (v *memberVal) incomeList() ref.Val {
	if v.incomes != nil {
		return v.incomes
	}
	if v.m.Incomes == nil {
		v.incomes = memberFact(v.idx, "incomes").unknown()
		return v.incomes
	}
	vals := make([]ref.Val, len(v.m.Incomes))
	for i := range v.m.Incomes {
		vals[i] = &incomeVal{objectVal: objectVal{incomeType}, inc: &v.m.Incomes[i], member: v.idx}
	}
	v.incomes = types.NewRefValList(types.DefaultTypeAdapter, vals)
	return v.incomes
}

// income returns the member's income for a year, or the unknown of that
// year's income.
// The wrappers are kept for the whole screening: every programme reads the
// same years.
func (v *memberVal) income(year int64) ref.Val {
	for _, c := range v.years {
		if c.year == year {
			return c.val
		}
	}
	var val ref.Val
	switch {
	case v.m.Incomes != nil && len(v.m.Incomes) == 0:
		// Known to have had no income at all.
		val = &incomeVal{objectVal: objectVal{incomeType}, inc: noIncome(int(year)), member: v.idx}
	default:
		val = incomeYearFact(v.idx, year).unknown()
		for i := range v.m.Incomes {
			if int64(v.m.Incomes[i].Year) == year {
				val = &incomeVal{objectVal: objectVal{incomeType}, inc: &v.m.Incomes[i], member: v.idx}
			}
		}
	}
	v.years = append(v.years, yearVal{year, val})
	return val
}

type yearVal struct {
	year int64
	val  ref.Val
}

// noIncome is the income of a person known to have none.
func noIncome(year int) *Income {
	zero := int64(0)
	return &Income{Year: year, SalaryRevenue: &zero, PensionRevenue: &zero, BusinessIncome: &zero,
		OtherIncome: &zero, ChildSupportReceived: &zero, Deductions: &Deductions{}}
}

// yearQual is the attribute qualifier that names an income year.
func yearQual(year int64) string { return "year=" + strconv.FormatInt(year, 10) }

// incomeVal is one Income seen from CEL.
type incomeVal struct {
	objectVal
	inc    *Income
	member int
}

func (v *incomeVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *incomeVal) Value() any              { return v.inc }

func (v *incomeVal) path(f string) factPath {
	return factPath{member: v.member, sub: "incomes", year: int64(v.inc.Year), field: f}
}

// deductionsVal is a Deductions record seen from CEL: every field is
// known (zero when the record does not list it).
type deductionsVal struct {
	objectVal
	d *Deductions
}

func (v *deductionsVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *deductionsVal) Value() any              { return v.d }

// disabilityVal is a Disability seen from CEL.
type disabilityVal struct {
	objectVal
	d      *Disability
	member int
}

func (v *disabilityVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *disabilityVal) Value() any              { return v.d }

// extraVal is the map of local facts. It is not a traits.Mapper on
// purpose: a select of an absent key must give an unknown (the local fact
// was not asked), while has() must still say false.
type extraVal struct {
	objectVal
	m map[string]any
}

func (v *extraVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *extraVal) Value() any              { return v.m }

func (v *extraVal) Get(idx ref.Val) ref.Val {
	k, ok := fieldName(idx)
	if !ok {
		return types.NewErr("extra facts are named by strings, not %v", idx.Type())
	}
	x, ok := v.m[k]
	if !ok {
		return extraFact(k).unknown()
	}
	return extraToVal(x)
}

func (v *extraVal) IsSet(idx ref.Val) ref.Val {
	k, _ := fieldName(idx)
	_, ok := v.m[k]
	return types.Bool(ok)
}

func (v *extraVal) Contains(idx ref.Val) ref.Val { return v.IsSet(idx) }

func (v *extraVal) Size() ref.Val { return types.Int(len(v.m)) }

func extraToVal(x any) ref.Val {
	switch t := x.(type) {
	case string:
		return types.String(t)
	case int64:
		return types.Int(t)
	case int:
		return types.Int(t)
	case bool:
		return types.Bool(t)
	case []any:
		vals := make([]ref.Val, len(t))
		for i, e := range t {
			vals[i] = extraToVal(e)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals)
	}
	return types.NewErr("unsupported local fact value %T", x)
}

// The hand-written accessors of the generated view (factview.go): facts
// that are objects or lists, and the disability facts whose meaning
// depends on the kind of certificate.

func (v *memberVal) disability() ref.Val {
	if v.m.Disability == nil {
		return memberFact(v.idx, "disability").unknown()
	}
	return &disabilityVal{objectVal: objectVal{disabilityType}, d: v.m.Disability, member: v.idx}
}

func (v *incomeVal) deductions() ref.Val {
	if v.inc.Deductions == nil {
		return v.path("deductions").unknown()
	}
	return &deductionsVal{objectVal: objectVal{deductionsType}, d: v.inc.Deductions}
}

// grade is unknown for a certificate whose grade is not given; "" when
// there is no certificate.
func (v *disabilityVal) grade() ref.Val {
	if v.d.Grade == "" && v.d.Kind != DisabilityNone {
		return factPath{member: v.member, sub: "disability", field: "grade"}.unknown()
	}
	return types.String(v.d.Grade)
}

// allowanceLevel is false without a certificate.
func (v *disabilityVal) allowanceLevel() ref.Val {
	if v.d.Kind == DisabilityNone {
		return types.False
	}
	return optBool(v.d.AllowanceLevel, factPath{member: v.member, sub: "disability", field: "allowance_level"})
}

// specialChildGrade is "none" without a certificate.
func (v *disabilityVal) specialChildGrade() ref.Val {
	if v.d.Kind == DisabilityNone {
		return types.String(SpecialChildGradeNone)
	}
	if v.d.SpecialChildGrade == nil {
		return factPath{member: v.member, sub: "disability", field: "special_child_grade"}.unknown()
	}
	return types.String(*v.d.SpecialChildGrade)
}

// constantCare is false without a certificate.
func (v *disabilityVal) constantCare() ref.Val {
	if v.d.Kind == DisabilityNone {
		return types.False
	}
	return optBool(v.d.ConstantCare, factPath{member: v.member, sub: "disability", field: "constant_care"})
}
