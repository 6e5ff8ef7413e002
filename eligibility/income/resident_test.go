package income

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResidentTaxExemption(t *testing.T) {
	cases := []struct {
		name      string
		in        ResidentTaxInput
		perCapita bool
		levy      bool
		reason    ResidentExemptReason
	}{
		// OpenFisca-Japan 住民税/住民税非課税世帯.yaml #0–#9 (one or two persons).
		{"#0 1級地 single 450,000", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 450_000, Grade: Grade1}, true, true, ResidentPerCapitaLimit},
		{"#1 1級地 single 450,001", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 450_001, Grade: Grade1}, false, false, ResidentTaxable},
		{"#2 2級地 single 415,000", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 415_000, Grade: Grade2}, true, true, ResidentPerCapitaLimit},
		{"#3 2級地 single 415,001", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 415_001, Grade: Grade2}, false, true, ResidentTaxable},
		{"#4 3級地 single 380,000", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 380_000, Grade: Grade3}, true, true, ResidentPerCapitaLimit},
		{"#5 3級地 single 380,001", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 380_001, Grade: Grade3}, false, true, ResidentTaxable},
		{"#6 1級地 two 1,010,000", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 1_010_000, Dependents: 1, Grade: Grade1}, true, true, ResidentPerCapitaLimit},
		{"#7 1級地 two 1,010,001", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 1_010_001, Dependents: 1, Grade: Grade1}, false, true, ResidentTaxable},
		{"#8 2級地 two 919,000", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 919_000, Dependents: 1, Grade: Grade2}, true, true, ResidentPerCapitaLimit},
		{"#9 2級地 two 919,001", ResidentTaxInput{IncomeYear: 2022, TotalIncome: 919_001, Dependents: 1, Grade: Grade2}, false, true, ResidentTaxable},
		// 1級地 parent + 2 children: 350,000 × 3 + 100,000 + 210,000.
		{"1級地 three 1,360,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_360_000, Dependents: 2, Grade: Grade1}, true, true, ResidentPerCapitaLimit},
		{"1級地 three 1,360,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_360_001, Dependents: 2, Grade: Grade1}, false, true, ResidentTaxable},
		// 3級地 parent + 1 child: 280,000 × 2 + 100,000 + 168,000 = 828,000.
		{"3級地 two 828,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 828_000, Dependents: 1, Grade: Grade3}, true, true, ResidentPerCapitaLimit},
		{"3級地 two 828,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 828_001, Dependents: 1, Grade: Grade3}, false, true, ResidentTaxable},
		// 所得割 limit: 350,000 × 2 + 100,000 + 320,000 = 1,120,000 (not graded).
		{"所得割 at 1,120,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_120_000, Dependents: 1, Grade: Grade3}, false, true, ResidentTaxable},
		{"所得割 at 1,120,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_120_001, Dependents: 1, Grade: Grade3}, false, false, ResidentTaxable},
		// The 135万円 rule (all four statuses; 以下).
		{"ひとり親 1,350,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_350_000, Dependents: 1, Grade: Grade3, SingleParent: true}, true, true, ResidentSpecialStatus},
		{"ひとり親 1,350,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_350_001, Dependents: 1, Grade: Grade3, SingleParent: true}, false, false, ResidentTaxable},
		{"ひとり親 1,349,999", ResidentTaxInput{IncomeYear: 2025, TotalIncome: 1_349_999, Grade: Grade1, SingleParent: true}, true, true, ResidentSpecialStatus},
		{"寡婦 1,350,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_350_000, Grade: Grade1, Widow: true}, true, true, ResidentSpecialStatus},
		{"障害者 1,350,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_350_000, Grade: Grade1, Disabled: true}, true, true, ResidentSpecialStatus},
		{"未成年者 1,350,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 1_350_000, Grade: Grade1, Minor: true}, true, true, ResidentSpecialStatus},
		// The OpenFisca-Japan gap (domain notes §5): a single parent with one
		// child and 給与収入 1,500,000 (所得 950,000) in a 3級地 is non-taxable.
		{"ひとり親 950,000 3級地", ResidentTaxInput{IncomeYear: 2023, TotalIncome: 950_000, Dependents: 1, Grade: Grade3, SingleParent: true}, true, true, ResidentSpecialStatus},
		{"no status 950,000 3級地", ResidentTaxInput{IncomeYear: 2023, TotalIncome: 950_000, Dependents: 1, Grade: Grade3}, false, true, ResidentTaxable},
		{"生活扶助", ResidentTaxInput{IncomeYear: 2023, TotalIncome: 5_000_000, Grade: Grade1, LivelihoodAssistance: true}, true, true, ResidentLivelihoodAssistance},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ResidentTaxExemption(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.perCapita, got.PerCapitaExempt, "均等割")
			assert.Equal(t, c.levy, got.IncomeLevyExempt, "所得割")
			assert.Equal(t, c.reason, got.Reason)
			got2, steps, err := ResidentTaxExemptionExplained(c.in)
			require.NoError(t, err)
			assert.Equal(t, got, got2)
			assert.Equal(t, OpResult, steps[len(steps)-1].Op)
		})
	}
}

func TestResidentTaxMinor(t *testing.T) {
	cases := []struct {
		birthY, birthM, birthD int
		fiscal                 int
		want                   bool
	}{
		// 令和5年度 (町田市): born on or after 平成17年1月3日 are under 18.
		{2005, 1, 3, 2023, true},
		{2005, 1, 2, 2023, false},
		// 令和4年度: under 20, born on or after 平成14年1月3日.
		{2002, 1, 3, 2022, true},
		{2002, 1, 2, 2022, false},
		{2004, 6, 1, 2022, true},  // 17: minor in both regimes
		{2004, 6, 1, 2023, false}, // 18 on 2023-01-01
		{2006, 6, 1, 2024, true},
	}
	for _, c := range cases {
		got := ResidentTaxMinor(d(c.birthY, time.Month(c.birthM), c.birthD), c.fiscal)
		assert.Equal(t, c.want, got, fmt.Sprintf("%d-%02d-%02d in %d", c.birthY, c.birthM, c.birthD, c.fiscal))
	}
}

func TestResidentTaxErrors(t *testing.T) {
	for _, y := range []int{2019, 2026} {
		_, err := ResidentTaxExemption(ResidentTaxInput{IncomeYear: y, Grade: Grade1})
		assert.ErrorIs(t, err, ErrYearNotCovered)
	}
	for _, in := range []ResidentTaxInput{
		{IncomeYear: 2023, Grade: 0}, {IncomeYear: 2023, Grade: 4},
		{IncomeYear: 2023, Grade: Grade1, Dependents: -1}, {IncomeYear: 2023, Grade: Grade1, Dependents: maxPersons + 1},
		{IncomeYear: 2023, PerCapita: PerCapitaRule{Base: 0, Addition: 190_000}},
		{IncomeYear: 2023, PerCapita: PerCapitaRule{Base: 320_000, Addition: -1}},
		{IncomeYear: 2023, PerCapita: PerCapitaRule{Base: maxPerCapitaFigure + 1}},
	} {
		_, err := ResidentTaxExemption(in)
		assert.ErrorIs(t, err, ErrInvalidInput)
	}
}

// TestResidentTaxMunicipalRule checks a municipality's own 均等割 rule (条例)
// at both sides of its limit, against the 政令 standard of its 級地.
func TestResidentTaxMunicipalRule(t *testing.T) {
	// 二宮町 (2級地): 32万円×(扶養+1)+19万円+10万円; 開成町: 単身 42万円を超えると課税.
	ninomiya := PerCapitaRule{Base: 320_000, Addition: 190_000}
	// 真岡市 (3級地): 28万円×人数+10万円+17万円.
	moka := PerCapitaRule{Base: 280_000, Addition: 170_000}
	cases := []struct {
		name   string
		in     ResidentTaxInput
		exempt bool
		limit  int64
	}{
		{"二宮町 single 420,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 420_000, PerCapita: ninomiya}, true, 420_000},
		{"二宮町 single 420,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 420_001, PerCapita: ninomiya}, false, 420_000},
		{"二宮町 parent+1 930,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 930_000, Dependents: 1, PerCapita: ninomiya}, true, 930_000},
		{"二宮町 parent+1 930,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 930_001, Dependents: 1, PerCapita: ninomiya}, false, 930_000},
		// The 2級地 standard gives 919,000 for the same household: between the two
		// limits the municipality's rule decides.
		{"2級地 standard parent+1 919,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 919_001, Dependents: 1, Grade: Grade2}, false, 919_000},
		{"二宮町 parent+1 919,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 919_001, Dependents: 1, Grade: Grade2, PerCapita: ninomiya}, true, 930_000},
		{"真岡市 parent+1 830,000", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 830_000, Dependents: 1, PerCapita: moka}, true, 830_000},
		{"真岡市 parent+1 830,001", ResidentTaxInput{IncomeYear: 2024, TotalIncome: 830_001, Dependents: 1, PerCapita: moka}, false, 830_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, steps, err := ResidentTaxExemptionExplained(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.exempt, got.PerCapitaExempt)
			assert.Equal(t, c.limit, got.PerCapitaLimit)
			if c.in.PerCapita != (PerCapitaRule{}) {
				assert.Contains(t, steps[1].Label, "市町村の条例")
			}
		})
	}
	r, err := StandardPerCapitaRule(Grade2)
	require.NoError(t, err)
	assert.Equal(t, PerCapitaRule{Base: 315_000, Addition: 189_000}, r)
	_, err = StandardPerCapitaRule(0)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
