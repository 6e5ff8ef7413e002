package yomi_test

import "testing"

// skipUnderRace skips a long single-goroutine table under the race
// detector, which has nothing to find in it (the chatbot packages start no
// goroutines) and makes it some seven times slower. .ci/test runs these
// tables again without -race; chatbot's TestNoRaceTablesListed checks that
// every caller is in its list.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("a single-goroutine table: .ci/test runs it without -race")
	}
}
