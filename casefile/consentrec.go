package casefile

import (
	"fmt"
	"strconv"

	"github.com/onestop-jp/onestop/consent"
)

// ConsentEvent stores one consent.Event. Each data subject has their own
// gap-free sequence (Seq) of events; the consent package derives every
// consent's state from them. Stored events are never changed: amendments,
// withdrawals and corrections are new events.
type ConsentEvent struct {
	Meta
	Subject string        `json:"subject"`
	Seq     uint64        `json:"seq"`
	Event   consent.Event `json:"event"`
}

// EntityKind returns KindConsent.
func (*ConsentEvent) EntityKind() Kind { return KindConsent }

// Refs returns the subject.
func (c *ConsentEvent) Refs() (string, string) { return "", c.Subject }

// Keys makes (subject, seq) unique, so two concurrent appends to one
// subject's log cannot both succeed, and a given event's consent id unique
// in the tenant, so two persons' consents never share an id.
func (c *ConsentEvent) Keys() []string {
	keys := []string{c.Subject + ":" + strconv.FormatUint(c.Seq, 10)}
	if c.Event.Type == consent.EventGiven && c.Event.ConsentID != "" {
		keys = append(keys, consentIDKey(c.Event.ConsentID))
	}
	return keys
}

// consentIDKey is the tenant-wide key of a consent id.
func consentIDKey(id string) string { return "consent-id:" + id }

// Validate checks the stored event.
func (c *ConsentEvent) Validate() error {
	var ps problems
	if c.Subject == "" {
		ps.add("subject", "同意した本人を指定してください")
	}
	if c.Seq == 0 {
		ps.add("seq", "連番がありません")
	}
	if err := c.Event.Validate(); err != nil {
		ps.add("event", err.Error())
	}
	return ps.err(KindConsent)
}

// AddressRestriction stores a DV等支援措置 (consent.Restriction): for its
// protected persons, the protected fields (paths of a person view such as
// "address" or "contacts") are masked for everyone outside the responsible
// desks, and everything is refused to the counterparties (相手方). Lifting
// or extending it is an update; every version is kept.
type AddressRestriction struct {
	Meta
	Restriction consent.Restriction `json:"restriction"`
}

// EntityKind returns KindRestriction.
func (*AddressRestriction) EntityKind() Kind { return KindRestriction }

// Refs returns the first protected person.
func (r *AddressRestriction) Refs() (string, string) {
	if len(r.Restriction.Subjects) == 0 {
		return "", ""
	}
	return "", r.Restriction.Subjects[0]
}

// Keys returns nil.
func (*AddressRestriction) Keys() []string { return nil }

// Validate checks the restriction; its id must be the entity id.
func (r *AddressRestriction) Validate() error {
	if r.Restriction.ID != r.ID {
		return &ValidationError{Kind: KindRestriction, Problems: []Problem{{"restriction.id", "支援措置のIDはエンティティのIDと同じにしてください"}}}
	}
	if err := r.Restriction.Validate(); err != nil {
		return fmt.Errorf("casefile: %w: %w", ErrInvalid, err)
	}
	return nil
}
