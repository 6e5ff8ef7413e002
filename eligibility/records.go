package eligibility

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// Result records of the income functions (Dependents, ResidentTax,
// PersonalDeduction): fixed fields, all known.
var (
	dependentsType  = types.NewObjectType("onestop.Dependents", traits.IndexerType|traits.FieldTesterType)
	residentTaxType = types.NewObjectType("onestop.ResidentTax", traits.IndexerType|traits.FieldTesterType)
	deductionType   = types.NewObjectType("onestop.PersonalDeduction", traits.IndexerType|traits.FieldTesterType)
	// residentLevyType is the record Member.resident_levy returns.
	residentLevyType = types.NewObjectType("onestop.ResidentLevy", traits.IndexerType|traits.FieldTesterType)
)

type recordDecl struct {
	t      *types.Type
	fields []string
	ftypes []*types.Type
}

var recordDecls = []recordDecl{
	{dependentsType,
		[]string{"count", "spouse", "elderly_spouse", "under16", "aged16to18", "specified", "adult", "elderly", "recipient_addition", "liable_addition"},
		[]*types.Type{types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType}},
	{residentTaxType,
		[]string{"exempt", "income_levy_exempt", "per_capita_limit", "income_levy_limit"},
		[]*types.Type{types.BoolType, types.BoolType, types.IntType, types.IntType}},
	{deductionType,
		[]string{"eligible", "income_tax", "resident_tax"},
		[]*types.Type{types.BoolType, types.IntType, types.IntType}},
	{programResultType,
		[]string{"eligible", "status", "amount", "per", "values"},
		[]*types.Type{types.BoolType, types.StringType, types.IntType, types.StringType, types.NewMapType(types.StringType, types.DynType)}},
	{residentLevyType,
		[]string{"taxable_base", "standard_municipal", "municipal", "prefectural", "municipal_adjustment", "deductions", "personal_difference"},
		[]*types.Type{types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType}},
}

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
