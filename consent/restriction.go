package consent

import (
	"fmt"
	"strings"
	"time"
)

// Restriction is a DV等支援措置 (support measure for victims of DV,
// stalking or abuse, 住民基本台帳法 Art. 11-2, 12 etc.) as far as sharing
// is concerned. It is a hard deny that no consent and no statute can lift:
//
//   - every request made by, or on behalf of, a listed counterparty (相手方)
//     is denied, whatever it asks for;
//   - for everyone outside ResponsibleOrgs, ProtectedFields are masked in
//     every view and ProtectedCategories are withheld.
//
// A measure lasts one year and is not renewed automatically. This package
// never unmasks silently: a Restriction stays in force after Period.End
// until LiftedAt is set, and decisions carry ObligationReviewRestriction
// from one month before the end, so that the desk decides on an extension.
type Restriction struct {
	ID   string          `json:"id"`
	Kind RestrictionKind `json:"kind"`
	// Subjects are the protected persons: the victim and the household
	// members at the same address covered by the measure.
	Subjects []string `json:"subjects"`
	// Counterparties are the 相手方 (person ids). A consent granted by a
	// counterparty (an abusive 法定代理人) does not count either.
	Counterparties []string `json:"counterparties"`
	// ProtectedFields are View field paths (prefixes on "." boundaries,
	// e.g. "address", "contacts") masked outside the responsible desk.
	ProtectedFields []string `json:"protected_fields,omitempty"`
	// ProtectedCategories are withheld whole outside the responsible desk.
	ProtectedCategories []Category `json:"protected_categories,omitempty"`
	// ResponsibleOrgs are the organisation codes of the desks that handle
	// the measure and see the protected fields.
	ResponsibleOrgs []string `json:"responsible_orgs"`
	// Period of the measure (支援措置の期間); End is required.
	Period Period `json:"period"`
	// LiftedAt is when the desk ended the measure (解除 or expiry confirmed);
	// zero while it is in force.
	LiftedAt time.Time `json:"lifted_at,omitzero"`
	// Source of the confirmation of need (警察, 配偶者暴力相談支援センター,
	// 児童相談所 …) and the staff member who verified it.
	Source     string `json:"source"`
	VerifiedBy string `json:"verified_by"`
}

// RestrictionState is the state of a Restriction at a point in time.
type RestrictionState uint8

// Restriction states. Expiring and Overdue are in force.
const (
	RestrictionPending  RestrictionState = iota + 1 // before Period.Start
	RestrictionInForce                              // within the period
	RestrictionExpiring                             // in force, within one month of Period.End
	RestrictionOverdue                              // past Period.End, not lifted: still in force
	RestrictionLifted                               // lifted: no longer applies
)

var restrictionStateTable = [...]entry{
	{},
	{"pending", "開始前"},
	{"in_force", "実施中"},
	{"expiring", "終了1か月前"},
	{"overdue", "期間経過・未解除（実施中として扱う）"},
	{"lifted", "解除済み"},
}

func (s RestrictionState) String() string {
	return stringOf("restriction_state", restrictionStateTable[:], uint8(s))
}

// Label is the Japanese name shown to staff.
func (s RestrictionState) Label() string { return labelOf(restrictionStateTable[:], uint8(s)) }

// InForce reports whether the state masks and denies.
func (s RestrictionState) InForce() bool {
	return s == RestrictionInForce || s == RestrictionExpiring || s == RestrictionOverdue
}

// State returns the restriction's state at t.
func (r Restriction) State(t time.Time) RestrictionState {
	return restrictionState(r.Period, expiringFrom(r.Period.End), r.LiftedAt, t)
}

// expiringFrom is one month before end, counted on the calendar in Japan,
// when an extension can be requested.
func expiringFrom(end time.Time) time.Time { return end.In(jst).AddDate(0, -1, 0) }

func restrictionState(p Period, expiring, lifted, t time.Time) RestrictionState {
	switch {
	case !lifted.IsZero() && !t.Before(lifted):
		return RestrictionLifted
	case t.Before(p.Start):
		return RestrictionPending
	case !t.Before(p.End):
		return RestrictionOverdue
	case !t.Before(expiring):
		return RestrictionExpiring
	}
	return RestrictionInForce
}

// Protects reports whether a field at path of category c is protected by
// the restriction (a ProtectedFields prefix on a "." boundary, or a
// ProtectedCategories entry), whatever its state: check State first.
func (r Restriction) Protects(path string, c Category) bool {
	for _, f := range r.ProtectedFields {
		if pathCovers(f, path) {
			return true
		}
	}
	for _, pc := range r.ProtectedCategories {
		if pc == c {
			return true
		}
	}
	return false
}

// IsCounterparty reports whether person is one of the restriction's
// counterparties (相手方). The empty person is nobody's counterparty.
func (r Restriction) IsCounterparty(person string) bool {
	if person == "" {
		return false
	}
	for _, c := range r.Counterparties {
		if c == person {
			return true
		}
	}
	return false
}

// Validate checks the restriction and returns a *ValidationError or nil.
func (r Restriction) Validate() error {
	var ps problems
	checkID("id", r.ID, &ps)
	if !r.Kind.Valid() {
		ps.add("kind", "支援措置の種類（dv・stalking・abuse）を指定してください")
	}
	checkIDList("subjects", r.Subjects, true, &ps)
	checkIDList("counterparties", r.Counterparties, false, &ps)
	for _, c := range r.Counterparties {
		for _, s := range r.Subjects {
			if c == s {
				ps.add("counterparties", "保護される人を相手方に含めることはできません")
			}
		}
	}
	if len(r.ProtectedFields) == 0 && len(r.ProtectedCategories) == 0 {
		ps.add("protected_fields", "保護する項目（住所・連絡先など）を指定してください")
	}
	for i, f := range r.ProtectedFields {
		if !validPath(f) {
			ps.add(fmt.Sprintf("protected_fields[%d]", i), "項目のパスが正しくありません（例: address, contacts.0.value）")
		}
	}
	for i, c := range r.ProtectedCategories {
		if !c.Valid() {
			ps.add(fmt.Sprintf("protected_categories[%d]", i), "情報の種類が正しくありません（* は使えません）")
		}
	}
	checkIDList("responsible_orgs", r.ResponsibleOrgs, true, &ps)
	r.Period.validate("period", true, &ps)
	if !r.Period.Start.IsZero() && r.Period.End.IsZero() {
		ps.add("period.end", "支援措置の終了日を入力してください（自動では延長されません）")
	}
	checkText("source", r.Source, true, &ps)
	checkID("verified_by", r.VerifiedBy, &ps)
	return ps.err("restriction")
}

// Minor says from when a data subject consents for themself and until when
// a 法定代理人 consents for them; the record store works both out from the
// birth date (this package reads none). A subject without a Minor entry is
// taken to have capacity and no representative limit.
//
//   - A consent the subject gave themself (CapacitySelf) counts only if it
//     was given — the version took effect — at or after SelfFrom: below
//     that age a 法定代理人 consents (個人情報保護委員会のQ&A 1-62: generally
//     children of 12 to 15 and younger; casefile uses 16 by default).
//   - A consent of a 法定代理人 (CapacityLegalRepresentative) stops counting
//     at AdultFrom, the day the subject reaches 18 (成年, 民法第4条): the
//     representation ends and the subject must consent themself.
type Minor struct {
	Subject   string    `json:"subject"`
	SelfFrom  time.Time `json:"self_from"`
	AdultFrom time.Time `json:"adult_from"`
}

// Validate checks the entry and returns a *ValidationError or nil.
func (m Minor) Validate() error {
	var ps problems
	checkID("subject", m.Subject, &ps)
	if m.AdultFrom.IsZero() {
		ps.add("adult_from", "成年に達する日を入力してください")
	}
	if !m.SelfFrom.IsZero() && m.SelfFrom.After(m.AdultFrom) {
		ps.add("self_from", "本人が同意できる日は成年に達する日以前にしてください")
	}
	return ps.err("minor")
}

// Contract is a 委託 contract that lets a contractor receive data
// (APPI Art. 66(2)): a provision naming a contractor permits only while a
// contract for it is in force, and only the contract's categories.
type Contract struct {
	ID  string `json:"id"`
	Org string `json:"org"` // the contractor's organisation code
	// Period of the contract; End is required.
	Period Period `json:"period"`
	// Categories the contract allows the contractor to handle; named
	// explicitly (no "*").
	Categories []Category `json:"categories"`
}

// Validate checks the contract and returns a *ValidationError or nil.
func (c Contract) Validate() error {
	var ps problems
	checkID("id", c.ID, &ps)
	checkID("org", c.Org, &ps)
	c.Period.validate("period", true, &ps)
	if !c.Period.Start.IsZero() && c.Period.End.IsZero() {
		ps.add("period.end", "委託契約の終了日を入力してください")
	}
	if len(c.Categories) == 0 {
		ps.add("categories", "委託先が取り扱う情報の種類を指定してください")
	}
	for i, v := range c.Categories {
		if !v.Valid() || v == CategoryMyNumber {
			ps.add(fmt.Sprintf("categories[%d]", i), "情報の種類が正しくありません（* と個人番号は使えません）")
		}
	}
	return ps.err("contract")
}

// Mandate says that an actor holds a statutory basis: an organisation
// (optionally narrowed to a role or one staff member) that may assert
// Statute, for conferences as a member of Conference, within Period.
// Mandates are configuration kept by the municipality (e.g. the members of
// the 要保護児童対策地域協議会).
type Mandate struct {
	Statute Statute `json:"statute"`
	Org     string  `json:"org"`
	Role    string  `json:"role,omitempty"`
	User    string  `json:"user,omitempty"`
	// Conference is required for statutes that work through a conference.
	Conference string `json:"conference,omitempty"`
	Period     Period `json:"period"`
}

// Validate checks the mandate and returns a *ValidationError or nil.
func (m Mandate) Validate() error {
	var ps problems
	if !m.Statute.Valid() {
		ps.add("statute", "法令上の根拠を指定してください")
	}
	checkID("org", m.Org, &ps)
	if m.Role != "" {
		checkID("role", m.Role, &ps)
	}
	if m.User != "" {
		checkID("user", m.User, &ps)
	}
	if m.Statute.NeedsConference() {
		checkID("conference", m.Conference, &ps)
	} else if m.Conference != "" {
		ps.add("conference", "この根拠には会議の指定は不要です")
	}
	m.Period.validate("period", true, &ps)
	return ps.err("mandate")
}

func (m *Mandate) holds(req *Request) bool {
	return m.Statute == req.Assertion.Statute &&
		m.Org == req.Actor.Org &&
		(m.Role == "" || m.Role == req.Actor.Role) &&
		(m.User == "" || m.User == req.Actor.User) &&
		m.Conference == req.Assertion.Conference &&
		m.Period.Contains(req.At)
}

func checkIDList(path string, ids []string, required bool, ps *problems) {
	if required && len(ids) == 0 {
		ps.add(path, "1つ以上入力してください")
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		p := fmt.Sprintf("%s[%d]", path, i)
		checkID(p, id, ps)
		if seen[id] {
			ps.add(p, "重複しています")
		}
		seen[id] = true
	}
}

// validPath reports whether p is a field path: non-empty segments of
// printable ASCII other than "." and space, joined by ".".
func validPath(p string) bool {
	if p == "" || len(p) > maxTextLen {
		return false
	}
	for _, seg := range strings.Split(p, ".") {
		if seg == "" {
			return false
		}
		for i := 0; i < len(seg); i++ {
			if seg[i] <= ' ' || seg[i] >= 0x7f {
				return false
			}
		}
	}
	return true
}

// pathCovers reports whether mask covers path: equal, or a prefix ending at
// a "." boundary ("address" covers "address.line1", not "addressee").
func pathCovers(mask, path string) bool {
	return strings.HasPrefix(path, mask) && (len(path) == len(mask) || path[len(mask)] == '.')
}
