package eligibility

import (
	"github.com/onestop-jp/onestop/civil"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
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

func taxFunctionDocs() []Function {
	return []Function{
		{"income_year(Date on, int switch_month, int years_back) -> int", "on の日に使う所得の年の一般形（switch_month 月以降は years_back 年前、それより前は years_back+1 年前）。income_year(on, m) は income_year(on, m, 1)。1月〜12月を通して前々年なら income_year(on, 1, 2)"},
		{"resident_tax(int year, int total_income, int dependents, int base, int addition, bool disabled, bool minor, bool widow, bool single_parent) -> ResidentTax", "resident_tax の、均等割の非課税限度額を市町村の条例の額（1人あたり base、扶養があるときの加算 addition）で判定する形"},
	}
}

func taxOptions() []cel.EnvOption {
	return []cel.EnvOption{
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
