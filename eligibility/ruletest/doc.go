// Package ruletest runs a rule pack's own tests — the YAML cases policy
// staff keep in the pack's tests/ folder (see eligibility.RuleTest) — and
// reports, in Japanese, every case whose outcome differs from what it
// expects, and which conditions the cases never exercised.
//
// From go test, one line checks a pack and its layers:
//
//	func TestNationalPack(t *testing.T) {
//		ruletest.RunDirs(t, "packs/national")
//	}
//
// The onestop CLI runs the same tests with `onestop pack test DIR`.
//
// Coverage counts, for every condition of every programme, how many cases
// found it true, false and not known; a condition never false (or never
// true) is a boundary no test has crossed.
package ruletest
