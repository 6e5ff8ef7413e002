package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/onestop-jp/onestop/civil"

	"github.com/onestop-jp/onestop/eligibility"
)

const screenUsage = "onestop screen [--as-of 日付] [--pack DIR]... [--format table|json] [--explain] [--program ID]... [--workers N] FILE...\n\n" +
	"  FILE は世帯1件の JSON、世帯の JSON 配列、または JSON Lines（1行1世帯）。- は標準入力。\n" +
	"  --pack を省略すると組み込みの全国パック（jp-national）で判定します。"

func cmdScreen(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("screen", screenUsage, stderr)
	var asOf dateFlag
	var packDirs, programs listFlag
	fs.Var(&asOf, "as-of", "基準日（2025-06-01、令和7年6月1日、R7.6.1 など。省略時は今日）")
	fs.Var(&packDirs, "pack", "ルールパックのフォルダ（繰り返すと後のパックを前のパックに重ねます）")
	format := fs.String("format", "table", "出力形式: table（表）または json（1世帯1行の JSON）")
	explain := fs.Bool("explain", false, "判定の理由（要件ごとの結果・計算の途中の値・使ったパラメータと出典）も出す")
	fs.Var(&programs, "program", "この制度だけ判定する（制度ID。繰り返し可）")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "同時に判定する数（既定は CPU の数）。出力は入力の順のまま")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "onestop screen: --format は table か json です（%q）\n", *format)
		return 2
	}
	if *workers < 1 {
		fmt.Fprintln(stderr, "onestop screen: --workers は 1 以上にしてください")
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "onestop screen: 判定する世帯のファイルを指定してください（標準入力は -）")
		fs.Usage()
		return 2
	}
	eng, err := loadEngine(packDirs)
	if err != nil {
		printLoadError(stderr, err)
		return 2
	}
	if msg := checkProgramIDs(eng, programs); msg != "" {
		fmt.Fprintf(stderr, "onestop screen: %s\n", msg)
		return 2
	}
	date := asOf.d
	if !asOf.set {
		date = today()
	}
	var opts []eligibility.ScreenOption
	if *explain {
		opts = append(opts, eligibility.WithExplanations())
	}
	if len(programs) > 0 {
		opts = append(opts, eligibility.OnlyPrograms(programs...))
	}
	// Screening a file keeps a few households in memory at a time, so the
	// heap stays small and the collector would otherwise run very often:
	// trade some memory for throughput unless the operator chose GOGC.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	out := bufio.NewWriterSize(stdout, 64*1024)
	defer out.Flush()
	var render func([]byte, *eligibility.Screening) []byte
	if *format == "json" {
		render = func(dst []byte, s *eligibility.Screening) []byte { return append(s.AppendJSON(dst), '\n') }
	} else {
		t := &tableWriter{explain: *explain}
		render = t.appendTable
	}
	p := pipeline{eng: eng, date: date, opts: opts, render: render, workers: *workers, out: out, stderr: stderr}
	for _, name := range files {
		if err := p.file(ctx, name, stdin); err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "onestop screen: %v\n", err)
			if ctx.Err() != nil {
				return 130
			}
			return 2
		}
	}
	if *format == "table" {
		fmt.Fprintf(out, "%d 世帯を判定しました（基準日 %s）。", p.screened, dateLabel(date))
		if p.bad > 0 {
			fmt.Fprintf(out, "読み込めなかった世帯 %d 件（エラー出力を確認してください）。", p.bad)
		}
		fmt.Fprintln(out)
	}
	if p.bad > 0 {
		return 1
	}
	return 0
}

// checkProgramIDs checks --program ids against the packs: "" when all
// exist, else one message for the first unknown id, with the id it was
// probably meant to be, or the ids there are.
func checkProgramIDs(eng *eligibility.Engine, ids []string) string {
	var known []string
	for _, p := range eng.Programs() {
		known = append(known, p.ID)
	}
	for _, id := range ids {
		if slices.Contains(known, id) {
			continue
		}
		if s := closestName(id, known); s != "" {
			return fmt.Sprintf("--program の制度ID %q はルールパックにありません（もしかして %q？）", id, s)
		}
		return fmt.Sprintf("--program の制度ID %q はルールパックにありません（制度ID: %s）", id, strings.Join(known, ", "))
	}
	return ""
}

// pipeline screens households in parallel and writes them in input order.
// One goroutine reads (the stream is sequential), workers screen and
// render, and the writer puts results back in order; at most a few
// households per worker are in memory at a time, whatever the input size.
type pipeline struct {
	eng      *eligibility.Engine
	date     civil.Date
	opts     []eligibility.ScreenOption
	render   func([]byte, *eligibility.Screening) []byte
	workers  int
	out      io.Writer
	stderr   io.Writer
	screened int
	bad      int
}

type screenJob struct {
	seq int
	h   *eligibility.Household
	err error // a household that could not be read
}

type screenResult struct {
	seq    int
	out    []byte
	errMsg string // for stderr
	fatal  error  // stops the whole run
}

func (p *pipeline) file(ctx context.Context, name string, stdin io.Reader) error {
	var r io.Reader
	display := name
	if name == "-" {
		r, display = stdin, "標準入力"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("%s を開けません: %w", name, err)
		}
		defer f.Close()
		r = f
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hr := eligibility.NewHouseholdReader(r, display)
	jobs := make(chan screenJob, 4*p.workers)
	results := make(chan screenResult, 4*p.workers)

	// Reader.
	go func() {
		defer close(jobs)
		for seq := 0; ; seq++ {
			h, err := hr.Next()
			if err == io.EOF {
				return
			}
			var fe *eligibility.FactsError
			if err != nil && !errors.As(err, &fe) {
				err = fmt.Errorf("%s を読めません: %w", display, err)
			}
			select {
			case jobs <- screenJob{seq: seq, h: h, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil && fe == nil {
				return
			}
		}
	}()

	// Workers.
	var wg sync.WaitGroup
	for w := 0; w < p.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := p.screen(ctx, j, display)
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Writer: in input order.
	pending := map[int]screenResult{}
	next := 0
	for r := range results {
		pending[r.seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if r.fatal != nil {
				cancel()
				return r.fatal
			}
			if r.errMsg != "" {
				fmt.Fprintln(p.stderr, r.errMsg)
				p.bad++
				continue
			}
			if _, err := p.out.Write(r.out); err != nil {
				cancel()
				return err
			}
			p.screened++
		}
	}
	return ctx.Err()
}

func (p *pipeline) screen(ctx context.Context, j screenJob, display string) screenResult {
	if j.err != nil {
		var fe *eligibility.FactsError
		if errors.As(j.err, &fe) {
			return screenResult{seq: j.seq, errMsg: j.err.Error()}
		}
		return screenResult{seq: j.seq, fatal: j.err}
	}
	s, err := p.eng.Screen(ctx, j.h, p.date, p.opts...)
	if err != nil {
		if ctx.Err() != nil {
			return screenResult{seq: j.seq, fatal: err}
		}
		return screenResult{seq: j.seq, errMsg: fmt.Sprintf("%s: 世帯 %q: %v", display, j.h.ID, err)}
	}
	return screenResult{seq: j.seq, out: p.render(nil, s)}
}
