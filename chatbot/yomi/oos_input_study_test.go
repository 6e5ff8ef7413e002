package yomi_test

import (
	"maps"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// Round 22's study of inputs that separate near-miss out-of-scope questions
// (docs/chatbot.md, "Round 22"; the candidates and the adoption criterion
// were written down before any was computed: /work/notes,
// "PRE-REGISTERED"): each candidate added alone to the model's inputs,
// nested figures with the shipped rule, and the three-newest check.

// oosInputCandidates are the study's candidate inputs, from a query's Signals
// as the default matcher computes them (they depend on the question and
// the FAQ, not on the fold's ranking) or from the fold cache's sample.
var oosInputCandidates = []struct {
	name string
	f    func(sig chatbot.Signals, s sample) float64
}{
	{"foreign2", func(sig chatbot.Signals, _ sample) float64 { return oosBool(sig.Foreign == 2) }},
	{"foreign1", func(sig chatbot.Signals, _ sample) float64 { return oosBool(sig.Foreign >= 1) }},
	{"aspno", func(_ chatbot.Signals, s sample) float64 { return oosBool(s.sig.AspectAnswered < 0) }},
}

func oosBool(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// oosQuerySignals matches every development FAQ's queries with the default
// matcher (its own questions out of the library), in kbSamples' order.
func oosQuerySignals(t *testing.T) map[string][]chatbot.Signals {
	t.Helper()
	d, err := dict()
	require.NoError(t, err)
	out := map[string][]chatbot.Signals{}
	for _, k := range devKBs(t) {
		m, err := chatbot.Compile(k.kb, chatbot.WithReadings(d), chatbot.WithResidentLibraryExcept(k.name))
		require.NoError(t, err)
		for _, set := range k.sets {
			for _, q := range loadQueries(t, set) {
				out[k.name] = append(out[k.name], m.Match(q.Q).Signals)
			}
		}
	}
	return out
}

// withOOSInput returns byHeld with input f appended to every sample's inputs.
func withOOSInput(byHeld map[string][]sample, sigs map[string][]chatbot.Signals, f func(chatbot.Signals, sample) float64) map[string][]sample {
	out := map[string][]sample{}
	for held, ss := range byHeld {
		idx := map[string]int{}
		ns := make([]sample, len(ss))
		for i, s := range ss {
			j := idx[s.faq]
			idx[s.faq]++
			s.x = append(slices.Clone(s.x), f(sigs[s.faq][j], s))
			ns[i] = s
		}
		out[held] = ns
	}
	return out
}

// TestOOSInputStudy is round 22's input study (ONESTOP_OOSINPUTSTUDY=1 and
// ONESTOP_DEVFIT_DUMP=prefix).
func TestOOSInputStudy(t *testing.T) {
	prefix := os.Getenv("ONESTOP_DEVFIT_DUMP")
	if os.Getenv("ONESTOP_OOSINPUTSTUDY") == "" || prefix == "" {
		t.Skip("set ONESTOP_OOSINPUTSTUDY=1 and ONESTOP_DEVFIT_DUMP=prefix")
	}
	byHeld := heldOutRankedCached(t)
	sigs := oosQuerySignals(t)
	// every FAQ's sample count must match its queries'
	first := byHeld[slices.Sorted(maps.Keys(byHeld))[0]]
	count := map[string]int{}
	for _, s := range first {
		count[s.faq]++
	}
	for f, n := range count {
		require.Len(t, sigs[f], n, "%s: the cache's samples and the queries differ", f)
	}
	faqs := slices.Sorted(maps.Keys(byHeld))
	newest := newestStudyFAQs(faqs)
	report := func(name string, bh map[string][]sample) {
		held, ps := lofoConfidence(bh, fitLambda)
		pol := choosePolicy(held, ps)
		os, pols := nestedOutcomes(held, ps)
		t.Logf("%-10s policy on all %.3f/%.3f | nested %s", name, pol.tau, pol.kappa, summarize(os))
		t.Logf("%-10s by FAQ:%s", name, fmtPolicies(os, pols))
		oss, ops := olderPredictions(bh, newest)
		nss, nps := newestPredictions(bh, newest)
		opol := choosePolicy(oss, ops)
		nw := policyOutcomes(nss, nps, opol)
		t.Logf("%-10s three newest (model and thresholds %.3f/%.3f from the %d older):%s — mean %s", name, opol.tau, opol.kappa, len(faqs)-len(newest), fmtOutcomes(nw), summarize(nw))
	}
	report("shipped", byHeld)
	for _, c := range oosInputCandidates {
		var n, in float64
		for _, ss := range sigs {
			for _, s := range ss {
				n++
				in += c.f(s, sample{sig: s})
			}
		}
		t.Logf("%s: %.1f %% of the queries (AspectAnswered from the default matcher here)", c.name, 100*in/math.Max(n, 1))
		report(c.name, withOOSInput(byHeld, sigs, c.f))
	}
}
