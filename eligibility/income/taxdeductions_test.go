package income

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBasicDeduction(t *testing.T) {
	cases := []struct {
		tax    Tax
		year   int
		income int64
		want   int64
	}{
		// 所得税 令和2年分〜令和6年分 (OpenFisca 所得/所得控除.yaml #17–#20).
		{IncomeTax, 2024, 24_000_000, 480_000}, {IncomeTax, 2024, 24_000_001, 320_000},
		{IncomeTax, 2024, 24_500_000, 320_000}, {IncomeTax, 2024, 24_500_001, 160_000},
		{IncomeTax, 2024, 25_000_000, 160_000}, {IncomeTax, 2024, 25_000_001, 0},
		{IncomeTax, 2020, 0, 480_000},
		// 令和7年分 (#8–#16): 58万円 + 措置法 第41条の16の2.
		{IncomeTax, 2025, 1_320_000, 950_000}, {IncomeTax, 2025, 1_320_001, 880_000},
		{IncomeTax, 2025, 3_360_000, 880_000}, {IncomeTax, 2025, 3_360_001, 680_000},
		{IncomeTax, 2025, 4_890_000, 680_000}, {IncomeTax, 2025, 4_890_001, 630_000},
		{IncomeTax, 2025, 6_550_000, 630_000}, {IncomeTax, 2025, 6_550_001, 580_000},
		{IncomeTax, 2025, 23_500_000, 580_000}, {IncomeTax, 2025, 23_500_001, 480_000},
		{IncomeTax, 2025, 24_200_000, 320_000}, {IncomeTax, 2025, 25_000_002, 0},
		// 令和8年分: 62万円 + 42万円 / 5万円.
		{IncomeTax, 2026, 0, 1_040_000}, {IncomeTax, 2026, 4_890_000, 1_040_000}, {IncomeTax, 2026, 4_890_001, 670_000},
		{IncomeTax, 2026, 6_550_000, 670_000}, {IncomeTax, 2026, 6_550_001, 620_000},
		{IncomeTax, 2026, 23_500_000, 620_000}, {IncomeTax, 2026, 23_500_001, 480_000},
		// 住民税.
		{ResidentTax, 2023, 24_000_000, 430_000}, {ResidentTax, 2023, 24_000_001, 290_000},
		{ResidentTax, 2025, 24_500_001, 150_000}, {ResidentTax, 2025, 25_000_001, 0},
	}
	for _, c := range cases {
		got, err := BasicDeduction(c.tax, c.year, c.income)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s %d %d", c.tax, c.year, c.income)
	}
	for _, c := range []struct {
		tax  Tax
		year int
	}{{IncomeTax, 2019}, {IncomeTax, 2027}, {ResidentTax, 2026}} {
		_, err := BasicDeduction(c.tax, c.year, 0)
		assert.ErrorIs(t, err, ErrYearNotCovered, "%s %d", c.tax, c.year)
	}
}

func TestSpouseDeductions(t *testing.T) {
	spouse := func(income int64, born int) TaxRelative {
		return TaxRelative{BirthDate: d(born, 5, 1), TotalIncome: income, Spouse: true}
	}
	cases := []struct {
		name           string
		tax            Tax
		year           int
		taxpayer       int64
		sp             TaxRelative
		spouse, spSpec int64
		diff           int64 // 人的控除額の差 besides 基礎控除
	}{
		// OpenFisca 所得/配偶者控除.yaml #7–#22 (所得税, 令和5年分).
		{"#7", IncomeTax, 2023, 9_000_000, spouse(480_000, 1990), 380_000, 0, 0},
		{"#8 480,001 is 配偶者特別控除", IncomeTax, 2023, 9_000_000, spouse(480_001, 1990), 0, 380_000, 0},
		{"#9", IncomeTax, 2023, 9_000_001, spouse(480_000, 1990), 260_000, 0, 0},
		{"#11", IncomeTax, 2023, 9_500_001, spouse(480_000, 1990), 130_000, 0, 0},
		{"#13", IncomeTax, 2023, 10_000_001, spouse(480_000, 1990), 0, 0, 0},
		{"#14 老人", IncomeTax, 2023, 9_000_000, spouse(480_000, 1953), 480_000, 0, 0},
		{"#16 老人", IncomeTax, 2023, 9_000_001, spouse(480_000, 1953), 320_000, 0, 0},
		{"#18 老人", IncomeTax, 2023, 9_500_001, spouse(480_000, 1953), 160_000, 0, 0},
		// 1954-01-01 is 70 on 2023-12-31 (the day before the birthday):
		// 国税庁 "令和5年分…昭和29年1月1日以前に生まれた人".
		{"#21 born 1954-01-01 is 老人", IncomeTax, 2023, 9_000_000, TaxRelative{BirthDate: d(1954, 1, 1), TotalIncome: 480_000, Spouse: true}, 480_000, 0, 0},
		{"born 1954-01-02 is not", IncomeTax, 2023, 9_000_000, TaxRelative{BirthDate: d(1954, 1, 2), TotalIncome: 480_000, Spouse: true}, 380_000, 0, 0},
		// 配偶者特別控除 (所得/配偶者特別控除.yaml).
		{"#0", IncomeTax, 2023, 9_000_000, spouse(950_000, 1990), 0, 380_000, 0},
		{"#1", IncomeTax, 2023, 9_000_000, spouse(950_001, 1990), 0, 360_000, 0},
		{"#15", IncomeTax, 2023, 9_000_000, spouse(1_300_001, 1990), 0, 30_000, 0},
		{"#16", IncomeTax, 2023, 9_000_000, spouse(1_330_000, 1990), 0, 30_000, 0},
		{"#17", IncomeTax, 2023, 9_000_000, spouse(1_330_001, 1990), 0, 0, 0},
		{"#20", IncomeTax, 2023, 9_000_001, spouse(950_000, 1990), 0, 260_000, 0},
		{"#24", IncomeTax, 2023, 10_000_001, spouse(950_000, 1990), 0, 0, 0},
		// 住民税: 33万円 up to 100万円, and the 人的控除額の差.
		{"RT 配偶者控除", ResidentTax, 2023, 5_000_000, spouse(480_000, 1990), 330_000, 0, 50_000},
		{"RT 配偶者控除 tier 2", ResidentTax, 2023, 9_200_000, spouse(480_000, 1990), 220_000, 0, 40_000},
		{"RT 老人配偶者 tier 3", ResidentTax, 2023, 9_800_000, spouse(480_000, 1950), 130_000, 0, 30_000},
		{"RT special 490,000", ResidentTax, 2023, 5_000_000, spouse(490_000, 1990), 0, 330_000, 50_000},
		{"RT special 499,999", ResidentTax, 2023, 5_000_000, spouse(499_999, 1990), 0, 330_000, 50_000},
		{"RT special 500,000", ResidentTax, 2023, 5_000_000, spouse(500_000, 1990), 0, 330_000, 30_000},
		{"RT special 549,999", ResidentTax, 2023, 9_600_000, spouse(549_999, 1990), 0, 110_000, 10_000},
		{"RT special 550,000", ResidentTax, 2023, 5_000_000, spouse(550_000, 1990), 0, 330_000, 0},
		{"RT special 1,000,000", ResidentTax, 2023, 5_000_000, spouse(1_000_000, 1990), 0, 330_000, 0},
		{"RT special 1,000,001", ResidentTax, 2023, 5_000_000, spouse(1_000_001, 1990), 0, 310_000, 0},
		// 令和7年分: 58万円.
		{"2025 580,000", IncomeTax, 2025, 5_000_000, spouse(580_000, 1990), 380_000, 0, 0},
		{"2025 580,001", IncomeTax, 2025, 5_000_000, spouse(580_001, 1990), 0, 380_000, 0},
		{"2025 RT 650,000", ResidentTax, 2025, 5_000_000, spouse(650_000, 1990), 0, 330_000, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, steps, err := IncomeDeductionsExplained(DeductionInput{Tax: c.tax, Year: c.year, TotalIncome: c.taxpayer, Relatives: []TaxRelative{c.sp}})
			require.NoError(t, err)
			assert.Equal(t, c.spouse, got.Spouse)
			assert.Equal(t, c.spSpec, got.SpouseSpecial)
			if c.tax == ResidentTax {
				assert.Equal(t, basicDifference+c.diff, got.PersonalDifference)
			} else {
				assert.Zero(t, got.PersonalDifference)
			}
			assert.Equal(t, got.Basic+got.Spouse+got.SpouseSpecial, got.Total)
			assert.Equal(t, got.Total, steps[len(steps)-1-boolInt(c.tax == ResidentTax)].Amount)
		})
	}
	// 令和7年分 住民税 (令和8年度): the statute's bands (below 500,000 / 550,000)
	// hold no spouse with 配偶者特別控除 any more (above 580,000): no 差
	// (江戸川区 人的控除の差額一覧 令和8年度: 配偶者特別控除 "適用なし").
	for _, c := range []struct {
		spouse, diff int64
	}{{580_001, 0}, {599_999, 0}, {600_000, 0}, {649_999, 0}, {650_000, 0}} {
		got, err := IncomeDeductions(DeductionInput{Tax: ResidentTax, Year: 2025, TotalIncome: 5_000_000, Relatives: []TaxRelative{spouse(c.spouse, 1990)}})
		require.NoError(t, err)
		assert.Equal(t, int64(basicDifference)+c.diff, got.PersonalDifference, "spouse %d", c.spouse)
		assert.Equal(t, int64(330_000), got.SpouseSpecial, "spouse %d", c.spouse)
	}
	// 令和6年分: the bands of 平成30年分 (48万超50万未満 5万, 50万以上55万未満 3万).
	got, err := IncomeDeductions(DeductionInput{Tax: ResidentTax, Year: 2024, TotalIncome: 5_000_000, Relatives: []TaxRelative{spouse(520_000, 1990)}})
	require.NoError(t, err)
	assert.Equal(t, int64(basicDifference+30_000), got.PersonalDifference)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDependentAndStatusDeductions(t *testing.T) {
	rel := func(born int, income int64) TaxRelative {
		return TaxRelative{BirthDate: d(born, 6, 1), TotalIncome: income}
	}
	cases := []struct {
		name        string
		in          DeductionInput
		it, rt, dif int64 // deductions besides 基礎控除 (所得税, 住民税) and 差 besides 基礎控除
	}{
		{"年少 (under 16): nothing", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(2012, 0)}}, 0, 0, 0},
		{"16歳 一般", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(2008, 0)}}, 380_000, 330_000, 50_000},
		{"19歳 特定", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(2005, 0)}}, 630_000, 450_000, 180_000},
		{"23歳 一般", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(2001, 0)}}, 380_000, 330_000, 50_000},
		{"70歳 老人", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(1954, 0)}}, 480_000, 380_000, 100_000},
		{"同居老親等", DeductionInput{Year: 2024, Relatives: []TaxRelative{{BirthDate: d(1950, 1, 1), LivesWith: true, LinealAscendant: true}}}, 580_000, 450_000, 130_000},
		{"同居でも直系尊属でない老人", DeductionInput{Year: 2024, Relatives: []TaxRelative{{BirthDate: d(1950, 1, 1), LivesWith: true}}}, 480_000, 380_000, 100_000},
		{"income 480,001 not a 扶養親族 (2024)", DeductionInput{Year: 2024, Relatives: []TaxRelative{rel(2008, 480_001)}}, 0, 0, 0},
		{"income 580,000 is a 扶養親族 (2025)", DeductionInput{Year: 2025, Relatives: []TaxRelative{rel(2008, 580_000)}}, 380_000, 330_000, 50_000},
		{"障害者の年少扶養親族", DeductionInput{Year: 2024, Relatives: []TaxRelative{{BirthDate: d(2015, 1, 1), Disability: Disabled}}}, 270_000, 260_000, 10_000},
		{"同居特別障害者の年少扶養親族", DeductionInput{Year: 2024, Relatives: []TaxRelative{{BirthDate: d(2015, 1, 1), Disability: SpecialDisabled, LivesWith: true}}}, 750_000, 530_000, 220_000},
		{"別居の特別障害者", DeductionInput{Year: 2024, Relatives: []TaxRelative{{BirthDate: d(2015, 1, 1), Disability: SpecialDisabled}}}, 400_000, 300_000, 100_000},
		{"本人 障害者", DeductionInput{Year: 2024, Disability: Disabled}, 270_000, 260_000, 10_000},
		{"本人 特別障害者", DeductionInput{Year: 2024, Disability: SpecialDisabled}, 400_000, 300_000, 100_000},
		{"ひとり親（母）", DeductionInput{Year: 2024, TotalIncome: 2_000_000, SingleParent: true, Female: true}, 350_000, 300_000, 50_000},
		{"ひとり親（父）", DeductionInput{Year: 2024, TotalIncome: 2_000_000, SingleParent: true}, 350_000, 300_000, 10_000},
		{"寡婦", DeductionInput{Year: 2024, TotalIncome: 2_000_000, Widow: true, Female: true}, 270_000, 260_000, 10_000},
		{"勤労学生 750,000 (2024)", DeductionInput{Year: 2024, TotalIncome: 750_000, WorkingStudent: true}, 270_000, 260_000, 10_000},
		{"勤労学生 750,001 (2024)", DeductionInput{Year: 2024, TotalIncome: 750_001, WorkingStudent: true}, 0, 0, 0},
		{"勤労学生 850,000 (2025)", DeductionInput{Year: 2025, TotalIncome: 850_000, WorkingStudent: true}, 270_000, 260_000, 10_000},
		{"勤労学生 850,001 (2025)", DeductionInput{Year: 2025, TotalIncome: 850_001, WorkingStudent: true}, 0, 0, 0},
		{"counts from a 課税証明書", DeductionInput{Year: 2024, DisabledPeople: 2, SpecialDisabledPeople: 1}, 940_000, 820_000, 120_000},
		{"amounts given", DeductionInput{Year: 2024, SocialInsurance: 450_000, SmallBusinessMutualAid: 10_000, Medical: 20_000, CasualtyLoss: 1, InsurancePremiums: 40_000}, 520_001, 520_001, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, tax := range []Tax{IncomeTax, ResidentTax} {
				in := c.in
				in.Tax = tax
				got, err := IncomeDeductions(in)
				require.NoError(t, err)
				want := c.it
				if tax == ResidentTax {
					want = c.rt
					assert.Equal(t, basicDifference+c.dif, got.PersonalDifference)
				}
				assert.Equal(t, want, got.Total-got.Basic, "%s", tax)
			}
		})
	}
}

func TestIncomeDeductionsNotCoveredAndErrors(t *testing.T) {
	_, err := IncomeDeductions(DeductionInput{Tax: ResidentTax, Year: 2026})
	assert.ErrorIs(t, err, ErrYearNotCovered)
	_, err = IncomeDeductions(DeductionInput{Tax: IncomeTax, Year: 2019})
	assert.ErrorIs(t, err, ErrYearNotCovered)
	// 令和7年分: a 19–22 relative over the 扶養 limit is a 特定親族, computed
	// (TestSpecificRelativeDeduction), no longer a not-covered error.
	_, err = IncomeDeductions(DeductionInput{Tax: IncomeTax, Year: 2025, Relatives: []TaxRelative{{BirthDate: d(2005, 6, 1), TotalIncome: 1_000_000}}})
	assert.NoError(t, err)
	for _, in := range []DeductionInput{
		{Year: 2024},
		{Tax: IncomeTax, Year: 2024, Widow: true, SingleParent: true},
		{Tax: IncomeTax, Year: 2024, SocialInsurance: -1},
		{Tax: IncomeTax, Year: 2024, Disability: 7},
		{Tax: IncomeTax, Year: 2024, DisabledPeople: -1},
		{Tax: IncomeTax, Year: 2024, Relatives: []TaxRelative{{Spouse: true}, {Spouse: true}}},
		{Tax: IncomeTax, Year: 2024, Relatives: make([]TaxRelative, maxPersons+1)},
	} {
		_, err := IncomeDeductions(in)
		assert.ErrorIs(t, err, ErrInvalidInput, fmt.Sprintf("%+v", in))
	}
}
