package eligibility

import (
	"cel.dev/cel-go/common/types/ref"

	"github.com/onestop-jp/onestop/eligibility/income"
)

// Breakdown is the step-by-step computation of an income figure, recorded
// on an outcome with explanations.
type Breakdown struct {
	Title string          `json:"title"`
	Steps []BreakdownStep `json:"steps"`
}

// BreakdownStep is one line of a Breakdown.
type BreakdownStep struct {
	Label string `json:"label"`
	// Op is how the amount enters: "" (a starting amount), "+", "−", "="
	// (the result so far) or "・" (information).
	Op     string `json:"op"`
	Yen    int64  `json:"yen"`
	Law    string `json:"law,omitempty"`
	Source string `json:"source,omitempty"`
	// Unit is "" for yen, or "人" when Yen counts people.
	Unit string `json:"unit,omitempty"`
}

func breakdown(title string, steps []income.Step) Breakdown {
	b := Breakdown{Title: title, Steps: make([]BreakdownStep, len(steps))}
	for i, s := range steps {
		b.Steps[i] = BreakdownStep{Label: s.Label, Op: s.Op.String(), Yen: s.Amount, Law: s.Source.Law, Source: s.Source.URL, Unit: s.Unit}
	}
	return b
}

// record adds a breakdown to the evaluation's outcome when explanations
// are on; the same title is kept once.
func (v *memberVal) record(title string, steps []income.Step) {
	if v.hh == nil || v.hh.rec == nil {
		return
	}
	ec := v.hh.rec
	for _, b := range ec.breakdowns {
		if b.Title == title {
			return
		}
	}
	ec.breakdowns = append(ec.breakdowns, breakdown(title, steps))
}

func (v *memberVal) explaining() bool { return v.hh != nil && v.hh.rec != nil }

// memoEntry keeps the result of an income function of a member for the
// whole screening: several programmes ask for the same 所得額 or 扶養親族等,
// and the facts do not change while a household is screened. The breakdown
// is kept too, so that every programme that uses the figure explains it.
type memoEntry struct {
	key   memoKey
	val   ref.Val
	title string
	steps []income.Step
}

type memoKey struct {
	fn        uint8 // 1 total_income, 2 income_measure, 3 dependents
	year      int64
	measure   string
	role      string
	relatives uint64 // dependents: the members given, as a bit set (at most MaxMembers)
	explained bool
}

// memoized returns the result for key, computing it once with f (which
// returns the value and, when explaining, the breakdown's title and steps).
func (v *memberVal) memoized(key memoKey, f func() (ref.Val, string, []income.Step)) ref.Val {
	key.explained = v.explaining()
	for i := range v.memo {
		if v.memo[i].key == key {
			e := &v.memo[i]
			if e.title != "" {
				v.record(e.title, e.steps)
			}
			return e.val
		}
	}
	val, title, steps := f()
	if title != "" {
		v.record(title, steps)
	}
	v.memo = append(v.memo, memoEntry{key: key, val: val, title: title, steps: steps})
	return val
}

// incomeErr turns an error of package income into a CEL error that staff
// can read.
