package income

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSingleParentDeduction(t *testing.T) {
	yes := PersonalDeduction{Eligible: true, IncomeTax: 350_000, ResidentTax: 300_000}
	no := PersonalDeduction{}
	cases := []struct {
		name string
		in   SingleParentInput
		want PersonalDeduction
	}{
		// OpenFisca-Japan 所得/各種控除.yaml #17, #20 and 住民税/各種控除.yaml #17, #20:
		// at exactly 5,000,000 the statute (以下) gives the deduction; OpenFisca does not.
		{"#17 4,999,999", SingleParentInput{Year: 2022, TotalIncome: 4_999_999, Unmarried: true, Children: []int64{0}}, yes},
		{"#20 5,000,000 (以下: known disagreement)", SingleParentInput{Year: 2022, TotalIncome: 5_000_000, Unmarried: true, Children: []int64{0}}, yes},
		{"5,000,001", SingleParentInput{Year: 2022, TotalIncome: 5_000_001, Unmarried: true, Children: []int64{0}}, no},
		{"#19 no child", SingleParentInput{Year: 2022, TotalIncome: 4_999_999, Unmarried: true}, no},
		{"#18 married", SingleParentInput{Year: 2022, TotalIncome: 4_999_999, Unmarried: false, Children: []int64{0}}, no},
		{"事実婚", SingleParentInput{Year: 2022, TotalIncome: 1_000_000, Unmarried: true, DeFactoSpouse: true, Children: []int64{0}}, no},
		// Child's 総所得金額等 threshold by year.
		{"2024 child 480,000", SingleParentInput{Year: 2024, Unmarried: true, Children: []int64{480_000}}, yes},
		{"2024 child 480,001", SingleParentInput{Year: 2024, Unmarried: true, Children: []int64{480_001}}, no},
		{"2025 child 580,000", SingleParentInput{Year: 2025, Unmarried: true, Children: []int64{580_000}}, yes},
		{"2025 child 580,001", SingleParentInput{Year: 2025, Unmarried: true, Children: []int64{580_001}}, no},
		{"2026 child 620,000", SingleParentInput{Year: 2026, Unmarried: true, Children: []int64{620_000}}, yes},
		{"2026 child 620,001", SingleParentInput{Year: 2026, Unmarried: true, Children: []int64{620_001}}, no},
		{"one qualifying child among several", SingleParentInput{Year: 2025, Unmarried: true, Children: []int64{2_000_000, 100_000}}, yes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SingleParentDeduction(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			got2, steps, err := SingleParentDeductionExplained(c.in)
			require.NoError(t, err)
			assert.Equal(t, got, got2)
			assert.Equal(t, got.ResidentTax, steps[len(steps)-1].Amount)
		})
	}
}

func TestWidowDeduction(t *testing.T) {
	yes := PersonalDeduction{Eligible: true, IncomeTax: 270_000, ResidentTax: 260_000}
	no := PersonalDeduction{}
	cases := []struct {
		name string
		in   WidowInput
		want PersonalDeduction
	}{
		{"bereaved", WidowInput{Year: 2023, TotalIncome: 3_000_000, Female: true, Bereaved: true}, yes},
		{"bereaved at 5,000,000", WidowInput{Year: 2023, TotalIncome: 5_000_000, Female: true, Bereaved: true}, yes},
		{"bereaved at 5,000,001", WidowInput{Year: 2023, TotalIncome: 5_000_001, Female: true, Bereaved: true}, no},
		{"divorced with dependent", WidowInput{Year: 2023, Female: true, Divorced: true, HasDependent: true}, yes},
		{"divorced without dependent", WidowInput{Year: 2023, Female: true, Divorced: true}, no},
		{"man", WidowInput{Year: 2023, Bereaved: true}, no},
		{"ひとり親 takes precedence", WidowInput{Year: 2023, Female: true, Bereaved: true, SingleParent: true}, no},
		{"事実婚", WidowInput{Year: 2023, Female: true, Bereaved: true, DeFactoSpouse: true}, no},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := WidowDeduction(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			got2, _, err := WidowDeductionExplained(c.in)
			require.NoError(t, err)
			assert.Equal(t, got, got2)
		})
	}
}

func TestSingleParentErrors(t *testing.T) {
	for _, y := range []int{2019, 2027} {
		_, err := SingleParentDeduction(SingleParentInput{Year: y})
		assert.ErrorIs(t, err, ErrYearNotCovered)
		_, err = WidowDeduction(WidowInput{Year: y})
		assert.ErrorIs(t, err, ErrYearNotCovered)
	}
	_, err := SingleParentDeduction(SingleParentInput{Year: 2023, Children: make([]int64, maxPersons+1)})
	assert.ErrorIs(t, err, ErrInvalidInput)
}
