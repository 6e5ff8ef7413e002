package eligibility

import (
	"fmt"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
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
