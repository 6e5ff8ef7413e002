package consent

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Effect is the outcome of a decision. The zero value is EffectDeny, so a
// Decision that was never filled in denies.
type Effect uint8

// Effects.
const (
	EffectDeny    Effect = iota // nothing requested is permitted
	EffectPermit                // every requested category is permitted (masks may still apply)
	EffectPartial               // some requested categories are permitted, the rest withheld
)

var effectTable = [...]entry{{"deny", "拒否"}, {"permit", "許可"}, {"partial", "一部許可"}}

func (e Effect) String() string {
	if int(e) < len(effectTable) {
		return effectTable[e].code
	}
	return fmt.Sprintf("effect(%d)", e)
}

// Label is the Japanese name shown to people.
func (e Effect) Label() string {
	if int(e) < len(effectTable) {
		return effectTable[e].label
	}
	return ""
}

// MarshalText encodes the effect as its code.
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Basis is what a permit rests on.
type Basis uint8

// Bases.
const (
	BasisNone    Basis = iota // nothing permitted
	BasisConsent              // one or more consents (APPI Art. 69(2)(i))
	BasisStatute              // an asserted statute held by the actor
)

var basisTable = [...]entry{{"none", "なし"}, {"consent", "本人の同意"}, {"statute", "法令"}}

func (b Basis) String() string {
	if int(b) < len(basisTable) {
		return basisTable[b].code
	}
	return fmt.Sprintf("basis(%d)", b)
}

// Label is the Japanese name shown to people.
func (b Basis) Label() string {
	if int(b) < len(basisTable) {
		return basisTable[b].label
	}
	return ""
}

// MarshalText encodes the basis as its code.
func (b Basis) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// Reason explains a decision about a category or a field, in words staff
// can act on.
type Reason uint8

// Reasons. Codes are stable; Label gives the Japanese text.
const (
	ReasonPermittedByConsent  Reason = iota + 1 // permitted by consent
	ReasonPermittedByStatute                    // permitted by an asserted statute
	ReasonNoConsent                             // no active provision covers it
	ReasonSensitiveNotNamed                     // only a wildcard matched a sensitive category
	ReasonExcepted                              // an exception of the matching provision denies it
	ReasonWithdrawn                             // the consent that covered it was withdrawn
	ReasonExpired                               // the consent that covered it has expired
	ReasonNoContract                            // a contractor without an in-force contract for it
	ReasonGrantorCounterparty                   // the consent was granted by a DV counterparty
	ReasonRestricted                            // masked or withheld by a DV等支援措置
	ReasonCounterparty                          // the request is by or for a DV counterparty
	ReasonMyNumber                              // My Number is never in scope
	ReasonStatuteNotHeld                        // the asserted statute is not held by the actor
	ReasonStatuteAction                         // statutes permit only view and copy
	ReasonInvalidRequest                        // the request was malformed
	ReasonNotRequested                          // (redaction) the field's category was not requested
	ReasonNoDecision                            // (redaction) no decision for the field's subject
	ReasonUncategorized                         // (redaction) the field has no valid category
	ReasonNoCapacity                            // the subject consented themself below the age to do so
	ReasonRepresentationEnded                   // a 法定代理人 consented, and the subject has come of age
)

var reasonTable = [...]entry{
	{},
	{"permitted_by_consent", "本人の同意により提供できます"},
	{"permitted_by_statute", "法令上の根拠により提供できます（事後確認の対象）"},
	{"no_consent", "この提供先・目的・行為を対象とする有効な同意がありません"},
	{"sensitive_not_named", "要配慮・DV関連の情報は、同意で種類を明示した場合に限り提供できます"},
	{"excepted", "同意の除外事項に当たります"},
	{"withdrawn", "同意は撤回されています"},
	{"expired", "同意の期間が終了しています"},
	{"no_contract", "委託契約の範囲外です"},
	{"grantor_counterparty", "同意した人が支援措置の相手方のため、その同意は使えません"},
	{"restricted", "支援措置により、担当窓口以外には表示できません"},
	{"counterparty", "支援措置の相手方による請求、または相手方への提供はできません"},
	{"my_number", "個人番号（マイナンバー）は対象外です（番号法第19条）"},
	{"statute_not_held", "主張された法令上の根拠を、この職員・部署は持っていません"},
	{"statute_action", "法令上の根拠で認められるのは閲覧と写しの提供だけです"},
	{"invalid_request", "要求の内容が正しくありません"},
	{"not_requested", "要求されていない種類の情報です"},
	{"no_decision", "この人の情報についての判断がありません"},
	{"uncategorized", "情報の種類が指定されていない項目です"},
	{"no_capacity", "同意した時点で本人が自ら同意できる年齢に達していなかったため、その同意は使えません（法定代理人の同意が必要です）"},
	{"representation_ended", "本人が成年（18歳）に達したため、法定代理人の同意は使えません。本人の同意を得てください"},
}

func (r Reason) String() string { return stringOf("reason", reasonTable[:], uint8(r)) }

// Label is the Japanese explanation shown to staff.
func (r Reason) Label() string { return labelOf(reasonTable[:], uint8(r)) }

// MarshalText encodes the reason as its code.
func (r Reason) MarshalText() ([]byte, error) {
	return marshalCode("reason", reasonTable[:], uint8(r))
}

// Obligations are what the caller must do along with a decision (the
// enforcement side of the IHE "Decider/Enforcer" split). A set of flags.
type Obligations uint16

// Obligation flags.
const (
	// ObligationAudit: record the decision (permit or deny) in the audit log.
	ObligationAudit Obligations = 1 << iota
	// ObligationRecordDisclosure: register the disclosure (who received
	// which categories of whose data, on what basis) so the person can ask
	// "who received my data" and be told after a withdrawal.
	ObligationRecordDisclosure
	// ObligationSupervisorReview: a supervisor reviews the decision after
	// the fact (statutory basis asserted, counterparty request).
	ObligationSupervisorReview
	// ObligationConfidentiality: the recipient is bound by the statute's
	// duty of confidentiality (e.g. 児童福祉法 Art. 25-5); mark the copy.
	ObligationConfidentiality
	// ObligationApplyMasks: remove the masked fields (Decision.Masks) from
	// every view, export and notification.
	ObligationApplyMasks
	// ObligationReviewRestriction: a DV等支援措置 is within a month of its
	// end or past it without being lifted; the desk must decide on it.
	ObligationReviewRestriction
	// ObligationContractControls: the recipient is a contractor (委託先);
	// its contract's safety controls apply and its reads are audited.
	ObligationContractControls
	// ObligationCheckOptIn: send a notification only if the receiving staff
	// member or organisation opted in.
	ObligationCheckOptIn
	// ObligationIDsOnly: a notification payload carries ids and an event
	// type only; details are read through an access-checked call.
	ObligationIDsOnly
)

var obligationTable = [...]entry{
	{"audit", "監査ログへの記録"},
	{"record_disclosure", "提供記録への登録"},
	{"supervisor_review", "上司による事後確認"},
	{"confidentiality", "守秘義務の明示"},
	{"apply_masks", "保護項目の非表示"},
	{"review_restriction", "支援措置の期間の確認"},
	{"contract_controls", "委託先の安全管理措置"},
	{"check_opt_in", "受信者の通知設定の確認"},
	{"ids_only", "通知は識別子のみ"},
}

// Has reports whether every flag of x is set in o.
func (o Obligations) Has(x Obligations) bool { return o&x == x }

// Codes lists the obligation codes in a fixed order.
func (o Obligations) Codes() []string {
	var out []string
	for i, e := range obligationTable {
		if o&(1<<i) != 0 {
			out = append(out, e.code)
		}
	}
	return out
}

// Labels lists the Japanese names in a fixed order.
func (o Obligations) Labels() []string {
	var out []string
	for i, e := range obligationTable {
		if o&(1<<i) != 0 {
			out = append(out, e.label)
		}
	}
	return out
}

func (o Obligations) String() string { return strings.Join(o.Codes(), ",") }

// MarshalJSON encodes the flags as an array of codes.
func (o Obligations) MarshalJSON() ([]byte, error) {
	codes := o.Codes()
	if codes == nil {
		codes = []string{}
	}
	return json.Marshal(codes)
}

// Actor is who asks: a staff member acting for an organisation in a role.
type Actor struct {
	User string `json:"user"`
	Org  string `json:"org"`
	Role string `json:"role,omitempty"`
	// Person is the actor's own person id as a resident, when known, so
	// that a staff member who is a DV counterparty is refused too.
	Person string `json:"person,omitempty"`
}

// Assertion is an explicit claim of a statutory basis, made by the acting
// user with a reason; it is recorded and reviewed whatever the outcome.
type Assertion struct {
	Statute    Statute `json:"statute"`
	By         string  `json:"by"`
	Reason     string  `json:"reason,omitempty"`
	Conference string  `json:"conference,omitempty"`
}

// Request asks whether Actor may perform Action for Purpose on Categories
// of Subject's data at time At. At is a parameter, never the clock, so that
// decisions are reproducible.
type Request struct {
	Actor      Actor       `json:"actor"`
	Subject    string      `json:"subject"`
	Action     Action      `json:"action"`
	Purpose    Purpose     `json:"purpose"`
	Categories CategorySet `json:"categories"`
	At         time.Time   `json:"at"`
	// OnBehalfOf is the person the request is made by or for, other than
	// the staff member: a resident asking at the counter, the addressee of
	// a notification. A DV counterparty here denies the request.
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	// Assertion, when its Statute is set, asks for the statutory route.
	Assertion Assertion `json:"assertion,omitzero"`
}

func (r *Request) validate() error {
	bad := func(field, msg string) error { return &RequestError{Field: field, Message: msg} }
	switch {
	case r.Actor.User == "":
		return bad("actor.user", "the acting staff member is required for the audit trail")
	case r.Actor.Org == "":
		return bad("actor.org", "the acting organisation is required")
	case r.Subject == "":
		return bad("subject", "the data subject is required")
	case !r.Action.Valid():
		return bad("action", "unknown action "+r.Action.String())
	case !r.Purpose.Valid():
		return bad("purpose", "unknown purpose "+r.Purpose.String())
	case r.Categories.Empty():
		return bad("categories", "at least one data category is required")
	case r.Categories&^allCategoryBits != 0:
		return bad("categories", "contains bits that are not categories")
	case r.At.IsZero():
		return bad("at", "the time of the request is required")
	}
	if a := &r.Assertion; a.Statute != 0 || a.By != "" || a.Reason != "" || a.Conference != "" {
		switch {
		case !a.Statute.Valid():
			return bad("assertion.statute", "unknown statute "+a.Statute.String())
		case a.By == "" || a.By != r.Actor.User:
			return bad("assertion.by", "a statutory basis must be asserted by the acting user")
		case strings.TrimSpace(a.Reason) == "":
			return bad("assertion.reason", "a statutory basis must be asserted with a reason")
		case a.Statute.NeedsConference() && a.Conference == "":
			return bad("assertion.conference", "this statute is asserted as a member of a conference; name it")
		case !a.Statute.NeedsConference() && a.Conference != "":
			return bad("assertion.conference", "this statute does not work through a conference")
		}
	}
	return nil
}

// Decision is the answer to a Request. Its zero value denies. It is a value:
// Decide returns it without allocating, and its accessors (ConsentIDs,
// Masks) build slices only when called.
type Decision struct {
	Request     Request
	Effect      Effect
	Basis       Basis
	Permitted   CategorySet
	Withheld    CategorySet // requested but not permitted
	Obligations Obligations

	reason   Reason // a reason for the whole request, when there is one
	reasons  [numCategories]Reason
	sub      *subjectIndex
	consents indexSet // indices into sub.consents that permitted something
	masks    indexSet // indices into sub.restrictions that mask fields
}

// Allowed reports whether anything was permitted.
func (d Decision) Allowed() bool { return d.Effect != EffectDeny }

// Reason is the main reason: the reason for the whole request if there is
// one (a counterparty, My Number, an unheld statute), otherwise that of
// the permit or of the first withheld category.
func (d Decision) Reason() Reason {
	if d.reason != 0 {
		return d.reason
	}
	if d.Effect == EffectPermit {
		if d.Basis == BasisStatute {
			return ReasonPermittedByStatute
		}
		return ReasonPermittedByConsent
	}
	for i := 1; i < numCategories; i++ {
		if d.Withheld&(1<<i) != 0 {
			return d.reasons[i]
		}
	}
	if d.Request.validate() != nil {
		return ReasonInvalidRequest
	}
	return ReasonNoConsent
}

// CategoryReason explains the decision for one requested category; 0 for a
// category that was not requested.
func (d Decision) CategoryReason(c Category) Reason {
	if !c.Valid() {
		return 0
	}
	return d.reasons[c]
}

// ConsentIDs are the consents a consent-based permit rests on, sorted.
func (d Decision) ConsentIDs() []string {
	if d.sub == nil {
		return nil
	}
	var out []string
	d.consents.each(func(i int) { out = append(out, d.sub.consents[i].id) })
	return out
}

// Mask is a field path prefix to remove from views, exports and
// notifications, and the restriction that requires it.
type Mask struct {
	Path        string `json:"path"`
	Restriction string `json:"restriction"`
}

// Masks lists the field masks of the DV等支援措置 that apply to the actor.
func (d Decision) Masks() []Mask {
	if d.sub == nil {
		return nil
	}
	var out []Mask
	d.masks.each(func(i int) {
		r := d.sub.restrictions[i]
		for _, f := range r.fields {
			out = append(out, Mask{Path: f, Restriction: r.id})
		}
	})
	return out
}

// Masked reports whether a field path is masked by this decision.
func (d Decision) Masked(path string) bool {
	if d.sub == nil {
		return false
	}
	masked := false
	d.masks.each(func(i int) {
		for _, f := range d.sub.restrictions[i].fields {
			if pathCovers(f, path) {
				masked = true
			}
		}
	})
	return masked
}

// Statute is the statute a statutory permit rests on, 0 otherwise.
func (d Decision) Statute() Statute {
	if d.Basis == BasisStatute {
		return d.Request.Assertion.Statute
	}
	return 0
}

// ReviewRequired reports whether a supervisor must review the decision.
func (d Decision) ReviewRequired() bool { return d.Obligations.Has(ObligationSupervisorReview) }

// String is a one-line Japanese summary for logs and staff screens; it
// holds codes and ids only, no personal data.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.Effect.Label())
	switch {
	case d.Basis == BasisConsent:
		fmt.Fprintf(&b, "（同意: %s）", strings.Join(d.ConsentIDs(), ", "))
	case d.Basis == BasisStatute:
		fmt.Fprintf(&b, "（法令: %s）", d.Statute().Label())
	}
	if !d.Permitted.Empty() {
		fmt.Fprintf(&b, " 許可: %s", d.Permitted.Labels())
	}
	if d.reason != 0 && d.Effect == EffectDeny {
		fmt.Fprintf(&b, " 理由: %s", d.reason.Label())
	} else {
		for _, c := range d.Withheld.List() {
			fmt.Fprintf(&b, " 不可: %s（%s）", c.Label(), d.reasons[c].Label())
		}
	}
	if ms := d.Masks(); len(ms) > 0 {
		paths := make([]string, len(ms))
		for i, m := range ms {
			paths[i] = m.Path
		}
		fmt.Fprintf(&b, " 非表示: %s", strings.Join(paths, ", "))
	}
	return b.String()
}

// Disclosure returns the disclosure record of a permitted decision, for
// the disclosure log; false for a deny.
func (d Decision) Disclosure() (Disclosure, bool) {
	if !d.Allowed() {
		return Disclosure{}, false
	}
	return Disclosure{
		Subject:    d.Request.Subject,
		Recipient:  d.Request.Actor.Org,
		Action:     d.Request.Action,
		Purpose:    d.Request.Purpose,
		Categories: d.Permitted,
		ConsentIDs: d.ConsentIDs(),
		Statute:    d.Statute(),
		At:         d.Request.At,
	}, true
}

// categoryOutcome is one category's line in a decision's JSON form.
type categoryOutcome struct {
	Category Category `json:"category"`
	Reason   Reason   `json:"reason"`
}

// MarshalJSON encodes the decision for a decision log: codes and ids only.
// The free-text reason of an assertion is left out (it may hold personal
// data); keep it with the access-controlled case record for the review.
func (d Decision) MarshalJSON() ([]byte, error) {
	req := d.Request
	req.Assertion.Reason = ""
	var per []categoryOutcome
	for _, c := range d.Request.Categories.List() {
		if r := d.reasons[c]; r != 0 {
			per = append(per, categoryOutcome{Category: c, Reason: r})
		}
	}
	return json.Marshal(struct {
		Effect         Effect            `json:"effect"`
		Reason         Reason            `json:"reason"`
		Basis          Basis             `json:"basis"`
		ConsentIDs     []string          `json:"consent_ids,omitempty"`
		Statute        Statute           `json:"statute,omitzero"`
		Permitted      CategorySet       `json:"permitted"`
		Withheld       CategorySet       `json:"withheld"`
		Categories     []categoryOutcome `json:"categories,omitempty"`
		Masks          []Mask            `json:"masks,omitempty"`
		Obligations    Obligations       `json:"obligations"`
		ReviewRequired bool              `json:"review_required"`
		Request        Request           `json:"request"`
	}{
		d.Effect, d.Reason(), d.Basis, d.ConsentIDs(), d.Statute(), d.Permitted, d.Withheld,
		per, d.Masks(), d.Obligations, d.ReviewRequired(), req,
	})
}

// indexSet is a small set of indices: a bitmask for the first 64 and a
// slice (allocated only then) beyond.
type indexSet struct {
	lo uint64
	hi []int
}

func (s *indexSet) add(i int) {
	if i < 64 {
		s.lo |= 1 << i
		return
	}
	for _, x := range s.hi {
		if x == i {
			return
		}
	}
	s.hi = append(s.hi, i)
}

func (s *indexSet) each(f func(int)) {
	for i := 0; i < 64; i++ {
		if s.lo&(1<<i) != 0 {
			f(i)
		}
	}
	for _, i := range s.hi {
		f(i)
	}
}

func (s *indexSet) empty() bool { return s.lo == 0 && len(s.hi) == 0 }
