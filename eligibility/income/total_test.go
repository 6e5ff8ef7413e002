package income

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTotalIncome(t *testing.T) {
	cases := []struct {
		name string
		year int
		e    Earnings
		want IncomeTotals
	}{
		{"salary only", 2023, Earnings{SalaryRevenue: 3_000_000},
			IncomeTotals{Salary: 2_020_000, Total: 2_020_000}},
		{"salary and pension: 所得金額調整控除 100,000", 2023,
			Earnings{SalaryRevenue: 1_000_000, PensionRevenue: 2_000_000, PensionAged65: true},
			IncomeTotals{Salary: 450_000, SalaryAdjustment: 100_000, Pension: 900_000, Total: 1_250_000}},
		{"salary and pension, both small", 2023,
			Earnings{SalaryRevenue: 600_000, PensionRevenue: 1_150_000, PensionAged65: true},
			IncomeTotals{Salary: 50_000, SalaryAdjustment: 0, Pension: 50_000, Total: 100_000}},
		{"salary and pension, sum just above 100,000", 2023,
			Earnings{SalaryRevenue: 600_000, PensionRevenue: 1_150_001, PensionAged65: true},
			IncomeTotals{Salary: 50_000, SalaryAdjustment: 1, Pension: 50_001, Total: 100_000}},
		{"no adjustment before 令和2年分", 2019,
			Earnings{SalaryRevenue: 9_000_000, SalaryAdjustmentEligible: true},
			IncomeTotals{Salary: 6_900_000, Total: 6_900_000}},
		{"子ども等 adjustment at 8,500,000 (none)", 2023,
			Earnings{SalaryRevenue: 8_500_000, SalaryAdjustmentEligible: true},
			IncomeTotals{Salary: 6_550_000, Total: 6_550_000}},
		{"子ども等 adjustment at 8,500,001 (1 yen, rounded up)", 2023,
			Earnings{SalaryRevenue: 8_500_001, SalaryAdjustmentEligible: true},
			IncomeTotals{Salary: 6_550_001, SalaryAdjustment: 1, Total: 6_550_000}},
		{"子ども等 adjustment at 9,000,000", 2023,
			Earnings{SalaryRevenue: 9_000_000, SalaryAdjustmentEligible: true},
			IncomeTotals{Salary: 7_050_000, SalaryAdjustment: 50_000, Total: 7_000_000}},
		{"子ども等 adjustment capped at 10,000,000", 2023,
			Earnings{SalaryRevenue: 12_000_000, SalaryAdjustmentEligible: true},
			IncomeTotals{Salary: 10_050_000, SalaryAdjustment: 150_000, Total: 9_900_000}},
		{"not eligible", 2023, Earnings{SalaryRevenue: 12_000_000},
			IncomeTotals{Salary: 10_050_000, Total: 10_050_000}},
		{"other income", 2025, Earnings{SalaryRevenue: 1_000_000, OtherIncome: 500_000},
			IncomeTotals{Salary: 350_000, Other: 500_000, Total: 850_000}},
		{"pension band uses other income", 2023,
			Earnings{PensionRevenue: 1_300_000, OtherIncome: 10_000_001},
			IncomeTotals{Pension: 800_000, Other: 10_000_001, Total: 10_800_001}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := TotalIncome(c.year, c.e)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			got2, steps, err := TotalIncomeExplained(c.year, c.e)
			require.NoError(t, err)
			assert.Equal(t, got, got2)
			assert.Equal(t, got.Total, steps[len(steps)-1].Amount)
		})
	}
}

func TestTotalIncomeErrors(t *testing.T) {
	_, err := TotalIncome(2016, Earnings{})
	assert.ErrorIs(t, err, ErrYearNotCovered)
	// Pension before 令和2年分 is not covered, even where salary is.
	_, err = TotalIncome(2019, Earnings{PensionRevenue: 1})
	assert.ErrorIs(t, err, ErrYearNotCovered)
	for _, e := range []Earnings{{SalaryRevenue: -1}, {PensionRevenue: -1}, {OtherIncome: -1}} {
		_, err = TotalIncome(2023, e)
		assert.ErrorIs(t, err, ErrInvalidInput)
	}
	_, err = TotalIncome(2023, Earnings{SalaryRevenue: 10_000_000, OtherIncome: math.MaxInt64})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = TotalIncome(2023, Earnings{PensionRevenue: math.MaxInt64, OtherIncome: math.MaxInt64 - 5})
	assert.ErrorIs(t, err, ErrInvalidInput)
}
