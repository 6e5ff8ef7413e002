package income

import "testing"

var (
	sinkInt   int64
	sinkSteps []Step
)

func BenchmarkSalaryIncome(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		v, err := SalaryIncome(2023, 3_000_000+int64(i%997)*1_000)
		if err != nil {
			b.Fatal(err)
		}
		sinkInt = v
	}
}

func BenchmarkSalaryIncomeExplained(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		v, steps, err := SalaryIncomeExplained(2023, 3_000_000+int64(i%997)*1_000)
		if err != nil {
			b.Fatal(err)
		}
		sinkInt, sinkSteps = v, steps
	}
}

func BenchmarkMeasureIncome(b *testing.B) {
	m := ChildRearingAllowance()
	in := MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000}, ChildSupport: 300_000}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		in.Earnings.SalaryRevenue = 3_000_000 + int64(i%997)*1_000
		v, err := m.Income(in)
		if err != nil {
			b.Fatal(err)
		}
		sinkInt = v
	}
}

func BenchmarkMeasureIncomeExplained(b *testing.B) {
	m := ChildRearingAllowance()
	in := MeasureInput{Year: 2023, Role: RoleParent, Earnings: Earnings{SalaryRevenue: 3_000_000}, ChildSupport: 300_000}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		in.Earnings.SalaryRevenue = 3_000_000 + int64(i%997)*1_000
		v, steps, err := m.IncomeExplained(in)
		if err != nil {
			b.Fatal(err)
		}
		sinkInt, sinkSteps = v, steps
	}
}

// A grandparent with salary and pension: the heaviest path (two decimal
// formulas and both 所得金額調整控除 checks).
func BenchmarkMeasureIncomeSalaryAndPension(b *testing.B) {
	m := ChildRearingAllowance()
	in := MeasureInput{Year: 2024, Role: RoleLiableRelative,
		Earnings: Earnings{SalaryRevenue: 1_000_000, PensionRevenue: 2_000_000, PensionAged65: true}, Widow: true}
	b.ReportAllocs()
	for b.Loop() {
		v, err := m.Income(in)
		if err != nil {
			b.Fatal(err)
		}
		sinkInt = v
	}
}
