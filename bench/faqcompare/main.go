// Command faqcompare measures the onestop chatbot matcher side by side with
// bleve (v2, cjk analyzer) on the same knowledge base and labelled queries:
// accuracy (top-1, top-3, MRR, out-of-scope rejection) and latency, and the
// index build time and latency at 2,000 entries.
//
// It is a separate module so that bleve never enters the library's go.mod.
//
//	cd bench/faqcompare && go run . --queries ../../chatbot/testdata/heldout5_queries.json
//	cd bench/faqcompare && go run . --faq city.csv --queries city_queries.json
//
// With --faq (a municipality's own FAQ, YAML or CSV), bleve's answer
// threshold cannot be chosen on that FAQ's own questions without tuning on
// them, so it is chosen on the shipped development set against the
// default knowledge base reduced to questions and answers
// (chatbot/testdata/default_qa.csv), the closest stand-in for a FAQ as it
// arrives, and carried over; top-1, top-3 and MRR need no threshold.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/onestop-jp/onestop/chatbot"
	"github.com/onestop-jp/onestop/chatbot/yomi"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("faqcompare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	faq := fs.String("faq", "", "FAQ file (YAML or CSV); default: the embedded default knowledge base")
	queries := fs.String("queries", "../../chatbot/testdata/heldout5_queries.json", "labelled query set (JSON)")
	dev := fs.String("dev", "../../chatbot/testdata/dev_queries.json", "development set used to choose bleve's answer threshold")
	devFAQ := fs.String("dev-faq", "../../chatbot/testdata/default_qa.csv", "with --faq: the knowledge base the development set belongs to, for bleve's threshold")
	scale := fs.Int("scale", 2000, "entries in the scaled knowledge base for build time and latency")
	readings := fs.Bool("readings", true, "give onestop the readings of the FAQ's words (chatbot/yomi), as the CLI does")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	def, err := chatbot.Default()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	kb, devKB := def, def
	if *faq != "" {
		own, err := chatbot.LoadFile(ctx, *faq)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		kb = own.WithDefaults(def)
		d, err := chatbot.LoadFile(ctx, *devFAQ)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		devKB = d.WithDefaults(def)
	}
	var opts []chatbot.Option
	if *readings {
		start := time.Now()
		d, err := yomi.New()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "読みの辞書（kagome IPA）の読み込み: %s\n", time.Since(start).Round(time.Millisecond))
		opts = append(opts, chatbot.WithReadings(d))
	}
	qs, err := loadQueries(*queries)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	devQs, err := loadQueries(*dev)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := chatbot.CheckQueries(kb, qs); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}

	if err := chatbot.CheckQueries(devKB, devQs); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ours, err := chatbot.Compile(kb, opts...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "知識ベース: %s（%d 件） 質問セット: %s（%d 件） bleve の閾値調整用: %s × %s\n", kb.Name, len(kb.Entries), *queries, len(qs), devKB.Name, *dev)
	fmt.Fprintf(stdout, "Go %s, %s/%s, %d CPU\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())

	var devCanon *chatbot.Matcher
	systems := []struct {
		name  string
		build func(*chatbot.KnowledgeBase) (chatbot.Ranker, func(), error)
	}{
		{"onestop chatbot（bigram+漢字unigram BM25, 正規化, 言い換え・読み・同義語・制度名）", func(k *chatbot.KnowledgeBase) (chatbot.Ranker, func(), error) {
			m, err := chatbot.Compile(k, opts...)
			return m, func() {}, err
		}},
		{"bleve cjk, メモリ, TF-IDF, 原文のまま", func(k *chatbot.KnowledgeBase) (chatbot.Ranker, func(), error) {
			return newBleve(k, nil, false)
		}},
		{"bleve cjk, scorch, BM25, onestop の正規化＋言い換え済みの文", func(k *chatbot.KnowledgeBase) (chatbot.Ranker, func(), error) {
			canon := ours
			if k == devKB && devKB != kb {
				if devCanon == nil {
					if devCanon, err = chatbot.Compile(devKB, opts...); err != nil {
						return nil, nil, err
					}
				}
				canon = devCanon
			}
			return newBleve(k, canon, true)
		}},
	}
	big := replicate(kb, *scale)
	for _, s := range systems {
		r, closeFn, err := s.build(kb)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", s.name, err)
			return 1
		}
		if b, ok := r.(*bleveRanker); ok {
			if devKB == kb {
				b.threshold = chooseThreshold(b, devQs)
			} else {
				// Chosen on the development knowledge base, carried over.
				rd, closeDev, err := s.build(devKB)
				if err != nil {
					fmt.Fprintf(stderr, "%s: %v\n", s.name, err)
					return 1
				}
				b.threshold = chooseThreshold(rd.(*bleveRanker), devQs)
				closeDev()
			}
		}
		rep := chatbot.Evaluate(r, qs)
		closeFn()
		title := s.name
		if b, ok := r.(*bleveRanker); ok {
			title += fmt.Sprintf("（回答する閾値 score ≥ %.3f を開発セットで選択）", b.threshold)
		}
		if err := chatbot.WriteReport(stdout, title, rep, false); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		// Scale: build time (median of three builds: the machine is shared)
		// and per-query latency at big.
		var builds []time.Duration
		var lat, fastest []time.Duration
		for i := 0; i < 3; i++ {
			start := time.Now()
			rb, closeBig, err := s.build(big)
			if err != nil {
				fmt.Fprintf(stderr, "%s at %d: %v\n", s.name, len(big.Entries), err)
				return 1
			}
			builds = append(builds, time.Since(start))
			if i == 2 {
				lat, fastest = latencies(rb, qs, 5)
			}
			closeBig()
		}
		sort.Slice(builds, func(i, j int) bool { return builds[i] < builds[j] })
		buildTime := builds[1]
		// The wall-clock p99 of a shared machine is mostly waiting for a
		// core; each question's fastest of five runs is the system's own
		// cost (as internal/latency's p99-min5).
		fmt.Fprintf(stdout, "  %d 件: 索引作成 %s（3 回の中央値）、1 問あたり p50 %s  p99 %s（%d 回）、各質問の 5 回中最速の p99 %s\n\n", len(big.Entries), buildTime.Round(time.Millisecond),
			chatbot.Percentile(lat, 50), chatbot.Percentile(lat, 99), len(lat), chatbot.Percentile(fastest, 99))
	}
	return 0
}

func loadQueries(path string) ([]chatbot.LabeledQuery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return chatbot.LoadQueries(f, path)
}

// replicate makes an n-entry knowledge base from kb by copying its entries
// under new IDs (latency and build time only: copies compete with each other).
func replicate(kb *chatbot.KnowledgeBase, n int) *chatbot.KnowledgeBase {
	out := *kb
	out.Entries = make([]chatbot.Entry, 0, n)
	for i := 0; len(out.Entries) < n; i++ {
		e := kb.Entries[i%len(kb.Entries)]
		e.ID = fmt.Sprintf("%s-%d", e.ID, i/len(kb.Entries))
		out.Entries = append(out.Entries, e)
	}
	return &out
}

func latencies(r chatbot.Ranker, qs []chatbot.LabeledQuery, rounds int) (all, fastest []time.Duration) {
	fastest = make([]time.Duration, len(qs))
	for i := 0; i < rounds; i++ {
		for j, q := range qs {
			start := time.Now()
			r.Rank(q.Q, 10)
			d := time.Since(start)
			all = append(all, d)
			if i == 0 || d < fastest[j] {
				fastest[j] = d
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	sort.Slice(fastest, func(i, j int) bool { return fastest[i] < fastest[j] })
	return all, fastest
}

// bleveRanker puts a bleve index behind chatbot.Ranker. bleve has no notion
// of confidence, so it answers when the best score reaches a threshold
// chosen on the development set.
type bleveRanker struct {
	idx       bleve.Index
	canon     *chatbot.Matcher // non-nil: feed canonical text
	threshold float64
}

type bleveDoc struct {
	Q string `json:"q"`
	A string `json:"a"`
}

func newBleve(kb *chatbot.KnowledgeBase, canon *chatbot.Matcher, scorchBM25 bool) (chatbot.Ranker, func(), error) {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = "cjk"
	dm := bleve.NewDocumentMapping()
	for _, f := range []string{"q", "a"} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = "cjk"
		fm.Store = false
		fm.IncludeInAll = false
		dm.AddFieldMappingsAt(f, fm)
	}
	im.DefaultMapping = dm
	var idx bleve.Index
	var err error
	dir := ""
	if scorchBM25 {
		im.ScoringModel = bleveindex.BM25Scoring
		dir, err = os.MkdirTemp("", "faqcompare-*")
		if err != nil {
			return nil, nil, err
		}
		idx, err = bleve.NewUsing(dir+"/idx", im, scorch.Name, scorch.Name, nil)
	} else {
		idx, err = bleve.NewMemOnly(im)
	}
	if err != nil {
		return nil, nil, err
	}
	text := func(s string) string {
		if canon != nil {
			return canon.Canonical(s)
		}
		return s
	}
	b := idx.NewBatch()
	for _, e := range kb.Entries {
		q := append([]string{e.Question}, e.Phrasings...)
		q = append(q, e.Keywords...)
		if err := b.Index(e.ID, bleveDoc{Q: text(strings.Join(q, "\n")), A: text(e.Answer)}); err != nil {
			return nil, nil, err
		}
	}
	if err := idx.Batch(b); err != nil {
		return nil, nil, err
	}
	closeFn := func() {
		idx.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	return &bleveRanker{idx: idx, canon: canon}, closeFn, nil
}

func (b *bleveRanker) search(query string, n int) ([]string, float64) {
	if b.canon != nil {
		query = b.canon.Canonical(query)
	}
	q1 := bleve.NewMatchQuery(query)
	q1.SetField("q")
	q2 := bleve.NewMatchQuery(query)
	q2.SetField("a")
	q2.SetBoost(0.5)
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(q1, q2), n, 0, false)
	res, err := b.idx.Search(req)
	if err != nil || len(res.Hits) == 0 {
		return nil, 0
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, res.Hits[0].Score
}

// Rank implements chatbot.Ranker.
func (b *bleveRanker) Rank(query string, n int) ([]string, bool) {
	ids, top := b.search(query, n)
	return ids, len(ids) > 0 && top >= b.threshold
}

// chooseThreshold picks the score threshold that maximises the mean of
// "answered correctly" (in scope) and "rejected" (out of scope) on the
// development set: the same trade-off our thresholds were tuned for.
func chooseThreshold(b *bleveRanker, dev []chatbot.LabeledQuery) float64 {
	type obs struct {
		score   float64
		inScope bool
		correct bool
	}
	var os []obs
	var nIn, nOut int
	for _, q := range dev {
		ids, s := b.search(q.Q, 1)
		o := obs{score: s, inScope: q.Expected != ""}
		if o.inScope {
			nIn++
			o.correct = len(ids) > 0 && ids[0] == q.Expected
		} else {
			nOut++
		}
		os = append(os, o)
	}
	best, bestVal := 0.0, -1.0
	for _, cand := range os {
		t := cand.score
		var ok, rej int
		for _, o := range os {
			if o.inScope && o.correct && o.score >= t {
				ok++
			}
			if !o.inScope && o.score < t {
				rej++
			}
		}
		val := float64(ok)/float64(max(nIn, 1)) + float64(rej)/float64(max(nOut, 1))
		if val > bestVal || val == bestVal && t < best {
			best, bestVal = t, val
		}
	}
	return best
}
