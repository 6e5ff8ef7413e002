package eligibility

import (
	"github.com/onestop-jp/onestop/eligibility/income"
)

// The facts the income functions read, and which of them they ask for when
// some are not known, written once for both paths: the interpreter
// (income_eval.go: unknowns as *types.Unknown, breakdowns when explaining)
// and the closures (closure_income.go: unknowns in the arena). Each path
// reads through an incomeReader and keeps its own memo of the figures; the
// maths is package income's.

// incomeReader is one path's access to what the income functions need
// beyond the household's facts.
type incomeReader interface {
	// unknown notes that fact p, which the computation reads, is not
	// known: it is added to the computation's unknown.
	unknown(p factPath)
	// incomeTotal is member m's 合計所得金額 of year, memoised by the path.
	// known is false when it is not known (its unknown facts noted); ok
	// is false when it is a run-time error (the computation stops).
	incomeTotal(m int, year int64) (v int64, known, ok bool)
}

// noIncomeEntry is the entry of a member known to have had no income
// (incomes: []), for reading its amounts.
var noIncomeEntry = noIncome(0)

// incomeEntryOf is member m's Income for year; nil when the year is not
// known (noted).
func incomeEntryOf(r incomeReader, h *Household, m int, year int64) *Income {
	mem := &h.Members[m]
	if mem.Incomes != nil && len(mem.Incomes) == 0 {
		return noIncomeEntry
	}
	var found *Income
	for i := range mem.Incomes {
		if int64(mem.Incomes[i].Year) == year {
			found = &mem.Incomes[i]
		}
	}
	if found == nil {
		r.unknown(incomeYearFact(m, year))
	}
	return found
}

// amountOf is an amount of member m's entry of year, 0 when it is not
// known (noted).
func amountOf(r incomeReader, v *int64, m int, year int64, field string) int64 {
	if v == nil {
		r.unknown(factPath{member: m, sub: "incomes", year: year, field: field})
		return 0
	}
	return *v
}

// earningsOf reads member m's earnings for year (and returns the entry,
// nil when the year is not known).
func earningsOf(r incomeReader, h *Household, m int, year int64) (income.Earnings, *Income) {
	in := incomeEntryOf(r, h, m, year)
	if in == nil {
		return income.Earnings{}, nil
	}
	ea := income.Earnings{
		SalaryRevenue:  amountOf(r, in.SalaryRevenue, m, year, "salary_revenue"),
		PensionRevenue: amountOf(r, in.PensionRevenue, m, year, "pension_revenue"),
	}
	ea.OtherIncome = amountOf(r, in.BusinessIncome, m, year, "business_income") + amountOf(r, in.OtherIncome, m, year, "other_income")
	mem := &h.Members[m]
	if ea.PensionRevenue > 0 {
		if mem.BirthDate == nil {
			r.unknown(memberFact(m, "birth_date"))
		} else {
			ea.PensionAged65 = income.AgeAtYearEnd(*mem.BirthDate, int(year)) >= 65
		}
	}
	if ea.SalaryRevenue > 8_500_000 {
		// The 所得金額調整控除 for 子ども・特別障害者等 matters only above
		// 8,500,000 yen: a child of the household under 23 qualifies.
		for i := range h.Members {
			c := &h.Members[i]
			if c.Relation == RelationChild && c.BirthDate != nil && income.AgeAtYearEnd(*c.BirthDate, int(year)) < 23 {
				ea.SalaryAdjustmentEligible = true
			}
		}
	}
	return ea, in
}

// measureInputOf reads what income measure ms of member m in role reads
// for year.
func measureInputOf(r incomeReader, h *Household, m int, year int64, ms *income.Measure, role income.Role) income.MeasureInput {
	ea, in := earningsOf(r, h, m, year)
	mi := income.MeasureInput{Year: int(year), Role: role, Earnings: ea}
	if in == nil {
		return mi
	}
	if role == income.RoleParent && ms.ChildSupportPercent > 0 {
		mi.ChildSupport = amountOf(r, in.ChildSupportReceived, m, year, "child_support_received")
	}
	if ms.StatutoryDeductions || ms.Widow != income.WidowNever {
		if d := in.Deductions; d != nil {
			mi.CasualtyLoss, mi.Medical, mi.SmallBusinessMutualAid, mi.SpouseSpecial = d.CasualtyLoss, d.Medical, d.SmallBusinessMutualAid, d.SpouseSpecial
			mi.Disabled, mi.SpecialDisabled, mi.WorkingStudent = d.Disabled, d.SpecialDisabled, d.WorkingStudent
			mi.Widow, mi.SingleParent = d.Widow, d.SingleParent
		} else {
			r.unknown(factPath{member: m, sub: "incomes", year: year, field: "deductions"})
		}
	}
	return mi
}

// dependentsInputOf reads what member m's 扶養親族等 of year among
// relatives (member indices; m itself is skipped) depend on: the
// relatives (appended to rels) and, when one is a spouse, m's own total
// income. ok is false on a run-time error.
func dependentsInputOf(r incomeReader, h *Household, m int, year int64, relatives []int, rels []income.Relative) (_ []income.Relative, own int64, ok bool) {
	hasSpouse := false
	for _, i := range relatives {
		if i == m {
			continue
		}
		mem := &h.Members[i]
		rel := income.Relative{Spouse: mem.Relation == RelationSpouse}
		hasSpouse = hasSpouse || rel.Spouse
		if mem.BirthDate == nil {
			r.unknown(memberFact(i, "birth_date"))
		} else {
			rel.BirthDate = *mem.BirthDate
		}
		t, known, ok := r.incomeTotal(i, year)
		if !ok {
			return rels, 0, false
		}
		if known {
			rel.TotalIncome = t
		}
		rels = append(rels, rel)
	}
	if hasSpouse {
		t, known, ok := r.incomeTotal(m, year)
		if !ok {
			return rels, 0, false
		}
		if known {
			own = t
		}
	}
	return rels, own, true
}

// levyInputOf reads what member m's 住民税 所得割 for the 年度 after year
// depends on, with relatives (member indices; m itself is skipped) as
// in.Relatives (appended to rels). ok is false on a run-time error.
func levyInputOf(r incomeReader, h *Household, m int, year int64, relatives []int, rels []income.TaxRelative) (in income.DeductionInput, ok bool) {
	in = income.DeductionInput{Tax: income.ResidentTax, Year: int(year), Relatives: rels}
	t, known, ok := r.incomeTotal(m, year)
	if !ok {
		return in, false
	}
	if known {
		in.TotalIncome = t
	}
	mem := &h.Members[m]
	// While the year's deductions are unknown, a ひとり親控除 among them
	// would need the sex (the 人的控除額の差 differs): ask it in the same
	// round.
	sexIfSingleParent := func() {
		if mem.Sex == nil {
			r.unknown(memberFact(m, "sex"))
		}
	}
	switch inc := incomeEntryOf(r, h, m, year); {
	case inc == nil:
		sexIfSingleParent()
	case inc.Deductions == nil:
		r.unknown(factPath{member: m, sub: "incomes", year: year, field: "deductions"})
		sexIfSingleParent()
	default:
		d := inc.Deductions
		in.SocialInsurance, in.InsurancePremiums, in.Medical, in.CasualtyLoss, in.SmallBusinessMutualAid =
			d.SocialInsurance, d.InsurancePremiums, d.Medical, d.CasualtyLoss, d.SmallBusinessMutualAid
		in.DisabledPeople, in.SpecialDisabledPeople = d.Disabled, d.SpecialDisabled
		in.Widow, in.SingleParent, in.WorkingStudent = d.Widow, d.SingleParent, d.WorkingStudent
		if d.SingleParent {
			if mem.Sex == nil {
				r.unknown(memberFact(m, "sex"))
			} else {
				in.Female = *mem.Sex == SexFemale
			}
		}
	}
	for _, i := range relatives {
		if i == m {
			continue
		}
		rm := &h.Members[i]
		rel := income.TaxRelative{Spouse: rm.Relation == RelationSpouse, LinealAscendant: rm.Relation == RelationParent}
		if rm.BirthDate == nil {
			r.unknown(memberFact(i, "birth_date"))
			// A parent of unknown age may be 70 or over: then whether
			// they live with the taxpayer decides, so ask it in the same
			// round (Missing is complete in one round).
			if rel.LinealAscendant && rm.LivesWith == nil {
				r.unknown(memberFact(i, "lives_with"))
			}
		} else {
			rel.BirthDate = *rm.BirthDate
			// 同居老親等: a parent 70 or over who lives with the taxpayer.
			if rel.LinealAscendant && income.AgeAtYearEnd(rel.BirthDate, int(year)) >= 70 {
				if rm.LivesWith == nil {
					r.unknown(memberFact(i, "lives_with"))
				} else {
					rel.LivesWith = *rm.LivesWith
				}
			}
		}
		t, known, ok := r.incomeTotal(i, year)
		if !ok {
			return in, false
		}
		if known {
			rel.TotalIncome = t
		}
		in.Relatives = append(in.Relatives, rel)
	}
	return in, true
}
