package chatbot

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// csvHeader is the header WriteCSV writes: the 子育てオープンデータ協議会
// columns, then ours, under the names LoadCSV reads.
var csvHeader = []string{"ID", "問い合わせ文", "応答文", "カテゴリ", "別表現", "言い換え", "担当課", "URL", "更新日", "クイックリプライ"}

// WriteCSV writes kb's entries as a FAQ CSV file that LoadCSV reads back
// (UTF-8 with BOM, so that Excel opens it as UTF-8): ID, 問い合わせ文,
// 応答文, カテゴリ, 別表現, 言い換え, 担当課, URL, 更新日 and
// クイックリプライ, several values of a cell on separate lines. What a CSV
// file cannot hold is not written: link labels, quick replies' postbacks,
// desks' details, aliases, danger words and contacts. A keyword, phrasing,
// URL or quick reply that holds a line break or "|" (LoadCSV would split
// it) is an error (ErrSeparator) naming the entry, and nothing is written.
func WriteCSV(w io.Writer, kb *KnowledgeBase) error {
	var errs LoadErrors
	recs := [][]string{csvHeader}
	for i := range kb.Entries {
		e := &kb.Entries[i]
		multi := func(label string, vs []string) string {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n|｜") {
					errs = append(errs, &LoadError{Pos: e.Pos, Field: label, Err: ErrSeparator,
						Msg: fmt.Sprintf("FAQ %q の%s %q に改行か「|」があります（CSV では値の区切りになります）。取り除いてください", e.ID, label, v)})
				}
			}
			return strings.Join(vs, "\n")
		}
		var urls, qrs []string
		for _, l := range e.Links {
			urls = append(urls, l.URL)
		}
		for _, q := range e.QuickReplies {
			qrs = append(qrs, q.Label)
		}
		updated := ""
		if !e.Updated.IsZero() {
			updated = e.Updated.String()
		}
		recs = append(recs, []string{e.ID, e.Question, e.Answer, e.Category, multi("別表現", e.Keywords), multi("言い換え", e.Phrasings),
			e.Desk, multi("URL", urls), updated, multi("クイックリプライ", qrs)})
	}
	if len(errs) > 0 {
		return &errs
	}
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return fmt.Errorf("chatbot: write CSV: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(recs); err != nil {
		return fmt.Errorf("chatbot: write CSV: %w", err)
	}
	return nil
}
