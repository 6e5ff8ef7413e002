package outreach

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"runtime"
	"sync"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// Runner finds the families to notify on a date and writes their notices
// to the outbox. It is safe for concurrent use; each Run is independent.
type Runner struct {
	svc    *casefile.Service
	engine *eligibility.Engine
	msgs   *Messages
	cfg    config
}

type config struct {
	workers, pageSize, planBatch int
	horizon                      int
	hours                        SendingHours
	askUndetermined              bool
	authority                    []string
	programs                     []string
}

// Option configures a Runner.
type Option func(*config)

// WithWorkers sets how many households are screened at once (default
// GOMAXPROCS).
func WithWorkers(n int) Option { return func(c *config) { c.workers = n } }

// WithPageSize sets how many cases are read per transaction (default 256).
func WithPageSize(n int) Option { return func(c *config) { c.pageSize = n } }

// WithPlanBatch sets how many notices are written per transaction
// (default 500).
func WithPlanBatch(n int) Option { return func(c *config) { c.planBatch = n } }

// WithHorizon sets how many days ahead a send window is looked for
// (default 14); a person with none in that time is not notified this run.
func WithHorizon(days int) Option { return func(c *config) { c.horizon = days } }

// WithSendingHours sets the hours notices are sent in at all, whatever a
// person's safe times (default 9:00–20:00).
func WithSendingHours(h SendingHours) Option { return func(c *config) { c.hours = h } }

// WithAskUndetermined says whether an outcome undetermined only for facts
// the family can answer is worth a notice ("please ask us"; default true).
func WithAskUndetermined(ask bool) Option { return func(c *config) { c.askUndetermined = ask } }

// WithAuthorityFacts replaces DefaultAuthorityFacts: the facts (keys of the
// facts model, Missing.Field) a family cannot answer.
func WithAuthorityFacts(fields ...string) Option {
	return func(c *config) { c.authority = append([]string(nil), fields...) }
}

// WithPrograms limits a Runner to some programmes (a campaign for one
// allowance, say); default: every programme of the engine.
func WithPrograms(ids ...string) Option {
	return func(c *config) { c.programs = append([]string(nil), ids...) }
}

// New returns a Runner screening with engine, reading and writing through
// svc, and checking that msgs describe what it may notify.
func New(svc *casefile.Service, engine *eligibility.Engine, msgs *Messages, opts ...Option) (*Runner, error) {
	if svc == nil || engine == nil || msgs == nil {
		return nil, errors.New("outreach: a service, an engine and messages are required")
	}
	cfg := config{workers: runtime.GOMAXPROCS(0), pageSize: 256, planBatch: 500, horizon: 14, hours: DefaultSendingHours,
		askUndetermined: true, authority: DefaultAuthorityFacts}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case cfg.workers < 1 || cfg.pageSize < 1 || cfg.planBatch < 1:
		return nil, errors.New("outreach: workers, page size and plan batch must be at least 1")
	case cfg.horizon < 0 || cfg.horizon > 366:
		return nil, errors.New("outreach: the horizon is 0 to 366 days")
	case cfg.hours.From < 0 || cfg.hours.To > 24*time.Hour || cfg.hours.To-cfg.hours.From < minWindow*time.Minute:
		return nil, errors.New("outreach: sending hours must be a range of at least 15 minutes within a day")
	}
	return &Runner{svc: svc, engine: engine, msgs: msgs, cfg: cfg}, nil
}

// RunOptions qualify one run.
type RunOptions struct {
	// DryRun screens and filters but writes no notice: the report says what
	// would be sent. (The reads are audited all the same.)
	DryRun bool
	// RunID names the run in the audit log and the outbox (default: the
	// date and time it started).
	RunID string
	// Cases, when set, are screened instead of the desk's cases in the
	// store: any iterator of cases decided by casefile (for instance
	// Service.OutreachCases with CaseIDs, and AsOf set to the run's date so
	// that the households are those of that day). Notices are decided again from
	// the store before they are written, whatever the iterator says.
	Cases iter.Seq2[casefile.OutreachCase, error]
	// Progress, when set, is called from time to time (and at the end)
	// with the counts so far.
	Progress func(Progress)
}

// Progress is how far a run has come.
type Progress struct {
	Cases, Planned int
	Elapsed        time.Duration
}

// Run screens the desk's households on asOf and writes a notice for every
// programme newly worth one: eligible (or undetermined only for facts the
// family can answer), not already received or applied for, to a person
// whose consent covers 支援情報の通知 through a contact they chose, outside
// any DV等支援措置 on that contact, inside their safe times (the send time
// is planned there), and never twice for one programme and period. A run
// that stops part-way can be run again: what was written stays, nothing
// is written twice. The report counts what was done and why the rest was
// not, without any personal data.
func (r *Runner) Run(ctx context.Context, a casefile.Actor, asOf civil.Date, opts RunOptions) (*Report, error) {
	if asOf.IsZero() {
		return nil, errors.New("outreach: a run needs a date (基準日)")
	}
	start := time.Now()
	now := r.svc.Now()
	if opts.RunID == "" {
		opts.RunID = "outreach-" + asOf.String() + "-" + now.In(jst).Format("150405")
	}
	rep := newReport(opts.RunID, asOf, opts.DryRun)
	var stats casefile.ScanStats
	cases := opts.Cases
	if cases == nil {
		cases = r.svc.OutreachCases(ctx, a, casefile.OutreachScan{RunID: opts.RunID, AsOf: asOf, PageSize: r.cfg.pageSize, Workers: r.cfg.workers, Stats: &stats})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The cases go to the eligibility batch (its workers screen them, the
	// results come back in order); cases refused before screening are
	// counted as they pass.
	var mu sync.Mutex
	var refused []string
	var srcErr error
	pending := map[string]casefile.OutreachCase{}
	households := func(yield func(*eligibility.Household) bool) {
		for oc, err := range cases {
			if err != nil {
				mu.Lock()
				srcErr = err
				mu.Unlock()
				return
			}
			mu.Lock()
			if oc.Refused != "" || oc.Household == nil {
				refused = append(refused, cmp.Or(oc.Refused, "record_error"))
				mu.Unlock()
				continue
			}
			pending[oc.CaseID] = oc
			mu.Unlock()
			if !yield(oc.Household) {
				return
			}
		}
	}
	b := eligibility.Batch{Engine: r.engine, AsOf: asOf, Workers: r.cfg.workers}
	if len(r.cfg.programs) > 0 {
		b.Options = []eligibility.ScreenOption{eligibility.OnlyPrograms(r.cfg.programs...)}
	}
	drain := func() {
		mu.Lock()
		rs := refused
		refused = nil
		mu.Unlock()
		for _, reason := range rs {
			rep.add(&caseResult{skipHousehold: reason})
		}
	}

	from := windowFrom(now, asOf)
	w := &writer{r: r, ctx: ctx, a: a, rep: rep, runID: opts.RunID, dry: opts.DryRun}
	lastProgress := time.Now()
	var runErr error
	for br, err := range b.Screen(ctx, households) {
		drain()
		if err != nil {
			runErr = err
			break
		}
		mu.Lock()
		oc := pending[br.Household.ID]
		delete(pending, br.Household.ID)
		mu.Unlock()
		var res caseResult
		switch {
		case br.Err != nil:
			res.skipHousehold = SkipScreening
		default:
			res.screened = true
			t0 := time.Now()
			r.filter(&oc, br.Screening, asOf, from, &res)
			res.filter = time.Since(t0)
		}
		rep.add(&res)
		if err := w.add(res.plans); err != nil {
			runErr = err
			break
		}
		if opts.Progress != nil && time.Since(lastProgress) > 200*time.Millisecond {
			lastProgress = time.Now()
			opts.Progress(Progress{Cases: rep.Cases, Planned: rep.Planned, Elapsed: time.Since(start)})
		}
	}
	drain()
	mu.Lock()
	if srcErr != nil && (runErr == nil || errors.Is(runErr, context.Canceled)) {
		runErr = srcErr // the cause, not the cancellation it caused
	}
	mu.Unlock()
	if runErr == nil {
		runErr = w.flush()
	}
	if runErr == nil && ctx.Err() != nil {
		runErr = ctx.Err()
	}
	rep.Timing.finish(time.Since(start), &stats, rep.Cases)
	if opts.Progress != nil {
		opts.Progress(Progress{Cases: rep.Cases, Planned: rep.Planned, Elapsed: time.Since(start)})
	}
	if runErr != nil {
		return rep, fmt.Errorf("outreach: run %s stopped after %d cases (run it again: nothing is written twice): %w", opts.RunID, rep.Cases, runErr)
	}
	return rep, nil
}

// plan is a notice to write, with its outbox key.
type plan struct {
	casefile.NotificationPlan
	key string
}

// caseResult is what became of one case.
type caseResult struct {
	skipHousehold string
	skipPrograms  []string
	screened      bool
	plans         []plan
	filter        time.Duration
}

// filter keeps the programmes worth a notice and plans their channels.
func (r *Runner) filter(oc *casefile.OutreachCase, s *eligibility.Screening, asOf civil.Date, from time.Time, res *caseResult) {
	cands := r.candidates(oc, s, func(reason string) { res.skipPrograms = append(res.skipPrograms, reason) })
	switch {
	case len(cands) == 0:
		res.skipHousehold = SkipNoNewProgramme
		return
	case !oc.Notify.Permitted:
		res.skipHousehold = "notify_" + oc.Notify.Reason
		return
	}
	cp := r.planChannels(oc, from)
	if cp.skip != "" {
		res.skipHousehold = cp.skip
		return
	}
	v := variant(oc.Notify)
	for _, c := range cands {
		p := casefile.NotificationPlan{CaseID: oc.CaseID, Program: c.program, Period: r.msgs.PeriodOf(c.program).Key(asOf),
			Outcome: "undetermined", Variant: v, Channels: cp.channels, Due: cp.due, WindowEnd: cp.end}
		if c.likely {
			p.Outcome = "eligible"
		}
		if c.amount != nil {
			p.AmountYen, p.AmountPer = c.amount.Yen, string(c.amount.Per)
		}
		res.plans = append(res.plans, plan{p, casefile.NotificationKey(oc.Subject, p.Program, p.Period)})
	}
}

// writer batches plans into PlanNotifications (or, in a dry run, only
// asks the outbox which already exist).
type writer struct {
	r     *Runner
	ctx   context.Context
	a     casefile.Actor
	rep   *Report
	runID string
	dry   bool
	batch []plan
	// seen holds a 64-bit hash of each key a dry run has counted, so that
	// the same person, programme and period met again in the run (a
	// person who is the subject of two cases) is counted as the real run
	// would count it: once. A hash rather than the key keeps a national
	// run's memory small (about 14 bytes per notice instead of about 100;
	// 3.75 million notices for 1.34 million households); two keys share a
	// hash with probability below 1e-6 in such a run, and a dry run would
	// then count one notice fewer.
	seen     map[uint64]struct{}
	seenSeed maphash.Seed
}

func (w *writer) add(plans []plan) error {
	w.batch = append(w.batch, plans...)
	if len(w.batch) >= w.r.cfg.planBatch {
		return w.flush()
	}
	return nil
}

func (w *writer) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	start := time.Now()
	defer func() { w.rep.Timing.Write += time.Since(start) }()
	batch := w.batch
	w.batch = nil
	if w.dry {
		return w.dryRun(batch)
	}
	plans := make([]casefile.NotificationPlan, len(batch))
	for i, p := range batch {
		plans[i] = p.NotificationPlan
	}
	res, err := w.r.svc.PlanNotifications(w.ctx, w.a, w.runID, plans)
	if err != nil {
		return err
	}
	for i, pr := range res {
		w.rep.planned(batch[i].Program, batch[i].Channels[0].Type, pr.Status, pr.Reason)
	}
	return nil
}

// dryRun counts the batch as planned, except what the outbox already has.
func (w *writer) dryRun(batch []plan) error {
	keys := make([]string, len(batch))
	for i, p := range batch {
		keys[i] = p.key
	}
	ns, err := w.r.svc.Notifications(w.ctx, w.a, casefile.NotificationQuery{Keys: keys})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, n := range ns {
		have[n.Key] = true
	}
	if w.seen == nil {
		w.seen, w.seenSeed = map[uint64]struct{}{}, maphash.MakeSeed()
	}
	for _, p := range batch {
		st := casefile.PlanPlanned
		h := maphash.String(w.seenSeed, p.key)
		if _, dup := w.seen[h]; have[p.key] || dup {
			st = casefile.PlanExists
		}
		w.seen[h] = struct{}{}
		w.rep.planned(p.Program, p.Channels[0].Type, st, "")
	}
	return nil
}
