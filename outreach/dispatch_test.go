package outreach

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/storetest"
	"github.com/onestop-jp/onestop/consent"
)

// fakeSender is a vendor's sender: it honours idempotency keys (a key
// already accepted is not delivered again) and can fail on purpose.
type fakeSender struct {
	mu        sync.Mutex
	calls     int
	delivered map[string]Message // by key
	order     []string
	fail      func(m Message) error
}

func newSender() *fakeSender { return &fakeSender{delivered: map[string]Message{}} }

func (s *fakeSender) Send(_ context.Context, m Message) (Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if _, ok := s.delivered[m.Key]; ok {
		return Receipt{ProviderRef: "ref-" + m.Key}, nil
	}
	if s.fail != nil {
		if err := s.fail(m); err != nil {
			return Receipt{}, err
		}
	}
	s.delivered[m.Key] = m
	s.order = append(s.order, m.Key)
	return Receipt{ProviderRef: "ref-" + m.Key}, nil
}

func (s *fakeSender) count() (calls, delivered int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, len(s.delivered)
}

// lookupSender also answers lookups, and does not deduplicate by itself.
type lookupSender struct{ fakeSender }

func (s *lookupSender) Lookup(_ context.Context, key string) (Receipt, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.delivered[key]
	return Receipt{ProviderRef: "ref-" + key}, ok, nil
}

func (w *world) dispatcher(n Notifier, opts ...DispatchOption) *Dispatcher {
	w.t.Helper()
	d, err := NewDispatcher(w.svc, w.msgs, n, opts...)
	require.NoError(w.t, err)
	return d
}

func (w *world) dispatch(d *Dispatcher) DispatchReport {
	w.t.Helper()
	rep, err := d.Dispatch(w.ctx, system)
	require.NoError(w.t, err)
	return rep
}

func TestDispatch(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			f := w.family(fam{amountsOK: true})
			weekend := w.family(fam{safeTimes: "土日祝日"})
			w.runOnce(false)
			sender := newSender()
			d := w.dispatcher(sender)

			rep := w.dispatch(d)
			mine := w.outboxOf(f.mother.ID)
			assert.Equal(t, len(mine), rep.Sent, "everything due now is sent")
			for _, n := range mine {
				assert.Equal(t, casefile.NotifySent, n.Status)
				m := sender.delivered[n.DeliveryKey()]
				assert.Equal(t, f.mother.Contacts[0].Value, m.To.Address)
				assert.Equal(t, "千代田区", m.Sender)
				assert.NotContains(t, m.Body, f.mother.Name.Family, "an SMS names nobody")
				assert.Contains(t, m.Body, "03-3264-0151")
			}
			assert.Empty(t, sendersTo(sender, weekend.mother.Contacts[0].Value), "outside the safe times: not yet")

			// Saturday 8:00 is before the sending hours; 9:30 is inside.
			w.clk.set(time.Date(2026, 12, 5, 8, 0, 0, 0, jst))
			w.dispatch(d)
			assert.Empty(t, sendersTo(sender, weekend.mother.Contacts[0].Value))
			w.clk.set(time.Date(2026, 12, 5, 9, 30, 0, 0, jst))
			w.dispatch(d)
			assert.NotEmpty(t, sendersTo(sender, weekend.mother.Contacts[0].Value))

			// A delivery receipt from the sender, then a repeated one.
			n := mine[0]
			require.NoError(t, d.Status(w.ctx, system, n.DeliveryKey(), true, ""))
			require.NoError(t, d.Status(w.ctx, system, n.DeliveryKey(), true, ""))
			got := w.outboxOf(f.mother.ID)
			assert.Equal(t, casefile.NotifyDelivered, got[0].Status)
			assert.Error(t, d.Status(w.ctx, system, "not-a-key", true, ""))

			// No amount in the message even though the person chose
			// amounts: the outcome is undetermined (please ask) here.
			for _, m := range sender.delivered {
				assert.NotContains(t, m.Body, "見込み")
			}
		})
	}
}

func sendersTo(s *fakeSender, addr string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.delivered {
		if m.To.Address == addr {
			out = append(out, m)
		}
	}
	return out
}

// A dispatcher that dies between sending and recording: the notices come
// back after their lease, sent again with the same key; the sender
// delivers each once, and none is missing.
func TestCrashBetweenSendAndRecord(t *testing.T) {
	for _, s := range storetest.Stores() {
		for _, lookup := range []bool{false, true} {
			name := s.Name + "/idempotent-sender"
			if lookup {
				name = s.Name + "/lookup"
			}
			t.Run(name, func(t *testing.T) {
				w := newWorld(t, s.New(t))
				for i := 0; i < 3; i++ {
					w.family(fam{})
				}
				w.runOnce(false)
				planned := w.outbox()
				require.NotEmpty(t, planned)

				var sender Notifier
				var fs *fakeSender
				if lookup {
					ls := &lookupSender{fakeSender: *newSender()}
					sender, fs = ls, &ls.fakeSender
				} else {
					fs = newSender()
					sender = fs
				}
				d := w.dispatcher(sender, WithLease(5*time.Minute), WithBatch(1)) // one at a time: a crash strands only the one it hit
				crashes := 0
				d.afterSend = func() error {
					if crashes < 2 {
						crashes++
						return errors.New("power cut")
					}
					return nil
				}
				_, err := d.Dispatch(w.ctx, system)
				require.Error(t, err, "the first crash")
				_, err = d.Dispatch(w.ctx, system)
				require.Error(t, err, "the second crash")
				w.dispatch(d) // the others
				_, delivered := fs.count()
				assert.Equal(t, len(planned), delivered, "the two crashed sends went out before the crash")
				left := 0
				for _, n := range w.outbox() {
					if n.Status == casefile.NotifySending {
						left++
					}
				}
				assert.Equal(t, 2, left, "leased until the lease ends")

				w.clk.set(w.clk.now().Add(6 * time.Minute))
				rep := w.dispatch(d)
				assert.Equal(t, 2, rep.Resumed)
				calls, delivered := fs.count()
				assert.Equal(t, len(planned), delivered, "no duplicates, no gaps")
				if lookup {
					assert.Equal(t, len(planned), calls, "looked up, not sent again")
				} else {
					assert.Equal(t, len(planned)+2, calls, "sent again with the same key")
				}
				for _, n := range w.outbox() {
					assert.Equal(t, casefile.NotifySent, n.Status, n.Program)
				}
			})
		}
	}
}

// Transient failures are retried with backoff inside the safe times;
// when a channel keeps failing the next one the person allowed is used;
// when none is left the notice is undeliverable.
func TestRetriesAndFallback(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			f := w.family(fam{contacts: []casefile.Contact{
				{Type: "mobile", Value: "090-0000-1111", OKToContact: true, SafeTimes: "平日9時〜17時", Preferred: true},
				{Type: "email", Value: "x@example.jp", OKToContact: true, SafeTimes: "平日9時〜17時"},
			}})
			w.runOnce(false)
			sender := newSender()
			sender.fail = func(m Message) error {
				switch m.Channel {
				case casefile.ChannelSMS:
					return &SendError{Code: "gateway_timeout"}
				case casefile.ChannelEmail:
					return &SendError{Code: "mailbox_unknown", Permanent: true}
				}
				return nil
			}
			d := w.dispatcher(sender, WithRetries(3, time.Minute, 10*time.Minute))
			rep := w.dispatch(d)
			n := onlyProgram(t, w.outboxOf(f.mother.ID), "child-rearing-allowance")
			assert.Positive(t, rep.Retried)
			assert.Equal(t, casefile.NotifyPlanned, n.Status)
			assert.Equal(t, 1, n.Attempts)
			assert.Equal(t, time.Date(2026, 12, 4, 10, 1, 0, 0, jst), n.Due.In(jst), "1 minute later")

			w.clk.set(time.Date(2026, 12, 4, 10, 1, 0, 0, jst))
			w.dispatch(d)
			n = onlyProgram(t, w.outboxOf(f.mother.ID), "child-rearing-allowance")
			assert.Equal(t, time.Date(2026, 12, 4, 10, 3, 0, 0, jst), n.Due.In(jst), "2 minutes later")

			w.clk.set(time.Date(2026, 12, 4, 10, 3, 0, 0, jst))
			rep = w.dispatch(d)
			n = onlyProgram(t, w.outboxOf(f.mother.ID), "child-rearing-allowance")
			assert.Equal(t, 1, n.Channel, "three attempts: on to the e-mail address")
			assert.Equal(t, casefile.NotifyPlanned, n.Status)
			assert.Positive(t, rep.FellBack)

			rep = w.dispatch(d)
			n = onlyProgram(t, w.outboxOf(f.mother.ID), "child-rearing-allowance")
			assert.Equal(t, casefile.NotifyUndeliverable, n.Status, "the address is unknown: nothing left")
			assert.Equal(t, "mailbox_unknown", n.Reason)
			assert.Positive(t, rep.Undeliverable)
			_, delivered := sender.count()
			assert.Zero(t, delivered)

			// A retry late in the afternoon waits for the next window.
			g := w.family(fam{})
			w.clk.set(time.Date(2026, 12, 4, 16, 50, 0, 0, jst))
			w.runOnce(false)
			sender.fail = func(Message) error { return errors.New("connection reset") }
			w.dispatch(d)
			n = onlyProgram(t, w.outboxOf(g.mother.ID), "child-rearing-allowance")
			assert.Equal(t, time.Date(2026, 12, 7, 9, 0, 0, 0, jst), n.Due.In(jst), "Monday morning: not at 16:51 on a Friday's edge, not at the weekend")
		})
	}
}

func onlyProgram(t *testing.T, ns []casefile.Notification, program string) casefile.Notification {
	t.Helper()
	for _, n := range ns {
		if n.Program == program {
			return n
		}
	}
	t.Fatalf("no notification for %s", program)
	return casefile.Notification{}
}

// Between planning and sending the world changes: a withdrawal cancels,
// a DV measure on the phone moves to the next channel, new safe times
// defer the notice.
func TestDispatchDecidesAgain(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			w := newWorld(t, s.New(t))
			withdrawn := w.family(fam{})
			moved := w.family(fam{contacts: []casefile.Contact{
				{Type: "mobile", Value: "090-0000-2222", OKToContact: true, SafeTimes: "平日9時〜17時", Preferred: true},
				{Type: "line", Value: "Uline2222", OKToContact: true},
			}})
			later := w.family(fam{})
			w.runOnce(false)

			at := w.clk.now().Add(-time.Minute)
			_, err := w.svc.RecordConsent(w.ctx, worker, withdrawn.mother.ID, consent.Event{ConsentID: "c-1-0", Type: consent.EventWithdrawn,
				At: at, EffectiveAt: at, By: "staff-a", Evidence: &consent.Evidence{Channel: consent.ChannelPaper, Ref: "W", RecordedBy: "staff-a"}})
			require.NoError(t, err)
			require.NoError(t, w.svc.Change(w.ctx, worker, consent.PurposeConsultation, func(c *casefile.Changes) error {
				r := casefile.AddressRestriction{Restriction: consent.Restriction{Kind: consent.RestrictionDV, Subjects: []string{moved.mother.ID},
					Counterparties: []string{moved.father.ID}, ProtectedFields: []string{"contacts.0"}, ResponsibleOrgs: []string{desk},
					Period: consent.Period{Start: w.clk.now().Add(-time.Hour), End: w.clk.now().AddDate(1, 0, 0)}, Source: "警察署", VerifiedBy: "staff-a"}}
				if err := c.Create(&r); err != nil {
					return err
				}
				var p casefile.Person
				if err := c.Get(later.mother.ID, &p); err != nil {
					return err
				}
				p.Contacts[0].SafeTimes = "平日17時以降"
				return c.Update(&p)
			}))

			sender := newSender()
			rep := w.dispatch(w.dispatcher(sender))
			assert.Positive(t, rep.CancelledBy["withdrawn"])
			for _, n := range w.outboxOf(withdrawn.mother.ID) {
				assert.Equal(t, casefile.NotifyCancelled, n.Status)
			}
			for _, n := range w.outboxOf(moved.mother.ID) {
				assert.Equal(t, 1, n.Channel)
				assert.Equal(t, casefile.NotifySent, n.Status)
			}
			assert.Empty(t, sendersTo(sender, "090-0000-2222"), "never to the protected phone")
			assert.NotEmpty(t, sendersTo(sender, "Uline2222"))
			assert.Positive(t, rep.Deferred)
			for _, n := range w.outboxOf(later.mother.ID) {
				assert.Equal(t, casefile.NotifyPlanned, n.Status)
				assert.Equal(t, time.Date(2026, 12, 4, 17, 0, 0, 0, jst), n.Due.In(jst))
			}
			for _, m := range sender.delivered {
				assert.False(t, strings.Contains(m.To.Address, withdrawn.mother.Contacts[0].Value))
			}
		})
	}
}

func FuzzDeliveryKey(f *testing.F) {
	f.Add(casefile.NewID() + "/0")
	f.Add(casefile.NewID() + "/12")
	for _, s := range []string{"", "/", "x/0", casefile.NewID(), casefile.NewID() + "/-1", casefile.NewID() + "/+1", casefile.NewID() + "/007", "a/b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		id, ch, err := parseDeliveryKey(key)
		if err != nil {
			if !errors.Is(err, ErrDeliveryKey) {
				t.Fatalf("error %v", err)
			}
			return
		}
		n := casefile.Notification{ID: id, Channel: ch}
		if n.DeliveryKey() != key {
			t.Fatalf("%q read as %q/%d", key, id, ch)
		}
	})
}
