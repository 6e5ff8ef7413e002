package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/textdist"
)

const screenUsage = "onestop screen [--as-of 日付] [--pack DIR]... [--format table|json] [--explain] [--program ID]... [--workers N] [--progress auto|always|never] FILE...\n\n" +
	"  FILE は世帯1件の JSON、世帯の JSON 配列、または JSON Lines（1行1世帯）。- は標準入力。\n" +
	"  --pack を省略すると組み込みの全国パック（jp-national）で判定します。\n" +
	"  結果をファイルやパイプに出力しているとき、長い処理の進み具合（件数・速さ・残り時間）を端末（標準エラー）に表示します。"

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
	progressFlag := fs.String("progress", "auto", "進み具合の表示: auto（端末で、結果を端末以外に出力する長い処理のとき）、always、never")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "onestop screen: --format は table か json です（%q）\n", *format)
		return 2
	}
	if *progressFlag != "auto" && *progressFlag != "always" && *progressFlag != "never" {
		fmt.Fprintf(stderr, "onestop screen: --progress は auto・always・never のどれかです（%q）\n", *progressFlag)
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
	loaded := func() {}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		var restore func()
		loaded, restore = batchMemory()
		defer restore()
	}
	eng, err := loadEngine(packDirs)
	if err != nil {
		printLoadError(stderr, err)
		return 2
	}
	loaded()
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
	out := bufio.NewWriterSize(stdout, 64*1024)
	defer out.Flush()
	render := func(dst []byte, s *eligibility.Screening) []byte { return append(eng.AppendJSON(dst, s), '\n') }
	if *format == "table" {
		t := &tableWriter{explain: *explain}
		render = t.appendTable
	}
	r := screenRun{
		// Each result is written (rendered on the worker) and dropped at
		// once: its memory is reused (Reuse).
		batch:  eligibility.Batch{Engine: eng, AsOf: date, Options: opts, Workers: *workers, Render: render, Reuse: true},
		out:    out,
		stderr: stderr,
	}
	r.progress = newProgress(progressMode(*progressFlag), stderr, stdout, inputSize(files))
	for _, name := range files {
		if err := r.file(ctx, name, stdin); err != nil {
			out.Flush()
			r.progress.done(r.screened + r.bad)
			fmt.Fprintf(stderr, "onestop screen: %v\n", err)
			if ctx.Err() != nil {
				return 130
			}
			return 2
		}
	}
	out.Flush()
	r.progress.done(r.screened + r.bad)
	if *format == "table" {
		fmt.Fprintf(out, "%d 世帯を判定しました（基準日 %s）。", r.screened, dateLabel(date))
		if r.bad > 0 {
			fmt.Fprintf(out, "読み込めなかった世帯 %d 件（エラー出力を確認してください）。", r.bad)
		}
		fmt.Fprintln(out)
	}
	if r.bad > 0 {
		return 1
	}
	return 0
}

// batchMemory sets the collector for a batch before the packs are loaded;
// loaded sizes it once they are, and restore puts the collector back.
//
// Screening a file keeps a few households in memory at a time: the live
// heap is the engine's (10–16 MB for the national pack, all along a run of
// 1,000,000 households), while each household allocates some 15 KB that
// die at once. Collecting each time the heap grows by a percentage of that
// small live heap (GOGC) runs the collector every few tens of megabytes,
// and each cycle marks the whole engine again. Instead the collector runs
// when the process's Go memory reaches a fixed limit, max(128 MiB, 8 × the
// live heap after loading the packs): memory is flat whatever the input's
// size, and collecting costs less (100,000 households: 8 % less CPU than
// GOGC=400, for an RSS of about 145 MB instead of 100–115 MB). Should the
// live heap outgrow the limit, the runtime caps the collector at half the
// CPU rather than stop. GOGC or GOMEMLIMIT set by the operator win.
//
// Loading and compiling the packs allocates some 50 MB that mostly die at
// once; under the default GOGC that is several collections on the one
// goroutine that loads (40–80 ms of a 100,000-household run's 2.3 s).
// So the limit already holds during the load (8 × the live heap so far,
// 128 MiB at least), and loaded learns the live heap without a collection
// when the heap is small enough that 8 × it cannot exceed 128 MiB, with
// one collection otherwise.
func batchMemory() (loaded, restore func()) {
	const floor = 128 << 20
	oldLimit := debug.SetMemoryLimit(max(floor, 8*heapBytes("/gc/heap/live:bytes")))
	oldPercent := debug.SetGCPercent(-1)
	loaded = func() {
		if heapBytes("/memory/classes/heap/objects:bytes") > floor/8 {
			runtime.GC()
			debug.SetMemoryLimit(max(floor, 8*heapBytes("/gc/heap/live:bytes")))
		}
	}
	restore = func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
	return loaded, restore
}

// heapBytes reads one of the runtime's byte metrics (0 when unsupported).
func heapBytes(name string) int64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
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
		if s := textdist.Closest(id, known); s != "" {
			return fmt.Sprintf("--program の制度ID %q はルールパックにありません（もしかして %q？）", id, s)
		}
		return fmt.Sprintf("--program の制度ID %q はルールパックにありません（制度ID: %s）", id, strings.Join(known, ", "))
	}
	return ""
}

// inputSize is the total size of the files, 0 when one of them is
// standard input or cannot be measured.
func inputSize(files []string) int64 {
	var total int64
	for _, name := range files {
		fi, err := os.Stat(name)
		if name == "-" || err != nil || !fi.Mode().IsRegular() {
			return 0
		}
		total += fi.Size()
	}
	return total
}

// screenRun screens the files one after another with one batch: the
// households are decoded, screened and written (rendered) on the workers,
// and come back here in input order.
type screenRun struct {
	batch    eligibility.Batch
	out      io.Writer
	stderr   io.Writer
	progress *progress
	screened int
	bad      int
	offset   int64 // bytes of the input read, over all files
}

func (r *screenRun) file(ctx context.Context, name string, stdin io.Reader) error {
	var in io.Reader
	display := name
	if name == "-" {
		in, display = stdin, "標準入力"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("%s を開けません: %w", name, err)
		}
		defer f.Close()
		in = f
	}
	base := r.offset
	for res, err := range r.batch.ScreenJSON(ctx, in, display) {
		if err != nil {
			return err
		}
		r.offset = base + res.Offset
		switch {
		case res.Err != nil && res.Household == nil:
			r.progress.clear()
			fmt.Fprintln(r.stderr, res.Err) // the record could not be read: file:line:col
			r.bad++
		case res.Err != nil:
			r.progress.clear()
			fmt.Fprintf(r.stderr, "%s: 世帯 %q: %v\n", display, res.Household.ID, res.Err)
			r.bad++
		default:
			if _, err := r.out.Write(res.Output); err != nil {
				return err
			}
			r.screened++
		}
		r.progress.update(r.screened+r.bad, r.offset)
	}
	return nil
}
