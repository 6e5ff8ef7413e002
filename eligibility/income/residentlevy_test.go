package income

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaxableIncome(t *testing.T) {
	assert.Equal(t, int64(1_949_000), TaxableIncome(1_949_999, 0))
	assert.Equal(t, int64(0), TaxableIncome(100_000, 480_000))
	assert.Equal(t, int64(840_000), TaxableIncome(2_020_000, 1_180_000))
	assert.Equal(t, int64(0), TaxableIncome(-5, 0))
}

func TestIncomeTaxAmount(t *testing.T) {
	cases := []struct {
		taxable, base int64
	}{
		// 所得税法 第89条 (国税庁 No.2260) at each band edge; OpenFisca
		// 所得/所得税.yaml #1, #3, #5, #7, #9, #11 (multiples of 1,000).
		{1_000, 50},
		{1_949_000, 97_450},
		{1_950_000, 97_500},
		{3_299_000, 232_400},
		{3_300_000, 232_500},
		{6_949_000, 962_300},
		{6_950_000, 962_500},
		{8_999_000, 1_433_770},
		{9_000_000, 1_434_000},
		{17_999_000, 4_403_670},
		{18_000_000, 4_404_000},
		{39_999_000, 13_203_600},
		{40_000_000, 13_204_000},
	}
	for _, c := range cases {
		r, err := IncomeTaxAmount(2025, c.taxable, 0)
		require.NoError(t, err)
		assert.Equal(t, c.base, r.Base, "taxable %d", c.taxable)
		assert.Equal(t, c.base*21/1000, r.Reconstruction)
		assert.Equal(t, r.Base+r.Reconstruction, r.Total)
	}
	// The 1,000-yen truncation of the 課税総所得金額 (国税通則法 第118条第1項):
	// 1,949,999 is taxed as 1,949,000 (OpenFisca #0 taxes 1,949,999).
	r, steps, err := IncomeTaxAmountExplained(2025, 1_949_999, 0)
	require.NoError(t, err)
	assert.Equal(t, int64(1_949_000), r.Taxable)
	assert.Equal(t, int64(97_450), r.Base)
	assert.Equal(t, r.Total, steps[len(steps)-1].Amount)
	// 復興特別所得税: 2.1 %, 1円未満切捨て (OpenFisca #13: 100,000 → 2,100).
	r, err = IncomeTaxAmount(2023, 1_975_000+480_000, 480_000)
	require.NoError(t, err)
	assert.Equal(t, int64(100_000), r.Base)
	assert.Equal(t, int64(2_100), r.Reconstruction)
	r, err = IncomeTaxAmount(2023, 1_001_000, 0) // 50,050 → 1,051.05
	require.NoError(t, err)
	assert.Equal(t, int64(1_051), r.Reconstruction)
	_, err = IncomeTaxAmount(2027, 1, 0)
	assert.ErrorIs(t, err, ErrYearNotCovered)
	_, err = IncomeTaxAmount(2024, 1, -1)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

// A worked 所得割 chain: a mother with 給与収入 3,000,000 (令和6年分, 給与所得
// 2,020,000), one child aged 10 and 社会保険料 450,000.
func TestResidentIncomeLevyWorkedExample(t *testing.T) {
	in := DeductionInput{Tax: ResidentTax, Year: 2024, TotalIncome: 2_020_000, Female: true, SingleParent: true,
		Relatives: []TaxRelative{{BirthDate: d(2014, 6, 1)}}, SocialInsurance: 450_000}
	ded, err := IncomeDeductions(in)
	require.NoError(t, err)
	// 430,000 + 300,000 + 450,000; 差 = 基礎 50,000 + ひとり親（母）50,000.
	assert.Equal(t, int64(1_180_000), ded.Total)
	assert.Equal(t, int64(100_000), ded.PersonalDifference)
	lv, steps, err := ResidentIncomeLevyExplained(ResidentLevyInput{IncomeYear: 2024, TotalIncome: 2_020_000, Deductions: ded})
	require.NoError(t, err)
	assert.Equal(t, int64(840_000), lv.TaxableBase)
	assert.Equal(t, int64(100_000), lv.AdjustmentBase) // min(差, 課税標準額)
	assert.Equal(t, int64(50_400), lv.MunicipalGross)
	assert.Equal(t, int64(3_000), lv.MunicipalAdjustment)
	assert.Equal(t, int64(47_400), lv.Municipal)
	assert.Equal(t, int64(31_600), lv.Prefectural) // 33,600 − 2,000
	assert.Equal(t, int64(47_400), lv.StandardMunicipal)
	assert.Equal(t, lv.StandardMunicipal, steps[len(steps)-1].Amount)

	// The same person's 所得税: 480,000 + 350,000 + 450,000 → 課税 740,000 → 37,000.
	in.Tax = IncomeTax
	dit, err := IncomeDeductions(in)
	require.NoError(t, err)
	it, err := IncomeTaxAmount(2024, 2_020_000, dit.Total)
	require.NoError(t, err)
	assert.Equal(t, int64(740_000), it.Taxable)
	assert.Equal(t, int64(37_000), it.Base)
	assert.Equal(t, int64(777), it.Reconstruction)
}

func TestResidentIncomeLevyAdjustment(t *testing.T) {
	cases := []struct {
		name           string
		total, ded     int64
		diff           int64
		designated     bool
		base, adjBase  int64
		muni, standard int64
	}{
		// 課税標準額 ≤ 2,000,000: the smaller of 差 and 課税標準額.
		{"small base", 600_000, 570_000, 100_000, false, 30_000, 30_000, 1_800 - 900, 900},
		{"2,000,000 exactly", 3_000_000, 1_000_000, 150_000, false, 2_000_000, 150_000, 120_000 - 4_500, 115_500},
		// Above: (差 − (課税標準額 − 2,000,000)), at least 50,000.
		{"2,001,000", 3_001_000, 1_000_000, 150_000, false, 2_001_000, 149_000, 120_060 - 4_470, 115_590},
		{"floor 50,000", 6_000_000, 1_000_000, 150_000, false, 5_000_000, 50_000, 300_000 - 1_500, 298_500},
		// 指定都市: 市 8 % and 4 %; the standard figure stays 6 % − 3 %.
		{"指定都市", 3_000_000, 1_000_000, 150_000, true, 2_000_000, 150_000, 160_000 - 6_000, 115_500},
		// No 調整控除 above 25,000,000 of 合計所得金額.
		{"25,000,001", 25_000_001, 0, 50_000, false, 25_000_000, 0, 1_500_000, 1_500_000},
		{"zero base", 400_000, 430_000, 50_000, false, 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lv, err := ResidentIncomeLevy(ResidentLevyInput{IncomeYear: 2023, TotalIncome: c.total, DesignatedCity: c.designated,
				Deductions: Deductions{Total: c.ded, PersonalDifference: c.diff}})
			require.NoError(t, err)
			assert.Equal(t, c.base, lv.TaxableBase)
			assert.Equal(t, c.adjBase, lv.AdjustmentBase)
			assert.Equal(t, c.muni, lv.Municipal)
			assert.Equal(t, c.standard, lv.StandardMunicipal)
		})
	}
	_, err := ResidentIncomeLevy(ResidentLevyInput{IncomeYear: 2026})
	assert.ErrorIs(t, err, ErrYearNotCovered)
	_, err = ResidentIncomeLevy(ResidentLevyInput{IncomeYear: 2024, Deductions: Deductions{Total: -1}})
	assert.ErrorIs(t, err, ErrInvalidInput)
}
