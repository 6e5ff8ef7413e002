package packs_test

// The OpenFisca-Japan cases of the 所得税・住民税 deductions and of the 所得税
// itself, run through package income (IncomeDeductions, BasicDeduction,
// IncomeTaxAmount, ReconstructionSurtax). The person whose deductions a case
// asks for is the taxpayer; the other members of the household are the
// taxpayer's 同一生計配偶者 or 扶養親族 when the case says so (or, for the
// 扶養控除 cases, when their age and income make them one). The income year is
// the year of the case period.

import (
	"fmt"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"
)

// taxVars are the untagged output variables the tax harness computes.
var taxVars = map[string]bool{
	"障害者控除": true, "住民税障害者控除": true, "勤労学生控除": true, "住民税勤労学生控除": true,
	"基礎控除": true, "住民税基礎控除": true, "扶養控除": true, "配偶者控除": true, "配偶者特別控除": true,
	"基準所得税額": true, "復興特別所得税": true, "所得税": true, "所得控除": true,
}

func taxCase(c *ofCase) bool {
	if len(c.Programs) > 0 || len(c.Outputs) == 0 {
		return false
	}
	for _, o := range c.Outputs {
		if !taxVars[o] {
			return false
		}
	}
	return true
}

// taxNotRun says why a tax case is not run, or "" when it is.
func taxNotRun(c *ofCase) string {
	year := mustDate(c.Period).Year()
	for _, o := range c.Outputs {
		switch o {
		case "所得控除":
			return "所得控除の合計は、入力に与えた各控除額（令和9年分に改正前の基礎控除48万円を与えている）の和を確かめるだけのケース。このライブラリは控除額を自分で計算する（income.IncomeDeductions の Total）ので、与えられた額の和を取る関数はない"
		case "基礎控除":
			if year > 2026 {
				return "令和9年分の所得税の基礎控除は令和8年法律第12号で改正された（所得税法第86条 62万円）。OpenFisca-Japan の期待値（95万円・58万円）は改正前の法律による。令和9年分の租税特別措置法第41条の16の2の加算を確認できていないため計算しない"
			}
		case "所得税":
			for _, p := range personsOf(c) {
				if v, _ := yen(at(p["合計所得金額"], c.Period)); v > 300_000_000 {
					return "極めて高い水準の所得に対する負担の適正化措置（租税特別措置法第41条の19、合計所得金額3億3千万円超の追加税額）は扱わない"
				}
			}
		}
	}
	return ""
}

func personsOf(c *ofCase) map[string]map[string]any {
	_, persons := households(c)
	return persons
}

// certificateLevel maps OpenFisca's 手帳 grades to the 所得税法 levels:
// 特別障害者 for 身体1・2級, 精神1級, 療育A, 愛の手帳1・2度; 障害者 otherwise.
func certificateLevel(p map[string]any, period string) income.DisabilityLevel {
	level := income.NotDisabled
	raise := func(l income.DisabilityLevel) {
		if l > level {
			level = l
		}
	}
	for key, special := range map[string][]string{
		"身体障害者手帳等級":     {"一級", "二級"},
		"精神障害者保健福祉手帳等級": {"一級"},
		"療育手帳等級":        {"A"},
		"愛の手帳等級":        {"一度", "二度"},
	} {
		g, _ := at(p[key], period).(string)
		if g == "" || g == "無" {
			continue
		}
		raise(income.Disabled)
		for _, s := range special {
			if g == s {
				raise(income.SpecialDisabled)
			}
		}
	}
	return level
}

func (cf *conformance) taxCase(c *ofCase) ([]string, error) {
	year := mustDate(c.Period).Year()
	hs, persons := households(c)
	flag := func(m map[string]any, key string) bool { return at(m[key], c.Period) == true }
	amount := func(m map[string]any, key string) int64 {
		v, _ := yen(at(m[key], c.Period))
		return v
	}
	birth := func(id string, fallback int) civil.Date {
		if s, ok := persons[id]["誕生年月日"].(string); ok {
			if t, err := civil.Parse(s); err == nil {
				return t
			}
		}
		return civil.MustDate(fallback, time.June, 1)
	}
	// deductionsOf computes the deductions of person id as a taxpayer in
	// household h for the given tax.
	deductionsOf := func(h ofHousehold, id string, tax income.Tax) (income.Deductions, error) {
		p := persons[id]
		in := income.DeductionInput{Tax: tax, Year: year, TotalIncome: amount(p, "所得"),
			Disability:     certificateLevel(p, c.Period),
			WorkingStudent: flag(p, "学生") && amount(p, "所得") > 0}
		if v, ok := yen(at(p["合計所得金額"], c.Period)); ok {
			in.TotalIncome = v
		}
		// The taxpayer of a household is its first adult; only that person
		// has relatives.
		if len(h.parents) > 0 && h.parents[0] == id {
			for _, other := range h.parents[1:] {
				q := persons[other]
				if !hasKey(q, "同一生計配偶者である") || flag(q, "同一生計配偶者である") {
					in.Relatives = append(in.Relatives, income.TaxRelative{Spouse: true, BirthDate: birth(other, year-40),
						TotalIncome: amount(q, "所得"), Disability: certificateLevel(q, c.Period), LivesWith: true})
				}
			}
			for _, ch := range h.children {
				q := persons[ch]
				if hasKey(q, "扶養親族である") && !flag(q, "扶養親族である") {
					continue
				}
				in.Relatives = append(in.Relatives, income.TaxRelative{BirthDate: birth(ch, year-10),
					TotalIncome: amount(q, "所得"), Disability: certificateLevel(q, c.Period), LivesWith: true})
			}
			for _, g := range asList(h.vars["祖父母一覧"]) {
				q := persons[g]
				in.Relatives = append(in.Relatives, income.TaxRelative{BirthDate: birth(g, year-70), TotalIncome: amount(q, "所得"),
					LinealAscendant: true, LivesWith: !flag(q, "介護施設入所中")})
			}
		} else if isDependentOfOther(hs, persons, id, c.Period) {
			// A 同一生計配偶者 or 扶養親族 of someone else: the deductions for
			// them are the taxpayer's, not their own.
			return income.Deductions{}, nil
		}
		return income.IncomeDeductions(in)
	}

	var problems []string
	check := func(scope, id, variable string, got int64) {
		want, ok := expected(c, scope, id, variable)
		if !ok {
			return
		}
		w, ok := yen(want)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %s: expected value is not a number", id, variable))
			return
		}
		if got != w {
			problems = append(problems, fmt.Sprintf("%s %s: %d円（期待 %d円）", id, variable, got, w))
		}
	}
	for _, h := range hs {
		members := append(append(append([]string{}, h.parents...), h.children...), asList(h.vars["祖父母一覧"])...)
		for _, variable := range c.Outputs {
			var sum int64
			for _, id := range members {
				var got int64
				switch variable {
				case "障害者控除", "住民税障害者控除", "勤労学生控除", "住民税勤労学生控除", "扶養控除", "配偶者控除", "配偶者特別控除":
					tax := income.IncomeTax
					if strings.HasPrefix(variable, "住民税") {
						tax = income.ResidentTax
					}
					d, err := deductionsOf(h, id, tax)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", id, err)
					}
					got = map[string]int64{"障害者控除": d.Disabled, "住民税障害者控除": d.Disabled, "勤労学生控除": d.WorkingStudent,
						"住民税勤労学生控除": d.WorkingStudent, "扶養控除": d.Dependents, "配偶者控除": d.Spouse, "配偶者特別控除": d.SpouseSpecial}[variable]
				case "基礎控除", "住民税基礎控除":
					tax := income.IncomeTax
					if variable == "住民税基礎控除" {
						tax = income.ResidentTax
					}
					v, err := income.BasicDeduction(tax, year, amount(persons[id], "合計所得金額"))
					if err != nil {
						return nil, fmt.Errorf("%s: %w", id, err)
					}
					got = v
				case "基準所得税額":
					r, err := income.IncomeTaxAmount(year, amount(persons[id], "合計所得金額"), amount(persons[id], "所得控除"))
					if err != nil {
						return nil, fmt.Errorf("%s: %w", id, err)
					}
					got = r.Base
				case "復興特別所得税", "所得税":
					base := amount(persons[id], "基準所得税額")
					s, err := income.ReconstructionSurtax(year, base)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", id, err)
					}
					got = s
					if variable == "所得税" {
						got = base + s // IncomeTaxResult.Total
					}
				}
				sum += got
				check("世帯員", id, variable, got)
			}
			check("世帯", h.id, variable, sum)
		}
	}
	return problems, nil
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// isDependentOfOther reports whether id is a spouse or child of another
// household adult and flagged (or, for a spouse without flags, income-wise)
// as that adult's 同一生計配偶者 or 扶養親族.
func isDependentOfOther(hs []ofHousehold, persons map[string]map[string]any, id, period string) bool {
	for _, h := range hs {
		if len(h.parents) == 0 || h.parents[0] == id {
			continue
		}
		p := persons[id]
		for _, other := range h.parents[1:] {
			if other == id && at(p["同一生計配偶者である"], period) == true {
				return true
			}
		}
		for _, ch := range h.children {
			if ch == id && (at(p["扶養親族である"], period) == true || !hasKey(p, "扶養親族である")) {
				return true
			}
		}
		for _, g := range asList(h.vars["祖父母一覧"]) {
			if g == id {
				return true
			}
		}
	}
	return false
}
