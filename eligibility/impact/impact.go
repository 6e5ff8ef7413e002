package impact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"slices"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// Options configure a comparison.
type Options struct {
	// AsOf is the date the population is screened for. Required.
	AsOf civil.Date
	// Workers screen households at once; 0 means one per CPU.
	Workers int
	// Sample is the number of changed households kept, with both
	// explanations; 0 means DefaultSample, a negative number none.
	Sample int
	// Seed chooses the sample (the same seed, the same sample).
	Seed uint64
	// IncomeBands are the upper bounds, in yen and ascending, of the income
	// bands; nil means DefaultIncomeBands.
	IncomeBands []int64
	// Progress, when set, is called on the caller's goroutine after each
	// household, read or not: done households so far and, for Compare, the
	// bytes of the input read up to the end of that household's record
	// (0 for CompareHouseholds) — enough for a progress line.
	Progress func(done int, offset int64)
}

// DefaultSample is the number of changed households a report shows.
const DefaultSample = 10

// DefaultIncomeBands bound the income bands of a report: the applicant's
// 合計所得金額 of the year before the date studied, under 100万円,
// 100万〜150万円 … 500万円以上.
var DefaultIncomeBands = []int64{1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000}

// ErrOptions is wrapped by the errors of an unusable comparison.
var ErrOptions = errors.New("impact: invalid options")

// Report is what a reform changes for a population.
type Report struct {
	AsOf civil.Date `json:"as_of"`
	// Base and Reform are the rule sets, base pack first.
	Base   []eligibility.PackInfo `json:"base"`
	Reform []eligibility.PackInfo `json:"reform"`
	// Households screened under both rule sets.
	Households int `json:"households"`
	// Changed households: some programme's status or amount differs.
	Changed int `json:"changed"`
	// Gaining and Losing households: some programme gained, some lost (a
	// household may do both).
	Gaining int `json:"gaining"`
	Losing  int `json:"losing"`
	// Skipped records could not be read or screened; SkipErrors holds the
	// first MaxSkipErrors of their errors.
	Skipped    int      `json:"skipped"`
	SkipErrors []string `json:"skip_errors,omitempty"`
	// Programs are the programmes of either rule set: the base's in order,
	// then those only the reform has.
	Programs []ProgramImpact `json:"programs"`
	// Cost is the difference over all programmes.
	Cost Cost `json:"cost"`
	// ByIncome and BySize distribute the changes by the applicant's income
	// (IncomeLabel says which) and by the number of members.
	ByIncome    []Group `json:"by_income"`
	BySize      []Group `json:"by_size"`
	IncomeLabel string  `json:"income_label"`
	// Sample holds changed households, in input order, with both outcomes
	// of their changed programmes explained.
	Sample []Change `json:"sample"`
}

// MaxSkipErrors bounds Report.SkipErrors.
const MaxSkipErrors = 20

// ProgramImpact is what the reform changes in one programme.
type ProgramImpact struct {
	Program string `json:"program"`
	Name    string `json:"name"`
	// Per is the amounts' period ("" when neither rule set gives one).
	Per      eligibility.AmountPer `json:"per,omitempty"`
	InBase   bool                  `json:"in_base"`
	InReform bool                  `json:"in_reform"`
	// Gain: households that become eligible, or whose amount rises; Lose:
	// that stop being eligible, or whose amount falls.
	Gain int `json:"gain"`
	Lose int `json:"lose"`
	// AmountUp, AmountDown: eligible under both, with a higher or lower
	// amount.
	AmountUp   int `json:"amount_up"`
	AmountDown int `json:"amount_down"`
	// StatusChanged households have another status under the reform;
	// Transitions counts them by status before and after (a programme a
	// rule set does not have counts as 対象外 there).
	StatusChanged int          `json:"status_changed"`
	Transitions   []Transition `json:"transitions"`
	Cost          Cost         `json:"cost"`
	// Errors counts households for which a rule of the programme could not
	// be evaluated under either rule set.
	Errors int `json:"errors"`
}

// Transition counts the households whose status went From → To.
type Transition struct {
	From       eligibility.Status `json:"from"`
	To         eligibility.Status `json:"to"`
	Households int                `json:"households"`
}

// Cost is a difference of amounts paid, reform minus base, in exact yen.
type Cost struct {
	// Monthly is the difference of the monthly programmes, per month.
	Monthly int64 `json:"monthly"`
	// Yearly is per year: monthly programmes ×12 plus yearly programmes.
	Yearly int64 `json:"yearly"`
	// Once is the difference of one-off payments (一時金).
	Once int64 `json:"once"`
}

// Group is the changes in one income band or household size.
type Group struct {
	Label      string `json:"label"`
	Households int    `json:"households"`
	Changed    int    `json:"changed"`
	Gaining    int    `json:"gaining"`
	Losing     int    `json:"losing"`
	Cost       Cost   `json:"cost"`
}

// Change is a changed household of the sample.
type Change struct {
	// Index is the household's position in the input (0-based).
	Index       int    `json:"index"`
	HouseholdID string `json:"household_id"`
	// Programs are the ids of its changed programmes; Base and Reform their
	// outcomes under each rule set (with explanations), in that order; an
	// outcome is the zero Outcome when the programme is not in that rule set.
	Programs []string              `json:"programs"`
	Base     []eligibility.Outcome `json:"base"`
	Reform   []eligibility.Outcome `json:"reform"`
}

// Compare screens the households read from r (one household, a JSON array
// or JSON Lines; source names it in errors) under base and under reform,
// and reports the differences. A record that cannot be read or screened is
// counted as skipped; the comparison goes on.
func Compare(ctx context.Context, base, reform *eligibility.Engine, r io.Reader, source string, opts Options) (*Report, error) {
	return compare(ctx, base, reform, opts, func(b *eligibility.Batch) iter.Seq2[eligibility.BatchResult, error] {
		return b.ScreenJSON(ctx, r, source)
	})
}

// CompareHouseholds is Compare for households built in Go; hs is called on
// another goroutine.
func CompareHouseholds(ctx context.Context, base, reform *eligibility.Engine, hs iter.Seq[*eligibility.Household], opts Options) (*Report, error) {
	return compare(ctx, base, reform, opts, func(b *eligibility.Batch) iter.Seq2[eligibility.BatchResult, error] {
		return b.Screen(ctx, hs)
	})
}

func compare(ctx context.Context, base, reform *eligibility.Engine, opts Options, run func(*eligibility.Batch) iter.Seq2[eligibility.BatchResult, error]) (*Report, error) {
	if base == nil || reform == nil {
		return nil, fmt.Errorf("%w: both rule sets are required", ErrOptions)
	}
	if opts.AsOf.IsZero() {
		return nil, fmt.Errorf("%w: AsOf is required", ErrOptions)
	}
	bands := opts.IncomeBands
	if bands == nil {
		bands = DefaultIncomeBands
	}
	if !slices.IsSorted(bands) || len(bands) == 0 {
		return nil, fmt.Errorf("%w: IncomeBands must be ascending and not empty", ErrOptions)
	}
	sample := opts.Sample
	if sample == 0 {
		sample = DefaultSample
	}
	a := newAccumulator(base, reform, opts.AsOf, bands, max(sample, 0), opts.Seed)
	b := &eligibility.Batch{Engine: base, Compare: reform, AsOf: opts.AsOf, Workers: opts.Workers}
	done := 0
	for res, err := range run(b) {
		if err != nil {
			return nil, err
		}
		if res.Err != nil {
			a.skip(res.Err)
		} else if err := a.add(res.Index, res.Household, res.Screening, res.Compared); err != nil {
			return nil, err
		}
		if done++; opts.Progress != nil {
			opts.Progress(done, res.Offset)
		}
	}
	return a.report(ctx)
}

// accumulator adds households up into a report.
type accumulator struct {
	base, reform *eligibility.Engine
	r            Report
	byID         map[string]int // index in r.Programs
	transitions  []map[[2]eligibility.Status]int
	bands        []int64
	incomeYear   int
	size         int // of the sample
	rng          *rand.Rand
	changedSeen  int
	sample       []sampled
}

type sampled struct {
	index    int
	h        *eligibility.Household
	programs []string
}

func newAccumulator(base, reform *eligibility.Engine, asOf civil.Date, bands []int64, size int, seed uint64) *accumulator {
	a := &accumulator{base: base, reform: reform, byID: map[string]int{}, bands: bands, incomeYear: asOf.Year() - 1, size: size,
		rng: rand.New(rand.NewPCG(seed, 0x13b))}
	a.r.AsOf = asOf
	a.r.Base, a.r.Reform = base.Packs(), reform.Packs()
	a.r.IncomeLabel = fmt.Sprintf("申請者の合計所得金額（%d年分）", a.incomeYear)
	for _, p := range base.Programs() {
		a.program(p.ID, p.Name).InBase = true
	}
	for _, p := range reform.Programs() {
		a.program(p.ID, p.Name).InReform = true
	}
	for i := range len(bands) + 1 {
		a.r.ByIncome = append(a.r.ByIncome, Group{Label: bandLabel(bands, i)})
	}
	a.r.ByIncome = append(a.r.ByIncome, Group{Label: "不明"})
	for _, l := range sizeLabels {
		a.r.BySize = append(a.r.BySize, Group{Label: l})
	}
	return a
}

func (a *accumulator) program(id, name string) *ProgramImpact {
	if i, ok := a.byID[id]; ok {
		return &a.r.Programs[i]
	}
	a.byID[id] = len(a.r.Programs)
	a.r.Programs = append(a.r.Programs, ProgramImpact{Program: id, Name: name})
	a.transitions = append(a.transitions, map[[2]eligibility.Status]int{})
	return &a.r.Programs[len(a.r.Programs)-1]
}

func (a *accumulator) skip(err error) {
	a.r.Skipped++
	if len(a.r.SkipErrors) < MaxSkipErrors {
		a.r.SkipErrors = append(a.r.SkipErrors, err.Error())
	}
}

// add compares one household's two screenings.
func (a *accumulator) add(index int, h *eligibility.Household, base, reform *eligibility.Screening) error {
	a.r.Households++
	var hh Group // this household's changes
	var changed []string
	for i := range a.r.Programs {
		p := &a.r.Programs[i]
		ob, or := base.Outcome(p.Program), reform.Outcome(p.Program)
		c, err := diff(ob, or)
		if err != nil {
			return fmt.Errorf("impact: %s: %w", p.Program, err)
		}
		if ob != nil && ob.Error != nil || or != nil && or.Error != nil {
			p.Errors++
		}
		if p.Per == "" {
			p.Per = c.per
		}
		if !c.changed() {
			continue
		}
		changed = append(changed, p.Program)
		if c.from != c.to {
			p.StatusChanged++
			a.transitions[i][[2]eligibility.Status{c.from, c.to}]++
		}
		switch {
		case c.gain:
			p.Gain++
			hh.Gaining = 1
		case c.lose:
			p.Lose++
			hh.Losing = 1
		}
		switch {
		case c.amountUp:
			p.AmountUp++
		case c.amountDown:
			p.AmountDown++
		}
		if err := p.Cost.add(c.cost); err != nil {
			return err
		}
		if err := hh.Cost.add(c.cost); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		hh.Changed = 1
		a.r.Changed++
		a.keep(index, h, changed)
	}
	a.r.Gaining += hh.Gaining
	a.r.Losing += hh.Losing
	if err := a.r.Cost.add(hh.Cost); err != nil {
		return err
	}
	if err := a.r.ByIncome[a.incomeBand(h)].addHousehold(hh); err != nil {
		return err
	}
	return a.r.BySize[sizeGroup(h)].addHousehold(hh)
}

// keep samples changed households uniformly (reservoir sampling).
func (a *accumulator) keep(index int, h *eligibility.Household, programs []string) {
	a.changedSeen++
	s := sampled{index, h, programs}
	switch {
	case len(a.sample) < a.size:
		a.sample = append(a.sample, s)
	case a.size > 0:
		if j := a.rng.IntN(a.changedSeen); j < a.size {
			a.sample[j] = s
		}
	}
}

func (g *Group) addHousehold(hh Group) error {
	g.Households++
	g.Changed += hh.Changed
	g.Gaining += hh.Gaining
	g.Losing += hh.Losing
	return g.Cost.add(hh.Cost)
}

// errOverflow is a sum of yen beyond int64: not a population.
var errOverflow = errors.New("the sum of amounts overflows")

func (c *Cost) add(d Cost) error {
	var ok1, ok2, ok3 bool
	c.Monthly, ok1 = addYen(c.Monthly, d.Monthly)
	c.Yearly, ok2 = addYen(c.Yearly, d.Yearly)
	c.Once, ok3 = addYen(c.Once, d.Once)
	if !ok1 || !ok2 || !ok3 {
		return errOverflow
	}
	return nil
}

// addYen adds exactly, reporting overflow.
func addYen(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0) || b == 0
}

// programDiff is one programme's change for one household.
type programDiff struct {
	from, to             eligibility.Status
	gain, lose           bool
	amountUp, amountDown bool
	cost                 Cost
	per                  eligibility.AmountPer
}

func (c programDiff) changed() bool {
	return c.from != c.to || c.amountUp || c.amountDown || c.cost != Cost{}
}

// status is an outcome's status; a programme a rule set does not have
// counts as 対象外 there (a new programme changes nothing for a household
// that does not qualify).
func status(o *eligibility.Outcome) eligibility.Status {
	if o == nil {
		return eligibility.Ineligible
	}
	return o.Status
}

// paid is what an outcome pays: its amount when eligible.
func paid(o *eligibility.Outcome) (int64, eligibility.AmountPer) {
	if o == nil || o.Status != eligibility.Eligible || o.Amount == nil {
		return 0, ""
	}
	return o.Amount.Yen, o.Amount.Per
}

func diff(base, reform *eligibility.Outcome) (programDiff, error) {
	c := programDiff{from: status(base), to: status(reform)}
	by, bper := paid(base)
	ry, rper := paid(reform)
	c.per = rper
	if c.per == "" {
		c.per = bper
	}
	eb, er := c.from == eligibility.Eligible, c.to == eligibility.Eligible
	c.gain = !eb && er || eb && er && ry > by
	c.lose = eb && !er || eb && er && ry < by
	c.amountUp = eb && er && ry > by
	c.amountDown = eb && er && ry < by
	var err error
	if c.cost, err = costOf(ry, rper); err != nil {
		return c, err
	}
	minus, err := costOf(-by, bper)
	if err != nil {
		return c, err
	}
	return c, c.cost.add(minus)
}

// costOf is an amount paid, by period.
func costOf(yen int64, per eligibility.AmountPer) (Cost, error) {
	switch per {
	case eligibility.PerMonth:
		year := yen * 12
		if year/12 != yen {
			return Cost{}, errOverflow
		}
		return Cost{Monthly: yen, Yearly: year}, nil
	case eligibility.PerYear:
		return Cost{Yearly: yen}, nil
	case eligibility.PerOnce:
		return Cost{Once: yen}, nil
	}
	return Cost{}, nil
}

// report finishes the report: transitions in order, and the sample
// explained under both rule sets.
func (a *accumulator) report(ctx context.Context) (*Report, error) {
	for i := range a.r.Programs {
		for k, n := range a.transitions[i] {
			a.r.Programs[i].Transitions = append(a.r.Programs[i].Transitions, Transition{From: k[0], To: k[1], Households: n})
		}
		slices.SortFunc(a.r.Programs[i].Transitions, func(x, y Transition) int {
			if c := statusRank(x.From) - statusRank(y.From); c != 0 {
				return c
			}
			return statusRank(x.To) - statusRank(y.To)
		})
	}
	slices.SortFunc(a.sample, func(x, y sampled) int { return x.index - y.index })
	for _, s := range a.sample {
		c := Change{Index: s.index, HouseholdID: s.h.ID, Programs: s.programs}
		base, err := explained(ctx, a.base, s.h, a.r.AsOf, s.programs)
		if err != nil {
			return nil, err
		}
		reform, err := explained(ctx, a.reform, s.h, a.r.AsOf, s.programs)
		if err != nil {
			return nil, err
		}
		c.Base, c.Reform = base, reform
		a.r.Sample = append(a.r.Sample, c)
	}
	return &a.r, nil
}

func statusRank(s eligibility.Status) int {
	switch s {
	case eligibility.Eligible:
		return 0
	case eligibility.Undetermined:
		return 1
	case eligibility.Ineligible:
		return 2
	}
	return 3 // not reached: statuses are the three above
}

// explained screens h again with explanations for the programmes; a
// programme the engine does not have is the zero Outcome.
func explained(ctx context.Context, e *eligibility.Engine, h *eligibility.Household, asOf civil.Date, programs []string) ([]eligibility.Outcome, error) {
	have := map[string]bool{}
	for _, p := range e.Programs() {
		have[p.ID] = true
	}
	var ids []string
	for _, id := range programs {
		if have[id] {
			ids = append(ids, id)
		}
	}
	out := make([]eligibility.Outcome, len(programs))
	if len(ids) == 0 {
		return out, nil
	}
	s, err := e.Screen(ctx, h, asOf, eligibility.WithExplanations(), eligibility.OnlyPrograms(ids...))
	if err != nil {
		return nil, err
	}
	for i, id := range programs {
		if o := s.Outcome(id); o != nil {
			out[i] = *o
		}
	}
	return out, nil
}
