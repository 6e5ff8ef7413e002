package income

import (
	"math"
	"strconv"
)

// Op says how a Step's Amount enters the computation.
type Op uint8

const (
	// OpBase starts a computation (or a sub-total): Amount is the value.
	OpBase Op = iota
	// OpAdd adds Amount to the running value.
	OpAdd
	// OpSub subtracts Amount from the running value.
	OpSub
	// OpResult states the value after the preceding steps (floored at 0 where
	// the law says so): a sub-total inside a computation (e.g. 総所得金額等
	// inside 所得額), or the final value as the last step.
	OpResult
	// OpInfo carries a fact used by a rule (a limit, a count, a band) without
	// changing the running value.
	OpInfo
)

// String returns the sign shown to staff: "", "+", "−", "=", "・".
func (o Op) String() string {
	switch o {
	case OpAdd:
		return "+"
	case OpSub:
		return "−"
	case OpResult:
		return "="
	case OpInfo:
		return "・"
	default:
		return ""
	}
}

// Source names the legal basis of a figure: the law or page, and its URL.
type Source struct {
	Law string // e.g. "所得税法 第28条・別表第五"
	URL string
}

// Step is one line of an explanation, in order: a Japanese label for staff,
// an amount in yen (never negative: Op carries the sign), and its source.
type Step struct {
	Label  string
	Op     Op
	Amount int64
	Source Source
	// Unit is "" for yen, or "人" when Amount counts people.
	Unit string
}

// explain collects steps. A nil *explain is the cheap path: every method is a
// no-op, so the computation code is written once for both paths and the
// cheap path allocates nothing for explanations.
type explain struct {
	steps []Step
}

func (x *explain) add(op Op, label string, amount int64, src Source) {
	if x == nil {
		return
	}
	x.steps = append(x.steps, Step{Label: label, Op: op, Amount: amount, Source: src})
}

// addCount adds a step whose amount is a number of people.
func (x *explain) addCount(op Op, label string, n int, src Source) {
	if x == nil {
		return
	}
	x.steps = append(x.steps, Step{Label: label, Op: op, Amount: int64(n), Source: src, Unit: "人"})
}

func newExplain() *explain { return &explain{steps: make([]Step, 0, 8)} }

// explained runs compute with a step collector: the body of every
// …Explained function. On error it returns the zero value and no steps.
func explained[T any](compute func(x *explain) (T, error)) (T, []Step, error) {
	x := newExplain()
	v, err := compute(x)
	if err != nil {
		var zero T
		return zero, nil, err
	}
	return v, x.steps, nil
}

// addChecked returns a+b, or ok=false when the sum would overflow int64.
// Both operands are non-negative everywhere in this package.
func addChecked(a, b int64) (int64, bool) {
	if b > 0 && a > math.MaxInt64-b {
		return 0, false
	}
	if b < 0 && a < math.MinInt64-b {
		return 0, false
	}
	return a + b, true
}

func overflow(field string) error {
	return &InputError{Field: field, Reason: "sum exceeds the int64 yen range"}
}

func max0(v int64) int64 {
	if v < 0 {
		return 0
	}
	return v
}

// FormatYen formats whole yen with thousands separators and 円,
// e.g. 1840000 → "1,840,000円", -5 → "-5円".
func FormatYen(v int64) string {
	var buf [32]byte
	i := len(buf)
	i -= len("円")
	copy(buf[i:], "円")
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-(v + 1)) + 1 // safe for math.MinInt64
	}
	digits := 0
	for {
		if digits > 0 && digits%3 == 0 {
			i--
			buf[i] = ','
		}
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		digits++
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// String renders a step for staff, e.g. "− 社会保険料相当額（一律） 80,000円".
func (s Step) String() string {
	amount := FormatYen(s.Amount)
	if s.Unit != "" {
		amount = strconv.FormatInt(s.Amount, 10) + s.Unit
	}
	if s.Op == OpBase {
		return s.Label + " " + amount
	}
	return s.Op.String() + " " + s.Label + " " + amount
}
