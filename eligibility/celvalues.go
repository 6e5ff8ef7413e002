package eligibility

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"reflect"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/shopspring/decimal"
)

// How facts reach CEL. The facts model is declared to the type checker as
// object types (onestop.Household, onestop.Member, …) built from the fact
// catalog, so a rule that names a field that does not exist is a compile
// error. At run time the household is wrapped, not copied: each wrapper
// answers field selections from the Go struct and answers an absent fact
// with a CEL unknown value that carries the fact's path. CEL propagates
// unknowns through every operator and macro (false && unknown is false,
// true || unknown is true), which is exactly the three-valued logic of
// "not known yet"; an outcome that stays unknown is undetermined, and the
// unknown's paths are the facts that would decide it. has(x) and x.?y stay
// ordinary presence tests, so an author who writes a default for an absent
// fact gets that default.

// CEL type names.
const (
	celHousehold  = "onestop.Household"
	celMember     = "onestop.Member"
	celIncome     = "onestop.Income"
	celDisability = "onestop.Disability"
	celDeductions = "onestop.Deductions"
	celDate       = "onestop.Date"
	celDecimal    = "onestop.Decimal"
	celParams     = "onestop.Params"
)

var (
	householdType  = types.NewObjectType(celHousehold, traits.IndexerType|traits.FieldTesterType)
	memberType     = types.NewObjectType(celMember, traits.IndexerType|traits.FieldTesterType)
	incomeType     = types.NewObjectType(celIncome, traits.IndexerType|traits.FieldTesterType)
	disabilityType = types.NewObjectType(celDisability, traits.IndexerType|traits.FieldTesterType)
	deductionsType = types.NewObjectType(celDeductions, traits.IndexerType|traits.FieldTesterType)
	dateType       = types.NewObjectType(celDate, traits.ComparerType)
	decimalType    = types.NewObjectType(celDecimal, traits.AdderType|traits.SubtractorType|traits.MultiplierType|traits.NegatorType|traits.ComparerType)
	paramsType     = types.NewObjectType(celParams, traits.IndexerType|traits.FieldTesterType)
)

// typeProvider declares onestop's object types to CEL on top of the
// standard registry.
type typeProvider struct {
	*types.Registry
	structs map[string]*structDecl
}

type structDecl struct {
	t      *types.Type
	names  []string
	fields map[string]*types.FieldType
}

func newTypeProvider(params []*paramDecl) (*typeProvider, error) {
	p := &typeProvider{Registry: types.NewEmptyRegistry(), structs: map[string]*structDecl{}}
	objType := map[string]*types.Type{
		"Household": householdType, "Member": memberType, "Income": incomeType, "Disability": disabilityType,
		"Deductions": deductionsType,
	}
	for _, ft := range FactTypes() {
		sd := &structDecl{t: objType[ft.Name], fields: map[string]*types.FieldType{}}
		for _, f := range ft.Fields {
			var t *types.Type
			switch f.Kind {
			case KindString, KindEnum:
				t = types.StringType
			case KindBool:
				t = types.BoolType
			case KindYen, KindInt:
				t = types.IntType
			case KindDate:
				t = dateType
			case KindObject:
				t = objType[f.Elem]
			case KindList:
				if f.Elem == "" {
					t = types.NewListType(types.StringType)
				} else {
					t = types.NewListType(objType[f.Elem])
				}
			case KindMap:
				t = types.NewMapType(types.StringType, types.DynType)
			default:
				return nil, fmt.Errorf("fact %s.%s has no CEL type", ft.Name, f.Key)
			}
			sd.names = append(sd.names, f.Key)
			sd.fields[f.Key] = &types.FieldType{Type: t}
		}
		p.structs[sd.t.TypeName()] = sd
	}
	for _, rd := range recordDecls {
		sd := &structDecl{t: rd.t, names: rd.fields, fields: map[string]*types.FieldType{}}
		for i, f := range rd.fields {
			sd.fields[f] = &types.FieldType{Type: rd.ftypes[i]}
		}
		p.structs[rd.t.TypeName()] = sd
	}
	p.structs[celDate] = &structDecl{t: dateType, fields: map[string]*types.FieldType{}}
	p.structs[celDecimal] = &structDecl{t: decimalType, fields: map[string]*types.FieldType{}}
	ps := &structDecl{t: paramsType, fields: map[string]*types.FieldType{}}
	for _, pd := range params {
		ps.names = append(ps.names, pd.name)
		ps.fields[pd.name] = &types.FieldType{Type: pd.celType}
	}
	p.structs[celParams] = ps
	return p, nil
}

// FindStructType implements types.Provider.
func (p *typeProvider) FindStructType(name string) (*types.Type, bool) {
	if sd, ok := p.structs[name]; ok {
		return types.NewTypeTypeWithParam(sd.t), true
	}
	return p.Registry.FindStructType(name)
}

// FindStructFieldNames implements types.Provider.
func (p *typeProvider) FindStructFieldNames(name string) ([]string, bool) {
	if sd, ok := p.structs[name]; ok {
		return sd.names, true
	}
	return p.Registry.FindStructFieldNames(name)
}

// FindStructFieldType implements types.Provider. Fields have no GetFrom
// accessor, so the interpreter asks the runtime value (traits.Indexer).
func (p *typeProvider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if sd, ok := p.structs[name]; ok {
		ft, ok := sd.fields[field]
		return ft, ok
	}
	return p.Registry.FindStructFieldType(name, field)
}

// NewValue implements types.Provider: onestop's types cannot be built by
// rules (a rule cannot invent a household).
func (p *typeProvider) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if _, ok := p.structs[name]; ok {
		return types.NewErr("%s values cannot be constructed in a rule", name)
	}
	return p.Registry.NewValue(name, fields)
}

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

// factPath locates a fact without allocating; its unknown is built only
// when the fact is absent. member is -1 for a household fact; sub is "",
// "disability", "incomes" (one income year: year) or "extra" (field is the
// local fact's key).
type factPath struct {
	member int
	sub    string
	year   int64
	field  string
}

func householdFact(field string) factPath { return factPath{member: -1, field: field} }

func memberFact(member int, field string) factPath { return factPath{member: member, field: field} }

func incomeYearFact(member int, year int64) factPath {
	return factPath{member: member, sub: "incomes", year: year}
}

func extraFact(key string) factPath { return factPath{member: -1, sub: "extra", field: key} }

// id is the identity of the fact's unknown: one id per fact, so that
// merging the unknowns of different facts never adds a second trail under
// one id (cel-go's MergeUnknowns appends to the first operand's trail
// slice for a shared id, which two merges of one unknown may then
// overwrite). The structured facts are numbered exactly; a local fact's key
// is hashed into its own range.
func (p factPath) id() int64 {
	if p.sub == "extra" {
		h := uint64(14695981039346656037) // FNV-1a
		for i := 0; i < len(p.field); i++ {
			h = (h ^ uint64(p.field[i])) * 1099511628211
		}
		return 1<<62 | int64(h>>3)
	}
	var sub int64
	switch p.sub {
	case "disability":
		sub = 1
	case "incomes":
		sub = 2
	}
	return 1<<61 | int64(p.member+1)<<40 | sub<<36 | p.year<<8 | int64(fieldCode(p.field))
}

// fieldCodes numbers the fields of the facts model for factPath.id.
var fieldCodes = func() map[string]int {
	m := map[string]int{"": 0}
	for _, t := range FactTypes() {
		for _, f := range t.Fields {
			if _, ok := m[f.Key]; !ok {
				m[f.Key] = len(m)
			}
		}
	}
	return m
}()

func fieldCode(field string) int {
	if c, ok := fieldCodes[field]; ok {
		return c
	}
	return 255
}

// unknownVal returns the unknown value of the fact: its attribute trail is
// household.<path>, which Missing is made from.
func (p factPath) unknownVal() *types.Unknown {
	trail := types.NewAttributeTrail("household")
	if p.member >= 0 {
		types.QualifyAttribute[string](trail, "members")
		types.QualifyAttribute[int64](trail, int64(p.member))
	}
	switch p.sub {
	case "disability":
		types.QualifyAttribute[string](trail, "disability")
	case "incomes":
		types.QualifyAttribute[string](trail, "incomes")
		types.QualifyAttribute[string](trail, yearQual(p.year))
	case "extra":
		types.QualifyAttribute[string](trail, "extra")
	}
	if p.field != "" {
		types.QualifyAttribute[string](trail, p.field)
	}
	return types.NewUnknown(p.id(), trail)
}

func (p factPath) unknown() ref.Val { return p.unknownVal() }

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

func (v *householdVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	h := v.h
	switch f {
	case "id":
		return types.String(h.ID)
	case "municipality_code":
		return optString(h.MunicipalityCode, householdFact(f))
	case "situation":
		return optString(h.Situation, householdFact(f))
	case "applicant_role":
		return optString(h.ApplicantRole, householdFact(f))
	case "de_facto_partner":
		return optBool(h.DeFactoPartner, householdFact(f))
	case "grade_area":
		return optInt(h.GradeArea, householdFact(f))
	case "members":
		return v.members
	case "receiving":
		return v.receiving
	case "extra":
		return v.extra
	}
	return noSuchField("Household", idx)
}

func (v *householdVal) IsSet(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	h := v.h
	switch f {
	case "id":
		return types.Bool(h.ID != "")
	case "municipality_code":
		return types.Bool(h.MunicipalityCode != nil)
	case "situation":
		return types.Bool(h.Situation != nil)
	case "applicant_role":
		return types.Bool(h.ApplicantRole != nil)
	case "de_facto_partner":
		return types.Bool(h.DeFactoPartner != nil)
	case "grade_area":
		return types.Bool(h.GradeArea != nil)
	case "members":
		return types.True
	case "receiving":
		return types.Bool(h.Receiving != nil)
	case "extra":
		return types.Bool(h.Extra != nil)
	}
	return noSuchField("Household", idx)
}

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

func (v *memberVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	m := v.m
	switch f {
	case "id":
		return types.String(m.ID)
	case "relation":
		return types.String(m.Relation)
	case "birth_date":
		return optDate(m.BirthDate, factPath{member: v.idx, field: f})
	case "sex":
		return optString(m.Sex, factPath{member: v.idx, field: f})
	case "disability":
		if m.Disability == nil {
			return factPath{member: v.idx, field: f}.unknown()
		}
		return &disabilityVal{objectVal: objectVal{disabilityType}, d: m.Disability, member: v.idx}
	case "lives_with":
		return optBool(m.LivesWith, factPath{member: v.idx, field: f})
	case "same_livelihood":
		return optBool(m.SameLivelihood, factPath{member: v.idx, field: f})
	case "supported":
		return optBool(m.Supported, factPath{member: v.idx, field: f})
	case "in_facility":
		return optBool(m.InFacility, factPath{member: v.idx, field: f})
	case "resides_in_japan":
		return optBool(m.ResidesInJapan, factPath{member: v.idx, field: f})
	case "school":
		return optString(m.School, factPath{member: v.idx, field: f})
	case "school_private":
		return optBool(m.SchoolPrivate, factPath{member: v.idx, field: f})
	case "health_insurance":
		return optString(m.HealthInsurance, factPath{member: v.idx, field: f})
	case "pension_category":
		return optString(m.PensionCategory, factPath{member: v.idx, field: f})
	case "incomes":
		return v.incomeList()
	}
	return noSuchField("Member", idx)
}

func (v *memberVal) IsSet(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	m := v.m
	switch f {
	case "id":
		return types.Bool(m.ID != "")
	case "relation":
		return types.True
	case "birth_date":
		return types.Bool(m.BirthDate != nil)
	case "sex":
		return types.Bool(m.Sex != nil)
	case "disability":
		return types.Bool(m.Disability != nil)
	case "lives_with":
		return types.Bool(m.LivesWith != nil)
	case "same_livelihood":
		return types.Bool(m.SameLivelihood != nil)
	case "supported":
		return types.Bool(m.Supported != nil)
	case "in_facility":
		return types.Bool(m.InFacility != nil)
	case "resides_in_japan":
		return types.Bool(m.ResidesInJapan != nil)
	case "school":
		return types.Bool(m.School != nil)
	case "school_private":
		return types.Bool(m.SchoolPrivate != nil)
	case "health_insurance":
		return types.Bool(m.HealthInsurance != nil)
	case "pension_category":
		return types.Bool(m.PensionCategory != nil)
	case "incomes":
		return types.Bool(m.Incomes != nil)
	}
	return noSuchField("Member", idx)
}

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

func (v *incomeVal) field(f string) (**int64, bool) {
	in := v.inc
	switch f {
	case "salary_revenue":
		return &in.SalaryRevenue, true
	case "pension_revenue":
		return &in.PensionRevenue, true
	case "business_income":
		return &in.BusinessIncome, true
	case "other_income":
		return &in.OtherIncome, true
	case "child_support_received":
		return &in.ChildSupportReceived, true
	}
	return nil, false
}

func (v *incomeVal) path(f string) factPath {
	return factPath{member: v.member, sub: "incomes", year: int64(v.inc.Year), field: f}
}

func (v *incomeVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	switch f {
	case "year":
		return types.Int(v.inc.Year)
	case "deductions":
		if v.inc.Deductions == nil {
			return v.path(f).unknown()
		}
		return &deductionsVal{objectVal: objectVal{deductionsType}, d: v.inc.Deductions}
	}
	p, ok := v.field(f)
	if !ok {
		return noSuchField("Income", idx)
	}
	return optInt(*p, v.path(f))
}

func (v *incomeVal) IsSet(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	switch f {
	case "year":
		return types.True
	case "deductions":
		return types.Bool(v.inc.Deductions != nil)
	}
	p, ok := v.field(f)
	if !ok {
		return noSuchField("Income", idx)
	}
	return types.Bool(*p != nil)
}

// deductionsVal is a Deductions record seen from CEL: every field is
// known (zero when the record does not list it).
type deductionsVal struct {
	objectVal
	d *Deductions
}

func (v *deductionsVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *deductionsVal) Value() any              { return v.d }

func (v *deductionsVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	d := v.d
	switch f {
	case "medical":
		return types.Int(d.Medical)
	case "casualty_loss":
		return types.Int(d.CasualtyLoss)
	case "small_business_mutual_aid":
		return types.Int(d.SmallBusinessMutualAid)
	case "spouse_special":
		return types.Int(d.SpouseSpecial)
	case "disabled":
		return types.Int(d.Disabled)
	case "special_disabled":
		return types.Int(d.SpecialDisabled)
	case "working_student":
		return types.Bool(d.WorkingStudent)
	case "widow":
		return types.Bool(d.Widow)
	case "single_parent":
		return types.Bool(d.SingleParent)
	case "social_insurance":
		return types.Int(d.SocialInsurance)
	case "insurance_premiums":
		return types.Int(d.InsurancePremiums)
	}
	return noSuchField("Deductions", idx)
}

func (v *deductionsVal) IsSet(idx ref.Val) ref.Val {
	if types.IsError(v.Get(idx)) {
		return noSuchField("Deductions", idx)
	}
	return types.True
}

// disabilityVal is a Disability seen from CEL.
type disabilityVal struct {
	objectVal
	d      *Disability
	member int
}

func (v *disabilityVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *disabilityVal) Value() any              { return v.d }

func (v *disabilityVal) Get(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	switch f {
	case "kind":
		return types.String(v.d.Kind)
	case "grade":
		if v.d.Grade == "" && v.d.Kind != DisabilityNone {
			return factPath{member: v.member, sub: "disability", field: f}.unknown()
		}
		return types.String(v.d.Grade)
	case "allowance_level":
		if v.d.Kind == DisabilityNone {
			return types.False
		}
		return optBool(v.d.AllowanceLevel, factPath{member: v.member, sub: "disability", field: f})
	case "special_child_grade":
		if v.d.Kind == DisabilityNone {
			return types.String(SpecialChildGradeNone)
		}
		if v.d.SpecialChildGrade == nil {
			return factPath{member: v.member, sub: "disability", field: f}.unknown()
		}
		return types.String(*v.d.SpecialChildGrade)
	case "constant_care":
		if v.d.Kind == DisabilityNone {
			return types.False
		}
		return optBool(v.d.ConstantCare, factPath{member: v.member, sub: "disability", field: f})
	}
	return noSuchField("Disability", idx)
}

func (v *disabilityVal) IsSet(idx ref.Val) ref.Val {
	f, _ := fieldName(idx)
	switch f {
	case "kind":
		return types.True
	case "grade":
		return types.Bool(v.d.Grade != "")
	case "allowance_level":
		return types.Bool(v.d.AllowanceLevel != nil || v.d.Kind == DisabilityNone)
	case "special_child_grade":
		return types.Bool(v.d.SpecialChildGrade != nil || v.d.Kind == DisabilityNone)
	case "constant_care":
		return types.Bool(v.d.ConstantCare != nil || v.d.Kind == DisabilityNone)
	}
	return noSuchField("Disability", idx)
}

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

// dateVal is a civil.Date in CEL.
type dateVal struct{ d civil.Date }

func (v dateVal) ConvertToNative(t reflect.Type) (any, error) {
	if t == reflect.TypeOf(civil.Date{}) {
		return v.d, nil
	}
	if t.Kind() == reflect.String {
		return v.d.String(), nil
	}
	return nil, fmt.Errorf("a date cannot be converted to %v", t)
}

func (v dateVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.StringType:
		return types.String(v.d.String())
	case types.TypeType:
		return dateType
	}
	return types.NewErr("type conversion error from date to %v", t)
}

func (v dateVal) Equal(o ref.Val) ref.Val {
	od, ok := o.(dateVal)
	return types.Bool(ok && od.d == v.d)
}
func (v dateVal) Type() ref.Type { return dateType }
func (v dateVal) Value() any     { return v.d }

func (v dateVal) Compare(o ref.Val) ref.Val {
	od, ok := o.(dateVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(o)
	}
	return types.Int(v.d.Compare(od.d))
}

// decimalVal is an exact decimal number in CEL (rates such as 0.0256619).
type decimalVal struct{ d decimal.Decimal }

func (v decimalVal) ConvertToNative(t reflect.Type) (any, error) {
	if t == reflect.TypeOf(decimal.Decimal{}) {
		return v.d, nil
	}
	if t.Kind() == reflect.String {
		return v.d.String(), nil
	}
	return nil, fmt.Errorf("a decimal cannot be converted to %v", t)
}

func (v decimalVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.StringType:
		return types.String(v.d.String())
	case types.TypeType:
		return decimalType
	}
	return types.NewErr("type conversion error from decimal to %v", t)
}

func (v decimalVal) Equal(o ref.Val) ref.Val {
	od, ok := o.(decimalVal)
	return types.Bool(ok && od.d.Equal(v.d))
}
func (v decimalVal) Type() ref.Type { return decimalType }
func (v decimalVal) Value() any     { return v.d }

func (v decimalVal) Compare(o ref.Val) ref.Val {
	od, ok := o.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(o)
	}
	return types.Int(v.d.Cmp(od.d))
}

func (v decimalVal) Add(o ref.Val) ref.Val {
	od, ok := o.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(o)
	}
	return decimalVal{v.d.Add(od.d)}
}

func (v decimalVal) Subtract(o ref.Val) ref.Val {
	od, ok := o.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(o)
	}
	return decimalVal{v.d.Sub(od.d)}
}

func (v decimalVal) Multiply(o ref.Val) ref.Val {
	od, ok := o.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(o)
	}
	return decimalVal{v.d.Mul(od.d)}
}

func (v decimalVal) Negate() ref.Val { return decimalVal{v.d.Neg()} }

// paramsVal is the pack's parameters resolved for one date.
type paramsVal struct {
	objectVal
	set *paramSet
}

func (v *paramsVal) Equal(o ref.Val) ref.Val { return types.Bool(o == ref.Val(v)) }
func (v *paramsVal) Value() any              { return v.set }

func (v *paramsVal) Get(idx ref.Val) ref.Val {
	name, _ := fieldName(idx)
	i, ok := v.set.index[name]
	if !ok {
		return noSuchField("params", idx)
	}
	return v.set.vals[i]
}

func (v *paramsVal) IsSet(idx ref.Val) ref.Val {
	name, _ := fieldName(idx)
	i, ok := v.set.index[name]
	return types.Bool(ok && !types.IsError(v.set.vals[i]))
}

// jsonValue converts a CEL value to a plain value for explanations: int64,
// string, bool, a decimal or date as a string, lists of those; members by
// their id.
func jsonValue(v ref.Val) any {
	switch t := v.(type) {
	case types.Int:
		return int64(t)
	case types.Bool:
		return bool(t)
	case types.String:
		return string(t)
	case dateVal:
		return t.d.String()
	case decimalVal:
		return t.d.String()
	case *memberVal:
		if t.m.ID != "" {
			return "member:" + t.m.ID
		}
		return fmt.Sprintf("member:members[%d]", t.idx)
	case *types.Unknown, *types.Err:
		return nil
	case *recordVal:
		m := make(map[string]any, len(t.vals))
		for i, name := range t.decl.fields {
			m[name] = jsonValue(t.vals[i])
		}
		return m
	case traits.Lister:
		n, _ := t.Size().(types.Int)
		if n > 100 {
			n = 100
		}
		out := make([]any, 0, int(n))
		for i := types.Int(0); i < n; i++ {
			out = append(out, jsonValue(t.Get(i)))
		}
		return out
	}
	return strings.TrimSpace(fmt.Sprint(v.Value()))
}
