package chatbot

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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

// sourceOut leaves the resident-question library's questions written for
// the development FAQ at path (testdata/dev3_faq.csv → dev3) out: a
// matcher measured on a FAQ must not have its own questions vote.
func sourceOut(path string) Option {
	name := filepath.Base(path)
	if name != "default_qa.csv" { // the library names default_qa so
		name = strings.TrimSuffix(strings.TrimSuffix(name, "_faq.csv"), "_qa.csv")
	}
	return WithResidentLibraryExcept(strings.TrimSuffix(name, ".csv"))
}

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

// The tests below are development tools, skipped unless their variable is
// set; they print what calibrating the matcher needs.

// explainQuery prints how m scores q: every term with its idf, kind,
// document frequency and weight in each candidate, then the candidates.
func explainQuery(t *testing.T, m *Matcher, q string) {
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
				if int32(p.doc&^questionBit) == c.doc {
					hits = append(hits, fmt.Sprintf("%s:%.2f", c.Entry.ID, p.w*m.opts.kindWeight[sp.kind]))
				}
			}
		}
		t.Logf("   %-8s idf %.2f kind %d df %d %v", term, m.idf[id], sp.kind, len(m.postings[id]), hits)
	}
	for _, c := range r.Candidates {
		t.Logf("   → %s %.2f cov %.2f qcov %.2f ev %.2f content %.2f %s [%s]", c.Entry.ID, c.Score, c.Coverage, c.QuestionCoverage, c.Evidence, c.content, c.Entry.Question, r.Level)
	}
}

// TestDevExplain explains the queries in ONESTOP_EXPLAIN (separated by |) on
// the QA-only knowledge base, or on the default one when
// ONESTOP_EXPLAIN_KB=default.
func TestDevExplain(t *testing.T) {
	qs := os.Getenv("ONESTOP_EXPLAIN")
	if qs == "" {
		t.Skip("set ONESTOP_EXPLAIN")
	}
	kb := qaOnlyWithContacts(t)
	switch k := os.Getenv("ONESTOP_EXPLAIN_KB"); k {
	case "":
	case "default":
		var err error
		kb, err = Default()
		require.NoError(t, err)
	default: // a CSV or YAML file
		own, err := LoadFile(context.Background(), k)
		require.NoError(t, err)
		def, err := Default()
		require.NoError(t, err)
		def.Aliases = nil
		kb = own.WithDefaults(def)
	}
	m, err := Compile(kb, sourceOut(cmp.Or(os.Getenv("ONESTOP_EXPLAIN_KB"), "default_qa.csv")))
	require.NoError(t, err)
	for _, q := range strings.Split(qs, "|") {
		explainQuery(t, m, q)
	}
}

// TestDevRules prints the rewrite rules of one source made for the QA-only
// knowledge base (ONESTOP_RULES=synonym, glossary, programme or kb).
func TestDevRules(t *testing.T) {
	which := os.Getenv("ONESTOP_RULES")
	if which == "" {
		t.Skip("set ONESTOP_RULES")
	}
	src := map[string]ruleSource{"synonym": srcSynonym, "glossary": srcGlossary, "programme": srcProgramme, "kb": srcKB}[which]
	m, err := Compile(qaOnlyWithContacts(t), sourceOut(qaOnlyFile))
	require.NoError(t, err)
	var out []string
	for _, rs := range m.aliases.byFirst {
		for _, r := range rs {
			if r.src == src && (r.expand || string(r.from) != string(r.to)) {
				out = append(out, string(r.from)+"→"+string(r.to))
			}
		}
	}
	sort.Strings(out)
	t.Logf("%d rules\n%s", len(out), strings.Join(out, " "))
}

// TestDevDump writes, per query of every development set, the best two
// candidates' figures on the default and QA-only knowledge bases, for
// threshold calibration (ONESTOP_DEVDUMP=file.csv).
func TestDevDump(t *testing.T) {
	out := os.Getenv("ONESTOP_DEVDUMP")
	if out == "" {
		t.Skip("set ONESTOP_DEVDUMP")
	}
	def, err := Default()
	require.NoError(t, err)
	f, err := os.Create(out)
	require.NoError(t, err)
	defer f.Close()
	fmt.Fprintln(f, "kb,set,inscope,correct,level,s1,s2,c1,c2,e1,qc1,qc2,content1,q")
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
