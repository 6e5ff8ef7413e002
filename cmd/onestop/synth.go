package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/onestop-jp/onestop/eligibility/synth"
)

const synthUsage = "onestop synth [--count N] [--seed N] [--as-of 日付] [--unknown 割合%]\n\n" +
	"  架空の世帯（実在の人物ではありません）を JSON Lines で標準出力に書きます。負荷試験・デモ用。"

func cmdSynth(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("synth", synthUsage, stderr)
	count := fs.Int("count", 1000, "世帯の数")
	seed := fs.Uint64("seed", 1, "乱数の種（同じ種なら同じ世帯）")
	unknown := fs.Int("unknown", 0, "情報を未回答にする割合（%）")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "年齢・所得の年の基準日（省略時は今日）")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 0 || *count < 0 {
		fs.Usage()
		return 2
	}
	date := asOf.d
	if !asOf.set {
		date = today()
	}
	g, err := synth.New(synth.Config{Seed: *seed, AsOf: date, UnknownPercent: *unknown})
	if err != nil {
		fmt.Fprintf(stderr, "onestop synth: %v\n", err)
		return 2
	}
	w := bufio.NewWriterSize(stdout, 64*1024)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := 0; i < *count; i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return 130
		}
		if err := enc.Encode(g.Next()); err != nil {
			fmt.Fprintf(stderr, "onestop synth: %v\n", err)
			return 1
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "onestop synth: %v\n", err)
		return 1
	}
	return 0
}
