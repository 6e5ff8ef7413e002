//go:build !race

package eligibility_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
