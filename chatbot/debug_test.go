package chatbot

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDebugQuery prints how the QA-only knowledge base scores the queries in
// ONESTOP_DEBUGQ (separated by |): every term with its weight and the
// entries it reaches.
func TestDebugQuery(t *testing.T) {
	qs := os.Getenv("ONESTOP_DEBUGQ")
	if qs == "" {
		t.Skip("set ONESTOP_DEBUGQ")
	}
	m, err := Compile(qaOnlyWithContacts(t))
	require.NoError(t, err)
	for _, q := range strings.Split(qs, "|") {
		r := m.Match(q)
		t.Logf("%s → %s", q, m.Canonical(q))
		var nz normalizer
		b := m.aliases.apply(nil, nz.normalize(nil, q))
		for _, sp := range appendTerms(nil, b, nil) {
			term := string(b[sp.start:sp.end])
			id, ok := m.terms[term]
			if !ok {
				t.Logf("   %-8s unknown", term)
				continue
			}
			var hits []string
			for _, c := range r.Candidates {
				for _, p := range m.postings[id] {
					if m.entries[p.doc&^questionBit] == c.Entry {
						hits = append(hits, c.Entry.ID+":"+strings.TrimRight(strings.TrimRight(strings.TrimRight(formatF(p.w*m.opts.kindWeight[sp.kind]), "0"), "."), ""))
					}
				}
			}
			t.Logf("   %-8s idf %.2f kind %d df %d %v", term, m.idf[id], sp.kind, len(m.postings[id]), hits)
		}
		for _, c := range r.Candidates {
			t.Logf("   → %s %.2f cov %.2f %s", c.Entry.ID, c.Score, c.Coverage, c.Entry.Question)
		}
	}
}

func formatF(f float32) string {
	return strings.TrimSpace(strings.Replace(strings.Replace(fmtF(f), "+", "", 1), " ", "", -1))
}

func fmtF(f float32) string { return strconvF(float64(f)) }

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// TestDebugSynonymRules prints the synonym rules made for the QA-only
// knowledge base (ONESTOP_DEBUGSYN=1).
func TestDebugSynonymRules(t *testing.T) {
	if os.Getenv("ONESTOP_DEBUGSYN") == "" {
		t.Skip("set ONESTOP_DEBUGSYN=1")
	}
	m, err := Compile(qaOnlyWithContacts(t))
	require.NoError(t, err)
	var out []string
	for _, rs := range m.aliases.byFirst {
		for _, r := range rs {
			if r.src == srcSynonym && string(r.from) != string(r.to) {
				out = append(out, string(r.from)+"→"+string(r.to))
			}
		}
	}
	sort.Strings(out)
	t.Logf("%d rules\n%s", len(out), strings.Join(out, " "))
}

// TestDebugDefaultFailures prints the default knowledge base's failures on
// the sets in ONESTOP_DEBUGDEF (comma-separated file names).
func TestDebugDefaultFailures(t *testing.T) {
	sets := os.Getenv("ONESTOP_DEBUGDEF")
	if sets == "" {
		t.Skip("set ONESTOP_DEBUGDEF")
	}
	m := defaultMatcher(t)
	for _, f := range strings.Split(sets, ",") {
		rep := Evaluate(m, loadQueryFile(t, f))
		for _, x := range rep.Failures {
			r := m.Match(x.Query.Q)
			t.Logf("%s %q exp %q got %v answered=%v level=%s canon=%s", f, x.Query.Q, x.Query.Expected, x.Got[:min(3, len(x.Got))], x.Answered, r.Level, m.Canonical(x.Query.Q))
		}
	}
}

// TestDebugDefaultQuery is TestDebugQuery on the default knowledge base.
func TestDebugDefaultQuery(t *testing.T) {
	qs := os.Getenv("ONESTOP_DEBUGDQ")
	if qs == "" {
		t.Skip("set ONESTOP_DEBUGDQ")
	}
	m := defaultMatcher(t)
	for _, q := range strings.Split(qs, "|") {
		r := m.Match(q)
		t.Logf("%s → %s", q, m.Canonical(q))
		var nz normalizer
		b := m.aliases.apply(nil, nz.normalize(nil, q))
		for _, sp := range appendTerms(nil, b, nil) {
			term := string(b[sp.start:sp.end])
			id, ok := m.terms[term]
			if !ok {
				t.Logf("   %-8s unknown", term)
				continue
			}
			t.Logf("   %-8s idf %.2f kind %d df %d", term, m.idf[id], sp.kind, len(m.postings[id]))
		}
		for _, c := range r.Candidates {
			t.Logf("   → %s %.2f cov %.2f ev %.2f %s [%s]", c.Entry.ID, c.Score, c.Coverage, c.Evidence, c.Entry.Question, r.Level)
		}
	}
}
