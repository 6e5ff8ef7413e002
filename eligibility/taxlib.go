package eligibility

import (
	"fmt"
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"
)

// Rule functions for the income year of a programme and for the 住民税
// figures a municipality sets itself. They are registered with the rest of
// the library (libraryOptions) and documented in docs/rules.md.

// IncomeYearBack generalises IncomeYear to programmes whose income is
// older: from switchMonth to December the income of yearsBack years before
// applies, before switchMonth the year before that. IncomeYear(on, m) is
// IncomeYearBack(on, m, 1). 東京都 ひとり親家庭等医療費助成 (医療証 January to
// December on 前々年 income) is IncomeYearBack(on, 1, 2): every month of year
// Y uses Y−2. yearsBack must be 0 or more.
func IncomeYearBack(on civil.Date, switchMonth time.Month, yearsBack int) int {
	if on.Month() >= switchMonth {
		return on.Year() - yearsBack
	}
	return on.Year() - yearsBack - 1
}

// residentLevyType is the record Member.resident_levy returns.
var residentLevyType = types.NewObjectType("onestop.ResidentLevy", traits.IndexerType|traits.FieldTesterType)

var taxRecordDecls = []recordDecl{
	{residentLevyType,
		[]string{"taxable_base", "standard_municipal", "municipal", "prefectural", "municipal_adjustment", "deductions", "personal_difference"},
		[]*types.Type{types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType, types.IntType}},
}

func taxFunctionDocs() []Function {
	return []Function{
		{"Member.resident_levy(int year, list(Member) relatives) -> ResidentLevy", "その年分の所得による翌年度の住民税所得割（taxable_base: 課税標準額、standard_municipal: 課税標準額×6%−市町村民税の調整控除、municipal・prefectural: 所得割額（税額控除前）、municipal_adjustment、deductions: 所得控除の合計、personal_difference: 人的控除額の差）。配偶者・扶養は relatives（dependents と同じ並び）から、社会保険料・障害者控除の人数・寡婦・ひとり親・勤労学生などはその年分の deductions から"},
		{"income_year(Date on, int switch_month, int years_back) -> int", "on の日に使う所得の年の一般形（switch_month 月以降は years_back 年前、それより前は years_back+1 年前）。income_year(on, m) は income_year(on, m, 1)。1月〜12月を通して前々年なら income_year(on, 1, 2)"},
		{"resident_tax(int year, int total_income, int dependents, int base, int addition, bool disabled, bool minor, bool widow, bool single_parent) -> ResidentTax", "resident_tax の、均等割の非課税限度額を市町村の条例の額（1人あたり base、扶養があるときの加算 addition）で判定する形"},
	}
}

func taxOptions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.Function("resident_levy", cel.MemberOverload("onestop_member_resident_levy", []*cel.Type{memberType, cel.IntType, listOfMember}, residentLevyType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				m, y, l := arg[*memberVal](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[traits.Lister](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				return m.residentLevy(int64(y), l)
			}))),
		cel.Function("income_year", cel.Overload("onestop_income_year_back", []*cel.Type{dateType, cel.IntType, cel.IntType}, cel.IntType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				ok := true
				on, sw, back := arg[dateVal](args, 0, &ok), arg[types.Int](args, 1, &ok), arg[types.Int](args, 2, &ok)
				if !ok {
					return types.NoSuchOverloadErr()
				}
				if sw < 1 || sw > 12 {
					return types.NewErr("income_year: switch month %d is not a month", sw)
				}
				if back < 0 || back > 100 {
					return types.NewErr("income_year: years_back %d out of range (0〜100)", back)
				}
				return types.Int(IncomeYearBack(on.d, time.Month(sw), int(back)))
			}))),
		cel.Function("resident_tax", cel.Overload("onestop_resident_tax_rule",
			[]*cel.Type{cel.IntType, cel.IntType, cel.IntType, cel.IntType, cel.IntType, cel.BoolType, cel.BoolType, cel.BoolType, cel.BoolType}, residentTaxType,
			cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				x, ok1 := asInts(args[:5])
				b, ok2 := asBools(args[5:])
				if !ok1 || !ok2 {
					return types.NoSuchOverloadErr()
				}
				if x[2] < 0 || x[2] > MaxMembers {
					return types.NewErr("resident_tax: dependents %d out of range", x[2])
				}
				if x[3] <= 0 {
					return types.NewErr("resident_tax: 均等割の1人あたりの額 %d は正の額にしてください", x[3])
				}
				st, err := income.ResidentTaxExemption(income.ResidentTaxInput{IncomeYear: int(x[0]), TotalIncome: x[1], Dependents: int(x[2]),
					PerCapita: income.PerCapitaRule{Base: x[3], Addition: x[4]}, Disabled: b[0], Minor: b[1], Widow: b[2], SingleParent: b[3]})
				if err != nil {
					return incomeErr(err)
				}
				return newRecord(residentTaxType, types.Bool(st.PerCapitaExempt), types.Bool(st.IncomeLevyExempt), types.Int(st.PerCapitaLimit), types.Int(st.IncomeLevyLimit))
			}))),
	}
}

// residentLevy computes a member's 住民税 所得割 for the 年度 after year,
// once per screening.
func (v *memberVal) residentLevy(year int64, relatives traits.Lister) ref.Val {
	var set uint64
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("resident_levy: the list holds a value that is not a member")
		}
		set |= 1 << uint(r.idx)
	}
	return v.memoized(memoKey{fn: memoResidentLevy, year: year, relatives: set}, func() (ref.Val, string, []income.Step) {
		return v.computeResidentLevy(year, relatives)
	})
}

// memoResidentLevy is resident_levy's memo slot (the income functions of
// incomelib.go use 1–3).
const memoResidentLevy = 10

// residentLevyFacts are the facts resident_levy reads on its own: the
// member's and the relatives' incomes, the year's deductions, the sex (for
// the ひとり親 人的控除額の差) and, for a parent of 70 or over, whether they
// live together (同居老親等).
var residentLevyFacts = append(slices.Clone(earningsFacts),
	"members[].incomes[].deductions", "members[].incomes[].deductions.medical", "members[].incomes[].deductions.casualty_loss",
	"members[].incomes[].deductions.small_business_mutual_aid", "members[].incomes[].deductions.disabled",
	"members[].incomes[].deductions.special_disabled", "members[].incomes[].deductions.working_student",
	"members[].incomes[].deductions.widow", "members[].incomes[].deductions.single_parent",
	"members[].incomes[].deductions.social_insurance", "members[].incomes[].deductions.insurance_premiums",
	"members[].sex", "members[].lives_with")

func (v *memberVal) computeResidentLevy(year int64, relatives traits.Lister) (ref.Val, string, []income.Step) {
	var unk *types.Unknown
	merge := func(x ref.Val) bool {
		switch t := x.(type) {
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, t)
			return true
		case *types.Err:
			return false
		}
		return true
	}
	in := income.DeductionInput{Tax: income.ResidentTax, Year: int(year)}
	total := v.totalIncome(year)
	if t, ok := total.(types.Int); ok {
		in.TotalIncome = int64(t)
	} else if !merge(total) {
		return total, "", nil
	}
	switch iv := v.income(year).(type) {
	case *incomeVal:
		switch dv := iv.Get(types.String("deductions")).(type) {
		case *deductionsVal:
			d := dv.d
			in.SocialInsurance, in.InsurancePremiums, in.Medical, in.CasualtyLoss, in.SmallBusinessMutualAid =
				d.SocialInsurance, d.InsurancePremiums, d.Medical, d.CasualtyLoss, d.SmallBusinessMutualAid
			in.DisabledPeople, in.SpecialDisabledPeople = d.Disabled, d.SpecialDisabled
			in.Widow, in.SingleParent, in.WorkingStudent = d.Widow, d.SingleParent, d.WorkingStudent
			if d.SingleParent {
				if v.m.Sex == nil {
					merge(memberFact(v.idx, "sex").unknownVal())
				} else {
					in.Female = *v.m.Sex == SexFemale
				}
			}
		case *types.Unknown:
			merge(dv)
		}
	default:
		merge(iv)
	}
	it := relatives.Iterator()
	for it.HasNext() == types.True {
		r, ok := it.Next().(*memberVal)
		if !ok {
			return types.NewErr("resident_levy: the list holds a value that is not a member"), "", nil
		}
		if r == v {
			continue
		}
		rel := income.TaxRelative{Spouse: r.m.Relation == RelationSpouse, LinealAscendant: r.m.Relation == RelationParent}
		if r.m.BirthDate == nil {
			merge(memberFact(r.idx, "birth_date").unknownVal())
		} else {
			rel.BirthDate = *r.m.BirthDate
			// 同居老親等: a parent 70 or over who lives with the taxpayer.
			if rel.LinealAscendant && income.AgeAtYearEnd(rel.BirthDate, int(year)) >= 70 {
				if r.m.LivesWith == nil {
					merge(memberFact(r.idx, "lives_with").unknownVal())
				} else {
					rel.LivesWith = *r.m.LivesWith
				}
			}
		}
		ti := r.totalIncome(year)
		if t, ok := ti.(types.Int); ok {
			rel.TotalIncome = int64(t)
		} else if !merge(ti) {
			return ti, "", nil
		}
		in.Relatives = append(in.Relatives, rel)
	}
	if unk != nil {
		return unk, "", nil
	}
	var ded income.Deductions
	var lv income.ResidentLevy
	var steps []income.Step
	var title string
	var err error
	if v.explaining() {
		var s1, s2 []income.Step
		ded, s1, err = income.IncomeDeductionsExplained(in)
		if err == nil {
			lv, s2, err = income.ResidentIncomeLevyExplained(income.ResidentLevyInput{IncomeYear: int(year), TotalIncome: in.TotalIncome, Deductions: ded})
		}
		steps = append(s1, s2...)
		title = fmt.Sprintf("%sの%d年分の所得による住民税所得割", v.label(), year)
	} else {
		ded, err = income.IncomeDeductions(in)
		if err == nil {
			lv, err = income.ResidentIncomeLevy(income.ResidentLevyInput{IncomeYear: int(year), TotalIncome: in.TotalIncome, Deductions: ded})
		}
	}
	if err != nil {
		return incomeErr(err), "", nil
	}
	i := func(x int64) ref.Val { return types.Int(x) }
	return newRecord(residentLevyType, i(lv.TaxableBase), i(lv.StandardMunicipal), i(lv.Municipal), i(lv.Prefectural),
		i(lv.MunicipalAdjustment), i(ded.Total), i(ded.PersonalDifference)), title, steps
}
