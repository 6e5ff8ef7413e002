package eligibility

import (
	"fmt"

	"github.com/onestop-jp/onestop/internal/docnode"
)

// factPositions says where the facts householdProblems looks at were written:
// the tree decoder reads its nodes, the fast decoder the marks it kept. A
// zero Pos means not known.
type factPositions interface {
	members() docnode.Pos
	member(i int, key string) docnode.Pos // the value of members[i].relation, .id
	incomeYear(i, k int) docnode.Pos
	disabilityGrade(i int) docnode.Pos
	household(key string) docnode.Pos // the value of municipality_code
	receiving(i int) docnode.Pos
}

// nodePositions finds positions in a document tree.
type nodePositions struct{ n *docnode.Node }

func nodePos(n *docnode.Node) docnode.Pos {
	if n == nil {
		return docnode.Pos{}
	}
	return n.Pos
}

func (p nodePositions) members() docnode.Pos { return nodePos(p.n.Get("members")) }
func (p nodePositions) member(i int, key string) docnode.Pos {
	return nodePos(p.n.Get("members").Items[i].Get(key))
}
func (p nodePositions) incomeYear(i, k int) docnode.Pos {
	return nodePos(p.n.Get("members").Items[i].Get("incomes").Items[k].Get("year"))
}
func (p nodePositions) disabilityGrade(i int) docnode.Pos {
	return nodePos(p.n.Get("members").Items[i].Get("disability").Get("grade"))
}
func (p nodePositions) household(key string) docnode.Pos { return nodePos(p.n.Get(key)) }
func (p nodePositions) receiving(i int) docnode.Pos {
	return nodePos(p.n.Get("receiving").Items[i])
}

// householdProblems checks what single fields cannot: one applicant,
// unique ids and income years, the municipality code's check digit. It
// appends to errs (at most maxFactErrors).
func householdProblems(errs []FactError, h *Household, at factPositions) []FactError {
	fail := func(pos docnode.Pos, path docnode.Path, msg string) {
		if len(errs) < maxFactErrors {
			errs = append(errs, FactError{Path: path.String(), Line: pos.Line, Col: pos.Col, Message: msg})
		}
	}
	var root docnode.Path
	selfCount := 0
	for i := range h.Members {
		m := &h.Members[i]
		mp := root.Key("members").Index(i)
		if m.Relation == RelationSelf {
			selfCount++
			if selfCount == 2 {
				fail(at.member(i, "relation"), mp.Key("relation"), "申請者（relation が \"self\" の世帯員）は1人だけにしてください")
			}
		}
		// At most MaxMembers members and MaxIncomes years: comparing
		// pairs is cheaper than building sets.
		if m.ID != "" {
			for j := 0; j < i; j++ {
				if h.Members[j].ID == m.ID {
					fail(at.member(i, "id"), mp.Key("id"), fmt.Sprintf("世帯員ID %q は members[%d] と重複しています", m.ID, j))
					break
				}
			}
		}
		for k := range m.Incomes {
			y := m.Incomes[k].Year
			for j := 0; j < k; j++ {
				if m.Incomes[j].Year == y {
					fail(at.incomeYear(i, k), mp.Key("incomes").Index(k).Key("year"), fmt.Sprintf("%d年分の所得が2回指定されています", y))
					break
				}
			}
		}
		if m.Disability != nil && m.Disability.Grade != "" {
			if msg := checkGrade(m.Disability.Kind, m.Disability.Grade); msg != "" {
				fail(at.disabilityGrade(i), mp.Key("disability").Key("grade"), msg)
			}
		}
	}
	if selfCount == 0 && len(h.Members) > 0 {
		fail(at.members(), root.Key("members"), "申請者（relation が \"self\" の世帯員）が必要です")
	}
	if h.MunicipalityCode != nil {
		if msg := checkMunicipalityCode(*h.MunicipalityCode); msg != "" {
			fail(at.household("municipality_code"), root.Key("municipality_code"), msg)
		}
	}
	for i, id := range h.Receiving {
		if !isProgramID(id) {
			fail(at.receiving(i), root.Key("receiving").Index(i), fmt.Sprintf("制度ID %q は英小文字・数字・ハイフンで書いてください（例: child-allowance）", id))
		}
	}
	return errs
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

// validGrade reports whether grade is written as a disability card of
// kind writes its grade (kinds without a form accept any grade):
// 身体 "1"〜"7", 療育 A・A1・A2・B・B1・B2 or 愛の手帳 "1度"〜"4度", 精神 "1"〜"3".
func validGrade(kind DisabilityKind, grade string) bool {
	switch kind {
	case DisabilityPhysical:
		return len(grade) == 1 && grade[0] >= '1' && grade[0] <= '7'
	case DisabilityIntellectual:
		switch grade {
		case "A", "A1", "A2", "B", "B1", "B2", "1度", "2度", "3度", "4度":
			return true
		}
		return false
	case DisabilityMental:
		return len(grade) == 1 && grade[0] >= '1' && grade[0] <= '3'
	}
	return true
}

func checkGrade(kind DisabilityKind, grade string) string {
	if kind == DisabilityNone {
		return "障害者手帳がない（kind が \"none\"）のに等級が指定されています"
	}
	if validGrade(kind, grade) {
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
