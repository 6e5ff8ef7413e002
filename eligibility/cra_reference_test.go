package eligibility_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/income"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// A hand-written Go reference of 児童扶養手当 (packs/national/
// child-rearing-allowance.yaml): the baseline the compiled closures are
// measured against (BenchmarkChildRearingAllowance). It decides households
// whose facts the programme reads are all known, as fast as straightforward
// Go does it; TestHandwrittenChildRearingAllowanceAgrees holds it to the
// engine's outcomes.

// craParams are the programme's parameters on one date.
type craParams struct {
	fullFirst, fullSecond, fullThird         int64
	coefFirst, coefSecond, coefThird         decimal.Decimal
	fullLimits, partialLimits, liableLimits  []int64
	step, additionElderly, additionSpecified int64
	liableAdditionElderly                    int64
	effectiveFrom                            civil.Date
}

func craParamsAt(t testing.TB, e *eligibility.Engine, at civil.Date) craParams {
	t.Helper()
	p := craParams{effectiveFrom: civil.MustDate(2023, 4, 1)}
	for _, u := range e.Parameters(at) {
		i := func() int64 { return u.Value.(int64) }
		d := func() decimal.Decimal { return decimal.RequireFromString(u.Value.(string)) }
		l := func() []int64 {
			var out []int64
			for _, v := range u.Value.([]any) {
				out = append(out, v.(int64))
			}
			return out
		}
		switch u.Name {
		case "cra_full_first":
			p.fullFirst = i()
		case "cra_full_second":
			p.fullSecond = i()
		case "cra_full_third":
			p.fullThird = i()
		case "cra_coef_first":
			p.coefFirst = d()
		case "cra_coef_second":
			p.coefSecond = d()
		case "cra_coef_third":
			p.coefThird = d()
		case "cra_full_limits":
			p.fullLimits = l()
		case "cra_partial_limits":
			p.partialLimits = l()
		case "cra_liable_limits":
			p.liableLimits = l()
		case "cra_limit_step":
			p.step = i()
		case "cra_addition_elderly":
			p.additionElderly = i()
		case "cra_addition_specified":
			p.additionSpecified = i()
		case "cra_liable_addition_elderly":
			p.liableAdditionElderly = i()
		}
	}
	return p
}

func tableWithStep(t []int64, step int64, n int) int64 {
	if n < len(t) {
		return t[n]
	}
	return t[len(t)-1] + int64(n-len(t)+1)*step
}

// craResult is the reference's outcome: decided false when a fact it needs
// is unknown (the engine then says why; the reference does not try).
type craResult struct {
	decided bool
	status  eligibility.Status
	amount  int64
}

// handwrittenCRA screens one household for 児童扶養手当.
func handwrittenCRA(h *eligibility.Household, at civil.Date, p *craParams) craResult {
	undecided := craResult{}
	if at.Before(p.effectiveFrom) || h.Situation == nil || h.ApplicantRole == nil {
		return undecided
	}
	var self *eligibility.Member
	for i := range h.Members {
		if h.Members[i].Relation == eligibility.RelationSelf {
			self = &h.Members[i]
			break
		}
	}
	caretaker := *h.ApplicantRole == eligibility.RoleCaretaker
	year := eligibility.IncomeYear(at, time.November)
	ineligible := craResult{decided: true, status: eligibility.Ineligible}
	switch *h.Situation {
	case eligibility.SituationDivorced, eligibility.SituationBereaved, eligibility.SituationUnmarried, eligibility.SituationSpouseDisabled,
		eligibility.SituationSpouseMissing, eligibility.SituationAbandoned, eligibility.SituationDVProtectionOrder,
		eligibility.SituationSpouseDetained, eligibility.SituationParentsUnknown:
	default:
		return ineligible
	}
	if !caretaker {
		if h.DeFactoPartner == nil {
			return undecided
		}
		if *h.DeFactoPartner {
			return ineligible
		}
	}
	if self.ResidesInJapan == nil {
		return undecided
	}
	if !*self.ResidesInJapan {
		return ineligible
	}
	children := 0
	for i := range h.Members {
		c := &h.Members[i]
		if c.Relation != eligibility.RelationChild {
			continue
		}
		if c.BirthDate == nil || c.InFacility == nil || c.ResidesInJapan == nil {
			return undecided
		}
		in := !at.After(civil.FirstMarch31AfterAge(*c.BirthDate, 18))
		if !in && civil.StatutoryAge(*c.BirthDate, at) < 20 {
			if c.Disability == nil {
				return undecided
			}
			d := c.Disability
			switch {
			case d.Kind == eligibility.DisabilityNone:
			case d.AllowanceLevel != nil:
				in = *d.AllowanceLevel
			case d.Grade == "":
				return undecided
			case d.Kind == eligibility.DisabilityPhysical && (d.Grade == "1" || d.Grade == "2"),
				d.Kind == eligibility.DisabilityIntellectual && slices.Contains([]string{"A", "A1", "A2", "1度", "2度"}, d.Grade),
				d.Kind == eligibility.DisabilityMental && d.Grade == "1":
				in = true
			case d.Kind == eligibility.DisabilityPhysical && slices.Contains([]string{"4", "5", "6", "7"}, d.Grade),
				d.Kind == eligibility.DisabilityIntellectual && (d.Grade == "B2" || d.Grade == "4度"),
				d.Kind == eligibility.DisabilityMental && d.Grade == "3":
			default:
				return undecided
			}
		}
		if in && !*c.InFacility && *c.ResidesInJapan {
			children++
		}
	}
	if children == 0 {
		return ineligible
	}
	// 扶養親族等 of the applicant.
	var rels []income.Relative
	hasSpouse := false
	for i := range h.Members {
		m := &h.Members[i]
		if m.Relation == eligibility.RelationSelf {
			continue
		}
		switch m.Relation {
		case eligibility.RelationChild, eligibility.RelationSpouse:
			if m.SameLivelihood != nil && !*m.SameLivelihood {
				continue
			}
		default:
			if m.Supported == nil {
				return undecided
			}
			if !*m.Supported {
				continue
			}
		}
		ti, ok := totalIncome(h, m, year)
		if !ok || m.BirthDate == nil {
			return undecided
		}
		spouse := m.Relation == eligibility.RelationSpouse
		hasSpouse = hasSpouse || spouse
		rels = append(rels, income.Relative{BirthDate: *m.BirthDate, TotalIncome: ti, Spouse: spouse})
	}
	var own int64
	if hasSpouse {
		var ok bool
		if own, ok = totalIncome(h, self, year); !ok {
			return undecided
		}
	}
	deps, err := income.CountDependents(year, own, rels)
	if err != nil {
		return undecided
	}
	role := income.RoleParent
	if caretaker {
		role = income.RoleCaretaker
	}
	inc, ok := measureIncome(h, self, year, role)
	if !ok {
		return undecided
	}
	var fullLimit, partialLimit int64
	if caretaker {
		elderly := deps.Elderly
		if elderly > 0 && elderly == deps.Count {
			elderly--
		}
		fullLimit = tableWithStep(p.liableLimits, p.step, deps.Count) + int64(elderly)*p.liableAdditionElderly
		partialLimit = fullLimit
	} else {
		add := int64(deps.ElderlySpouse+deps.Elderly)*p.additionElderly + int64(deps.Specified+deps.Aged16to18)*p.additionSpecified
		fullLimit = tableWithStep(p.fullLimits, p.step, deps.Count) + add
		partialLimit = tableWithStep(p.partialLimits, p.step, deps.Count) + add
	}
	if inc >= partialLimit {
		return ineligible
	}
	// 扶養義務者 living together.
	for i := range h.Members {
		m := &h.Members[i]
		liable := false
		switch m.Relation {
		case eligibility.RelationSpouse, eligibility.RelationParent, eligibility.RelationSibling:
			liable = true
		case eligibility.RelationChild:
			if m.BirthDate == nil {
				return undecided
			}
			if at.After(civil.FirstMarch31AfterAge(*m.BirthDate, 18)) {
				liable = civil.StatutoryAge(*m.BirthDate, at) >= 20 || m.Disability == nil || m.Disability.Kind == eligibility.DisabilityNone
			}
		}
		if !liable {
			continue
		}
		if m.LivesWith == nil {
			return undecided
		}
		if !*m.LivesWith {
			continue
		}
		var others []income.Relative
		if m.Relation == eligibility.RelationParent {
			for j := range h.Members {
				o := &h.Members[j]
				if j == i || o.Relation != eligibility.RelationParent {
					continue
				}
				ti, ok := totalIncome(h, o, year)
				if !ok || o.BirthDate == nil {
					return undecided
				}
				others = append(others, income.Relative{BirthDate: *o.BirthDate, TotalIncome: ti})
			}
		}
		d, err := income.CountDependents(year, 0, others)
		if err != nil {
			return undecided
		}
		li, ok := measureIncome(h, m, year, income.RoleLiableRelative)
		if !ok {
			return undecided
		}
		elderly := d.Elderly
		if elderly > 0 && elderly == d.Count {
			elderly--
		}
		if li >= tableWithStep(p.liableLimits, p.step, d.Count)+int64(elderly)*p.liableAdditionElderly {
			return ineligible
		}
	}
	partial := inc >= fullLimit
	delta := decimal.NewFromInt(inc - fullLimit)
	amount := func(full int64, coef decimal.Decimal) int64 {
		if !partial {
			return full
		}
		r, _ := eligibility.RoundYen(delta.Mul(coef), 10, eligibility.RoundHalfUp)
		return full - (r + 10)
	}
	total := amount(p.fullFirst, p.coefFirst)
	if children >= 2 {
		total += amount(p.fullSecond, p.coefSecond)
	}
	if children >= 3 {
		total += amount(p.fullThird, p.coefThird) * int64(children-2)
	}
	return craResult{decided: true, status: eligibility.Eligible, amount: total}
}

var zero int64

// noIncome is the income of a member known to have none (incomes: []).
var noIncome = eligibility.Income{SalaryRevenue: &zero, PensionRevenue: &zero, BusinessIncome: &zero, OtherIncome: &zero,
	ChildSupportReceived: &zero, Deductions: &eligibility.Deductions{}}

func incomeOf(m *eligibility.Member, year int) (*eligibility.Income, bool) {
	if m.Incomes != nil && len(m.Incomes) == 0 {
		return &noIncome, true
	}
	in := m.IncomeFor(year)
	if in == nil || in.SalaryRevenue == nil || in.PensionRevenue == nil || in.BusinessIncome == nil || in.OtherIncome == nil {
		return nil, false
	}
	return in, true
}

func earnings(h *eligibility.Household, m *eligibility.Member, year int) (income.Earnings, *eligibility.Income, bool) {
	in, ok := incomeOf(m, year)
	if !ok {
		return income.Earnings{}, nil, false
	}
	e := income.Earnings{SalaryRevenue: *in.SalaryRevenue, PensionRevenue: *in.PensionRevenue, OtherIncome: *in.BusinessIncome + *in.OtherIncome}
	if e.PensionRevenue > 0 {
		if m.BirthDate == nil {
			return e, nil, false
		}
		e.PensionAged65 = income.AgeAtYearEnd(*m.BirthDate, year) >= 65
	}
	if e.SalaryRevenue > 8_500_000 {
		for i := range h.Members {
			c := &h.Members[i]
			if c.Relation == eligibility.RelationChild && c.BirthDate != nil && income.AgeAtYearEnd(*c.BirthDate, year) < 23 {
				e.SalaryAdjustmentEligible = true
			}
		}
	}
	return e, in, true
}

func totalIncome(h *eligibility.Household, m *eligibility.Member, year int) (int64, bool) {
	e, _, ok := earnings(h, m, year)
	if !ok {
		return 0, false
	}
	t, err := income.TotalIncome(year, e)
	return t.Total, err == nil
}

var craMeasure = income.ChildRearingAllowance()

func measureIncome(h *eligibility.Household, m *eligibility.Member, year int, role income.Role) (int64, bool) {
	e, in, ok := earnings(h, m, year)
	if !ok {
		return 0, false
	}
	mi := income.MeasureInput{Year: year, Role: role, Earnings: e}
	if role == income.RoleParent {
		if in.ChildSupportReceived == nil {
			return 0, false
		}
		mi.ChildSupport = *in.ChildSupportReceived
	}
	d := in.Deductions
	if d == nil {
		return 0, false
	}
	mi.CasualtyLoss, mi.Medical, mi.SmallBusinessMutualAid, mi.SpouseSpecial = d.CasualtyLoss, d.Medical, d.SmallBusinessMutualAid, d.SpouseSpecial
	mi.Disabled, mi.SpecialDisabled, mi.WorkingStudent, mi.Widow, mi.SingleParent = d.Disabled, d.SpecialDisabled, d.WorkingStudent, d.Widow, d.SingleParent
	r, err := craMeasure.Income(mi)
	return r, err == nil
}

// TestHandwrittenChildRearingAllowanceAgrees: the reference gives the
// engine's status and amount wherever it decides, and decides most
// generated households.
func TestHandwrittenChildRearingAllowanceAgrees(t *testing.T) {
	e := compileSet(t, diffPackSets[0])
	decided, eligible := 0, 0
	for _, at := range diffDates[1:] {
		p := craParamsAt(t, e, at)
		hs, err := synth.Households(synth.Config{Seed: uint64(at.Year()), AsOf: at}, 1500)
		require.NoError(t, err)
		for _, h := range hs {
			r := handwrittenCRA(h, at, &p)
			if !r.decided {
				continue
			}
			s, err := e.Screen(context.Background(), h, at, eligibility.OnlyPrograms("child-rearing-allowance"))
			require.NoError(t, err)
			o := s.Results[0]
			require.Equal(t, o.Status, r.status, "%s on %s", h.ID, at)
			if r.status == eligibility.Eligible {
				require.NotNil(t, o.Amount)
				require.Equal(t, o.Amount.Yen, r.amount, "%s on %s", h.ID, at)
				eligible++
			}
			decided++
		}
	}
	require.Greater(t, decided, 5000, "the reference decides most complete households")
	require.Greater(t, eligible, 1000)
}
