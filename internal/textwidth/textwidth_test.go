package textwidth

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"制度", 4},
		{"ｶﾅ", 2}, // half-width katakana: one column each
		{"ＡＢ", 4}, // full-width Latin: two each
		{"対象 12,000円", 13},
	} {
		assert.Equal(t, tc.want, Width(tc.in), tc.in)
	}
}

func TestPadAndTruncate(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"pad right", PadRight("制度", 6), "制度  "},
		{"pad left", PadLeft("金額", 6), "  金額"},
		{"too wide stays", PadRight("児童扶養手当", 4), "児童扶養手当"},
		{"fits", Truncate("児童手当", 8), "児童手当"},
		{"cut", Truncate("児童扶養手当", 7), "児童扶…"},
		{"cut before a wide rune", Truncate("ab児童", 4), "ab…"},
	} {
		assert.Equal(t, tc.want, tc.got, tc.name)
	}
}

func TestRowAligns(t *testing.T) {
	rows := [][]string{{"理由", "件数"}, {"no_consent", "3"}, {"同意なし", "12,345"}}
	ws := Widths(rows)
	assert.Equal(t, []int{10, 6}, ws)
	assert.Equal(t, "理由          件数", Row(rows[0], ws))
	assert.Equal(t, "no_consent       3", Row(rows[1], ws))
	assert.Equal(t, "同意なし    12,345", Row(rows[2], ws))
	for _, r := range rows {
		assert.Equal(t, 18, Width(Row(r, ws)))
	}
}
