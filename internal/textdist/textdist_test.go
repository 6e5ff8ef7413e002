package textdist

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"age", "age", 0},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"birth_date", "birth_dte", 1},
		{"同居", "同居人", 1}, // characters, not bytes
		{"児童手当", "児童扶養手当", 2},
		{strings.Repeat("a", 65), "a", maxRunes + 1},
		{strings.Repeat("あ", 64), strings.Repeat("あ", 64), 0},
	} {
		assert.Equal(t, tc.want, Distance(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.want, Distance(tc.b, tc.a), "%q %q (swapped)", tc.b, tc.a)
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"format", "workers", "as-of", "program", "progress"}
	for _, tc := range []struct{ w, want string }{
		{"fromat", "format"},    // two edits
		{"worker", "workers"},   // one edit
		{"programs", "program"}, // nearest wins over progress
		{"asof", "as-of"},
		{"explain", ""}, // nothing within two edits
		{"", ""},
		{strings.Repeat("x", 100), ""},
	} {
		assert.Equal(t, tc.want, Closest(tc.w, keys), tc.w)
	}
	assert.Equal(t, "", Closest("age", nil))
}
