package income

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPublicPensionIncomeBandEdges(t *testing.T) {
	cases := []struct {
		revenue int64
		aged65  bool
		other   int64
		want    int64
	}{
		// 65歳未満, 他の所得 1,000万円以下 (立山町 table).
		{0, false, 0, 0},
		{599_999, false, 0, 0},
		{600_000, false, 0, 0},
		{600_001, false, 0, 1},
		{1_299_999, false, 0, 699_999},
		{1_300_000, false, 0, 700_000},
		{1_300_001, false, 0, 700_000}, // 700,000.75 cut down
		{4_099_999, false, 0, 2_799_999},
		{4_100_000, false, 0, 2_800_000},
		{4_100_001, false, 0, 2_800_000},
		{7_699_999, false, 0, 5_859_999},
		{7_700_000, false, 0, 5_860_000},
		{7_700_001, false, 0, 5_860_000},
		{9_999_999, false, 0, 8_044_999},
		{10_000_000, false, 0, 8_045_000},
		{10_000_001, false, 0, 8_045_001},
		// 65歳以上.
		{1_099_999, true, 0, 0},
		{1_100_000, true, 0, 0},
		{1_100_001, true, 0, 1},
		{2_000_000, true, 0, 900_000},
		{3_299_999, true, 0, 2_199_999},
		{3_300_000, true, 0, 2_200_000},
		{3_300_001, true, 0, 2_200_000},
		{4_100_000, true, 0, 2_800_000},
		{10_000_000, true, 0, 8_045_000},
		// 他の所得の区分: 1,000万円 and 2,000万円 are 以下.
		{1_300_000, false, 10_000_000, 700_000},
		{1_300_000, false, 10_000_001, 800_000},
		{500_000, false, 10_000_001, 0},
		{500_001, false, 10_000_001, 1},
		{1_300_000, false, 20_000_000, 800_000},
		{1_300_000, false, 20_000_001, 900_000},
		{400_000, false, 20_000_001, 0},
		{400_001, false, 20_000_001, 1},
		{1_000_000, true, 15_000_000, 0},
		{1_000_001, true, 15_000_000, 1},
		{900_001, true, 25_000_000, 1},
		{10_000_000, true, 25_000_000, 8_245_000},
		{1_300_000, false, -5_000_000, 700_000}, // losses: lowest band
	}
	for _, c := range cases {
		for _, year := range []int{2020, 2023, 2025, 2026, 2027} {
			t.Run(fmt.Sprintf("%d/%d/%v/%d", year, c.revenue, c.aged65, c.other), func(t *testing.T) {
				got, err := PublicPensionIncome(year, c.revenue, c.aged65, c.other)
				require.NoError(t, err)
				assert.Equal(t, c.want, got)
				got2, steps, err := PublicPensionIncomeExplained(year, c.revenue, c.aged65, c.other)
				require.NoError(t, err)
				assert.Equal(t, got, got2)
				assert.Equal(t, got, steps[len(steps)-1].Amount)
			})
		}
	}
}

func TestPublicPensionMonotone(t *testing.T) {
	for _, aged := range []bool{false, true} {
		for _, other := range []int64{0, 15_000_000, 30_000_000} {
			prev := int64(-1)
			for rev := int64(0); rev < 12_000_000; rev += 777 {
				got, err := PublicPensionIncome(2023, rev, aged, other)
				require.NoError(t, err)
				require.GreaterOrEqual(t, got, prev)
				require.LessOrEqual(t, got, rev)
				prev = got
			}
		}
	}
}

func TestPublicPensionErrors(t *testing.T) {
	for _, y := range []int{2019, 2028} {
		_, err := PublicPensionIncome(y, 1_000_000, true, 0)
		assert.ErrorIs(t, err, ErrYearNotCovered)
	}
	_, err := PublicPensionIncome(2023, -1, true, 0)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
