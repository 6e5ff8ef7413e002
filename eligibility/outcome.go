package eligibility

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/civil"
)

// Status is the three-valued result of screening a household for a
// programme.
type Status string

// Statuses.
const (
	// Eligible: every condition holds.
	Eligible Status = "eligible"
	// Ineligible: some condition does not hold, whatever the missing facts.
	Ineligible Status = "ineligible"
	// Undetermined: no condition fails, but some depend on facts not given
	// (listed in Missing), or a rule could not be evaluated (Error).
	Undetermined Status = "undetermined"
)

// Label returns the status in Japanese (対象 / 対象外 / 判定保留).
func (s Status) Label() string {
	switch s {
	case Eligible:
		return "対象"
	case Ineligible:
		return "対象外"
	case Undetermined:
		return "判定保留"
	}
	return string(s)
}

// Kind says what a programme's outcome is worth to a family: whether the
// rules decide the entitlement, give an estimate, or only point to where to
// apply. It is declared per programme in the pack (kind:) and copied onto
// every outcome, so a display can say "目安" or "申請の案内" next to a result.
type Kind string

// Kinds of outcome.
const (
	// KindEntitlement: the programme's statutory conditions and amount are
	// applied to the facts; the 認定 itself stays with the authority.
	KindEntitlement Kind = "entitlement"
	// KindEstimate: an estimate of an amount or a band the authority fixes
	// case by case (生活保護の加算, 保育料 …); it is labelled as such.
	KindEstimate Kind = "estimate"
	// KindReferral: the rules can only say the family may qualify and where
	// to apply; the authority decides on its own assessment (就学援助 …).
	KindReferral Kind = "referral"
)

// Kinds lists the kinds in order.
var kinds = []Kind{KindEntitlement, KindEstimate, KindReferral}

// Label returns the kind in Japanese (受給資格の判定 / 目安 / 申請の案内).
func (k Kind) Label() string {
	switch k {
	case KindEntitlement:
		return "受給資格の判定"
	case KindEstimate:
		return "目安"
	case KindReferral:
		return "申請の案内"
	}
	return string(k)
}

// Screening is the result of screening one household on one date.
type Screening struct {
	HouseholdID string     `json:"household_id"`
	AsOf        civil.Date `json:"as_of"`
	Pack        PackRef    `json:"pack"`
	Results     []Outcome  `json:"results"`
}

// PackRef names the rules a screening used: the top pack and, when packs
// are layered, every layer from the base up.
type PackRef struct {
	ID      string     `json:"id"`
	Version string     `json:"version"`
	Layers  []PackInfo `json:"layers,omitempty"`
}

// Outcome is a household's outcome for one programme.
type Outcome struct {
	Program  string `json:"program"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	// Kind says whether the outcome is an entitlement, an estimate or a
	// pointer to apply (the programme's kind:).
	Kind   Kind   `json:"kind"`
	Status Status `json:"status"`
	// Amount is what the programme gives, when it could be computed.
	Amount *Money `json:"amount"`
	// Conditions: with explanations, every condition in order; without,
	// only those that did not hold or are not known (the reasons).
	Conditions []ConditionResult `json:"conditions"`
	// Missing are the facts that would decide an undetermined outcome (or
	// the amount of an eligible one).
	Missing  []Missing `json:"missing"`
	Warnings []Warning `json:"warnings"`
	// Error is set when a rule of the programme could not be evaluated.
	Error *EvalError `json:"error,omitempty"`

	// With explanations only:
	Values     []ValueUse `json:"values,omitempty"`
	Parameters []ParamUse `json:"parameters,omitempty"`
	// Breakdowns are the step-by-step income computations (所得額 …).
	Breakdowns []Breakdown `json:"breakdowns,omitempty"`
	Sources    []Source    `json:"sources,omitempty"`
}

// String is the outcome in one Japanese line, for logs and quick looks:
// 児童扶養手当: 対象 26,920円/月, 児童手当: 対象外（…であること）,
// 児童扶養手当: 判定保留（要確認: 子（2人目）の生年月日、…）.
func (o Outcome) String() string {
	var b strings.Builder
	b.WriteString(o.Name + ": " + o.Status.Label())
	switch o.Status {
	case Eligible:
		if o.Amount != nil {
			b.WriteString(" " + o.Amount.String())
			if o.Kind == KindEstimate {
				b.WriteString("（目安）")
			}
		}
	case Ineligible:
		var reasons []string
		for _, c := range o.Conditions {
			if c.Result != nil && !*c.Result {
				reasons = append(reasons, c.Reason)
			}
		}
		if len(reasons) > 0 {
			b.WriteString("（" + strings.Join(reasons, "、") + " に当てはまりません）")
		}
	case Undetermined:
		switch {
		case o.Error != nil:
			b.WriteString("（エラー: " + o.Error.Message + "）")
		case len(o.Missing) > 0:
			labels := make([]string, len(o.Missing))
			for i, m := range o.Missing {
				labels[i] = m.Label
			}
			b.WriteString("（要確認: " + strings.Join(labels, "、") + "）")
		}
	}
	for _, w := range o.Warnings {
		b.WriteString("［注意: " + w.Message + "］")
	}
	return b.String()
}

// MarshalJSON writes empty lists as [] rather than null, as the screening
// contract has it.
func (o Outcome) MarshalJSON() ([]byte, error) {
	type plain Outcome
	p := plain(o)
	if p.Conditions == nil {
		p.Conditions = []ConditionResult{}
	}
	if p.Missing == nil {
		p.Missing = []Missing{}
	}
	if p.Warnings == nil {
		p.Warnings = []Warning{}
	}
	return json.Marshal(p)
}

// MarshalJSON writes the sources with lower-case keys.
func (s Source) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Title string `json:"title"`
		URL   string `json:"url,omitempty"`
	}{s.Title, s.URL})
}

// Money is an amount in whole yen and its period.
type Money struct {
	Yen int64     `json:"yen"`
	Per AmountPer `json:"per"`
}

// String formats the amount in Japanese: 26,920円/月.
func (m Money) String() string {
	per := ""
	switch m.Per {
	case PerMonth:
		per = "/月"
	case PerYear:
		per = "/年"
	case PerOnce:
		per = "（一時金）"
	}
	return FormatYen(m.Yen) + per
}

// ConditionResult is one condition and whether it held.
type ConditionResult struct {
	Reason string `json:"reason"`
	// Result is true or false, or nil when it depends on missing facts.
	Result *bool `json:"result"`
	// Explanation is the condition's explain text, with explanations.
	Explanation string `json:"explanation,omitempty"`
	// Values are the named values the condition reads, with explanations.
	Values []ValueUse `json:"values,omitempty"`
	// Missing are the facts this condition waits for.
	Missing []Missing `json:"missing,omitempty"`
}

// ValueUse is a named intermediate value and what it came to.
type ValueUse struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Value is an int64 (yen), bool, string, a date or decimal as a string,
	// a list, or nil when it depends on missing facts.
	Value any `json:"value"`
}

// Missing is a fact that is not known and that a rule needs.
type Missing struct {
	// Path locates the fact in the household's JSON form:
	// members[1].birth_date, situation,
	// members[0].incomes[year=2023].salary_revenue.
	Path string `json:"path"`
	// MemberID is the id of the member the fact is about, if any.
	MemberID string `json:"member_id,omitempty"`
	// Field is the fact's key in the facts model (birth_date).
	Field string `json:"field"`
	// Year is the income year, for income facts.
	Year int `json:"year,omitempty"`
	// Label says in Japanese what to ask: 子（2人目）の生年月日 (an ordinal only when the household has several children; never the member id).
	Label string `json:"label"`
}

// WarningCode is the kind of a Warning, for tools to branch on.
type WarningCode string

// The warning codes.
const (
	// WarningCarriedForward: a parameter's last value is used after its
	// period because the next one is not yet in the pack.
	WarningCarriedForward WarningCode = "parameter_carried_forward"
	// WarningPastReview: the date is past a parameter value's review-by
	// date.
	WarningPastReview WarningCode = "parameter_past_review"
)

// Warning is something staff must know about an outcome, such as a figure
// carried forward from an earlier year.
type Warning struct {
	Code      WarningCode `json:"code"`
	Message   string      `json:"message"`
	Parameter string      `json:"parameter,omitempty"`
}

// EvalError is a rule that could not be evaluated, with where it is.
type EvalError struct {
	Message string `json:"message"`
	// Position is where in the pack the failing expression is.
	Position
	// Where names the expression: 要件 2, 値 income, 金額.
	Where string `json:"where,omitempty"`
}

func (e *EvalError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Col, e.Where, e.Message)
	}
	return e.Where + ": " + e.Message
}

// Outcome returns the outcome for a programme id, or nil.
func (s *Screening) Outcome(program string) *Outcome {
	for i := range s.Results {
		if s.Results[i].Program == program {
			return &s.Results[i]
		}
	}
	return nil
}

// missingFromTrail turns an unknown's attribute path into a Missing fact.
func missingFromTrail(h *Household, quals []any) (Missing, bool) {
	var m Missing
	var path strings.Builder
	catalog := factCatalog()
	typ := catalog["Household"]
	member := -1
	for i, q := range quals {
		switch v := q.(type) {
		case string:
			if strings.HasPrefix(v, "year=") {
				y, _ := strconv.Atoi(strings.TrimPrefix(v, "year="))
				m.Year = y
				path.WriteString("[" + v + "]")
				typ = catalog["Income"]
				m.Field = "incomes"
				continue
			}
			if path.Len() > 0 {
				path.WriteByte('.')
			}
			path.WriteString(v)
			if typ != nil {
				if f := typ.Field(v); f != nil {
					m.Field = v
					if f.Kind == KindObject {
						typ = catalog[f.Elem]
					} else if f.Kind == KindList && f.Elem != "" {
						typ = catalog[f.Elem]
					}
					continue
				}
			}
			// extra.<key>: a local fact.
			if i > 0 {
				m.Field = v
			}
		case int64:
			path.WriteString("[" + strconv.FormatInt(v, 10) + "]")
			if member < 0 && int(v) >= 0 && int(v) < len(h.Members) {
				member = int(v)
				m.MemberID = h.Members[v].ID
			}
		}
	}
	m.Path = path.String()
	m.Label = missingLabel(h, member, quals, m)
	return m, m.Path != ""
}

func missingLabel(h *Household, member int, quals []any, m Missing) string {
	catalog := factCatalog()
	var b strings.Builder
	if member >= 0 {
		b.WriteString(memberLabel(h, member))
		b.WriteString("の")
	}
	field := m.Field
	last, _ := quals[len(quals)-1].(string)
	switch {
	case len(quals) >= 2 && quals[0] == "extra":
		b.WriteString("地域独自の項目 " + last)
		return b.String()
	case m.Year != 0 && strings.HasPrefix(last, "year="):
		b.WriteString(strconv.Itoa(m.Year) + "年分の所得")
		return b.String()
	case m.Year != 0:
		b.WriteString(strconv.Itoa(m.Year) + "年分の")
		if f := catalog["Income"].Field(field); f != nil {
			b.WriteString(f.Label)
		}
		return b.String()
	}
	for _, tn := range []string{"Household", "Member", "Disability"} {
		if f := catalog[tn].Field(field); f != nil {
			if tn == "Disability" && field != "kind" {
				b.WriteString("障害の")
			}
			b.WriteString(f.Label)
			return b.String()
		}
	}
	b.WriteString(field)
	return b.String()
}

// memberLabel names member i of h for people: 申請者, 子, or 子（2人目）
// when the household has several members of that relation. Member ids are
// for programs (Missing.MemberID); they are often opaque (a case record's
// person id) and never appear in a label.
func memberLabel(h *Household, i int) string {
	m := &h.Members[i]
	label := "世帯員"
	if m.Relation == RelationSelf {
		label = "申請者"
	} else {
		for _, ev := range relationValues {
			if ev.Value == string(m.Relation) {
				label = ev.Label
			}
		}
	}
	nth, same := 0, 0
	for j := range h.Members {
		if h.Members[j].Relation == m.Relation {
			same++
			if j <= i {
				nth++
			}
		}
	}
	if same > 1 {
		label += "（" + strconv.Itoa(nth) + "人目）"
	}
	return label
}
