package yomi_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
)

var devSets = []string{"dev_queries.json", "heldout_queries.json", "heldout2_queries.json", "heldout3_queries.json", "heldout4_queries.json", "heldout5_queries.json"}

var dict = sync.OnceValues(yomi.New)

func loadQueries(t testing.TB, name string) []chatbot.LabeledQuery {
	t.Helper()
	f, err := os.Open("../testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	qs, err := chatbot.LoadQueries(f, name)
	require.NoError(t, err)
	return qs
}

// qaOnly is the default knowledge base reduced to ID, question, answer and
// category (testdata/default_qa.csv), with the default's desks and
// emergency contacts but none of its aliases.
func qaOnly(t testing.TB) *chatbot.KnowledgeBase {
	t.Helper()
	def, err := chatbot.Default()
	require.NoError(t, err)
	def.Aliases = nil
	kb, err := chatbot.LoadFile(context.Background(), "../testdata/default_qa.csv")
	require.NoError(t, err)
	return kb.WithDefaults(def)
}

// TestDevTable prints every figure on every development set
// (ONESTOP_DEVTABLE=1 go test ./chatbot/yomi -run DevTable -v).
func TestDevTable(t *testing.T) {
	if os.Getenv("ONESTOP_DEVTABLE") == "" {
		t.Skip("set ONESTOP_DEVTABLE=1")
	}
	d, err := dict()
	require.NoError(t, err)
	def, err := chatbot.Default()
	require.NoError(t, err)
	for _, k := range []struct {
		name string
		kb   *chatbot.KnowledgeBase
		opts []chatbot.Option
	}{
		{"default+yomi", def, []chatbot.Option{chatbot.WithReadings(d)}},
		{"qa", qaOnly(t), nil},
		{"qa+yomi", qaOnly(t), []chatbot.Option{chatbot.WithReadings(d)}},
	} {
		m, err := chatbot.Compile(k.kb, k.opts...)
		require.NoError(t, err)
		var sum chatbot.EvalReport
		for _, f := range devSets {
			rep := chatbot.Evaluate(m, loadQueries(t, f))
			if os.Getenv("ONESTOP_DEVTABLE") == "all" {
				t.Logf("%-13s %-22s top1 %5.1f top3 %5.1f mrr %.3f rej %5.1f direct-ok %5.1f direct-wrong %4.1f",
					k.name, f, 100*rep.Top1, 100*rep.Top3, rep.MRR, 100*rep.Rejection, 100*rep.AnsweredCorrect, 100*rep.AnsweredWrong)
			}
			n := float64(len(devSets))
			sum.Top1 += rep.Top1 / n
			sum.Top3 += rep.Top3 / n
			sum.MRR += rep.MRR / n
			sum.Rejection += rep.Rejection / n
			sum.AnsweredCorrect += rep.AnsweredCorrect / n
			sum.AnsweredWrong += rep.AnsweredWrong / n
		}
		t.Logf("%-13s %-22s top1 %5.1f top3 %5.1f mrr %.3f rej %5.1f direct-ok %5.1f direct-wrong %4.1f",
			k.name, "MEAN", 100*sum.Top1, 100*sum.Top3, sum.MRR, 100*sum.Rejection, 100*sum.AnsweredCorrect, 100*sum.AnsweredWrong)
	}
}
