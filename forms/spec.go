package forms

import (
	"github.com/onestop-jp/onestop/consent"
)

// The definition file format is described once, here: the loader checks
// keys, types and enumerations against these tables, and DefinitionSchema
// is generated from them, so the two cannot disagree.

type specKind uint8

const (
	sString  specKind = iota + 1 // one line of text (a YAML number is read as its text)
	sText                        // text that may span lines
	sBool                        // true / false
	sInt                         // a whole number
	sStrings                     // a list of strings
	sObject                      // an object described by obj
	sObjects                     // a list of objects described by obj
)

type keySpec struct {
	key      string
	kind     specKind
	required bool
	enum     []string
	pattern  string // a regular expression the JSON Schema states (checked in code)
	obj      *objSpec
	doc      string
}

type objSpec struct {
	name string // $defs name
	doc  string
	keys []keySpec
}

func (o *objSpec) key(k string) *keySpec {
	for i := range o.keys {
		if o.keys[i].key == k {
			return &o.keys[i]
		}
	}
	return nil
}

const idPattern = `^[a-z][a-z0-9_]{0,39}$`
const slugPattern = `^[a-z0-9][a-z0-9-]{0,63}$`

var memberKinds = []string{"self", "child", "spouse", "parent", "sibling", "other", "item"}

var recipientSpec = &objSpec{name: "recipient", doc: "An organisation data may go to, as consent names it.", keys: []keySpec{
	{key: "kind", kind: sString, required: true, enum: []string{"department", "contractor", "external"}, doc: "department (庁内部署), contractor (委託先) or external (外部機関)"},
	{key: "code", kind: sString, required: true, doc: "the organisation code staff accounts carry (Actor.Org)"},
	{key: "name", kind: sString, required: true, doc: "the name shown to the family"},
}}

var choiceSpec = &objSpec{name: "choice", doc: "One allowed answer of a choice or choices field.", keys: []keySpec{
	{key: "value", kind: sString, required: true, doc: "the answer's code, kept in submissions (ASCII)"},
	{key: "label", kind: sString, required: true, doc: "what the family reads (Japanese)"},
	{key: "help", kind: sText, doc: "an explanation under the choice"},
	{key: "exclusive", kind: sBool, doc: "an answer such as なし that cannot be chosen with others (choices fields)"},
}}

func codes[T interface{ String() string }](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// provisionCategories are the category codes a consent provision may name:
// every category but my_number (番号法 Art. 19), and the wildcard.
func provisionCategories() []string {
	var out []string
	for _, c := range consent.AllCategories() {
		if c != consent.CategoryMyNumber {
			out = append(out, c.String())
		}
	}
	return append(out, "*")
}

// localFactCategories are the categories a local fact may be kept under:
// every concrete category but my_number.
func localFactCategories() []string {
	var out []string
	for _, c := range consent.AllCategories() {
		if c != consent.CategoryMyNumber {
			out = append(out, c.String())
		}
	}
	return out
}

var consentSpecSpec = &objSpec{name: "consent", doc: "What a consent question asks the family to agree to.", keys: []keySpec{
	{key: "purposes", kind: sStrings, required: true, enum: codes(consent.AllPurposes()), doc: "the purposes (利用目的)"},
	{key: "actions", kind: sStrings, required: true, enum: codes(consent.AllActions()), doc: "what the recipients may do"},
	{key: "categories", kind: sStrings, required: true, enum: provisionCategories(), doc: "the data categories; health_disability and dv_related only when named"},
	{key: "recipients", kind: sObjects, required: true, obj: recipientSpec, doc: "the organisations that may receive the data"},
	{key: "notice", kind: sText, required: true, doc: "the explanation shown with the question, exactly as shown (its SHA-256 is recorded)"},
	{key: "notice_version", kind: sString, required: true, doc: "the version of the notice text"},
	{key: "period_months", kind: sInt, doc: "how long the consent lasts from the form date; 0 or absent: until withdrawn"},
	{key: "children", kind: sBool, doc: "also for the children under 18, given by a parent applicant as 法定代理人"},
}}

// fieldSpec is recursive (groups hold fields); its fields key is set in init.
var fieldSpec = &objSpec{name: "field", doc: "One question of a form.", keys: []keySpec{
	{key: "id", kind: sString, required: true, pattern: idPattern, doc: "the answer's key in a submission (lower-case ASCII, digits, _)"},
	{key: "type", kind: sString, required: true, enum: codes(fieldTypes), doc: "the kind of answer"},
	{key: "label", kind: sString, required: true, doc: "the question as the family reads it"},
	{key: "help", kind: sText, doc: "an explanation under the question"},
	{key: "required", kind: sBool, doc: "the field must be answered when it is shown"},
	{key: "visible_if", kind: sText, doc: "a CEL condition over the answers of the field's group and the groups around it; the field is asked only when it is true"},
	{key: "choices", kind: sObjects, obj: choiceSpec, doc: "the answers of a choice or choices field"},
	{key: "fact", kind: sString, doc: "the eligibility fact the answer gives (situation, birth_date, incomes[-1].salary_revenue, extra.training_months …)"},
	{key: "record", kind: sString, doc: "the case-record field the answer fills or is filled from (person.name.family, contact.phone …)"},
	{key: "category", kind: sString, enum: localFactCategories(), doc: "for a field whose fact is extra.<key> (required there): the consent data category the case record keeps the local fact under; health_disability and dv_related facts are shown only where that category is permitted by name"},
	{key: "min", kind: sInt, doc: "the smallest number allowed (int, yen)"},
	{key: "max", kind: sInt, doc: "the largest number allowed (int, yen)"},
	{key: "max_length", kind: sInt, doc: "the longest text allowed, in characters"},
	{key: "units", kind: sBool, doc: "yen amounts may be written with 万 and 千 (120万, 1万2千円)"},
	{key: "past", kind: sBool, doc: "a date may not be after the form date (birth dates)"},
	{key: "multiline", kind: sBool, doc: "free text written on several lines"},
	{key: "set_by", kind: sString, enum: []string{string(SetByFamily), string(SetByMunicipality)}, doc: "municipality: set by the municipality's system (the municipality code), never asked"},
	{key: "member", kind: sString, enum: memberKinds, doc: "binds a group or list to household members; item: each item has a relation field"},
	{key: "id_prefix", kind: sString, pattern: `^[a-z]{1,4}$`, doc: "the prefix of the member ids of a list's items (c: c1, c2 …)"},
	{key: "max_items", kind: sInt, doc: "the most items a list may have"},
	{key: "fields", kind: sObjects, doc: "the fields of a group or of each item of a list"},
	{key: "consent", kind: sObject, obj: consentSpecSpec, doc: "the consent a consent field asks for"},
}}

var pageSpec = &objSpec{name: "page", doc: "One page of a form.", keys: []keySpec{
	{key: "id", kind: sString, required: true, pattern: idPattern, doc: "the page's id"},
	{key: "title", kind: sString, required: true, doc: "the page's title"},
	{key: "help", kind: sText, doc: "an explanation at the top of the page"},
	{key: "fields", kind: sObjects, required: true, obj: fieldSpec, doc: "the page's fields, in order"},
}}

var applicationSpec = &objSpec{name: "application", doc: "The programme an application is for and who receives it.", keys: []keySpec{
	{key: "program", kind: sString, required: true, pattern: slugPattern, doc: "the eligibility programme id"},
	{key: "recipient", kind: sObject, required: true, obj: recipientSpec, doc: "the department that receives the application"},
	{key: "legal_basis", kind: sString, doc: "the provision that sets the application's form"},
	{key: "source", kind: sString, doc: "the URL of that provision or of the official form"},
}}

var infoSpec = &objSpec{name: "info", doc: "What the definition is.", keys: []keySpec{
	{key: "id", kind: sString, required: true, pattern: slugPattern, doc: "the form's id (lower-case ASCII, digits, -)"},
	{key: "version", kind: sString, required: true, doc: "the definition's version; submissions and records name it"},
	{key: "title", kind: sString, required: true, doc: "the form's title"},
	{key: "description", kind: sText, doc: "what the form is for"},
	{key: "kind", kind: sString, enum: []string{string(KindForm), string(KindApplication)}, doc: "form (default) or application"},
	{key: "application", kind: sObject, obj: applicationSpec, doc: "for an application: its programme and recipient"},
}}

var definitionSpec = &objSpec{name: "definition", doc: "A onestop form or application definition.", keys: []keySpec{
	{key: "form", kind: sObject, required: true, obj: infoSpec, doc: "what the definition is"},
	{key: "pages", kind: sObjects, required: true, obj: pageSpec, doc: "the pages, in order"},
}}

func init() {
	fieldSpec.key("fields").obj = fieldSpec
}
