package forms

// FieldType is the kind of answer a field takes. Each type has its own
// normalisation (what a person may type) and validation (what is kept).
type FieldType string

// Field types. The comments say what a person may type; the normalised
// answer is what Check keeps.
const (
	TypeText    FieldType = "text"    // free text; width folded, spaces tidied
	TypeName    FieldType = "name"    // a person's name (氏・名): width folded, one space between words
	TypeKana    FieldType = "kana"    // フリガナ: katakana, hiragana or ｶﾀｶﾅ, kept as katakana
	TypeDate    FieldType = "date"    // 令和7年4月1日, R7.4.1, 2025-04-01, ２０２５年４月１日 → 2025-04-01
	TypeYen     FieldType = "yen"     // 1200000, 1,200,000円, ¥1,200,000 (and 120万, 1万2千 with units) → whole yen
	TypeInt     FieldType = "int"     // a whole number (months, people)
	TypeBool    FieldType = "bool"    // true / false (はい / いいえ accepted)
	TypeChoice  FieldType = "choice"  // one of the choices' values
	TypeChoices FieldType = "choices" // a list of choices' values
	TypePostal  FieldType = "postal"  // 郵便番号: 〒１００ー０００１, 100-0001 → 1000001
	TypePhone   FieldType = "phone"   // 電話番号: ０９０－１２３４－５６７８, +81 90 1234 5678 → 090-1234-5678
	TypeEmail   FieldType = "email"   // メールアドレス
	TypeLGCode  FieldType = "lg_code" // 全国地方公共団体コード, 6 digits with the check digit
	TypeGroup   FieldType = "group"   // an object of fields (the applicant …)
	TypeList    FieldType = "list"    // a repeated group (the children …)
	TypeConsent FieldType = "consent" // a consent question: true (同意する) or false
)

var fieldTypes = []FieldType{TypeText, TypeName, TypeKana, TypeDate, TypeYen, TypeInt, TypeBool, TypeChoice,
	TypeChoices, TypePostal, TypePhone, TypeEmail, TypeLGCode, TypeGroup, TypeList, TypeConsent}

// container reports whether fields of type t hold other fields.
func (t FieldType) container() bool { return t == TypeGroup || t == TypeList }

// Kind says whether a definition is an input form or an application.
type Kind string

// Definition kinds.
const (
	KindForm        Kind = "form"        // ② the input form: screening and the 電子個人票
	KindApplication Kind = "application" // ⑤ an online application filled from the record
)

// SetBy says who answers a field.
type SetBy string

// Who answers a field.
const (
	// SetByFamily fields are shown to the family.
	SetByFamily SetBy = "family"
	// SetByMunicipality fields (the municipality code, the 級地) are set
	// by the municipality's system, never asked.
	SetByMunicipality SetBy = "municipality"
)

// Info identifies a form definition.
type Info struct {
	ID          string `json:"id"`
	Version     string `json:"version"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Kind        Kind   `json:"kind"`
	// Application is set for KindApplication.
	Application *ApplicationInfo `json:"application,omitempty"`
}

// ApplicationInfo says which programme an application is for and which
// department receives it.
type ApplicationInfo struct {
	// Program is the eligibility programme id (child-rearing-allowance).
	Program string `json:"program"`
	// Recipient is the department that receives the application: the
	// person's consent must name it for the purpose online_application
	// before anything is copied from the record.
	Recipient Recipient `json:"recipient"`
	// LegalBasis names the provision that sets the application's form.
	LegalBasis string `json:"legal_basis,omitempty"`
	// Source is the URL of that provision or of the official form.
	Source string `json:"source,omitempty"`
}

// Recipient is an organisation data may go to, as consent names it.
type Recipient struct {
	Kind string `json:"kind"` // department, contractor, external
	Code string `json:"code"`
	Name string `json:"name"`
}

// Page is one page of a form, shown in order.
type Page struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Help   string  `json:"help,omitempty"`
	Fields []Field `json:"fields"`
}

// Choice is one allowed answer of a choice or choices field.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Help  string `json:"help,omitempty"`
	// Exclusive marks an answer such as なし that cannot be chosen
	// together with others.
	Exclusive bool `json:"exclusive,omitempty"`
}

// Field is one question of a form, as defined (see docs/forms.md for the
// file format).
type Field struct {
	ID string `json:"id"`
	// Path locates the field's answer in a submission, with [] for the
	// items of a list: children[].birth_date.
	Path     string    `json:"path"`
	Type     FieldType `json:"type"`
	Label    string    `json:"label"`
	Help     string    `json:"help,omitempty"`
	Required bool      `json:"required,omitempty"`
	// VisibleIf is a CEL expression over the answers of the field's own
	// group and of the groups around it; the field is asked only when it
	// is true.
	VisibleIf string   `json:"visible_if,omitempty"`
	Choices   []Choice `json:"choices,omitempty"`
	// Fact is the fact the answer gives to the eligibility engine, in the
	// household (situation, extra.training_months) or in the member of the
	// field's group (birth_date, incomes[-1].salary_revenue).
	Fact string `json:"fact,omitempty"`
	// Record is the case-record field the answer fills or is filled from
	// (person.name.family, contact.phone, consultation.topics).
	Record string `json:"record,omitempty"`
	// Category is, for a field whose Fact is a local fact (extra.<key>),
	// the consent data category the case record keeps it under (program,
	// consultation, health_disability …); required there, empty elsewhere.
	Category string `json:"category,omitempty"`
	// Min and Max bound numbers; MaxLength bounds text in characters.
	Min       *int64 `json:"min,omitempty"`
	Max       *int64 `json:"max,omitempty"`
	MaxLength int    `json:"max_length,omitempty"`
	// Units allows 万・千 in yen amounts (120万, 1万2千円).
	Units bool `json:"units,omitempty"`
	// Past refuses a date after the form date (birth dates).
	Past bool `json:"past,omitempty"`
	// Multiline marks free text written on several lines.
	Multiline bool  `json:"multiline,omitempty"`
	SetBy     SetBy `json:"set_by,omitempty"`
	// Member binds a group or list to household members: self (the
	// applicant), child, spouse, parent, sibling, other; "item" when each
	// item says its relation in a field whose fact is relation.
	Member   string `json:"member,omitempty"`
	IDPrefix string `json:"id_prefix,omitempty"`
	MaxItems int    `json:"max_items,omitempty"`
	// Fields are the fields of a group or of each list item.
	Fields []Field `json:"fields,omitempty"`
	// Consent is the consent a consent field asks for.
	Consent *ConsentSpec `json:"consent,omitempty"`
}

// ConsentSpec is what a consent question asks a family to agree to: the
// purposes, recipients, actions and data categories of one provision, and
// the notice text shown with the question (its hash is recorded with the
// consent, ISO/IEC 29184).
type ConsentSpec struct {
	Purposes   []string    `json:"purposes"`
	Actions    []string    `json:"actions"`
	Categories []string    `json:"categories"`
	Recipients []Recipient `json:"recipients"`
	// Notice is the explanation shown, exactly as shown.
	Notice        string `json:"notice"`
	NoticeVersion string `json:"notice_version"`
	// PeriodMonths is how long the consent lasts from the form date; 0:
	// until withdrawn.
	PeriodMonths int `json:"period_months,omitempty"`
	// Children extends the consent to the children under 18, given by the
	// applicant as their 法定代理人 (親権者) when the applicant is a parent.
	Children bool `json:"children,omitempty"`
}

func (t FieldType) String() string { return string(t) }
