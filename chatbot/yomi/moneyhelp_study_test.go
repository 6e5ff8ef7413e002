package yomi_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onestop-jp/onestop/chatbot"
)

// moneyClassWords mark an entry whose question is a city's own money help
// for a cost (round 24's class, i24c): 助成, 補助, 減免 …; an entry on
// 医療費 (医療費助成) is apart — residents ask it by name.
var moneyClassWords = []string{"助成", "補助", "減免", "免除", "軽減", "割引", "援助", "給付", "祝金", "祝い金", "応援金", "無料", "無償", "支援金", "奨励金"}

// moneyEntry reports whether an entry's question is money help for a cost
// (the class's right side), and the money-help name it holds: the run of
// kanji and katakana that ends with the word (給食費補助, 入学祝金; 助成
// alone in 「利用料の助成」).
func moneyEntry(question string) (bool, string) {
	n := chatbot.Normalize(question)
	if strings.Contains(n, "医療費") {
		return false, ""
	}
	for _, w := range moneyClassWords {
		w = chatbot.Normalize(w)
		i := strings.Index(n, w)
		if i < 0 {
			continue
		}
		rs := []rune(n[:i])
		j := len(rs)
		for j > 0 && (unicode.Is(unicode.Han, rs[j-1]) || unicode.Is(unicode.Katakana, rs[j-1])) {
			j--
		}
		return true, string(rs[j:]) + w
	}
	return false, ""
}

// moneyOutcome classes one ranked question: lost is the class — the right
// entry is money help and another entry comes first, not one naming the
// same money-help name of four characters or more (two aspects of one
// programme: not counted); reverse is the other way — a money-help entry
// first for a question whose right entry is none.
func moneyOutcome(right, first string) (lost, reverse bool) {
	if right == first {
		return false, false
	}
	rm, name := moneyEntry(right)
	fm, _ := moneyEntry(first)
	if rm {
		same := len([]rune(name)) >= 4 && strings.Contains(chatbot.Normalize(first), name)
		return !same, false
	}
	return false, fm
}

func TestMoneyOutcome(t *testing.T) {
	for _, c := range []struct {
		right, first  string
		lost, reverse bool
	}{
		{"病児保育の利用料の助成はありますか。", "病児保育を利用するには。", true, false},
		{"給食費補助の対象は。", "就学援助の対象は。", true, false},
		{"給食費補助の対象は。", "給食費補助の申請方法は。", false, false}, // two aspects of one programme
		{"病児保育の利用料の助成はありますか。", "病児保育の利用料の助成はありますか。", false, false},
		{"子どもの医療費助成の対象は。", "児童手当の対象は。", false, false},
		{"病児保育を利用するには。", "病児保育の利用料の助成はありますか。", false, true},
		{"児童手当の対象は。", "児童扶養手当の対象は。", false, false},
	} {
		lost, rev := moneyOutcome(c.right, c.first)
		assert.Equal(t, c.lost, lost, "lost: %s ← %s", c.right, c.first)
		assert.Equal(t, c.reverse, rev, "reverse: %s ← %s", c.right, c.first)
	}
}

// moneyRow is one in-scope query with its candidates (BM25 order), their
// inputs, IDs and which is right.
type moneyRow struct {
	faq, q  string
	ids     []string
	x       [][]float64
	correct int
}

func moneyRows(t *testing.T, keep func(string) bool, held string, questions map[string]map[string]string) []moneyRow {
	t.Helper()
	var out []moneyRow
	eachInScopeWithout(t, keep, held, func(k kbSets, m *chatbot.Matcher, q chatbot.LabeledQuery) {
		if questions[k.name] == nil {
			questions[k.name] = map[string]string{}
			for _, e := range k.kb.Entries {
				questions[k.name][e.ID] = e.Question
			}
		}
		r := moneyRow{faq: k.name, q: q.Q, correct: -1}
		for i, in := range m.RankInputs(q.Q) {
			r.x = append(r.x, in.Features)
			r.ids = append(r.ids, in.ID)
			if in.ID == q.Expected {
				r.correct = i
			}
		}
		out = append(out, r)
	})
	return out
}

// moneyVariant is one way of filling the money-help inputs: nil lists
// leave them 0 (the baseline); matcher keeps the matcher's own values.
type moneyVariant struct {
	name    string
	lists   *chatbot.MoneyHelpLists
	matcher bool
	cache   map[string][3]float64
}

// moneyCols are the inputs' places: aid, aidonly, group, then the same
// ×long; pos and posLong read the question's length term back.
type moneyCols struct {
	plain, long  [3]int
	pos, posLong int
}

func moneyColumns(t *testing.T) moneyCols {
	names := chatbot.RankFeatureNames()
	var c moneyCols
	for i, n := range []string{"aid", "aidonly", "group"} {
		c.plain[i] = slices.Index(names, n)
		c.long[i] = slices.Index(names, n+"×long")
		require.Positive(t, c.plain[i], n)
	}
	c.pos, c.posLong = slices.Index(names, "position"), slices.Index(names, "position×long")
	return c
}

// apply fills the money-help inputs of rows (in place; the matcher's
// values are kept aside in orig the first time) as v computes them.
func (v *moneyVariant) apply(rows []moneyRow, orig map[*float64][3]float64, c moneyCols, questions map[string]map[string]string) {
	for _, r := range rows {
		for i, x := range r.x {
			if _, ok := orig[&x[0]]; !ok {
				orig[&x[0]] = [3]float64{x[c.plain[0]], x[c.plain[1]], x[c.plain[2]]}
			}
			var in [3]float64
			switch {
			case v.matcher:
				in = orig[&x[0]]
			case v.lists != nil:
				key := r.faq + "\x00" + r.ids[i] + "\x00" + r.q
				var ok bool
				if in, ok = v.cache[key]; !ok {
					a, b, g := v.lists.Inputs(r.q, questions[r.faq][r.ids[i]])
					in = [3]float64{a, b, g}
					v.cache[key] = in
				}
			}
			long := x[c.posLong] / x[c.pos]
			for j := range 3 {
				x[c.plain[j]], x[c.long[j]] = in[j], in[j]*long
			}
		}
	}
}

// placeboWords draws, for each word of ws, a random substring of the
// same shape (scripts) from texts whose document frequency there is
// within a factor two of the word's (the nearest otherwise): a list of
// the same size and about the same sparsity that means nothing.
func placeboWords(rng *rand.Rand, ws []string, texts []string, real []string) []string {
	norm := make([]string, len(texts))
	for i, s := range texts {
		norm[i] = chatbot.Normalize(s)
	}
	df := func(w string) int {
		w = chatbot.Normalize(w)
		n := 0
		for _, s := range norm {
			if strings.Contains(s, w) {
				n++
			}
		}
		return n
	}
	byLen := map[string]map[string]int{}
	vocab := func(want string) map[string]int {
		if v, ok := byLen[want]; ok {
			return v
		}
		l := len([]rune(want))
		v := map[string]int{}
		for _, s := range norm {
			rs := []rune(s)
			seen := map[string]bool{}
			for i := 0; i+l <= len(rs); i++ {
				sub := string(rs[i : i+l])
				if strings.ContainsRune(sub, ' ') || seen[sub] || scripts(sub) != want {
					continue
				}
				seen[sub] = true
				v[sub]++
			}
		}
		byLen[want] = v
		return v
	}
	var out []string
	for _, w := range ws {
		d := max(df(w), 1)
		v := vocab(scripts(chatbot.Normalize(w)))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var pool []string
		for _, k := range keys {
			if v[k]*2 >= d && v[k] <= 2*d && !overlapsAny(k, real) {
				pool = append(pool, k)
			}
		}
		if len(pool) == 0 {
			best := -1
			for _, k := range keys {
				if overlapsAny(k, real) {
					continue
				}
				if best < 0 || abs(v[k]-d) < abs(v[keys[best]]-d) {
					best = slices.Index(keys, k)
				}
			}
			pool = keys[best : best+1]
		}
		out = append(out, pool[rng.IntN(len(pool))])
	}
	return out
}

func abs(x int) int { return max(x, -x) }

// overlapsAny reports whether w holds one of the real words or is part of
// one (a placebo word must not be a real one in disguise).
func overlapsAny(w string, real []string) bool {
	for _, r := range real {
		r = chatbot.Normalize(r)
		if strings.Contains(w, r) || strings.Contains(r, w) {
			return true
		}
	}
	return false
}

// scripts is a word's shape, rune by rune: K for a kanji, k otherwise
// (a placebo word has the real word's shape: 助成 KK, 安く Kk, ただ kk).
func scripts(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			b.WriteByte('K')
		} else {
			b.WriteByte('k')
		}
	}
	return b.String()
}

// moneyFigures are one variant's figures over the FAQs left out.
type moneyFigures struct {
	top1, lost, reverse, wrong, right int
	lostQ                             []string
}

// TestMoneyHelpStudy is round 25's study (i25b): the money-help inputs
// (aid, aidonly, group) against the baseline (the same inputs left 0) and
// placebo word lists, each FAQ left out in turn (the re-ranker fitted on
// the others, as TestDevFitRanker), all on one collection of inputs; per
// variant the left-out top-1, the class «a city's own money help ranked
// below its service» and its reverse (moneyOutcome), and the left-out
// FAQ's wrong and right direct answers with the fold's weights.
// ONESTOP_DEVFIT=1 ONESTOP_MONEY_STUDY=5 (placebo seeds)
// [ONESTOP_MONEY_HELD=dev20,dev21] go test ./chatbot/yomi -run MoneyHelpStudy -v -timeout 3h
func TestMoneyHelpStudy(t *testing.T) {
	if os.Getenv("ONESTOP_DEVFIT") == "" || os.Getenv("ONESTOP_MONEY_STUDY") == "" {
		t.Skip("set ONESTOP_DEVFIT=1 ONESTOP_MONEY_STUDY=<placebo seeds>")
	}
	var seeds int
	_, err := fmt.Sscan(os.Getenv("ONESTOP_MONEY_STUDY"), &seeds)
	require.NoError(t, err)
	c := moneyColumns(t)
	questions := map[string]map[string]string{}
	all := moneyRows(t, nil, "", questions)
	var held []string
	for _, r := range all {
		if strings.HasPrefix(r.faq, "dev") && !slices.Contains(held, r.faq) {
			held = append(held, r.faq)
		}
	}
	if v := os.Getenv("ONESTOP_MONEY_HELD"); v != "" {
		held = strings.Split(v, ",")
	}
	// Placebo lists: drawn from the entries' questions (entry words) and
	// the residents' questions (query and group words).
	var entryTexts, queryTexts []string
	for _, qs := range questions {
		for _, q := range qs {
			entryTexts = append(entryTexts, q)
		}
	}
	slices.Sort(entryTexts)
	for _, r := range all {
		queryTexts = append(queryTexts, r.q)
	}
	real := chatbot.DefaultMoneyHelpWords()
	variants := []*moneyVariant{{name: "base"}, {name: "cand", matcher: true}}
	check := &moneyVariant{name: "check", lists: chatbot.NewMoneyHelpLists(real), cache: map[string][3]float64{}}
	for s := range seeds {
		rng := rand.New(rand.NewPCG(uint64(s+1), 25))
		every := slices.Concat(real.Entry, real.Query, real.Group)
		w := chatbot.MoneyHelpWords{
			Entry: placeboWords(rng, real.Entry, entryTexts, every),
			Query: placeboWords(rng, real.Query, queryTexts, every),
			Group: placeboWords(rng, real.Group, queryTexts, every),
		}
		t.Logf("placebo %d: entry %v query %v group %v", s+1, w.Entry, w.Query, w.Group)
		variants = append(variants, &moneyVariant{name: fmt.Sprintf("placebo%d", s+1), lists: chatbot.NewMoneyHelpLists(w), cache: map[string][3]float64{}})
	}
	// The harness's computation with the real lists must be the matcher's.
	orig := map[*float64][3]float64{}
	check.apply(all, orig, c, questions)
	mismatch := 0
	for _, r := range all {
		for _, x := range r.x {
			o := orig[&x[0]]
			if o != [3]float64{x[c.plain[0]], x[c.plain[1]], x[c.plain[2]]} {
				mismatch++
			}
		}
	}
	t.Logf("harness against matcher, real lists: %d candidate rows differ", mismatch)
	assert.Zero(t, mismatch)
	byFAQ := groupByFAQ(all, func(r moneyRow) string { return r.faq })
	d, err := dict()
	require.NoError(t, err)
	figs := make([]moneyFigures, len(variants))
	out := os.Getenv("ONESTOP_MONEY_OUT")
	var lines []string
	for _, h := range held {
		train := moneyRows(t, func(f string) bool { return f != h }, h, questions)
		var kb kbSets
		for _, k := range devKBs(t) {
			if k.name == h {
				kb = k
			}
		}
		tOrig := map[*float64][3]float64{}
		for vi, v := range variants {
			v.apply(train, tOrig, c, questions)
			v.apply(byFAQ[h], orig, c, questions)
			qs := make([]rankQuery, len(train))
			for i, r := range train {
				qs[i] = rankQuery{faq: r.faq, x: r.x, correct: r.correct}
			}
			w := fitRanker(qs, rankLambda, bm25Order())
			f := &figs[vi]
			var t1, lo, re int
			for _, r := range byFAQ[h] {
				if r.correct < 0 {
					continue
				}
				first := 0
				for i, x := range r.x {
					if dot(w, x) > dot(w, r.x[first]) {
						first = i
					}
				}
				if first == r.correct {
					t1++
				}
				lost, rev := moneyOutcome(questions[h][r.ids[r.correct]], questions[h][r.ids[first]])
				if lost {
					lo++
					f.lostQ = append(f.lostQ, h+" "+r.q)
				}
				if rev {
					re++
				}
				if lost || rev {
					lines = append(lines, fmt.Sprintf("%s\t%s\t%v\t%v\t%s\t%s\t%s", v.name, h, lost, rev, r.ids[r.correct], r.ids[first], r.q))
				}
			}
			var wr, ri int
			if vi < 2 {
				// Direct answers with the fold's weights (the embedded
				// confidence model and bar): the baseline and the candidate.
				m, err := chatbot.Compile(kb.kb, chatbot.WithReadings(d), ownOut(h), chatbot.WithRanker(w))
				require.NoError(t, err)
				for _, set := range kb.sets {
					for _, q := range loadQueries(t, set) {
						res := m.Match(q.Q)
						if res.Level != chatbot.Answer || res.Best() == nil {
							continue
						}
						if res.Best().ID == q.Expected {
							ri++
						} else {
							wr++
						}
					}
				}
			}
			f.top1 += t1
			f.lost += lo
			f.reverse += re
			f.wrong += wr
			f.right += ri
			t.Logf("%-4s %-9s top-1 %3d/%3d  class %2d  reverse %2d  direct right %3d wrong %2d", h, v.name, t1, countIn(byFAQ[h]), lo, re, ri, wr)
		}
	}
	for i, v := range variants {
		f := figs[i]
		t.Logf("TOTAL %-9s top-1 %5d  class %3d  reverse %3d  direct right %4d wrong %3d", v.name, f.top1, f.lost, f.reverse, f.right, f.wrong)
	}
	if out != "" {
		require.NoError(t, os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	}
}

func countIn(rows []moneyRow) int {
	n := 0
	for _, r := range rows {
		if r.correct >= 0 {
			n++
		}
	}
	return n
}
