package casefile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// NotificationPlan asks for one notification to a case's subject.
type NotificationPlan struct {
	CaseID  string
	Program string // eligibility programme id
	Period  string // the period it is for: never twice for one person
	// Outcome is the screening status the notice is about: "eligible" or
	// "undetermined".
	Outcome string
	// Variant is "standard" or "easy" (やさしい日本語).
	Variant string
	// Channels are the subject's contacts to try, in order
	// (NotificationChannel.Contact indexes Person.Contacts). A channel the
	// decision blocks is dropped; Amount is kept only where the person
	// chose amounts and consent covers income_tax.
	Channels []NotificationChannel
	// Due and WindowEnd are the planned send window (WindowEnd zero: none).
	Due, WindowEnd time.Time
	// AmountYen and AmountPer are stored only if some channel may state
	// the amount.
	AmountYen int64
	AmountPer string
}

// PlanStatus is what became of a plan.
type PlanStatus string

// Plan statuses.
const (
	PlanPlanned PlanStatus = "planned" // a new outbox entry
	PlanExists  PlanStatus = "exists"  // the person already has one for this programme and period
	PlanRefused PlanStatus = "refused" // the decision refused it (Reason)
)

// PlanResult is the answer to one NotificationPlan.
type PlanResult struct {
	Status PlanStatus
	// Reason is a refusal's code: a case refusal (see OutreachCase.Refused),
	// the notify decision's consent reason, not_owner, no_channel.
	Reason       string
	Notification Notification // the new or existing entry
}

func (p *NotificationPlan) check() error {
	var ps []string
	if p.CaseID == "" || p.Program == "" || p.Period == "" {
		ps = append(ps, "case, program and period are required")
	}
	if strings.ContainsAny(p.Program+p.Period, "|") {
		ps = append(ps, "program and period may not contain |")
	}
	if p.Outcome != "eligible" && p.Outcome != "undetermined" {
		ps = append(ps, fmt.Sprintf("outcome %q is not eligible or undetermined", p.Outcome))
	}
	if p.Variant != "standard" && p.Variant != "easy" {
		ps = append(ps, fmt.Sprintf("variant %q is not standard or easy", p.Variant))
	}
	if len(p.Channels) == 0 {
		ps = append(ps, "no channel")
	}
	for _, c := range p.Channels {
		if !ValidChannel(c.Type) || c.Contact < 0 {
			ps = append(ps, fmt.Sprintf("bad channel %q/%d", c.Type, c.Contact))
		}
	}
	if p.Due.IsZero() {
		ps = append(ps, "due is required")
	}
	if len(ps) == 0 {
		return nil
	}
	return fmt.Errorf("%w: notification plan for case %s: %s", ErrInvalid, p.CaseID, strings.Join(ps, "; "))
}

// PlanNotifications writes the plans to the outbox after deciding each
// again, in one transaction, with fresh data: the case must be the
// desk's, screenable for the notification purpose (as OutreachCases
// decides), its subject's consent must permit notify, and each channel
// must still be usable. Every entry is written with its audit entry
// (action notify, purpose notification, the consents it rests on, the
// first channel) and every refusal is audited too; a person who already
// has an entry for the programme and period gets PlanExists, and nothing
// is written for them. It needs PermRead and PermWrite. The results are in
// the order of plans.
func (s *Service) PlanNotifications(ctx context.Context, a Actor, runID string, plans []NotificationPlan) ([]PlanResult, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !s.can(a, PermRead|PermWrite) {
		return nil, s.deny(ctx, a, audit.Record{Action: audit.ActionNotify, Purpose: consent.PurposeNotification.String()},
			"通知の作成", "no_role", "通知を作成する権限がありません")
	}
	for i := range plans {
		if err := plans[i].check(); err != nil {
			return nil, err
		}
	}
	var out []PlanResult
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		ob, err := outboxOf(tx)
		if err != nil {
			return err
		}
		out = make([]PlanResult, len(plans))
		at := s.clock()
		// The subjects (and so the keys) come from the case rows: plans
		// already in the outbox need no decision.
		rows, err := tx.List(ctx, Query{Kind: KindCase, IDs: planCaseIDs(plans)})
		if err != nil {
			return err
		}
		subject := map[string]string{}
		for _, r := range rows {
			if owner, err := caseOwner(r); err == nil && owner == a.Org {
				subject[r.ID] = r.PersonID
			}
		}
		keys := make([]string, len(plans))
		var want []string
		for i, p := range plans {
			if sub, ok := subject[p.CaseID]; ok {
				keys[i] = NotificationKey(sub, p.Program, p.Period)
				want = append(want, keys[i])
			}
		}
		existing, err := ob.ListNotifications(ctx, NotificationQuery{Keys: want})
		if err != nil {
			return err
		}
		have := map[string]Notification{}
		for _, n := range existing {
			have[n.Key] = n
		}
		var need []string
		for i, p := range plans {
			if _, ok := have[keys[i]]; keys[i] != "" && !ok {
				need = append(need, p.CaseID)
			}
		}
		cases, err := s.decideCases(ctx, tx, a, at, sortedUnique(need))
		if err != nil {
			return err
		}
		for i, p := range plans {
			if keys[i] == "" {
				out[i] = PlanResult{Status: PlanRefused, Reason: "not_owner"}
				if err := tx.Audit(notifyRecord(at, a, p, "", nil, audit.Deny, "not_owner")); err != nil {
					return err
				}
				continue
			}
			if n, ok := have[keys[i]]; ok {
				out[i] = PlanResult{Status: PlanExists, Notification: n}
				continue
			}
			d, ok := cases[p.CaseID]
			if !ok {
				return fmt.Errorf("casefile: case %s was not decided", p.CaseID)
			}
			n, reason := planned(a, runID, at, p, &d.oc)
			if reason != "" {
				out[i] = PlanResult{Status: PlanRefused, Reason: reason}
				if err := tx.Audit(notifyRecord(at, a, p, d.oc.Subject, nil, audit.Deny, reason)); err != nil {
					return err
				}
				continue
			}
			switch err := ob.InsertNotification(ctx, n); {
			case errors.Is(err, ErrExists):
				// planned meanwhile by another run
				cur, lerr := ob.ListNotifications(ctx, NotificationQuery{Keys: []string{n.Key}})
				if lerr != nil {
					return lerr
				}
				if len(cur) == 1 {
					out[i] = PlanResult{Status: PlanExists, Notification: cur[0]}
					continue
				}
				return err
			case err != nil:
				return err
			}
			have[n.Key] = n
			out[i] = PlanResult{Status: PlanPlanned, Notification: n}
			rec := notifyRecord(at, a, p, d.oc.Subject, &n, audit.Permit, n.Channels[0].Type)
			rec.Basis = audit.Basis{Kind: "consent", ConsentIDs: d.oc.Notify.ConsentIDs}
			rec.Categories = notifyCategories(&n, d.oc.Notify)
			if err := tx.Audit(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func planCaseIDs(plans []NotificationPlan) []string {
	ids := make([]string, len(plans))
	for i, p := range plans {
		ids[i] = p.CaseID
	}
	return sortedUnique(ids)
}

// planned turns an allowed plan into an outbox entry, or says why not.
func planned(a Actor, runID string, at time.Time, p NotificationPlan, oc *OutreachCase) (Notification, string) {
	switch {
	case oc.Refused != "":
		return Notification{}, oc.Refused
	case !oc.Notify.Permitted:
		return Notification{}, oc.Notify.Reason
	}
	var chans []NotificationChannel
	for _, want := range p.Channels {
		i := slices.IndexFunc(oc.Channels, func(c OutreachChannel) bool { return c.Contact == want.Contact && c.Type == want.Type })
		if i < 0 || !oc.Channels[i].Usable() || slices.ContainsFunc(chans, func(c NotificationChannel) bool { return c.Contact == want.Contact }) {
			continue
		}
		want.Amount = want.Amount && oc.Notify.Amounts && oc.Channels[i].AmountsOK
		chans = append(chans, want)
	}
	if len(chans) == 0 {
		return Notification{}, "no_channel"
	}
	n := Notification{ID: NewID(), Tenant: a.Tenant, Key: NotificationKey(oc.Subject, p.Program, p.Period), Org: a.Org,
		PersonID: oc.Subject, CaseID: oc.CaseID, Program: p.Program, Period: p.Period, RunID: runID, Outcome: p.Outcome,
		Variant: p.Variant, Status: NotifyPlanned, Channels: chans, Due: p.Due.UTC().Truncate(time.Microsecond),
		WindowEnd: p.WindowEnd.UTC().Truncate(time.Microsecond), Version: 1, CreatedAt: at, UpdatedAt: at, UpdatedBy: a.User}
	if slices.ContainsFunc(chans, func(c NotificationChannel) bool { return c.Amount }) {
		n.AmountYen, n.AmountPer = p.AmountYen, p.AmountPer
	}
	n.record(at, "planned")
	return n, ""
}

// notifyCategories are the categories a notification uses: the contact,
// the identity where a notice is addressed by name (post, e-mail), the
// income where it states an amount.
func notifyCategories(n *Notification, nd NotifyDecision) []string {
	cs := consent.Categories(consent.CategoryContact)
	for _, c := range n.Channels {
		if nd.Name && (c.Type == ChannelPost || c.Type == ChannelEmail) {
			cs = cs.With(consent.CategoryIdentity)
		}
		if c.Amount {
			cs = cs.With(consent.CategoryIncomeTax)
		}
	}
	var out []string
	for _, c := range cs.List() {
		out = append(out, c.String())
	}
	return out
}

// notifyRecord is the audit record of a notification decision: the event
// (programme) and the first channel, as RecordNotification writes it, so
// reports count both alike.
func notifyRecord(at time.Time, a Actor, p NotificationPlan, subject string, n *Notification, d audit.Decision, reason string) audit.Record {
	r := audit.Record{At: at, Actor: a.audit(), Action: audit.ActionNotify, Purpose: consent.PurposeNotification.String(),
		CaseID: p.CaseID, Decision: d, Outcome: "ok", Reason: reason,
		Entities: []audit.EntityRef{{Type: "notification", ID: p.Program}}}
	if subject != "" {
		r.Subjects = []string{subject}
	}
	if d == audit.Deny {
		r.Outcome = "denied"
	}
	if n != nil {
		r.Entities = append(r.Entities, audit.EntityRef{Type: "outbox", ID: n.ID, Version: n.Version})
	}
	return r
}

// decideCases decides the desk's cases among ids afresh, inside tx, with
// every DV measure of the tenant; cases of other desks and unknown ids
// are left out.
func (s *Service) decideCases(ctx context.Context, tx Tx, a Actor, at time.Time, ids []string) (map[string]decided, error) {
	out := map[string]decided{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.List(ctx, Query{Kind: KindCase, IDs: ids})
	if err != nil {
		return nil, err
	}
	own := rows[:0:0]
	for _, r := range rows {
		if owner, err := caseOwner(r); err != nil || owner == a.Org {
			own = append(own, r)
		}
	}
	rs, err := loadRestrictions(ctx, tx, "")
	if err != nil {
		return nil, err
	}
	p, err := loadCases(ctx, tx, own, newRestrictionIndex(rs))
	if err != nil {
		return nil, err
	}
	for i := range p.cases {
		d := s.decideOutreach(a, at, civil.Date{}, &p.cases[i], p.rx, p.others)
		out[d.oc.CaseID] = d
	}
	return out, nil
}
