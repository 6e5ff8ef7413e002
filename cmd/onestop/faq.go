package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
)

const faqUsage = `使い方:
  onestop faq eval  [--faq FILE] --queries FILE [--failures] [--readings=false]
                    [--library=false | --library-except 名前,…] [--confidence 値]
      FAQ と正解付きの質問セットで、1位正解率・3位以内正解率・MRR・対象外の拒否率・
      直接回答の正解率と誤答率を表示します。
      質問セットは JSON: [{"q": "質問", "expected": "FAQ ID または null"}, …]
      言い回しのない FAQ には同梱の住民の質問集が言い回しを補います。--library=false で
      使わずに比べられます。--library-except は開発用 FAQ（dev3 など）を評価するときに
      その FAQ 自身の質問を質問集から除きます。--confidence は直接回答のしきい値
      （確信度。既定は同梱の値で、faq calibrate が表示します）を変えて測ります（faq calibrate の推奨値の確認に）。
  onestop faq calibrate [--faq FILE] --queries FILE [--max-wrong 0.02] [--min-rejection 0.90]
                    [--wrong-margin 0.005] [--rejection-margin 0.03] [--curve] [--library-except 名前,…]
      自治体の FAQ に合わせて直接回答のしきい値を選びます。住民の実際の質問に正解を付けた
      質問セット（対象内 120 問・対象外 40 問以上）で、誤った直接回答と対象外の拒否率が
      基準（余裕込み）に収まる最も低いしきい値を選び、5 分割の交差検証で新しい質問での
      見込みを示します。採用するかは見込みで判断してください。
  onestop faq check [--faq FILE] [--months N]
      FAQ ファイルを検査し、更新日が N か月（既定 12）より古い項目を一覧にします。
  onestop faq suggest [--readings=false] [--max N] [--phrasings 出力.csv [--force]] FAQ
      公開前の点検: 項目ごとに、ひらがなでは届かない言葉（読みのない言葉）、
      ほかの言い方から届かない言葉（言い換えのない言葉）、取り違えやすい項目を一覧にします。
      同梱の住民の質問集から、項目ごとに言い換えの候補（最大 N 個、既定 8）も示します。
      --phrasings を付けると、候補を「言い換え」列に入れた FAQ を CSV に書き出します
      （元の FAQ は変えません。確認・編集してから --faq で読み込みます）。
  onestop faq default
      同梱の既定 FAQ（YAML）を標準出力に書き出します（編集のひな形）。

  --faq を省略すると同梱の既定 FAQ を使います。CSV（UTF-8 / Shift_JIS）も読めます。
  読み（ひらがなの質問を漢字の FAQ に結びつける）は形態素辞書から作ります（約1秒）。
  --readings=false で使いません。
`

// cmdFAQ runs `onestop faq …`: evaluation, checking and export of FAQ
// knowledge bases.
func cmdFAQ(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, faqUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "eval":
		return faqEval(ctx, args[1:], stdout, stderr)
	case "calibrate":
		return faqCalibrate(ctx, args[1:], stdout, stderr)
	case "check":
		return faqCheck(ctx, args[1:], stdout, stderr)
	case "suggest":
		return faqSuggest(ctx, args[1:], stdout, stderr)
	case "default":
		if _, err := stdout.Write(chatbot.DefaultYAML()); err != nil {
			fmt.Fprintf(stderr, "onestop faq default: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "onestop faq: 不明なサブコマンド %q です\n\n%s", args[0], faqUsage)
	return 2
}

// loadKB loads --faq (or the default). A CSV file holds entries only; it
// gets the default knowledge base's desks and emergency contacts.
func loadKB(ctx context.Context, path string) (*chatbot.KnowledgeBase, error) {
	def, err := chatbot.Default()
	if err != nil {
		return nil, err
	}
	if path == "" {
		return def, nil
	}
	kb, err := chatbot.LoadFile(ctx, path)
	if err != nil {
		return nil, err
	}
	return kb.WithDefaults(def), nil
}

// compiled is a compiled knowledge base and what it took.
type compiled struct {
	kb       *chatbot.KnowledgeBase
	m        *chatbot.Matcher
	dictLoad time.Duration // loading the reading dictionary (0: not used)
	build    time.Duration // building the index, readings included
}

// compileKB loads --faq and compiles it, with readings from the
// morphological dictionary unless readings is false.
func compileKB(ctx context.Context, path string, readings bool, extra ...chatbot.Option) (*compiled, error) {
	kb, err := loadKB(ctx, path)
	if err != nil {
		return nil, err
	}
	c := &compiled{kb: kb}
	opts := extra
	if readings {
		start := time.Now()
		d, err := yomi.New()
		if err != nil {
			return nil, err
		}
		c.dictLoad = time.Since(start)
		opts = append(opts, chatbot.WithReadings(d))
	}
	start := time.Now()
	c.m, err = chatbot.Compile(kb, opts...)
	if err != nil {
		return nil, err
	}
	c.build = time.Since(start)
	return c, nil
}

// libraryOption turns the --library and --library-except flags into
// matcher options; an unknown FAQ name is an error that lists the names
// the library holds.
func libraryOption(on bool, except string) ([]chatbot.Option, error) {
	if !on {
		if except != "" {
			return nil, errors.New("--library=false と --library-except は同時に指定できません")
		}
		return []chatbot.Option{chatbot.WithoutResidentLibrary()}, nil
	}
	if except == "" {
		return nil, nil
	}
	known, err := chatbot.ResidentLibrarySources()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(except, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("--library-except: 住民の質問集に %q はありません（あるのは %s）", n, strings.Join(known, ", "))
		}
		names = append(names, n)
	}
	return []chatbot.Option{chatbot.WithResidentLibraryExcept(names...)}, nil
}

// describe prints the rewrite rules the matcher got from each source and
// what building took.
func (c *compiled) describe(w io.Writer) {
	st := c.m.Stats()
	fmt.Fprintf(w, "  言い換え         %d 件（FAQ %d、言い換え集 %d、制度名 %d、読み %d、同義語辞書 %d）、制度名 %d 件\n",
		st.Aliases, st.KBAliases, st.GlossaryRules, st.ProgrammeRules, st.ReadingRules, st.SynonymRules, st.Programmes)
	if st.LibraryEntries > 0 {
		fmt.Fprintf(w, "  住民の質問集     FAQ %d 件中 %d 件に対応づけ（質問集の項目 %d 件）\n", st.Entries, st.LibraryAligned, st.LibraryEntries)
		if len(st.LibraryInSample) > 0 {
			names := strings.Join(st.LibraryInSample, ",")
			fmt.Fprintf(w, "  注意             この FAQ は住民の質問集の開発用 FAQ（%s）と同じ質問を持ちます。その住民の質問が投票するため、成績は新しい FAQ より高く出ます。新しい FAQ として測るには --library-except %s を付けてください。\n", names, names)
		}
	} else {
		fmt.Fprintln(w, "  住民の質問集     使っていません（FAQ に言い回しがあるか、--library=false）")
	}
	if c.dictLoad > 0 {
		fmt.Fprintf(w, "  準備             辞書の読み込み %s、索引作成 %s（読みを含む）\n", c.dictLoad.Round(time.Millisecond), c.build.Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "  準備             索引作成 %s（読みなし）\n", c.build.Round(time.Millisecond))
	}
}

func faqEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("faq eval", "onestop faq eval --queries 質問セット.json [--faq FAQ] [--failures] [--library=false | --library-except 名前,…]", stderr)
	faq := fs.String("faq", "", "FAQ ファイル（YAML か CSV。省略時は同梱の既定 FAQ）")
	queries := fs.String("queries", "", "正解付きの質問セット（JSON）")
	failures := fs.Bool("failures", false, "誤った質問を一覧にする")
	readings := fs.Bool("readings", true, "形態素辞書で FAQ の言葉の読みを作る（ひらがなの質問のため）")
	library := fs.Bool("library", true, "同梱の住民の質問集で言い回しを補う（言い回しのない FAQ のみ）")
	except := fs.String("library-except", "", "住民の質問集から除く開発用 FAQ（カンマ区切り。開発用 FAQ 自身を評価するとき、その質問を除くため）")
	confidence := fs.Float64("confidence", 0, "直接回答のしきい値（確信度 0〜1。0 は既定の値。faq calibrate の推奨値を確かめるとき）")
	if err := fs.parse(args); err != nil {
		return flagExit(err)
	}
	if *queries == "" {
		fmt.Fprintln(stderr, "onestop faq eval: --queries で質問セットを指定してください")
		return 2
	}
	libOpt, err := libraryOption(*library, *except)
	if err != nil {
		fmt.Fprintf(stderr, "onestop faq eval: %v\n", err)
		return 2
	}
	thOpt, err := confidenceOption(*confidence)
	if err != nil {
		fmt.Fprintf(stderr, "onestop faq eval: %v\n", err)
		return 2
	}
	c, err := compileKB(ctx, *faq, *readings, append(libOpt, thOpt...)...)
	if err != nil {
		return reportErr(stderr, "onestop faq eval", err)
	}
	kb, m := c.kb, c.m
	qs, err := loadQueriesFor(kb, *queries)
	if err != nil {
		return reportErr(stderr, "onestop faq eval", err)
	}
	rep := chatbot.Evaluate(m, qs)
	title := fmt.Sprintf("FAQ: %s（%d 件）/ 質問セット: %s", kb.Name, len(kb.Entries), *queries)
	if err := chatbot.WriteReport(stdout, title, rep, *failures); err != nil {
		return reportErr(stderr, "onestop faq eval", err)
	}
	c.describe(stdout)
	return 0
}

func faqCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("faq check", "onestop faq check [--faq FAQ] [--months N]", stderr)
	faq := fs.String("faq", "", "FAQ ファイル（YAML か CSV。省略時は同梱の既定 FAQ）")
	months := fs.Int("months", 12, "この月数より古い更新日を「要確認」とする")
	if err := fs.parse(args); err != nil {
		return flagExit(err)
	}
	if *months < 0 {
		fmt.Fprintln(stderr, "onestop faq check: --months は 0 以上にしてください")
		return 2
	}
	c, err := compileKB(ctx, *faq, false)
	if err != nil {
		return reportErr(stderr, "onestop faq check", err)
	}
	kb := c.kb
	fmt.Fprintf(stdout, "%s: FAQ %d 件、言い換え %d 件、窓口 %d 件、緊急連絡先 %d 件。誤りはありません。\n",
		kb.Name, len(kb.Entries), len(kb.Aliases), len(kb.Desks), len(kb.Danger.Contacts))
	stale := kb.Stale(today(), *months)
	if len(stale) == 0 {
		fmt.Fprintf(stdout, "更新日が %d か月より古い項目はありません。\n", *months)
		return 0
	}
	fmt.Fprintf(stdout, "更新日が %d か月より古い項目（%d 件）:\n", *months, len(stale))
	for _, s := range stale {
		when := "更新日なし"
		if !s.Entry.Updated.IsZero() {
			when = s.Entry.Updated.String() + fmt.Sprintf("（%d か月前）", s.Months)
		}
		fmt.Fprintf(stdout, "  %-24s %s  %s  [%s]\n", s.Entry.ID, when, s.Entry.Question, s.Entry.Pos)
	}
	return 1
}

// reportErr prints an error for people: every positioned problem on its own
// line. Exit code 1.
func reportErr(w io.Writer, prefix string, err error) int {
	var les *chatbot.LoadErrors
	if errors.As(err, &les) {
		fmt.Fprintf(w, "%s: %d 件の問題があります:\n", prefix, len(*les))
		for _, e := range *les {
			fmt.Fprintf(w, "  %s\n", e)
		}
		return 1
	}
	fmt.Fprintf(w, "%s: %v\n", prefix, err)
	return 1
}

// faqSuggest runs `onestop faq suggest FAQ`: per entry, the words residents
// cannot reach it by, the entries it may be taken for and the sample
// phrasings the resident-question library proposes; with --phrasings it
// writes the FAQ as CSV with those phrasings for staff to review.
func faqSuggest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("faq suggest", "onestop faq suggest [--readings=false] [--max N] [--phrasings 出力.csv [--force]] FAQ", stderr)
	readings := fs.Bool("readings", true, "形態素辞書で言葉と読みを取り出す")
	maxN := fs.Int("max", chatbot.DefaultMaxPhrasings, "1項目あたりの言い換え候補の数の上限")
	outPath := fs.String("phrasings", "", "言い換え候補を「言い換え」列に入れた FAQ を書き出す CSV ファイル（確認・編集してから読み込みます）")
	force := fs.Bool("force", false, "--phrasings の出力ファイルがすでにあれば上書きする")
	except := fs.String("library-except", "", "住民の質問集から除く開発用 FAQ（カンマ区切り。開発用 FAQ 自身を点検するとき）")
	if err := fs.parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "onestop faq suggest: FAQ ファイルを1つ指定してください（例: onestop faq suggest city.csv）")
		return 2
	}
	if *maxN < 1 {
		fmt.Fprintln(stderr, "onestop faq suggest: --max は 1 以上にしてください")
		return 2
	}
	path := fs.Arg(0)
	libOpt, err := libraryOption(true, *except)
	if err != nil {
		fmt.Fprintf(stderr, "onestop faq suggest: %v\n", err)
		return 2
	}
	if *outPath != "" {
		if err := checkOutput(path, *outPath, *force); err != nil {
			fmt.Fprintf(stderr, "onestop faq suggest: %v\n", err)
			return 2
		}
	}
	kb, err := loadKB(ctx, path)
	if err != nil {
		return reportErr(stderr, "onestop faq suggest", err)
	}
	var src chatbot.ReadingSource
	opts := libOpt
	if *readings {
		d, err := yomi.New()
		if err != nil {
			return reportErr(stderr, "onestop faq suggest", err)
		}
		src = d
		opts = append(opts, chatbot.WithReadings(d))
	}
	m, err := chatbot.Compile(kb, opts...)
	if err != nil {
		return reportErr(stderr, "onestop faq suggest", err)
	}
	phr, err := m.SuggestPhrasings(*maxN)
	if err != nil {
		return reportErr(stderr, "onestop faq suggest", err)
	}
	sugs := m.Suggestions(src)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: FAQ %d 件のうち %d 件に見直す点があります。\n", kb.Name, len(kb.Entries), len(sugs))
	var noRead, noOther, confused int
	for _, sg := range sugs {
		e := sg.Entry
		fmt.Fprintf(&b, "\n■ %s 「%s」 [%s]\n", e.ID, e.Question, e.Pos)
		if len(sg.NoReading) > 0 {
			noRead++
			fmt.Fprintf(&b, "  読みのない言葉（ひらがなで入力されると届きません）: %s\n", strings.Join(sg.NoReading, "、"))
		}
		if len(sg.NoOtherWord) > 0 {
			noOther++
			fmt.Fprintf(&b, "  言い換えのない言葉（この言葉そのものでしか届きません）: %s\n", strings.Join(sg.NoOtherWord, "、"))
		}
		for _, c := range sg.Confused {
			confused++
			how := fmt.Sprintf("自分は %d 位、相手の点数は自分の %.0f%%", c.Rank, 100*c.Ratio)
			if c.Rank == 0 {
				how = "自分は 3 位以内に入りません"
			}
			if c.Answered {
				how += "。相手の項目で直接回答されます"
			}
			fmt.Fprintf(&b, "  取り違えやすい項目: %s 「%s」（「%s」で%s）\n", c.Entry.ID, c.Entry.Question, c.Text, how)
		}
	}
	fmt.Fprintf(&b, "\n合計: 読みのない言葉がある項目 %d、言い換えのない言葉がある項目 %d、取り違えやすい組 %d。\n", noRead, noOther, confused)
	b.WriteString("直し方: 住民が使う言葉で「言い換え」（phrasings）や「別表現」（keywords）を足し、読みは aliases に書きます（docs/chatbot.md の職員向けの節）。\n")
	writePhrasings(&b, phr, len(kb.Entries))
	if *outPath != "" {
		if err := writeFileAtomic(*outPath, *force, func(w io.Writer) error { return chatbot.WriteCSV(w, kb.WithPhrasings(phr)) }); err != nil {
			return reportErr(stderr, "onestop faq suggest", err)
		}
		fmt.Fprintf(&b, "\n言い換え候補を「言い換え」列に入れた FAQ を %s に書き出しました。確認・編集してから読み込んでください（元の %s は変えていません）。\n", *outPath, path)
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return reportErr(stderr, "onestop faq suggest", err)
	}
	return 0
}

// writePhrasings prints the library's candidate phrasings per entry.
func writePhrasings(b *strings.Builder, phr []chatbot.PhrasingSuggestion, entries int) {
	if len(phr) == 0 {
		b.WriteString("\n住民の質問集からの言い換え候補はありません（質問集を使っていないか、どの項目にも対応づけられませんでした）。\n")
		return
	}
	n := 0
	for _, p := range phr {
		n += len(p.Phrasings)
	}
	fmt.Fprintf(b, "\n住民の質問集からの言い換え候補（FAQ %d 件のうち %d 件に計 %d 個。ほかの自治体で住民が似た項目をこう尋ねました。← の後はその自治体の FAQ の質問です。ほかの項目と取り違えるものは除いてあります。この項目が答えていないことを聞いている候補は除いてから「言い換え」に足してください）:\n", entries, len(phr), n)
	for _, p := range phr {
		fmt.Fprintf(b, "\n■ %s 「%s」\n", p.Entry.ID, p.Entry.Question)
		for i, q := range p.Phrasings {
			fmt.Fprintf(b, "  ・%s　← 「%s」への質問\n", q, p.Origins[i].Question)
		}
	}
}

// The sentinels of outputError: nothing was written.
var (
	errOutputExists  = errors.New("output file exists")
	errOutputIsInput = errors.New("output file is the input")
)

// outputError is a refused or failed output file, with a message for staff.
type outputError struct {
	Path string
	Msg  string
	Err  error
}

func (e *outputError) Error() string { return e.Path + ": " + e.Msg }
func (e *outputError) Unwrap() error { return e.Err }

// checkOutput refuses an output file that is the input, or that exists
// unless force.
func checkOutput(in, out string, force bool) error {
	oi, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &outputError{out, "出力先を確かめられません（" + err.Error() + "）", err}
	}
	if ii, err := os.Stat(in); err == nil && os.SameFile(ii, oi) {
		return &outputError{out, "入力の FAQ と同じファイルには書き出しません。別のファイル名を指定してください", errOutputIsInput}
	}
	if oi.IsDir() {
		return &outputError{out, "フォルダです。ファイル名を指定してください", errOutputExists}
	}
	if !force {
		return &outputError{out, "すでにあります。上書きするなら --force を付けるか、別のファイル名を指定してください", errOutputExists}
	}
	return nil
}

// writeFileAtomic writes path through a temporary file in the same folder
// and renames it into place, so that path holds either its old content or
// the whole new one. An existing path is replaced only if force.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &outputError{path, "書き出せません（" + err.Error() + "）。フォルダがあるか、書き込めるか確かめてください", err}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return &outputError{path, "書き出せません（" + err.Error() + "）", err}
	}
	if err = tmp.Close(); err != nil {
		return &outputError{path, "書き出せません（" + err.Error() + "）", err}
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return &outputError{path, "書き出せません（" + err.Error() + "）", err}
	}
	if !force {
		// Link fails if path appeared meanwhile: never replace a file
		// without --force.
		if err = os.Link(tmp.Name(), path); err != nil {
			if errors.Is(err, os.ErrExist) {
				return &outputError{path, "すでにあります。上書きするなら --force を付けるか、別のファイル名を指定してください", errOutputExists}
			}
		} else {
			os.Remove(tmp.Name())
			return nil
		}
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return &outputError{path, "書き出せません（" + err.Error() + "）", err}
	}
	return nil
}

// confidenceOption turns --confidence into a matcher option: the bar for
// direct answers (Thresholds.Confidence), with Confirm below it by the
// shipped offset; 0 keeps the shipped thresholds.
func confidenceOption(c float64) ([]chatbot.Option, error) {
	if c == 0 {
		return nil, nil
	}
	if !(c > 0 && c <= 1) {
		return nil, fmt.Errorf("--confidence は 0 より大きく 1 以下の値にしてください（%v）", c)
	}
	return []chatbot.Option{chatbot.WithThresholds(chatbot.DefaultThresholds().WithBar(c))}, nil
}

// faqCalibrate runs `onestop faq calibrate`: the bar for direct answers
// chosen on a municipality's own labelled questions (chatbot.Calibrate),
// with the curve, the recommendation and its cross-validated estimate.
func faqCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("faq calibrate", "onestop faq calibrate [--faq FAQ] --queries 質問セット.json [--max-wrong 0.02] [--min-rejection 0.90] [--wrong-margin 0.005] [--rejection-margin 0.03] [--curve]", stderr)
	faq := fs.String("faq", "", "FAQ ファイル（YAML か CSV。省略時は同梱の既定 FAQ）")
	queries := fs.String("queries", "", "正解付きの質問セット（JSON。住民の実際の質問に正解の FAQ ID を付けたもの。対象外は null）")
	d := chatbot.DefaultCalibrationBounds()
	maxWrong := fs.Float64("max-wrong", d.MaxWrong, "誤った直接回答の上限（対象内の質問に対する割合）")
	minRej := fs.Float64("min-rejection", d.MinRejection, "対象外の質問を直接回答しない割合の下限")
	wrongMargin := fs.Float64("wrong-margin", d.WrongMargin, "誤答の上限に対する余裕（質問セットではこれだけ内側に収める）")
	rejMargin := fs.Float64("rejection-margin", d.RejectionMargin, "拒否率の下限に対する余裕")
	curve := fs.Bool("curve", false, "すべてのしきい値（0.50〜0.99、0.01 刻み）の結果を表示する（既定は 0.05 刻み）")
	readings := fs.Bool("readings", true, "形態素辞書で FAQ の言葉の読みを作る（ひらがなの質問のため）")
	except := fs.String("library-except", "", "住民の質問集から除く開発用 FAQ（カンマ区切り。開発用 FAQ 自身を調べるとき）")
	if err := fs.parse(args); err != nil {
		return flagExit(err)
	}
	if *queries == "" {
		fmt.Fprintln(stderr, "onestop faq calibrate: --queries で正解付きの質問セットを指定してください")
		return 2
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"--max-wrong", *maxWrong}, {"--min-rejection", *minRej}, {"--wrong-margin", *wrongMargin}, {"--rejection-margin", *rejMargin}} {
		if !(v.x >= 0 && v.x <= 1) {
			fmt.Fprintf(stderr, "onestop faq calibrate: %s は 0 以上 1 以下の割合で指定してください（%v。2%% なら 0.02）\n", v.name, v.x)
			return 2
		}
	}
	if *wrongMargin > *maxWrong || *minRej+*rejMargin > 1 {
		fmt.Fprintln(stderr, "onestop faq calibrate: 余裕が大きすぎます（--wrong-margin は --max-wrong 以下、--min-rejection と --rejection-margin の和は 1 以下）")
		return 2
	}
	margin := func(x float64) float64 {
		if x == 0 {
			return chatbot.NoMargin
		}
		return x
	}
	b := chatbot.CalibrationBounds{MaxWrong: *maxWrong, MinRejection: *minRej, WrongMargin: margin(*wrongMargin), RejectionMargin: margin(*rejMargin)}
	libOpt, err := libraryOption(true, *except)
	if err != nil {
		fmt.Fprintf(stderr, "onestop faq calibrate: %v\n", err)
		return 2
	}
	c, err := compileKB(ctx, *faq, *readings, libOpt...)
	if err != nil {
		return reportErr(stderr, "onestop faq calibrate", err)
	}
	qs, err := loadQueriesFor(c.kb, *queries)
	if err != nil {
		return reportErr(stderr, "onestop faq calibrate", err)
	}
	cal, err := chatbot.Calibrate(ctx, c.m, qs, b)
	var few *chatbot.TooFewQuestionsError
	switch {
	case errors.As(err, &few):
		fmt.Fprintf(stderr, "onestop faq calibrate: 質問が少なすぎます（対象内 %d 問・対象外 %d 問）。対象内 %d 問・対象外 %d 問以上にしてください（少ないと 1 問で率が基準の余裕より大きく動きます）\n",
			few.InScope, few.OutOfScope, few.MinInScope, few.MinOutOfScope)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "onestop faq calibrate: %v\n", err)
		return 2
	}
	writeCalibration(stdout, c.kb, *queries, cal, *curve)
	return 0
}

// writeCalibration prints a calibration for staff, in Japanese.
func writeCalibration(w io.Writer, kb *chatbot.KnowledgeBase, queries string, cal chatbot.Calibration, all bool) {
	pct := func(x float64) string { return fmt.Sprintf("%5.1f%%", 100*x) }
	b := cal.Bounds
	fmt.Fprintf(w, "■ しきい値の調整: FAQ %s（%d 件）/ 質問セット %s（対象内 %d 問・対象外 %d 問）\n",
		kb.Name, len(kb.Entries), queries, cal.Current.InScope, cal.Current.OutOfScope)
	fmt.Fprintf(w, "  基準: 誤った直接回答 %.1f%% 以下、対象外の拒否率 %.1f%% 以上（質問セットでは余裕をみて %.1f%% 以下・%.1f%% 以上）\n",
		100*b.MaxWrong, 100*b.MinRejection, 100*(b.MaxWrong-b.WrongMargin), 100*(b.MinRejection+b.RejectionMargin))
	fmt.Fprintln(w, "       しきい値         直接回答して正解  直接回答して誤り  対象外の拒否率")
	row := func(label string, f chatbot.BarFigures) {
		bar := "―"
		if f.Confidence > 0 {
			bar = fmt.Sprintf("%.3f / %.3f", f.Confidence, f.Confirm)
		}
		fmt.Fprintf(w, "  %s %-13s  %s（%4d）  %s（%4d）  %s（%4d/%4d）\n", label, bar,
			pct(f.RightRate()), f.Right, pct(f.WrongRate()), f.Wrong, pct(f.RejectionRate()), f.Rejected, f.OutOfScope)
	}
	for _, f := range cal.Curve {
		hundredths := int(f.Confidence*100 + 0.5)
		if all || hundredths%5 == 0 || (cal.Found && f.Confidence == cal.Chosen.Confidence) {
			row("    ", f)
		}
	}
	row("現在", cal.Current)
	if !cal.Found {
		fmt.Fprintln(w, "  推奨 基準を満たすしきい値がありません。現在の値のままにし、FAQ を見直してください（onestop faq suggest）。")
	} else {
		row("推奨", cal.Chosen)
	}
	cv := cal.CrossValidated
	fmt.Fprintf(w, "  見込み（%d 分割の交差検証: しきい値を選んだのとは別の質問で）正解 %s  誤り %s  拒否率 %s\n",
		b.Folds, pct(cv.RightRate()), pct(cv.WrongRate()), pct(cv.RejectionRate()))
	switch {
	case !cal.Found:
	case cal.Chosen.Confidence > cal.Current.Confidence+1e-9:
		// The current bar leaves too little room on this sample: raise it,
		// whatever the estimate of choosing says about direct answers.
		fmt.Fprintf(w, "  判断 現在のしきい値では、この質問セットで誤りか拒否率が基準の余裕を割ります（誤り %s・拒否率 %s）。直接回答は減りますが、%.3f に上げることを勧めます。onestop faq eval --confidence %.3f で確かめ、組み込む側で chatbot.WithThresholds に Confidence %.3f・Confirm %.3f を渡してください。\n",
			strings.TrimSpace(pct(cal.Current.WrongRate())), strings.TrimSpace(pct(cal.Current.RejectionRate())),
			cal.Chosen.Confidence, cal.Chosen.Confidence, cal.Chosen.Confidence, cal.Chosen.Confirm)
	case cal.Chosen.Confidence > cal.Current.Confidence-1e-9:
		fmt.Fprintln(w, "  判断 現在のしきい値が、基準を余裕込みで満たす最も低い値です。変える必要はありません。")
	case cv.WrongRate() > b.MaxWrong || cv.RejectionRate() < b.MinRejection:
		fmt.Fprintln(w, "  判断 下げたときの見込みが基準を外れます。現在の値のままにし、質問を増やしてから測り直してください。")
	case cv.RightRate() <= cal.Current.RightRate():
		fmt.Fprintln(w, "  判断 下げても見込みでは直接回答が増えません。現在の値のままで構いません。")
	default:
		fmt.Fprintf(w, "  判断 下げたときの見込みは基準内です。採用するには onestop faq eval --confidence %.3f で確かめ、組み込む側で chatbot.WithThresholds に Confidence %.3f・Confirm %.3f を渡してください。\n",
			cal.Chosen.Confidence, cal.Chosen.Confidence, cal.Chosen.Confirm)
		fmt.Fprintln(w, "       見込みは平均です。開発用の FAQ で約 180 問から選んだしきい値は、次の 120 問で 3〜4 回に 1 回ほど基準を外れました（同梱のしきい値でも 3 回に 1 回ほど。docs/chatbot.md）。採用後も新しい質問で faq eval を測り直してください。")
	}
}

// loadQueriesFor reads a labelled query file (--queries) and checks that
// every expected ID is an entry of kb.
func loadQueriesFor(kb *chatbot.KnowledgeBase, path string) ([]chatbot.LabeledQuery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := chatbot.LoadQueries(f, path)
	if err != nil {
		return nil, err
	}
	if err := chatbot.CheckQueries(kb, qs); err != nil {
		return nil, err
	}
	return qs, nil
}
