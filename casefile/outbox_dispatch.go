package casefile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// Destination is where one delivery goes, read through a fresh decision
// just before sending. Hand it to the sender and nowhere else: it is
// personal data.
type Destination struct {
	Channel string `json:"channel"` // sms, email, line, post
	// Address is the phone number, e-mail address or LINE user id; for
	// post, the postal address on one line.
	Address string `json:"address"`
	// Postal is the structured address, for post.
	Postal *Address `json:"postal,omitempty"`
	// Name is the addressee's name for post and e-mail when consent covers
	// identity; otherwise empty (an SMS or LINE message names nobody).
	Name string `json:"name,omitempty"`
}

// Delivery is a claimed notification: send it to To (unless Refused) and
// report the result with RecordDelivery.
type Delivery struct {
	Notification Notification
	To           Destination
	// SafeTimes are the person's words for when the contact is safe, to
	// check that now is inside them.
	SafeTimes string
	// Resumed is true when the notification was claimed before and its
	// lease ran out: it may already have been sent (ask the sender by
	// DeliveryKey, or send again with the same key).
	Resumed bool
	// Refused is set when the fresh decision refused the notification; it
	// was cancelled (or moved to its next channel) and must not be sent.
	Refused string
}

// ClaimNotifications claims up to limit of the desk's notifications that
// are due, for lease, and decides each again with fresh data — the case,
// its consents, every DV measure of the tenant, the contact's
// ok-to-contact — before reading where to send it. A notification that is
// no longer permitted is cancelled (audited as a refused notification); a
// channel that is no longer usable gives way to the next one the person
// allowed; every destination read is audited (purpose notification, the
// consents, the categories read). One transaction: two dispatchers never
// claim the same notification. It needs PermRead and PermWrite.
func (s *Service) ClaimNotifications(ctx context.Context, a Actor, limit int, lease time.Duration) ([]Delivery, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if lease <= 0 {
		return nil, fmt.Errorf("%w: a claim needs a lease", ErrInvalid)
	}
	if !s.can(a, PermRead|PermWrite) {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionNotify, Purpose: consent.PurposeNotification.String()},
			"通知の送信", "no_role", "通知を送信する権限がありません")
	}
	var out []Delivery
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		out = out[:0]
		ob, err := outboxOf(tx)
		if err != nil {
			return err
		}
		at := s.clock()
		due, err := ob.DueNotifications(ctx, a.Org, at, limit)
		if err != nil || len(due) == 0 {
			return err
		}
		ids := make([]string, len(due))
		for i, n := range due {
			ids[i] = n.CaseID
		}
		cases, err := s.decideCases(ctx, tx, a, at, sortedUnique(ids))
		if err != nil {
			return err
		}
		for _, n := range due {
			d := s.claim(a, at, lease, n, cases)
			if err := ob.UpdateNotification(ctx, d.Notification); err != nil {
				return err
			}
			if err := tx.Audit(claimRecord(at, a, &d, cases[n.CaseID].oc.Notify)); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// claim decides one due notification.
func (s *Service) claim(a Actor, at time.Time, lease time.Duration, n Notification, cases map[string]decided) Delivery {
	d := Delivery{Resumed: n.Status == NotifySending}
	c, ok := cases[n.CaseID]
	refuse := func(code string) Delivery {
		n.Status, n.Reason, n.Due = NotifyCancelled, code, at
		n.Version++
		n.UpdatedAt, n.UpdatedBy = at, a.User
		n.record(at, code)
		d.Notification, d.Refused = n, code
		return d
	}
	switch {
	case !ok:
		return refuse("not_owner")
	case c.oc.Refused != "":
		return refuse(c.oc.Refused)
	case !c.oc.Notify.Permitted:
		return refuse(c.oc.Notify.Reason)
	case c.oc.Subject != n.PersonID:
		return refuse("subject_changed")
	}
	// The current channel, or the next one still usable.
	var och OutreachChannel
	for ; n.Channel < len(n.Channels); n.Channel++ {
		want := n.Channels[n.Channel]
		i := slices.IndexFunc(c.oc.Channels, func(x OutreachChannel) bool { return x.Contact == want.Contact && x.Type == want.Type })
		if i >= 0 && c.oc.Channels[i].Usable() {
			och = c.oc.Channels[i]
			break
		}
		n.Attempts = 0
		n.record(at, "channel_blocked")
		d.Resumed = false
	}
	if n.Channel >= len(n.Channels) {
		return refuse("no_channel")
	}
	cur := &n.Channels[n.Channel]
	cur.Amount = cur.Amount && c.oc.Notify.Amounts && och.AmountsOK
	p := c.h.persons[n.PersonID]
	ct := p.Contacts[och.Contact]
	d.To = Destination{Channel: cur.Type, Address: strings.TrimSpace(ct.Value)}
	if cur.Type == ChannelPost {
		addr := p.Address
		d.To.Postal = &addr
		d.To.Address = postalLine(addr)
	}
	if c.oc.Notify.Name && (cur.Type == ChannelPost || cur.Type == ChannelEmail) {
		d.To.Name = p.Name.Full()
	}
	d.SafeTimes = och.SafeTimes
	if d.Resumed {
		n.record(at, "reclaimed")
	} else {
		n.record(at, "claimed")
	}
	n.Status, n.Due, n.Reason = NotifySending, at.Add(lease), ""
	n.Version++
	n.UpdatedAt, n.UpdatedBy = at, a.User
	d.Notification = n
	return d
}

// postalLine writes an address on one line: 〒1000001 東京都千代田区….
func postalLine(a Address) string {
	line := strings.TrimSpace(a.Prefecture + a.City + a.Town + a.Block + " " + a.Building)
	if a.PostalCode != "" {
		line = "〒" + a.PostalCode + " " + line
	}
	return line
}

// claimRecord audits a claim: the destination read for sending, or the
// refusal that cancelled it.
func claimRecord(at time.Time, a Actor, d *Delivery, nd NotifyDecision) audit.Record {
	n := &d.Notification
	r := audit.Record{At: at, Actor: a.audit(), Purpose: consent.PurposeNotification.String(), CaseID: n.CaseID,
		Subjects: []string{n.PersonID}, Entities: []audit.EntityRef{{Type: "notification", ID: n.Program}, {Type: "outbox", ID: n.ID, Version: n.Version}}}
	if d.Refused != "" {
		r.Action, r.Decision, r.Outcome, r.Reason = audit.ActionNotify, audit.Deny, "denied", d.Refused
		return r
	}
	r.Action, r.Decision, r.Outcome, r.Reason = audit.ActionRead, audit.Permit, "ok", d.To.Channel
	r.Basis = audit.Basis{Kind: "consent", ConsentIDs: nd.ConsentIDs}
	cs := consent.Categories(consent.CategoryContact)
	if d.To.Name != "" || d.To.Postal != nil {
		cs = cs.With(consent.CategoryIdentity)
	}
	if c, ok := n.Current(); ok && c.Amount {
		cs = cs.With(consent.CategoryIncomeTax)
	}
	for _, c := range cs.List() {
		r.Categories = append(r.Categories, c.String())
	}
	return r
}

// DeliveryResult is what a sender reported about one delivery.
type DeliveryResult string

// Delivery results.
const (
	// DeliveryAccepted: the sender took the message (sending → sent).
	DeliveryAccepted DeliveryResult = "accepted"
	// DeliveryDelivered: the sender confirmed delivery (→ delivered).
	DeliveryDelivered DeliveryResult = "delivered"
	// DeliveryRetry: a transient failure; try the same channel at RetryAt.
	DeliveryRetry DeliveryResult = "retry"
	// DeliveryFailed: the channel failed for good (an unknown number, a
	// bounce, blocked by the person); fall back to the next channel at
	// RetryAt, or undeliverable when none is left.
	DeliveryFailed DeliveryResult = "failed"
	// DeliveryDeferred: not sent, because now is outside the person's safe
	// times; try at RetryAt (the next window), until WindowEnd.
	DeliveryDeferred DeliveryResult = "deferred"
)

// DeliveryReport reports the result of a delivery.
type DeliveryReport struct {
	ID string
	// Version is the version the delivery was claimed at; 0 applies the
	// report to the current version (a sender's later callback).
	Version int64
	// Channel is the channel index the report is about; a report about a
	// channel that is no longer current is kept in the history only.
	Channel     int
	Result      DeliveryResult
	ProviderRef string
	// Code is the sender's error code (a code, never free text: it is
	// kept in the outbox).
	Code      string
	RetryAt   time.Time
	WindowEnd time.Time
}

// RecordDelivery applies a sender's report to a notification and returns
// it as stored. Reports are idempotent: a repeated or late report changes
// nothing but the history. A stale Version is a *ConflictError. It needs
// PermRead and PermWrite; only the desk's own notifications.
func (s *Service) RecordDelivery(ctx context.Context, a Actor, r DeliveryReport) (Notification, error) {
	if err := checkActor(a); err != nil {
		return Notification{}, err
	}
	if !s.can(a, PermRead|PermWrite) {
		return Notification{}, s.deny(ctx, a, audit.Record{Action: audit.ActionNotify, Purpose: consent.PurposeNotification.String()},
			"通知の配信結果の記録", "no_role", "通知を送信する権限がありません")
	}
	switch r.Result {
	case DeliveryAccepted, DeliveryDelivered, DeliveryRetry, DeliveryFailed, DeliveryDeferred:
	default:
		return Notification{}, fmt.Errorf("%w: unknown delivery result %q", ErrInvalid, r.Result)
	}
	if (r.Result == DeliveryRetry || r.Result == DeliveryDeferred) && r.RetryAt.IsZero() {
		return Notification{}, fmt.Errorf("%w: a %s report needs RetryAt", ErrInvalid, r.Result)
	}
	if len(r.Code) > 64 || len(r.ProviderRef) > 256 {
		return Notification{}, fmt.Errorf("%w: delivery code or provider reference too long", ErrInvalid)
	}
	var out Notification
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		ob, err := outboxOf(tx)
		if err != nil {
			return err
		}
		n, err := ob.GetNotification(ctx, r.ID)
		if err != nil {
			return err
		}
		if n.Org != a.Org {
			return &NotFoundError{Kind: KindNotification, ID: r.ID}
		}
		if r.Version != 0 && r.Version != n.Version {
			return &ConflictError{Kind: KindNotification, ID: n.ID, Expected: r.Version, Current: n.Version}
		}
		if !apply(&n, r, s.clock()) {
			out = n
			return nil
		}
		n.Version++
		n.UpdatedAt, n.UpdatedBy = s.clock(), a.User
		out = n
		return ob.UpdateNotification(ctx, n)
	})
	return out, err
}

// apply moves n by the report; false when nothing changes.
func apply(n *Notification, r DeliveryReport, at time.Time) bool {
	code := string(r.Result)
	if r.Code != "" {
		code += ":" + r.Code
	}
	if r.Channel != n.Channel || n.Status.Final() {
		if n.Status == NotifyDelivered && r.Result == DeliveryDelivered && r.Channel == n.Channel {
			return false // a repeated confirmation
		}
		n.record(at, "late:"+code)
		return true
	}
	switch r.Result {
	case DeliveryAccepted:
		if n.Status != NotifySending {
			return false
		}
		n.Status, n.ProviderRef, n.Due = NotifySent, r.ProviderRef, at
	case DeliveryDelivered:
		if n.Status != NotifySending && n.Status != NotifySent {
			return false
		}
		n.Status, n.Due = NotifyDelivered, at
		if r.ProviderRef != "" {
			n.ProviderRef = r.ProviderRef
		}
	case DeliveryRetry:
		if n.Status != NotifySending {
			return false
		}
		n.Status, n.Due, n.Reason = NotifyPlanned, r.RetryAt.UTC().Truncate(time.Microsecond), r.Code
		n.Attempts++
	case DeliveryDeferred:
		if n.Status != NotifySending {
			return false
		}
		n.Status, n.Due = NotifyPlanned, r.RetryAt.UTC().Truncate(time.Microsecond)
		if !r.WindowEnd.IsZero() {
			n.WindowEnd = r.WindowEnd.UTC().Truncate(time.Microsecond)
		}
	case DeliveryFailed:
		if n.Status != NotifySending && n.Status != NotifySent {
			return false
		}
		n.record(at, code)
		n.Reason = r.Code
		n.Channel++
		n.Attempts = 0
		n.ProviderRef = ""
		if n.Channel >= len(n.Channels) {
			n.Status, n.Due = NotifyUndeliverable, at
			n.record(at, "undeliverable")
			return true
		}
		n.Status, n.Due = NotifyPlanned, at
		if !r.RetryAt.IsZero() {
			n.Due = r.RetryAt.UTC().Truncate(time.Microsecond)
		}
		n.record(at, "fallback")
		return true
	}
	n.record(at, code)
	return true
}

// Notifications lists the desk's outbox entries matching q (q.Org is the
// desk's). The list names persons, so it is audited as a search (its
// size, not the persons). It needs PermRead.
func (s *Service) Notifications(ctx context.Context, a Actor, q NotificationQuery) ([]Notification, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	rec := audit.Record{Action: audit.ActionSearch, Purpose: consent.PurposeNotification.String(), Reason: "outbox"}
	if !s.can(a, PermRead) {
		return nil, s.deny(ctx, a, rec, "通知の一覧", "no_role", "閲覧の権限がありません")
	}
	q.Org = a.Org
	var out []Notification
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		ob, err := outboxOf(tx)
		if err != nil {
			return err
		}
		if out, err = ob.ListNotifications(ctx, q); err != nil {
			return err
		}
		rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
		rec.Entities = []audit.EntityRef{{Type: "outbox_list", ID: a.Org, Version: int64(len(out))}}
		return tx.Audit(rec)
	})
	return out, err
}
