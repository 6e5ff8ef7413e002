package income

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Band edges of 別表第五 and of the formula, for each era: limit − 1, at the
// limit, + 1. Expected values worked by hand from the municipal tables.
func TestSalaryIncomeBandEdges(t *testing.T) {
	cases := []struct {
		year          int
		revenue, want int64
	}{
		// 令和2年分～令和6年分 (名古屋市 / 彦根市 table).
		{2023, 0, 0},
		{2023, 550_999, 0},
		{2023, 551_000, 1_000},
		{2023, 551_001, 1_001},
		{2023, 1_618_999, 1_068_999},
		{2023, 1_619_000, 1_069_000},
		{2023, 1_619_999, 1_069_000},
		{2023, 1_620_000, 1_070_000},
		{2023, 1_621_999, 1_070_000},
		{2023, 1_622_000, 1_072_000},
		{2023, 1_623_999, 1_072_000},
		{2023, 1_624_000, 1_074_000},
		{2023, 1_625_000, 1_074_000},
		{2023, 1_627_999, 1_074_000},
		{2023, 1_628_000, 1_076_800},
		{2023, 1_628_001, 1_076_800},
		{2023, 1_799_999, 1_177_600},
		{2023, 1_800_000, 1_180_000},
		{2023, 1_800_001, 1_180_000},
		{2023, 1_803_999, 1_180_000},
		{2023, 1_804_000, 1_182_800},
		{2023, 3_000_000, 2_020_000},
		{2023, 3_599_999, 2_437_200},
		{2023, 3_600_000, 2_440_000},
		{2023, 3_600_001, 2_440_000},
		{2023, 3_603_999, 2_440_000},
		{2023, 6_599_999, 4_836_800},
		{2023, 6_600_000, 4_840_000},
		{2023, 6_600_001, 4_840_000},
		{2023, 8_499_999, 6_549_999},
		{2023, 8_500_000, 6_550_000},
		{2023, 8_500_001, 6_550_001},
		{2020, 3_000_000, 2_020_000},
		{2024, 3_000_000, 2_020_000},
		// 令和7年分 (彦根市 令和8年度以降 table): no 4,000-yen steps below 1,900,000.
		{2025, 0, 0},
		{2025, 650_999, 0},
		{2025, 651_000, 1_000},
		{2025, 651_001, 1_001},
		{2025, 1_619_000, 969_000},
		{2025, 1_620_000, 970_000},
		{2025, 1_621_000, 971_000}, // the conflicting public code gives 970,000 here
		{2025, 1_625_000, 975_000},
		{2025, 1_800_000, 1_150_000},
		{2025, 1_899_999, 1_249_999},
		{2025, 1_900_000, 1_250_000},
		{2025, 1_900_001, 1_250_000},
		{2025, 1_903_999, 1_250_000},
		{2025, 1_904_000, 1_252_800},
		{2025, 3_599_999, 2_437_200},
		{2025, 3_600_000, 2_440_000},
		{2025, 6_599_999, 4_836_800},
		{2025, 6_600_000, 4_840_000},
		{2025, 8_500_000, 6_550_000},
		// 令和8年分・令和9年分 (租税特別措置法 第29条の4 below 2,200,000, 別表第五 above).
		{2026, 0, 0},
		{2026, 690_000, 0},
		{2026, 740_999, 0},
		{2026, 741_000, 1_000},
		{2026, 1_630_000, 890_000},
		{2026, 2_000_000, 1_260_000},
		{2026, 2_190_999, 1_450_999},
		{2026, 2_191_000, 1_451_000},
		{2026, 2_192_999, 1_451_000},
		{2026, 2_193_000, 1_453_000},
		{2026, 2_195_999, 1_453_000},
		{2026, 2_196_000, 1_456_000},
		{2026, 2_199_999, 1_456_000},
		{2026, 2_200_000, 1_460_000},
		{2026, 3_000_000, 2_020_000},
		{2026, 3_600_000, 2_440_000},
		{2026, 6_600_000, 4_840_000},
		{2026, 10_000_000, 8_050_000},
		{2027, 740_999, 0},
		{2027, 741_000, 1_000},
		{2027, 2_199_999, 1_456_000},
		{2027, 2_200_000, 1_460_000},
		// 平成29年分～令和元年分 (高崎市 table).
		{2019, 650_999, 0},
		{2019, 651_000, 1_000},
		{2019, 1_618_999, 968_999},
		{2019, 1_619_000, 969_000},
		{2019, 1_620_000, 970_000},
		{2019, 1_622_000, 972_000},
		{2019, 1_624_000, 974_000},
		{2019, 1_627_999, 974_000},
		{2019, 1_628_000, 976_800},
		{2019, 1_799_999, 1_077_600},
		{2019, 1_800_000, 1_080_000},
		{2019, 3_599_999, 2_337_200},
		{2019, 3_600_000, 2_340_000},
		{2019, 6_599_999, 4_736_800},
		{2019, 6_600_000, 4_740_000},
		{2019, 9_999_999, 7_799_999},
		{2019, 10_000_000, 7_800_000},
		{2019, 10_000_001, 7_800_001},
		{2017, 3_000_000, 1_920_000},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d/%d", c.year, c.revenue), func(t *testing.T) {
			got, err := SalaryIncome(c.year, c.revenue)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			got2, steps, err := SalaryIncomeExplained(c.year, c.revenue)
			require.NoError(t, err)
			assert.Equal(t, got, got2, "explained and cheap paths agree")
			require.NotEmpty(t, steps)
			last := steps[len(steps)-1]
			assert.Equal(t, OpResult, last.Op)
			assert.Equal(t, got, last.Amount)
			assert.NotEmpty(t, last.Source.URL)
		})
	}
}

// The OpenFisca-Japan 給与所得控除額 cases (所得/給与所得控除額.yaml #0–#21) check
// the statutory formula exactly, plus the 令和7年分 edges.
func TestSalaryDeduction(t *testing.T) {
	cases := []struct {
		id            string
		year          int
		revenue, want int64
	}{
		{"#0", 2020, 0, 550_000},
		{"#1", 2020, 1_625_000, 550_000},
		{"#2", 2020, 1_626_000, 550_400},
		{"#3", 2020, 1_800_000, 620_000},
		{"#4", 2020, 1_801_000, 620_300},
		{"#5", 2020, 3_600_000, 1_160_000},
		{"#6", 2020, 3_601_000, 1_160_200},
		{"#7", 2020, 6_600_000, 1_760_000},
		{"#8", 2020, 6_601_000, 1_760_100},
		{"#9", 2020, 8_500_000, 1_950_000},
		{"#10", 2020, 8_501_000, 1_950_000},
		{"#11", 2019, 0, 650_000},
		{"#12", 2019, 1_625_000, 650_000},
		{"#13", 2019, 1_626_000, 650_400},
		{"#14", 2019, 1_800_000, 720_000},
		{"#15", 2019, 1_801_000, 720_300},
		{"#16", 2019, 3_600_000, 1_260_000},
		{"#17", 2019, 3_601_000, 1_260_200},
		{"#18", 2019, 6_600_000, 1_860_000},
		{"#19", 2019, 6_601_000, 1_860_100},
		{"#20", 2019, 10_000_000, 2_200_000},
		{"#21", 2019, 10_001_000, 2_200_000},
		{"R7 min", 2025, 0, 650_000},
		{"R7 1.9M", 2025, 1_900_000, 650_000},
		{"R7 1.9M+1", 2025, 1_900_001, 650_001}, // 650,000.3 rounded up
		{"R7 1.901M", 2025, 1_901_000, 650_300},
		{"R7 3.6M", 2025, 3_600_000, 1_160_000},
		{"R6 fraction", 2024, 1_800_001, 620_001}, // 620,000.3 rounded up
		{"R8 min", 2026, 0, 740_000},
		{"R8 2.2M", 2026, 2_200_000, 740_000},
		{"R8 2.2M+1", 2026, 2_200_001, 740_001}, // 740,000.3 rounded up
		{"R8 3.6M", 2026, 3_600_000, 1_160_000},
		{"R9 2.2M", 2027, 2_200_000, 740_000},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			got, err := SalaryDeduction(c.year, c.revenue)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// OpenFisca-Japan 所得/所得.yaml #0–#7: its float formula needs a 1,000-yen
// margin on #2–#6; the table reproduces the values exactly.
func TestSalaryIncomeOpenFiscaCases(t *testing.T) {
	cases := []struct {
		year          int
		revenue, want int64
	}{
		{2020, 0, 0}, {2020, 550_000, 0}, {2020, 1_625_000, 1_074_000}, {2020, 1_800_000, 1_180_000},
		{2020, 3_600_000, 2_440_000}, {2020, 6_600_000, 4_840_000}, {2020, 8_500_000, 6_550_000},
		{2019, 650_000, 0},
	}
	for _, c := range cases {
		got, err := SalaryIncome(c.year, c.revenue)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%d %d", c.year, c.revenue)
	}
}

// 別表第五 is the formula applied at the bottom of each 4,000-yen step (and of
// each 1,000/2,000-yen row near the minimum): check that for every revenue
// below 6,600,000 in 1,000-yen steps, in every era, against the independent
// formula, and that the table never exceeds the formula.
func TestSalaryTableMatchesFormulaAtStepBottom(t *testing.T) {
	for _, year := range []int{2017, 2019, 2020, 2024, 2025, 2026, 2027} {
		e, err := salaryEraFor("test", year)
		require.NoError(t, err)
		for rev := int64(0); rev < tableLimit; rev += 1000 {
			got, err := SalaryIncome(year, rev)
			require.NoError(t, err)
			formula := max0(rev - e.deduction(rev))
			require.LessOrEqual(t, got, formula, "year %d rev %d: table above formula", year, rev)
			require.Less(t, formula-got, int64(4000), "year %d rev %d: gap too large", year, rev)
			quarterFrom := int64(1_628_000)
			switch {
			case year >= 2026:
				quarterFrom = 2_200_000 // 措置法第29条の4 rows below 2,200,000
			case year == 2025:
				quarterFrom = 1_900_000
			}
			if rev >= quarterFrom {
				bottom := rev / 4000 * 4000
				assert.Equal(t, max0(bottom-e.deduction(bottom)), got, "year %d rev %d", year, rev)
			}
		}
	}
}

func TestSalaryMonotone(t *testing.T) {
	for _, year := range []int{2017, 2019, 2020, 2024, 2025, 2026, 2027} {
		prev := int64(-1)
		for rev := int64(0); rev < 12_000_000; rev += 250 {
			got, err := SalaryIncome(year, rev)
			require.NoError(t, err)
			require.GreaterOrEqual(t, got, prev, "year %d rev %d", year, rev)
			prev = got
		}
	}
}

func TestSalaryErrors(t *testing.T) {
	for _, year := range []int{2016, 2028, 2030, 0, -1} {
		_, err := SalaryIncome(year, 1_000_000)
		require.Error(t, err)
		assert.True(t, errors.Is(err, ErrYearNotCovered))
		var yerr *YearNotCoveredError
		require.True(t, errors.As(err, &yerr))
		assert.Equal(t, year, yerr.Year)
		assert.Equal(t, SalaryFirstYear, yerr.First)
		assert.Equal(t, SalaryLastYear, yerr.Last)
		_, err = SalaryDeduction(year, 1_000_000)
		assert.ErrorIs(t, err, ErrYearNotCovered)
		_, _, err = SalaryIncomeExplained(year, 1_000_000)
		assert.ErrorIs(t, err, ErrYearNotCovered)
	}
	_, err := SalaryIncome(2023, -1)
	assert.ErrorIs(t, err, ErrInvalidInput)
	var ierr *InputError
	assert.ErrorAs(t, err, &ierr)
	_, err = SalaryDeduction(2023, -1)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func TestSalaryHugeRevenue(t *testing.T) {
	const maxInt64 = int64(^uint64(0) >> 1)
	got, err := SalaryIncome(2023, maxInt64)
	require.NoError(t, err)
	assert.Equal(t, maxInt64-1_950_000, got)
	got, err = SalaryIncome(2019, maxInt64)
	require.NoError(t, err)
	assert.Equal(t, maxInt64-2_200_000, got)
}

func TestSalaryExplainedSteps(t *testing.T) {
	_, steps, err := SalaryIncomeExplained(2023, 3_000_000)
	require.NoError(t, err)
	var lines []string
	for _, s := range steps {
		lines = append(lines, s.String())
	}
	assert.Equal(t, []string{
		"給与収入 3,000,000円",
		"・ A（収入金額÷4、千円未満切捨て） 750,000円",
		"・ 所得税法 別表第五（令和2年分～令和6年分）1,800,000円～3,599,999円: A×2.8−80,000円 2,020,000円",
		"− 別表第五による控除相当額（給与収入−給与所得） 980,000円",
		"= 給与所得 2,020,000円",
	}, lines)
	_, steps, err = SalaryIncomeExplained(2023, 7_000_000)
	require.NoError(t, err)
	require.Len(t, steps, 3)
	assert.Equal(t, "− 給与所得控除額（令和2年分～令和6年分・法定算式） 1,800,000円", steps[1].String())
	assert.Equal(t, int64(5_200_000), steps[2].Amount)
}

func TestYearLabel(t *testing.T) {
	assert.Equal(t, "令和7年分", YearLabel(2025))
	assert.Equal(t, "令和2年分", YearLabel(2020))
	assert.Equal(t, "令和元年分", YearLabel(2019))
	assert.Equal(t, "平成29年分", YearLabel(2017))
	assert.Equal(t, "平成元年分", YearLabel(1989))
	assert.Equal(t, "1988年分", YearLabel(1988))
}

func TestFormatYen(t *testing.T) {
	for v, want := range map[int64]string{
		0: "0円", 5: "5円", 999: "999円", 1000: "1,000円", 1_840_000: "1,840,000円", -80_000: "-80,000円",
		9223372036854775807:  "9,223,372,036,854,775,807円",
		-9223372036854775808: "-9,223,372,036,854,775,808円",
	} {
		assert.Equal(t, want, FormatYen(v))
	}
}
