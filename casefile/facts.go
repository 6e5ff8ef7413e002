package casefile

import (
	"context"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/consent"
)

// ConsultationFact is one consultation for statistics: no person, no case,
// no text.
type ConsultationFact struct {
	On      civil.Date // day in Japan time
	Channel string
	Topics  []string
}

// SharingFact is one disclosure of one person's data to another department.
type SharingFact struct {
	On        civil.Date
	Recipient string
	Action    string // read, export
}

// NotificationFact is one notification produced (プッシュ型支援).
type NotificationFact struct {
	On      civil.Date
	Channel string
	Event   string
}

// Facts are the anonymous facts of one fiscal year (年度) for the annual
// 実施状況報告書 and EBPM statistics; package report aggregates them.
type Facts struct {
	Tenant        string
	FiscalYear    int
	Consultations []ConsultationFact
	Sharing       []SharingFact
	Notifications []NotificationFact
}

var jst = time.FixedZone("JST", 9*60*60)

// ReportFacts collects the facts of fiscal year fy (April fy to March fy+1,
// Japan time). Corrected consultation entries count once (the correction).
// The collection is audited as a report, naming no person.
func (s *Service) ReportFacts(ctx context.Context, a Actor, fy int) (Facts, error) {
	if err := checkActor(a); err != nil {
		return Facts{}, err
	}
	rec := audit.Record{Action: audit.ActionReport, Purpose: consent.PurposeStatistics.String()}
	if !s.can(a, PermReport) {
		return Facts{}, s.deny(ctx, a, rec, "統計の作成", "no_role", "統計を作成する権限がありません")
	}
	from := time.Date(fy, time.April, 1, 0, 0, 0, 0, jst)
	to := from.AddDate(1, 0, 0)
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	f := Facts{Tenant: a.Tenant, FiscalYear: fy}
	err := s.store.View(ctx, a.Tenant, func(tx Tx) error {
		entries, err := listTyped[Consultation](ctx, tx, Query{Kind: KindConsultation})
		if err != nil {
			return err
		}
		superseded := map[string]bool{}
		for _, e := range entries {
			if e.Supersedes != "" {
				superseded[e.Supersedes] = true
			}
		}
		for _, e := range entries {
			if superseded[e.ID] || !in(e.OccurredAt) {
				continue
			}
			f.Consultations = append(f.Consultations, ConsultationFact{On: civil.DateOf(e.OccurredAt.In(jst)), Channel: e.Channel, Topics: e.Topics})
		}
		return nil
	})
	if err != nil {
		return Facts{}, err
	}
	err = s.store.ScanAudit(ctx, a.Tenant, 1, func(e audit.Entry) error {
		if !in(e.At) || e.Decision != audit.Permit {
			return nil
		}
		on := civil.DateOf(e.At.In(jst))
		switch {
		case e.Recipient != "" && (e.Action == audit.ActionRead || e.Action == audit.ActionExport):
			f.Sharing = append(f.Sharing, SharingFact{On: on, Recipient: e.Recipient, Action: string(e.Action)})
		case e.Action == audit.ActionNotify:
			ev := ""
			if len(e.Entities) > 0 {
				ev = e.Entities[0].ID
			}
			f.Notifications = append(f.Notifications, NotificationFact{On: on, Channel: e.Reason, Event: ev})
		}
		return nil
	})
	if err != nil {
		return Facts{}, err
	}
	rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
	rec.Entities = []audit.EntityRef{{Type: "fiscal_year", ID: fmt.Sprint(fy)}}
	if err := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// ErrNotifyDenied is wrapped by the *DeniedError of a refused notification.
var ErrNotifyDenied = errors.New("casefile: notification not permitted")

// RecordNotification decides and records one notification to a resident
// (push-type support): consent.Decide with action notify for the
// notification purpose, then an audit entry holding only the event type
// (e.g. a programme id) and the channel code (sms, email, line, post). A
// refusal is recorded and returned as a *DeniedError; the caller must not
// send. The payload of the notification itself should carry ids only.
func (s *Service) RecordNotification(ctx context.Context, a Actor, subject, event, channel string) error {
	if err := checkActor(a); err != nil {
		return err
	}
	rec := audit.Record{Action: audit.ActionNotify, Purpose: consent.PurposeNotification.String(), Subjects: []string{subject},
		Reason: channel, Entities: []audit.EntityRef{{Type: "notification", ID: event}}, Categories: []string{consent.CategoryContact.String()}}
	var refused bool
	err := s.update(ctx, a.Tenant, func(tx Tx) error {
		sc, err := s.newScope(ctx, tx, nil, subject)
		if err != nil {
			return err
		}
		dec, err := sc.decider(subject).Decide(consent.Request{Actor: a.consent(), Subject: subject, Action: consent.ActionNotify,
			Purpose: consent.PurposeNotification, Categories: consent.Categories(consent.CategoryContact), At: s.clock(), OnBehalfOf: subject})
		if err != nil {
			return err
		}
		rec.At, rec.Actor, rec.Outcome = s.clock(), a.audit(), "ok"
		if dec.Permitted.Has(consent.CategoryContact) {
			rec.Decision = audit.Permit
			rec.Basis = audit.Basis{Kind: "consent", ConsentIDs: dec.ConsentIDs()}
		} else {
			refused = true
			rec.Decision, rec.Outcome, rec.Reason = audit.Deny, "denied", dec.Reason().String()
		}
		return tx.Audit(rec)
	})
	if err != nil {
		return err
	}
	if refused {
		return fmt.Errorf("%w: %w", ErrNotifyDenied, &DeniedError{Action: "通知", Reason: rec.Reason, Detail: "本人の同意（支援情報の通知）がないため通知できません"})
	}
	return nil
}
