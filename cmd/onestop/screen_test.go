package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const samplePack = "../../eligibility/testdata/samplepack"

const households = `{"id":"h1","situation":"divorced","de_facto_partner":false,"members":[{"id":"p","relation":"self","resides_in_japan":true,"incomes":[{"year":2023,"business_income":1840000,"other_income":0,"child_support_received":0}]},{"id":"c1","relation":"child","birth_date":"2015-05-01"}],"extra":{"wants_visit":true}}
{"id":"h2","situation":"married","members":[{"id":"p","relation":"self"},{"id":"c1","relation":"child","birth_date":"2020-05-01"}]}
{"id":"h3","members":[{"id":"p","relation":"selff"}]}
{"id":"h4","de_facto_partner":false,"members":[{"id":"p","relation":"self"},{"id":"c1","relation":"child","birth_date":"2015-05-01"}]}
`

func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestScreenTable(t *testing.T) {
	f := writeFile(t, "h.jsonl", households)
	out, errOut, code := runCLI(t, "", "screen", "--pack", samplePack, f, "--as-of", "令和7年6月1日")
	assert.Equal(t, 1, code, "a household could not be read")
	assert.Contains(t, out, "世帯 h1　基準日 2025-06-01（令和7年6月1日）　ルール sample 0.1.0")
	assert.Contains(t, out, "28,970円/月")
	assert.Contains(t, out, "満たさない: 父母の離婚・死別などの支給要件に該当すること")
	assert.Contains(t, out, "要確認: 申請者の2023年分の所得、ひとり親になった事情")
	assert.Contains(t, out, "3 世帯を判定しました")
	assert.Contains(t, out, "読み込めなかった世帯 1 件")
	assert.Contains(t, errOut, "h.jsonl:3:44: 3件目: members[0].relation:")
	assert.NotContains(t, out, "h3", "a broken household is not screened")
}

func TestScreenJSONContract(t *testing.T) {
	out, _, code := runCLI(t, households, "screen", "--format", "json", "--pack", samplePack, "--as-of", "2025-06-01", "-")
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, "JSON Lines: one object per household")
	var s struct {
		HouseholdID string `json:"household_id"`
		AsOf        string `json:"as_of"`
		Pack        struct{ ID, Version string }
		Results     []struct {
			Program, Name, Status string
			Amount                *struct {
				Yen int64
				Per string
			}
			Conditions []struct {
				Reason string
				Result *bool
			}
			Missing  []any
			Warnings []any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &s))
	assert.Equal(t, "h1", s.HouseholdID)
	assert.Equal(t, "2025-06-01", s.AsOf)
	assert.Equal(t, "sample", s.Pack.ID)
	assert.Equal(t, "child-rearing-allowance", s.Results[0].Program)
	assert.Equal(t, "eligible", s.Results[0].Status)
	assert.Equal(t, int64(28970), s.Results[0].Amount.Yen)
	assert.Equal(t, "month", s.Results[0].Amount.Per)
	assert.NotNil(t, s.Results[0].Missing, "missing is [] not null")
	assert.NotNil(t, s.Results[0].Warnings)
	// The raw JSON has the contract's keys.
	for _, k := range []string{`"household_id"`, `"as_of"`, `"pack":{"id"`, `"results"`, `"program"`, `"status"`, `"amount":{"yen"`, `"conditions"`, `"missing"`, `"warnings"`} {
		assert.Contains(t, lines[0], k)
	}
}

func TestScreenExplain(t *testing.T) {
	out, _, code := runCLI(t, strings.SplitN(households, "\n", 2)[0], "screen", "--explain", "--program", "child-rearing-allowance", "--pack", samplePack, "--as-of", "2025-06-01", "-")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "○ 所得額が一部支給の限度額未満であること")
	assert.Contains(t, out, "所得額 1,760,000円、限度額 2,460,000円")
	assert.Contains(t, out, "income = 1,760,000")
	assert.Contains(t, out, "出典: https://www.city.togane.chiba.jp/0000000309.html")
	assert.NotContains(t, out, "児童手当")
}

func TestScreenArray(t *testing.T) {
	arr := `[{"id":"a","members":[{"relation":"self"}]},{"id":"b","members":[{"relation":"self"}]}]`
	out, _, code := runCLI(t, arr, "screen", "--format", "json", "--pack", samplePack, "--as-of", "2025-06-01", "-")
	assert.Equal(t, 0, code)
	assert.Equal(t, 2, strings.Count(out, "household_id"))
}

func TestScreenUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"screen"}, "ファイルを指定してください"},
		{[]string{"screen", "--format", "xml", "x"}, "--format は table か json"},
		{[]string{"screen", "--as-of", "令和7年13月1日", "x"}, "日付として読めません"},
		{[]string{"screen", "--pack", "/no/such/dir", "x"}, "見つかりません"},
		{[]string{"screen", "--pack", samplePack, "/no/such/file.jsonl"}, "開けません"},
		{[]string{"nope"}, "不明なコマンド"},
		// Flag errors in Japanese, with a suggestion for a typo.
		{[]string{"screen", "--progam", "x", "f"}, "onestop screen: オプション --progam はありません（もしかして --program？）"},
		{[]string{"screen", "--workers", "many", "f"}, `オプション --workers の値 "many" が正しくありません: 数として読めません`},
		{[]string{"screen", "--explain=maybe", "f"}, `オプション --explain の値 "maybe" は true か false で指定してください`},
		{[]string{"screen", "--as-of"}, "オプション --as-of には値が必要です"},
		{[]string{"pack", "check", "--as-off", "2025-01-01"}, "もしかして --as-of？"},
	}
	for _, tc := range tests {
		_, errOut, code := runCLI(t, "", tc.args...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Contains(t, errOut, tc.msg, "%v", tc.args)
		assert.NotContains(t, errOut, "flag provided", "%v", tc.args)
		assert.NotContains(t, errOut, "(default", "%v", tc.args)
	}
	_, _, code := runCLI(t, "", "screen", "-h")
	assert.Equal(t, 0, code, "help asked for")
}

// An unknown --program is a usage error: one Japanese message with the id
// meant, exit 2, nothing screened (it used to print an English line per
// household).
func TestScreenUnknownProgram(t *testing.T) {
	f := writeFile(t, "h.jsonl", households)
	out, errOut, code := runCLI(t, "", "screen", "--pack", samplePack, "--as-of", "2025-06-01", "--program", "child-alowance", f)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "onestop screen: --program の制度ID \"child-alowance\" はルールパックにありません（もしかして \"child-allowance\"？）\n", errOut)
	_, errOut, code = runCLI(t, "", "screen", "--pack", samplePack, "--as-of", "2025-06-01", "--program", "zzz", f)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "（制度ID: ")
}

func TestPackCheckAndTest(t *testing.T) {
	out, _, code := runCLI(t, "", "pack", "check", "--as-of", "2026-10-01", samplePack)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "ルールパック sample 0.1.0: 制度 3 件")
	assert.Contains(t, out, "params.cra_full_first（児童扶養手当 全部支給額（第1子））: 2026-04-01 以降の値が未登録")
	assert.Contains(t, out, "params.ca_third（児童手当 第3子以降）: 見直し期限を過ぎています")
	// The sample's fictional programme has no notice texts: it would never be
	// notified, and the check says so (the real ones have texts).
	assert.Contains(t, out, "通知文面のない制度 1 件")
	assert.Contains(t, out, "  visit-support（サンプル訪問支援（試験用の架空の制度））")
	_, errOut, code := runCLI(t, "", "pack", "check", "--messages", filepath.Join(t.TempDir(), "missing.yaml"), samplePack)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "通知文面 ")

	out, _, code = runCLI(t, "", "pack", "test", samplePack)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "テスト 14 件: 合格 14 件、不合格 0 件")
	assert.Contains(t, out, "要件の網羅（sample）")

	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "pack.yaml"), []byte("pack: {id: b, version: '1', title: t, jurisdiction: {level: national, code: JP}}\nprograms:\n  - id: p\n    name: n\n    category: c\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: r\n        expr: household.situaton == 'divorced'\n"), 0o644))
	out, _, code = runCLI(t, "", "pack", "check", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "pack.yaml:10:24: エラー: 要件 1: \"situaton\" という項目はありません（もしかして \"situation\"？）")

	// An expression the compiler leaves to the interpreter is listed.
	slow := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(slow, "pack.yaml"), []byte("pack: {id: s, version: '1', title: t, jurisdiction: {level: national, code: JP}}\nprograms:\n  - id: p\n    name: n\n    category: c\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n      - reason: r\n        expr: \"{'a': 1}['a'] == 1\"\n"), 0o644))
	out, _, code = runCLI(t, "", "pack", "check", slow)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "インタプリタで評価する式 1 件")
	assert.Contains(t, out, "pack.yaml:10:15: 要件 1: この式はインタプリタで評価します")
	out, _, _ = runCLI(t, "", "pack", "check", samplePack)
	assert.NotContains(t, out, "インタプリタ")

	out, _, code = runCLI(t, "", "pack", "schema")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, `"$id": "https://github.com/onestop-jp/onestop/eligibility/household.schema.json"`)
}

// Parallel screening keeps the input order, and reports unreadable
// households in order too.
func TestScreenParallelKeepsOrder(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 300; i++ {
		if i%37 == 5 {
			in.WriteString(`{"id":"bad` + itoa(i) + `","members":[{"relation":"nobody"}]}` + "\n")
			continue
		}
		in.WriteString(`{"id":"h` + itoa(i) + `","members":[{"relation":"self"},{"relation":"child","birth_date":"2015-05-01"}]}` + "\n")
	}
	out, errOut, code := runCLI(t, in.String(), "screen", "--workers", "4", "--format", "json", "--pack", samplePack, "--as-of", "2025-06-01", "-")
	assert.Equal(t, 1, code)
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s struct {
			HouseholdID string `json:"household_id"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &s))
		ids = append(ids, s.HouseholdID)
	}
	var want []string
	for i := 0; i < 300; i++ {
		if i%37 != 5 {
			want = append(want, "h"+itoa(i))
		}
	}
	assert.Equal(t, want, ids)
	errLines := strings.Split(strings.TrimSpace(errOut), "\n")
	require.Len(t, errLines, 8)
	assert.Contains(t, errLines[0], "6件目")
	assert.Contains(t, errLines[7], "265件目")
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestBatchMemorySetsALimitAndRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	loaded, restore := batchMemory()
	loadLimit := debug.SetMemoryLimit(-1)
	loadPercent := debug.SetGCPercent(-1)
	garbage := make([][]byte, 0, 64)
	for range 64 { // a pack load's garbage: 32 MiB, more than 128 MiB / 8
		garbage = append(garbage, make([]byte, 512<<10))
	}
	runtime.KeepAlive(garbage)
	garbage = nil
	loaded()
	limit := debug.SetMemoryLimit(-1)
	percent := debug.SetGCPercent(-1)
	live := heapBytes("/gc/heap/live:bytes")
	restore()
	assert.GreaterOrEqual(t, loadLimit, int64(128<<20), "the limit holds while the packs load")
	assert.Equal(t, -1, loadPercent, "no GOGC collections while the packs load")
	assert.GreaterOrEqual(t, limit, int64(128<<20))
	assert.GreaterOrEqual(t, limit, 8*live)
	assert.Equal(t, -1, percent, "the collector runs at the limit only")
	assert.Equal(t, before, debug.SetMemoryLimit(-1))
	after := debug.SetGCPercent(-1) // reads it…
	debug.SetGCPercent(after)       // …and puts it back
	assert.NotEqual(t, -1, after, "GOGC restored")
}

// TestScreenLoadsThePacksWithoutCollecting: the collector is set for the
// batch before the packs load, so loading them costs at most the one
// collection that measures the live heap (under GOGC=100 it cost 4–5).
func TestScreenLoadsThePacksWithoutCollecting(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("the operator's GOGC or GOMEMLIMIT win")
	}
	file := filepath.Join(t.TempDir(), "one.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"id":"h","members":[{"id":"p","relation":"self"}]}`), 0o600))
	runtime.GC()
	cycles := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	start := cycles()
	var out, errOut bytes.Buffer
	code := cmdScreen(context.Background(), []string{"--format", "json", "--as-of", "2026-11-23", file}, nil, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.LessOrEqual(t, cycles()-start, uint64(1))
}
