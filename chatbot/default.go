package chatbot

import (
	"bytes"
	_ "embed"
	"fmt"
)

//go:embed data/default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default knowledge base file, for staff
// who want to copy and edit it.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default loads the embedded default knowledge base: FAQ entries on support
// for single-parent families written from national rules (amounts with their
// fiscal year), the alias table, generic desks and the emergency contacts.
// Municipalities replace the desks with their own (see WithDefaults).
// Each call returns a fresh copy.
func Default() (*KnowledgeBase, error) {
	kb, err := LoadYAML(bytes.NewReader(defaultYAML), "default.yaml")
	if err != nil {
		return nil, fmt.Errorf("chatbot: embedded default knowledge base: %w", err)
	}
	return kb, nil
}
