package income

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// Role is the position of the person whose income is measured, relative to
// the allowance. It decides whether 養育費 is added and whether 寡婦控除 /
// ひとり親控除 are deducted.
type Role uint8

const (
	// RoleParent is a 受給資格者 who is the child's mother or father (母・父).
	// 養育費 received from the other parent is added; 寡婦控除 and ひとり親控除
	// are not deducted under the 児童扶養手当 measure.
	RoleParent Role = iota + 1
	// RoleCaretaker is a 受給資格者 who is not a parent (養育者, e.g. a
	// grandparent raising the child in the parents' place).
	RoleCaretaker
	// RoleSpouse is the 受給資格者's spouse (配偶者).
	RoleSpouse
	// RoleLiableRelative is a 扶養義務者 living in the same livelihood (a lineal
	// relative or sibling, typically a grandparent).
	RoleLiableRelative
)

func (r Role) String() string {
	switch r {
	case RoleParent:
		return "受給資格者（父母）"
	case RoleCaretaker:
		return "受給資格者（養育者）"
	case RoleSpouse:
		return "配偶者"
	case RoleLiableRelative:
		return "扶養義務者"
	default:
		return fmt.Sprintf("Role(%d)", uint8(r))
	}
}

// WidowRule says when a measure deducts 寡婦控除 and ひとり親控除.
type WidowRule uint8

const (
	// WidowNotForParents deducts them for everyone except RoleParent
	// (児童扶養手当: a parent recipient's single-parenthood is the reason for
	// the allowance, so it is not deducted again).
	WidowNotForParents WidowRule = iota
	// WidowAlways deducts them for every role (東京都 児童育成手当).
	WidowAlways
	// WidowNever never deducts them.
	WidowNever
)

// Measure is an income measure (所得額) of a programme: which elements it
// adds and deducts, and the fixed amounts. Build one from a preset
// (ChildRearingAllowance, TokyoSingleParentMedical, TokyoChildUpbringing,
// SpecialChildAllowance) and
// change fields for a local variant; Validate before use in a pack.
type Measure struct {
	Name string // Japanese programme name, shown in steps

	// FlatDeduction is the 社会保険料相当額 deducted from everyone (80,000).
	FlatDeduction int64
	// ChildSupportPercent of the 養育費 received by a parent is added,
	// rounded half up to the yen (0 disables).
	ChildSupportPercent int64
	// SalaryPensionAdjustment is deducted from the total of 給与所得 and
	// 公的年金等に係る雑所得 (at most that total) for income years from
	// 令和2年分 (0 disables).
	SalaryPensionAdjustment int64
	// StatutoryDeductions enables 雑損控除, 医療費控除, 小規模企業共済等掛金控除 and
	// 配偶者特別控除 (the amounts given in the input) and the fixed 障害者 /
	// 特別障害者 / 勤労学生 amounts below.
	StatutoryDeductions bool
	Disabled            int64 // per 障害者 (270,000)
	SpecialDisabled     int64 // per 特別障害者 (400,000)
	WorkingStudent      int64 // 勤労学生 (270,000)
	// Widow decides when WidowAmount / SingleParentAmount are deducted.
	Widow              WidowRule
	WidowAmount        int64 // 寡婦控除 (270,000)
	SingleParentAmount int64 // ひとり親控除 (350,000)

	Source Source
}

// ChildRearingAllowance is the 所得額 of 児童扶養手当 (児童扶養手当法施行令
// 第3条・第4条): 総所得金額等 + 80 % of 養育費 (parent only) − 80,000 − up to
// 100,000 from 給与所得 and 公的年金等に係る雑所得 − 諸控除 (寡婦・ひとり親 only for
// a non-parent).
//
// Status: 8万円 and the 8割 rounded half up, confirmed (施行令 第4条, 2017 text);
// the 10万円 from the total of 給与所得 and 公的年金等に係る雑所得, confirmed for
// 児童手当 (大井町: "その合計額から10万円を控除") and in effect for 児童扶養手当
// (平戸市 worked example); 障害者 27万 / 特別障害者 40万 / 勤労学生 27万 and
// 寡婦 27万 / ひとり親 35万 only for 扶養義務者 etc., confirmed on municipal
// tables (武蔵村山市, 多賀城市); no separate 同居特別障害者 amount appears in
// any of them. The article text of 第4条 as amended in 令和2年 was not read.
func ChildRearingAllowance() Measure {
	return Measure{
		Name:                    "児童扶養手当",
		FlatDeduction:           80_000,
		ChildSupportPercent:     80,
		SalaryPensionAdjustment: 100_000,
		StatutoryDeductions:     true,
		Disabled:                270_000,
		SpecialDisabled:         400_000,
		WorkingStudent:          270_000,
		Widow:                   WidowNotForParents,
		WidowAmount:             270_000,
		SingleParentAmount:      350_000,
		Source:                  srcCRAOrder,
	}
}

// TokyoSingleParentMedical is the 所得 of 東京都 ひとり親家庭等医療費助成
// (マル親): 所得 − 80,000 − 100,000 from 給与所得・公的年金等 + 80 % of 養育費
// − 諸控除, as for 児童扶養手当. Confirmed: 世田谷区 (https://www.city.setagaya.lg.jp/kyoutsu/kodomo/1325.html:
// "本人の所得に養育費の8割が加算されます。所得合計額から社会保険料控除相当額である
// 一律8万円を控除します。給与所得又は公的年金等所得がある方は、所得合計額から一律10万円を
// 控除します。"), 大島町 (8万円・8割); the 諸控除 follow 目黒区's table, which
// lists the programme with 児童扶養手当.
func TokyoSingleParentMedical() Measure {
	m := ChildRearingAllowance()
	m.Name = "ひとり親家庭等医療費助成（東京都）"
	m.Source = srcTokyoDeductions
	return m
}

// TokyoChildUpbringing is the 所得 of 東京都 児童育成手当: like 児童扶養手当
// but without 養育費 and with 寡婦控除 / ひとり親控除 deducted for everyone.
// Status: public code only (OpenFisca-Japan); not confirmed on an official page.
func TokyoChildUpbringing() Measure {
	m := ChildRearingAllowance()
	m.Name = "児童育成手当（東京都）"
	m.ChildSupportPercent = 0
	m.Widow = WidowAlways
	m.Source = srcTokyoDeductions
	return m
}

// SpecialChildAllowance is the 所得額 of 特別児童扶養手当 and 障害児福祉手当
// (特別児童扶養手当等の支給に関する法律施行令): like 児童扶養手当 — 所得 − 80,000
// − up to 100,000 from 給与所得・公的年金等 − 諸控除 — but without 養育費 and
// with 寡婦控除 / ひとり親控除 deducted for every role.
//
// Status: no 養育費 confirmed (目黒区: the 8割 of 養育費 is added only for
// 児童扶養手当 and ひとり親家庭等医療費助成); 寡婦控除 among the deductions
// confirmed (厚生労働省「特別児童扶養手当について」: "所得額は…医療費控除、障害者
// 控除及び寡婦控除等の額を差し引いた額"); the fixed amounts follow the
// 児童扶養手当 table, not read for this allowance on an official page.
func SpecialChildAllowance() Measure {
	m := ChildRearingAllowance()
	m.Name = "特別児童扶養手当・障害児福祉手当"
	m.ChildSupportPercent = 0
	m.Widow = WidowAlways
	m.Source = srcSpecialChildDeductions
	return m
}

// Validate reports a measure that cannot be computed with (negative amounts,
// a percentage outside 0–100, an unknown WidowRule).
func (m Measure) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"FlatDeduction", m.FlatDeduction}, {"SalaryPensionAdjustment", m.SalaryPensionAdjustment},
		{"Disabled", m.Disabled}, {"SpecialDisabled", m.SpecialDisabled}, {"WorkingStudent", m.WorkingStudent},
		{"WidowAmount", m.WidowAmount}, {"SingleParentAmount", m.SingleParentAmount},
	} {
		if f.v < 0 || f.v > maxFixedAmount {
			return &InputError{Field: "Measure." + f.name, Reason: fmt.Sprintf("must be 0..%d yen, got %d", maxFixedAmount, f.v)}
		}
	}
	if m.ChildSupportPercent < 0 || m.ChildSupportPercent > 100 {
		return &InputError{Field: "Measure.ChildSupportPercent", Reason: fmt.Sprintf("must be 0..100, got %d", m.ChildSupportPercent)}
	}
	if m.Widow > WidowNever {
		return &InputError{Field: "Measure.Widow", Reason: fmt.Sprintf("unknown rule %d", m.Widow)}
	}
	return nil
}

// maxFixedAmount bounds each fixed amount of a measure and each deduction
// input, so that no sum of them can overflow int64.
const maxFixedAmount = 1_000_000_000_000 // 1兆円

// maxPersons bounds the 障害者 counts.
const maxPersons = 100

// MeasureInput is one person's facts for an income measure, for one income
// year. Deduction amounts are those allowed for 住民税 (the measure follows
// 地方税法 for them).
type MeasureInput struct {
	Year     int
	Role     Role
	Earnings Earnings
	// ChildSupport is the 養育費 received in the year by a parent from the
	// child's other parent (money and other economic benefits for the child).
	// Only for RoleParent.
	ChildSupport int64

	CasualtyLoss           int64 // 雑損控除額
	Medical                int64 // 医療費控除額
	SmallBusinessMutualAid int64 // 小規模企業共済等掛金控除額
	SpouseSpecial          int64 // 配偶者特別控除額

	Disabled        int  // 障害者 (本人・同一生計配偶者・扶養親族) other than 特別障害者
	SpecialDisabled int  // 特別障害者, 同居特別障害者 included
	WorkingStudent  bool // 本人が勤労学生
	Widow           bool // 本人が寡婦 (tax status of the income year)
	SingleParent    bool // 本人がひとり親 (tax status of the income year)
}

// Income returns the 所得額 of a person under the measure. It is never below 0.
func (m Measure) Income(in MeasureInput) (int64, error) {
	return m.income(in, nil, false)
}

// CheckedMeasure is a measure Validate has accepted (Check), for many
// Income calls: its Income does not validate the measure again.
type CheckedMeasure struct{ m Measure }

// Check validates m once for the Income calls of a CheckedMeasure.
func (m Measure) Check() (CheckedMeasure, error) {
	if err := m.Validate(); err != nil {
		return CheckedMeasure{}, err
	}
	return CheckedMeasure{m: m}, nil
}

// Income is Measure.Income of the checked measure.
func (c *CheckedMeasure) Income(in MeasureInput) (int64, error) {
	return c.m.income(in, nil, true)
}

// IncomeExplained is Income with every step, in order: each income, the
// 養育費 and its 8割, the flat 8万, the 10万 adjustment, each deduction, and
// the result.
func (m Measure) IncomeExplained(in MeasureInput) (int64, []Step, error) {
	return explained(func(x *explain) (int64, error) { return m.income(in, x, false) })
}

// Measure years: the 10万円 adjustment and ひとり親控除 exist from 令和2年分;
// earlier years had other 寡婦 rules that are not encoded.
const (
	MeasureFirstYear = 2020
	MeasureLastYear  = SalaryLastYear
)

// income is Income (with its steps when x is not nil); checked says m has
// passed Validate already (CheckedMeasure).
func (m Measure) income(in MeasureInput, x *explain, checked bool) (int64, error) {
	if in.Year < MeasureFirstYear || in.Year > MeasureLastYear {
		return 0, notCovered(m.Name+"の所得額", in.Year, MeasureFirstYear, MeasureLastYear)
	}
	if !checked {
		if err := m.Validate(); err != nil {
			return 0, err
		}
	}
	if in.Role < RoleParent || in.Role > RoleLiableRelative {
		return 0, &InputError{Field: "Role", Reason: fmt.Sprintf("unknown role %d", in.Role)}
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"ChildSupport", in.ChildSupport}, {"CasualtyLoss", in.CasualtyLoss}, {"Medical", in.Medical},
		{"SmallBusinessMutualAid", in.SmallBusinessMutualAid}, {"SpouseSpecial", in.SpouseSpecial},
	} {
		if f.v < 0 || f.v > maxFixedAmount {
			return 0, &InputError{Field: f.name, Reason: fmt.Sprintf("must be 0..%d yen, got %d", maxFixedAmount, f.v)}
		}
	}
	if in.Disabled < 0 || in.Disabled > maxPersons || in.SpecialDisabled < 0 || in.SpecialDisabled > maxPersons {
		return 0, &InputError{Field: "Disabled", Reason: fmt.Sprintf("counts must be 0..%d", maxPersons)}
	}
	if in.ChildSupport > 0 && in.Role != RoleParent {
		return 0, &InputError{Field: "ChildSupport", Reason: "養育費 is added only for a parent recipient (RoleParent), not for " + in.Role.String()}
	}
	if in.Widow && in.SingleParent {
		return 0, &InputError{Field: "Widow", Reason: "a person cannot be both 寡婦 and ひとり親 (寡婦 excludes ひとり親)"}
	}

	t, err := totalIncome(in.Year, in.Earnings, x, "総所得金額等")
	if err != nil {
		return 0, err
	}
	v := t.Total

	if m.ChildSupportPercent > 0 && in.ChildSupport > 0 {
		x.add(OpInfo, "養育費（受領額）", in.ChildSupport, srcCRAChildSupport)
		// 百分のN: exact decimal product, then 一円未満四捨五入 (half up; amounts are positive).
		cs := percentHalfUp(in.ChildSupport, m.ChildSupportPercent)
		if x != nil {
			label := fmt.Sprintf("養育費の%d%%（一円未満四捨五入）", m.ChildSupportPercent)
			if m.ChildSupportPercent%10 == 0 {
				label = fmt.Sprintf("養育費の%d割（一円未満四捨五入）", m.ChildSupportPercent/10)
			}
			x.add(OpAdd, label, cs, srcCRAChildSupport)
		}
		var ok bool
		if v, ok = addChecked(v, cs); !ok {
			return 0, overflow("ChildSupport")
		}
	}

	if m.FlatDeduction > 0 {
		x.add(OpSub, "社会保険料相当額（一律）", m.FlatDeduction, m.Source)
		v -= m.FlatDeduction
	}

	if m.SalaryPensionAdjustment > 0 && in.Year >= adjustFirstYear {
		base := t.SalaryAfterAdjustment() + t.Pension
		if adj := min(base, m.SalaryPensionAdjustment); adj > 0 {
			x.add(OpSub, "給与所得・公的年金等に係る雑所得の控除（合計額が上限）", adj, srcCRAAdjust)
			v -= adj
		}
	}

	if m.StatutoryDeductions {
		for i, d := range [...]int64{
			in.CasualtyLoss, in.Medical, in.SmallBusinessMutualAid, in.SpouseSpecial,
			int64(in.Disabled) * m.Disabled, int64(in.SpecialDisabled) * m.SpecialDisabled,
			boolAmount(in.WorkingStudent, m.WorkingStudent),
		} {
			if d <= 0 {
				continue
			}
			if x != nil {
				x.add(OpSub, m.deductionLabel(i, in), d, srcCRADeductions)
			}
			v -= d
		}
	}

	deductWidow := m.Widow == WidowAlways || (m.Widow == WidowNotForParents && in.Role != RoleParent)
	if deductWidow {
		if in.Widow && m.WidowAmount > 0 {
			x.add(OpSub, "寡婦控除", m.WidowAmount, srcCRADeductions)
			v -= m.WidowAmount
		}
		if in.SingleParent && m.SingleParentAmount > 0 {
			x.add(OpSub, "ひとり親控除", m.SingleParentAmount, srcCRADeductions)
			v -= m.SingleParentAmount
		}
	} else if in.Widow || in.SingleParent {
		x.add(OpInfo, "寡婦控除・ひとり親控除（受給資格者である父母には適用しない）", 0, srcCRADeductions)
	}

	v = max0(v)
	if x != nil {
		x.add(OpResult, m.Name+"の所得額", v, m.Source)
	}
	return v, nil
}

func boolAmount(b bool, v int64) int64 {
	if b {
		return v
	}
	return 0
}

// deductionLabel names the i-th statutory deduction of income(), for steps.
func (m Measure) deductionLabel(i int, in MeasureInput) string {
	switch i {
	case 0:
		return "雑損控除"
	case 1:
		return "医療費控除"
	case 2:
		return "小規模企業共済等掛金控除"
	case 3:
		return "配偶者特別控除"
	case 4:
		return fmt.Sprintf("障害者控除（%d人×%d円）", in.Disabled, m.Disabled)
	case 5:
		return fmt.Sprintf("特別障害者控除（%d人×%d円）", in.SpecialDisabled, m.SpecialDisabled)
	default:
		return "勤労学生控除"
	}
}

// percentHalfUp is v × pct / 100 rounded to the yen, half up, for v > 0
// and pct in 0..100: in int64 when the product fits (every real amount),
// else as the exact decimal product.
func percentHalfUp(v, pct int64) int64 {
	if v <= (math.MaxInt64-50)/100 {
		return (v*pct + 50) / 100
	}
	return decimal.NewFromInt(v).Mul(decimal.New(pct, -2)).Round(0).IntPart()
}
