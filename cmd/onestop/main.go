package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand of onestop. run returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands lists the subcommands; each lives in its own file.
func commands() map[string]command {
	return map[string]command{
		"screen":   {summary: "世帯を判定する（どの制度の対象か・金額・理由）", run: cmdScreen},
		"pack":     {summary: "ルールパックの検査（check）・テスト（test）・入力の JSON Schema（schema）", run: cmdPack},
		"faq":      {summary: "FAQ（チャットボットの知識ベース）の評価・検査", run: cmdFAQ},
		"chat":     {summary: "FAQ チャットボットを端末で試す", run: cmdChat},
		"synth":    {summary: "架空の世帯を生成する（負荷試験・デモ用の JSON Lines）", run: cmdSynth},
		"outreach": {summary: "新たに対象となった制度の通知（プッシュ型支援）を作る", run: cmdOutreach},
		"form":     {summary: "入力フォーム・申請書の定義の検査（check）・JSON Schema（schema）・回答の検査と次の質問（fill）", run: cmdForm},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "onestop: 不明なコマンド %q です\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "使い方: onestop <コマンド> [オプション] [引数]")
	fmt.Fprintln(w, "\nコマンド:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}
