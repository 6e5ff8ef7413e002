package casefile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/report"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// The statistical facts are package report's types, so that casefile can
// build and release the tables itself (Service.Report).
type (
	// Facts are the anonymous facts of one fiscal year (see report.Facts).
	Facts = report.Facts
	// ConsultationFact is one consultation: no person, no case, no text.
	ConsultationFact = report.ConsultationFact
	// SharingFact is one disclosure of one person's data to another
	// department.
	SharingFact = report.SharingFact
	// NotificationFact is one notification produced (プッシュ型支援).
	NotificationFact = report.NotificationFact
)

var jst = time.FixedZone("JST", 9*60*60)

// ReportFacts returns the unsuppressed facts of fiscal year fy (April fy
// to March fy+1, Japan time) to the statistics office (PermStatistics):
// day-level consultations with their topics (DV included), disclosures and
// notifications. They identify no person by themselves, but small counts
// in them can single a family out: publish only tables released by Report,
// and keep the facts inside the office. Corrected consultation entries
// count once (the correction). The collection is audited, naming no
// person.
func (s *Service) ReportFacts(ctx context.Context, a Actor, fy int) (Facts, error) {
	if err := checkActor(a); err != nil {
		return Facts{}, err
	}
	rec := audit.Record{Action: audit.ActionReport, Purpose: consent.PurposeStatistics.String(), Reason: "facts",
		Entities: []audit.EntityRef{{Type: "fiscal_year", ID: fmt.Sprint(fy)}}}
	if !s.can(a, PermStatistics) {
		return Facts{}, s.deny(ctx, a, rec, "統計の基礎データの閲覧", "no_role", "集計前のデータは統計担当だけが扱えます（公表用の表は Report で作成してください）")
	}
	f, err := s.collectFacts(ctx, a.Tenant, fy)
	if err != nil {
		return Facts{}, err
	}
	rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
	if err := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(rec) }); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// collectFacts gathers the facts of fiscal year fy.
func (s *Service) collectFacts(ctx context.Context, tenant string, fy int) (Facts, error) {
	from := time.Date(fy, time.April, 1, 0, 0, 0, 0, jst)
	to := from.AddDate(1, 0, 0)
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	f := Facts{Tenant: tenant, FiscalYear: fy, Topics: reportLabels(topicTable), Channels: reportLabels(channelTable)}
	err := s.store.View(ctx, tenant, func(tx Tx) error {
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
	err = s.store.ScanAudit(ctx, tenant, 1, func(e audit.Entry) error {
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
	return f, nil
}

func reportLabels(t []Label) []report.Label {
	out := make([]report.Label, len(t))
	for i, l := range t {
		out[i] = report.Label{Code: l.Code, Name: l.Name}
	}
	return out
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
		d, err := sc.decider(subject)
		if err != nil {
			return err
		}
		dec, err := d.Decide(consent.Request{Actor: a.consent(), Subject: subject, Action: consent.ActionNotify,
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
