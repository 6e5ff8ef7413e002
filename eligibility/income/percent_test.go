package income

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestPercentHalfUpIsTheDecimalProduct: the int64 form of 養育費 × N% gives
// the exact decimal product rounded half up, at every rounding boundary and
// at the edge where the product stops fitting in int64.
func TestPercentHalfUpIsTheDecimalProduct(t *testing.T) {
	edge := int64((math.MaxInt64 - 50) / 100)
	vs := []int64{1, 2, 49, 50, 51, 99, 100, 101, 149, 150, 151, 360000, 1234567, 9999999, edge - 1, edge, edge + 1, math.MaxInt64 / 100, math.MaxInt64 / 3, math.MaxInt64}
	for v := int64(1); v <= 1000; v++ {
		vs = append(vs, v, v*1013+7)
	}
	for pct := int64(0); pct <= 100; pct++ {
		for _, v := range vs {
			want := decimal.NewFromInt(v).Mul(decimal.New(pct, -2)).Round(0).IntPart()
			require.Equal(t, want, percentHalfUp(v, pct), "%d × %d%%", v, pct)
		}
	}
}
