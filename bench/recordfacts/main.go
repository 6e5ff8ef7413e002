// Command recordfacts measures what record format 2 (the household facts
// a case record now holds: applicant role, de-facto partner, 級地,
// supported, in a facility, residence in Japan, school, insurance,
// pension, the disability judgements, local facts) changes for screening
// from case records. It generates synthetic households
// (internal/population: no real person), converts each family's records
// with casefile.ToHousehold (every category visible, so only the record
// format differs), and screens three versions of each household with the
// national pack on one date:
//
//   - format 1: the household with every format-2 fact cleared — what a
//     record of the earlier format gave screening;
//   - format 2: the household as the record now gives it;
//   - source: the synthetic household the records were made from.
//
// It prints, for each, the programmes decided (eligible or ineligible)
// per household, the households with more programmes decided than format
// 1 gives, the undetermined outcomes, and how many outcomes differ from
// the source's; then the undetermined outcomes by programme and by the
// fact they miss.
//
// With --outreach it also runs outreach on the population written in
// each format (consent, support in use and every filter applied, notices
// written to a memory store) and counts the notices by the outcome they
// state: eligible (「受けられる可能性があります」) or undetermined
// (「確認させてください」).
//
//	go run ./bench/recordfacts --households 5000 --outreach
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/memstore"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/consent"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/population"
	"github.com/onestop-jp/onestop/outreach"
	"github.com/onestop-jp/onestop/packs"
)

func main() {
	n := flag.Int("households", 5000, "households to generate")
	seed := flag.Uint64("seed", 2026, "generator seed")
	notices := flag.Bool("outreach", false, "also run outreach (consent, support in use and filters included) on each format and count the notices")
	flag.Parse()
	if err := run(*n, *seed, *notices); err != nil {
		fmt.Fprintln(os.Stderr, "recordfacts:", err)
		os.Exit(1)
	}
}

var asOf = civil.MustDate(2026, 12, 4)

// tally counts the outcomes of one version of the households.
type tally struct {
	households, outcomes, undetermined, differ int
	// decided counts, per household, the programmes decided (eligible or
	// ineligible); newlyDecided the households with a programme decided
	// that format 1 left undetermined.
	decided      []int
	newlyDecided int
	// differReceiving counts the outcomes that differ where the source's
	// was undetermined for the support in use (receiving) among others:
	// the record holds the municipality's support in use, synth leaves it
	// unknown in some households.
	differReceiving int
	byProgram       map[string]int // undetermined outcomes by programme
	byField         map[string]int // undetermined outcomes naming a missing field
}

func newTally() *tally { return &tally{byProgram: map[string]int{}, byField: map[string]int{}} }

func (t *tally) add(s *eligibility.Screening, source map[string]eligibility.Outcome) {
	t.households++
	n := 0 // undetermined
	for _, o := range s.Results {
		t.outcomes++
		if src := source[o.Program]; o.Status != src.Status {
			t.differ++
			if slices.ContainsFunc(src.Missing, func(m eligibility.Missing) bool { return m.Field == "receiving" }) {
				t.differReceiving++
			}
		}
		if o.Status != eligibility.Undetermined {
			continue
		}
		n++
		t.undetermined++
		t.byProgram[o.Program]++
		seen := map[string]bool{}
		for _, m := range o.Missing {
			if !seen[m.Field] {
				seen[m.Field] = true
				t.byField[m.Field]++
			}
		}
	}
	t.decided = append(t.decided, len(s.Results)-n)
}

func run(n int, seed uint64, notices bool) error {
	ctx := context.Background()
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		return err
	}
	eng, err := eligibility.Compile([]*eligibility.Pack{nat})
	if err != nil {
		return err
	}
	g, err := population.New(population.Default(seed, tenant, desk, asOf))
	if err != nil {
		return err
	}
	all := consent.Categories(consent.AllCategories()...)
	old, cur, src := newTally(), newTally(), newTally()
	for i := 0; i < n; i++ {
		f := g.Next()
		r := f.Record(tenant) // synth's municipality: only the record format differs
		vis := casefile.Visible{}
		for id := range r.Persons {
			vis[id] = all
		}
		h2, err := casefile.ToHousehold(r, asOf, vis)
		if err != nil {
			return fmt.Errorf("family %d: %w", i, err)
		}
		h1 := format1(h2)
		ss, err := eng.Screen(ctx, f.Source, asOf)
		if err != nil {
			return fmt.Errorf("family %d (source): %w", i, err)
		}
		want := map[string]eligibility.Outcome{}
		for _, o := range ss.Results {
			want[o.Program] = o
		}
		src.add(ss, want)
		for _, v := range []struct {
			h *eligibility.Household
			t *tally
		}{{&h1, old}, {&h2, cur}} {
			s, err := eng.Screen(ctx, v.h, asOf)
			if err != nil {
				return fmt.Errorf("family %d: %w", i, err)
			}
			v.t.add(s, want)
		}
	}
	fmt.Printf("%d households (population seed %d, synth unknown %d%%), national pack, as of %s, every category visible\n\n",
		n, seed, population.Default(seed, "x", "y", asOf).Unknown, asOf)
	for i := range cur.decided {
		if cur.decided[i] > old.decided[i] {
			cur.newlyDecided++
		}
		if src.decided[i] > old.decided[i] {
			src.newlyDecided++
		}
	}
	fmt.Printf("%-9s %16s %24s %22s %20s %s\n", "record", "decided/household", "households more decided", "undetermined outcomes", "outcomes != source", "(of which source undetermined for receiving)")
	for _, row := range []struct {
		name string
		t    *tally
	}{{"format 1", old}, {"format 2", cur}, {"source", src}} {
		t := row.t
		sum := 0
		for _, d := range t.decided {
			sum += d
		}
		fmt.Printf("%-9s %10.2f of %d %15d (%5.1f%%) %14d (%5.1f%%) %12d (%5.1f%%) %d\n", row.name,
			float64(sum)/float64(t.households), t.outcomes/t.households, t.newlyDecided, pct(t.newlyDecided, t.households),
			t.undetermined, pct(t.undetermined, t.outcomes), t.differ, pct(t.differ, t.outcomes), t.differReceiving)
	}
	if notices {
		fmt.Printf("\noutreach run (population's consent mix, support in use, every filter), notices written:\n")
		fmt.Printf("%-9s %20s %8s %22s %26s %s\n", "record", "households notified", "notices", "eligible (受けられる可能性)", "undetermined (確認させて)", "programmes left out by reason")
		for _, f1 := range []bool{true, false} {
			o, err := outreachRun(ctx, eng, n, seed, f1)
			if err != nil {
				return err
			}
			name := "format 2"
			if f1 {
				name = "format 1"
			}
			fmt.Printf("%-9s %6d (%d with eligible) %8d %14d (%5.1f%%) %18d (%5.1f%%) %v\n", name, o.households, o.withEligible, o.rep.Planned, o.eligible, pct(o.eligible, o.rep.Planned),
				o.undetermined, pct(o.undetermined, o.rep.Planned), o.rep.Programmes)
		}
	}
	fmt.Printf("\nundetermined outcomes by programme: format 1 -> format 2 (source)\n")
	for _, p := range keys(old.byProgram, cur.byProgram, src.byProgram) {
		fmt.Printf("  %-40s %6d -> %6d (%6d)\n", p, old.byProgram[p], cur.byProgram[p], src.byProgram[p])
	}
	fmt.Printf("\nundetermined outcomes naming a missing fact: format 1 -> format 2 (source), most frequent first\n")
	fs := keys(old.byField, cur.byField, src.byField)
	sort.SliceStable(fs, func(i, j int) bool {
		return old.byField[fs[i]]+cur.byField[fs[i]] > old.byField[fs[j]]+cur.byField[fs[j]]
	})
	for _, f := range fs[:min(len(fs), 25)] {
		fmt.Printf("  %-40s %6d -> %6d (%6d)\n", f, old.byField[f], cur.byField[f], src.byField[f])
	}
	return nil
}

const (
	tenant = "131016"
	desk   = "hitorioya-desk"
)

// outreachResult is one outreach run's report and its notices by outcome.
type outreachResult struct {
	rep                    *outreach.Report
	eligible, undetermined int
	// households notified, and of them those told of a programme they may
	// be eligible for (not only asked to confirm)
	households, withEligible int
}

// outreachRun writes the population (format 1: without the facts that
// format could not hold) to a memory store and runs outreach on it,
// writing the notices.
func outreachRun(ctx context.Context, eng *eligibility.Engine, n int, seed uint64, format1 bool) (outreachResult, error) {
	var out outreachResult
	cfg := population.Default(seed, tenant, desk, asOf)
	cfg.Now = time.Date(2026, 12, 2, 10, 0, 0, 0, jst)
	g, err := population.New(cfg)
	if err != nil {
		return out, err
	}
	fams := make([]*population.Family, n)
	for i := range fams {
		fams[i] = g.Next()
		if format1 {
			clearFormat2(fams[i])
		}
	}
	st := memstore.New()
	if err := population.Write(ctx, st, tenant, fams, 500); err != nil {
		return out, err
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, jst)
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{"outreach": casefile.PermRead | casefile.PermWrite},
		Now: func() time.Time { return now }})
	if err != nil {
		return out, err
	}
	msgs, err := outreach.DefaultMessages(outreach.Desk{Name: "ひとり親相談窓口", Sender: "試験市", Phone: "03-0000-0000"})
	if err != nil {
		return out, err
	}
	r, err := outreach.New(svc, eng, msgs)
	if err != nil {
		return out, err
	}
	a := casefile.Actor{Tenant: tenant, User: "recordfacts", Org: desk, Role: "outreach"}
	if out.rep, err = r.Run(ctx, a, asOf, outreach.RunOptions{}); err != nil {
		return out, err
	}
	after := ""
	persons := map[string]bool{} // notified subject -> has an eligible notice
	for {
		ns, err := svc.Notifications(ctx, a, casefile.NotificationQuery{Org: desk, AfterID: after, Limit: 1000})
		if err != nil {
			return out, err
		}
		for _, x := range ns {
			persons[x.PersonID] = persons[x.PersonID] || x.Outcome == "eligible"
			switch x.Outcome {
			case "eligible":
				out.eligible++
			case "undetermined":
				out.undetermined++
			}
		}
		if len(ns) < 1000 {
			break
		}
		after = ns[len(ns)-1].ID
	}
	out.households = len(persons)
	for _, e := range persons {
		if e {
			out.withEligible++
		}
	}
	return out, nil
}

var jst = time.FixedZone("JST", 9*3600)

// clearFormat2 removes from a family's records the facts format 1 could
// not hold.
func clearFormat2(f *population.Family) {
	c := &f.Case
	c.ApplicantRole, c.DeFactoPartner, c.GradeArea, c.Local = "", nil, nil, nil
	for i := range f.Members {
		f.Members[i].Supported, f.Members[i].InFacility = nil, nil
	}
	for i := range f.Persons {
		p := &f.Persons[i]
		p.ResidesInJapan, p.School, p.SchoolPrivate, p.HealthInsurance, p.PensionCategory = nil, "", nil, "", ""
		if p.Disability != nil {
			p.Disability.AllowanceLevel, p.Disability.SpecialChildGrade, p.Disability.ConstantCare = nil, "", nil
		}
	}
}

// format1 clears the facts a record of format 1 could not hold.
func format1(h eligibility.Household) eligibility.Household {
	h.ApplicantRole, h.DeFactoPartner, h.GradeArea, h.Extra = nil, nil, nil, nil
	ms := make([]eligibility.Member, len(h.Members))
	for i, m := range h.Members {
		m.Supported, m.InFacility, m.ResidesInJapan = nil, nil, nil
		m.School, m.SchoolPrivate, m.HealthInsurance, m.PensionCategory = nil, nil, nil, nil
		if m.Disability != nil {
			d := *m.Disability
			d.AllowanceLevel, d.SpecialChildGrade, d.ConstantCare = nil, nil, nil
			m.Disability = &d
		}
		ms[i] = m
	}
	h.Members = ms
	return h
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func keys(ms ...map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
