package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/ruletest"
)

const packUsage = "onestop pack <check|test|schema|impact> …\n\n" +
	"  onestop pack check [--as-of 日付] [DIR...]  パックを読み込み、式の誤り・見直し期限を調べる\n" +
	"  onestop pack test [--cover-all] [DIR...]    パックの tests/ にあるルールテストを実行する\n" +
	"                                              （要件の網羅はテストするパックの制度について。--cover-all で土台のパックも）\n" +
	"  onestop pack schema                         世帯の情報（入力）の JSON Schema を出力する\n" +
	"  onestop pack impact --reform DIR FILE       改正パックの影響（増える・減る世帯、費用の差）を示す\n\n" +
	"  DIR を複数書くと後のパックを前のパックに重ねます。組み込みのパックに重ねる地域パック\n" +
	"  （extends: jp-national）は、そのフォルダだけ書けば組み込みのパックの上に重ねます。\n" +
	"  DIR を省略すると組み込みの全国パックを調べます。"

func cmdPack(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "使い方: %s\n", packUsage)
		return 2
	}
	switch args[0] {
	case "check":
		return packCheck(args[1:], stdout, stderr)
	case "test":
		return packTest(ctx, args[1:], stdout, stderr)
	case "impact":
		return packImpact(ctx, args[1:], stdin, stdout, stderr)
	case "schema":
		if _, err := stdout.Write(eligibility.HouseholdSchema()); err != nil {
			return 1
		}
		return 0
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, "使い方: %s\n", packUsage)
		return 0
	}
	fmt.Fprintf(stderr, "onestop pack: 不明なサブコマンド %q です\n使い方: %s\n", args[0], packUsage)
	return 2
}

// embeddedPack is a pack shipped inside the binary.
type embeddedPack struct {
	id   string
	name string
	fsys func() fs.FS
}

// loadEngine loads and compiles the packs in dirs, or the embedded default
// pack when dirs is empty. A local pack that extends an embedded pack is
// layered on it without naming it.
func loadEngine(dirs []string) (*eligibility.Engine, error) {
	packs, err := loadPacks(dirs)
	if err != nil {
		return nil, err
	}
	return eligibility.Compile(packs)
}

func loadPacks(dirs []string) ([]*eligibility.Pack, error) {
	if len(dirs) == 0 {
		p, err := loadEmbedded(defaultPackID)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	var packs []*eligibility.Pack
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("ルールパック %s が見つかりません: %w", d, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("ルールパック %s はフォルダではありません（パックはフォルダで指定します）", d)
		}
		p, err := eligibility.LoadPack(os.DirFS(d), filepath.ToSlash(filepath.Clean(d)))
		if err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	if ext := packs[0].Extends; ext != "" {
		base, err := loadEmbedded(ext)
		if err != nil {
			return nil, fmt.Errorf("ルールパック %s は %q に重ねるパックです: %w", packs[0].Name, ext, err)
		}
		packs = append(base, packs...)
	}
	return packs, nil
}

// loadEmbedded loads an embedded pack and the embedded packs it extends,
// base first.
func loadEmbedded(id string) ([]*eligibility.Pack, error) {
	for _, e := range embeddedPacks() {
		if e.id != id {
			continue
		}
		p, err := eligibility.LoadPack(e.fsys(), e.name)
		if err != nil {
			return nil, fmt.Errorf("組み込みのパック %s: %w", e.name, err)
		}
		if p.Extends == "" {
			return []*eligibility.Pack{p}, nil
		}
		base, err := loadEmbedded(p.Extends)
		if err != nil {
			return nil, err
		}
		return append(base, p), nil
	}
	return nil, fmt.Errorf("組み込みのパックに %q はありません", id)
}

func printLoadError(w io.Writer, err error) {
	var pe *eligibility.PackError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			fmt.Fprintln(w, p)
		}
		fmt.Fprintf(w, "ルールパックにエラーが %d 件あります。\n", len(pe.Problems))
		return
	}
	fmt.Fprintln(w, err)
}

// compileForCheck loads and compiles packs for check and test, printing
// the problems of a pack that does not load or compile.
func compileForCheck(dirs []string, w io.Writer) ([]*eligibility.Pack, *eligibility.Engine, bool) {
	packs, err := loadPacks(dirs)
	if err == nil {
		var eng *eligibility.Engine
		if eng, err = eligibility.Compile(packs); err == nil {
			return packs, eng, true
		}
	}
	printLoadError(w, err)
	return nil, nil, false
}

func packCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("pack check", "onestop pack check [--as-of 日付] [--messages FILE] [DIR...]", stderr)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "パラメータの見直し期限を調べる日（省略時は今日）")
	messages := fs.String("messages", "", "プッシュ型の通知文面（YAML）。省略時は同梱の文面で、文面のない制度を調べる")
	dirs, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	msgs, err := loadMessages(*messages, true)
	if err != nil {
		fmt.Fprintf(stderr, "onestop pack check: %v\n", err)
		return 2
	}
	_, eng, ok := compileForCheck(dirs, stdout)
	if !ok {
		return 1
	}
	date := asOf.d
	if !asOf.set {
		date = today()
	}
	for _, w := range eng.Warnings() {
		fmt.Fprintln(stdout, w)
	}
	// Expressions the compiled screening leaves to the interpreter: same
	// results, slower (a function or value the compiler does not cover).
	if in := eng.InterpretedExpressions(); len(in) > 0 {
		fmt.Fprintf(stdout, "インタプリタで評価する式 %d 件（結果は同じですが、一括判定が遅くなります）:\n", len(in))
		for _, p := range in {
			fmt.Fprintf(stdout, "  %s: %s\n", p.Position, p.Message)
		}
	}
	var review []string
	for _, p := range eng.Parameters(date) {
		switch {
		case p.Value == nil:
			review = append(review, fmt.Sprintf("  params.%s（%s）: %s に当てはまる値がありません", p.Name, p.Title, date))
		case p.CarriedForward:
			review = append(review, fmt.Sprintf("  params.%s（%s）: %s 以降の値が未登録のため、%s からの値を使い続けています", p.Name, p.Title, p.Until.AddDays(1), p.From))
		case p.PastReview:
			review = append(review, fmt.Sprintf("  params.%s（%s）: 見直し期限を過ぎています（%s からの値）", p.Name, p.Title, p.From))
		}
	}
	var layers []string
	for _, l := range eng.Packs() {
		layers = append(layers, l.ID+" "+l.Version)
	}
	fmt.Fprintf(stdout, "ルールパック %s: 制度 %d 件、パラメータ %d 件。エラーなし、警告 %d 件。\n",
		strings.Join(layers, " ＋ "), len(eng.Programs()), len(eng.Parameters(date)), len(eng.Warnings()))
	if len(review) > 0 {
		fmt.Fprintf(stdout, "%s 時点で確認が必要なパラメータ:\n%s\n", date, strings.Join(review, "\n"))
	}
	// A programme the notice texts say nothing about is silently left out
	// of push-type notices (counted only as no_template in the report).
	programs := eng.Programs()
	if missing := msgs.Missing(programs); len(missing) > 0 {
		names := make(map[string]string, len(programs))
		for _, p := range programs {
			names[p.ID] = p.Name
		}
		fmt.Fprintf(stdout, "通知文面のない制度 %d 件（onestop outreach の通知から外れます。文面を書くか、申請しない制度なら notify: false を指定してください）:\n", len(missing))
		for _, id := range missing {
			fmt.Fprintf(stdout, "  %s（%s）\n", id, names[id])
		}
	}
	return 0
}

func packTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("pack test", "onestop pack test [--cover-all] [DIR...]", stderr)
	all := fs.Bool("cover-all", false, "重ねた土台のパックの制度の要件の網羅も表示する")
	dirs, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	packs, eng, ok := compileForCheck(dirs, stdout)
	if !ok {
		return 1
	}
	top := packs[len(packs)-1]
	tests, err := eligibility.LoadRuleTests(top.FS, top.Name)
	if err != nil {
		printLoadError(stdout, err)
		return 1
	}
	if len(tests) == 0 {
		fmt.Fprintf(stdout, "ルールパック %s にテストがありません（%s/tests/ に YAML を置いてください）。\n", top.ID, top.Name)
		return 1
	}
	var opts []ruletest.Option
	if *all {
		opts = append(opts, ruletest.CoverAllLayers())
	}
	r, err := ruletest.Run(ctx, eng, tests, opts...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if err := r.WriteText(stdout); err != nil {
		return 2
	}
	if r.Failed() > 0 {
		return 1
	}
	return 0
}
