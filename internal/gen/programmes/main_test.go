package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGeneratedFileCurrent fails while chatbot/data/programmes.yaml does
// not match the packs (run go generate ./chatbot).
func TestGeneratedFileCurrent(t *testing.T) {
	want, err := generate()
	require.NoError(t, err)
	got, err := os.ReadFile("../../../chatbot/data/programmes.yaml")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "chatbot/data/programmes.yaml is stale: run go generate ./chatbot")
}
