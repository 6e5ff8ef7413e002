package eligibility

import (
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"
)

// Income and tax in rules: the maths of package income — 給与所得,
// 公的年金等に係る雑所得, 合計所得金額, the 所得額 of each programme, 扶養親族等,
// 住民税非課税, ひとり親控除, 寡婦控除 — on known figures or on a member's
// facts (income_eval.go).

// Facts the income functions read on their own.
var (
	earningsFacts = []string{
		"members[].incomes", "members[].incomes[].year", "members[].incomes[].salary_revenue", "members[].incomes[].pension_revenue",
		"members[].incomes[].business_income", "members[].incomes[].other_income",
		// 公的年金等控除 by age; the 所得金額調整控除 for a child under 23.
		"members[].birth_date", "members[].relation",
	}
	measureFacts = append(append([]string(nil), earningsFacts...),
		"members[].incomes[].child_support_received", "members[].incomes[].deductions",
		"members[].incomes[].deductions.medical", "members[].incomes[].deductions.casualty_loss",
		"members[].incomes[].deductions.small_business_mutual_aid", "members[].incomes[].deductions.spouse_special",
		"members[].incomes[].deductions.disabled", "members[].incomes[].deductions.special_disabled",
		"members[].incomes[].deductions.working_student", "members[].incomes[].deductions.widow",
		"members[].incomes[].deductions.single_parent")
	// residentLevyFacts are the facts resident_levy reads on its own: the
	// member's and the relatives' incomes, the year's deductions, the sex
	// (for the ひとり親 人的控除額の差) and, for a parent of 70 or over,
	// whether they live together (同居老親等).
	residentLevyFacts = append(append([]string(nil), earningsFacts...),
		"members[].incomes[].deductions", "members[].incomes[].deductions.medical", "members[].incomes[].deductions.casualty_loss",
		"members[].incomes[].deductions.small_business_mutual_aid", "members[].incomes[].deductions.disabled",
		"members[].incomes[].deductions.special_disabled", "members[].incomes[].deductions.working_student",
		"members[].incomes[].deductions.widow", "members[].incomes[].deductions.single_parent",
		"members[].incomes[].deductions.social_insurance", "members[].incomes[].deductions.insurance_premiums",
		"members[].sex", "members[].lives_with")
)

// Costs of the income functions: a 所得 computation is a few dozen steps,
// plus a look at every member for the 所得金額調整控除.
const incomeStepCost = 20

func incomeDecls() []libOverload {
	yearYen := func(f func(int, int64) (int64, error)) cel.OverloadOpt {
		return binary(func(y, v types.Int) ref.Val {
			r, err := f(int(y), int64(v))
			if err != nil {
				return incomeErr(err)
			}
			return types.Int(r)
		})
	}
	i, b, yen := types.IntType, types.BoolType, types.IntType
	return []libOverload{
		{fn: "salary_income", id: "onestop_salary_income", params: []param{p("year", i), p("revenue", yen)}, result: yen, since: 1,
			doc: "給与収入から給与所得（所得税法別表第五。令和7年分の改正を含む）", cost: constCost(5), impl: yearYen(income.SalaryIncome)},
		{fn: "salary_deduction", id: "onestop_salary_deduction", params: []param{p("year", i), p("revenue", yen)}, result: yen, since: 1,
			doc: "給与所得控除額（法定の算式）", cost: constCost(5), impl: yearYen(income.SalaryDeduction)},
		{fn: "pension_income", id: "onestop_pension_income", params: []param{p("year", i), p("revenue", yen), p("aged65", b), p("other_income", yen)}, result: yen, since: 1,
			doc: "公的年金等に係る雑所得（年齢区分と公的年金等以外の合計所得金額による）", cost: constCost(5),
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				y, rev, aged, other := arg[types.Int](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Bool](args, 2, &ok), arg[types.Int](args, 3, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				r, err := income.PublicPensionIncome(int(y), int64(rev), bool(aged), int64(other))
				if err != nil {
					return incomeErr(err)
				}
				return types.Int(r)
			})},
		{fn: "total_income", id: "onestop_member_total_income", member: true, params: []param{p("", memberType), p("year", i)}, result: yen, since: 1,
			doc:   "その年分の合計所得金額（給与所得＋公的年金等の雑所得＋事業所得＋その他の所得）",
			reads: earningsFacts, cost: perMember(incomeStepCost, 1),
			impl: binary(func(m *memberVal, y types.Int) ref.Val { return m.totalIncome(int64(y)) })},
		{fn: "income_measure", id: "onestop_member_income_measure", member: true,
			params: []param{p("", memberType), p("year", i), p("measure", types.StringType), p("role", types.StringType)}, result: yen, since: 1,
			doc:   "制度の所得額。measure: child_rearing_allowance（児童扶養手当）, tokyo_single_parent_medical, tokyo_child_upbringing, special_child_allowance（特別児童扶養手当・障害児福祉手当）。role: parent, caretaker, spouse, liable_relative（扶養義務者）",
			reads: measureFacts,
			// With the measure or the role unknown, every combination is tried.
			cost:      callCost{cost: func(s callShape) uint64 { return uint64(max(s.combos, 1)) * (incomeStepCost + 10 + uint64(s.members)) }, listArg: -1},
			nonStrict: true, impl: cel.FunctionBinding(incomeMeasureBinding)},
		{fn: "dependents", id: "onestop_member_dependents", member: true, params: []param{p("", memberType), p("year", i), p("relatives", listOfMember)}, result: dependentsType, since: 1,
			doc:   "12月31日現在の扶養親族等の数と内訳（count, under16, aged16to18, specified, elderly, recipient_addition, liable_addition …）",
			reads: earningsFacts,
			// Each relative's 合計所得金額, and the member's own.
			cost:      callCost{cost: func(s callShape) uint64 { return uint64(s.elems+1) * (incomeStepCost + uint64(s.members)) }, listArg: 2},
			nonStrict: true, impl: cel.FunctionBinding(dependentsBinding())},
		{fn: "resident_levy", id: "onestop_member_resident_levy", member: true, params: []param{p("", memberType), p("year", i), p("relatives", listOfMember)}, result: residentLevyType, since: 1,
			doc:   "その年分の所得による翌年度の住民税所得割（taxable_base: 課税標準額、standard_municipal: 課税標準額×6%−市町村民税の調整控除、municipal・prefectural: 所得割額（税額控除前）、municipal_adjustment、deductions: 所得控除の合計、personal_difference: 人的控除額の差）。配偶者・扶養親族・特定親族（令和7年分から、19〜22歳で所得が扶養の要件を超え123万円以下の親族の特定親族特別控除）は relatives（dependents と同じ並び）から、社会保険料・障害者控除の人数・寡婦・ひとり親・勤労学生などはその年分の deductions から",
			reads: residentLevyFacts,
			// The dependents' incomes, then the deductions and the 所得割.
			cost:      callCost{cost: func(s callShape) uint64 { return uint64(s.elems+2) * (incomeStepCost + uint64(s.members)) }, listArg: 2},
			nonStrict: true, impl: cel.FunctionBinding(residentLevyBinding())},
		{fn: "age_at_year_end", id: "onestop_member_age_at_year_end", member: true, params: []param{p("", memberType), p("year", i)}, result: i, since: 1,
			doc: "その年の12月31日の年齢（税法上の年齢の判定日）", reads: []string{"members[].birth_date"},
			impl: binary(func(m *memberVal, y types.Int) ref.Val {
				if m.m.BirthDate == nil {
					return memberFact(m.idx, "birth_date").unknown()
				}
				if y < 1 || y > 9999 {
					return types.NewErr("age_at_year_end: 年 %d は範囲外です", y)
				}
				return types.Int(civil.StatutoryAge(*m.m.BirthDate, civil.MustDate(int(y), time.December, 31)))
			})},
		{fn: "resident_tax", id: "onestop_resident_tax",
			params: []param{p("year", i), p("total_income", yen), p("dependents", i), p("grade", i), p("disabled", b), p("minor", b), p("widow", b), p("single_parent", b)}, result: residentTaxType, since: 1,
			doc: "翌年度の住民税の非課税判定（exempt: 均等割も非課税, income_levy_exempt, per_capita_limit, income_levy_limit）", cost: constCost(5),
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:4])
				bs, ok2 := asBools(args[4:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				if x[3] < 1 || x[3] > 3 {
					return types.NewErr("resident_tax: 級地 %d は 1, 2, 3 のいずれかにしてください", x[3])
				}
				if x[2] < 0 || x[2] > MaxMembers {
					return types.NewErr("resident_tax: 扶養親族等の数 %d は範囲外です", x[2])
				}
				st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
					Grade: income.Grade(x[3]), Disabled: bs[0], Minor: bs[1], Widow: bs[2], SingleParent: bs[3]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(residentTaxType, types.Bool(st.PerCapitaExempt), types.Bool(st.IncomeLevyExempt), types.Int(st.PerCapitaLimit), types.Int(st.IncomeLevyLimit))
			})},
		{fn: "resident_tax", id: "onestop_resident_tax_rule",
			params: []param{p("year", i), p("total_income", yen), p("dependents", i), p("base", yen), p("addition", yen), p("disabled", b), p("minor", b), p("widow", b), p("single_parent", b)}, result: residentTaxType, since: 1,
			doc: "resident_tax の、均等割の非課税限度額を市町村の条例の額（1人あたり base、扶養があるときの加算 addition）で判定する形", cost: constCost(5),
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:5])
				bs, ok2 := asBools(args[5:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				if x[2] < 0 || x[2] > MaxMembers {
					return types.NewErr("resident_tax: 扶養親族等の数 %d は範囲外です", x[2])
				}
				if x[3] <= 0 {
					return types.NewErr("resident_tax: 均等割の1人あたりの額 %d は正の額にしてください", x[3])
				}
				st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
					PerCapita: income.PerCapitaRule{Base: x[3], Addition: x[4]}, Disabled: bs[0], Minor: bs[1], Widow: bs[2], SingleParent: bs[3]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(residentTaxType, types.Bool(st.PerCapitaExempt), types.Bool(st.IncomeLevyExempt), types.Int(st.PerCapitaLimit), types.Int(st.IncomeLevyLimit))
			})},
		{fn: "resident_tax_minor", id: "onestop_resident_tax_minor", params: []param{p("birth", dateType), p("fiscal_year", i)}, result: b, since: 1,
			doc: "住民税の未成年者（その年度の1月1日に18歳未満）か",
			impl: binary(func(birth dateVal, fy types.Int) ref.Val {
				if fy < 1900 || fy > 9998 {
					return types.NewErr("resident_tax_minor: 年度 %d は範囲外です", fy)
				}
				return types.Bool(income.ResidentTaxMinor(birth.d, int(fy)))
			})},
		{fn: "single_parent_deduction", id: "onestop_single_parent_deduction",
			params: []param{p("year", i), p("total_income", yen), p("unmarried", b), p("de_facto", b), p("children_incomes", intList)}, result: deductionType, since: 1,
			doc: "ひとり親控除の判定（eligible, income_tax, resident_tax）", cost: perElem(5, 1, 4),
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:2])
				bs, ok2 := asBools(args[2:4])
				l, ok3 := args[4].(traits.Lister)
				if !ok1 || !ok2 || !ok3 {
					return types.NoSuchOverloadErr()
				}
				var children []int64
				it := l.Iterator()
				for it.HasNext() == types.True {
					c, ok := it.Next().(types.Int)
					if !ok {
						return types.NewErr("single_parent_deduction: children_incomes は整数の並びにしてください")
					}
					children = append(children, int64(c))
				}
				d, err := income.SingleParentDeduction(income.SingleParentInput{Year: int(x[0]), TotalIncome: x[1], Unmarried: bs[0], DeFactoSpouse: bs[1], Children: children})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(deductionType, types.Bool(d.Eligible), types.Int(d.IncomeTax), types.Int(d.ResidentTax))
			})},
		{fn: "widow_deduction", id: "onestop_widow_deduction",
			params: []param{p("year", i), p("total_income", yen), p("female", b), p("bereaved", b), p("divorced", b), p("has_dependent", b), p("de_facto", b), p("single_parent", b)}, result: deductionType, since: 1,
			doc: "寡婦控除の判定", cost: constCost(5),
			impl: cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:2])
				bs, ok2 := asBools(args[2:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				d, err := income.WidowDeduction(income.WidowInput{Year: int(x[0]), TotalIncome: x[1], Female: bs[0], Bereaved: bs[1], Divorced: bs[2],
					HasDependent: bs[3], DeFactoSpouse: bs[4], SingleParent: bs[5]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(deductionType, types.Bool(d.Eligible), types.Int(d.IncomeTax), types.Int(d.ResidentTax))
			})},
	}
}
