package eligibility

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomDec draws decimals of the shapes rules use: yen amounts, rates with
// up to 7 places, products of the two, and edges near int64's range.
func randomDec(r *rand.Rand) dec {
	switch r.IntN(5) {
	case 0:
		return dec{m: r.Int64N(2_000_000_000) - 1_000_000_000}
	case 1:
		return dec{m: r.Int64N(100_000_000), e: int32(r.IntN(8))}
	case 2:
		return dec{m: r.Int64() - r.Int64(), e: int32(r.IntN(19))}
	case 3:
		// Exact halves and near-halves at every scale.
		e := int32(1 + r.IntN(8))
		m := (r.Int64N(1_000_000)*10+5)*pow10[e-1] + r.Int64N(3) - 1
		if r.IntN(2) == 0 {
			m = -m
		}
		return dec{m: m, e: e}
	}
	return dec{m: r.Int64N(20) - 10, e: int32(r.IntN(3))}
}

// TestDecAgreesWithShopspring: every dec operation either gives exactly
// shopspring's result or says it cannot (ok false); never a different
// value.
func TestDecAgreesWithShopspring(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 13))
	modes := []RoundingMode{RoundHalfUp, RoundDown, RoundUp, RoundHalfEven, RoundFloor, RoundCeil}
	units := []int64{1, 10, 100, 1000, 10000, 7}
	exact := 0
	for range 200_000 {
		x, y := randomDec(r), randomDec(r)
		dx, dy := x.decimal(), y.decimal()
		if s, ok := x.add(y); ok {
			require.True(t, s.decimal().Equal(dx.Add(dy)), "%v + %v", dx, dy)
			exact++
		}
		if s, ok := x.sub(y); ok {
			require.True(t, s.decimal().Equal(dx.Sub(dy)), "%v - %v", dx, dy)
		}
		if s, ok := x.mul(y); ok {
			require.True(t, s.decimal().Equal(dx.Mul(dy)), "%v * %v", dx, dy)
		}
		if c, ok := x.cmp(y); ok {
			require.Equal(t, dx.Cmp(dy), c, "%v <=> %v", dx, dy)
		}
		mode, unit := modes[r.IntN(len(modes))], units[r.IntN(len(units))]
		want, err := RoundYen(dx, unit, mode)
		if got, ok := x.roundYen(unit, mode); ok {
			require.NoError(t, err, "round_yen(%v, %d, %s)", dx, unit, mode)
			require.Equal(t, want, got, "round_yen(%v, %d, %s)", dx, unit, mode)
		} else if err == nil {
			// Allowed only beyond what int64 division takes.
			require.Greater(t, x.e+2, int32(maxDecScale-4), "round_yen(%v, %d, %s) = %d refused", dx, unit, mode, want)
		}
	}
	assert.Greater(t, exact, 100_000, "most draws fit")
}

func TestDecFrom(t *testing.T) {
	for _, s := range []string{"0.0264029", "0.8", "100", "1e5", "-2.50", "0.000000000000000001"} {
		d := decimal.RequireFromString(s)
		x, ok := decFrom(d)
		require.True(t, ok, s)
		assert.True(t, x.decimal().Equal(d), s)
	}
	_, ok := decFrom(decimal.RequireFromString("123456789012345678901234567890"))
	assert.False(t, ok, "beyond int64")
	_, ok = decFrom(decimal.RequireFromString("0.0000000000000000000001"))
	assert.False(t, ok, "beyond 18 places")
}
