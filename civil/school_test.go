package civil

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSchoolYearRules(t *testing.T) {
	tests := []struct {
		name  string
		birth Date
		entry int
		on    Date
		grade int
	}{
		// 4月1日生まれ reaches 6 on 31 March and enters that April, the
		// youngest of the class; 4月2日生まれ enters a year later, the oldest.
		{"born 1 April", MustDate(2019, 4, 1), 2025, MustDate(2025, 4, 1), 1},
		{"born 2 April", MustDate(2019, 4, 2), 2026, MustDate(2025, 4, 1), 0},
		{"born 31 March", MustDate(2019, 3, 31), 2025, MustDate(2026, 3, 31), 1},
		{"born 29 February", MustDate(2020, 2, 29), 2026, MustDate(2026, 4, 1), 1},
		{"junior high 3rd year", MustDate(2010, 4, 2), 2017, MustDate(2025, 4, 1), 9},
		{"high school 1st year", MustDate(2010, 4, 1), 2016, MustDate(2025, 4, 1), 10},
		{"two years before entry", MustDate(2021, 1, 1), 2027, MustDate(2025, 12, 1), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.entry, ElementaryEntryYear(tc.birth))
			assert.Equal(t, tc.grade, SchoolGrade(tc.birth, tc.on))
		})
	}
	// The naive rule "age 6 on 1 April of the entry year" puts the child
	// born on 2 April a year early: the child reaches 6 on 1 April itself.
	assert.Equal(t, 6, StatutoryAge(MustDate(2019, 4, 2), MustDate(2025, 4, 1)))
	assert.Equal(t, 2026, ElementaryEntryYear(MustDate(2019, 4, 2)))
}
