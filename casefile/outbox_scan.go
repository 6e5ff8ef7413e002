package casefile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onestop-jp/onestop/casefile/audit"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
)

// OutreachScan configures Service.OutreachCases.
type OutreachScan struct {
	// RunID names the run in the audit log (required).
	RunID string
	// AsOf is the date the households are built for: the date you screen
	// them on (outreach's 基準日). Memberships, support in use and
	// disability records count when they cover it. Zero: today by the
	// Service clock, in Japan time.
	AsOf civil.Date
	// CaseIDs limits the scan to these cases (any order, unknown ids and
	// other desks' cases skipped); nil scans every case of the desk.
	CaseIDs []string
	// After resumes a scan after this case id (cases come in id order).
	After string
	// PageSize is the number of cases read per transaction (default 256).
	PageSize int
	// Workers decide cases in parallel (default GOMAXPROCS).
	Workers int
	// Stats, when set, receives counts and timings as the scan goes.
	Stats *ScanStats
}

// ScanStats are the counts and time (summed over goroutines) of a scan:
// Read is the store (queries, rows), Decide decoding and consent
// decisions, Audit the audit entries written.
type ScanStats struct {
	Cases, Pages            atomic.Int64
	Read, Decide, AuditTime atomic.Int64 // nanoseconds
}

func (st *ScanStats) add(d *atomic.Int64, since time.Time) {
	if st != nil {
		d.Add(int64(time.Since(since)))
	}
}

// OutreachCases scans the desk's cases for the notification purpose
// (支援情報の通知) and yields each as an OutreachCase, in case id order.
// It needs PermRead. Every page of cases is one read transaction; each
// case is decided like Service.Household with purpose notification (no
// statutory basis: notifications always need consent), and before a page
// is handed over its reads are audited — one entry naming every person
// whose data the page used, with the categories and consents, and one
// naming the persons nothing could be used of — so the audit log records
// every read and nothing is yielded that was not audited. Reading,
// deciding and auditing of successive pages overlap; memory stays bounded
// by a few pages whatever the number of cases.
//
// A yielded case carries no contact value, and its Refused says why it
// cannot be screened. The DV measures are read when the scan starts, and
// those added later are picked up page by page; PlanNotifications and
// ClaimNotifications decide again with fresh data before anything is
// written or sent. An error ends the iteration (a refusal is an audited
// *DeniedError).
func (s *Service) OutreachCases(ctx context.Context, a Actor, opts OutreachScan) iter.Seq2[OutreachCase, error] {
	return func(yield func(OutreachCase, error) bool) {
		if err := s.mayScan(ctx, a, opts); err != nil {
			yield(OutreachCase{}, err)
			return
		}
		if opts.AsOf.IsZero() {
			opts.AsOf = civil.DateOf(s.clock().In(jst)) // one day for the whole scan
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		pages := make(chan *rawPage, 2)
		var readErr error
		go func() {
			defer close(pages)
			readErr = s.readPages(ctx, a, opts, pages)
		}()
		defer func() {
			cancel()
			for range pages { // let the reader finish
			}
		}()
		for p := range pages {
			ds := s.decidePage(a, p, opts)
			if err := s.auditPage(ctx, a, opts, p, ds); err != nil {
				yield(OutreachCase{}, err)
				return
			}
			for i := range ds {
				if !yield(ds[i].oc, nil) {
					return
				}
			}
		}
		if readErr != nil && !errors.Is(readErr, context.Canceled) || ctx.Err() != nil {
			err := readErr
			if err == nil {
				err = ctx.Err()
			}
			yield(OutreachCase{}, fmt.Errorf("casefile: outreach scan: %w", err))
		}
	}
}

func (s *Service) mayScan(ctx context.Context, a Actor, opts OutreachScan) error {
	if err := checkActor(a); err != nil {
		return err
	}
	if opts.RunID == "" {
		return fmt.Errorf("%w: an outreach scan needs a run id", ErrInvalid)
	}
	if !s.can(a, PermRead) {
		return s.deny(ctx, a, audit.Record{Action: audit.ActionRead, Purpose: consent.PurposeNotification.String(),
			Entities: []audit.EntityRef{{Type: "outreach_scan", ID: opts.RunID}}}, "通知のための判定", "no_role", "閲覧の権限がありません")
	}
	return nil
}

// readPages reads the pages of the scan into out, in order. One goroutine
// pages through the case rows (and picks up new DV measures); the
// households of up to two pages at once are loaded by others, each in a
// read transaction of its own, so that reading uses more than one core.
func (s *Service) readPages(ctx context.Context, a Actor, opts OutreachScan, out chan<- *rawPage) error {
	const loaders = 2
	type loaded struct {
		p   *rawPage
		err error
	}
	type job struct {
		res chan loaded
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, loaders)
	sem := make(chan struct{}, loaders)
	var pagerErr error
	go func() {
		defer close(jobs)
		pagerErr = s.pageCases(ctx, a, opts, func(num int, rows []Row, rx *restrictionIndex, after string, skipped int) bool {
			j := job{res: make(chan loaded, 1)}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			go func() {
				defer func() { <-sem }()
				start := time.Now()
				var p *rawPage
				err := s.store.View(ctx, a.Tenant, func(tx Tx) error {
					var err error
					p, err = loadCases(ctx, tx, rows, rx)
					return err
				})
				opts.Stats.add(statsField(opts.Stats, 0), start)
				if err == nil {
					p.num, p.lastID, p.skipped = num, after, skipped
				}
				j.res <- loaded{p, err}
			}()
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	for j := range jobs {
		l := <-j.res
		if l.err != nil {
			cancel()
			for range jobs {
			}
			return l.err
		}
		if len(l.p.cases) == 0 {
			continue
		}
		select {
		case out <- l.p:
		case <-ctx.Done():
			for range jobs {
			}
			return ctx.Err()
		}
	}
	return pagerErr
}

// pageCases pages through the case rows of the scan (the desk's only),
// with the DV measures as of each page, and hands each page to page
// until it returns false.
func (s *Service) pageCases(ctx context.Context, a Actor, opts OutreachScan, page func(num int, rows []Row, rx *restrictionIndex, after string, skipped int) bool) error {
	size := opts.PageSize
	if size <= 0 {
		size = 256
	}
	var ids []string
	if opts.CaseIDs != nil {
		ids = slices.Clone(opts.CaseIDs)
		sort.Strings(ids)
		ids = slices.Compact(ids)
		i, _ := slices.BinarySearch(ids, opts.After)
		if opts.After != "" && i < len(ids) && ids[i] == opts.After {
			i++
		}
		ids = ids[i:]
	}
	var rx *restrictionIndex
	after := opts.After
	for num := 1; ; num++ {
		start := time.Now()
		var own []Row
		var skipped int
		done := false
		err := s.store.View(ctx, a.Tenant, func(tx Tx) error {
			prev := ""
			if rx != nil {
				prev = rx.lastID
			}
			rs, err := loadRestrictions(ctx, tx, prev)
			if err != nil {
				return err
			}
			if rx == nil {
				rx = newRestrictionIndex(rs)
			} else {
				rx = rx.add(rs)
			}
			var rows []Row
			if opts.CaseIDs != nil {
				chunk := ids[:min(size, len(ids))]
				ids = ids[len(chunk):]
				done = len(ids) == 0
				if len(chunk) > 0 {
					rows, err = tx.List(ctx, Query{Kind: KindCase, IDs: chunk})
					after = chunk[len(chunk)-1]
				}
			} else {
				rows, err = tx.List(ctx, Query{Kind: KindCase, AfterID: after, Limit: size})
				done = len(rows) < size
				if len(rows) > 0 {
					after = rows[len(rows)-1].ID
				}
			}
			if err != nil {
				return err
			}
			own = rows[:0:0]
			for _, r := range rows {
				if owner, err := caseOwner(r); err != nil || owner == a.Org {
					own = append(own, r) // an unreadable row is reported as record_error
				}
			}
			skipped = len(rows) - len(own)
			return nil
		})
		if err != nil {
			return err
		}
		opts.Stats.add(statsField(opts.Stats, 0), start)
		if len(own) > 0 && !page(num, own, rx, after, skipped) {
			return ctx.Err()
		}
		if done {
			return nil
		}
	}
}

func statsField(st *ScanStats, which int) *atomic.Int64 {
	if st == nil {
		return nil
	}
	switch which {
	case 0:
		return &st.Read
	case 1:
		return &st.Decide
	}
	return &st.AuditTime
}

// caseOwner reads the owning desk of a case row.
func caseOwner(r Row) (string, error) {
	var cf struct {
		OwnerOrg string `json:"owner_org"`
	}
	err := json.Unmarshal(r.Body, &cf)
	return cf.OwnerOrg, err
}

// decidePage decides a page's cases on the workers, in page order.
func (s *Service) decidePage(a Actor, p *rawPage, opts OutreachScan) []decided {
	start := time.Now()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	at := s.clock()
	asOf := opts.AsOf
	ds := make([]decided, len(p.cases))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(p.cases)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(p.cases) {
					return
				}
				ds[i] = s.decideOutreach(a, at, asOf, &p.cases[i], p.rx, p.others)
			}
		}()
	}
	wg.Wait()
	if opts.Stats != nil {
		opts.Stats.Cases.Add(int64(len(ds)))
		opts.Stats.Pages.Add(1)
		opts.Stats.add(&opts.Stats.Decide, start)
	}
	return ds
}

// auditPage records what a page read: one entry for every person whose
// data it used (categories and consents united) and one for every person
// of whom it could use nothing.
func (s *Service) auditPage(ctx context.Context, a Actor, opts OutreachScan, p *rawPage, ds []decided) error {
	start := time.Now()
	defer opts.Stats.add(statsField(opts.Stats, 2), start)
	recs := outreachReadRecords(s.clock(), a, "outreach_scan", opts.RunID+"#"+strconv.Itoa(p.num), ds)
	if len(recs) == 0 {
		return nil
	}
	return s.update(ctx, a.Tenant, func(tx Tx) error {
		for _, r := range recs {
			if err := tx.Audit(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// outreachReadRecords summarises the reads of decided cases as (at most)
// two audit records.
func outreachReadRecords(at time.Time, a Actor, what, id string, ds []decided) []audit.Record {
	var used, refused, consents []string
	var cats consent.CategorySet
	reasons := map[string]bool{}
	for _, d := range ds {
		for _, r := range d.reads {
			if r.kept.Empty() {
				refused = append(refused, r.id)
				reasons[r.reason] = true
				continue
			}
			used = append(used, r.id)
			cats |= r.kept
			consents = append(consents, r.consents...)
		}
	}
	ref := []audit.EntityRef{{Type: what, ID: id}}
	var out []audit.Record
	if len(used) > 0 {
		rec := audit.Record{At: at, Actor: a.audit(), Action: audit.ActionRead, Purpose: consent.PurposeNotification.String(),
			Decision: audit.Permit, Outcome: "ok", Subjects: sortedUnique(used), Entities: ref,
			Basis: audit.Basis{Kind: "consent", ConsentIDs: sortedUnique(consents)}}
		for _, c := range cats.List() {
			rec.Categories = append(rec.Categories, c.String())
		}
		out = append(out, rec)
	}
	if len(refused) > 0 {
		reason := "nothing_permitted"
		if len(reasons) == 1 {
			for r := range reasons {
				if r != "" {
					reason = r
				}
			}
		}
		out = append(out, audit.Record{At: at, Actor: a.audit(), Action: audit.ActionRead, Purpose: consent.PurposeNotification.String(),
			Decision: audit.Deny, Outcome: "denied", Reason: reason, Subjects: sortedUnique(refused), Entities: ref})
	}
	return out
}

func sortedUnique(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
