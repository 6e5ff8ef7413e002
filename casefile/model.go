package casefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
)

// Kind names an entity type; it is stored with every row.
type Kind string

// Entity kinds.
const (
	KindPerson       Kind = "person"
	KindCase         Kind = "case"
	KindMember       Kind = "household_member"
	KindRestriction  Kind = "address_restriction"
	KindSupport      Kind = "support_in_use"
	KindProgram      Kind = "program"
	KindConsultation Kind = "consultation"
	KindConference   Kind = "conference"
	KindTask         Kind = "task"
	KindConsent      Kind = "consent"
	KindRelease      Kind = "report_release"
)

// Kinds lists every entity kind.
func Kinds() []Kind {
	return []Kind{KindPerson, KindCase, KindMember, KindRestriction, KindSupport, KindProgram,
		KindConsultation, KindConference, KindTask, KindConsent, KindRelease}
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// AppendOnly reports whether entities of kind k are never changed after
// creation: a consultation entry is corrected by a new entry that
// supersedes it, and consent changes are new events.
func (k Kind) AppendOnly() bool { return k == KindConsultation || k == KindConsent || k == KindRelease }

// Meta is carried by every entity. ID is a UUID (version 7) assigned on
// creation; TenantID is the municipality code (全国地方公共団体コード);
// Version starts at 1 and grows by one with every accepted update.
type Meta struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"tenant_id"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// CreatedOrg is the department whose staff created the entity. A
	// person who belongs to no case yet is that department's alone.
	CreatedOrg string    `json:"created_org,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
	UpdatedBy  string    `json:"updated_by"`
}

// Entity is implemented by every stored type (pointer receivers).
type Entity interface {
	// EntityMeta returns the entity's metadata for the store to fill in.
	EntityMeta() *Meta
	// EntityKind returns the kind.
	EntityKind() Kind
	// Refs returns the case and person the entity belongs to, for indexing;
	// either may be empty.
	Refs() (caseID, personID string)
	// Keys returns lookup keys unique per tenant and kind ("atena:0012345").
	Keys() []string
	// Validate checks the entity's own fields.
	Validate() error
}

// EntityMeta returns m.
func (m *Meta) EntityMeta() *Meta { return m }

// Period is a span of days. From is the first day it applies; zero means
// since before the record (not known since when). To is the day it ends:
// the first day it no longer applies, as an 異動日 or a 資格喪失日 is written
// (a child who moved out on 1 October is not in the household on 1
// October); zero means open-ended. A period whose To equals its From never
// applied (kept for its history, e.g. a membership recorded in error).
type Period struct {
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
}

// Covers reports whether the period applies on day d.
func (p Period) Covers(d civil.Date) bool {
	return (p.From.IsZero() || !d.Before(p.From)) && (p.To.IsZero() || d.Before(p.To))
}

func (p Period) check(field string, ps *problems) {
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		ps.add(field, "終了日が開始日より前です")
	}
}

// ExternalID links a person to another municipal system. System is one of
// atena (宛名番号), atena_nonresident (住登外者宛名番号), setai (世帯番号) or
// vendor. There is no My Number: 番号法 Art. 19 and 20 forbid keeping it here.
type ExternalID struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

// Name is a person's name as registered, with reading and other names.
type Name struct {
	Family       string `json:"family"`
	Given        string `json:"given"`
	FamilyKana   string `json:"family_kana,omitempty"`
	GivenKana    string `json:"given_kana,omitempty"`
	Alias        string `json:"alias,omitempty"`         // 通称
	FormerFamily string `json:"former_family,omitempty"` // 旧氏
}

// Full returns "family given".
func (n Name) Full() string { return strings.TrimSpace(n.Family + " " + n.Given) }

// Address is a structured Japanese address.
type Address struct {
	PostalCode string `json:"postal_code,omitempty"` // 1000001 (7 digits)
	Prefecture string `json:"prefecture,omitempty"`
	City       string `json:"city,omitempty"`
	Town       string `json:"town,omitempty"`     // 町名・丁目
	Block      string `json:"block,omitempty"`    // 番地・号
	Building   string `json:"building,omitempty"` // 建物名・部屋番号
}

// IsZero reports whether no part of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Contact is one way to reach a person. OKToContact is false when the desk
// must not use it (a counterparty may read that mail or share that phone);
// SafeTimes says when it is safe, in the person's words (平日10時〜15時).
// AmountsOK records that the person asked to be told amounts through this
// contact (nobody else reads it); without it a notice never states an
// amount there.
type Contact struct {
	Type        string `json:"type"`
	Value       string `json:"value"`
	OKToContact bool   `json:"ok_to_contact"`
	SafeTimes   string `json:"safe_times,omitempty"`
	Preferred   bool   `json:"preferred,omitempty"`
	AmountsOK   bool   `json:"amounts_ok,omitempty"`
}

// Disability is a disability certificate (障害者手帳) and the judgements
// made of the disability, all 要配慮個人情報 (category health_disability).
// The judgements are made on a 診断書, not by the certificate; nil (or "")
// means not known.
type Disability struct {
	Kind  string `json:"kind"` // physical, intellectual, mental, other, none
	Grade string `json:"grade,omitempty"`
	// AllowanceLevel: judged to reach the level of 児童扶養手当法施行令
	// 別表第一 (a child's or a parent's disability).
	AllowanceLevel *bool `json:"allowance_level,omitempty"`
	// SpecialChildGrade: the 特別児童扶養手当 grade judged ("1", "2" or
	// "none"; 同法施行令 別表第三).
	SpecialChildGrade string `json:"special_child_grade,omitempty"`
	// ConstantCare: judged to need constant care in daily life (障害児福祉
	// 手当, 同施行令 別表第一).
	ConstantCare *bool `json:"constant_care,omitempty"`
	// ValidUntil is the last day the certificate and these judgements hold
	// (有効期限 or 再認定の時期, inclusive, as printed); zero: no end. After
	// it the disability is not known (screening leaves it nil) until the
	// record is renewed.
	ValidUntil civil.Date `json:"valid_until,omitzero"`
}

// ValidOn reports whether the record of the disability holds on day d.
func (d *Disability) ValidOn(day civil.Date) bool {
	return d.ValidUntil.IsZero() || !day.After(d.ValidUntil)
}

// Income is one amount of one calendar year (令和N年分) in whole yen, with
// where it came from (課税証明書, 源泉徴収票, 申告).
type Income struct {
	Year   int    `json:"year"`
	Kind   string `json:"kind"`
	Amount int64  `json:"amount"`
	Source string `json:"source,omitempty"`
}

// Person is a resident or other person on a case. A fact the record does
// not know is nil or "" (never false or zero): screening then names it as
// missing instead of deciding on a blank.
type Person struct {
	Meta
	ExternalIDs []ExternalID `json:"external_ids,omitempty"`
	Name        Name         `json:"name"`
	BirthDate   civil.Date   `json:"birth_date"`
	Sex         string       `json:"sex,omitempty"` // female, male
	Address     Address      `json:"address"`
	// ResidesInJapan: the person has a domicile in Japan (日本国内に住所を
	// 有する; category identity).
	ResidesInJapan *bool       `json:"resides_in_japan,omitempty"`
	Contacts       []Contact   `json:"contacts,omitempty"`
	Disability     *Disability `json:"disability,omitempty"`
	Incomes        []Income    `json:"incomes,omitempty"`
	// School is where the person is enrolled (在学状況), an
	// eligibility.School code: none, childcare, elementary, junior_high,
	// high_school, higher_education, other. SchoolPrivate: that school is
	// private (私立). Both are of category household (what the household's
	// members do, as programmes for children ask it).
	School        string `json:"school,omitempty"`
	SchoolPrivate *bool  `json:"school_private,omitempty"`
	// HealthInsurance (医療保険: national, employee, employee_dependent,
	// elderly, none) and PensionCategory (国民年金の種別: first, second,
	// third, none) are the person's enrolment in social insurance, of
	// category support_in_use (no insurance at all usually means 生活保護).
	HealthInsurance string   `json:"health_insurance,omitempty"`
	PensionCategory string   `json:"pension_category,omitempty"`
	Labels          []string `json:"labels,omitempty"`
}

// EntityKind returns KindPerson.
func (*Person) EntityKind() Kind { return KindPerson }

// UnmarshalJSON decodes a person. A malformed birth date is reported as a
// *ValidationError on birth_date that does not repeat the date (an error
// message may end up in a log; a birth date is personal data).
func (p *Person) UnmarshalJSON(b []byte) error {
	type plain Person
	var x plain
	if err := json.Unmarshal(b, &x); err != nil {
		if errors.Is(err, civil.ErrInvalid) {
			return &ValidationError{Kind: KindPerson, Problems: []Problem{{"birth_date", "生年月日が正しくありません（YYYY-MM-DD の実在する日付）"}}}
		}
		return err
	}
	*p = Person(x)
	return nil
}

// Refs returns the person's own id.
func (p *Person) Refs() (string, string) { return "", p.ID }

// Keys returns one key per personal external identifier (宛名番号 …); the
// 世帯番号 is shared by a household and is not a key.
func (p *Person) Keys() []string {
	out := make([]string, 0, len(p.ExternalIDs))
	for _, x := range p.ExternalIDs {
		if x.System != "setai" {
			out = append(out, x.System+":"+x.Value)
		}
	}
	return out
}

const myNumberMessage = "個人番号（マイナンバー）は保存できません（番号法第19条・第20条）"

func isMyNumberSystem(s string) bool {
	s = strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(s))
	return s == "mynumber" || s == "kojinbango" || s == "kojinbangou" || s == "個人番号" || s == "マイナンバー"
}

// Validate checks the person.
func (p *Person) Validate() error {
	var ps problems
	if strings.TrimSpace(p.Name.Family) == "" {
		ps.add("name.family", "氏を入力してください")
	}
	checkKana("name.family_kana", p.Name.FamilyKana, &ps)
	checkKana("name.given_kana", p.Name.GivenKana, &ps)
	if p.Sex != "" && p.Sex != "female" && p.Sex != "male" {
		ps.add("sex", "性別は female または male で入力してください")
	}
	if pc := p.Address.PostalCode; pc != "" && !isDigits(pc, 7) {
		ps.add("address.postal_code", "郵便番号は7桁の数字で入力してください")
	}
	seen := map[string]bool{}
	for i, x := range p.ExternalIDs {
		f := fmt.Sprintf("external_ids[%d]", i)
		switch {
		case isMyNumberSystem(x.System):
			ps.add(f, myNumberMessage)
		case !inTable(idSystemTable, x.System):
			ps.add(f+".system", "識別番号の種類が正しくありません（atena・atena_nonresident・setai・vendor）")
		case strings.TrimSpace(x.Value) == "" || len(x.Value) > 64 || strings.ContainsAny(x.Value, ": \t\n"):
			ps.add(f+".value", "番号が空か、使えない文字を含んでいます")
		case seen[x.System+":"+x.Value]:
			ps.add(f, "同じ番号が重複しています")
		}
		seen[x.System+":"+x.Value] = true
	}
	for i, c := range p.Contacts {
		f := fmt.Sprintf("contacts[%d]", i)
		if !inTable(contactTypeTable, c.Type) {
			ps.add(f+".type", "連絡方法の種類が正しくありません（phone・mobile・email・line・post）")
		}
		if strings.TrimSpace(c.Value) == "" {
			ps.add(f+".value", "連絡先を入力してください")
		}
	}
	if p.Disability != nil {
		switch p.Disability.Kind {
		case "none", "physical", "intellectual", "mental", "other":
		default:
			ps.add("disability.kind", "障害の種類が正しくありません")
		}
		checkFactCode("disability.special_child_grade", p.Disability.SpecialChildGrade, "members[].disability.special_child_grade",
			"特別児童扶養手当の等級は 1・2・none のいずれかです", &ps)
	}
	checkFactCode("school", p.School, "members[].school",
		"在学状況は none・childcare・elementary・junior_high・high_school・higher_education・other のいずれかです", &ps)
	checkFactCode("health_insurance", p.HealthInsurance, "members[].health_insurance",
		"医療保険は national・employee・employee_dependent・elderly・none のいずれかです", &ps)
	checkFactCode("pension_category", p.PensionCategory, "members[].pension_category",
		"国民年金の種別は first・second・third・none のいずれかです", &ps)
	for i, in := range p.Incomes {
		f := fmt.Sprintf("incomes[%d]", i)
		if in.Year < 1989 || in.Year > 9999 {
			ps.add(f+".year", "年分が正しくありません")
		}
		if !inTable(incomeKindTable, in.Kind) {
			ps.add(f+".kind", "所得の種類が正しくありません")
		}
		if in.Amount < 0 {
			ps.add(f+".amount", "金額は0円以上で入力してください")
		}
	}
	return ps.err(KindPerson)
}

func checkKana(field, s string, ps *problems) {
	for _, r := range s {
		if !(unicode.In(r, unicode.Katakana) || r == 'ー' || r == '・' || r == ' ' || r == '　') {
			ps.add(field, "フリガナは全角カタカナで入力してください")
			return
		}
	}
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CaseStatus is open, monitoring or closed.
type CaseStatus string

// Case statuses.
const (
	StatusOpen       CaseStatus = "open"
	StatusMonitoring CaseStatus = "monitoring"
	StatusClosed     CaseStatus = "closed"
)

// CaseFile is the aggregate root (電子個人票): one family's case, owned by a
// department (the ひとり親 desk), about its subject (the parent).
type CaseFile struct {
	Meta
	SubjectID     string     `json:"subject_id"`
	Status        CaseStatus `json:"status"`
	OwnerOrg      string     `json:"owner_org"`
	AssignedStaff []string   `json:"assigned_staff,omitempty"`
	OpenedOn      civil.Date `json:"opened_on"`
	ClosedOn      civil.Date `json:"closed_on"`
	IntakeRoute   string     `json:"intake_route,omitempty"` // counter, form, chatbot, referral, outreach
	Situation     string     `json:"situation,omitempty"`    // eligibility.Situation code (divorced …); see SituationCategory
	Note          string     `json:"note,omitempty"`
	// Labels mark the case as sensitive, as on a Consultation:
	// "dv_related" or "health_disability". The note and labels of a
	// dv_related case (also of a protection-order case, or one whose
	// subject has a DV等支援措置 in force) are shown only where dv_related
	// is permitted.
	Labels []string `json:"labels,omitempty"`
	// ApplicantRole is whether the subject raises the children as their
	// parent or as a caretaker in the parents' place (eligibility
	// ApplicantRole: parent 父又は母, caretaker 養育者); "" not known.
	// Category household.
	ApplicantRole string `json:"applicant_role,omitempty"`
	// DeFactoPartner: the subject lives in a de-facto marriage (事実婚).
	// Category household.
	DeFactoPartner *bool `json:"de_facto_partner,omitempty"`
	// GradeArea is the 級地 (1–3) of where the household lives, as the
	// municipality set it. Category identity (it follows from the
	// address).
	GradeArea *int `json:"grade_area,omitempty"`
	// Local holds the local facts a local pack asks (eligibility
	// Household.Extra), each with the consent category it is kept under.
	Local []LocalFact `json:"local,omitempty"`
}

// LocalFact is one local fact of a household (eligibility Household.Extra
// key and value): exactly one of Bool, Int (whole numbers and yen) and
// Text is set. Category is the consent data category it is kept and shown
// under (consent.Category code, chosen by whoever asked it: a form field
// says it); health_disability and dv_related facts are shown only where
// that category is permitted by name, like every other 要配慮 fact.
type LocalFact struct {
	Key      string  `json:"key"`
	Category string  `json:"category"`
	Bool     *bool   `json:"bool,omitempty"`
	Int      *int64  `json:"int,omitempty"`
	Text     *string `json:"text,omitempty"`
}

// Value returns the fact's value as eligibility Household.Extra holds it
// (bool, int64 or string), or nil when none is set.
func (f LocalFact) Value() any {
	switch {
	case f.Bool != nil:
		return *f.Bool
	case f.Int != nil:
		return *f.Int
	case f.Text != nil:
		return *f.Text
	}
	return nil
}

// NewLocalFact returns the local fact key = v under category; v is a
// bool, an int64 (or int) or a string.
func NewLocalFact(key string, v any, category string) (LocalFact, error) {
	f := LocalFact{Key: key, Category: category}
	switch x := v.(type) {
	case bool:
		f.Bool = &x
	case int64:
		f.Int = &x
	case int:
		f.Int = new(int64(x))
	case string:
		f.Text = &x
	default:
		return LocalFact{}, fmt.Errorf("%w: local fact %s: a value is a bool, an integer or a string, not %T", ErrInvalid, key, v)
	}
	return f, nil
}

// EntityKind returns KindCase.
func (*CaseFile) EntityKind() Kind { return KindCase }

// Refs returns the case id and its subject.
func (c *CaseFile) Refs() (string, string) { return c.ID, c.SubjectID }

// Keys returns nil.
func (*CaseFile) Keys() []string { return nil }

// Validate checks the case.
func (c *CaseFile) Validate() error {
	var ps problems
	if c.SubjectID == "" {
		ps.add("subject_id", "対象者を指定してください")
	}
	if !inTable(caseStatusTable, string(c.Status)) {
		ps.add("status", "状態は open・monitoring・closed のいずれかです")
	}
	if c.OwnerOrg == "" {
		ps.add("owner_org", "担当部署を指定してください")
	}
	if c.Status == StatusClosed && c.ClosedOn.IsZero() {
		ps.add("closed_on", "終結日を入力してください")
	}
	if !c.ClosedOn.IsZero() && c.ClosedOn.Before(c.OpenedOn) {
		ps.add("closed_on", "終結日が開始日より前です")
	}
	checkLabels(c.Labels, &ps)
	checkFactCode("applicant_role", c.ApplicantRole, "applicant_role", "申請者の立場は parent・caretaker のいずれかです", &ps)
	if c.GradeArea != nil && (*c.GradeArea < 1 || *c.GradeArea > 3) {
		ps.add("grade_area", "級地は1・2・3のいずれかです")
	}
	checkLocalFacts(c.Local, &ps)
	return ps.err(KindCase)
}

// Relationship is the relation to the case subject: a code from the
// eligibility model and the 続柄 text as registered (長男, 妻の母 …).
type Relationship struct {
	Code string `json:"code"`
	Text string `json:"text,omitempty"`
}

// HouseholdMember places a person in a case's household, both as lived
// (LivesWith, 実際の世帯) and as registered (RegisteredSameHousehold, 住民票上
// の同一世帯), for the Period they belong to it (screening counts a member
// on a date the period covers). Every fact is of category household; nil
// means not known.
type HouseholdMember struct {
	Meta
	CaseID                  string       `json:"case_id"`
	PersonID                string       `json:"person_id"`
	Relationship            Relationship `json:"relationship"`
	LivesWith               *bool        `json:"lives_with,omitempty"`
	RegisteredSameHousehold *bool        `json:"registered_same_household,omitempty"`
	SameLivelihood          *bool        `json:"same_livelihood,omitempty"`
	// Supported: the subject bears the member's living costs (経済的負担).
	Supported *bool `json:"supported,omitempty"`
	// InFacility: the member (a child) lives in a 児童福祉施設 or is placed
	// with a 里親.
	InFacility *bool  `json:"in_facility,omitempty"`
	Role       string `json:"role,omitempty"` // e.g. key carer
	Period     Period `json:"period"`
}

// EntityKind returns KindMember.
func (*HouseholdMember) EntityKind() Kind { return KindMember }

// Refs returns the case and person.
func (m *HouseholdMember) Refs() (string, string) { return m.CaseID, m.PersonID }

// Keys makes a person a member of a case at most once.
func (m *HouseholdMember) Keys() []string { return []string{m.CaseID + ":" + m.PersonID} }

// Validate checks the membership.
func (m *HouseholdMember) Validate() error {
	var ps problems
	if m.CaseID == "" {
		ps.add("case_id", "ケースを指定してください")
	}
	if m.PersonID == "" {
		ps.add("person_id", "世帯員を指定してください")
	}
	if !inTable(relationTable, m.Relationship.Code) {
		ps.add("relationship.code", "続柄コードが正しくありません（self・child・spouse・parent・sibling・other）")
	}
	m.Period.check("period", &ps)
	return ps.err(KindMember)
}

// SupportInUse is a public support the person already receives, as another
// system reported it: read-only facts with provenance, never a copy of the
// ledger.
type SupportInUse struct {
	Meta
	PersonID     string    `json:"person_id"`
	CaseID       string    `json:"case_id,omitempty"`
	SchemeCode   string    `json:"scheme_code"` // eligibility programme id, e.g. child-rearing-allowance
	Status       string    `json:"status"`      // receiving, applied, suspended, ended
	Period       Period    `json:"period"`
	SourceSystem string    `json:"source_system"` // the system that reported it
	AsOf         time.Time `json:"as_of"`         // when that system said so
	SourceRef    string    `json:"source_ref,omitempty"`
}

// EntityKind returns KindSupport.
func (*SupportInUse) EntityKind() Kind { return KindSupport }

// Refs returns the case and person.
func (s *SupportInUse) Refs() (string, string) { return s.CaseID, s.PersonID }

// Keys returns nil.
func (*SupportInUse) Keys() []string { return nil }

// Validate checks the support record.
func (s *SupportInUse) Validate() error {
	var ps problems
	if s.PersonID == "" {
		ps.add("person_id", "対象者を指定してください")
	}
	if s.SchemeCode == "" {
		ps.add("scheme_code", "制度コードを入力してください")
	}
	if !inTable(supportStatusTable, s.Status) {
		ps.add("status", "状態は receiving・applied・suspended・ended のいずれかです")
	}
	if s.SourceSystem == "" {
		ps.add("source_system", "情報元のシステムを入力してください")
	}
	if s.AsOf.IsZero() {
		ps.add("as_of", "情報の時点を入力してください")
	}
	s.Period.check("period", &ps)
	return ps.err(KindSupport)
}

// Measure is one support measure of a self-reliance programme.
type Measure struct {
	Type     string `json:"type"` // e.g. 就業支援, 資格取得, 家計相談
	Provider string `json:"provider"`
	Period   Period `json:"period"`
	Status   string `json:"status"` // planned, active, done, stopped
}

// Program is the 自立支援プログラム (母子・父子自立支援プログラム) of a case.
// Every update is kept as a revision (Service.History).
type Program struct {
	Meta
	CaseID    string     `json:"case_id"`
	Goals     []string   `json:"goals"`
	Measures  []Measure  `json:"measures"`
	AgreedOn  civil.Date `json:"agreed_on"`
	AgreedBy  string     `json:"agreed_by"`
	ReviewDue civil.Date `json:"review_due"`
}

// EntityKind returns KindProgram.
func (*Program) EntityKind() Kind { return KindProgram }

// Refs returns the case.
func (p *Program) Refs() (string, string) { return p.CaseID, "" }

// Keys makes one programme per case.
func (p *Program) Keys() []string { return []string{p.CaseID} }

// Validate checks the programme.
func (p *Program) Validate() error {
	var ps problems
	if p.CaseID == "" {
		ps.add("case_id", "ケースを指定してください")
	}
	if len(p.Goals) == 0 {
		ps.add("goals", "目標を1つ以上入力してください")
	}
	for i, m := range p.Measures {
		f := fmt.Sprintf("measures[%d]", i)
		if m.Type == "" {
			ps.add(f+".type", "支援内容を入力してください")
		}
		if !inTable(measureStatusTable, m.Status) {
			ps.add(f+".status", "状態は planned・active・done・stopped のいずれかです")
		}
		m.Period.check(f+".period", &ps)
	}
	if p.ReviewDue.IsZero() {
		ps.add("review_due", "見直し予定日を入力してください")
	}
	return ps.err(KindProgram)
}

// Consultation is one consultation entry (相談記録). Entries are append-only:
// to correct one, add a new entry with Supersedes set to the old id.
type Consultation struct {
	Meta
	CaseID     string    `json:"case_id"`
	OccurredAt time.Time `json:"occurred_at"`
	Channel    string    `json:"channel"`
	Staff      string    `json:"staff"`
	Org        string    `json:"org"`
	Topics     []string  `json:"topics"`
	Summary    string    `json:"summary"`
	Body       string    `json:"body,omitempty"`
	// Labels mark sensitive content: "health_disability" (要配慮) or
	// "dv_related"; such entries are shown only where that category is
	// permitted by name.
	Labels     []string `json:"labels,omitempty"`
	Supersedes string   `json:"supersedes,omitempty"`
}

// EntityKind returns KindConsultation.
func (*Consultation) EntityKind() Kind { return KindConsultation }

// Refs returns the case.
func (c *Consultation) Refs() (string, string) { return c.CaseID, "" }

// Keys returns nil.
func (*Consultation) Keys() []string { return nil }

// Validate checks the entry.
func (c *Consultation) Validate() error {
	var ps problems
	if c.CaseID == "" {
		ps.add("case_id", "ケースを指定してください")
	}
	if c.OccurredAt.IsZero() {
		ps.add("occurred_at", "相談日時を入力してください")
	}
	if !inTable(channelTable, c.Channel) {
		ps.add("channel", "相談方法のコードが正しくありません")
	}
	if c.Staff == "" || c.Org == "" {
		ps.add("staff", "対応した職員と部署を入力してください")
	}
	if len(c.Topics) == 0 {
		ps.add("topics", "相談内容を1つ以上選んでください")
	}
	for i, t := range c.Topics {
		if !inTable(topicTable, t) {
			ps.add(fmt.Sprintf("topics[%d]", i), "相談内容のコードが正しくありません")
		}
	}
	checkLabels(c.Labels, &ps)
	if strings.TrimSpace(c.Summary) == "" {
		ps.add("summary", "概要を入力してください")
	}
	if utf8.RuneCountInString(c.Body) > 20000 {
		ps.add("body", "本文が長すぎます（20,000字まで）")
	}
	return ps.err(KindConsultation)
}

// checkFactCode accepts "" (not known) or one of the values the
// eligibility fact catalog allows for the fact at path.
func checkFactCode(field, v, path, msg string, ps *problems) {
	if v == "" {
		return
	}
	f, ok := eligibility.FactFor(path)
	if !ok {
		ps.add(field, msg)
		return
	}
	for _, e := range f.Enum {
		if e.Value == v {
			return
		}
	}
	ps.add(field, msg)
}

// checkLocalFacts checks the local facts: snake_case keys, each once, a
// category a consent can name, exactly one value.
func checkLocalFacts(fs []LocalFact, ps *problems) {
	if len(fs) > eligibility.MaxExtra {
		ps.add("local", fmt.Sprintf("地域独自の項目は%d個までです", eligibility.MaxExtra))
	}
	seen := map[string]bool{}
	for i, f := range fs {
		field := fmt.Sprintf("local[%d]", i)
		if !localKey(f.Key) {
			ps.add(field+".key", "項目名は英小文字・数字・_ で書いてください（例: training_months）")
		} else if seen[f.Key] {
			ps.add(field+".key", "同じ項目が重複しています")
		}
		seen[f.Key] = true
		if c, err := consent.ParseCategory(f.Category); err != nil || !c.Valid() || c == consent.CategoryMyNumber {
			ps.add(field+".category", "情報の種類（identity・household・income_tax・program・consultation・health_disability など）が正しくありません")
		}
		n := 0
		for _, set := range []bool{f.Bool != nil, f.Int != nil, f.Text != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			ps.add(field, "値（bool・int・text のいずれか1つ）を入力してください")
		}
		if f.Text != nil && utf8.RuneCountInString(*f.Text) > eligibility.MaxStringLength {
			ps.add(field+".text", fmt.Sprintf("値が長すぎます（%d字まで）", eligibility.MaxStringLength))
		}
	}
}

// localKey reports whether k is a local fact key: [a-z][a-z0-9_]{0,63}.
func localKey(k string) bool {
	if k == "" || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// checkLabels accepts the sensitivity labels health_disability and
// dv_related.
func checkLabels(labels []string, ps *problems) {
	for i, l := range labels {
		if l != "health_disability" && l != "dv_related" {
			ps.add(fmt.Sprintf("labels[%d]", i), "ラベルは health_disability または dv_related です")
		}
	}
}

// Participant attends a conference.
type Participant struct {
	Org   string `json:"org"`
	Staff string `json:"staff,omitempty"`
	Role  string `json:"role,omitempty"`
}

// Conference is a case conference. Its kind and LegalBasis decide who may
// attend and read it: a 要対協 or 支援会議 shares under its statute
// (児童福祉法25条の2, 生活困窮者自立支援法9条) with the members' confidentiality
// duty (Confidentiality), not under consent.
type Conference struct {
	Meta
	CaseID          string        `json:"case_id"`
	Kind            string        `json:"kind"`
	HeldAt          time.Time     `json:"held_at"`
	LegalBasis      string        `json:"legal_basis,omitempty"`
	Confidentiality string        `json:"confidentiality,omitempty"`
	KeyPerson       string        `json:"key_person"` // キーパーソン (staff id)
	Participants    []Participant `json:"participants"`
	Minutes         string        `json:"minutes,omitempty"`
	Labels          []string      `json:"labels,omitempty"`
}

// EntityKind returns KindConference.
func (*Conference) EntityKind() Kind { return KindConference }

// Refs returns the case.
func (c *Conference) Refs() (string, string) { return c.CaseID, "" }

// Keys returns nil.
func (*Conference) Keys() []string { return nil }

// Validate checks the conference.
func (c *Conference) Validate() error {
	var ps problems
	if c.CaseID == "" {
		ps.add("case_id", "ケースを指定してください")
	}
	if !inTable(conferenceKindTable, c.Kind) {
		ps.add("kind", "会議の種類が正しくありません")
	}
	if (c.Kind == "child_protection_council" || c.Kind == "support_meeting") && c.LegalBasis == "" {
		ps.add("legal_basis", "この会議には法令上の根拠の記載が必要です")
	}
	if c.HeldAt.IsZero() {
		ps.add("held_at", "開催日時を入力してください")
	}
	if c.KeyPerson == "" {
		ps.add("key_person", "キーパーソンを入力してください")
	}
	if len(c.Participants) == 0 {
		ps.add("participants", "参加者を入力してください")
	}
	return ps.err(KindConference)
}

// Task is "who does what by when", often decided at a conference.
type Task struct {
	Meta
	CaseID        string     `json:"case_id"`
	ConferenceID  string     `json:"conference_id,omitempty"`
	Title         string     `json:"title"`
	AssigneeOrg   string     `json:"assignee_org"`
	AssigneeStaff string     `json:"assignee_staff,omitempty"`
	Due           civil.Date `json:"due"`
	Status        string     `json:"status"`
}

// EntityKind returns KindTask.
func (*Task) EntityKind() Kind { return KindTask }

// Refs returns the case.
func (t *Task) Refs() (string, string) { return t.CaseID, "" }

// Keys returns nil.
func (*Task) Keys() []string { return nil }

// Validate checks the task.
func (t *Task) Validate() error {
	var ps problems
	if t.CaseID == "" {
		ps.add("case_id", "ケースを指定してください")
	}
	if strings.TrimSpace(t.Title) == "" {
		ps.add("title", "内容を入力してください")
	}
	if t.AssigneeOrg == "" {
		ps.add("assignee_org", "担当部署を入力してください")
	}
	if t.Due.IsZero() {
		ps.add("due", "期限を入力してください")
	}
	if !inTable(taskStatusTable, t.Status) {
		ps.add("status", "状態は todo・doing・done・cancelled のいずれかです")
	}
	return ps.err(KindTask)
}
