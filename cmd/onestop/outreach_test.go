package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/casefile"
	"github.com/onestop-jp/onestop/casefile/sqlstore"
	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/population"
	"github.com/onestop-jp/onestop/outreach"
)

// outreachDB writes generated families into a new SQLite file.
func outreachDB(t *testing.T, n int) (string, []*population.Family) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "casefile.db")
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	require.NoError(t, err)
	defer st.Close()
	cfg := population.Default(11, "131016", "hitorioya-desk", civil.MustDate(2026, 12, 4))
	cfg.Now = time.Now().Add(-48 * time.Hour)
	g, err := population.New(cfg)
	require.NoError(t, err)
	fams := make([]*population.Family, n)
	for i := range fams {
		fams[i] = g.Next()
	}
	require.NoError(t, population.Write(context.Background(), st, "131016", fams, 50))
	return path, fams
}

func TestOutreachCommand(t *testing.T) {
	path, fams := outreachDB(t, 60)
	base := []string{"outreach", "--store", "sqlite:" + path, "--as-of", "令和8年12月4日", "--tenant", "131016", "--org", "hitorioya-desk"}

	out, errOut, code := runCLI(t, "", append(base, "--dry-run")...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "支援情報の通知（プッシュ型支援） — 試行（通知は作成していません）")
	assert.Contains(t, out, "読み込んだケース")
	assert.Contains(t, out, "通知しなかった世帯（理由別）")
	assert.Contains(t, out, "児童扶養手当")
	for _, f := range fams[:20] {
		secrets := []string{f.Persons[0].ID, f.Case.ID, f.Persons[0].ExternalIDs[0].Value}
		for _, c := range f.Persons[0].Contacts {
			secrets = append(secrets, c.Value)
		}
		for _, secret := range secrets {
			assert.NotContains(t, out+errOut, secret, "no personal data in the report")
		}
	}

	// Without texts and a desk, no notice is written.
	_, errOut, code = runCLI(t, "", base...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--messages")

	msgs := writeFile(t, "messages.yaml", strings.Replace(string(outreach.DefaultMessagesFile()), "version: 1\n",
		"version: 1\ndesk:\n  name: こども家庭課\n  sender: 千代田区\n  phone: 03-3264-0151\n", 1))
	out, errOut, code = runCLI(t, "", append(base, "--messages", msgs, "--format", "json")...)
	require.Equal(t, 0, code, errOut)
	var rep outreach.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Positive(t, rep.Planned)
	assert.Equal(t, 60, rep.Cases)

	st, err := sqlstore.OpenSQLite(context.Background(), path)
	require.NoError(t, err)
	defer st.Close()
	svc, err := casefile.New(st, casefile.Config{Roles: map[string]casefile.Permission{"r": casefile.PermRead}})
	require.NoError(t, err)
	ns, err := svc.Notifications(context.Background(), casefile.Actor{Tenant: "131016", User: "u", Org: "hitorioya-desk", Role: "r"}, casefile.NotificationQuery{})
	require.NoError(t, err)
	assert.Len(t, ns, rep.Planned)

	// Again: nothing new.
	out, _, code = runCLI(t, "", append(base, "--messages", msgs)...)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "通知済み（同じ制度・期間）")
}

func TestOutreachCommandErrors(t *testing.T) {
	for name, c := range map[string]struct {
		args []string
		code int
		want string
	}{
		"nothing":      {[]string{"outreach"}, 2, "--store"},
		"no date":      {[]string{"outreach", "--store", "sqlite:x.db", "--tenant", "131016", "--org", "d"}, 2, "--as-of"},
		"bad tenant":   {[]string{"outreach", "--store", "sqlite:x.db", "--as-of", "2026-12-04", "--tenant", "13101", "--org", "d"}, 2, "--tenant"},
		"bad date":     {[]string{"outreach", "--as-of", "2026-13-01"}, 2, "日付"},
		"bad scheme":   {[]string{"outreach", "--store", "mysql://u:secret@h/db", "--as-of", "2026-12-04", "--tenant", "131016", "--org", "d", "--dry-run"}, 2, "mysql"},
		"missing file": {[]string{"outreach", "--store", "sqlite:/nonexistent/x.db", "--as-of", "2026-12-04", "--tenant", "131016", "--org", "d", "--dry-run"}, 1, "ありません"},
		"bad format":   {[]string{"outreach", "--store", "sqlite:x.db", "--as-of", "2026-12-04", "--tenant", "131016", "--org", "d", "--format", "xml"}, 2, "--format"},
	} {
		_, errOut, code := runCLI(t, "", c.args...)
		assert.Equal(t, c.code, code, name)
		assert.Contains(t, errOut, c.want, name)
		assert.NotContains(t, errOut, "secret", name)
	}
}

func FuzzParseStoreDSN(f *testing.F) {
	for _, s := range []string{"sqlite:/var/lib/onestop/casefile.db", "postgres://onestop:secret@127.0.0.1:5432/db?sslmode=disable", "x.db",
		"postgresql://", "sqlite:", "sqlite://", "mysql://a:b@c/d", ":memory:", "sqlite::memory:", "ftp://secret@x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		target, err := parseStoreDSN(dsn)
		if err != nil {
			// An error never repeats what follows the scheme (credentials,
			// hosts): it is one of the fixed messages, or exactly the
			// message that names the scheme (parseStoreDSN trims the DSN
			// first, and the scheme may itself look like the rest:
			// " 00000000://00000000").
			msg := err.Error()
			if scheme, rest, ok := strings.Cut(strings.TrimSpace(dsn), "://"); ok && len(strings.TrimSpace(rest)) >= 8 {
				named := fmt.Sprintf("--store の種類 %q は使えません（sqlite: か postgres://）", truncateRunes(scheme, 20))
				if !slices.Contains(fixedDSNErrors, msg) && msg != named {
					t.Fatalf("error %q is neither a fixed message nor the one naming the scheme: it may repeat the DSN", msg)
				}
			}
			return
		}
		switch target.kind {
		case "sqlite":
			if target.path == "" || strings.Contains(target.path, "?") {
				t.Fatalf("bad SQLite path %q", target.path)
			}
		case "postgres":
		default:
			t.Fatalf("kind %q", target.kind)
		}
	})
}

var fixedDSNErrors = []string{"--store が空です",
	"--store の PostgreSQL の接続先（postgres://ユーザー:パスワード@ホスト:ポート/データベース）が読めません",
	"--store の SQLite のファイルのパスが正しくありません",
	"--store は sqlite:ファイルのパス か postgres://… で指定してください"}
