package yomi_test

// Experiment (issue 16, round 9): a resident-question library. The labelled
// resident questions of the other development FAQs (and the default
// knowledge base's sample phrasings) vote, through an alignment of formal
// entries, for the entries of a FAQ they were not written for. Measured
// leave-one-FAQ-out with the re-ranker refitted on each fold; for a
// training FAQ the library leaves out both that FAQ and the one held out.

import (
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// libFAQ is one development FAQ as the library experiment uses it.
type libFAQ struct {
	name string
	kb   *chatbot.KnowledgeBase
	res  map[string][]string // entry ID → resident questions
	qs   []chatbot.LabeledQuery
}

func libFAQs(t *testing.T) []libFAQ {
	t.Helper()
	ks := devKBs(t)
	def, err := chatbot.Default()
	require.NoError(t, err)
	var out []libFAQ
	for _, k := range ks {
		f := libFAQ{name: k.name, kb: k.kb, res: map[string][]string{}}
		for _, s := range k.sets {
			for _, q := range loadQueries(t, s) {
				if q.Expected != "" {
					f.qs = append(f.qs, q)
					f.res[q.Expected] = append(f.res[q.Expected], q.Q)
				}
			}
		}
		if k.name == "default_qa" {
			for _, e := range def.Entries {
				f.res[e.ID] = append(f.res[e.ID], e.Phrasings...)
			}
		}
		out = append(out, f)
	}
	return out
}

// libraryKB is the library without the FAQs in skip: one entry per
// development entry with resident questions, its phrasings those questions.
func libraryKB(fs []libFAQ, skip map[string]bool, formalOnly bool) *chatbot.KnowledgeBase {
	var kb *chatbot.KnowledgeBase
	for _, f := range fs {
		if skip[f.name] {
			continue
		}
		if kb == nil {
			c := *f.kb
			c.Entries = nil
			c.Name = "library"
			kb = &c
		}
		for _, e := range f.kb.Entries {
			r := f.res[e.ID]
			if len(r) == 0 {
				continue
			}
			e.ID = f.name + "/" + e.ID
			if !formalOnly {
				e.Phrasings = r
			}
			e.Keywords = nil
			kb.Entries = append(kb.Entries, e)
		}
	}
	return kb
}

// libHit is a library entry the library matcher found for a query.
type libHit struct {
	id    string
	score float64
}

// libQuery is one in-scope query with its re-ranker inputs.
type libQuery struct {
	faq  string
	q    chatbot.LabeledQuery
	ids  []string
	x    [][]float64
	hits map[string][]libHit // key of the library's skip set → hits
}

func skipKey(names ...string) string {
	s := slices.Clone(names)
	slices.Sort(s)
	s = slices.Compact(s)
	return strings.Join(s, "+")
}

// bigramVec is a TF vector of character bigrams.
type bigramVec map[string]float64

func addBigrams(v bigramVec, s string, w float64) {
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		if isPunct(rs[i]) || isPunct(rs[i+1]) {
			continue
		}
		v[string(rs[i:i+2])] += w
	}
}

func isPunct(r rune) bool {
	return strings.ContainsRune(" 　、。，．・「」（）()？?！!：:；;/／〜~-ー…", r) && r != 'ー'
}

// aligner computes formal-to-formal similarities with IDF over a set of
// formal entries.
type aligner struct {
	idf  map[string]float64
	norm func(string) string
	ansW float64
}

func (a *aligner) vec(e *chatbot.Entry) bigramVec {
	v := bigramVec{}
	addBigrams(v, a.norm(e.Question), 1)
	addBigrams(v, a.norm(e.Answer), a.ansW)
	var n float64
	for k, x := range v {
		x *= a.idf[k]
		v[k] = x
		n += x * x
	}
	n = math.Sqrt(n)
	for k := range v {
		v[k] /= n
	}
	return v
}

func cosine(a, b bigramVec) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for k, x := range a {
		s += x * b[k]
	}
	return s
}

type align struct {
	lib string
	w   float64
}

// alignments maps each entry of target to its confident counterparts in
// the library FAQs (those not in skip).
func alignments(fs []libFAQ, target *libFAQ, skip map[string]bool, norm func(string) string, p libParams) map[string][]align {
	df := map[string]float64{}
	var nd float64
	count := func(kb *chatbot.KnowledgeBase) {
		for i := range kb.Entries {
			v := bigramVec{}
			addBigrams(v, norm(kb.Entries[i].Question), 1)
			addBigrams(v, norm(kb.Entries[i].Answer), 1)
			for k := range v {
				df[k]++
			}
			nd++
		}
	}
	count(target.kb)
	for i := range fs {
		if !skip[fs[i].name] {
			count(fs[i].kb)
		}
	}
	a := &aligner{idf: map[string]float64{}, norm: norm, ansW: p.ansW}
	for k, n := range df {
		a.idf[k] = math.Log(1 + nd/n)
	}
	tv := make([]bigramVec, len(target.kb.Entries))
	for i := range target.kb.Entries {
		tv[i] = a.vec(&target.kb.Entries[i])
	}
	out := map[string][]align{}
	for fi := range fs {
		f := &fs[fi]
		if skip[f.name] {
			continue
		}
		lv := make([]bigramVec, len(f.kb.Entries))
		for j := range f.kb.Entries {
			lv[j] = a.vec(&f.kb.Entries[j])
		}
		sim := make([][]float64, len(tv))
		for i := range tv {
			sim[i] = make([]float64, len(lv))
			for j := range lv {
				if len(f.res[f.kb.Entries[j].ID]) > 0 {
					sim[i][j] = cosine(tv[i], lv[j])
				}
			}
		}
		for i := range tv {
			best, second := -1, -1
			for j := range lv {
				if best < 0 || sim[i][j] > sim[i][best] {
					best, second = j, best
				} else if second < 0 || sim[i][j] > sim[i][second] {
					second = j
				}
			}
			if best < 0 || sim[i][best] < p.tau {
				continue
			}
			if second >= 0 && sim[i][best]-sim[i][second] < p.gap {
				continue
			}
			if p.mutual {
				mb := 0
				for k := range tv {
					if sim[k][best] > sim[mb][best] {
						mb = k
					}
				}
				if mb != i {
					continue
				}
			}
			out[target.kb.Entries[i].ID] = append(out[target.kb.Entries[i].ID], align{f.name + "/" + f.kb.Entries[best].ID, sim[i][best]})
		}
	}
	return out
}

type libParams struct {
	tau, gap, ansW float64
	mutual         bool
	k              int
	gamma          float64
}

func envF(name string, def float64) float64 {
	if v := os.Getenv(name); v != "" {
		var x float64
		fmt.Sscan(v, &x)
		return x
	}
	return def
}

// libFeatures returns the library inputs for candidates ids of a query
// with library hits hs and alignment al.
func libFeatures(ids []string, hs []libHit, al map[string][]align, p libParams) [][]float64 {
	score := map[string]float64{}
	for i, h := range hs {
		if i >= p.k || hs[0].score <= 0 {
			break
		}
		score[h.id] = math.Pow(h.score/hs[0].score, p.gamma)
	}
	votes := make([]float64, len(ids))
	var top float64
	for i, id := range ids {
		for _, a := range al[id] {
			votes[i] += a.w * score[a.lib]
		}
		top = max(top, votes[i])
	}
	out := make([][]float64, len(ids))
	for i := range ids {
		v, best := 0.0, 0.0
		if top > 0 {
			v = votes[i] / top
			if votes[i] == top {
				best = 1
			}
		}
		out[i] = []float64{v, best}
	}
	return out
}

// TestDevLibrary measures the library leave-one-FAQ-out
// (ONESTOP_DEVLIB=1 go test ./chatbot/yomi -run DevLibrary -v).
func TestDevLibrary(t *testing.T) {
	if os.Getenv("ONESTOP_DEVLIB") == "" {
		t.Skip("set ONESTOP_DEVLIB=1")
	}
	d, err := dict()
	require.NoError(t, err)
	fs := libFAQs(t)
	names := make([]string, len(fs))
	for i := range fs {
		names[i] = fs[i].name
	}
	// Re-ranker inputs, per FAQ.
	var qs []*libQuery
	byFAQ := map[string][]*libQuery{}
	for i := range fs {
		m, err := chatbot.Compile(fs[i].kb, chatbot.WithReadings(d))
		require.NoError(t, err)
		for _, q := range fs[i].qs {
			lq := &libQuery{faq: fs[i].name, q: q, hits: map[string][]libHit{}}
			for _, in := range m.RankInputs(q.Q) {
				lq.ids = append(lq.ids, in.ID)
				lq.x = append(lq.x, in.Features)
			}
			qs = append(qs, lq)
			byFAQ[fs[i].name] = append(byFAQ[fs[i].name], lq)
		}
	}
	// Library hits for every skip set a fold needs.
	k := int(envF("LIBK", 10))
	var libOpts []chatbot.Option
	if os.Getenv("LIBNOREAD") == "" {
		libOpts = append(libOpts, chatbot.WithReadings(d))
	}
	formal := os.Getenv("LIBFORMAL") != ""
	var durs []time.Duration
	for a := range names {
		if a == 1 {
			slices.Sort(durs)
			t.Logf("library match per query: p50 %v p99 %v (%d queries, wall)", durs[len(durs)/2], durs[len(durs)*99/100], len(durs))
		}
		for b := a; b < len(names); b++ {
			key := skipKey(names[a], names[b])
			skip := map[string]bool{names[a]: true, names[b]: true}
			t0 := time.Now()
			lkb := libraryKB(fs, skip, formal)
			lm, err := chatbot.Compile(lkb, libOpts...)
			require.NoError(t, err)
			if a == 0 && b == 0 {
				nq := 0
				for _, e := range lkb.Entries {
					nq += len(e.Phrasings)
				}
				t.Logf("library without %s: %d entries, %d resident questions, compiled in %v", key, len(lkb.Entries), nq, time.Since(t0))
			}
			var r chatbot.Result
			for _, f := range []string{names[a], names[b]} {
				for _, lq := range byFAQ[f] {
					if _, ok := lq.hits[key]; ok {
						continue
					}
					t1 := time.Now()
					lm.MatchInto(&r, lq.q.Q, k)
					if a == 0 && b == 0 {
						durs = append(durs, time.Since(t1))
					}
					var hs []libHit
					for _, c := range r.Candidates {
						hs = append(hs, libHit{c.Entry.ID, c.Score})
					}
					lq.hits[key] = hs
				}
			}
		}
	}
	nm, err := chatbot.Compile(qaOnly(t))
	require.NoError(t, err)
	norm := nm.Canonical
	sweep := strings.Split(os.Getenv("LIBSWEEP"), ";")
	for _, sp := range sweep {
		p := libParams{tau: envF("LIBTAU", 0.15), gap: envF("LIBGAP", 0), ansW: envF("LIBANS", 0.3), mutual: os.Getenv("LIBMUTUAL") != "", k: k, gamma: envF("LIBGAMMA", 2)}
		one := os.Getenv("LIBONE") != ""
		if sp != "" {
			var mu, on int
			_, err := fmt.Sscanf(sp, "%g:%g:%g:%d:%g:%d:%d", &p.tau, &p.gap, &p.ansW, &mu, &p.gamma, &p.k, &on)
			require.NoError(t, err)
			p.mutual, one = mu == 1, on == 1
		}
		t.Logf("params %+v one=%v", p, one)
		libRun(t, fs, names, byFAQ, norm, p, one)
	}
}

func libRun(t *testing.T, fs []libFAQ, names []string, byFAQ map[string][]*libQuery, norm func(string) string, p libParams, one bool) {
	alCache := map[string]map[string][]align{}
	alFor := func(target string, skip ...string) map[string][]align {
		key := target + "|" + skipKey(skip...)
		if al, ok := alCache[key]; ok {
			return al
		}
		sk := map[string]bool{}
		for _, s := range skip {
			sk[s] = true
		}
		ti := slices.Index(names, target)
		al := alignments(fs, &fs[ti], sk, norm, p)
		alCache[key] = al
		return al
	}
	// Alignment quality: share of a FAQ's entries with an alignment, and
	// how often the library's best hit aligns to the right entry.
	lambda := envF("LIBLAMBDA", rankLambda)
	nf := len(chatbot.RankFeatureNames())
	extra := 2
	if one {
		extra = 1
	}
	feats := func(lq *libQuery, al map[string][]align, key string) [][]float64 {
		lf := libFeatures(lq.ids, lq.hits[key], al, p)
		x := make([][]float64, len(lq.x))
		for i := range lq.x {
			x[i] = append(slices.Clone(lq.x[i]), lf[i][:extra]...)
		}
		return x
	}
	toRank := func(lq *libQuery, x [][]float64) rankQuery {
		rq := rankQuery{faq: lq.faq, x: x, correct: slices.Index(lq.ids, lq.q.Expected)}
		return rq
	}
	w0 := make([]float64, nf+extra)
	w0[0] = 1
	var s1, s3, b1s, b3s, v1s float64
	tagB, tagA, tagN := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, held := range names {
		var trainB, trainA []rankQuery
		for _, f := range names {
			if f == held {
				continue
			}
			al := alFor(f, f, held)
			for _, lq := range byFAQ[f] {
				trainB = append(trainB, toRank(lq, lq.x))
				trainA = append(trainA, toRank(lq, feats(lq, al, skipKey(f, held))))
			}
		}
		wb := fitRanker(trainB, lambda, bm25Order())
		wa := fitRanker(trainA, lambda, w0)
		al := alFor(held, held)
		var testB, testA []rankQuery
		var aligned, voteTop1 float64
		for _, lq := range byFAQ[held] {
			x := feats(lq, al, skipKey(held))
			testB = append(testB, toRank(lq, lq.x))
			ra := toRank(lq, x)
			testA = append(testA, ra)
			if ra.correct >= 0 && x[ra.correct][nf] == 1 {
				voteTop1++
			}
			// per tag
			rb1, _ := rankOutcome([]rankQuery{toRank(lq, lq.x)}, wb)
			r1, _ := rankOutcome([]rankQuery{ra}, wa)
			for _, tg := range lq.q.Tags {
				tagB[tg] += rb1
				tagA[tg] += r1
				tagN[tg]++
			}
		}
		for _, e := range fs[slices.Index(names, held)].kb.Entries {
			if len(al[e.ID]) > 0 {
				aligned++
			}
		}
		b1, b3 := rankOutcome(testB, wb)
		r1, r3 := rankOutcome(testA, wa)
		s1, s3, b1s, b3s = s1+r1, s3+r3, b1s+b1, b3s+b3
		v1 := voteTop1 / float64(len(testA))
		v1s += v1
		t.Logf("left out %-10s top-1 %5.1f → %5.1f (%+.1f), top-3 %5.1f → %5.1f (%+.1f); entries aligned %d/%d, library vote top-1 %.1f; w_lib %.3f %.3f",
			held, 100*b1, 100*r1, 100*(r1-b1), 100*b3, 100*r3, 100*(r3-b3), int(aligned), len(fs[slices.Index(names, held)].kb.Entries), 100*v1, wa[nf], wa[len(wa)-1])
	}
	n := float64(len(names))
	t.Logf("mean: top-1 %5.1f → %5.1f (%+.2f), top-3 %5.1f → %5.1f (%+.2f), vote top-1 %.1f", 100*b1s/n, 100*s1/n, 100*(s1-b1s)/n, 100*b3s/n, 100*s3/n, 100*(s3-b3s)/n, 100*v1s/n)
	tags := slices.Sorted(maps.Keys(tagN))
	sort.SliceStable(tags, func(i, j int) bool { return tagN[tags[i]] > tagN[tags[j]] })
	var b strings.Builder
	for _, tg := range tags {
		if tagN[tg] >= 30 {
			fmt.Fprintf(&b, "%s(%d) %.1f→%.1f · ", tg, int(tagN[tg]), 100*tagB[tg]/tagN[tg], 100*tagA[tg]/tagN[tg])
		}
	}
	t.Logf("per tag top-1 (pooled): %s", b.String())
}
