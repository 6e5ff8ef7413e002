package casefile

// Code tables: stable ASCII codes stored and exchanged, with the Japanese
// labels reports and screens show.

// Label is a code with its Japanese label.
type Label struct {
	Code string
	Name string
}

// Topics of consultations (相談内容), following the model programme's
// categories.
var topicTable = []Label{
	{"childcare", "子育て"},
	{"housing", "住まい"},
	{"medical", "医療・健康"},
	{"employment", "就業・労働"},
	{"care", "介護"},
	{"living", "生活・家計"},
	{"child_support", "養育費"},
	{"education", "教育・進学"},
	{"legal", "法律相談"},
	{"dv", "DV・暴力"},
	{"other", "その他"},
}

// Channels of consultations (相談方法).
var channelTable = []Label{
	{"counter", "窓口"},
	{"phone", "電話"},
	{"visit", "訪問"},
	{"online", "オンライン面談"},
	{"chatbot", "チャットボット"},
	{"web_form", "入力フォーム"}, // forms: what the family wrote in the input form
	{"line", "LINE"},
	{"email", "メール"},
	{"outreach", "アウトリーチ"},
}

// Kinds of case conferences.
var conferenceKindTable = []Label{
	{"internal_coordination", "庁内調整会議"},
	{"child_protection_council", "要保護児童対策地域協議会（要対協）"},
	{"support_meeting", "支援会議"},
	{"individual_case_meeting", "個別ケース会議"},
}

var caseStatusTable = []Label{{"open", "対応中"}, {"monitoring", "見守り"}, {"closed", "終結"}}
var taskStatusTable = []Label{{"todo", "未着手"}, {"doing", "対応中"}, {"done", "完了"}, {"cancelled", "取消"}}
var supportStatusTable = []Label{{"receiving", "受給中"}, {"applied", "申請中"}, {"suspended", "停止中"}, {"ended", "終了"}}
var measureStatusTable = []Label{{"planned", "予定"}, {"active", "実施中"}, {"done", "完了"}, {"stopped", "中止"}}
var contactTypeTable = []Label{{"phone", "電話"}, {"mobile", "携帯電話"}, {"email", "メール"}, {"line", "LINE"}, {"post", "郵便"}}

// Relationship codes (続柄) to the case subject; the same codes as the
// eligibility facts model.
var relationTable = []Label{{"self", "本人"}, {"child", "子"}, {"spouse", "配偶者"}, {"parent", "父母"}, {"sibling", "兄弟姉妹"}, {"other", "その他"}}

// External identifier systems. 個人番号 is deliberately absent.
var idSystemTable = []Label{
	{"atena", "宛名番号"},
	{"atena_nonresident", "住登外者宛名番号"},
	{"setai", "世帯番号"},
	{"vendor", "業者システム番号"},
}

// Income kinds, named as in the eligibility facts model (whole yen). The
// deduction kinds are the 控除欄 of a 所得・課税証明書: the counts
// (disability_deduction_count …) hold a number of people, the flags
// (working_student_deduction …) 1 when taken, and deductions_none records
// that the year's 控除欄 has none of them. A year with any deduction kind
// recorded is taken as its whole 控除欄.
var incomeKindTable = []Label{
	{"salary_revenue", "給与収入"},
	{"pension_revenue", "公的年金等の収入金額"},
	{"business_income", "事業所得"},
	{"other_income", "その他の所得"},
	{"child_support_received", "養育費"},
	{"medical_expense_deduction", "医療費控除"},
	{"casualty_loss_deduction", "雑損控除"},
	{"small_business_mutual_aid_deduction", "小規模企業共済等掛金控除"},
	{"spouse_special_deduction", "配偶者特別控除"},
	{"disability_deduction_count", "障害者控除の対象人数"},
	{"special_disability_deduction_count", "特別障害者控除の対象人数"},
	{"working_student_deduction", "勤労学生控除（1: あり）"},
	{"widow_deduction", "寡婦控除（1: あり）"},
	{"single_parent_deduction", "ひとり親控除（1: あり）"},
	{"social_insurance_deduction", "社会保険料控除"},
	{"insurance_premiums_deduction", "生命保険料控除・地震保険料控除"},
	{"deductions_none", "所得控除なし（控除欄に該当なし）"},
}

func inTable(t []Label, code string) bool {
	for _, l := range t {
		if l.Code == code {
			return true
		}
	}
	return false
}

func labelIn(t []Label, code string) string {
	for _, l := range t {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

func codesOf(t []Label) []Label { return append([]Label(nil), t...) }

// Topics returns the consultation topic codes and labels.
func Topics() []Label { return codesOf(topicTable) }

// Channels returns the consultation channel codes and labels.
func Channels() []Label { return codesOf(channelTable) }

// ConferenceKinds returns the case conference kinds.
func ConferenceKinds() []Label { return codesOf(conferenceKindTable) }

// TopicLabel returns the Japanese label of a topic code.
func TopicLabel(code string) string { return labelIn(topicTable, code) }

// ChannelLabel returns the Japanese label of a channel code.
func ChannelLabel(code string) string { return labelIn(channelTable, code) }
