package yomi_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// TestDevPhrasings measures what staff would get if they accepted every
// phrasing `onestop faq suggest --phrasings` proposes, leave one FAQ out:
// for each development FAQ X, the candidates come from the library without
// X's own questions, and X's labelled questions are measured (as `onestop
// faq eval` does, readings on) on X as loaded (plain: library on, own
// questions out) and on X with the candidates as phrasings (the coverage
// rule decides; the library is off). ONESTOP_DEVPHRASINGS=1 go test
// ./chatbot/yomi -run DevPhrasings -v; DEVPHRASINGS_N="4,8,16" sets the
// caps tried (default 8). Development figures, not a CI test.
func TestDevPhrasings(t *testing.T) {
	if os.Getenv("ONESTOP_DEVPHRASINGS") == "" {
		t.Skip("set ONESTOP_DEVPHRASINGS=1")
	}
	caps := []int{chatbot.DefaultMaxPhrasings}
	if v := os.Getenv("DEVPHRASINGS_N"); v != "" {
		caps = nil
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			require.NoError(t, err)
			caps = append(caps, n)
		}
	}
	d, err := dict()
	require.NoError(t, err)
	def, err := chatbot.Default()
	require.NoError(t, err)
	type row struct{ top1, top3, right, wrong, rej, rejOOS float64 }
	measure := func(m *chatbot.Matcher, sets []string) (row, int) {
		rep := chatbot.Evaluate(m, loadQueries(t, sets[0]))
		r := row{rep.Top1, rep.Top3, rep.AnsweredCorrect, rep.AnsweredWrong, rep.Rejection, -1}
		if len(sets) > 1 {
			r.rejOOS = chatbot.Evaluate(m, loadQueries(t, sets[1])).Rejection
		}
		return r, int(rep.AnsweredWrong*float64(rep.InScope) + 0.5)
	}
	line := func(name string, r row, extra string) string {
		oos := "    -"
		if r.rejOOS >= 0 {
			oos = fmt.Sprintf("%5.1f", 100*r.rejOOS)
		}
		return fmt.Sprintf("%-10s top1 %5.1f top3 %5.1f right %5.1f wrong %4.1f rej %5.1f rej-oos %s %s",
			name, 100*r.top1, 100*r.top3, 100*r.right, 100*r.wrong, 100*r.rej, oos, extra)
	}
	var names []string
	for _, x := range devFAQs {
		if x.name != "default_qa" || os.Getenv("DEVPHRASINGS_DEFAULT_QA") != "" {
			names = append(names, x.name)
		}
	}
	sums := map[string]row{}
	// openedFAQs (not in the library) are measured too, outside the mean.
	opened := map[string]bool{}
	for _, o := range openedFAQs {
		opened[o.name] = true
	}
	for _, x := range slices.Concat(devFAQs, openedFAQs) {
		inMean := slices.Contains(names, x.name)
		if !inMean && !opened[x.name] {
			continue
		}
		kb, err := chatbot.LoadFile(context.Background(), "../testdata/"+x.faq)
		require.NoError(t, err)
		kb = kb.WithDefaults(def)
		m, err := chatbot.Compile(kb, chatbot.WithReadings(d), ownOut(x.name))
		require.NoError(t, err)
		before, wb := measure(m, x.sets)
		t.Log(line(x.name, before, fmt.Sprintf("(%d wrong) before", wb)))
		add := func(key string, r row) {
			if !inMean {
				return
			}
			s := sums[key]
			n := float64(len(names))
			s.top1 += r.top1 / n
			s.top3 += r.top3 / n
			s.right += r.right / n
			s.wrong += r.wrong / n
			s.rej += r.rej / n
			s.rejOOS = -1 // per FAQ only: not every FAQ has the extra set
			sums[key] = s
		}
		add("before", before)
		for _, n := range caps {
			sugs, err := m.SuggestPhrasings(n)
			require.NoError(t, err)
			total := 0
			for _, s := range sugs {
				total += len(s.Phrasings)
			}
			after, err := chatbot.Compile(kb.WithPhrasings(sugs), chatbot.WithReadings(d), ownOut(x.name))
			require.NoError(t, err)
			r, w := measure(after, x.sets)
			if os.Getenv("DEVPHRASINGS_FAIL") != "" {
				logWrongDirect(t, m, after, x.sets)
			}
			t.Log(line(x.name, r, fmt.Sprintf("(%d wrong) after N=%d: %d phrasings on %d of %d entries", w, n, total, len(sugs), len(kb.Entries))))
			add(fmt.Sprintf("after N=%d", n), r)
		}
	}
	t.Log(line("MEAN", sums["before"], "before"))
	for _, n := range caps {
		k := fmt.Sprintf("after N=%d", n)
		t.Log(line("MEAN", sums[k], k))
	}
}

// logWrongDirect logs the questions after answers directly with a wrong
// entry (or answers out of scope), with what before did.
func logWrongDirect(t *testing.T, before, after *chatbot.Matcher, sets []string) {
	for _, set := range sets {
		for _, q := range loadQueries(t, set) {
			r := after.Match(q.Q)
			if r.Level != chatbot.Answer || len(r.Candidates) == 0 || r.Candidates[0].Entry.ID == q.Expected {
				continue
			}
			b := before.Match(q.Q)
			bid := ""
			if len(b.Candidates) > 0 {
				bid = b.Candidates[0].Entry.ID
			}
			t.Logf("  WRONG %q want %q got %s「%s」(before %s %v)", q.Q, q.Expected, r.Candidates[0].Entry.ID, r.Candidates[0].Entry.Question, bid, b.Level)
		}
	}
}
