package eligibility

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// words are strings over the alphabets the identifier and grade checks
// care about, every one up to four characters long.
func words(alphabet []string, n int) []string {
	out := []string{""}
	prev := []string{""}
	for range n {
		var next []string
		for _, w := range prev {
			for _, c := range alphabet {
				next = append(next, w+c)
			}
		}
		out = append(out, next...)
		prev = next
	}
	return out
}

func TestIsProgramIDMatchesTheRegexp(t *testing.T) {
	for _, id := range append(words([]string{"a", "z", "0", "9", "-", "A", "_", "é"}, 4), "child-rearing-allowance", "a--b", "-a", "a-", "1a") {
		assert.Equal(t, programID.MatchString(id), isProgramID(id), "%q", id)
	}
}

func TestValidGradeMatchesTheRegexps(t *testing.T) {
	patterns := map[DisabilityKind]*regexp.Regexp{
		DisabilityPhysical:     regexp.MustCompile(`^[1-7]$`),
		DisabilityIntellectual: regexp.MustCompile(`^(A|A1|A2|B|B1|B2|[1-4]度)$`),
		DisabilityMental:       regexp.MustCompile(`^[1-3]$`),
	}
	grades := words([]string{"0", "1", "2", "3", "4", "5", "7", "8", "A", "B", "C", "度", " "}, 3)
	for _, kind := range []DisabilityKind{DisabilityPhysical, DisabilityIntellectual, DisabilityMental, "other"} {
		for _, g := range grades {
			re, ok := patterns[kind]
			assert.Equal(t, !ok || re.MatchString(g), validGrade(kind, g), "%s %q", kind, g)
		}
	}
}
