package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/outreach"
)

const outreachUsage = "onestop outreach --store DSN --as-of 日付 --tenant 団体コード --org 部署 [--dry-run] [--messages FILE] [--pack DIR]... [--format table|json] [--progress auto|always|never]\n\n" +
	"  ケース記録から、新たに対象となった制度の通知（プッシュ型支援）を作ります。\n" +
	"  DSN は sqlite:/var/lib/onestop/casefile.db（または .db ファイルのパス）か postgres://… です。\n" +
	"  --dry-run では通知を作らず、作られる件数と、通知しなかった理由別の件数だけを表示します。\n" +
	"  送信は、通知文面（--messages、窓口の情報を含む）と送信サービスを設定した別の処理で行います。"

func cmdOutreach(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("outreach", outreachUsage, stderr)
	store := fs.String("store", "", "ケース記録のデータベース（sqlite:パス または postgres://…）")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "基準日（2026-12-04、令和8年12月4日 など）")
	dry := fs.Bool("dry-run", false, "通知を作らず、作られる件数と理由別の件数を表示する")
	tenant := fs.String("tenant", "", "全国地方公共団体コード（6桁）")
	org := fs.String("org", "", "通知する部署（ケースを持つ窓口）のコード")
	user := fs.String("user", "outreach-cli", "監査ログに記録する利用者")
	messages := fs.String("messages", "", "通知文面のファイル（YAML。窓口 desk: を含む）。省略時は同梱の文面")
	var packDirs listFlag
	fs.Var(&packDirs, "pack", "ルールパックのフォルダ（繰り返すと重ねます。省略時は組み込みの全国パック）")
	format := fs.String("format", "table", "結果の形式: table（表）または json")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "同時に判定する数")
	progressFlag := fs.String("progress", "auto", "進み具合の表示: auto（端末で、結果を端末以外に出力する長い処理のとき）、always、never")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	var problems []string
	switch {
	case len(rest) > 0:
		problems = append(problems, fmt.Sprintf("余分な引数があります（%s）", strings.Join(rest, " ")))
	case *store == "":
		problems = append(problems, "--store（ケース記録のデータベース）を指定してください")
	}
	if !asOf.set {
		problems = append(problems, "--as-of（基準日）を指定してください")
	}
	if !validTenant(*tenant) {
		problems = append(problems, "--tenant は全国地方公共団体コード（6桁の数字）です")
	}
	if strings.TrimSpace(*org) == "" {
		problems = append(problems, "--org（通知する部署のコード）を指定してください")
	}
	if *format != "table" && *format != "json" {
		problems = append(problems, fmt.Sprintf("--format は table か json です（%q）", *format))
	}
	if *workers < 1 {
		problems = append(problems, "--workers は 1 以上にしてください")
	}
	if *progressFlag != "auto" && *progressFlag != "always" && *progressFlag != "never" {
		problems = append(problems, fmt.Sprintf("--progress は auto・always・never のどれかです（%q）", *progressFlag))
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "onestop outreach: "+p)
		}
		fs.Usage()
		return 2
	}
	target, err := parseStoreDSN(*store)
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		return 2
	}
	msgs, err := loadMessages(*messages, *dry)
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		return 2
	}
	eng, err := loadEngine(packDirs)
	if err != nil {
		printLoadError(stderr, err)
		return 2
	}
	if missing := msgs.Missing(eng.Programs()); len(missing) > 0 {
		fmt.Fprintf(stderr, "onestop outreach: 通知文面のない制度は通知しません: %s\n", strings.Join(missing, ", "))
	}
	st, err := target.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		return 1
	}
	defer st.Close()
	const role = "outreach"
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{role: casefile.PermRead | casefile.PermWrite}})
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		return 1
	}
	r, err := outreach.New(svc, eng, msgs, outreach.WithWorkers(*workers))
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		return 1
	}
	actor := casefile.Actor{Tenant: *tenant, User: *user, Org: *org, Role: role, Client: "onestop-cli"}
	// As for screen: a long run keeps little in memory, so the collector
	// would run very often; trade some memory for throughput unless the
	// operator chose GOGC.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	opts := outreach.RunOptions{DryRun: *dry}
	prog := newProgress(progressMode(*progressFlag), stderr, stdout, 0)
	if prog != nil {
		opts.Progress = func(p outreach.Progress) { prog.update(p.Cases, 0) }
	}
	rep, err := r.Run(ctx, actor, asOf.d, opts)
	if rep != nil {
		prog.done(rep.Cases)
	}
	if rep != nil {
		if werr := writeOutreachReport(stdout, rep, eng, *format); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "onestop outreach: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

func writeOutreachReport(w io.Writer, rep *outreach.Report, eng *eligibility.Engine, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	names := map[string]string{}
	for _, p := range eng.Programs() {
		names[p.ID] = p.Name
	}
	return rep.WriteText(w, func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	})
}

// loadMessages reads the texts: a file, or the shipped ones. A run that
// writes notices needs a desk to send people to; a dry run does not.
func loadMessages(path string, dry bool) (*outreach.Messages, error) {
	if path == "" {
		if !dry {
			return nil, errors.New("通知を作るには、窓口（desk:）を書いた通知文面のファイルを --messages で指定してください（--dry-run なら不要です）")
		}
		return outreach.LoadMessages(outreach.DefaultMessagesFile(), "同梱の文面")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("通知文面 %s を読めません: %w", path, err)
	}
	m, err := outreach.LoadMessages(data, path)
	if err != nil {
		return nil, err
	}
	if m.Desk == (outreach.Desk{}) && !dry {
		return nil, fmt.Errorf("通知文面 %s に窓口（desk:）がありません", path)
	}
	return m, nil
}

// storeTarget is a parsed --store.
type storeTarget struct {
	kind string // sqlite, postgres
	path string // the SQLite file, or the PostgreSQL DSN
}

// parseStoreDSN reads --store: sqlite:PATH, sqlite://PATH, a path ending
// in .db, .sqlite or .sqlite3, or postgres:// (postgresql://). Errors never
// repeat a PostgreSQL DSN (it may hold a password).
func parseStoreDSN(dsn string) (storeTarget, error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case dsn == "":
		return storeTarget{}, errors.New("--store が空です")
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			return storeTarget{}, errors.New("--store の PostgreSQL の接続先（postgres://ユーザー:パスワード@ホスト:ポート/データベース）が読めません")
		}
		return storeTarget{kind: "postgres", path: dsn}, nil
	case strings.HasPrefix(dsn, "sqlite://"):
		return sqliteTarget(strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqliteTarget(strings.TrimPrefix(dsn, "sqlite:"))
	}
	lower := strings.ToLower(dsn)
	if strings.HasSuffix(lower, ".db") || strings.HasSuffix(lower, ".sqlite") || strings.HasSuffix(lower, ".sqlite3") {
		return sqliteTarget(dsn)
	}
	if i := strings.Index(dsn, "://"); i > 0 {
		return storeTarget{}, fmt.Errorf("--store の種類 %q は使えません（sqlite: か postgres://）", truncateRunes(dsn[:i], 20))
	}
	return storeTarget{}, errors.New("--store は sqlite:ファイルのパス か postgres://… で指定してください")
}

func sqliteTarget(path string) (storeTarget, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.ContainsAny(path, "?\x00") {
		return storeTarget{}, errors.New("--store の SQLite のファイルのパスが正しくありません")
	}
	return storeTarget{kind: "sqlite", path: path}, nil
}

// open opens the store. A SQLite file must exist: a run on a new, empty
// file would be a typo in the path, not an empty municipality.
func (s storeTarget) open(ctx context.Context) (casefile.Store, error) {
	switch s.kind {
	case "sqlite":
		if _, err := os.Stat(s.path); err != nil {
			return nil, fmt.Errorf("SQLite のファイル %s がありません", s.path)
		}
		return sqlstore.OpenSQLite(ctx, s.path)
	case "postgres":
		st, err := sqlstore.OpenPostgres(ctx, s.path)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL に接続できません（--store の接続先と、サーバーが動いているかを確かめてください）: %w", err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown store kind %q", s.kind)
}

func validTenant(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
