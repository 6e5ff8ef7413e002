package eligibility

import (
	"fmt"
	"slices"
	"strings"
)

// The fact catalog: one description of every fact of the facts model — its
// JSON key, Japanese label, kind, allowed values and bounds. The strict
// decoder, the JSON Schema, the CEL type declarations and the labels of
// missing facts all come from it, so they cannot drift apart; forms and the
// chatbot read it to ask for a missing fact in words.

// FieldKind is the kind of value a fact holds.
type FieldKind uint8

// The field kinds.
const (
	KindString FieldKind = iota + 1
	KindBool
	KindYen  // whole yen, ≥ 0
	KindInt  // a whole number within Min..Max (a year, a grade area)
	KindDate // YYYY-MM-DD
	KindEnum // one of Enum
	KindList // a list of Elem (an object type) or of strings (Elem "")
	KindObject
	KindMap // Extra: string keys to scalars or lists of scalars
)

// EnumValue is one allowed value of an enum fact, with its Japanese label.
type EnumValue struct {
	Value string
	Label string
}

// FactField describes one fact.
type FactField struct {
	Key      string // JSON key, also the CEL field name
	Label    string // Japanese label shown to people (生年月日)
	Doc      string // English description for developers
	Kind     FieldKind
	Enum     []EnumValue // for KindEnum
	Elem     string      // for KindList/KindObject: the object type name
	Required bool
	Min, Max int64 // bounds for KindInt, KindYen (Max), KindString/KindList (length)
	// Question is how a form or the chatbot asks for the fact, in
	// Japanese: {who} stands for the member (あなた, お子さん（1人目）) and
	// {year} for the income year (2024年（令和6年）). "" for a fact that is
	// not asked of a resident.
	Question string
	// Category is the consent data category (consent.Category code:
	// identity, household, income_tax, support_in_use, health_disability)
	// under which a case record holds the fact; "" for a fact the record
	// does not hold as such (identifiers, the municipality code, which is
	// the record's tenant, and extra, whose local facts each carry their
	// own category in the record).
	Category string
}

// FactType describes one object type of the facts model.
type FactType struct {
	Name   string // Household, Member, Income, Disability
	Label  string
	Fields []FactField
}

// Field returns the field with the JSON key, or nil.
func (t *FactType) Field(key string) *FactField {
	for i := range t.Fields {
		if t.Fields[i].Key == key {
			return &t.Fields[i]
		}
	}
	return nil
}

// Size bounds of the facts model. The decoder refuses larger input, and the
// pack compiler uses the same bounds to estimate the worst-case cost of a
// rule, so an estimate is an upper bound for every household that decodes.
const (
	MaxMembers      = 20
	MaxIncomes      = 10 // income years per member
	MaxReceiving    = 50
	MaxExtra        = 50
	MaxStringLength = 200
	MaxIDLength     = 64
	MaxYen          = 100_000_000_000 // 1,000億円: far above any household, far below int64 overflow in sums
)

// FactTypes returns the facts model's object types, Household first. The
// result is a fresh copy the caller may keep.
func FactTypes() []FactType {
	return []FactType{
		{Name: "Household", Label: "世帯", Fields: []FactField{
			{Key: "id", Label: "世帯ID", Doc: "caller's identifier, echoed in outcomes", Kind: KindString, Max: MaxIDLength},
			{Key: "municipality_code", Label: "市区町村コード", Doc: "全国地方公共団体コード, 6 digits with check digit or 5 without", Kind: KindString, Max: 6},
			{Key: "situation", Label: "ひとり親になった事情", Doc: "family situation (支給要件)", Kind: KindEnum, Enum: slices.Clone(situationValues), Question: "ひとり親になった事情に近いものを選んでください。", Category: "household"},
			{Key: "applicant_role", Label: "申請者と子どもの関係（父母か養育者か）", Doc: "parent or caretaker (養育者)", Kind: KindEnum, Enum: slices.Clone(roleValues), Question: "お子さんとの関係は、父母ですか、父母に代わって育てている方（祖父母など）ですか？", Category: "household"},
			{Key: "de_facto_partner", Label: "事実婚の相手がいるか", Doc: "de-facto marriage (事実婚)", Kind: KindBool, Question: "事実上の婚姻関係にある方（事実婚の相手）はいますか？", Category: "household"},
			{Key: "grade_area", Label: "級地", Doc: "級地 of the municipality (1–3)", Kind: KindInt, Min: 1, Max: 3, Category: "identity"},
			{Key: "members", Label: "世帯員", Doc: "the people of the household, applicant included", Kind: KindList, Elem: "Member", Required: true, Min: 1, Max: MaxMembers},
			{Key: "receiving", Label: "利用中の制度", Doc: "ids of programmes already received", Kind: KindList, Max: MaxReceiving, Question: "いま受けている手当や支援を教えてください。", Category: "support_in_use"},
			{Key: "extra", Label: "地域独自の項目", Doc: "local facts for local packs", Kind: KindMap, Max: MaxExtra},
		}},
		{Name: "Member", Label: "世帯員", Fields: []FactField{
			{Key: "id", Label: "世帯員ID", Doc: "identifier within the household", Kind: KindString, Max: MaxIDLength},
			{Key: "relation", Label: "続柄", Doc: "relation to the applicant", Kind: KindEnum, Enum: slices.Clone(relationValues), Required: true, Category: "household"},
			{Key: "birth_date", Label: "生年月日", Doc: "date of birth", Kind: KindDate, Question: "{who}の生年月日を教えてください（例: 2015-05-01、平成27年5月1日）。", Category: "identity"},
			{Key: "sex", Label: "性別", Doc: "registered sex", Kind: KindEnum, Enum: slices.Clone(sexValues), Question: "{who}の性別を選んでください。", Category: "identity"},
			{Key: "disability", Label: "障害の状況", Doc: "disability certificate, or kind none", Kind: KindObject, Elem: "Disability", Question: "{who}は障害者手帳をお持ちですか？", Category: "health_disability"},
			{Key: "lives_with", Label: "同居しているか", Doc: "lives with the applicant (同居)", Kind: KindBool, Question: "{who}はあなたと一緒に暮らしていますか？", Category: "household"},
			{Key: "same_livelihood", Label: "生計を同じくしているか", Doc: "shares the applicant's livelihood", Kind: KindBool, Question: "{who}はあなたと生計を同じくしていますか？", Category: "household"},
			{Key: "supported", Label: "生活費を負担しているか", Doc: "the applicant bears the member's costs (経済的負担)", Kind: KindBool, Question: "{who}の生活費を、あなたが負担していますか？", Category: "household"},
			{Key: "in_facility", Label: "施設入所・里親委託の有無", Doc: "lives in a 児童福祉施設 or with a 里親", Kind: KindBool, Question: "{who}は児童福祉施設に入所しているか、里親に預けられていますか？", Category: "household"},
			{Key: "resides_in_japan", Label: "日本国内に住所があるか", Doc: "domicile in Japan", Kind: KindBool, Question: "{who}は日本国内に住所がありますか？", Category: "identity"},
			{Key: "school", Label: "在学状況", Doc: "where the member is enrolled", Kind: KindEnum, Enum: slices.Clone(schoolValues), Question: "{who}はどこに在学していますか？", Category: "household"},
			{Key: "school_private", Label: "私立の学校・施設か", Doc: "the school is private (私立)", Kind: KindBool, Question: "{who}の学校・施設は私立ですか？", Category: "household"},
			{Key: "health_insurance", Label: "加入している医療保険", Doc: "public medical insurance", Kind: KindEnum, Enum: slices.Clone(healthInsuranceValues), Question: "{who}が加入している医療保険を選んでください。", Category: "support_in_use"},
			{Key: "pension_category", Label: "国民年金の被保険者の種別", Doc: "国民年金 被保険者の種別", Kind: KindEnum, Enum: slices.Clone(pensionCategoryValues), Question: "{who}の国民年金の種別を選んでください。", Category: "support_in_use"},
			{Key: "incomes", Label: "所得", Doc: "income per calendar year", Kind: KindList, Elem: "Income", Max: MaxIncomes, Question: "{who}に{year}の収入（給与・年金・事業など）はありましたか？", Category: "income_tax"},
		}},
		{Name: "Income", Label: "所得", Fields: []FactField{
			{Key: "year", Label: "年分", Doc: "calendar year of income", Kind: KindInt, Required: true, Min: 1989, Max: 2100, Category: "income_tax"},
			{Key: "salary_revenue", Label: "給与収入", Doc: "給与収入 (支払金額)", Kind: KindYen, Max: MaxYen, Question: "{who}の{year}の給与の収入（源泉徴収票の「支払金額」、税込みの年額）は、いくらでしたか？", Category: "income_tax"},
			{Key: "pension_revenue", Label: "公的年金等の収入", Doc: "公的年金等の収入金額", Kind: KindYen, Max: MaxYen, Question: "{who}の{year}の公的年金等の収入（遺族年金・障害年金を除く年額）は、いくらでしたか？", Category: "income_tax"},
			{Key: "business_income", Label: "事業所得", Doc: "事業所得 (収入 − 必要経費)", Kind: KindYen, Max: MaxYen, Question: "{who}の{year}の事業の所得（売上から経費を引いた額）は、いくらでしたか？", Category: "income_tax"},
			{Key: "other_income", Label: "その他の所得", Doc: "不動産・配当・雑所得(年金以外) etc.", Kind: KindYen, Max: MaxYen, Question: "{who}の{year}のそのほかの所得（不動産・配当など）は、いくらでしたか？", Category: "income_tax"},
			{Key: "child_support_received", Label: "受け取った養育費", Doc: "養育費 received in the year", Kind: KindYen, Max: MaxYen, Question: "{who}が{year}に受け取った養育費の合計（お子さんのために受け取った分を含む）は、いくらでしたか？", Category: "income_tax"},
			{Key: "deductions", Label: "所得控除（課税証明書の控除欄）", Doc: "deductions of the tax record; unlisted ones are none", Kind: KindObject, Elem: "Deductions", Question: "{who}の{year}分の所得控除で、医療費控除・障害者控除・勤労学生控除などはありましたか？（社会保険料控除・基礎控除などは含みません）", Category: "income_tax"},
		}},
		{Name: "Deductions", Label: "所得控除", Fields: []FactField{
			{Key: "medical", Label: "医療費控除", Doc: "医療費控除", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
			{Key: "casualty_loss", Label: "雑損控除", Doc: "雑損控除", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
			{Key: "small_business_mutual_aid", Label: "小規模企業共済等掛金控除", Doc: "小規模企業共済等掛金控除", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
			{Key: "spouse_special", Label: "配偶者特別控除", Doc: "配偶者特別控除", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
			{Key: "disabled", Label: "障害者控除の対象人数", Doc: "people for whom 障害者控除 was taken", Kind: KindInt, Min: 0, Max: MaxMembers, Category: "income_tax"},
			{Key: "special_disabled", Label: "特別障害者控除の対象人数", Doc: "people for whom 特別障害者控除 was taken", Kind: KindInt, Min: 0, Max: MaxMembers, Category: "income_tax"},
			{Key: "working_student", Label: "勤労学生控除", Doc: "勤労学生控除 taken", Kind: KindBool, Category: "income_tax"},
			{Key: "widow", Label: "寡婦控除", Doc: "寡婦控除 taken", Kind: KindBool, Category: "income_tax"},
			{Key: "single_parent", Label: "ひとり親控除", Doc: "ひとり親控除 taken", Kind: KindBool, Category: "income_tax"},
			{Key: "social_insurance", Label: "社会保険料控除", Doc: "社会保険料控除 (住民税の額)", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
			{Key: "insurance_premiums", Label: "生命保険料控除・地震保険料控除", Doc: "生命保険料控除 + 地震保険料控除 (住民税の額)", Kind: KindYen, Max: MaxYen, Category: "income_tax"},
		}},
		{Name: "Disability", Label: "障害の状況", Fields: []FactField{
			{Key: "kind", Label: "障害者手帳の種類", Doc: "certificate kind, or none", Kind: KindEnum, Enum: slices.Clone(disabilityValues), Required: true, Category: "health_disability"},
			{Key: "grade", Label: "障害の等級", Doc: "grade as printed on the certificate", Kind: KindString, Max: 16, Question: "{who}の障害者手帳の等級（程度）を教えてください（例: 2、A、B）。", Category: "health_disability"},
			{Key: "allowance_level", Label: "児童扶養手当法施行令別表第一の程度に該当するか", Doc: "judged to reach the statutory level", Kind: KindBool, Question: "{who}の障害は、手当の対象となる程度と認められていますか（診断書で判定されます）？", Category: "health_disability"},
			{Key: "special_child_grade", Label: "特別児童扶養手当の障害の等級（1級・2級）", Doc: "特別児童扶養手当 grade judged on a 診断書 (施行令別表第三)", Kind: KindEnum, Enum: slices.Clone(specialChildGradeValues), Question: "{who}の障害は、特別児童扶養手当の1級・2級と認められていますか（診断書で判定されます）？", Category: "health_disability"},
			{Key: "constant_care", Label: "日常生活に常時の介護を要する程度の障害か（障害児福祉手当）", Doc: "judged to need constant care (障害児福祉手当)", Kind: KindBool, Question: "{who}は、日常生活で常に介護が必要な程度の障害と認められていますか（障害児福祉手当。診断書で判定されます）？", Category: "health_disability"},
		}},
	}
}

var (
	situationValues = []EnumValue{
		{string(SituationDivorced), "離婚"},
		{string(SituationBereaved), "死別"},
		{string(SituationUnmarried), "未婚"},
		{string(SituationSpouseDisabled), "配偶者に重度の障害"},
		{string(SituationSpouseMissing), "配偶者の生死不明"},
		{string(SituationAbandoned), "配偶者から1年以上遺棄"},
		{string(SituationDVProtectionOrder), "配偶者に保護命令"},
		{string(SituationSpouseDetained), "配偶者が1年以上拘禁"},
		{string(SituationParentsUnknown), "父母ともに不明"},
		{string(SituationMarried), "婚姻中"},
		{string(SituationOther), "その他"},
	}
	roleValues = []EnumValue{
		{string(RoleParent), "父又は母"},
		{string(RoleCaretaker), "養育者"},
	}
	relationValues = []EnumValue{
		{string(RelationSelf), "本人"},
		{string(RelationChild), "子"},
		{string(RelationSpouse), "配偶者"},
		{string(RelationParent), "父母（子の祖父母）"},
		{string(RelationSibling), "兄弟姉妹"},
		{string(RelationOther), "その他"},
	}
	sexValues = []EnumValue{
		{string(SexFemale), "女性"},
		{string(SexMale), "男性"},
	}
	schoolValues = []EnumValue{
		{string(SchoolNone), "在学していない"},
		{string(SchoolChildcare), "保育所・認定こども園・幼稚園など"},
		{string(SchoolElementary), "小学校"},
		{string(SchoolJuniorHigh), "中学校"},
		{string(SchoolHighSchool), "高等学校・高専（1〜3年）・特別支援学校高等部など"},
		{string(SchoolHigherEducation), "大学・短大・高専（4〜5年）・専門学校"},
		{string(SchoolOther), "その他"},
	}
	healthInsuranceValues = []EnumValue{
		{string(HealthNational), "国民健康保険"},
		{string(HealthEmployee), "健康保険・共済組合（本人）"},
		{string(HealthEmployeeDependent), "健康保険・共済組合（被扶養者）"},
		{string(HealthElderly), "後期高齢者医療"},
		{string(HealthNone), "加入なし（生活保護など）"},
	}
	pensionCategoryValues = []EnumValue{
		{string(PensionFirst), "第1号被保険者（自営業・無職・学生など）"},
		{string(PensionSecond), "第2号被保険者（会社員・公務員）"},
		{string(PensionThird), "第3号被保険者（第2号の被扶養配偶者）"},
		{string(PensionNone), "被保険者でない"},
	}
	specialChildGradeValues = []EnumValue{
		{string(SpecialChildGrade1), "1級"},
		{string(SpecialChildGrade2), "2級"},
		{string(SpecialChildGradeNone), "該当しない"},
	}
	disabilityValues = []EnumValue{
		{string(DisabilityNone), "なし"},
		{string(DisabilityPhysical), "身体障害者手帳"},
		{string(DisabilityIntellectual), "療育手帳（愛の手帳）"},
		{string(DisabilityMental), "精神障害者保健福祉手帳"},
		{string(DisabilityOther), "その他"},
	}
)

// factIndex gives quick access to the catalog by type name.
type factIndex map[string]*FactType

func newFactIndex() factIndex {
	types := FactTypes()
	idx := make(factIndex, len(types))
	for i := range types {
		idx[types[i].Name] = &types[i]
	}
	return idx
}

// factsMarkdown is the table of the facts model in docs/rules.md §5.
func factsMarkdown() string {
	var b strings.Builder
	for i, t := range FactTypes() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "**%s（%s）**\n\n| 項目 | 意味 | 型 |\n|---|---|---|\n", t.Name, t.Label)
		for _, f := range t.Fields {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Key, f.Label, kindDocName(f))
		}
	}
	return b.String()
}

func kindDocName(f FactField) string {
	switch f.Kind {
	case KindString:
		return "文字列"
	case KindBool:
		return "真偽値"
	case KindYen:
		return "円"
	case KindInt:
		return "整数"
	case KindDate:
		return "日付"
	case KindEnum:
		vals := make([]string, len(f.Enum))
		for i, ev := range f.Enum {
			vals[i] = fmt.Sprintf("`%s`（%s）", ev.Value, ev.Label)
		}
		return "文字列（選択肢）: " + strings.Join(vals, "、")
	case KindList:
		if f.Elem == "" {
			return "リスト"
		}
		return "リスト（" + f.Elem + "）"
	case KindObject:
		return "オブジェクト（" + f.Elem + "）"
	case KindMap:
		return "マップ"
	}
	return "?"
}
