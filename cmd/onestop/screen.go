package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/onestop-jp/onestop/eligibility"
)

const screenUsage = "onestop screen [--as-of 日付] [--pack DIR]... [--format table|json] [--explain] [--program ID]... FILE...\n\n" +
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
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "onestop screen: --format は table か json です（%q）\n", *format)
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
	var render func(*eligibility.Screening) error
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		render = func(s *eligibility.Screening) error { return enc.Encode(s) }
	} else {
		t := &tableWriter{w: out, explain: *explain}
		render = t.write
	}
	screened, bad := 0, 0
	for _, name := range files {
		n, b, err := screenFile(ctx, eng, name, stdin, date, opts, render, stderr)
		screened += n
		bad += b
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "onestop screen: %v\n", err)
			if ctx.Err() != nil {
				return 130
			}
			return 2
		}
	}
	if *format == "table" {
		fmt.Fprintf(out, "%d 世帯を判定しました（基準日 %s）。", screened, dateLabel(date))
		if bad > 0 {
			fmt.Fprintf(out, "読み込めなかった世帯 %d 件（エラー出力を確認してください）。", bad)
		}
		fmt.Fprintln(out)
	}
	if bad > 0 {
		return 1
	}
	return 0
}

// screenFile screens every household of one input, streaming: each is
// written as soon as it is screened. A household that cannot be read is
// reported on stderr and skipped; the others are still screened.
func screenFile(ctx context.Context, eng *eligibility.Engine, name string, stdin io.Reader, date eligibility.Date,
	opts []eligibility.ScreenOption, render func(*eligibility.Screening) error, stderr io.Writer) (screened, bad int, err error) {
	var r io.Reader
	display := name
	if name == "-" {
		r, display = stdin, "標準入力"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return 0, 0, fmt.Errorf("%s を開けません: %w", name, err)
		}
		defer f.Close()
		r = f
	}
	hr := eligibility.NewHouseholdReader(r, display)
	for {
		h, err := hr.Next()
		if err == io.EOF {
			return screened, bad, nil
		}
		if err != nil {
			var fe *eligibility.FactsError
			if !errors.As(err, &fe) {
				return screened, bad, fmt.Errorf("%s を読めません: %w", display, err)
			}
			fmt.Fprintln(stderr, err)
			bad++
			continue
		}
		s, err := eng.Screen(ctx, h, date, opts...)
		if err != nil {
			if ctx.Err() != nil {
				return screened, bad, err
			}
			fmt.Fprintf(stderr, "%s: 世帯 %q: %v\n", display, h.ID, err)
			bad++
			continue
		}
		if err := render(s); err != nil {
			return screened, bad, err
		}
		screened++
	}
}
