package income

import (
	"errors"
	"github.com/onestop-jp/onestop/civil"
	"math"
	"testing"
	"time"
)

// typedErr fails the test unless err is one of the package's typed errors.
func typedErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrYearNotCovered) && !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("untyped error: %v", err)
	}
}

func absDelta(d int64) int64 {
	if d < 0 {
		if d == math.MinInt64 {
			return math.MaxInt64
		}
		return -d
	}
	return d
}

// FuzzSalaryIncome: never panics; 0 ≤ 給与所得 ≤ 給与収入; non-decreasing in
// revenue; the explained path agrees; the deduction is at least the minimum.
func FuzzSalaryIncome(f *testing.F) {
	f.Add(2023, int64(3_000_000), int64(1))
	f.Add(2025, int64(1_899_999), int64(1))
	f.Add(2019, int64(6_599_999), int64(4000))
	f.Add(2026, int64(0), int64(0))
	f.Add(2024, int64(math.MaxInt64), int64(-1))
	f.Fuzz(func(t *testing.T, year int, revenue, delta int64) {
		v, err := SalaryIncome(year, revenue)
		if err != nil {
			typedErr(t, err)
			return
		}
		if v < 0 || v > revenue {
			t.Fatalf("給与所得 %d out of [0, %d]", v, revenue)
		}
		v2, steps, err := SalaryIncomeExplained(year, revenue)
		if err != nil || v2 != v || len(steps) == 0 || steps[len(steps)-1].Amount != v {
			t.Fatalf("explained path disagrees: %d %d %v", v, v2, err)
		}
		ded, err := SalaryDeduction(year, revenue)
		if err != nil || ded < 550_000 {
			t.Fatalf("deduction %d %v", ded, err)
		}
		d := absDelta(delta)
		if revenue > math.MaxInt64-d {
			return
		}
		w, err := SalaryIncome(year, revenue+d)
		if err != nil {
			t.Fatalf("revenue %d: %v", revenue+d, err)
		}
		if w < v {
			t.Fatalf("not monotone: %d → %d, %d → %d", revenue, v, revenue+d, w)
		}
	})
}

// FuzzPublicPensionIncome: never panics; 0 ≤ 雑所得 ≤ 収入; non-decreasing in
// revenue; non-increasing in other income (a lower 控除 gives a higher 雑所得,
// so non-decreasing there too).
func FuzzPublicPensionIncome(f *testing.F) {
	f.Add(2023, int64(2_000_000), true, int64(0), int64(1))
	f.Add(2020, int64(1_300_000), false, int64(10_000_001), int64(7))
	f.Add(2019, int64(1), false, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, year int, revenue int64, aged bool, other, delta int64) {
		v, err := PublicPensionIncome(year, revenue, aged, other)
		if err != nil {
			typedErr(t, err)
			return
		}
		if v < 0 || v > revenue {
			t.Fatalf("雑所得 %d out of [0, %d]", v, revenue)
		}
		v2, _, err := PublicPensionIncomeExplained(year, revenue, aged, other)
		if err != nil || v2 != v {
			t.Fatalf("explained path disagrees")
		}
		d := absDelta(delta)
		if revenue <= math.MaxInt64-d {
			w, err := PublicPensionIncome(year, revenue+d, aged, other)
			if err != nil || w < v {
				t.Fatalf("not monotone in revenue: %d → %d (%v)", v, w, err)
			}
		}
		if other <= math.MaxInt64-d {
			w, err := PublicPensionIncome(year, revenue, aged, other+d)
			if err != nil || w < v {
				t.Fatalf("not monotone in other income: %d → %d (%v)", v, w, err)
			}
		}
	})
}

// FuzzMeasureIncome: never panics; the 所得額 is never negative; both paths
// agree; more salary never lowers it.
func FuzzMeasureIncome(f *testing.F) {
	f.Add(2023, uint8(1), int64(3_000_000), int64(0), false, int64(0), int64(0), int64(0), int64(0), 0, 0, false, false, uint8(0))
	f.Add(2024, uint8(4), int64(1_000_000), int64(2_000_000), true, int64(50_000), int64(0), int64(10_000), int64(1), 1, 1, true, true, uint8(2))
	f.Add(2025, uint8(2), int64(600_000), int64(0), false, int64(0), int64(300_001), int64(0), int64(0), 0, 0, false, false, uint8(1))
	f.Fuzz(func(t *testing.T, year int, role uint8, salary, pension int64, aged bool, other, childSupport, medical, casualty int64,
		disabled, special int, widow, single bool, preset uint8) {
		var m Measure
		switch preset % 3 {
		case 0:
			m = ChildRearingAllowance()
		case 1:
			m = TokyoSingleParentMedical()
		default:
			m = TokyoChildUpbringing()
		}
		in := MeasureInput{
			Year: year, Role: Role(role),
			Earnings:     Earnings{SalaryRevenue: salary, PensionRevenue: pension, PensionAged65: aged, OtherIncome: other},
			ChildSupport: childSupport, Medical: medical, CasualtyLoss: casualty,
			Disabled: disabled, SpecialDisabled: special, Widow: widow, SingleParent: single,
		}
		v, err := m.Income(in)
		if err != nil {
			typedErr(t, err)
			return
		}
		if v < 0 {
			t.Fatalf("negative 所得額 %d", v)
		}
		v2, steps, err := m.IncomeExplained(in)
		if err != nil || v2 != v || steps[len(steps)-1].Amount != v {
			t.Fatalf("explained path disagrees: %d %d %v", v, v2, err)
		}
		if salary <= math.MaxInt64-1_000_000 {
			in.Earnings.SalaryRevenue += 1_000_000
			w, err := m.Income(in)
			if err == nil && w < v {
				t.Fatalf("more salary lowered the 所得額: %d → %d", v, w)
			}
			if err != nil {
				typedErr(t, err)
			}
		}
	})
}

// FuzzCountDependents: never panics; the count equals the sum of the
// categories; additions follow the counts.
func FuzzCountDependents(f *testing.F) {
	f.Add(2023, int64(2_000_000), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add(2025, int64(20_000_000), []byte{255, 0, 7, 200, 13, 99})
	f.Fuzz(func(t *testing.T, year int, taxpayer int64, data []byte) {
		var rel []Relative
		for i := 0; i+2 < len(data); i += 3 {
			birth := civil.MustDate(1920+int(data[i]%110), time.Month(1+data[i+1]%12), 1+int(data[i+2]%28))
			rel = append(rel, Relative{
				BirthDate:   birth,
				TotalIncome: int64(data[i+1]) * 5_000,
				Spouse:      i == 0 && data[i]%2 == 0,
			})
		}
		got, err := CountDependents(year, taxpayer, rel)
		if err != nil {
			typedErr(t, err)
			return
		}
		sum := got.Spouse + got.Under16 + got.Aged16to18 + got.Specified + got.Adult + got.Elderly
		if sum != got.Count || got.Count+got.NotBorn+got.OverIncome != len(rel) {
			t.Fatalf("counts do not add up: %+v for %d relatives", got, len(rel))
		}
		if got.RecipientAddition != int64(got.ElderlySpouse+got.Elderly)*100_000+int64(got.Specified+got.Aged16to18)*150_000 {
			t.Fatalf("recipient addition %+v", got)
		}
		if got.LiableRelativeAddition < 0 || got.LiableRelativeAddition > int64(got.Elderly)*60_000 {
			t.Fatalf("liable addition %+v", got)
		}
		got2, _, err := CountDependentsExplained(year, taxpayer, rel)
		if err != nil || got2 != got {
			t.Fatalf("explained path disagrees")
		}
	})
}

// FuzzResidentTaxExemption: never panics; 均等割 exemption implies 所得割
// exemption; a lower income never turns an exempt person taxable.
func FuzzResidentTaxExemption(f *testing.F) {
	f.Add(2023, int64(450_000), 0, uint8(1), false, false, int64(0), int64(0))
	f.Add(2024, int64(1_350_000), 2, uint8(3), true, false, int64(0), int64(0))
	f.Add(2024, int64(930_000), 1, uint8(2), false, false, int64(320_000), int64(190_000))
	f.Fuzz(func(t *testing.T, year int, income int64, deps int, grade uint8, single, minor bool, base, addition int64) {
		in := ResidentTaxInput{IncomeYear: year, TotalIncome: income, Dependents: deps, Grade: Grade(grade), SingleParent: single, Minor: minor,
			PerCapita: PerCapitaRule{Base: base, Addition: addition}}
		s, err := ResidentTaxExemption(in)
		if err != nil {
			typedErr(t, err)
			return
		}
		if s.PerCapitaExempt && !s.IncomeLevyExempt {
			t.Fatalf("均等割 exempt but 所得割 taxable: %+v", s)
		}
		if income > math.MinInt64 {
			in.TotalIncome = income - 1
			lower, err := ResidentTaxExemption(in)
			if err != nil || (s.PerCapitaExempt && !lower.PerCapitaExempt) || (s.IncomeLevyExempt && !lower.IncomeLevyExempt) {
				t.Fatalf("not monotone at %d: %+v → %+v", income, s, lower)
			}
		}
	})
}

// FuzzIncomeDeductions: never panics; totals are the sum of the parts;
// the explained path agrees; the 所得割 and 所得税 built on them never go
// negative and never exceed their gross amounts.
func FuzzIncomeDeductions(f *testing.F) {
	f.Add(uint8(2), 2024, int64(2_020_000), uint8(0), true, false, false, int64(450_000), []byte{2, 0, 14, 0})
	f.Add(uint8(1), 2025, int64(9_000_000), uint8(2), false, true, false, int64(0), []byte{1, 1, 60, 7, 0, 2, 30, 3})
	f.Add(uint8(2), 2025, int64(5_000_000), uint8(1), false, false, true, int64(1), []byte{1, 0, 40, 6})
	f.Add(uint8(1), 2025, int64(3_000_000), uint8(0), true, false, false, int64(0), []byte{0, 0, 20, 9, 0, 1, 22, 12}) // 特定親族
	f.Fuzz(func(t *testing.T, tax uint8, year int, total int64, dis uint8, single, widow, student bool, social int64, rel []byte) {
		in := DeductionInput{Tax: Tax(tax), Year: year, TotalIncome: total, Disability: DisabilityLevel(dis),
			SingleParent: single, Widow: widow, WorkingStudent: student, Female: true, SocialInsurance: social}
		// Each relative: 4 bytes (spouse flag, disability, age, income in 100,000s).
		for i := 0; i+3 < len(rel) && len(in.Relatives) < maxPersons+1; i += 4 {
			in.Relatives = append(in.Relatives, TaxRelative{Spouse: rel[i]&1 == 1, Disability: DisabilityLevel(rel[i+1] % 4),
				BirthDate: d(2025-int(rel[i+2]), 6, 1), TotalIncome: int64(rel[i+3]) * 100_000, LivesWith: rel[i]&2 == 2, LinealAscendant: rel[i]&4 == 4})
		}
		got, err := IncomeDeductions(in)
		if err != nil {
			typedErr(t, err)
			return
		}
		sum := got.Basic + got.Spouse + got.SpouseSpecial + got.Dependents + got.SpecificRelative + got.Disabled + got.Widow + got.SingleParent + got.WorkingStudent +
			got.SocialInsurance + got.SmallBusinessMutualAid + got.Medical + got.CasualtyLoss + got.InsurancePremiums
		if got.Total != sum || got.Total < 0 || got.PersonalDifference < 0 {
			t.Fatalf("inconsistent deductions %+v", got)
		}
		got2, _, err := IncomeDeductionsExplained(in)
		if err != nil || got2 != got {
			t.Fatalf("explained path disagrees")
		}
		if in.Tax == ResidentTax {
			lv, err := ResidentIncomeLevy(ResidentLevyInput{IncomeYear: year, TotalIncome: total, Deductions: got})
			if err != nil {
				typedErr(t, err)
				return
			}
			if lv.Municipal < 0 || lv.Municipal > lv.MunicipalGross || lv.StandardMunicipal < 0 || lv.TaxableBase%1000 != 0 {
				t.Fatalf("bad levy %+v", lv)
			}
		} else {
			it, err := IncomeTaxAmount(year, total, got.Total)
			if err != nil {
				typedErr(t, err)
				return
			}
			if it.Base < 0 || it.Total < it.Base {
				t.Fatalf("bad tax %+v", it)
			}
		}
	})
}
