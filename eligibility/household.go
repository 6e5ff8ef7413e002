package eligibility

import "github.com/onestop-jp/onestop/civil"

// The facts model: what the engine knows about a household (世帯). Every
// optional fact is a pointer or a nil slice, and nil means "not known" —
// never zero. A rule that needs an unknown fact makes the outcome
// undetermined and names the fact, so a form or a chatbot asks only that.

// Household is one household screened for programmes: the applicant (the
// member whose relation is RelationSelf, the person raising the children),
// the people living with or supported by them, and the family situation.
type Household struct {
	// ID is the caller's identifier, echoed in outcomes.
	ID string `json:"id,omitempty"`
	// MunicipalityCode is the 全国地方公共団体コード of the municipality of
	// residence: 6 digits with the check digit (131016 for 千代田区), or the
	// 5 digits without it.
	MunicipalityCode *string `json:"municipality_code,omitempty"`
	// Situation is the family situation (支給要件) of the applicant.
	Situation *Situation `json:"situation,omitempty"`
	// ApplicantRole says whether the applicant is a parent of the children
	// (父又は母) or a caretaker raising them in the parents' place (養育者).
	ApplicantRole *ApplicantRole `json:"applicant_role,omitempty"`
	// DeFactoPartner is true when the applicant lives in a de-facto
	// marriage (事実上の婚姻関係, 事実婚).
	DeFactoPartner *bool `json:"de_facto_partner,omitempty"`
	// GradeArea is the municipality's 級地 (1, 2 or 3; the main grade of the
	// 生活保護 級地区分), used by the 住民税 non-taxable limits.
	GradeArea *int `json:"grade_area,omitempty"`
	// Members are the people of the household, the applicant included.
	// Required: a household always has exactly one RelationSelf member.
	Members []Member `json:"members"`
	// Receiving lists the ids of programmes the household already receives
	// (for example "child-allowance"). nil: not known; empty: none.
	Receiving []string `json:"receiving"`
	// Extra holds local facts that only a local pack uses, by snake_case key;
	// values are strings, integers, booleans or lists of those.
	Extra map[string]any `json:"extra,omitempty"`
}

// Member is one person of a household.
type Member struct {
	// ID identifies the member within the household ("p", "c1" …); outcomes
	// name missing facts with it. Optional; unique when given.
	ID string `json:"id,omitempty"`
	// Relation is the member's relation to the applicant. Required.
	Relation Relation `json:"relation"`
	// BirthDate is the date of birth.
	BirthDate *civil.Date `json:"birth_date,omitempty"`
	// Sex is the member's sex as registered (used by tax rules that still
	// differ for 寡婦 and for the 調整控除).
	Sex *Sex `json:"sex,omitempty"`
	// Disability describes a disability certificate, or Kind "none".
	Disability *Disability `json:"disability,omitempty"`
	// LivesWith is true when the member lives with the applicant (同居).
	LivesWith *bool `json:"lives_with,omitempty"`
	// SameLivelihood is true when the member shares the applicant's
	// livelihood (生計を同じくする).
	SameLivelihood *bool `json:"same_livelihood,omitempty"`
	// Supported is true when the applicant bears the member's living costs
	// (経済的負担; counts older children in the 児童手当 ranking).
	Supported *bool `json:"supported,omitempty"`
	// InFacility is true when the member (a child) lives in a 児童福祉施設 or
	// is placed with a 里親 (foster parent).
	InFacility *bool `json:"in_facility,omitempty"`
	// ResidesInJapan is true when the member has a domicile in Japan
	// (日本国内に住所を有する).
	ResidesInJapan *bool `json:"resides_in_japan,omitempty"`
	// School is where the member is enrolled (在学状況): 高等学校等 for
	// 高等学校等就学支援金, 大学等 for 高等教育の修学支援新制度, 保育所等 for
	// 幼児教育・保育の無償化.
	School *School `json:"school,omitempty"`
	// SchoolPrivate is true when that school is private (私立).
	SchoolPrivate *bool `json:"school_private,omitempty"`
	// HealthInsurance is the member's public medical insurance (医療保険):
	// 国民健康保険 for the 国保 軽減.
	HealthInsurance *HealthInsurance `json:"health_insurance,omitempty"`
	// PensionCategory is the member's 国民年金 被保険者の種別: 第1号 for the
	// 国民年金保険料の免除・納付猶予.
	PensionCategory *PensionCategory `json:"pension_category,omitempty"`
	// Incomes are the member's incomes, one entry per calendar year of
	// income (令和N年分). nil: not known. An empty, non-nil list means the
	// member had no income at all (a young child); a list without the year
	// a rule needs leaves that year unknown.
	Incomes []Income `json:"incomes"`
}

// Income is one person's income for one calendar year (令和N年分), in whole
// yen, with the deductions the programmes use. Each amount is what the
// person's 課税証明書 (所得・課税証明書) or 源泉徴収票 shows under the Japanese
// term given; nil means not known.
type Income struct {
	// Year is the calendar year of income (2024 = 令和6年分). Required.
	Year int `json:"year"`
	// SalaryRevenue is 給与収入 (給与の支払金額, before 給与所得控除).
	SalaryRevenue *int64 `json:"salary_revenue,omitempty"`
	// PensionRevenue is 公的年金等の収入金額 (before 公的年金等控除).
	PensionRevenue *int64 `json:"pension_revenue,omitempty"`
	// BusinessIncome is 事業所得 (営業等・農業; 収入 − 必要経費). A loss is 0.
	BusinessIncome *int64 `json:"business_income,omitempty"`
	// OtherIncome is the sum of the other 所得 (不動産所得, 配当所得, 雑所得
	// other than public pensions, 一時所得 after halving, …). A loss is 0.
	OtherIncome *int64 `json:"other_income,omitempty"`
	// ChildSupportReceived is 養育費: money the applicant or the children
	// received that year from the other parent for the children's upkeep.
	ChildSupportReceived *int64 `json:"child_support_received,omitempty"`
	// Deductions are the deductions of the person's tax record for the year
	// that the programmes use. nil: not known. A Deductions value lists the
	// deductions that apply; what it does not list is none.
	Deductions *Deductions `json:"deductions,omitempty"`
}

// Deductions are the deductions (所得控除) a person's 所得・課税証明書 shows for
// one year, as far as the programmes use them. Zero means none.
type Deductions struct {
	// Medical is 医療費控除 (the セルフメディケーション税制 special case included).
	Medical int64 `json:"medical,omitempty"`
	// CasualtyLoss is 雑損控除.
	CasualtyLoss int64 `json:"casualty_loss,omitempty"`
	// SmallBusinessMutualAid is 小規模企業共済等掛金控除.
	SmallBusinessMutualAid int64 `json:"small_business_mutual_aid,omitempty"`
	// SpouseSpecial is 配偶者特別控除.
	SpouseSpecial int64 `json:"spouse_special,omitempty"`
	// Disabled is the number of people for whom 障害者控除 was taken (the
	// person, the 同一生計配偶者 or 扶養親族), 特別障害者 not included.
	Disabled int `json:"disabled,omitempty"`
	// SpecialDisabled is the number for whom 特別障害者控除 was taken
	// (同居特別障害者 included).
	SpecialDisabled int `json:"special_disabled,omitempty"`
	// WorkingStudent is true when 勤労学生控除 was taken.
	WorkingStudent bool `json:"working_student,omitempty"`
	// Widow is true when 寡婦控除 was taken.
	Widow bool `json:"widow,omitempty"`
	// SingleParent is true when ひとり親控除 was taken.
	SingleParent bool `json:"single_parent,omitempty"`
	// SocialInsurance is 社会保険料控除 (the 住民税 record's amount).
	SocialInsurance int64 `json:"social_insurance,omitempty"`
	// InsurancePremiums is 生命保険料控除 plus 地震保険料控除 (住民税 amounts).
	InsurancePremiums int64 `json:"insurance_premiums,omitempty"`
}

// Disability describes a person's disability certificate (障害者手帳) or says
// there is none.
type Disability struct {
	// Kind is the kind of certificate, or DisabilityNone.
	Kind DisabilityKind `json:"kind"`
	// Grade is the certificate's grade as printed: "1"–"7" for 身体障害者手帳
	// (級), "A", "A1", "A2", "B", "B1", "B2" for 療育手帳, "1度"–"4度" for
	// 東京都の愛の手帳, "1"–"3" for 精神障害者保健福祉手帳 (級).
	Grade string `json:"grade,omitempty"`
	// AllowanceLevel is true when the disability has been judged to reach
	// the level in the 児童扶養手当法施行令 別表第一 (for a child) — the
	// statutory test, which a certificate grade only approximates.
	AllowanceLevel *bool `json:"allowance_level,omitempty"`
	// SpecialChildGrade is the grade a child's disability has been judged
	// to reach for 特別児童扶養手当 (特別児童扶養手当等の支給に関する法律施行令
	// 別表第三: 1級 or 2級), or SpecialChildGradeNone. It is decided on a
	// 診断書, not by the certificate: a child without a certificate
	// (Kind other, e.g. a developmental disorder) may reach it.
	SpecialChildGrade *SpecialChildGrade `json:"special_child_grade,omitempty"`
	// ConstantCare is true when a child's disability has been judged so
	// severe that daily life needs constant care (日常生活において常時の介護を
	// 必要とする; 同施行令 別表第一, the level of 障害児福祉手当).
	ConstantCare *bool `json:"constant_care,omitempty"`
}

// Situation is the family situation that makes a household a single-parent
// household (児童扶養手当法 第4条 and 施行令 第1条の2).
type Situation string

// The family situations.
const (
	SituationDivorced          Situation = "divorced"            // 父母が婚姻を解消
	SituationBereaved          Situation = "bereaved"            // 父又は母が死亡
	SituationUnmarried         Situation = "unmarried"           // 婚姻によらないで懐胎
	SituationSpouseDisabled    Situation = "spouse_disabled"     // 父又は母が政令で定める程度の障害
	SituationSpouseMissing     Situation = "spouse_missing"      // 父又は母の生死が明らかでない
	SituationAbandoned         Situation = "abandoned"           // 父又は母が引き続き1年以上遺棄
	SituationDVProtectionOrder Situation = "dv_protection_order" // 父又は母が保護命令を受けた
	SituationSpouseDetained    Situation = "spouse_detained"     // 父又は母が引き続き1年以上拘禁
	SituationParentsUnknown    Situation = "parents_unknown"     // 父母ともに不明 (棄児等)
	SituationMarried           Situation = "married"             // 婚姻中 (none of the above)
	SituationOther             Situation = "other"
)

// ApplicantRole is whether the applicant is a parent or a caretaker.
type ApplicantRole string

// The applicant roles.
const (
	RoleParent    ApplicantRole = "parent"    // 父又は母
	RoleCaretaker ApplicantRole = "caretaker" // 養育者 (父母以外で児童を養育する者)
)

// Relation is a member's relation to the applicant (続柄).
type Relation string

// The relations.
const (
	RelationSelf    Relation = "self"    // 本人 (申請者)
	RelationChild   Relation = "child"   // 子 (the applicant's children and children raised by them)
	RelationSpouse  Relation = "spouse"  // 配偶者
	RelationParent  Relation = "parent"  // 父母 (the children's grandparents)
	RelationSibling Relation = "sibling" // 兄弟姉妹
	RelationOther   Relation = "other"   // その他
)

// Sex is a member's registered sex.
type Sex string

// School is where a person is enrolled (在学状況).
type School string

// The schools.
const (
	SchoolNone            School = "none"             // 在学していない
	SchoolChildcare       School = "childcare"        // 保育所・認定こども園・幼稚園・地域型保育など
	SchoolElementary      School = "elementary"       // 小学校・義務教育学校前期課程
	SchoolJuniorHigh      School = "junior_high"      // 中学校・義務教育学校後期課程・中等教育学校前期課程
	SchoolHighSchool      School = "high_school"      // 高等学校・中等教育学校後期課程・特別支援学校高等部・高専1〜3年・専修学校高等課程など
	SchoolHigherEducation School = "higher_education" // 大学・短期大学・高専4〜5年・専修学校専門課程（専門学校）
	SchoolOther           School = "other"
)

// HealthInsurance is a person's public medical insurance (医療保険).
type HealthInsurance string

// The kinds of medical insurance.
const (
	HealthNational          HealthInsurance = "national"           // 国民健康保険
	HealthEmployee          HealthInsurance = "employee"           // 健康保険・共済組合の被保険者（本人）
	HealthEmployeeDependent HealthInsurance = "employee_dependent" // 健康保険・共済組合の被扶養者
	HealthElderly           HealthInsurance = "elderly"            // 後期高齢者医療
	HealthNone              HealthInsurance = "none"               // 加入なし（生活保護の医療扶助など）
)

// PensionCategory is a person's 国民年金 被保険者の種別.
type PensionCategory string

// The categories.
const (
	PensionFirst  PensionCategory = "first"  // 第1号被保険者（自営業・無職・学生など）
	PensionSecond PensionCategory = "second" // 第2号被保険者（厚生年金・共済）
	PensionThird  PensionCategory = "third"  // 第3号被保険者（第2号の被扶養配偶者）
	PensionNone   PensionCategory = "none"   // 被保険者でない（20歳未満・60歳以上など）
)

// The sexes.
const (
	SexFemale Sex = "female"
	SexMale   Sex = "male"
)

// DisabilityKind is a kind of disability certificate.
type DisabilityKind string

// The disability kinds.
const (
	DisabilityNone         DisabilityKind = "none"
	DisabilityPhysical     DisabilityKind = "physical"     // 身体障害者手帳
	DisabilityIntellectual DisabilityKind = "intellectual" // 療育手帳・愛の手帳
	DisabilityMental       DisabilityKind = "mental"       // 精神障害者保健福祉手帳
	DisabilityOther        DisabilityKind = "other"
)

// SpecialChildGrade is the 特別児童扶養手当 grade of a child's disability.
type SpecialChildGrade string

// The grades.
const (
	SpecialChildGrade1    SpecialChildGrade = "1"    // 1級
	SpecialChildGrade2    SpecialChildGrade = "2"    // 2級
	SpecialChildGradeNone SpecialChildGrade = "none" // 該当しない
)

// Self returns the applicant, or nil if the household has none.
func (h *Household) Self() *Member {
	for i := range h.Members {
		if h.Members[i].Relation == RelationSelf {
			return &h.Members[i]
		}
	}
	return nil
}

// IncomeFor returns the member's income entry for the calendar year, or nil
// when the year is not known.
func (m *Member) IncomeFor(year int) *Income {
	for i := range m.Incomes {
		if m.Incomes[i].Year == year {
			return &m.Incomes[i]
		}
	}
	return nil
}
