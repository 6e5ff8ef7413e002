//go:build race

package eligibility_test

// raceEnabled: the race detector makes code 5–10× slower; the largest
// generated tests run a smaller population under it (CI runs -race, plain
// go test runs them in full).
const raceEnabled = true
