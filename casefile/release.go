package casefile

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/casefile/report"
	"github.com/onestop-jp/onestop/consent"
)

// Report release policy (docs/casefile.md, "Reports"): a fiscal year's
// tables are released once the year is closed for late entries, and the
// first release is final. Two runs of the same year can then never be
// subtracted from each other, and suppression inside one release is
// checked exactly (report.Suppress).

// ReportRelease is the published tables of one fiscal year, stored when
// first released and returned unchanged from then on. It holds only what
// was published: suppressed cells carry no count.
type ReportRelease struct {
	Meta
	FiscalYear int           `json:"fiscal_year"`
	Report     report.Report `json:"report"`
}

// EntityKind returns KindRelease.
func (*ReportRelease) EntityKind() Kind { return KindRelease }

// Refs returns nothing: a release is about no case and no person.
func (*ReportRelease) Refs() (string, string) { return "", "" }

// Keys makes one release per fiscal year.
func (r *ReportRelease) Keys() []string { return []string{releaseKey(r.FiscalYear)} }

func releaseKey(fy int) string { return "fy:" + strconv.Itoa(fy) }

// Validate checks the release.
func (r *ReportRelease) Validate() error {
	var ps problems
	if r.FiscalYear < minFiscalYear || r.FiscalYear > maxFiscalYear {
		ps.add("fiscal_year", "年度が正しくありません")
	}
	if r.Report.FiscalYear != r.FiscalYear || r.Report.K < 1 {
		ps.add("report", "集計表の年度または秘匿の基準が正しくありません")
	}
	return ps.err(KindRelease)
}

const (
	minFiscalYear = 1989 // 平成元年度: no record is older
	maxFiscalYear = 9998
	// DefaultReportK is the smallest count a released table shows.
	DefaultReportK = 3
	// DefaultReportGraceMonths is how long after the end of a fiscal year
	// (31 March) late entries are awaited before it can be released.
	DefaultReportGraceMonths = 2
)

// ErrPeriodOpen is wrapped by the *DeniedError of Report for a fiscal year
// not yet closed (see ReleaseFrom).
var ErrPeriodOpen = errors.New("casefile: the fiscal year is not closed for statistics yet")

// ReleaseFrom returns when fiscal year fy can be released: 1 April of
// fy+1 in Japan, plus Config.ReportGraceMonths (2 by default: 1 June) for
// entries recorded late.
func (s *Service) ReleaseFrom(fy int) time.Time {
	g := s.cfg.ReportGraceMonths
	if g <= 0 {
		g = DefaultReportGraceMonths
	}
	return time.Date(fy+1, time.April, 1, 0, 0, 0, 0, jst).AddDate(0, g, 0)
}

func (s *Service) reportK() int {
	if s.cfg.ReportK > 0 {
		return s.cfg.ReportK
	}
	return DefaultReportK
}

// Report returns the released tables of fiscal year fy (PermReport): the
// consultations by topic and by channel, the disclosures by receiving
// department and the notifications by channel, per month, with small
// counts suppressed so that no hidden cell can be worked out from what is
// published (report.Suppress, checked exactly by report.Audit). The first
// call after ReleaseFrom(fy) builds and stores the release; every later
// call returns that release unchanged, whatever was recorded since, so two
// reports of one year can never be subtracted to reveal a consultation.
// Before ReleaseFrom(fy) the report is refused (ErrPeriodOpen): tables of
// a year still open would differ from run to run. Every call is audited,
// naming no person.
func (s *Service) Report(ctx context.Context, a Actor, fy int) (report.Report, error) {
	if err := checkActor(a); err != nil {
		return report.Report{}, err
	}
	rec := audit.Record{Action: audit.ActionReport, Purpose: consent.PurposeStatistics.String(),
		Entities: []audit.EntityRef{{Type: "fiscal_year", ID: strconv.Itoa(fy)}}}
	if !s.can(a, PermReport) {
		return report.Report{}, s.deny(ctx, a, rec, "統計表の作成", "no_role", "統計表を作成する権限がありません")
	}
	if fy < minFiscalYear || fy > maxFiscalYear {
		return report.Report{}, fmt.Errorf("%w: fiscal year %d", ErrInvalid, fy)
	}
	if from := s.ReleaseFrom(fy); s.Now().Before(from) {
		err := s.deny(ctx, a, rec, "統計表の作成", "period_not_closed",
			fmt.Sprintf("%d年度の統計表は %s から作成できます（年度の締め後、遅れて記録される相談を待ちます）", fy, from.In(jst).Format("2006-01-02")))
		return report.Report{}, fmt.Errorf("%w: %w", ErrPeriodOpen, err)
	}
	rel, err := s.storedRelease(ctx, a.Tenant, fy)
	if err != nil {
		return report.Report{}, err
	}
	if rel == nil {
		f, err := s.collectFacts(ctx, a.Tenant, fy)
		if err != nil {
			return report.Report{}, err
		}
		now := s.clock()
		rel = &ReportRelease{Meta: Meta{ID: NewID(), TenantID: a.Tenant, Version: 1, CreatedAt: now, CreatedBy: a.User, CreatedOrg: a.Org, UpdatedAt: now, UpdatedBy: a.User},
			FiscalYear: fy, Report: report.Build(f, report.Options{K: s.reportK(), OrgNames: s.cfg.OrgNames})}
		if err := rel.Validate(); err != nil {
			return report.Report{}, err
		}
		row, err := EncodeRow(rel)
		if err != nil {
			return report.Report{}, err
		}
		rec.Reason = "released"
		err = s.update(ctx, a.Tenant, func(tx Tx) error {
			if err := tx.Insert(ctx, row); err != nil {
				return err
			}
			return tx.Audit(s.reportRecord(rec, a, rel))
		})
		switch {
		case errors.Is(err, ErrDuplicateKey):
			// released by someone else meanwhile: theirs is the release
			if rel, err = s.storedRelease(ctx, a.Tenant, fy); err != nil {
				return report.Report{}, err
			}
		case err != nil:
			return report.Report{}, err
		default:
			return rel.Report, nil
		}
	}
	rec.Reason = "release"
	if err := s.update(ctx, a.Tenant, func(tx Tx) error { return tx.Audit(s.reportRecord(rec, a, rel)) }); err != nil {
		return report.Report{}, err
	}
	return rel.Report, nil
}

func (s *Service) reportRecord(rec audit.Record, a Actor, rel *ReportRelease) audit.Record {
	rec.At, rec.Actor, rec.Decision, rec.Outcome, rec.Basis = s.clock(), a.audit(), audit.Permit, "ok", audit.Basis{Kind: "role"}
	rec.Entities = append(rec.Entities, audit.EntityRef{Type: string(KindRelease), ID: rel.ID, Version: rel.Version})
	return rec
}

// storedRelease returns the release of fy, or nil.
func (s *Service) storedRelease(ctx context.Context, tenant string, fy int) (*ReportRelease, error) {
	var rel *ReportRelease
	err := s.store.View(ctx, tenant, func(tx Tx) error {
		rows, err := tx.List(ctx, Query{Kind: KindRelease, Key: releaseKey(fy)})
		if err != nil || len(rows) == 0 {
			return err
		}
		rel = &ReportRelease{}
		return DecodeRow(rows[0], rel)
	})
	return rel, err
}
