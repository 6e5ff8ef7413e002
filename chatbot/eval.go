package chatbot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// LabeledQuery is one evaluation query: a resident's question and the entry
// that should answer it, or "" (JSON null) when the question is out of scope
// and the bot should not answer it.
type LabeledQuery struct {
	Q        string `json:"q"`
	Expected string `json:"expected"`
	// Note and Tags are free-form (how the query was written: 口語, ひらがな,
	// 方言, …) and are reported per tag.
	Note string   `json:"note,omitempty"`
	Tags []string `json:"tags,omitempty"`
	Pos  Position `json:"-"`
}

// LoadQueries reads a JSON list of {"q": text, "expected": id or null}.
func LoadQueries(r io.Reader, name string) ([]LabeledQuery, error) {
	data, err := readAllLimited(r, name)
	if err != nil {
		return nil, err
	}
	data = trimBOM(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw []struct {
		Q        *string  `json:"q"`
		Expected *string  `json:"expected"`
		Note     string   `json:"note"`
		Tags     []string `json:"tags"`
	}
	if err := dec.Decode(&raw); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if errors.As(err, &se) {
			off = se.Offset
		} else if errors.As(err, &te) {
			off = te.Offset
		}
		line, col := lineCol(data, off)
		return nil, &LoadErrors{{Pos: Position{File: name, Line: line, Column: col}, Err: ErrSyntax,
			Msg: "質問セットの JSON に誤りがあります（" + err.Error() + "）。形式は [{\"q\": \"質問\", \"expected\": \"FAQ ID か null\"}, …] です"}}
	}
	var errs LoadErrors
	out := make([]LabeledQuery, 0, len(raw))
	for i, q := range raw {
		pos := Position{File: name, Row: i + 1}
		if q.Q == nil || strings.TrimSpace(*q.Q) == "" {
			errs = append(errs, &LoadError{Pos: pos, Field: "q", Err: ErrMissingField, Msg: fmt.Sprintf("%d 件目に質問文（q）がありません", i+1)})
			continue
		}
		lq := LabeledQuery{Q: *q.Q, Note: q.Note, Tags: q.Tags, Pos: pos}
		if q.Expected != nil {
			lq.Expected = *q.Expected
		}
		out = append(out, lq)
	}
	if len(errs) > 0 {
		return nil, &errs
	}
	if len(out) == 0 {
		return nil, &LoadErrors{{Pos: Position{File: name}, Err: ErrEmpty, Msg: "質問が1件もありません"}}
	}
	return out, nil
}

func lineCol(data []byte, off int64) (int, int) {
	if off < 0 || off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// CheckQueries reports expected IDs that the knowledge base lacks.
func CheckQueries(kb *KnowledgeBase, qs []LabeledQuery) error {
	var errs LoadErrors
	for _, q := range qs {
		if q.Expected == "" {
			continue
		}
		if _, ok := kb.Entry(q.Expected); !ok {
			errs = append(errs, &LoadError{Pos: q.Pos, Field: "expected", Err: ErrUnknownExpected,
				Msg: fmt.Sprintf("期待する FAQ ID %q が FAQ にありません（質問: %q）", q.Expected, q.Q)})
		}
	}
	if len(errs) > 0 {
		return &errs
	}
	return nil
}

// Ranker is anything that ranks FAQ entries for a query and decides whether
// to answer: the Matcher, or another system measured on the same queries
// (bench/faqcompare puts bleve behind this interface).
type Ranker interface {
	// Rank returns up to n entry IDs, best first, and whether the system
	// would answer the query directly.
	Rank(query string, n int) (ids []string, answer bool)
}

// Rank implements Ranker: the IDs of the best n candidates, and
// answer = (Level == Answer).
func (m *Matcher) Rank(query string, n int) ([]string, bool) {
	var r Result
	m.MatchInto(&r, query, n)
	ids := make([]string, len(r.Candidates))
	for i, c := range r.Candidates {
		ids[i] = c.Entry.ID
	}
	return ids, r.Level == Answer
}

// EvalReport holds the figures of one evaluation run.
type EvalReport struct {
	Queries, InScope, OutOfScope int
	// Top1 and Top3: share of in-scope queries whose expected entry ranks
	// first / in the first three. MRR over the first ten ranks.
	Top1, Top3, MRR float64
	// Rejection: share of out-of-scope queries the system did not answer.
	Rejection float64
	// AnsweredCorrect: in-scope queries answered directly with the right
	// entry; AnsweredWrong: answered directly with a wrong entry (the
	// costly error).
	AnsweredCorrect, AnsweredWrong float64
	// Latency of Rank calls.
	P50, P99, Mean time.Duration
	// ByTag breaks top-1 down by query tag (in-scope queries).
	ByTag map[string]TagStat
	// Failures are the in-scope queries not ranked first and the
	// out-of-scope queries answered, for FAQ upkeep.
	Failures []EvalFailure
}

// TagStat is top-1 accuracy for one tag.
type TagStat struct {
	N    int
	Top1 float64
}

// EvalFailure is one query the system got wrong.
type EvalFailure struct {
	Query    LabeledQuery
	Got      []string
	Answered bool
}

// Evaluate runs every query through r and computes the report.
func Evaluate(r Ranker, qs []LabeledQuery) EvalReport {
	rep := EvalReport{Queries: len(qs), ByTag: map[string]TagStat{}}
	var top1, top3, answeredOK, answeredBad, rejected int
	var rr float64
	lat := make([]time.Duration, 0, len(qs))
	tagN, tagOK := map[string]int{}, map[string]int{}
	for _, q := range qs {
		start := time.Now()
		ids, answered := r.Rank(q.Q, 10)
		lat = append(lat, time.Since(start))
		if q.Expected == "" {
			rep.OutOfScope++
			if !answered {
				rejected++
			} else {
				rep.Failures = append(rep.Failures, EvalFailure{Query: q, Got: ids, Answered: answered})
			}
			continue
		}
		rep.InScope++
		rank := 0
		for i, id := range ids {
			if id == q.Expected {
				rank = i + 1
				break
			}
		}
		for _, t := range q.Tags {
			tagN[t]++
			if rank == 1 {
				tagOK[t]++
			}
		}
		if rank == 1 {
			top1++
			if answered {
				answeredOK++
			}
		} else {
			if answered {
				answeredBad++
			}
			rep.Failures = append(rep.Failures, EvalFailure{Query: q, Got: ids, Answered: answered})
		}
		if rank >= 1 && rank <= 3 {
			top3++
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
	}
	if rep.InScope > 0 {
		n := float64(rep.InScope)
		rep.Top1, rep.Top3, rep.MRR = float64(top1)/n, float64(top3)/n, rr/n
		rep.AnsweredCorrect, rep.AnsweredWrong = float64(answeredOK)/n, float64(answeredBad)/n
	}
	if rep.OutOfScope > 0 {
		rep.Rejection = float64(rejected) / float64(rep.OutOfScope)
	}
	for t, n := range tagN {
		rep.ByTag[t] = TagStat{N: n, Top1: float64(tagOK[t]) / float64(n)}
	}
	if len(lat) > 0 {
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		rep.Mean = sum / time.Duration(len(lat))
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		rep.P50, rep.P99 = Percentile(lat, 50), Percentile(lat, 99)
	}
	return rep
}

// Percentile returns the p-th percentile (nearest rank) of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

// WriteReport prints a report for people (Japanese).
func WriteReport(w io.Writer, title string, rep EvalReport, failures bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "■ %s\n", title)
	fmt.Fprintf(&b, "  質問数           %d（対象内 %d / 対象外 %d）\n", rep.Queries, rep.InScope, rep.OutOfScope)
	fmt.Fprintf(&b, "  1位正解率 top-1  %.1f%%\n", 100*rep.Top1)
	fmt.Fprintf(&b, "  3位以内 top-3    %.1f%%\n", 100*rep.Top3)
	fmt.Fprintf(&b, "  MRR              %.3f\n", rep.MRR)
	fmt.Fprintf(&b, "  対象外の拒否率   %.1f%%\n", 100*rep.Rejection)
	fmt.Fprintf(&b, "  直接回答して正解 %.1f%%  直接回答して誤り %.1f%%（対象内に対する割合）\n", 100*rep.AnsweredCorrect, 100*rep.AnsweredWrong)
	fmt.Fprintf(&b, "  応答時間         p50 %s  p99 %s  平均 %s\n", rep.P50, rep.P99, rep.Mean)
	if len(rep.ByTag) > 0 {
		tags := make([]string, 0, len(rep.ByTag))
		for t := range rep.ByTag {
			tags = append(tags, t)
		}
		sort.Strings(tags)
		b.WriteString("  種類別 top-1:   ")
		for i, t := range tags {
			if i > 0 {
				b.WriteString(" / ")
			}
			fmt.Fprintf(&b, "%s %.0f%%(%d)", t, 100*rep.ByTag[t].Top1, rep.ByTag[t].N)
		}
		b.WriteByte('\n')
	}
	if failures && len(rep.Failures) > 0 {
		b.WriteString("  誤り:\n")
		for _, f := range rep.Failures {
			exp := f.Query.Expected
			if exp == "" {
				exp = "（対象外）"
			}
			got := "（なし）"
			if len(f.Got) > 0 {
				got = strings.Join(f.Got[:min(3, len(f.Got))], ", ")
			}
			ans := ""
			if f.Answered {
				ans = " [直接回答]"
			}
			fmt.Fprintf(&b, "    %q 期待 %s → %s%s\n", f.Query.Q, exp, got, ans)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
