package eligibility

import (
	"fmt"
	"regexp"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// checkHousehold checks what single fields cannot: one applicant, unique
// ids and income years, the municipality code's check digit.
func (d *factDecoder) checkHousehold(h *Household, n *docnode.Node, root docnode.Path) {
	membersNode := n.Get("members")
	selfCount := 0
	for i := range h.Members {
		m := &h.Members[i]
		mp := root.Key("members").Index(i)
		mn := membersNode.Items[i]
		if m.Relation == RelationSelf {
			selfCount++
			if selfCount == 2 {
				d.fail(mn.Get("relation"), mp.Key("relation"), "申請者（relation が \"self\" の世帯員）は1人だけにしてください")
			}
		}
		// At most MaxMembers members and MaxIncomes years: comparing
		// pairs is cheaper than building sets.
		if m.ID != "" {
			for j := 0; j < i; j++ {
				if h.Members[j].ID == m.ID {
					d.fail(mn.Get("id"), mp.Key("id"), "世帯員ID %q は members[%d] と重複しています", m.ID, j)
					break
				}
			}
		}
		for k := range m.Incomes {
			y := m.Incomes[k].Year
			for j := 0; j < k; j++ {
				if m.Incomes[j].Year == y {
					in := mn.Get("incomes").Items[k]
					d.fail(in.Get("year"), mp.Key("incomes").Index(k).Key("year"), "%d年分の所得が2回指定されています", y)
					break
				}
			}
		}
		if m.Disability != nil && m.Disability.Grade != "" {
			dn := mn.Get("disability")
			if msg := checkGrade(m.Disability.Kind, m.Disability.Grade); msg != "" {
				d.fail(dn.Get("grade"), mp.Key("disability").Key("grade"), "%s", msg)
			}
		}
	}
	if selfCount == 0 && len(h.Members) > 0 {
		d.fail(membersNode, root.Key("members"), "申請者（relation が \"self\" の世帯員）が必要です")
	}
	if h.MunicipalityCode != nil {
		if msg := checkMunicipalityCode(*h.MunicipalityCode); msg != "" {
			d.fail(n.Get("municipality_code"), root.Key("municipality_code"), "%s", msg)
		}
	}
	for i, id := range h.Receiving {
		if !programID.MatchString(id) {
			d.fail(n.Get("receiving").Items[i], root.Key("receiving").Index(i), "制度ID %q は英小文字・数字・ハイフンで書いてください（例: child-allowance）", id)
		}
	}
}

// checkMunicipalityCode checks a 全国地方公共団体コード (JIS X 0402 with the
// check digit of 総務省 「全国地方公共団体コード」: 11 − (Σ digit×weight mod
// 11), weights 6,5,4,3,2, where a remainder giving 10 or 11 is written as
// its last digit).
func checkMunicipalityCode(code string) string {
	if len(code) != 5 && len(code) != 6 {
		return fmt.Sprintf("市区町村コード %q は5桁または6桁の数字で指定してください", code)
	}
	sum := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return fmt.Sprintf("市区町村コード %q は数字だけで指定してください", code)
		}
		if i < 5 {
			sum += int(c-'0') * (6 - i)
		}
	}
	if code[0:2] < "01" || code[0:2] > "47" {
		return fmt.Sprintf("市区町村コード %q の都道府県コード（先頭2桁）は 01〜47 です", code)
	}
	if len(code) == 6 {
		check := (11 - sum%11) % 10
		if int(code[5]-'0') != check {
			return fmt.Sprintf("市区町村コード %q の検査数字が合いません（%s%d ではありませんか）", code, code[:5], check)
		}
	}
	return ""
}

var gradePatterns = map[DisabilityKind]*regexp.Regexp{
	DisabilityPhysical:     regexp.MustCompile(`^[1-7]$`),
	DisabilityIntellectual: regexp.MustCompile(`^(A|A1|A2|B|B1|B2|[1-4]度)$`),
	DisabilityMental:       regexp.MustCompile(`^[1-3]$`),
}

func checkGrade(kind DisabilityKind, grade string) string {
	if kind == DisabilityNone {
		return "障害者手帳がない（kind が \"none\"）のに等級が指定されています"
	}
	re, ok := gradePatterns[kind]
	if !ok || re.MatchString(grade) {
		return ""
	}
	switch kind {
	case DisabilityPhysical:
		return fmt.Sprintf("身体障害者手帳の等級 %q は \"1\"〜\"7\" で指定してください", grade)
	case DisabilityIntellectual:
		return fmt.Sprintf("療育手帳の判定 %q は A・A1・A2・B・B1・B2 または愛の手帳の \"1度\"〜\"4度\" で指定してください", grade)
	default:
		return fmt.Sprintf("精神障害者保健福祉手帳の等級 %q は \"1\"〜\"3\" で指定してください", grade)
	}
}
