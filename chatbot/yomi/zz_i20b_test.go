package yomi_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/stretchr/testify/require"
)

// Throwaway (i20b): ONESTOP_I20B="dev19|query\n..." prints the re-ranker's view.
func TestI20bDump(t *testing.T) {
	spec := os.Getenv("ONESTOP_I20B")
	if spec == "" {
		t.Skip()
	}
	d, err := dict()
	require.NoError(t, err)
	names := chatbot.RankFeatureNames()
	w := chatbot.DefaultRankWeights()
	ms := map[string]*chatbot.Matcher{}
	for _, line := range strings.Split(strings.TrimSpace(spec), "\n") {
		faq, q, _ := strings.Cut(line, "|")
		m := ms[faq]
		if m == nil {
			kb, err := chatbot.LoadFile(context.Background(), "../testdata/"+faq+"_faq.csv")
			require.NoError(t, err)
			contacts, err := chatbot.Default()
			require.NoError(t, err)
			contacts.Aliases = nil
			m, err = chatbot.Compile(kb.WithDefaults(contacts), chatbot.WithReadings(d), chatbot.WithResidentLibraryExcept(faq, ""))
			require.NoError(t, err)
			ms[faq] = m
		}
		r := m.Match(q)
		t.Logf("== %s %s → level %v conf %.3f sib %d canon %s", faq, q, r.Level, r.Confidence, r.Signals.AspectSibling, m.Canonical(q))
		for _, in := range m.RankInputs(q) {
			var z float64
			var parts []string
			for i, x := range in.Features {
				z += w[i] * x
				if x != 0 && i < len(names)/2 && (strings.Contains(names[i], "asp") || strings.Contains(names[i], "sib") || names[i] == "clash" || names[i] == "overview" || names[i] == "general" || names[i] == "prog" || names[i] == "other") {
					parts = append(parts, names[i])
				}
			}
			t.Logf("   %s %.3f %v", in.ID, z, parts)
		}
	}
}
