package chatbot

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevDumpInternal writes per-query candidate figures, including the
// unexported ones, for the default and QA-only knowledge bases
// (ONESTOP_DEVDUMP2=file).
func TestDevDumpInternal(t *testing.T) {
	out := os.Getenv("ONESTOP_DEVDUMP2")
	if out == "" {
		t.Skip("set ONESTOP_DEVDUMP2")
	}
	def, err := Default()
	require.NoError(t, err)
	f, err := os.Create(out)
	require.NoError(t, err)
	defer f.Close()
	fmt.Fprintln(f, "kb,set,inscope,correct,level,s1,s2,c1,c2,e1,qc1,qc2,ce1,q")
	for _, k := range []struct {
		name string
		kb   *KnowledgeBase
	}{{"default", def}, {"qa", qaOnlyWithContacts(t)}} {
		m, err := Compile(k.kb)
		require.NoError(t, err)
		for _, set := range devSets {
			for _, q := range loadQueryFile(t, set) {
				r := m.Match(q.Q)
				var c1, c2 Candidate
				if len(r.Candidates) > 0 {
					c1 = r.Candidates[0]
				}
				if len(r.Candidates) > 1 {
					c2 = r.Candidates[1]
				}
				correct := c1.Entry != nil && c1.Entry.ID == q.Expected
				fmt.Fprintf(f, "%s,%s,%v,%v,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%q\n", k.name, set, q.Expected != "", correct, r.Level,
					c1.Score, c2.Score, c1.Coverage, c2.Coverage, c1.Evidence, c1.QuestionCoverage, c2.QuestionCoverage, c1.content, q.Q)
			}
		}
	}
}
