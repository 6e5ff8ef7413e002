package eligibility

import (
	"fmt"
	"sync"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/shopspring/decimal"
)

// paramDecl is a parameter after layering, ready for resolution.
type paramDecl struct {
	name    string
	celType *types.Type
	param   *Parameter
	vals    []ref.Val // the CEL value of each of param.Values
}

func celTypeOf(t ParamType) *types.Type {
	switch t {
	case ParamYen, ParamInt:
		return types.IntType
	case ParamDecimal:
		return decimalType
	case ParamDate:
		return dateType
	case ParamBool:
		return types.BoolType
	case ParamText:
		return types.StringType
	case ParamYenList, ParamIntList:
		return types.NewListType(types.IntType)
	case ParamDecimalList:
		return types.NewListType(decimalType)
	}
	return types.DynType
}

func celValueOf(v any) ref.Val {
	switch t := v.(type) {
	case int64:
		return types.Int(t)
	case decimal.Decimal:
		return decimalVal{t}
	case civil.Date:
		return dateVal{t}
	case bool:
		return types.Bool(t)
	case string:
		return types.String(t)
	case []int64:
		vals := make([]ref.Val, len(t))
		for i, x := range t {
			vals[i] = types.Int(x)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals)
	case []decimal.Decimal:
		vals := make([]ref.Val, len(t))
		for i, x := range t {
			vals[i] = decimalVal{x}
		}
		return types.NewRefValList(types.DefaultTypeAdapter, vals)
	}
	return types.NewErr("unsupported parameter value %T", v)
}

// ParamUse is how a parameter was resolved for a date: which value was
// used, from when, and from which source. Outcomes list the parameters a
// programme used.
type ParamUse struct {
	Name      string      `json:"name"`
	Title     string      `json:"title"`
	Value     any         `json:"value"`
	Unit      string      `json:"unit,omitempty"`
	From      civil.Date  `json:"from"`
	Until     *civil.Date `json:"until,omitempty"`
	Source    string      `json:"source"`
	Reference string      `json:"reference,omitempty"`
	// CarriedForward is true when the date is past the value's Until and
	// the parameter allows carrying its last value forward.
	CarriedForward bool `json:"carried_forward,omitempty"`
	// PastReview is true when the date is past the value's review-by date.
	PastReview bool `json:"past_review,omitempty"`
}

// resolution is one parameter resolved for one date.
type resolution struct {
	value   int // index into param.Values, or -1 when there is none
	carried bool
	review  bool
	missing string // why there is no value
	// The warnings' messages (warnUsed), made once per date.
	carriedMsg, reviewMsg string
}

// paramSet is every parameter resolved for one date; shared, read-only.
type paramSet struct {
	date  civil.Date
	index map[string]int
	vals  []ref.Val
	res   []resolution
	val   *paramsVal
	// warn marks the parameters with a warning on the date (carried
	// forward, past review): warnUsed looks only at those read.
	warn []uint64
}

func resolveParams(decls []*paramDecl, index map[string]int, at civil.Date) *paramSet {
	ps := &paramSet{date: at, index: index, vals: make([]ref.Val, len(decls)), res: make([]resolution, len(decls))}
	for i, pd := range decls {
		r := resolve(pd.param, at)
		if r.carried {
			r.carriedMsg = pd.param.CarryForwardWarning
			if r.carriedMsg == "" {
				v := pd.param.Values[r.value]
				r.carriedMsg = fmt.Sprintf("%s（params.%s）は %s 以降の値が未登録のため、%s から適用の値で計算しています", pd.param.Title, pd.name, v.Until.AddDays(1), v.From)
			}
		}
		if r.review {
			r.reviewMsg = fmt.Sprintf("%s（params.%s）の値は %s までに見直す予定でした。最新の値か確認してください", pd.param.Title, pd.name, pd.param.Values[r.value].ReviewBy)
		}
		ps.res[i] = r
		if r.carried || r.review {
			if ps.warn == nil {
				ps.warn = make([]uint64, (len(decls)+63)/64)
			}
			ps.warn[i/64] |= 1 << (i % 64)
		}
		if r.value < 0 {
			ps.vals[i] = types.NewErr("%s", r.missing)
		} else {
			ps.vals[i] = pd.vals[r.value]
		}
	}
	ps.val = &paramsVal{objectVal: objectVal{paramsType}, set: ps}
	return ps
}

// resolve finds the value of p that applies on date at.
func resolve(p *Parameter, at civil.Date) resolution {
	last := -1
	for i := range p.Values {
		v := &p.Values[i]
		if at.Before(v.From) {
			break
		}
		last = i
		// A value without Until applies until the next value begins.
		if v.Until.IsZero() || !at.After(v.Until) {
			if i+1 < len(p.Values) && !at.Before(p.Values[i+1].From) {
				continue
			}
			return resolution{value: i, review: !v.ReviewBy.IsZero() && at.After(v.ReviewBy)}
		}
	}
	if last < 0 {
		return resolution{value: -1, missing: fmt.Sprintf("params.%s has no value before %s (it applies from %s)", p.Name, p.Values[0].From, p.Values[0].From)}
	}
	v := &p.Values[last]
	if last == len(p.Values)-1 && p.CarryForward {
		return resolution{value: last, carried: true, review: !v.ReviewBy.IsZero() && at.After(v.ReviewBy)}
	}
	return resolution{value: -1, missing: fmt.Sprintf("params.%s has no value for %s (the last one ended on %s)", p.Name, at, v.Until)}
}

// use describes parameter i as resolved in ps.
func (ps *paramSet) use(pd *paramDecl, i int) ParamUse {
	r := ps.res[i]
	u := ParamUse{Name: pd.name, Title: pd.param.Title, Unit: pd.param.Unit, Reference: pd.param.Reference}
	if r.value < 0 {
		return u
	}
	v := pd.param.Values[r.value]
	u.Value = jsonValue(pd.vals[r.value])
	u.From = v.From
	if !v.Until.IsZero() {
		until := v.Until
		u.Until = &until
	}
	u.Source = v.Source
	u.CarriedForward = r.carried
	u.PastReview = r.review
	return u
}

// paramCache keeps resolved parameter sets by date. Screening a batch on
// one date resolves the parameters once.
type paramCache struct {
	mu   sync.RWMutex
	sets map[civil.Date]*paramSet
}

const maxCachedDates = 4096

func (c *paramCache) get(decls []*paramDecl, index map[string]int, at civil.Date) *paramSet {
	c.mu.RLock()
	ps := c.sets[at]
	c.mu.RUnlock()
	if ps != nil {
		return ps
	}
	ps = resolveParams(decls, index, at)
	c.mu.Lock()
	if c.sets == nil || len(c.sets) >= maxCachedDates {
		c.sets = make(map[civil.Date]*paramSet)
	}
	c.sets[at] = ps
	c.mu.Unlock()
	return ps
}

// Parameters returns every parameter of the engine as resolved on date at:
// the value that applies, from when, its source, and whether it is carried
// forward or past its review-by date. A parameter without a value that day
// has a nil Value. `onestop pack check` uses it to show figures to review.
func (e *Engine) Parameters(at civil.Date) []ParamUse {
	ps := e.cache.get(e.params, e.paramIndex, at)
	out := make([]ParamUse, len(e.params))
	for i, pd := range e.params {
		out[i] = ps.use(pd, i)
	}
	return out
}
