package outreach

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/casefile/storetest"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/internal/population"
)

var propertySeed = flag.Uint64("outreach.seed", 0, "run the property test with this seed only")

// TestPropertyNobodyUncovered runs outreach over random populations —
// consents missing, for other purposes, withdrawn, expired; members
// without consent; DV measures on the address, all contacts or one
// contact, decided by this desk or another, lifted or not, with a
// counterparty who may share the phone or the address; contacts not
// chosen; safe times of every kind — and checks every notice written
// against an oracle written from the rules, not from casefile's code:
// nobody without a consent covering 支援情報の通知 (notify, contact) for the
// desk at that time is in the outbox, and no channel a measure in force
// protects, that a counterparty shares, or that the person did not
// choose is ever used.
func TestPropertyNobodyUncovered(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if *propertySeed != 0 {
		seeds = []uint64{*propertySeed}
	}
	total := 0
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			w := newWorld(t, memstore.New(), WithPageSize(37), WithPlanBatch(50))
			cfg := population.Default(seed, tenant, desk, asOf)
			cfg.Now = w.clk.now().Add(-48 * time.Hour)
			cfg.DV, cfg.MemberGap, cfg.NotOK, cfg.NoConsent, cfg.Withdrawn, cfg.Expired, cfg.OtherPurpose, cfg.ViewOnly = 30, 10, 30, 15, 8, 8, 8, 10
			g, err := population.New(cfg)
			require.NoError(t, err)
			fams := make([]*population.Family, 150)
			for i := range fams {
				fams[i] = g.Next()
			}
			require.NoError(t, population.Write(w.ctx, w.st, tenant, fams, 50))
			rep := w.runOnce(false)
			ns := w.outbox()
			total += len(ns)
			at := w.clk.now()
			bySubject := map[string]*population.Family{}
			for _, f := range fams {
				bySubject[f.Persons[0].ID] = f
			}
			for _, n := range ns {
				f := bySubject[n.PersonID]
				require.NotNil(t, f, "a notice to someone who is no case subject")
				assert.True(t, coveredByConsent(f, n.PersonID, at), "seed %d: %s notified without a covering consent", seed, n.Program)
				for _, ch := range n.Channels {
					assert.Empty(t, channelProblem(f, ch, at), "seed %d: channel %+v", seed, ch)
				}
			}
			t.Logf("seed %d: %d households, %d notices, skipped %v", seed, rep.Cases, len(ns), rep.Households)
		})
	}
	assert.Positive(t, total, "the property is not vacuous")
}

// coveredByConsent is the oracle: an event log whose latest version of
// some consent was given, not withdrawn or expired, within its period at
// t, with a provision for the desk, purpose notification, action notify
// and the contact category.
func coveredByConsent(f *population.Family, person string, t time.Time) bool {
	byID := map[string][]consent.Event{}
	for _, e := range f.Events {
		if e.Subject == person {
			byID[e.Event.ConsentID] = append(byID[e.Event.ConsentID], e.Event)
		}
	}
	for _, evs := range byID {
		var c *consent.Consent
		ended := false
		for _, e := range evs {
			switch e.Type {
			case consent.EventGiven, consent.EventAmended:
				if !e.EffectiveAt.After(t) {
					c = e.Consent
				}
			case consent.EventWithdrawn, consent.EventExpired:
				if !e.EffectiveAt.After(t) {
					ended = true
				}
			}
		}
		if c == nil || ended || t.Before(c.Period.Start) || !c.Period.End.IsZero() && !t.Before(c.Period.End) {
			continue
		}
		if c.Grantor.Person != person && slices.ContainsFunc(f.Restrictions, func(r casefile.AddressRestriction) bool {
			return r.Restriction.LiftedAt.IsZero() && slices.Contains(r.Restriction.Counterparties, c.Grantor.Person)
		}) {
			continue
		}
		for _, p := range c.Provisions {
			if slices.ContainsFunc(p.Recipients, func(r consent.Recipient) bool { return r.Code == desk }) &&
				slices.Contains(p.Purposes, consent.PurposeNotification) && slices.Contains(p.Actions, consent.ActionNotify) &&
				(slices.Contains(p.Categories, consent.CategoryContact) || slices.Contains(p.Categories, consent.CategoryAny)) {
				return true
			}
		}
	}
	return false
}

// channelProblem is the oracle for a channel: chosen by the person, not
// protected by a measure in force on them (whoever decided it), not shared
// with a counterparty.
func channelProblem(f *population.Family, ch casefile.NotificationChannel, t time.Time) string {
	p := f.Persons[0]
	if ch.Contact >= len(p.Contacts) {
		return "no such contact"
	}
	c := p.Contacts[ch.Contact]
	if !c.OKToContact {
		return "not chosen"
	}
	for _, ar := range f.Restrictions {
		r := ar.Restriction
		if !r.LiftedAt.IsZero() && !r.LiftedAt.After(t) || t.Before(r.Period.Start) || !slices.Contains(r.Subjects, p.ID) {
			continue
		}
		for _, fld := range r.ProtectedFields {
			if fld == "contacts" || fld == "contacts."+strconv.Itoa(ch.Contact) || ch.Type == casefile.ChannelPost && fld == "address" {
				return "protected by " + fld
			}
		}
		for _, cp := range f.Persons[1:] {
			if !slices.Contains(r.Counterparties, cp.ID) {
				continue
			}
			if ch.Type == casefile.ChannelPost && cp.Address == p.Address {
				return "counterparty at the address"
			}
			for _, x := range cp.Contacts {
				if strings.TrimSpace(x.Value) == strings.TrimSpace(c.Value) {
					return "shared with the counterparty"
				}
			}
		}
	}
	return ""
}

// failing fails the n-th write transaction and every one after it, as a
// process that dies part-way through a run: nothing of that transaction
// is written.
type failing struct {
	casefile.Store
	writes, failAt atomic.Int64
}

var errPowerCut = errors.New("power cut")

func (f *failing) Update(ctx context.Context, tenant string, fn func(casefile.Tx) error) error {
	if f.writes.Add(1) >= f.failAt.Load() {
		return errPowerCut
	}
	return f.Store.Update(ctx, tenant, fn)
}

// A run that dies part-way and is run again: no duplicates, no gaps —
// the outbox ends as one clean run would leave it, on every store.
func TestCrashMidRunThenResume(t *testing.T) {
	for _, s := range storetest.Stores() {
		t.Run(s.Name, func(t *testing.T) {
			st := s.New(t)
			w := newWorld(t, st, WithPageSize(3), WithPlanBatch(4))
			for i := 0; i < 12; i++ {
				w.family(fam{})
				if i%4 == 0 {
					w.family(fam{consent: "none"})
				}
			}
			dry := w.runOnce(true)
			require.Greater(t, dry.Planned, 8)

			for _, failAt := range []int64{3, 5, 8} {
				fs := &failing{Store: st}
				fs.failAt.Store(failAt)
				svc, err := casefile.New(fs, casefile.Config{Roles: roles, Now: w.clk.now, QueryKey: []byte("outreach test")})
				require.NoError(t, err)
				eng, _ := engineOnce()
				r, err := New(svc, eng, w.msgs, WithPageSize(3), WithPlanBatch(4))
				require.NoError(t, err)
				_, err = r.Run(w.ctx, system, asOf, RunOptions{})
				require.ErrorIs(t, err, errPowerCut, "failing at write %d", failAt)
			}
			partial := len(w.outbox())
			assert.Less(t, partial, dry.Planned, "the crashed runs wrote part of it")

			rep := w.runOnce(false)
			ns := w.outbox()
			assert.Len(t, ns, dry.Planned, "no gaps")
			assert.Equal(t, partial, rep.Programmes[SkipNotified], "what was written is not written again")
			keys := map[string]bool{}
			for _, n := range ns {
				assert.False(t, keys[n.Key], "no duplicates")
				keys[n.Key] = true
			}
		})
	}
}
