package eligibility

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/civil"
)

// Setting one fact by its path, the path Missing names it by: how a form
// or the chatbot records an answer. The catalog says what the fact is and
// what values it takes, so an answer is checked as the decoder would check
// it.

// FactFor returns the catalog entry of the fact at a Missing path
// (members[1].birth_date, members[0].incomes[year=2023].salary_revenue,
// situation …) or of a catalog path (members[].birth_date,
// members[].incomes[].deductions.medical); for an income year
// (members[0].incomes[year=2023]) it is the incomes fact. ok is false for a path the catalog does not have,
// local facts (extra.*) included: the packs declare those (ExtraFacts).
func FactFor(path string) (FactField, bool) {
	steps, err := parseFactPath(path)
	if err != nil || len(steps) == 0 {
		return FactField{}, false
	}
	typ := factCatalog()["Household"]
	var f *FactField
	for _, st := range steps {
		if typ == nil {
			return FactField{}, false
		}
		f = typ.Field(st.key)
		if f == nil {
			return FactField{}, false
		}
		typ = factCatalog()[f.Elem]
	}
	return *f, true
}

type pathStep struct {
	key   string
	index int // members[i]; -1 if none
	year  int // incomes[year=Y]; 0 if none
	sel   bool
	each  bool // members[]: any element (FactFor only)
}

func parseFactPath(path string) ([]pathStep, error) {
	var out []pathStep
	for _, part := range strings.Split(path, ".") {
		st := pathStep{index: -1}
		key, rest, hasIdx := strings.Cut(part, "[")
		st.key = key
		if hasIdx {
			inner, ok := strings.CutSuffix(rest, "]")
			if !ok {
				return nil, fmt.Errorf("%q is not a fact path", path)
			}
			if inner == "" {
				st.each = true
			} else if y, isYear := strings.CutPrefix(inner, "year="); isYear {
				v, err := strconv.Atoi(y)
				if err != nil {
					return nil, fmt.Errorf("%q is not a fact path", path)
				}
				st.year = v
			} else {
				v, err := strconv.Atoi(inner)
				if err != nil || v < 0 {
					return nil, fmt.Errorf("%q is not a fact path", path)
				}
				st.index = v
			}
			st.sel = true
		}
		if st.key == "" {
			return nil, fmt.Errorf("%q is not a fact path", path)
		}
		out = append(out, st)
	}
	return out, nil
}

// SetFact sets the fact at path (as Missing names it) to value: a string
// (or a string type such as Situation) for a text or choice, a bool, an
// integer for an amount or a number, a civil.Date, a Disability or
// Deductions for those objects, an Income for a whole income year
// (members[0].incomes[year=2023]), a []string for receiving, and a string,
// integer, bool or list of those for a local fact (extra.key). The value
// is checked against the catalog (choices, bounds, the income year); a
// problem is a *FactsError naming the path, in Japanese, and leaves h
// unchanged.
func (h *Household) SetFact(path string, value any) error {
	if ok, err := setScalarFact(factCatalog()["Household"], path, value, h); ok {
		return err
	}
	fail := func(format string, args ...any) error {
		return &FactsError{Errors: []FactError{{Path: path, Message: fmt.Sprintf(format, args...)}}}
	}
	steps, err := parseFactPath(path)
	if err != nil {
		return fail("%q は情報の場所として読めません", path)
	}
	if steps[0].key == "extra" {
		if len(steps) != 2 || steps[1].sel || !snakeKey.MatchString(steps[1].key) {
			return fail("地域独自の項目は extra.項目名 で指定してください")
		}
		switch v := value.(type) {
		case string, bool, int64, []any:
		case int:
			value = int64(v)
		default:
			return fail("地域独自の項目には文字列・整数・真偽値を指定してください（%T）", value)
		}
		if h.Extra == nil {
			h.Extra = map[string]any{}
		}
		h.Extra[steps[1].key] = value
		return nil
	}
	return setFactSteps(reflect.ValueOf(h).Elem(), factCatalog()["Household"], steps, path, value)
}

// SetFact sets the member's fact at key, a path inside the member
// (birth_date, disability.kind, incomes[year=2023].salary_revenue …), as
// Household.SetFact sets members[i].key: checked against the catalog, a
// problem is a *FactsError naming key, in Japanese, and leaves m unchanged.
// It is how a member built apart from its household (a form's list item)
// gets its facts.
func (m *Member) SetFact(key string, value any) error {
	if ok, err := setScalarFact(factCatalog()["Member"], key, value, m); ok {
		return err
	}
	steps, err := parseFactPath(key)
	if err != nil {
		return &FactsError{Errors: []FactError{{Path: key, Message: fmt.Sprintf("%q は情報の場所として読めません", key)}}}
	}
	return setFactSteps(reflect.ValueOf(m).Elem(), factCatalog()["Member"], steps, key, value)
}

// setFactSteps sets the fact steps lead to from obj, an object of catalog
// type typ; path names it in messages.
func setFactSteps(obj reflect.Value, typ *FactType, steps []pathStep, path string, value any) error {
	// undo reverts what navigation created (an income year, an object)
	// when the value is then refused.
	var undo []func()
	fail := func(format string, args ...any) error {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		return &FactsError{Errors: []FactError{{Path: path, Message: fmt.Sprintf(format, args...)}}}
	}
	for i, st := range steps {
		f := typ.Field(st.key)
		if f == nil {
			return fail("%q という項目はありません", st.key)
		}
		fv := obj.Field(fieldIndexByKey(obj.Type())[st.key])
		last := i == len(steps)-1
		switch {
		case st.each:
			return fail("%s[] ではなく、%s[0] のように番号を指定してください", st.key, st.key)
		case st.index >= 0: // members[i]
			if f.Kind != KindList || fv.Kind() != reflect.Slice || st.index >= fv.Len() {
				return fail("%s[%d] はありません", st.key, st.index)
			}
			if last {
				return fail("世帯員そのものは設定できません")
			}
			obj = fv.Index(st.index)
		case st.year != 0: // incomes[year=Y]
			if f.Kind != KindList || f.Elem != "Income" {
				return fail("%s に年分は指定できません", st.key)
			}
			if st.year < 1989 || st.year > 2100 {
				return fail("%d年分は指定できません（1989〜2100年分）", st.year)
			}
			k := -1
			for j := 0; j < fv.Len(); j++ {
				if fv.Index(j).Interface().(Income).Year == st.year {
					k = j
				}
			}
			if last {
				in, ok := value.(Income)
				if !ok {
					return fail("%d年分の所得には Income を指定してください（%T）", st.year, value)
				}
				in.Year = st.year
				if k >= 0 {
					fv.Index(k).Set(reflect.ValueOf(in))
				} else {
					fv.Set(reflect.Append(fv, reflect.ValueOf(in)))
				}
				return nil
			}
			if k < 0 {
				if fv.Len() >= MaxIncomes {
					return fail("所得は %d 年分までです", MaxIncomes)
				}
				old := fv.Interface()
				fv.Set(reflect.Append(fv, reflect.ValueOf(Income{Year: st.year})))
				k = fv.Len() - 1
				undo = append(undo, func() { fv.Set(reflect.ValueOf(old)) })
			}
			obj = fv.Index(k)
		case f.Kind == KindObject && !last:
			if fv.IsNil() {
				fv.Set(reflect.New(fv.Type().Elem()))
				undo = append(undo, func() { fv.Set(reflect.Zero(fv.Type())) })
			}
			obj = fv.Elem()
		case last:
			if err := setValue(fv, f, value); err != "" {
				return fail("%s", err)
			}
			return nil
		default:
			return fail("%q の続きは指定できません", st.key)
		}
		typ = factCatalog()[f.Elem]
		if typ == nil {
			return fail("%q の続きは指定できません", st.key)
		}
	}
	return fail("%q は情報の場所として読めません", path)
}

// scalarFrom checks a scalar fact's value against the catalog; the
// message says why not.
func scalarFrom(f *FactField, value any) (scalarValue, string) {
	var sv scalarValue
	rv := reflect.ValueOf(value)
	switch f.Kind {
	case KindString, KindEnum:
		if !rv.IsValid() || rv.Kind() != reflect.String {
			return sv, fmt.Sprintf("%s は文字列で指定してください", f.Label)
		}
		s := rv.String()
		if f.Kind == KindEnum {
			ok := false
			for _, ev := range f.Enum {
				ok = ok || ev.Value == s
			}
			if !ok {
				return sv, fmt.Sprintf("%q は %s に使えない値です（使える値: %s）", s, f.Label, enumList(f.Enum))
			}
		} else if f.Max > 0 && int64(len([]rune(s))) > f.Max {
			return sv, fmt.Sprintf("%s は %d 文字以内で指定してください", f.Label, f.Max)
		}
		sv.str = s
	case KindBool:
		b, ok := value.(bool)
		if !ok {
			return sv, fmt.Sprintf("%s は true か false で指定してください", f.Label)
		}
		sv.b = b
	case KindYen, KindInt:
		if !rv.IsValid() || !rv.CanInt() {
			return sv, fmt.Sprintf("%s は整数で指定してください", f.Label)
		}
		n := rv.Int()
		if f.Kind == KindYen && n < 0 {
			return sv, fmt.Sprintf("%s に負の金額は指定できません", f.Label)
		}
		if n < f.Min || n > f.Max {
			return sv, fmt.Sprintf("%s は %d から %d の範囲で指定してください（%d）", f.Label, f.Min, f.Max, n)
		}
		sv.num = n
	case KindDate:
		d, ok := value.(civil.Date)
		if !ok || d.IsZero() {
			return sv, fmt.Sprintf("%s は日付（civil.Date）で指定してください", f.Label)
		}
		sv.date = d
	default:
		return sv, fmt.Sprintf("%s は設定できません", f.Label)
	}
	return sv, ""
}

// setScalarFact sets a scalar fact of obj (a *Household or *Member of
// catalog type typ) directly, with the generated setter: handled is false
// when key is not one of typ's scalar facts, so the caller walks the path.
func setScalarFact(typ *FactType, key string, value any, obj any) (handled bool, err error) {
	f := typ.Field(key)
	if f == nil {
		return false, nil
	}
	switch f.Kind {
	case KindList, KindObject, KindMap:
		return false, nil
	}
	sv, msg := scalarFrom(f, value)
	if msg != "" {
		return true, &FactsError{Errors: []FactError{{Path: key, Message: msg}}}
	}
	switch o := obj.(type) {
	case *Household:
		return setHouseholdScalar(o, key, sv), nil
	case *Member:
		return setMemberScalar(o, key, sv), nil
	}
	return false, nil
}

// setValue sets one field to value, checked against the catalog; the
// message says why not.
func setValue(fv reflect.Value, f *FactField, value any) string {
	target := fv.Type()
	ptr := target.Kind() == reflect.Pointer
	elem := target
	if ptr {
		elem = target.Elem()
	}
	rv := reflect.ValueOf(value)
	var v reflect.Value
	switch f.Kind {
	case KindString, KindEnum, KindBool, KindYen, KindInt, KindDate:
		sv, msg := scalarFrom(f, value)
		if msg != "" {
			return msg
		}
		switch f.Kind {
		case KindString, KindEnum:
			v = reflect.ValueOf(sv.str).Convert(elem)
		case KindBool:
			v = reflect.ValueOf(sv.b)
		case KindYen, KindInt:
			v = reflect.New(elem).Elem()
			v.SetInt(sv.num)
		case KindDate:
			v = reflect.ValueOf(sv.date)
		}
	case KindObject:
		if rv.IsValid() && rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if !rv.IsValid() || rv.Type() != elem {
			return fmt.Sprintf("%s には %s を指定してください", f.Label, elem.Name())
		}
		v = rv
	case KindList:
		if !rv.IsValid() || rv.Type() != target {
			return fmt.Sprintf("%s には %s を指定してください", f.Label, target)
		}
		if int64(rv.Len()) > f.Max {
			return fmt.Sprintf("%s は %d 件までです", f.Label, f.Max)
		}
		fv.Set(rv)
		return ""
	default:
		return fmt.Sprintf("%s は設定できません", f.Label)
	}
	if ptr {
		p := reflect.New(elem)
		p.Elem().Set(v)
		fv.Set(p)
	} else {
		fv.Set(v)
	}
	return ""
}
