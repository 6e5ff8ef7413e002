package chatbot

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidMyNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		why  string
	}{
		// 12345678901: Σ P_n·Q_n = 212, 212 mod 11 = 3, check = 11 − 3 = 8.
		{"123456789018", true, "worked example"},
		{"123456789017", false, "wrong check digit"},
		{"１２３４５６７８９０１８", true, "full-width digits"},
		// remainder 0 → check 0
		{"000000000000", true, "remainder 0"},
		// 00000000006: P1 = 6, Q1 = 2, Σ = 12, remainder 1 → check 0
		{"000000000060", true, "remainder 1 gives 0"},
		{"000000000061", false, "remainder 1 but check 1"},
		{"12345678901", false, "11 digits"},
		{"1234567890188", false, "13 digits"},
		{"12345678901a", false, "letter"},
		{"", false, "empty"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ValidMyNumber(tt.in), "%s: %q", tt.why, tt.in)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		in, want string
		kind     func(Redactions) int
	}{
		{"電話は090-1234-5678です", "電話は" + MaskPhone + "です", func(r Redactions) int { return r.Phones }},
		{"０９０１２３４５６７８に連絡", MaskPhone + "に連絡", func(r Redactions) int { return r.Phones }},
		{"03(1234)5678", MaskPhone, func(r Redactions) int { return r.Phones }},
		{"+81 90 1234 5678", MaskPhone, func(r Redactions) int { return r.Phones }},
		{"メールは hanako.y@example.co.jp まで", "メールは " + MaskEmail + " まで", func(r Redactions) int { return r.Emails }},
		{"〒123-4567 に住んでます", MaskPostal + " に住んでます", func(r Redactions) int { return r.Postals }},
		{"〒１２３４５６７", MaskPostal, func(r Redactions) int { return r.Postals }},
		{"郵便番号は123-4567", "郵便番号は" + MaskPostal, func(r Redactions) int { return r.Postals }},
		{"番号は1234 5678 9018です", "番号は" + MaskMyNumber + "です", func(r Redactions) int { return r.MyNumbers }},
		{"マイナンバー１２３４５６７８９０１８", "マイナンバー" + MaskMyNumber, func(r Redactions) int { return r.MyNumbers }},
		// 12 digits with a wrong check digit: not My Number, but still a long
		// number that must not be logged.
		{"123456789012", MaskNumber, func(r Redactions) int { return r.Numbers }},
		{"口座 1234567", "口座 " + MaskNumber, func(r Redactions) int { return r.Numbers }},
		{"私の名前は山田花子です", "私の名前は" + MaskName + "です", func(r Redactions) int { return r.Names }},
	}
	for _, tt := range tests {
		got, rs := Redact(tt.in)
		assert.Equal(t, tt.want, got, "Redact(%q)", tt.in)
		assert.Equal(t, 1, tt.kind(rs), "count for %q: %+v", tt.in, rs)
		assert.Equal(t, 1, rs.Total(), "only one mask for %q", tt.in)
	}
}

func TestRedactKeepsOrdinaryNumbers(t *testing.T) {
	for _, s := range []string{
		"手当は46,690円ですか",
		"令和7年度の金額",
		"子ども2人と3歳の子",
		"年収200万円",
		"8月に現況届",
		"2024年11月から",
	} {
		got, rs := Redact(s)
		assert.Equal(t, s, got)
		assert.Zero(t, rs.Total(), s)
	}
}
