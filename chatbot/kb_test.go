package chatbot

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"
)

const miniYAML = `name: テスト
default_desk: kodomo
desks:
  - id: kodomo
    name: こども家庭課
    phone: 03-0000-0000
    hours: 平日 8:30〜17:15
aliases:
  - {from: [母子手当], to: 児童扶養手当}
  ファミサポ: ファミリー・サポート・センター
entries:
  - id: a
    category: 手当
    question: 児童扶養手当の額は？
    answer: 月額は…です。
    updated: 令和7年4月1日
`

func TestLoadYAMLAliasForms(t *testing.T) {
	// aliases must be one form; a mapping form is accepted on its own.
	_, err := LoadYAML(strings.NewReader(miniYAML), "mini.yaml")
	require.Error(t, err, "a list item followed by a mapping key is invalid YAML")

	ok := strings.Replace(miniYAML, "  ファミサポ: ファミリー・サポート・センター\n", "", 1)
	kb, err := LoadYAML(strings.NewReader(ok), "mini.yaml")
	require.NoError(t, err)
	assert.Equal(t, "テスト", kb.Name)
	require.Len(t, kb.Entries, 1)
	assert.Equal(t, civil.MustDate(2025, 4, 1), kb.Entries[0].Updated)
	assert.Equal(t, Position{File: "mini.yaml", Line: 11, Column: 5}, kb.Entries[0].Pos)
	assert.Equal(t, []Alias{{From: "母子手当", To: "児童扶養手当", Pos: Position{File: "mini.yaml", Line: 9, Column: 5}}}, kb.Aliases)

	mapped := strings.Replace(ok, "  - {from: [母子手当], to: 児童扶養手当}\n", "  母子手当: 児童扶養手当\n  ファミサポ: ファミリー・サポート・センター\n", 1)
	kb, err = LoadYAML(strings.NewReader(mapped), "mini.yaml")
	require.NoError(t, err)
	assert.Len(t, kb.Aliases, 2)
}

func TestLoadYAMLErrors(t *testing.T) {
	base := strings.Replace(miniYAML, "  ファミサポ: ファミリー・サポート・センター\n", "", 1)
	var many []string
	for i := 0; i < 14; i++ {
		many = append(many, fmt.Sprintf("b%d", i))
	}
	tests := []struct {
		name     string
		edit     func(string) string
		sentinel error
		line     int
	}{
		{"too many quick replies", func(s string) string {
			return s + "    quick_replies: [" + strings.Join(many, ", ") + "]\n"
		}, ErrTooManyQuickReplies, 16},
		{"unknown field", func(s string) string { return s + "    answr: typo\n" }, ErrUnknownField, 16},
		{"bad date", func(s string) string { return strings.Replace(s, "令和7年4月1日", "令和7年13月1日", 1) }, ErrBadDate, 15},
		{"duplicate id", func(s string) string {
			return s + "  - id: a\n    category: 手当\n    question: q\n    answer: x\n"
		}, ErrDuplicateID, 16},
		{"unknown desk", func(s string) string { return s + "    desk: nowhere\n" }, ErrUnknownDesk, 11},
		{"bad url", func(s string) string { return s + "    links: [{label: 申請, url: 'ftp://x'}]\n" }, ErrBadURL, 11},
		{"missing answer", func(s string) string { return strings.Replace(s, "    answer: 月額は…です。\n", "", 1) }, ErrMissingField, 11},
		{"syntax", func(s string) string { return s + "  - id: [unclosed\n" }, ErrSyntax, 0},
		{"no entries", func(s string) string { return s[:strings.Index(s, "entries:")] }, ErrEmpty, 1},
		{"label too long", func(s string) string {
			return s + "    quick_replies: [このラベルはとても長くて二十文字を超えてしまっています]\n"
		}, ErrLabelTooLong, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadYAML(strings.NewReader(tt.edit(base)), "faq.yaml")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			var le *LoadError
			require.True(t, errors.As(err, &le))
			assert.Equal(t, "faq.yaml", le.Pos.File)
			if tt.line > 0 {
				assert.Equal(t, tt.line, le.Pos.Line, "%v", err)
			}
			assert.Contains(t, err.Error(), "faq.yaml:")
		})
	}
}

const miniCSV = "ID,問い合わせ文,応答文,カテゴリ,別表現,担当課,URL,更新日,備考\n" +
	"q1,児童扶養手当の額は？,月額は…です。,手当,母子手当|扶養手当,こども家庭課,https://example.jp/a,2025/4/1,メモ\n" +
	"q2,\"保育所の\n申込み\",\"保育所は…\",子育て,,,,,\n"

func TestLoadCSVUTF8AndShiftJIS(t *testing.T) {
	sjis, err := japanese.ShiftJIS.NewEncoder().String(miniCSV)
	require.NoError(t, err)
	inputs := map[string]string{
		"utf-8":     miniCSV,
		"utf-8 bom": "\xEF\xBB\xBF" + miniCSV,
		"shift_jis": sjis,
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			kb, err := LoadCSV(strings.NewReader(in), "faq.csv", CSVOptions{})
			require.NoError(t, err)
			require.Len(t, kb.Entries, 2)
			e := kb.Entries[0]
			assert.Equal(t, "q1", e.ID)
			assert.Equal(t, []string{"母子手当", "扶養手当"}, e.Keywords)
			assert.Equal(t, "こども家庭課", e.Desk)
			assert.Equal(t, []Link{{Label: "詳しくはこちら", URL: "https://example.jp/a"}}, e.Links)
			assert.Equal(t, civil.MustDate(2025, 4, 1), e.Updated)
			assert.Equal(t, 2, e.Pos.Row)
			assert.Equal(t, "保育所の\n申込み", kb.Entries[1].Question)
			assert.Equal(t, 3, kb.Entries[1].Pos.Row)
			require.Len(t, kb.Desks, 1)
			assert.Equal(t, "こども家庭課", kb.Desks[0].Name)
		})
	}
	// Explicit encoding that does not fit.
	_, err = LoadCSV(strings.NewReader(sjis), "faq.csv", CSVOptions{Encoding: "utf-8"})
	assert.ErrorIs(t, err, ErrEncoding)
	_, err = LoadCSV(strings.NewReader(miniCSV), "faq.csv", CSVOptions{Encoding: "euc-jp"})
	assert.ErrorIs(t, err, ErrEncoding)
	kb, err := LoadCSV(strings.NewReader(sjis), "faq.csv", CSVOptions{Encoding: "cp932"})
	require.NoError(t, err)
	assert.Equal(t, "児童扶養手当の額は？", kb.Entries[0].Question)
}

func TestLoadCSVErrors(t *testing.T) {
	t.Run("missing column", func(t *testing.T) {
		_, err := LoadCSV(strings.NewReader("ID,質問,カテゴリ\nx,y,z\n"), "f.csv", CSVOptions{})
		assert.ErrorIs(t, err, ErrMissingField)
		assert.Contains(t, err.Error(), "応答文")
	})
	t.Run("bad date has row and column", func(t *testing.T) {
		in := strings.Replace(miniCSV, "2025/4/1", "2025/2/30", 1)
		_, err := LoadCSV(strings.NewReader(in), "f.csv", CSVOptions{})
		require.ErrorIs(t, err, ErrBadDate)
		var le *LoadError
		require.True(t, errors.As(err, &le))
		assert.Equal(t, 2, le.Pos.Row)
		assert.Equal(t, 2, le.Pos.Line)
		assert.Greater(t, le.Pos.Column, 1)
	})
	t.Run("too many quick replies", func(t *testing.T) {
		var q []string
		for i := 0; i < 14; i++ {
			q = append(q, fmt.Sprint("ボタン", i))
		}
		in := "ID,問い合わせ文,応答文,カテゴリ,クイックリプライ\nx,q,a,手当," + strings.Join(q, "|") + "\n"
		_, err := LoadCSV(strings.NewReader(in), "f.csv", CSVOptions{})
		assert.ErrorIs(t, err, ErrTooManyQuickReplies)
	})
	t.Run("unclosed quote", func(t *testing.T) {
		_, err := LoadCSV(strings.NewReader("ID,問い合わせ文,応答文,カテゴリ\nx,\"q,a,b\n"), "f.csv", CSVOptions{})
		assert.ErrorIs(t, err, ErrSyntax)
	})
	t.Run("empty", func(t *testing.T) {
		_, err := LoadCSV(strings.NewReader(""), "f.csv", CSVOptions{})
		assert.ErrorIs(t, err, ErrEmpty)
	})
	t.Run("every problem at once", func(t *testing.T) {
		in := "ID,問い合わせ文,応答文,カテゴリ,更新日\nx,q,a,手当,bad\ny,q,a,手当,worse\n"
		_, err := LoadCSV(strings.NewReader(in), "f.csv", CSVOptions{})
		var les *LoadErrors
		require.True(t, errors.As(err, &les))
		assert.Len(t, *les, 2)
	})
}

func TestParseDate(t *testing.T) {
	d := func(y, m, dd int) civil.Date { return civil.MustDate(y, time.Month(m), dd) }
	good := map[string]civil.Date{
		"2025-04-01": d(2025, 4, 1),
		"2025/4/1":   d(2025, 4, 1),
		"2025年4月1日":  d(2025, 4, 1),
		"２０２５－０４－０１": d(2025, 4, 1),
		"令和7年4月1日":   d(2025, 4, 1),
		"令和元年5月1日":   d(2019, 5, 1),
		"R7.4.1":     d(2025, 4, 1),
		"平成31年4月30日": d(2019, 4, 30),
	}
	for in, want := range good {
		got, err := ParseDate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "2025-02-30", "平成31年5月1日", "令和元年4月30日", "昭和65年1月1日", "明日", "2025-4"} {
		_, err := ParseDate(in)
		assert.ErrorIs(t, err, ErrBadDate, in)
	}
}

func TestDefaultKnowledgeBase(t *testing.T) {
	kb, err := Default()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(kb.Entries), 80)
	assert.NotEmpty(t, kb.Notice)
	assert.Contains(t, kb.Notice, "個人情報は入力しないでください")
	phones := map[string]bool{}
	for _, c := range kb.Danger.Contacts {
		phones[c.Phone] = true
	}
	for _, p := range []string{"110", "#8008", "0120-279-889", "0120-279-338", "189"} {
		assert.True(t, phones[p], "emergency contact %s", p)
	}
	cats := map[string]int{}
	for _, e := range kb.Entries {
		cats[e.Category]++
		assert.False(t, e.Updated.IsZero(), "%s has 更新日", e.ID)
		assert.LessOrEqual(t, len(e.QuickReplies), MaxQuickReplies)
		d, ok := kb.DeskFor(&e)
		assert.True(t, ok && d != nil, "%s has a desk", e.ID)
	}
	for _, c := range []string{"手当", "子育て", "住まい", "医療", "仕事", "生活", "養育費", "DV・安全", "介護", "手続き"} {
		assert.Positive(t, cats[c], "category %s", c)
	}
	// Figures carry their fiscal year.
	amount, ok := kb.Entry("jifu-amount")
	require.True(t, ok)
	assert.Contains(t, amount.Answer, "令和8年度")
	assert.Contains(t, amount.Answer, "48,050円")
	assert.True(t, bytes.Equal(DefaultYAML(), defaultYAML))
}

func TestStale(t *testing.T) {
	kb := &KnowledgeBase{Entries: []Entry{
		{ID: "old", Updated: civil.MustDate(2024, 1, 15)},
		{ID: "edge", Updated: civil.MustDate(2025, 5, 20)},
		{ID: "new", Updated: civil.MustDate(2025, 10, 1)},
		{ID: "none"},
	}}
	now := civil.MustDate(2025, 11, 20)
	var ids []string
	for _, s := range kb.Stale(now, 6) {
		ids = append(ids, s.Entry.ID)
	}
	assert.Equal(t, []string{"none", "old"}, ids, "entries exactly 6 months old are not yet stale")
	ids = nil
	for _, s := range kb.Stale(now.AddDays(1), 6) {
		ids = append(ids, s.Entry.ID)
	}
	assert.Equal(t, []string{"none", "old", "edge"}, ids)
}

func TestWithDefaults(t *testing.T) {
	def, err := Default()
	require.NoError(t, err)
	csvKB, err := LoadCSV(strings.NewReader(miniCSV), "faq.csv", CSVOptions{})
	require.NoError(t, err)
	kb := csvKB.WithDefaults(def)
	assert.Equal(t, def.Danger.Contacts, kb.Danger.Contacts, "a CSV FAQ still shows emergency contacts")
	assert.Equal(t, def.DefaultDesk, kb.DefaultDesk)
	_, ok := kb.Desk("こども家庭課")
	assert.True(t, ok)
	_, err = Compile(kb)
	require.NoError(t, err)
	assert.Empty(t, csvKB.Danger.Contacts, "WithDefaults does not modify its receiver")
}
