package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const modelSubmission = "../../forms/testdata/submission.json"

func TestFormCheck(t *testing.T) {
	out, errOut, code := runCLI(t, "", "form", "check")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "@model: OK — 入力フォーム ひとり親家庭等のための相談・手続き 入力フォーム")
	assert.Contains(t, out, "@child-rearing-allowance: OK — 申請書（child-rearing-allowance")

	bad := writeFile(t, "bad.yaml", "form: {id: t, version: \"1\", title: T}\npages:\n  - id: p\n    title: P\n    fields:\n      - {id: a, type: txt, label: A}\n")
	_, errOut, code = runCLI(t, "", "form", "check", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "bad.yaml:6:23:")
	assert.Contains(t, errOut, "もしかして \"text\"")

	_, errOut, code = runCLI(t, "", "form", "check", "@nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "組み込みの定義に \"@nope\" はありません")
	_, _, code = runCLI(t, "", "form", "frobnicate")
	assert.Equal(t, 2, code)
}

func TestFormSchema(t *testing.T) {
	out, _, code := runCLI(t, "", "form", "schema")
	require.Equal(t, 0, code)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	assert.Equal(t, "ひとり親家庭等のための相談・手続き 入力フォーム", s["title"])

	out, _, code = runCLI(t, "", "form", "schema", "--definition")
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, "onestop form definition", s["title"])

	out, _, code = runCLI(t, "", "form", "schema", "@child-rearing-allowance")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "児童扶養手当認定請求書")
}

func TestFormFill(t *testing.T) {
	out, errOut, code := runCLI(t, "", "form", "fill", "--as-of", "2026-12-04", "@model", modelSubmission)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "記入日 令和8年12月4日（2026年12月4日）")
	assert.Contains(t, out, "入力の誤り: なし")
	assert.Contains(t, out, "児童手当　対象　20,000円/月")
	assert.Contains(t, out, "児童扶養手当　対象外")

	// what the family typed, wrong, with the questions still to ask
	in := `{"form": "jp-model", "answers": {"municipality_code": "131017", "situation": "divorced",
		"contact_ok": true, "contact_methods": ["phone"], "phone": "０９０－１２３４"}}`
	out, _, code = runCLI(t, in, "form", "fill", "--as-of", "R8.12.4", "--program", "child-rearing-allowance", "@model", "-")
	assert.Equal(t, 1, code, "a submission with errors")
	assert.Contains(t, out, "municipality_code: 市区町村コード: 全国地方公共団体コードの検査数字（6桁目）が合いません（131016 ではありませんか）")
	assert.Contains(t, out, "phone: 電話番号は0から始まる10桁または11桁の番号で入力してください")
	assert.Contains(t, out, "判定のために尋ねる項目:")
	assert.Contains(t, out, "applicant_income.prev_kinds　前年の収入の種類（児童扶養手当）")
	assert.Contains(t, out, "児童扶養手当　判定保留")
	assert.NotContains(t, out, "児童手当　", "only the programme asked for")

	out, _, code = runCLI(t, in, "form", "fill", "--format", "json", "--as-of", "2026-12-04", "@model", "-")
	assert.Equal(t, 1, code)
	var res struct {
		Valid  bool `json:"valid"`
		Errors []struct {
			Path, Code string
		} `json:"errors"`
		Next struct {
			Ask []struct{ Path, Kind string } `json:"ask"`
		} `json:"next"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.False(t, res.Valid)
	assert.Equal(t, "municipality_code", res.Errors[0].Path)
	assert.NotEmpty(t, res.Next.Ask)

	_, errOut, code = runCLI(t, in, "form", "fill", "--program", "no-such-programme", "@model", "-")
	assert.Equal(t, 2, code)
	assert.True(t, strings.Contains(errOut, "no-such-programme"))
	_, _, code = runCLI(t, "", "form", "fill", "@model")
	assert.Equal(t, 2, code)
}
