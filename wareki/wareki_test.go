package wareki

import (
	"errors"
	"github.com/onestop-jp/onestop/civil"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in   string
		want civil.Date
	}{
		{"令和7年4月1日", civil.MustDate(2025, 4, 1)},
		{"令和7年4月1", civil.MustDate(2025, 4, 1)},
		{"令和 7 年 4 月 1 日", civil.MustDate(2025, 4, 1)},
		{"R7.4.1", civil.MustDate(2025, 4, 1)},
		{"r7.4.1", civil.MustDate(2025, 4, 1)},
		{"R07/04/01", civil.MustDate(2025, 4, 1)},
		{"R7-4-1", civil.MustDate(2025, 4, 1)},
		{"R070401", civil.MustDate(2025, 4, 1)},
		{"Ｒ７．４．１", civil.MustDate(2025, 4, 1)},
		{"令和７年４月１日", civil.MustDate(2025, 4, 1)},
		{"令和七年四月一日", civil.MustDate(2025, 4, 1)},
		{"令7.4.1", civil.MustDate(2025, 4, 1)},
		{"令和7.4.1", civil.MustDate(2025, 4, 1)},
		{"㋿7年4月1日", civil.MustDate(2025, 4, 1)},
		{"平成31年4月30日", civil.MustDate(2019, 4, 30)},
		{"H31.4.30", civil.MustDate(2019, 4, 30)},
		{"㍻元年1月8日", civil.MustDate(1989, 1, 8)},
		{"平成元年1月8日", civil.MustDate(1989, 1, 8)},
		{"令和元年5月1日", civil.MustDate(2019, 5, 1)},
		{"令和1年5月1日", civil.MustDate(2019, 5, 1)},
		{"昭和64年1月7日", civil.MustDate(1989, 1, 7)},
		{"昭和元年12月25日", civil.MustDate(1926, 12, 25)},
		{"S50.12.31", civil.MustDate(1975, 12, 31)},
		{"昭和五十年十二月三十一日", civil.MustDate(1975, 12, 31)},
		{"大正15年12月24日", civil.MustDate(1926, 12, 24)},
		{"大正元年7月30日", civil.MustDate(1912, 7, 30)},
		{"T1.7.30", civil.MustDate(1912, 7, 30)},
		{"平成4年2月29日", civil.MustDate(1992, 2, 29)},
		{"5070401", civil.MustDate(2025, 4, 1)},
		{"4310430", civil.MustDate(2019, 4, 30)},
		{"3500101", civil.MustDate(1975, 1, 1)},
		{"2025-04-01", civil.MustDate(2025, 4, 1)},
		{"2025/4/1", civil.MustDate(2025, 4, 1)},
		{"2025.4.1", civil.MustDate(2025, 4, 1)},
		{"2025年4月1日", civil.MustDate(2025, 4, 1)},
		{"２０２５年４月１日", civil.MustDate(2025, 4, 1)},
		{"二〇二五年四月一日", civil.MustDate(2025, 4, 1)},
		{"二千二十五年四月一日", civil.MustDate(2025, 4, 1)},
		{"20250401", civil.MustDate(2025, 4, 1)},
		{"2025ー04ー01", civil.MustDate(2025, 4, 1)},
		{"  2025-04-01\t", civil.MustDate(2025, 4, 1)},
		{"2024-02-29", civil.MustDate(2024, 2, 29)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		in   string
		kind error
		col  int
	}{
		{"", ErrSyntax, 1},
		{"   ", ErrSyntax, 1},
		{"平成31年5月1日", ErrOutOfEra, 3},
		{"令和元年4月30日", ErrOutOfEra, 3},
		{"昭和64年1月8日", ErrOutOfEra, 3},
		{"平成元年1月7日", ErrOutOfEra, 3},
		{"大正元年7月29日", ErrOutOfEra, 3},
		{"大正15年12月25日", ErrOutOfEra, 3},
		{"令和0年5月1日", ErrOutOfEra, 3},
		{"H31.5.1", ErrOutOfEra, 2},
		{"R1.4.30", ErrOutOfEra, 2},
		{"4310501", ErrOutOfEra, 1},
		{"令和7年2月30日", ErrInvalidDate, 3},
		{"令和7年13月1日", ErrInvalidDate, 3},
		{"2025-02-29", ErrInvalidDate, 1},
		{"2025-13-01", ErrInvalidDate, 1},
		{"0999-01-01", ErrInvalidDate, 1},
		{"明治45年7月29日", ErrUnsupportedEra, 1},
		{"M45.7.29", ErrUnsupportedEra, 1},
		{"1450101", ErrUnsupportedEra, 1},
		{"X7.4.1", ErrUnknownEra, 1},
		{"9070401", ErrUnknownEra, 1},
		{"令和7年4/1", ErrSyntax, 6},
		{"R7.4/1", ErrSyntax, 5},
		{"R7.4", ErrSyntax, 5},
		{"令和", ErrSyntax, 3},
		{"令和7年4月1日です", ErrSyntax, 9},
		{"25-4-1", ErrSyntax, 1},
		{"元年4月1日", ErrSyntax, 1},
		{"令和7年元月1日", ErrSyntax, 5},
		{"7年R4月", ErrSyntax, 3},
		{"2025 4 1", ErrSyntax, 6},
		{"令和7年4月1日令和", ErrSyntax, 9},
		{"令和三十二十年", ErrSyntax, 3},
		{"1234567890123", ErrSyntax, 1},
		{"2025-04-01?", ErrSyntax, 11},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%T", err)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.col, pe.Column, pe.Error())
			assert.Equal(t, tt.in, pe.Input)
			assert.NotEmpty(t, pe.Message)
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("平成31年5月1日")
	require.Error(t, err)
	assert.Equal(t, "日付「平成31年5月1日」の3文字目: 平成31年5月1日は平成の期間外です（平成は1989年1月8日から2019年4月30日まで）", err.Error())
}

func TestFormat(t *testing.T) {
	d := civil.MustDate(2025, 4, 1)
	g := civil.MustDate(2019, 5, 1)
	tests := []struct {
		d     civil.Date
		style Style
		want  string
	}{
		{d, Kanji, "令和7年4月1日"},
		{g, Kanji, "令和元年5月1日"},
		{g, KanjiNumeric, "令和1年5月1日"},
		{d, Short, "R7.4.1"},
		{d, Padded, "R07/04/01"},
		{d, Legacy, "5070401"},
		{d, ISO, "2025-04-01"},
		{d, Japanese, "2025年4月1日"},
		{civil.MustDate(2019, 4, 30), Kanji, "平成31年4月30日"},
		{civil.MustDate(1989, 1, 7), Short, "S64.1.7"},
		{civil.MustDate(1926, 12, 24), Kanji, "大正15年12月24日"},
	}
	for _, tt := range tests {
		got, err := Format(tt.d, tt.style)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
		back, err := Parse(got)
		require.NoError(t, err, got)
		assert.Equal(t, tt.d, back, got)
	}
	_, err := Format(civil.MustDate(1900, 1, 1), Kanji)
	assert.ErrorIs(t, err, ErrUnsupportedEra)
	_, err = Format(civil.Date{}, ISO)
	assert.ErrorIs(t, err, ErrInvalidDate)
	assert.Equal(t, "令和7年4月1日（2025年4月1日）", Both(d))
	assert.Equal(t, "1900-01-01", String(civil.MustDate(1900, 1, 1)))
}

func TestEraOfBoundaries(t *testing.T) {
	for _, e := range Eras() {
		got, y, ok := EraOf(e.First)
		require.True(t, ok)
		assert.Equal(t, e.Name, got.Name)
		assert.Equal(t, 1, y)
		if !e.Last.IsZero() {
			next, _, _ := EraOf(e.Last.AddDays(1))
			assert.NotEqual(t, e.Name, next.Name)
			assert.Equal(t, e.Last.AddDays(1), next.First)
		}
	}
	_, _, ok := EraOf(civil.MustDate(1912, 7, 29))
	assert.False(t, ok)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"令和7年4月1日", "R07/04/01", "平成31年4月30日", "令和元年5月1日", "5070401",
		"2025-04-01", "二千二十五年四月一日", "Ｒ７．４．１", "㍻31.4.30", "20250401", "大正15年12月24日", "三十一"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *ParseError", err)
			}
			if pe.Column < 1 || pe.Message == "" {
				t.Fatalf("bad ParseError %+v", pe)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("Parse(%q) = invalid %v", s, d)
		}
		for _, style := range []Style{Kanji, Short, ISO} {
			out, err := Format(d, style)
			if err != nil {
				if style != ISO && errors.Is(err, ErrUnsupportedEra) {
					continue
				}
				t.Fatalf("Format(%v, %d): %v", d, style, err)
			}
			back, err := Parse(out)
			if err != nil || back != d {
				t.Fatalf("round trip %q -> %v -> %q -> %v, %v", s, d, out, back, err)
			}
		}
	})
}
