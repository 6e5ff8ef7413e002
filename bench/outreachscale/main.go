// Command outreachscale measures an outreach run at national scale: it
// generates households (internal/population: synthetic, no real person)
// into a SQLite store once, then screens and filters all of them in one
// streaming run and reports households per second, peak RSS, memory over
// the run, and where the CPU time went (store, consent decisions,
// screening, filtering, audit, garbage collection) from a CPU profile.
//
//	go run ./bench/outreachscale --db /tmp/outreach.db --households 1340000
//
// 1,340,000 is about the number of single-parent households in Japan. The
// command is not part of the tests (CI stays fast); outreach's
// BenchmarkRun and TestScaleSmall run the same path on a few thousand.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/population"
	"github.com/onestop-jp/onestop/outreach"
	"github.com/onestop-jp/onestop/packs"
)

const (
	tenant = "131016"
	desk   = "hitorioya-desk"
)

func main() {
	db := flag.String("db", "/tmp/outreach-scale.db", "SQLite file (generated when it holds fewer households)")
	runnerScan := flag.Bool("runner-scan", false, "let Runner.Run read the desk's cases itself (every case of the file; --skip and --households then only size the generation)")
	skip := flag.Int("skip", 0, "start after the first SKIP cases of the file (id order)")
	n := flag.Int("households", 1_340_000, "households to screen (the first ones of the file, generated when it holds fewer)")
	genOnly := flag.Bool("generate-only", false, "only generate")
	write := flag.Bool("write", false, "write the notices (default: a dry run, which screens and filters everything and writes no notice)")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "workers")
	page := flag.Int("page", 512, "cases per read transaction")
	cpuprofile := flag.String("cpuprofile", "", "write the run's CPU profile here")
	memprofile := flag.String("memprofile", "", "write heap profiles (after a GC: the live heap) to PATH.10, PATH.50 and PATH.90 at those percentages of the run")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // as onestop outreach does
	}
	if err := run(*db, *runnerScan, *skip, *n, *genOnly, *write, *workers, *page, *cpuprofile, *memprofile); err != nil {
		fmt.Fprintln(os.Stderr, "outreachscale:", err)
		os.Exit(1)
	}
}

var asOf = civil.MustDate(2026, 12, 4)

func run(db string, runnerScan bool, skip, n int, genOnly, write bool, workers, page int, cpuprofile, memprofile string) error {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	have, err := countCases(ctx, st)
	if err != nil {
		return err
	}
	if have < n {
		// Loading millions of rows touches six B-trees at once: give the
		// one writer connection a page cache of 512 MB for it.
		if _, err := st.DB().ExecContext(ctx, `PRAGMA cache_size = -524288`); err != nil {
			return err
		}
		if err := generate(ctx, st, have, n); err != nil {
			return err
		}
	}
	if genOnly {
		return nil
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{"outreach": casefile.PermRead | casefile.PermWrite},
		Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	nat, err := eligibility.LoadPack(packs.National(), "packs/national")
	if err != nil {
		return err
	}
	eng, err := eligibility.Compile([]*eligibility.Pack{nat})
	if err != nil {
		return err
	}
	msgs, err := outreach.DefaultMessages(outreach.Desk{Name: "ひとり親相談窓口", Sender: "試験市", Phone: "03-0000-0000"})
	if err != nil {
		return err
	}
	r, err := outreach.New(svc, eng, msgs, outreach.WithWorkers(workers), outreach.WithPageSize(page), outreach.WithPlanBatch(2000))
	if err != nil {
		return err
	}
	var prof *os.File
	if cpuprofile != "" {
		if prof, err = os.Create(cpuprofile); err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(prof); err != nil {
			return err
		}
	}
	mem := startSampling()
	actor := casefile.Actor{Tenant: tenant, User: "outreach-scale", Org: desk, Role: "outreach"}
	start := time.Now()
	cpu0 := cpuTime()
	var shown time.Duration
	heapNext := 0
	// The desk's cases in id order, the first n of them (the file may
	// hold more), read as Runner.Run reads them by default.
	var stats casefile.ScanStats
	var after string
	if skip > 0 {
		if err := st.DB().QueryRowContext(ctx, `SELECT id FROM records WHERE tenant_id = ? AND kind = 'case' ORDER BY id LIMIT 1 OFFSET ?`, tenant, skip-1).Scan(&after); err != nil {
			return fmt.Errorf("--skip %d: %w", skip, err)
		}
	}
	scan := svc.OutreachCases(ctx, actor, casefile.OutreachScan{RunID: "outreachscale", After: after, PageSize: page, Workers: workers, Stats: &stats})
	firstN := func(yield func(casefile.OutreachCase, error) bool) {
		i := 0
		for oc, err := range scan {
			if i == n || !yield(oc, err) {
				return
			}
			i++
		}
	}
	cases := iter.Seq2[casefile.OutreachCase, error](firstN)
	if runnerScan {
		cases = nil
	}
	rep, err := r.Run(ctx, actor, asOf, outreach.RunOptions{DryRun: !write, RunID: "outreachscale", Cases: cases, Progress: func(p outreach.Progress) {
		// Heap profiles at a tenth, half and nine tenths of the run:
		// `go tool pprof -diff_base` of two shows what grows.
		if memprofile != "" && heapNext < 3 && p.Cases >= []int{n / 10, n / 2, n * 9 / 10}[heapNext] {
			path := fmt.Sprintf("%s.%d", memprofile, []int{10, 50, 90}[heapNext])
			heapNext++
			if err := writeHeap(path); err != nil {
				fmt.Fprintln(os.Stderr, "outreachscale: heap profile:", err)
			}
		}
		if p.Elapsed-shown >= 10*time.Second {
			shown = p.Elapsed
			fmt.Fprintf(os.Stderr, "%s %d households, %.0f/s, RSS %s\n", p.Elapsed.Round(time.Second), p.Cases, float64(p.Cases)/p.Elapsed.Seconds(), mb(currentRSS()))
		}
	}})
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	samples := mem.stop()
	if prof != nil {
		pprof.StopCPUProfile()
		prof.Close()
	}
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("households %d in %s: %.0f households/s (workers %d, GOMAXPROCS %d, page %d, dry run %v)\n",
		rep.Cases, elapsed.Round(time.Millisecond), float64(rep.Cases)/elapsed.Seconds(), workers, runtime.GOMAXPROCS(0), page, !write)
	fmt.Printf("screened %d, notices %d, skipped households %d\n", rep.Screened, rep.Planned, rep.SkippedHouseholds())
	fmt.Printf("households skipped by reason %v\nprogrammes left out by reason %v\nnotices by programme and channel %v\n", rep.Households, rep.Programmes, rep.Notices)
	// On a shared machine the wall clock counts other processes' time too;
	// the process's own CPU time is what the run costs.
	fmt.Printf("CPU time of the run (user+sys) %s: %.0f µs per household, %.0f households per CPU-second; load average at the end %s\n",
		cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(max(rep.Cases, 1)), float64(rep.Cases)/cpu.Seconds(), loadAverage())
	t := rep.Timing
	ms := func(ns int64) time.Duration { return time.Duration(ns).Round(time.Millisecond) }
	fmt.Printf("timers (summed over goroutines): store read %s, decode+consent %s, audit %s, filter %s, write %s\n",
		ms(stats.Read.Load()), ms(stats.Decide.Load()), ms(stats.AuditTime.Load()), t.Filter.Round(time.Millisecond), t.Write.Round(time.Millisecond))
	fmt.Printf("peak RSS %s; RSS over the run (10%%…100%%): %s\n", mb(peakRSS()), samples)
	if cpuprofile != "" {
		if err := split(cpuprofile); err != nil {
			return err
		}
	}
	return nil
}

// countCases counts the cases of the tenant.
func countCases(ctx context.Context, st *sqlstore.Store) (int, error) {
	var n int
	err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM records WHERE tenant_id = ? AND kind = 'case'`, tenant).Scan(&n)
	return n, err
}

// generate adds households have…n-1, generating on the other cores while
// the one SQLite writer writes.
func generate(ctx context.Context, st *sqlstore.Store, have, n int) error {
	start := time.Now()
	cfg := population.Default(uint64(have)+1, tenant, desk, asOf)
	cfg.Now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))
	g, err := population.New(cfg)
	if err != nil {
		return err
	}
	const batch = 2000
	batches := make(chan []*population.Family, 4)
	var genErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(batches)
		for done := have; done < n; {
			k := min(batch, n-done)
			fs := make([]*population.Family, k)
			for i := range fs {
				fs[i] = g.Next()
			}
			batches <- fs
			done += k
		}
	}()
	done := have
	for fs := range batches {
		if err := population.Write(ctx, st, tenant, fs, batch); err != nil {
			genErr = err
			break
		}
		done += len(fs)
		fmt.Fprintf(os.Stderr, "\rgenerated %d/%d households (%.0f/s)   ", done, n, float64(done-have)/time.Since(start).Seconds())
	}
	for range batches {
	}
	wg.Wait()
	fmt.Fprintln(os.Stderr)
	if genErr != nil {
		return genErr
	}
	fmt.Printf("generated %d households in %s\n", n-have, time.Since(start).Round(time.Second))
	return nil
}

// sampler records the resident set size every half second.
type sampler struct {
	stopc chan struct{}
	done  chan []int64
}

func startSampling() *sampler {
	s := &sampler{stopc: make(chan struct{}), done: make(chan []int64, 1)}
	go func() {
		var rs []int64
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				rs = append(rs, currentRSS())
			case <-s.stopc:
				s.done <- rs
				return
			}
		}
	}()
	return s
}

// stop returns the RSS at each tenth of the run.
func (s *sampler) stop() string {
	close(s.stopc)
	rs := <-s.done
	if len(rs) == 0 {
		return "-"
	}
	var parts []string
	for i := 1; i <= 10; i++ {
		parts = append(parts, mb(rs[min(len(rs)-1, i*len(rs)/10)]))
	}
	return strings.Join(parts, " ")
}

func mb(b int64) string { return fmt.Sprintf("%dMB", b>>20) }

// writeHeap writes the live heap's profile.
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "-"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// currentRSS and peakRSS read /proc/self/status (VmRSS, VmHWM).
func currentRSS() int64 { return procStatus("VmRSS:") }
func peakRSS() int64    { return procStatus("VmHWM:") }

func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// split attributes the CPU profile's samples to the parts of the run, by
// the stacks `go tool pprof -traces` prints (the profile carries its
// symbols), with the category of the first frame, from the leaf, that
// names one.
func split(path string) error {
	out, err := exec.Command("go", "tool", "pprof", "-traces", path).Output()
	if err != nil {
		return fmt.Errorf("go tool pprof -traces: %w", err)
	}
	totals := map[string]time.Duration{}
	var all time.Duration
	for _, block := range strings.Split(string(out), "-----------+-------------------------------------------------------") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 0 {
			continue
		}
		first := strings.Fields(lines[0])
		if len(first) < 2 {
			continue
		}
		d, err := time.ParseDuration(first[0])
		if err != nil {
			continue
		}
		var fns []string
		for i, l := range lines {
			f := strings.Fields(l)
			if i == 0 && len(f) > 1 {
				fns = append(fns, f[1])
			} else if i > 0 && len(f) > 0 {
				fns = append(fns, f[0])
			}
		}
		all += d
		totals[category(fns)] += d
	}
	type kv struct {
		k string
		v time.Duration
	}
	var rows []kv
	for k, v := range totals {
		rows = append(rows, kv{k, v})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].v > rows[j].v })
	fmt.Printf("CPU %s in total (profile):\n", all.Round(time.Millisecond))
	for _, r := range rows {
		fmt.Printf("  %-34s %10s  %5.1f%%\n", r.k, r.v.Round(time.Millisecond), 100*float64(r.v)/float64(all))
	}
	return nil
}

// category names the part of the run a stack (leaf first) belongs to.
func category(fns []string) string {
	has := func(sub string) bool {
		for _, f := range fns {
			if strings.Contains(f, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case has("runtime.gcBgMarkWorker") || has("runtime.gcAssist") || has("runtime.bgsweep") || has("runtime.bgscavenge"):
		return "garbage collection"
	case has("casefile.outreachReadRecords") || has("flushAudit") || has("casefile.(*Service).auditPage"):
		return "audit (scan pages)"
	case has("casefile.(*Service).readPages"):
		return "store: read (SQLite, rows)"
	case has("consent.Compile") || has("consent.Replay"):
		return "consent: compile the logs"
	case has("casefile.decodeRaw"):
		return "store: decode rows (JSON)"
	case has("casefile.(*Service).decideOutreach"):
		return "consent: decisions, views"
	case has("eligibility.(*Engine).Screen") || has("eligibility.(*Batch)"):
		return "screening (eligibility)"
	case has("outreach.(*Runner).filter") || has("outreach.(*Runner).candidates") || has("outreach.ParseSafeTimes"):
		return "filtering (outreach)"
	case has("outreach.(*writer)") || has("PlanNotifications") || has("Notifications"):
		return "write / outbox"
	}
	return "other (scheduler, channels)"
}
