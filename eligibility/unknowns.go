package eligibility

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

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
		return p.idWith(0)
	}
	return p.idWith(fieldCode(p.field))
}

// idWith is id with the field's code (fieldCode) already looked up.
func (p factPath) idWith(code int) int64 {
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
	return 1<<61 | int64(p.member+1)<<40 | sub<<36 | p.year<<8 | int64(code)
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
