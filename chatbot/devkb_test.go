package chatbot

import (
	"bytes"
	"encoding/csv"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// qaOnlyFile is the default knowledge base reduced to what a municipality's
// own FAQ usually holds: ID, question, answer and category, in the
// 子育てオープンデータ協議会 CSV format — no sample phrasings, no keywords,
// no alias table. It is the development stand-in for a municipal FAQ as it
// arrives (docs/chatbot.md, "Evaluation").
const qaOnlyFile = "testdata/default_qa.csv"

// qaOnlyCSV renders kb as a four-column CSV.
func qaOnlyCSV(t testing.TB, kb *KnowledgeBase) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write([]string{"ID", "問い合わせ文", "応答文", "カテゴリ"}))
	for _, e := range kb.Entries {
		require.NoError(t, w.Write([]string{e.ID, e.Question, e.Answer, e.Category}))
	}
	w.Flush()
	require.NoError(t, w.Error())
	return b.Bytes()
}

// TestQAOnlyFileCurrent keeps testdata/default_qa.csv in step with the
// default knowledge base (go test ./chatbot -run QAOnly -update rewrites it).
func TestQAOnlyFileCurrent(t *testing.T) {
	kb, err := Default()
	require.NoError(t, err)
	want := qaOnlyCSV(t, kb)
	if *update {
		require.NoError(t, os.WriteFile(qaOnlyFile, want, 0o644))
	}
	got, err := os.ReadFile(qaOnlyFile)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "run go test ./chatbot -run QAOnly -update")
}

// qaOnlyKB loads testdata/default_qa.csv.
func qaOnlyKB(t testing.TB) *KnowledgeBase {
	t.Helper()
	f, err := os.Open(qaOnlyFile)
	require.NoError(t, err)
	defer f.Close()
	kb, err := LoadCSV(f, "default_qa.csv", CSVOptions{})
	require.NoError(t, err)
	return kb
}

// devSets are the shipped query sets, all development sets now.
var devSets = []string{"dev_queries.json", "heldout_queries.json", "heldout2_queries.json", "heldout3_queries.json", "heldout4_queries.json", "heldout5_queries.json"}

// qaOnlyWithContacts is the QA-only knowledge base with the default's desks,
// notice and emergency contacts but not its alias table.
func qaOnlyWithContacts(t testing.TB) *KnowledgeBase {
	t.Helper()
	def, err := Default()
	require.NoError(t, err)
	kb := qaOnlyKB(t)
	def.Aliases = nil
	return kb.WithDefaults(def)
}

// TestDevTable prints every figure on every development set for the default
// knowledge base and its QA-only reduction (ONESTOP_DEVTABLE=1 go test
// ./chatbot -run DevTable -v).
func TestDevTable(t *testing.T) {
	if os.Getenv("ONESTOP_DEVTABLE") == "" {
		t.Skip("set ONESTOP_DEVTABLE=1")
	}
	def, err := Default()
	require.NoError(t, err)
	for _, k := range []struct {
		name string
		kb   *KnowledgeBase
	}{{"default", def}, {"qa-only", qaOnlyWithContacts(t)}} {
		m, err := Compile(k.kb)
		require.NoError(t, err)
		var sum EvalReport
		for _, f := range devSets {
			rep := Evaluate(m, loadQueryFile(t, f))
			t.Logf("%-8s %-22s top1 %5.1f top3 %5.1f mrr %.3f rej %5.1f direct-ok %5.1f direct-wrong %4.1f",
				k.name, f, 100*rep.Top1, 100*rep.Top3, rep.MRR, 100*rep.Rejection, 100*rep.AnsweredCorrect, 100*rep.AnsweredWrong)
			sum.Top1 += rep.Top1 / float64(len(devSets))
			sum.Top3 += rep.Top3 / float64(len(devSets))
			sum.Rejection += rep.Rejection / float64(len(devSets))
			sum.AnsweredCorrect += rep.AnsweredCorrect / float64(len(devSets))
			sum.AnsweredWrong += rep.AnsweredWrong / float64(len(devSets))
		}
		t.Logf("%-8s %-22s top1 %5.1f top3 %5.1f           rej %5.1f direct-ok %5.1f direct-wrong %4.1f",
			k.name, "MEAN", 100*sum.Top1, 100*sum.Top3, 100*sum.Rejection, 100*sum.AnsweredCorrect, 100*sum.AnsweredWrong)
	}
}
