package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/impact"
	"github.com/onestop-jp/onestop/internal/textwidth"
)

const impactUsage = "onestop pack impact [--base DIR]... --reform DIR [--as-of 日付] [--sample N] [--svg FILE] [--format text|json] [--workers N] [--progress auto|always|never] FILE\n\n" +
	"  FILE の世帯（JSON・JSON 配列・JSON Lines。- は標準入力）を、いまのルール（--base。省略時は組み込みの\n" +
	"  全国パック）と、それに改正パック（--reform）を重ねたルールで判定し、制度ごとに受給が増える・減る世帯、\n" +
	"  判定が変わる世帯、費用の差（月額・年額換算、円単位）、所得階級別・世帯人数別の分布、変化のあった\n" +
	"  世帯の例（両方の判定理由つき）を示します。--svg で分布のグラフ（SVG）も書き出します。"

func packImpact(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("pack impact", impactUsage, stderr)
	var baseDirs listFlag
	var asOf dateFlag
	fs.Var(&baseDirs, "base", "いまのルールのパックのフォルダ（繰り返すと重ねます。省略時は組み込みの全国パック）")
	reformDir := fs.String("reform", "", "改正パックのフォルダ（--base の一番上のパックに extends で重ねるパック）")
	fs.Var(&asOf, "as-of", "基準日（省略時は今日）")
	sample := fs.Int("sample", impact.DefaultSample, "判定理由つきで示す、変化のあった世帯の数（0 で示さない）")
	seed := fs.Uint64("seed", 1, "例に示す世帯の選び方の種（同じ種なら同じ世帯）")
	svgFile := fs.String("svg", "", "所得階級別・世帯人数別の分布のグラフ（SVG）を書き出すファイル")
	format := fs.String("format", "text", "出力形式: text（表）または json")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "同時に判定する数")
	progressFlag := fs.String("progress", "auto", "進み具合の表示: auto（端末で、長い処理のとき）、always、never")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	switch {
	case *reformDir == "":
		fmt.Fprintln(stderr, "onestop pack impact: 改正パックのフォルダを --reform で指定してください")
		return 2
	case len(files) != 1:
		fmt.Fprintln(stderr, "onestop pack impact: 判定する世帯のファイルを1つ指定してください（標準入力は -）")
		return 2
	case *format != "text" && *format != "json":
		fmt.Fprintf(stderr, "onestop pack impact: --format は text か json です（%q）\n", *format)
		return 2
	case *progressFlag != "auto" && *progressFlag != "always" && *progressFlag != "never":
		fmt.Fprintf(stderr, "onestop pack impact: --progress は auto・always・never のどれかです（%q）\n", *progressFlag)
		return 2
	case *sample < 0 || *workers < 1:
		fmt.Fprintln(stderr, "onestop pack impact: --sample は 0 以上、--workers は 1 以上にしてください")
		return 2
	}
	date := asOf.d
	if !asOf.set {
		date = today()
	}
	base, reform, reformPack, err := loadReform(baseDirs, *reformDir, date)
	if err != nil {
		printLoadError(stderr, err)
		return 2
	}
	in, display, closeIn, err := openInput(files[0], stdin)
	if err != nil {
		fmt.Fprintf(stderr, "onestop pack impact: %v\n", err)
		return 2
	}
	defer closeIn()
	n := *sample
	if n == 0 {
		n = -1 // the library's 0 is "the default"
	}
	// The report is written at the end, so the progress line may share a
	// terminal with it (nil: nothing is written to stdout during the run).
	prog := newProgress(progressMode(*progressFlag), stderr, nil, inputSize(files))
	done := 0
	rep, err := impact.Compare(ctx, base, reform, in, display, impact.Options{AsOf: date, Workers: *workers, Sample: n, Seed: *seed,
		Progress: func(n int, offset int64) { done = n; prog.update(n, offset) }})
	prog.done(done)
	if err != nil {
		fmt.Fprintf(stderr, "onestop pack impact: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 2
	}
	if *svgFile != "" {
		if err := writeSVG(*svgFile, rep); err != nil {
			fmt.Fprintf(stderr, "onestop pack impact: %v\n", err)
			return 2
		}
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return 2
		}
		return 0
	}
	writeImpact(out, rep, reformPack)
	if *svgFile != "" {
		fmt.Fprintf(out, "\n分布のグラフを %s に書き出しました。\n", *svgFile)
	}
	return 0
}

// loadReform compiles the base packs, and the base with the reform pack on
// top, and checks that the reform says something on the date studied.
func loadReform(baseDirs []string, reformDir string, date civil.Date) (*eligibility.Engine, *eligibility.Engine, *eligibility.Pack, error) {
	basePacks, err := loadPacks(baseDirs)
	if err != nil {
		return nil, nil, nil, err
	}
	base, err := eligibility.Compile(basePacks)
	if err != nil {
		return nil, nil, nil, err
	}
	info, err := os.Stat(reformDir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("改正パック %s が見つかりません: %w", reformDir, err)
	}
	if !info.IsDir() {
		return nil, nil, nil, fmt.Errorf("改正パック %s はフォルダではありません（パックはフォルダで指定します）", reformDir)
	}
	rp, err := eligibility.LoadPack(os.DirFS(reformDir), filepath.ToSlash(filepath.Clean(reformDir)))
	if err != nil {
		return nil, nil, nil, err
	}
	top := basePacks[len(basePacks)-1]
	if rp.Extends != top.ID {
		return nil, nil, nil, fmt.Errorf("改正パック %s は %q に重ねるパックにしてください（pack: の extends: %q。いまは %q）", reformDir, top.ID, top.ID, rp.Extends)
	}
	reform, err := eligibility.Compile(append(basePacks, rp))
	if err != nil {
		return nil, nil, nil, err
	}
	values := map[string]eligibility.ParamUse{}
	for _, p := range reform.Parameters(date) {
		values[p.Name] = p
	}
	var missing []string
	for _, p := range rp.Parameters {
		if v, ok := values[p.Name]; ok && v.Value == nil {
			missing = append(missing, fmt.Sprintf("params.%s（%s）", p.Name, p.Title))
		}
	}
	if len(missing) > 0 {
		return nil, nil, nil, fmt.Errorf("改正パック %s のパラメータに基準日 %s の値がありません: %s。改正を当てはめる期間の日付を --as-of に指定してください",
			reformDir, date, strings.Join(missing, "、"))
	}
	return base, reform, rp, nil
}

func openInput(name string, stdin io.Reader) (io.Reader, string, func(), error) {
	if name == "-" {
		return stdin, "標準入力", func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s を開けません: %w", name, err)
	}
	return f, name, func() { f.Close() }, nil
}

func writeSVG(name string, rep *impact.Report) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("%s を作れません: %w", name, err)
	}
	if err := rep.WriteSVG(f); err != nil {
		f.Close()
		return fmt.Errorf("%s に書けません: %w", name, err)
	}
	return f.Close()
}

func layersText(ls []eligibility.PackInfo) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.ID + " " + l.Version
	}
	return strings.Join(parts, " ＋ ")
}

// writeImpact writes the report for policy staff, in Japanese.
func writeImpact(w io.Writer, r *impact.Report, reform *eligibility.Pack) {
	fmt.Fprintf(w, "改正の影響: %s %s「%s」\n", reform.ID, reform.Version, reform.Title)
	fmt.Fprintf(w, "いまのルール: %s　改正後: %s　基準日 %s\n", layersText(r.Base), layersText(r.Reform), dateLabel(r.AsOf))
	fmt.Fprintf(w, "判定した世帯 %s（読み込めなかった世帯 %s）　変化のある世帯 %s　受給が増える世帯 %s　受給が減る世帯 %s\n",
		count(int64(r.Households)), count(int64(r.Skipped)), count(int64(r.Changed)), count(int64(r.Gaining)), count(int64(r.Losing)))
	fmt.Fprintf(w, "費用の差（改正後 − いま、対象の世帯の金額の合計）: 月額 %s　年額換算 %s", signed(r.Cost.Monthly), signed(r.Cost.Yearly))
	if r.Cost.Once != 0 {
		fmt.Fprintf(w, "　一時金 %s", signed(r.Cost.Once))
	}
	fmt.Fprintln(w)
	for _, e := range r.SkipErrors {
		fmt.Fprintf(w, "  読み込めなかった世帯: %s\n", firstLine(e))
	}

	fmt.Fprintln(w, "\n制度ごとの変化")
	rows := [][]string{{"制度", "増える", "減る", "増額", "減額", "判定が変わる", "月額の差", "年額換算の差"}}
	var same []string
	for _, p := range r.Programs {
		if p.Gain+p.Lose+p.StatusChanged+p.AmountUp+p.AmountDown == 0 && p.Cost == (impact.Cost{}) {
			same = append(same, p.Name)
			continue
		}
		name := p.Name
		switch {
		case !p.InBase:
			name += "（改正で新設）"
		case !p.InReform:
			name += "（改正で廃止）"
		}
		rows = append(rows, []string{name, num(p.Gain), num(p.Lose), num(p.AmountUp), num(p.AmountDown), num(p.StatusChanged), signed(p.Cost.Monthly), signed(p.Cost.Yearly)})
	}
	rows = append(rows, []string{"合計（世帯）", num(r.Gaining), num(r.Losing), "", "", num(r.Changed), signed(r.Cost.Monthly), signed(r.Cost.Yearly)})
	writeRows(w, rows)
	if len(same) > 0 {
		fmt.Fprintf(w, "  変化なし: %s\n", strings.Join(same, "、"))
	}
	for _, p := range r.Programs {
		if len(p.Transitions) == 0 {
			continue
		}
		var ts []string
		for _, t := range p.Transitions {
			ts = append(ts, fmt.Sprintf("%s→%s %s 世帯", statusText(t.From), statusText(t.To), num(t.Households)))
		}
		fmt.Fprintf(w, "  判定の変化（%s）: %s\n", p.Name, strings.Join(ts, "、"))
		if p.Errors > 0 {
			fmt.Fprintf(w, "  ルールを評価できなかった世帯（%s）: %s\n", p.Name, num(p.Errors))
		}
	}

	for _, t := range []struct {
		title, head string
		groups      []impact.Group
	}{{"所得階級別（" + r.IncomeLabel + "）", "所得階級", r.ByIncome}, {"世帯人数別", "世帯人数", r.BySize}} {
		fmt.Fprintf(w, "\n%s\n", t.title)
		rows := [][]string{{t.head, "世帯数", "変化あり", "増える", "減る", "月額の差", "年額換算の差"}}
		for _, g := range t.groups {
			rows = append(rows, []string{g.Label, num(g.Households), num(g.Changed), num(g.Gaining), num(g.Losing), signed(g.Cost.Monthly), signed(g.Cost.Yearly)})
		}
		writeRows(w, rows)
	}

	if len(r.Sample) == 0 {
		return
	}
	fmt.Fprintf(w, "\n変化のあった世帯の例（%d 世帯。[ ] は入力の何件目か）\n", len(r.Sample))
	for _, c := range r.Sample {
		id := c.HouseholdID
		if id == "" {
			id = "（IDなし）"
		}
		fmt.Fprintf(w, "\n[%d件目] 世帯 %s\n", c.Index+1, id)
		for i := range c.Programs {
			writeChange(w, c.Base[i], c.Reform[i])
		}
	}
}

// writeChange explains one programme's change for one household: each
// condition under both rule sets, and the values and parameters that
// differ.
func writeChange(w io.Writer, b, a eligibility.Outcome) {
	fmt.Fprintf(w, "  %s: %s → %s\n", nameOf(b, a), outcomeText(b), outcomeText(a))
	if b.Program == "" || a.Program == "" {
		for _, o := range []eligibility.Outcome{b, a} {
			if o.Program != "" {
				var sb strings.Builder
				writeExplanation(&sb, o)
				fmt.Fprint(w, indent(sb.String(), "  "))
			}
		}
		return
	}
	fmt.Fprintln(w, "    要件（いま → 改正後）:")
	after := map[string]eligibility.ConditionResult{}
	for _, c := range a.Conditions {
		after[c.Reason] = c
	}
	seen := map[string]bool{}
	for _, cb := range b.Conditions {
		seen[cb.Reason] = true
		ca, ok := after[cb.Reason]
		if !ok {
			fmt.Fprintf(w, "      %s → （なし） %s\n", mark(cb.Result), cb.Reason)
			continue
		}
		fmt.Fprintf(w, "      %s → %s %s\n", mark(cb.Result), mark(ca.Result), cb.Reason)
		switch {
		case cb.Explanation == ca.Explanation && cb.Explanation != "":
			fmt.Fprintf(w, "          %s\n", cb.Explanation)
		case cb.Explanation != ca.Explanation:
			fmt.Fprintf(w, "          いま:   %s\n          改正後: %s\n", cb.Explanation, ca.Explanation)
		}
	}
	for _, ca := range a.Conditions {
		if !seen[ca.Reason] {
			fmt.Fprintf(w, "      （なし） → %s %s\n", mark(ca.Result), ca.Reason)
		}
	}
	for _, o := range []struct {
		when string
		o    eligibility.Outcome
	}{{"いま", b}, {"改正後", a}} {
		if len(o.o.Missing) > 0 {
			var labels []string
			for _, m := range o.o.Missing {
				labels = append(labels, m.Label)
			}
			fmt.Fprintf(w, "    要確認（%s）: %s\n", o.when, strings.Join(labels, "、"))
		}
	}
	before := map[string]eligibility.ValueUse{}
	for _, v := range b.Values {
		before[v.Name] = v
	}
	var lines []string
	for _, v := range a.Values {
		if old, ok := before[v.Name]; ok && valueText(old.Value) != valueText(v.Value) {
			desc, _, _ := strings.Cut(v.Description, "\n")
			lines = append(lines, fmt.Sprintf("      %s（%s）: %s → %s", v.Name, strings.TrimSpace(desc), valueText(old.Value), valueText(v.Value)))
		}
	}
	if len(lines) > 0 {
		fmt.Fprintf(w, "    変わった値（いま → 改正後）:\n%s\n", strings.Join(lines, "\n"))
	}
	params := map[string]eligibility.ParamUse{}
	for _, p := range b.Parameters {
		params[p.Name] = p
	}
	lines = lines[:0]
	for _, p := range a.Parameters {
		if old, ok := params[p.Name]; !ok || valueText(old.Value) != valueText(p.Value) {
			from := "（いまのルールでは使わない）"
			if ok {
				from = valueText(old.Value)
			}
			lines = append(lines, fmt.Sprintf("      %s: %s → %s\n        出典（改正後）: %s", p.Title, from, valueText(p.Value), p.Source))
		}
	}
	if len(lines) > 0 {
		fmt.Fprintf(w, "    変わったパラメータ（いま → 改正後）:\n%s\n", strings.Join(lines, "\n"))
	}
}

func nameOf(b, a eligibility.Outcome) string {
	if b.Name != "" {
		return b.Name
	}
	return a.Name
}

func outcomeText(o eligibility.Outcome) string {
	if o.Program == "" {
		return "（制度なし）"
	}
	if o.Status == eligibility.Eligible && o.Amount != nil {
		return o.Status.Label() + " " + o.Amount.String()
	}
	return o.Status.Label()
}

func statusText(s eligibility.Status) string {
	if s == "" {
		return "（制度なし）"
	}
	return s.Label()
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// writeRows writes a table: the first column left-aligned, the others
// right-aligned, in display columns.
func writeRows(w io.Writer, rows [][]string) {
	widths := textwidth.Widths(rows)
	for _, row := range rows {
		fmt.Fprintln(w, strings.TrimRight("  "+textwidth.Row(row, widths), " "))
	}
}

func num(n int) string { return count(int64(n)) }

// signed writes a difference of yen with its sign.
func signed(v int64) string {
	if v > 0 {
		return "+" + eligibility.FormatYen(v)
	}
	return eligibility.FormatYen(v)
}
