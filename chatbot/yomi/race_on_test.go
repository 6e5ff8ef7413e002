//go:build race

package yomi_test

// raceEnabled: the development fits (no concurrency, minutes under the
// race detector) are skipped there.
const raceEnabled = true
