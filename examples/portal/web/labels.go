package web

import (
	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/eligibility"
)

// Japanese labels of the record's codes, for staff pages.

func lookup(table map[string]string, code string) string {
	if l, ok := table[code]; ok {
		return l
	}
	return code
}

var relationLabels = map[string]string{"self": "本人", "child": "子", "spouse": "配偶者", "parent": "父母", "sibling": "兄弟姉妹", "other": "その他"}

var contactTypeLabels = map[string]string{"phone": "電話", "mobile": "携帯電話", "email": "メール", "line": "LINE", "post": "郵便"}

var supportStatusLabels = map[string]string{"receiving": "受給中", "applied": "申請中", "suspended": "停止中", "ended": "終了"}

var caseStatusLabels = map[string]string{"open": "対応中", "monitoring": "見守り", "closed": "終結"}

var taskStatusLabels = map[string]string{"todo": "未着手", "doing": "対応中", "done": "完了", "cancelled": "取消"}

var intakeLabels = map[string]string{"counter": "窓口", "form": "入力フォーム", "chatbot": "チャット", "referral": "紹介", "outreach": "アウトリーチ"}

var sexLabels = map[string]string{"female": "女性", "male": "男性"}

var disabilityLabels = map[string]string{"none": "なし", "physical": "身体障害者手帳", "intellectual": "療育手帳", "mental": "精神障害者保健福祉手帳", "other": "その他"}

var situationLabels = map[string]string{
	"divorced": "離婚", "bereaved": "死別", "unmarried": "未婚", "spouse_disabled": "配偶者に重い障害",
	"spouse_missing": "配偶者の生死不明", "abandoned": "遺棄", "dv_protection_order": "保護命令",
	"spouse_detained": "配偶者の拘禁", "parents_unknown": "父母不明", "married": "婚姻中", "other": "その他",
}

var incomeKindLabels = map[string]string{
	"salary_revenue": "給与収入", "pension_revenue": "公的年金等の収入", "business_income": "事業所得",
	"other_income": "その他の所得", "child_support_received": "養育費", "deductions_none": "所得控除なし",
}

// programName names a programme id of the packs.
func (a *App) programName(id string) string {
	for _, p := range a.engine.Programs() {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

func topicLabels(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = casefile.TopicLabel(c)
	}
	return out
}

func yenText(s string) string {
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return s
		}
		n = n*10 + int64(r-'0')
	}
	return eligibility.FormatYen(n)
}
