package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleReformDir = "../../examples/reforms/cra-2024-11"

// reformPopulation writes generated households for the months before the
// 2024-11 reform.
func reformPopulation(t *testing.T, n int) string {
	t.Helper()
	g, err := synth.New(synth.Config{Seed: 3, AsOf: civil.MustDate(2024, 10, 1)})
	require.NoError(t, err)
	var b strings.Builder
	for range n {
		line, err := json.Marshal(g.Next())
		require.NoError(t, err)
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString(`{"id":"broken","members":[{"relation":"selff"}]}` + "\n")
	return writeFile(t, "population.jsonl", b.String())
}

func TestPackImpactOfTheSampleReform(t *testing.T) {
	file := reformPopulation(t, 400)
	svg := filepath.Join(t.TempDir(), "impact.svg")
	out, errOut, code := runCLI(t, "", "pack", "impact", "--reform", sampleReformDir, "--as-of", "2024-10-01", "--sample", "2", "--svg", svg, file)
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"改正の影響: reform-cra-2024-11 1.0.0「児童扶養手当の所得制限限度額の引上げと第3子以降加算額の増額（令和6年11月改正）」",
		"いまのルール: jp-national 1.0.0　改正後: jp-national 1.0.0 ＋ reform-cra-2024-11 1.0.0　基準日 2024-10-01（令和6年10月1日）",
		"判定した世帯 400（読み込めなかった世帯 1）",
		"受給が減る世帯 0",
		"読み込めなかった世帯: " + file + ":401:",
		"制度ごとの変化", "児童扶養手当", "判定の変化（児童扶養手当）: 対象外→対象",
		"所得階級別（申請者の合計所得金額（2023年分））", "世帯人数別",
		"変化のあった世帯の例（2 世帯。", "要件（いま → 改正後）:", "変わったパラメータ（いま → 改正後）:",
		"分布のグラフを " + svg + " に書き出しました。",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `費用の差（改正後 − いま、対象の世帯の金額の合計）: 月額 \+[0-9,]+円　年額換算 \+[0-9,]+円`, out)
	data, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, new(struct{})), "the chart is XML")

	out, _, code = runCLI(t, "", "pack", "impact", "--reform", sampleReformDir, "--as-of", "2024-10-01", "--format", "json", "--sample", "0", file)
	require.Equal(t, 0, code)
	var rep struct {
		Households int `json:"households"`
		Losing     int `json:"losing"`
		Programs   []struct {
			Program string `json:"program"`
			Gain    int    `json:"gain"`
		} `json:"programs"`
		Sample []any `json:"sample"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 400, rep.Households)
	assert.Zero(t, rep.Losing)
	assert.Empty(t, rep.Sample, "--sample 0")
	assert.Equal(t, "child-allowance", rep.Programs[0].Program)
}

// Piped, pack impact writes nothing on stderr but errors; asked to, it
// summarises the run there (the unreadable record counts as done).
func TestPackImpactProgress(t *testing.T) {
	file := reformPopulation(t, 30)
	_, errOut, code := runCLI(t, "", "pack", "impact", "--reform", sampleReformDir, "--as-of", "2024-10-01", "--sample", "0", file)
	require.Equal(t, 0, code)
	assert.Empty(t, errOut, "piped: no progress")
	out, errOut, code := runCLI(t, "", "pack", "impact", "--reform", sampleReformDir, "--as-of", "2024-10-01", "--sample", "0", "--progress", "always", file)
	require.Equal(t, 0, code)
	assert.Contains(t, errOut, "31 世帯を ")
	assert.Contains(t, errOut, "世帯/秒）\n")
	assert.Contains(t, out, "判定した世帯 30（読み込めなかった世帯 1）")
}

func TestPackImpactRefusesWhatCannotBeCompared(t *testing.T) {
	file := reformPopulation(t, 3)
	notOnNational := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(notOnNational, "pack.yaml"), []byte("pack: {id: r, version: '1', title: t, extends: jp-tokyo, jurisdiction: {level: national, code: JP}}\n"), 0o644))
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"pack", "impact", file}, "--reform で指定してください"},
		{[]string{"pack", "impact", "--reform", sampleReformDir}, "ファイルを1つ指定してください"},
		{[]string{"pack", "impact", "--reform", sampleReformDir, "--format", "xml", file}, "--format は text か json"},
		{[]string{"pack", "impact", "--reform", sampleReformDir, "--progress", "sometimes", file}, "--progress は auto・always・never"},
		{[]string{"pack", "impact", "--reform", "/no/such/reform", file}, "見つかりません"},
		{[]string{"pack", "impact", "--reform", sampleReformDir, "--as-of", "2025-06-01", file}, "基準日 2025-06-01 の値がありません: params.cra_full_limits"},
		{[]string{"pack", "impact", "--reform", notOnNational, "--as-of", "2024-10-01", file}, `"jp-national" に重ねるパックにしてください`},
		{[]string{"pack", "impact", "--reform", sampleReformDir, "--as-of", "2024-10-01", "/no/such/file"}, "開けません"},
	}
	for _, tc := range tests {
		_, errOut, code := runCLI(t, "", tc.args...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Contains(t, errOut, tc.msg, "%v", tc.args)
	}
}
