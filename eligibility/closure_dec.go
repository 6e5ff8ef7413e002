package eligibility

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// dec is a rule's exact decimal (onestop.Decimal) as the compiled closures
// hold it: m × 10^-e, unboxed, with every operation checked for overflow.
// An operation whose exact result does not fit says so (ok false) and the
// closure path hands the programme back to the interpreter, whose
// shopspring decimals are unbounded; dec never rounds and never uses a
// float. Two decs are equal when their values are (1.50 == 1.5).
type dec struct {
	m int64
	e int32 // 0..maxDecScale decimal places
}

// maxDecScale is the most decimal places a dec keeps: 10^18 is the largest
// power of ten in an int64.
const maxDecScale = 18

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// decFrom converts a shopspring decimal, if it fits.
func decFrom(d decimal.Decimal) (dec, bool) {
	exp := d.Exponent()
	co := d.Coefficient()
	if !co.IsInt64() {
		return dec{}, false
	}
	m := co.Int64()
	if exp > 0 {
		if exp > maxDecScale {
			return dec{}, m == 0
		}
		r, ok := mulInt64(m, pow10[exp])
		return dec{m: r}, ok
	}
	x := dec{m: m, e: -exp}
	for x.e > maxDecScale && x.m%10 == 0 {
		x.m /= 10
		x.e--
	}
	return x, x.e <= maxDecScale
}

// decimal converts to shopspring (for rendering and for the interpreter).
func (x dec) decimal() decimal.Decimal { return decimal.New(x.m, -x.e) }

func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if (a == math.MinInt64 && b != 1) || (b == math.MinInt64 && a != 1) {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

func absU(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

// rescale returns x with e decimal places (e ≥ x.e).
func (x dec) rescale(e int32) (int64, bool) {
	if e == x.e {
		return x.m, true
	}
	return mulInt64(x.m, pow10[e-x.e])
}

func (x dec) add(y dec) (dec, bool) {
	e := max(x.e, y.e)
	a, ok1 := x.rescale(e)
	b, ok2 := y.rescale(e)
	s, ok3 := addInt64(a, b)
	return dec{s, e}, ok1 && ok2 && ok3
}

func (x dec) sub(y dec) (dec, bool) {
	if y.m == math.MinInt64 {
		return dec{}, false
	}
	return x.add(dec{-y.m, y.e})
}

func (x dec) mul(y dec) (dec, bool) {
	m, ok := mulInt64(x.m, y.m)
	r := dec{m, x.e + y.e}
	for ok && r.e > maxDecScale && r.m%10 == 0 {
		r.m /= 10
		r.e--
	}
	return r, ok && r.e <= maxDecScale
}

func (x dec) neg() (dec, bool) {
	if x.m == math.MinInt64 {
		return dec{}, false
	}
	return dec{-x.m, x.e}, true
}

// cmp compares exactly; ok is false only when aligning overflows (the
// interpreter then decides).
func (x dec) cmp(y dec) (int, bool) {
	e := max(x.e, y.e)
	a, ok1 := x.rescale(e)
	b, ok2 := y.rescale(e)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case a < b:
		return -1, true
	case a > b:
		return 1, true
	}
	return 0, true
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

func subInt64(a, b int64) (int64, bool) {
	s := a - b
	if (a >= 0) != (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

// roundYen is RoundYen on a dec, in integers: the same modes, the same
// range check. ok is false when the result is not the one RoundYen gives
// without an error (a unit it refuses, out of range, or digits beyond what
// an int64 division can take) — the interpreter then says why.
func (x dec) roundYen(unit int64, mode RoundingMode) (int64, bool) {
	k, ok := roundUnitDigits(unit)
	if !ok {
		return 0, false
	}
	// q = x / 10^k = m / 10^(e+k); round q to an integer.
	s := x.e + k
	for s > maxDecScale && x.m%10 == 0 && x.e > 0 {
		x.m /= 10
		x.e--
		s--
	}
	if s > maxDecScale {
		return 0, false
	}
	p := pow10[s]
	q, r := x.m/p, x.m%p // truncated toward zero
	if r != 0 {
		neg := x.m < 0
		ar := r
		if ar < 0 {
			ar = -ar
		}
		away := false // round away from zero?
		switch mode {
		case RoundDown:
		case RoundUp:
			away = true
		case RoundFloor:
			away = neg
		case RoundCeil:
			away = !neg
		case RoundHalfUp, RoundHalfEven:
			// Compare the remainder with half of p without overflow:
			// 2·ar vs p, ar < p ≤ 10^18 < 2^63/4.
			switch c := 2*ar - p; {
			case c > 0:
				away = true
			case c == 0:
				away = mode == RoundHalfUp || q%2 != 0
			}
		default:
			return 0, false
		}
		if away {
			if neg {
				q--
			} else {
				q++
			}
		}
	}
	v, ok := mulInt64(q, pow10[k])
	if !ok || v > 1e15 || v < -1e15 {
		return 0, false
	}
	return v, true
}
