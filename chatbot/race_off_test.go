//go:build !race

package chatbot

// raceEnabled: see race_on_test.go.
const raceEnabled = false
