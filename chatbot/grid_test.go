package chatbot

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevGridInternal tries internal ranking options on the QA-only
// knowledge base without readings (ONESTOP_DEVGRID=1).
func TestDevGridInternal(t *testing.T) {
	if os.Getenv("ONESTOP_DEVGRID") == "" {
		t.Skip("set ONESTOP_DEVGRID=1")
	}
	def, err := Default()
	require.NoError(t, err)
	var sets [][]LabeledQuery
	for _, f := range devSets {
		sets = append(sets, loadQueryFile(t, f))
	}
	for _, kb := range []*KnowledgeBase{qaOnlyWithContacts(t), def} {
		for _, kana := range []float32{0.5, 0.35, 0.2} {
			for _, mixed := range []float32{0.7, 0.5} {
				m, err := Compile(kb, func(o *options) { o.kindWeight[kindKana], o.kindWeight[kindMixed] = kana, mixed })
				require.NoError(t, err)
				var t1, t3, ok float64
				for _, qs := range sets {
					rep := Evaluate(m, qs)
					t1 += rep.Top1 / float64(len(sets))
					t3 += rep.Top3 / float64(len(sets))
					ok += rep.AnsweredCorrect / float64(len(sets))
				}
				t.Logf("%d kana %.2f mixed %.1f: top1 %.1f top3 %.1f direct-ok %.1f", len(kb.Aliases), kana, mixed, 100*t1, 100*t3, 100*ok)
			}
		}
	}
}
