package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/forms"
	"github.com/onestop-jp/onestop/wareki"
)

const formUsage = "onestop form <check|schema|fill> …\n\n" +
	"  onestop form check [FORM...]      定義ファイルを読み込み、誤りを ファイル:行:列 で示す\n" +
	"  onestop form schema [--definition] [FORM]\n" +
	"                                    回答（送信内容）の JSON Schema を出力する。--definition は定義ファイルの JSON Schema\n" +
	"  onestop form fill [--pack DIR]... [--as-of 日付] [--program ID]... [--format text|json] FORM ANSWERS.json\n" +
	"                                    回答を検査・正規化し、制度の判定と次に尋ねる項目を示す\n\n" +
	"  FORM は定義ファイル（YAML・JSON）のパス、または組み込みの定義 @model（モデルフォーム）・\n" +
	"  @child-rearing-allowance（児童扶養手当認定請求書）・@tokyo-single-parent-medical（マル親の申請書）。\n" +
	"  check で FORM を省略すると組み込みの定義をすべて調べます。"

// embeddedForms are the definitions built into the binary, by the name the
// CLI knows them by.
var embeddedForms = map[string]string{
	"@model":                       forms.ModelPath,
	"@child-rearing-allowance":     forms.ChildRearingAllowancePath,
	"@tokyo-single-parent-medical": forms.TokyoMedicalPath,
}

func cmdForm(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "使い方: %s\n", formUsage)
		return 2
	}
	switch args[0] {
	case "check":
		return formCheck(args[1:], stdout, stderr)
	case "schema":
		return formSchema(args[1:], stdout, stderr)
	case "fill":
		return formFill(ctx, args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, "使い方: %s\n", formUsage)
		return 0
	}
	fmt.Fprintf(stderr, "onestop form: 不明なサブコマンド %q です\n使い方: %s\n", args[0], formUsage)
	return 2
}

// loadForm loads a definition from a file or the embedded ones.
func loadForm(name string) (*forms.Form, error) {
	if p, ok := embeddedForms[name]; ok {
		return forms.Load(forms.ModelFiles(), p)
	}
	if strings.HasPrefix(name, "@") {
		return nil, fmt.Errorf("組み込みの定義に %q はありません（@model・@child-rearing-allowance・@tokyo-single-parent-medical）", name)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("定義ファイル %s を読めません: %w", name, err)
	}
	return forms.Parse(data, filepath.ToSlash(name))
}

func formCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("onestop form check", "onestop form check [FORM...]", stderr)
	names, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(names) == 0 {
		for n := range embeddedForms {
			names = append(names, n)
		}
		slices.Sort(names)
	}
	code := 0
	for _, n := range names {
		f, err := loadForm(n)
		if err != nil {
			var de *forms.DefinitionError
			if errors.As(err, &de) {
				for _, p := range de.Problems {
					fmt.Fprintln(stderr, p.String())
				}
			} else {
				fmt.Fprintf(stderr, "%s: %v\n", n, err)
			}
			code = 1
			continue
		}
		in := f.Info()
		fields := 0
		for _, p := range f.Pages() {
			fields += countFields(p.Fields)
		}
		kind := "入力フォーム"
		if in.Kind == forms.KindApplication {
			kind = "申請書（" + in.Application.Program + "・提出先 " + in.Application.Recipient.Name + "）"
		}
		fmt.Fprintf(stdout, "%s: OK — %s %s（%s 版 %s）、%d ページ・%d 項目\n", n, kind, in.Title, in.ID, in.Version, len(f.Pages()), fields)
	}
	return code
}

func countFields(fs []forms.Field) int {
	n := 0
	for _, f := range fs {
		n++
		n += countFields(f.Fields)
	}
	return n
}

func formSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("onestop form schema", "onestop form schema [--definition] [FORM]", stderr)
	def := fs.Bool("definition", false, "定義ファイル（YAML）そのものの JSON Schema を出力する")
	names, err := parseInterleaved(fs, args)
	if err != nil || len(names) > 1 {
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	if *def {
		if _, err := stdout.Write(forms.DefinitionSchema()); err != nil {
			return 1
		}
		return 0
	}
	name := "@model"
	if len(names) == 1 {
		name = names[0]
	}
	f, err := loadForm(name)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if _, err := stdout.Write(f.Schema()); err != nil {
		return 1
	}
	return 0
}

func formFill(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const usage = "onestop form fill [--pack DIR]... [--as-of 日付] [--program ID]... [--format text|json] FORM ANSWERS.json"
	fs := newFlagSet("onestop form fill", usage, stderr)
	var packDirs, programs listFlag
	var asOf dateFlag
	fs.Var(&packDirs, "pack", "ルールパックのフォルダ（複数可。省略時は組み込みの全国パック）")
	fs.Var(&asOf, "as-of", "回答に記入日（date）がないときの記入日（例: 2026-12-04、令和8年12月4日。省略時は今日）")
	fs.Var(&programs, "program", "判定する制度の ID（複数可。省略時はすべて）")
	format := fs.String("format", "text", "出力の形式: text（日本語の一覧）または json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 2 || (*format != "text" && *format != "json") {
		fs.Usage()
		return 2
	}
	f, err := loadForm(pos[0])
	if err != nil {
		var de *forms.DefinitionError
		if errors.As(err, &de) {
			for _, p := range de.Problems {
				fmt.Fprintln(stderr, p.String())
			}
		} else {
			fmt.Fprintln(stderr, err)
		}
		return 1
	}
	var data []byte
	if pos[1] == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, forms.MaxSubmissionSize+1))
	} else {
		data, err = os.ReadFile(pos[1])
	}
	if err != nil {
		fmt.Fprintf(stderr, "回答ファイル %s を読めません: %v\n", pos[1], err)
		return 1
	}
	engine, err := loadEngine(packDirs)
	if err != nil {
		printLoadError(stderr, err)
		return 1
	}
	if msg := checkProgramIDs(engine, programs); msg != "" {
		fmt.Fprintf(stderr, "onestop form fill: %s\n", msg)
		return 2
	}
	date := asOf.d
	if !asOf.set {
		date = today()
	}
	opts := []forms.Option{forms.On(date)}
	checked, cerr := f.Check(data, opts...)
	var ve *forms.ValidationError
	if cerr != nil && !errors.As(cerr, &ve) {
		fmt.Fprintln(stderr, cerr)
		return 1
	}
	var q *forms.Questions
	if f.Info().Kind == forms.KindForm {
		nopts := opts
		if len(programs) > 0 {
			nopts = append(nopts, forms.ForPrograms(programs...))
		}
		if q, err = f.Next(ctx, engine, data, nopts...); err != nil && ve == nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if *format == "json" {
		out := struct {
			Valid   bool                   `json:"valid"`
			Errors  []forms.FieldError     `json:"errors"`
			Checked *forms.Checked         `json:"submission,omitempty"`
			Dropped []string               `json:"dropped,omitempty"`
			Next    *forms.Questions       `json:"next,omitempty"`
			Facts   *eligibility.Household `json:"facts,omitempty"`
		}{Valid: cerr == nil, Errors: []forms.FieldError{}, Checked: checked, Next: q}
		if ve != nil {
			out.Errors = ve.Errors
		}
		if checked != nil {
			out.Dropped = checked.Dropped()
			if f.Info().Kind == forms.KindForm {
				out.Facts = checked.Household()
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return 1
		}
	} else {
		writeFill(stdout, f, checked, ve, q, date)
	}
	if cerr != nil {
		return 1
	}
	return 0
}

// writeFill prints the result of form fill for people.
func writeFill(w io.Writer, f *forms.Form, c *forms.Checked, ve *forms.ValidationError, q *forms.Questions, date civil.Date) {
	in := f.Info()
	switch {
	case c != nil:
		date = c.Date()
	case q != nil:
		if d, err := civil.Parse(q.Date); err == nil {
			date = d
		}
	}
	fmt.Fprintf(w, "フォーム %s（%s 版 %s）　記入日 %s\n", in.Title, in.ID, in.Version, wareki.Both(date))
	if ve != nil {
		fmt.Fprintf(w, "\n入力の誤り（%d 件）:\n", len(ve.Errors))
		for _, e := range ve.Errors {
			path := e.Path
			if path == "" {
				path = "（全体）"
			}
			fmt.Fprintf(w, "  %s: %s\n", path, e.Message)
		}
	} else {
		fmt.Fprintln(w, "\n入力の誤り: なし")
		if dropped := c.Dropped(); len(dropped) > 0 {
			fmt.Fprintf(w, "表示されない項目への回答（保存しません）: %s\n", strings.Join(dropped, "、"))
		}
	}
	if q == nil {
		return
	}
	fmt.Fprintln(w, "\n制度（ここまでの回答による判定）:")
	for _, p := range q.Programs {
		amount := ""
		if p.Amount != nil {
			amount = "　" + p.Amount.String()
		}
		fmt.Fprintf(w, "  %s　%s%s\n", p.Name, p.Label, amount)
	}
	groups := []struct {
		kind  forms.QuestionKind
		title string
	}{
		{forms.AskRule, "判定のために尋ねる項目"},
		{forms.AskHousehold, "世帯の構成"},
		{forms.AskRecord, "相談記録のために尋ねる項目"},
		{forms.AskConsent, "同意"},
	}
	for _, g := range groups {
		var lines []string
		for _, a := range q.Ask {
			if a.Kind != g.kind {
				continue
			}
			l := fmt.Sprintf("  %s　%s", a.Path, a.Label)
			if len(a.Programs) > 0 {
				l += "（" + programNames(q, a.Programs) + "）"
			}
			lines = append(lines, l)
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\n%s:\n%s\n", g.title, strings.Join(lines, "\n"))
		}
	}
	if len(q.Unasked) > 0 {
		fmt.Fprintln(w, "\nフォームに質問のない情報（フォームに項目を加えてください）:")
		for _, m := range q.Unasked {
			fmt.Fprintf(w, "  %s　%s\n", m.Path, m.Label)
		}
	}
	if len(q.Ask) == 0 {
		fmt.Fprintln(w, "\n尋ねる項目はもうありません。")
	}
}

func programNames(q *forms.Questions, ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		name := id
		for _, p := range q.Programs {
			if p.ID == id {
				name = p.Name
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, "、")
}
