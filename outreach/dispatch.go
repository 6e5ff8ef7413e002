package outreach

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/eligibility"
)

// Notifier sends messages: the vendor implements it on its SMS gateway,
// mail server, LINE official account or print-and-post service (onestop
// sends nothing itself).
//
// Key is an idempotency key: a notice is sent again with the same Key
// after a crash between sending and recording, and a second Send with a
// Key already accepted must not deliver twice — return the first
// Receipt. A Notifier that cannot promise that should implement
// StatusChecker, so that an unfinished send is looked up before it is
// repeated.
//
// Return a *SendError to say whether a failure is permanent (an unknown
// number, an address that bounces, a blocked account: the next channel
// the person allowed is tried) or transient (retried with backoff); any
// other error is transient.
type Notifier interface {
	Send(ctx context.Context, m Message) (Receipt, error)
}

// StatusChecker is implemented by Notifiers that can say whether a message
// with a Key was already accepted.
type StatusChecker interface {
	Lookup(ctx context.Context, key string) (r Receipt, found bool, err error)
}

// Message is one notice, laid out for its channel.
type Message struct {
	Key     string               // idempotency key
	Channel string               // sms, email, line, post
	To      casefile.Destination // personal data: use it to send, keep it nowhere else
	Sender  string               // the municipality (Desk.Sender): SMS sender name, e-mail From name, envelope
	Subject string               // e-mail subject, letter heading
	Body    string
	Program string
	Variant string
}

// Receipt is the sender's answer.
type Receipt struct {
	ProviderRef string // the sender's message id
	Delivered   bool   // delivery is already confirmed
}

// SendError is a failure a Notifier classifies.
type SendError struct {
	Code      string // the sender's code (no free text: it is stored)
	Permanent bool
}

func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("outreach: send failed (%s): %s", kind, e.Code)
}

// Dispatcher sends the notices that are due, through a Notifier, and
// records each result in the outbox.
type Dispatcher struct {
	svc       *casefile.Service
	msgs      *Messages
	n         Notifier
	cfg       dispatchConfig
	afterSend func() error // test hook: a crash between send and record
}

type dispatchConfig struct {
	batch       int
	lease       time.Duration
	maxAttempts int
	backoff     time.Duration
	maxBackoff  time.Duration
	hours       SendingHours
	horizon     int
}

// DispatchOption configures a Dispatcher.
type DispatchOption func(*dispatchConfig)

// WithBatch sets how many notices are claimed at once (default 100).
func WithBatch(n int) DispatchOption { return func(c *dispatchConfig) { c.batch = n } }

// WithLease sets how long a claimed notice is reserved for this dispatcher
// (default 5 minutes); a dispatcher that dies leaves it to the next after
// that.
func WithLease(d time.Duration) DispatchOption { return func(c *dispatchConfig) { c.lease = d } }

// WithRetries sets the attempts per channel before the next channel is
// tried (default 5) and the backoff: base, doubled after each failure, at
// most max (default 1 minute to 6 hours).
func WithRetries(attempts int, base, max time.Duration) DispatchOption {
	return func(c *dispatchConfig) { c.maxAttempts, c.backoff, c.maxBackoff = attempts, base, max }
}

// WithDispatchHours sets the sending hours (default 9:00–20:00) and the
// days ahead a window is looked for (default 14).
func WithDispatchHours(h SendingHours, horizon int) DispatchOption {
	return func(c *dispatchConfig) { c.hours, c.horizon = h, horizon }
}

// NewDispatcher returns a dispatcher sending msgs through n.
func NewDispatcher(svc *casefile.Service, msgs *Messages, n Notifier, opts ...DispatchOption) (*Dispatcher, error) {
	if svc == nil || msgs == nil || n == nil {
		return nil, errors.New("outreach: a service, messages and a notifier are required")
	}
	cfg := dispatchConfig{batch: 100, lease: 5 * time.Minute, maxAttempts: 5, backoff: time.Minute, maxBackoff: 6 * time.Hour,
		hours: DefaultSendingHours, horizon: 14}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.batch < 1 || cfg.lease <= 0 || cfg.maxAttempts < 1 || cfg.backoff <= 0 || cfg.maxBackoff < cfg.backoff {
		return nil, errors.New("outreach: batch, lease, attempts and backoff must be positive")
	}
	return &Dispatcher{svc: svc, msgs: msgs, n: n, cfg: cfg}, nil
}

// DispatchReport counts what one Dispatch did (no personal data).
type DispatchReport struct {
	Sent, Delivered, Retried, FellBack, Undeliverable, Deferred, Cancelled, Resumed int
	// Cancelled by reason (consent withdrawn, a DV measure …).
	CancelledBy map[string]int
}

// Dispatch sends every notice that is due now, batch by batch, and returns
// what it did. It stops at the first error of the store (the notices not
// yet recorded are claimed again after their lease).
func (d *Dispatcher) Dispatch(ctx context.Context, a casefile.Actor) (DispatchReport, error) {
	rep := DispatchReport{CancelledBy: map[string]int{}}
	for {
		ds, err := d.svc.ClaimNotifications(ctx, a, d.cfg.batch, d.cfg.lease)
		if err != nil {
			return rep, err
		}
		for i := range ds {
			if err := d.deliver(ctx, a, &ds[i], &rep); err != nil {
				return rep, err
			}
		}
		if len(ds) < d.cfg.batch {
			return rep, nil
		}
	}
}

// deliver handles one claimed notice.
func (d *Dispatcher) deliver(ctx context.Context, a casefile.Actor, dv *casefile.Delivery, rep *DispatchReport) error {
	n := &dv.Notification
	if dv.Refused != "" {
		rep.Cancelled++
		rep.CancelledBy[dv.Refused]++
		return nil
	}
	now := d.svc.Now()
	report := casefile.DeliveryReport{ID: n.ID, Version: n.Version, Channel: n.Channel}
	record := func() error {
		got, err := d.svc.RecordDelivery(ctx, a, report)
		if err != nil {
			return err
		}
		switch {
		case report.Result == casefile.DeliveryFailed && got.Status == casefile.NotifyUndeliverable:
			rep.Undeliverable++
		case report.Result == casefile.DeliveryFailed:
			rep.FellBack++
		}
		return nil
	}
	// Inside the person's safe times, or wait for the next window.
	if dv.To.Channel != casefile.ChannelPost {
		st, err := ParseSafeTimes(dv.SafeTimes)
		if err != nil {
			report.Result, report.Code = casefile.DeliveryFailed, SkipSafeTimes
			return record()
		}
		if !st.Allows(now, d.cfg.hours) {
			start, end, ok := st.Next(now, d.cfg.hours, d.cfg.horizon)
			if !ok {
				report.Result, report.Code = casefile.DeliveryFailed, SkipNoWindow
				return record()
			}
			rep.Deferred++
			report.Result, report.RetryAt, report.WindowEnd = casefile.DeliveryDeferred, start, end
			return record()
		}
	}
	key := n.DeliveryKey()
	if dv.Resumed {
		rep.Resumed++
		if sc, ok := d.n.(StatusChecker); ok {
			r, found, err := sc.Lookup(ctx, key)
			if err == nil && found {
				report.Result, report.ProviderRef = casefile.DeliveryAccepted, r.ProviderRef
				if r.Delivered {
					report.Result = casefile.DeliveryDelivered
				}
				return record()
			}
		}
	}
	ch, _ := n.Current()
	amount := ""
	if ch.Amount && n.AmountYen > 0 {
		amount = formatAmount(n.AmountYen, n.AmountPer)
	}
	r, err := d.msgs.Render(n.Program, dv.To.Channel, n.Variant, n.Outcome == "eligible", dv.To.Name, amount)
	if err != nil {
		// The texts changed since planning: not the person's failure;
		// retry after the backoff (and fix the texts).
		report.Result, report.Code, report.RetryAt = casefile.DeliveryRetry, "render_error", now.Add(d.backoff(n.Attempts))
		rep.Retried++
		return record()
	}
	msg := Message{Key: key, Channel: dv.To.Channel, To: dv.To, Sender: d.msgs.Desk.Sender, Subject: r.Subject, Body: r.Body,
		Program: n.Program, Variant: n.Variant}
	rc, err := d.n.Send(ctx, msg)
	if d.afterSend != nil {
		if herr := d.afterSend(); herr != nil {
			return herr
		}
	}
	if err != nil {
		var se *SendError
		code := "error"
		if errors.As(err, &se) {
			code = se.Code
		}
		if ctx.Err() != nil {
			return ctx.Err() // not a failure of the channel: the lease brings it back
		}
		switch {
		case se != nil && se.Permanent, n.Attempts+1 >= d.cfg.maxAttempts:
			if !(se != nil && se.Permanent) {
				code = "retries_exhausted:" + code
			}
			report.Result, report.Code = casefile.DeliveryFailed, truncate(code, 64)
		default:
			report.Result, report.Code = casefile.DeliveryRetry, truncate(code, 64)
			report.RetryAt = d.retryAt(now, n.Attempts, dv.SafeTimes, dv.To.Channel)
			rep.Retried++
		}
		return record()
	}
	report.Result, report.ProviderRef = casefile.DeliveryAccepted, truncate(rc.ProviderRef, 256)
	rep.Sent++
	if rc.Delivered {
		report.Result = casefile.DeliveryDelivered
		rep.Delivered++
	}
	return record()
}

// backoff is base × 2^attempts, at most the maximum.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	b := d.cfg.backoff
	for i := 0; i < attempts && b < d.cfg.maxBackoff; i++ {
		b *= 2
	}
	return min(b, d.cfg.maxBackoff)
}

// retryAt is the backoff from now, moved into the next safe window.
func (d *Dispatcher) retryAt(now time.Time, attempts int, safe, channel string) time.Time {
	at := now.Add(d.backoff(attempts))
	if channel == casefile.ChannelPost {
		return at
	}
	if st, err := ParseSafeTimes(safe); err == nil {
		if start, _, ok := st.Next(at, d.cfg.hours, d.cfg.horizon); ok {
			return start
		}
	}
	return at
}

// Status records a sender's later report on a message (a delivery
// receipt, a bounce), by the message's Key. A bounce (delivered false)
// moves the notice to the next channel the person allowed.
func (d *Dispatcher) Status(ctx context.Context, a casefile.Actor, key string, delivered bool, code string) error {
	id, ch, err := parseDeliveryKey(key)
	if err != nil {
		return err
	}
	r := casefile.DeliveryReport{ID: id, Channel: ch, Result: casefile.DeliveryDelivered, Code: truncate(code, 64)}
	if !delivered {
		r.Result = casefile.DeliveryFailed
	}
	_, err = d.svc.RecordDelivery(ctx, a, r)
	return err
}

// ErrDeliveryKey is wrapped by the error of a key that is no delivery key.
var ErrDeliveryKey = errors.New("outreach: not a delivery key")

// parseDeliveryKey reads a key made by casefile.Notification.DeliveryKey
// ("<uuid>/<channel>"), as a sender hands it back. The error does not
// repeat the key.
func parseDeliveryKey(key string) (id string, channel int, err error) {
	id, chs, ok := strings.Cut(key, "/")
	if !ok || len(chs) == 0 || len(chs) > 2 || !casefile.ValidID(id) {
		return "", 0, ErrDeliveryKey
	}
	channel, err = strconv.Atoi(chs)
	if err != nil || channel < 0 || strconv.Itoa(channel) != chs {
		return "", 0, ErrDeliveryKey
	}
	return id, channel, nil
}

// formatAmount writes an amount the way the texts show it: 月額 46,690円.
func formatAmount(yen int64, per string) string {
	s := eligibility.FormatYen(yen)
	switch eligibility.AmountPer(per) {
	case eligibility.PerMonth:
		return "月額 " + s
	case eligibility.PerYear:
		return "年額 " + s
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
