package eligibility

import (
	"fmt"
	"reflect"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/onestop-jp/onestop/civil"
	"github.com/shopspring/decimal"
)

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

func (v dateVal) Value() any { return v.d }

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

func (v decimalVal) Value() any { return v.d }

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

func (v *paramsVal) Value() any { return v.set }

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
