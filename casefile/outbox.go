package casefile

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The notification outbox (プッシュ型支援): one Notification per person,
// programme and period, written in the same transaction as the audit entry
// of the decision that produced it, so a run that crashes and runs again
// neither repeats nor skips anyone. The outbox holds ids and codes — which
// contact to use is a contact index, never the phone number or address —
// and a dispatcher reads the destination through a fresh, audited decision
// just before sending (Service.ClaimNotifications).

// NotificationStatus is where a notification stands.
type NotificationStatus string

// Notification statuses. Delivered, undeliverable and cancelled are final.
const (
	// NotifyPlanned: waiting for Due (the start of the person's safe time
	// window, or a retry time).
	NotifyPlanned NotificationStatus = "planned"
	// NotifySending: claimed by a dispatcher until Due (the lease). A
	// dispatcher that dies after sending and before recording leaves it
	// here; once the lease ends it is claimed again and sent with the same
	// DeliveryKey, which the sender must treat as an idempotency key.
	NotifySending NotificationStatus = "sending"
	// NotifySent: the sender accepted it; delivery not yet confirmed.
	NotifySent NotificationStatus = "sent"
	// NotifyDelivered: the sender reported delivery.
	NotifyDelivered NotificationStatus = "delivered"
	// NotifyUndeliverable: every channel the person allowed failed.
	NotifyUndeliverable NotificationStatus = "undeliverable"
	// NotifyCancelled: the decision made again before sending refused it
	// (consent withdrawn, a DV等支援措置 recorded, the contact no longer
	// allowed …). Reason says why.
	NotifyCancelled NotificationStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s NotificationStatus) Valid() bool {
	switch s {
	case NotifyPlanned, NotifySending, NotifySent, NotifyDelivered, NotifyUndeliverable, NotifyCancelled:
		return true
	}
	return false
}

// Final reports whether nothing more will happen to a notification in s.
func (s NotificationStatus) Final() bool {
	return s == NotifyDelivered || s == NotifyUndeliverable || s == NotifyCancelled
}

// Label returns the status in Japanese.
func (s NotificationStatus) Label() string {
	switch s {
	case NotifyPlanned:
		return "送信予定"
	case NotifySending:
		return "送信中"
	case NotifySent:
		return "送信済み"
	case NotifyDelivered:
		return "配信確認済み"
	case NotifyUndeliverable:
		return "配信不能"
	case NotifyCancelled:
		return "取消"
	}
	return string(s)
}

// Notification channels (Contact types map onto them: mobile → sms, email,
// line, post; a landline is not a push channel).
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
	ChannelLINE  = "line"
	ChannelPost  = "post"
)

var notifyChannelTable = []Label{{ChannelSMS, "SMS"}, {ChannelEmail, "メール"}, {ChannelLINE, "LINE"}, {ChannelPost, "郵送"}}

// ValidChannel reports whether c is a notification channel.
func ValidChannel(c string) bool { return inTable(notifyChannelTable, c) }

// NotifyChannels returns the notification channel codes and labels.
func NotifyChannels() []Label { return codesOf(notifyChannelTable) }

// NotifyChannelLabel returns a notification channel's Japanese name.
func NotifyChannelLabel(c string) string { return labelIn(notifyChannelTable, c) }

// NotificationChannel is one way to send a notification: a channel and
// the index of the person's contact it uses.
type NotificationChannel struct {
	Type    string `json:"type"`
	Contact int    `json:"contact"`
	// Amount: the message may state the amount on this channel — the
	// person chose to receive amounts through this contact
	// (Contact.AmountsOK) and their consent to notifications covers
	// income_tax.
	Amount bool `json:"amount,omitempty"`
}

// NotificationEvent is one step of a notification's history (codes only).
type NotificationEvent struct {
	At      time.Time          `json:"at"`
	Status  NotificationStatus `json:"status"`
	Channel int                `json:"channel"`
	Code    string             `json:"code,omitempty"` // accepted, retry, fallback, rescheduled, or an error / refusal code
}

// maxNotificationHistory bounds the history kept on a notification.
const maxNotificationHistory = 32

// Notification is one entry of the outbox: a notice about one programme,
// for one period, to one person.
type Notification struct {
	ID     string `json:"id"`     // UUIDv7
	Tenant string `json:"tenant"` // municipality code
	// Key is person|program|period: unique per tenant, so the same
	// programme and period never reaches a person twice.
	Key      string `json:"key"`
	Org      string `json:"org"` // the desk that planned it and sends it
	PersonID string `json:"person_id"`
	CaseID   string `json:"case_id"`
	Program  string `json:"program"`
	Period   string `json:"period"`
	RunID    string `json:"run_id,omitempty"`
	// Outcome is the screening status the notice is about: eligible
	// ("you may qualify") or undetermined ("please ask us").
	Outcome string `json:"outcome"`
	// Variant is the message variant: "standard" or "easy" (やさしい日本語).
	Variant string `json:"variant"`
	// AmountYen and AmountPer hold the programme's amount when some
	// channel may state it (NotificationChannel.Amount); zero otherwise.
	AmountYen int64  `json:"amount_yen,omitempty"`
	AmountPer string `json:"amount_per,omitempty"`

	Status   NotificationStatus    `json:"status"`
	Channels []NotificationChannel `json:"channels"` // in the order to try
	Channel  int                   `json:"channel"`  // index into Channels being tried
	Attempts int                   `json:"attempts"` // attempts on the current channel
	// Due is when a dispatcher acts next: the window start or retry time
	// of a planned notification, the end of the lease of one being sent.
	Due time.Time `json:"due"`
	// WindowEnd is the end of the planned send window (zero: none, as for
	// post, which cannot be timed).
	WindowEnd   time.Time           `json:"window_end"`
	ProviderRef string              `json:"provider_ref,omitempty"` // the sender's message id
	Reason      string              `json:"reason,omitempty"`       // why it was cancelled or failed (a code)
	History     []NotificationEvent `json:"history,omitempty"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// NotificationKey is the outbox key of a person, programme and period.
func NotificationKey(person, program, period string) string {
	return person + "|" + program + "|" + period
}

// DeliveryKey identifies one channel's delivery of the notification: the
// idempotency key a sender must honour, so that a notification sent again
// after a crash is not delivered twice. A fallback channel has its own.
func (n *Notification) DeliveryKey() string {
	return n.ID + "/" + strconv.Itoa(n.Channel)
}

// Current returns the channel being tried, or false when none is left.
func (n *Notification) Current() (NotificationChannel, bool) {
	if n.Channel < 0 || n.Channel >= len(n.Channels) {
		return NotificationChannel{}, false
	}
	return n.Channels[n.Channel], true
}

func (n *Notification) record(at time.Time, code string) {
	n.History = append(n.History, NotificationEvent{At: at, Status: n.Status, Channel: n.Channel, Code: code})
	if len(n.History) > maxNotificationHistory {
		n.History = append(n.History[:1], n.History[len(n.History)-maxNotificationHistory+1:]...)
	}
}

// CheckFor reports why n cannot be stored for tenant. Stores call it
// before every write; the error wraps ErrInvalid.
func (n *Notification) CheckFor(tenant string) error {
	var ps []string
	switch {
	case n.Tenant != tenant:
		ps = append(ps, fmt.Sprintf("belongs to tenant %q, not %q", n.Tenant, tenant))
	case !ValidID(n.ID):
		ps = append(ps, "id is not a UUID")
	}
	if n.PersonID == "" || n.Program == "" || n.Period == "" || n.Org == "" {
		ps = append(ps, "person, program, period and org are required")
	}
	if strings.Contains(n.Program, "|") || strings.Contains(n.Period, "|") {
		ps = append(ps, "program and period may not contain |")
	}
	if n.Key != NotificationKey(n.PersonID, n.Program, n.Period) {
		ps = append(ps, "key is not person|program|period")
	}
	if !n.Status.Valid() {
		ps = append(ps, fmt.Sprintf("unknown status %q", n.Status))
	}
	if len(n.Channels) == 0 {
		ps = append(ps, "no channel")
	}
	for _, c := range n.Channels {
		if !ValidChannel(c.Type) || c.Contact < 0 {
			ps = append(ps, fmt.Sprintf("bad channel %q/%d", c.Type, c.Contact))
		}
	}
	if n.Channel < 0 || n.Channel > len(n.Channels) {
		ps = append(ps, "channel index out of range")
	}
	if n.Version < 1 {
		ps = append(ps, "version must be 1 or more")
	}
	if len(ps) == 0 {
		return nil
	}
	return fmt.Errorf("notification %s: %s: %w", n.ID, strings.Join(ps, "; "), ErrInvalid)
}

// NotificationQuery selects outbox entries of one tenant; empty fields do
// not filter. Results are ordered by ID and paged with AfterID and Limit.
type NotificationQuery struct {
	Org      string
	PersonID string
	RunID    string
	Status   NotificationStatus
	Keys     []string // any of these keys (a non-nil empty list selects nothing)
	AfterID  string
	Limit    int
}

// OutboxTx is implemented by the transactions of stores that keep the
// notification outbox: a table in the same database as the records, so an
// entry and its audit entry commit together. Every store of this module
// implements it; a Service on a store without it refuses notification work
// with ErrNoOutbox.
type OutboxTx interface {
	// InsertNotification stores a new entry (Version 1). An entry with the
	// same Key returns ErrExists and writes nothing (and, on PostgreSQL,
	// leaves the transaction usable).
	InsertNotification(ctx context.Context, n Notification) error
	// UpdateNotification replaces the entry if its stored version is
	// n.Version-1, else a *ConflictError (Kind "notification").
	UpdateNotification(ctx context.Context, n Notification) error
	// GetNotification returns an entry or a *NotFoundError.
	GetNotification(ctx context.Context, id string) (Notification, error)
	// ListNotifications returns the entries matching q.
	ListNotifications(ctx context.Context, q NotificationQuery) ([]Notification, error)
	// DueNotifications returns up to limit entries of org whose status is
	// planned or sending and whose Due is not after t, earliest first.
	DueNotifications(ctx context.Context, org string, t time.Time, limit int) ([]Notification, error)
}

// KindNotification names outbox entries in errors and audit references.
const KindNotification Kind = "notification"

// ErrNoOutbox is returned for notification work on a store whose
// transactions do not implement OutboxTx.
var ErrNoOutbox = fmt.Errorf("casefile: the store keeps no notification outbox")

func outboxOf(tx Tx) (OutboxTx, error) {
	o, ok := tx.(OutboxTx)
	if !ok {
		return nil, ErrNoOutbox
	}
	return o, nil
}
