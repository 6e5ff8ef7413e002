package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/eligibility"
)

// A binding says where an answer goes: a fact of the eligibility facts
// model (fact:) or a field of the case record (record:). The vocabulary is
// fixed here, checked when a form is loaded, and used both ways: a
// submission fills facts and the record; a case record fills an
// application.

type factOp uint8

const (
	factNone            factOp = iota
	factHousehold              // situation, applicant_role, de_facto_partner, grade_area, municipality_code
	factReceiving              // receiving (choices; an exclusive choice means none)
	factExtra                  // extra.<key>
	factMember                 // relation, birth_date, sex, lives_with …, disability.*
	factHasIncome              // has_income: false means no income at all (incomes: [])
	factIncomeKinds            // incomes[-N].kinds: the kinds of income; the others are 0
	factIncomeAmount           // incomes[-N].salary_revenue …
	factDeductionKinds         // incomes[-N].deductions: the deductions taken; the others are none
	factDeductionAmount        // incomes[-N].deductions.medical …
)

type factBinding struct {
	op      factOp
	key     string // the fact key: situation, birth_date, disability.kind, an extra key, an income or deduction field
	yearOff int    // incomes[-N]: N years before the form date's year
	// kind of a household or member fact in the catalog: how an answer
	// becomes its value (factAnswer)
	kind eligibility.FieldKind
}

// incomeKinds are the income fields an incomes[-N].kinds answer covers.
var incomeKinds = []string{"salary_revenue", "pension_revenue", "business_income", "other_income"}

// deductionKinds are the deductions an incomes[-N].deductions answer
// lists, with the kind of each one's amount ("" for a flag).
var deductionKinds = []struct{ key, amount string }{
	{"medical", "yen"}, {"casualty_loss", "yen"}, {"small_business_mutual_aid", "yen"}, {"spouse_special", "yen"},
	{"disabled", "int"}, {"special_disabled", "int"}, {"working_student", ""}, {"widow", ""}, {"single_parent", ""},
}

var incomeRe = regexp.MustCompile(`^incomes\[-([1-5])\](?:\.([a-z_]+)(?:\.([a-z_]+))?)?$`)
var extraKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// catalogField returns the facts-model field of a type by key.
func catalogField(typ, key string) *eligibility.FactField {
	for _, t := range eligibility.FactTypes() {
		if t.Name == typ {
			return t.Field(key)
		}
	}
	return nil
}

// parseFact parses a fact binding for a field of type t; inMember says
// whether the field is inside a group or list bound to household members.
// It returns a Japanese message when the binding is not allowed.
func parseFact(s string, t FieldType, inMember bool) (factBinding, string) {
	var b factBinding
	if s == "" {
		return b, ""
	}
	switch {
	case strings.HasPrefix(s, "extra."):
		b.op, b.key = factExtra, strings.TrimPrefix(s, "extra.")
		if !extraKeyRe.MatchString(b.key) {
			return b, fmt.Sprintf("地域独自の項目名 %q は英小文字・数字・_ で書いてください", b.key)
		}
		switch t {
		case TypeBool, TypeInt, TypeYen, TypeText, TypeChoice:
			return b, ""
		}
		return b, "extra. の項目に使える型は bool・int・yen・text・choice です"
	case s == "receiving":
		b.op, b.key = factReceiving, s
		return b, needType(t, TypeChoices)
	case s == "has_income":
		b.op, b.key = factHasIncome, s
		if !inMember {
			return b, "has_income は世帯員に結び付いたグループ（member:）の中で使います"
		}
		return b, needType(t, TypeBool)
	case strings.HasPrefix(s, "incomes["):
		if !inMember {
			return b, "incomes は世帯員に結び付いたグループ（member:）の中で使います"
		}
		m := incomeRe.FindStringSubmatch(s)
		if m == nil {
			return b, "所得は incomes[-1].salary_revenue のように、記入日の年から数えた年（-1 は前年、-2 は前々年）と項目で書いてください"
		}
		b.yearOff, _ = strconv.Atoi(m[1])
		switch {
		case m[2] == "kinds" && m[3] == "":
			b.op = factIncomeKinds
			return b, needType(t, TypeChoices)
		case m[2] == "deductions" && m[3] == "":
			b.op = factDeductionKinds
			return b, needType(t, TypeChoices)
		case m[2] == "deductions":
			b.op, b.key = factDeductionAmount, m[3]
			for _, d := range deductionKinds {
				if d.key == b.key {
					if d.amount == "" {
						return b, fmt.Sprintf("%s は控除の有無（incomes[-N].deductions の選択肢）で答えます", b.key)
					}
					return b, needType(t, FieldType(d.amount))
				}
			}
			return b, fmt.Sprintf("控除 %q はありません", b.key)
		case m[2] == "child_support_received" || slices.Contains(incomeKinds, m[2]):
			b.op, b.key = factIncomeAmount, m[2]
			return b, needType(t, TypeYen)
		}
		return b, fmt.Sprintf("所得の項目 %q はありません（kinds・salary_revenue・pension_revenue・business_income・other_income・child_support_received・deductions）", m[2])
	}
	if inMember {
		key, sub, _ := strings.Cut(s, ".")
		typ := "Member"
		if key == "disability" && sub != "" {
			typ, key = "Disability", sub
		}
		cf := catalogField(typ, key)
		if cf == nil || key == "id" || key == "incomes" || (typ == "Member" && key == "disability") {
			return b, fmt.Sprintf("世帯員の事実 %q はありません", s)
		}
		b.op, b.key, b.kind = factMember, s, cf.Kind
		return b, kindFits(cf, t)
	}
	cf := catalogField("Household", s)
	if cf == nil || s == "id" || s == "members" || s == "extra" {
		if catalogField("Member", strings.SplitN(s, ".", 2)[0]) != nil {
			return b, fmt.Sprintf("%q は世帯員の事実です。member: のあるグループの中で使ってください", s)
		}
		return b, fmt.Sprintf("世帯の事実 %q はありません", s)
	}
	b.op, b.key, b.kind = factHousehold, s, cf.Kind
	if s == "municipality_code" {
		return b, needType(t, TypeLGCode)
	}
	return b, kindFits(cf, t)
}

func needType(t FieldType, want ...FieldType) string {
	if slices.Contains(want, t) {
		return ""
	}
	names := make([]string, len(want))
	for i, w := range want {
		names[i] = string(w)
	}
	return fmt.Sprintf("この事実には型 %s の項目を使います（%s ではありません）", strings.Join(names, "・"), t)
}

func kindFits(cf *eligibility.FactField, t FieldType) string {
	switch cf.Kind {
	case eligibility.KindBool:
		return needType(t, TypeBool)
	case eligibility.KindDate:
		return needType(t, TypeDate)
	case eligibility.KindYen:
		return needType(t, TypeYen)
	case eligibility.KindInt:
		return needType(t, TypeInt, TypeChoice)
	case eligibility.KindEnum:
		return needType(t, TypeChoice)
	case eligibility.KindString:
		return needType(t, TypeText, TypeChoice)
	}
	return "この事実はフォームの項目で答えられません"
}

// enumValues returns the allowed values of an enum fact, or nil.
func (b factBinding) enumValues() []eligibility.EnumValue {
	if b.op != factMember && b.op != factHousehold {
		return nil
	}
	typ, key := "Household", b.key
	if b.op == factMember {
		typ = "Member"
		if k, sub, ok := strings.Cut(b.key, "."); ok && k == "disability" {
			typ, key = "Disability", sub
		}
	}
	if cf := catalogField(typ, key); cf != nil && cf.Kind == eligibility.KindEnum {
		return cf.Enum
	}
	return nil
}

// covers lists the fact paths, in the household's JSON form, that an
// answer to the field decides: a Missing fact at one of them, or above
// or below one of them, is what the field asks. member is the member's
// path (members[2]) and year the form date's year.
func (b factBinding) covers(member string, year int) []string {
	in := func(s string) string { return member + "." + s }
	inc := func(off int) string { return member + ".incomes[year=" + strconv.Itoa(year-off) + "]" }
	switch b.op {
	case factHousehold, factReceiving:
		return []string{b.key}
	case factExtra:
		return []string{"extra." + b.key}
	case factMember:
		return []string{in(b.key)}
	case factHasIncome:
		return []string{in("incomes")}
	case factIncomeKinds:
		out := make([]string, len(incomeKinds))
		for i, k := range incomeKinds {
			out[i] = inc(b.yearOff) + "." + k
		}
		return out
	case factIncomeAmount:
		return []string{inc(b.yearOff) + "." + b.key}
	case factDeductionKinds:
		return []string{inc(b.yearOff) + ".deductions"}
	case factDeductionAmount:
		return []string{inc(b.yearOff) + ".deductions." + b.key}
	}
	return nil
}

// pathMatches reports whether a missing fact at m is decided by an
// answer covering c: the same fact, a part of it, or the whole it is in.
func pathMatches(m, c string) bool {
	return m == c || under(c, m) || under(m, c)
}

// under reports whether p lies below q on a segment boundary.
func under(p, q string) bool {
	return len(p) > len(q) && strings.HasPrefix(p, q) && (p[len(q)] == '.' || p[len(q)] == '[')
}

// recordOp is what a record binding reads or writes.
type recordOp uint8

const (
	recNone         recordOp = iota
	recPerson                // person.name.family, person.birth_date, person.address.city …
	recPersonIncome          // person.incomes[-N].<kind>
	recMembership            // membership.relationship, membership.relationship_text, membership.lives_with, membership.same_livelihood
	recContact               // contact.phone, contact.email, contact.ok, contact.methods, contact.safe_times, contact.note
	recCase                  // case.situation
	recConsultation          // consultation.topics, consultation.body
	recSupport               // support.receiving
)

type recordBinding struct {
	op      recordOp
	key     string // the view path below the person (name.family) or the binding's last part
	yearOff int
}

var personPaths = map[string]FieldType{
	"name.family": TypeName, "name.given": TypeName, "name.family_kana": TypeKana, "name.given_kana": TypeKana,
	"name.alias": TypeName, "name.former_family": TypeName,
	"birth_date": TypeDate, "sex": TypeChoice,
	"address.postal_code": TypePostal, "address.prefecture": TypeText, "address.city": TypeText,
	"address.town": TypeText, "address.block": TypeText, "address.building": TypeText,
	"disability.kind": TypeChoice, "disability.grade": TypeChoice,
}

var recordIncomeRe = regexp.MustCompile(`^person\.incomes\[-([1-5])\]\.([a-z_]+)$`)

// incomeRecordKinds are the casefile income kinds an application may
// read as amounts.
var incomeRecordKinds = []string{"salary_revenue", "pension_revenue", "business_income", "other_income", "child_support_received"}

// recordFields are the record bindings other than person.*: each with
// what it reads or writes and the field types that may hold it.
var recordFields = map[string]struct {
	op    recordOp
	types []FieldType
}{
	"membership.relationship":      {recMembership, []FieldType{TypeChoice}},
	"membership.relationship_text": {recMembership, []FieldType{TypeText, TypeName}},
	"membership.lives_with":        {recMembership, []FieldType{TypeBool}},
	"membership.same_livelihood":   {recMembership, []FieldType{TypeBool}},
	"contact.phone":                {recContact, []FieldType{TypePhone}},
	"contact.email":                {recContact, []FieldType{TypeEmail}},
	"contact.ok":                   {recContact, []FieldType{TypeBool}},
	"contact.methods":              {recContact, []FieldType{TypeChoices}},
	"contact.safe_times":           {recContact, []FieldType{TypeChoices, TypeText}},
	"contact.note":                 {recContact, []FieldType{TypeText}},
	"case.situation":               {recCase, []FieldType{TypeChoice}},
	"consultation.topics":          {recConsultation, []FieldType{TypeChoices}},
	"consultation.body":            {recConsultation, []FieldType{TypeText}},
	"support.receiving":            {recSupport, []FieldType{TypeChoices}},
}

func parseRecord(s string, t FieldType) (recordBinding, string) {
	var b recordBinding
	if s == "" {
		return b, ""
	}
	if m := recordIncomeRe.FindStringSubmatch(s); m != nil {
		b.op, b.key = recPersonIncome, m[2]
		b.yearOff, _ = strconv.Atoi(m[1])
		if !slices.Contains(incomeRecordKinds, b.key) {
			return b, fmt.Sprintf("記録の所得の種類 %q はありません（%s）", b.key, strings.Join(incomeRecordKinds, "・"))
		}
		return b, needType(t, TypeYen)
	}
	if rest, ok := strings.CutPrefix(s, "person."); ok {
		want, ok := personPaths[rest]
		if !ok {
			return recordBinding{}, fmt.Sprintf("記録の項目 %q はありません", s)
		}
		b.op, b.key = recPerson, rest
		switch want {
		case TypeName, TypeText:
			return b, needType(t, TypeName, TypeText)
		case TypeChoice:
			return b, needType(t, TypeChoice, TypeText)
		}
		return b, needType(t, want)
	}
	rf, ok := recordFields[s]
	if !ok {
		return recordBinding{}, fmt.Sprintf("記録の項目 %q はありません（person.・membership.・contact.・case.・consultation.・support. で始まる項目）", s)
	}
	_, b.key, _ = strings.Cut(s, ".")
	b.op = rf.op
	return b, needType(t, rf.types...)
}

// personal reports whether the binding is about one person (and so, outside
// a member group, about the applicant).
func (b recordBinding) personal() bool {
	return b.op == recPerson || b.op == recPersonIncome || b.op == recMembership || b.op == recContact
}

// intBounds are the bounds of a whole-number fact (級地 1〜3, the people
// counted for a deduction), from the facts catalog.
func (b factBinding) intBounds() (int64, int64, bool) {
	var cf *eligibility.FactField
	switch b.op {
	case factHousehold:
		cf = catalogField("Household", b.key)
	case factDeductionAmount:
		cf = catalogField("Deductions", b.key)
	case factMember:
		cf = catalogField("Member", b.key)
	}
	if cf == nil || cf.Kind != eligibility.KindInt {
		return 0, 0, false
	}
	return cf.Min, cf.Max, true
}
