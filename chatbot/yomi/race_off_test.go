//go:build !race

package yomi_test

// raceEnabled: see race_on_test.go.
const raceEnabled = false
