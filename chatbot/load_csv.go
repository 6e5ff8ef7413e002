package chatbot

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/unicode/norm"
)

// CSVOptions configure LoadCSV.
type CSVOptions struct {
	// Encoding is "" (detect), "utf-8", or "shift_jis" (also "cp932",
	// "sjis", "windows-31j"). Detection takes UTF-8 when the file starts
	// with a BOM or is valid UTF-8, and Shift_JIS (CP932) otherwise.
	Encoding string
}

// csvColumns maps the header names staff use to fields. The first four are
// the 子育てオープンデータ協議会 FAQ format (ID, 問い合わせ文, 応答文,
// カテゴリ); the others are our additions.
var csvColumns = map[string]string{
	"id": "id", "番号": "id", "faqid": "id",
	"問い合わせ文": "question", "問合せ文": "question", "質問": "question", "問い": "question", "question": "question",
	"応答文": "answer", "回答": "answer", "answer": "answer",
	"カテゴリ": "category", "カテゴリー": "category", "分類": "category", "category": "category",
	"別表現": "keywords", "キーワード": "keywords", "keywords": "keywords",
	"言い換え": "phrasings", "質問の言い換え": "phrasings", "phrasings": "phrasings",
	"担当課": "desk", "担当": "desk", "desk": "desk",
	"url": "url", "リンク": "url",
	"更新日": "updated", "updated": "updated",
	"クイックリプライ": "quick_replies", "quick_replies": "quick_replies",
}

// LoadCSV loads FAQ entries from a CSV file whose first row is a header. The
// columns ID, 問い合わせ文, 応答文 and カテゴリ are required; 別表現,
// 言い換え, 担当課, URL, 更新日 and クイックリプライ are optional; other
// columns (備考, …) are ignored. Cells holding several values separate them
// with line breaks or "|". A 担当課 that is not a desk ID becomes a desk of
// that name (without phone number: use WithDefaults or a YAML file for desk
// details). Errors carry the row and column.
func LoadCSV(r io.Reader, name string, opts CSVOptions) (*KnowledgeBase, error) {
	raw, err := readAllLimited(r, name)
	if err != nil {
		return nil, err
	}
	text, err := decodeCSV(raw, name, opts.Encoding)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &LoadErrors{{Pos: Position{File: name, Line: 1, Row: 1}, Err: ErrEmpty, Msg: "CSV が空です"}}
	}
	if err != nil {
		return nil, &LoadErrors{csvSyntaxError(name, err)}
	}
	cols := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.ReplaceAll(norm.NFKC.String(strings.TrimSpace(h)), " ", ""))
		if f, ok := csvColumns[key]; ok {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	var errs LoadErrors
	for _, need := range []struct{ field, label string }{{"id", "ID"}, {"question", "問い合わせ文"}, {"answer", "応答文"}, {"category", "カテゴリ"}} {
		if _, ok := cols[need.field]; !ok {
			errs = append(errs, &LoadError{Pos: Position{File: name, Line: 1, Row: 1}, Field: need.field, Err: ErrMissingField,
				Msg: fmt.Sprintf("1行目（見出し）に「%s」の列がありません", need.label)})
		}
	}
	if len(errs) > 0 {
		return nil, &errs
	}
	kb := &KnowledgeBase{Name: name}
	deskSeen := map[string]bool{}
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			errs = append(errs, csvSyntaxError(name, err))
			break
		}
		if allBlank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		cell := func(field string) (string, Position) {
			i, ok := cols[field]
			if !ok || i >= len(rec) {
				return "", Position{File: name, Line: line, Row: row}
			}
			l, c := cr.FieldPos(i)
			return strings.TrimSpace(rec[i]), Position{File: name, Line: l, Column: c, Row: row}
		}
		e := Entry{Pos: Position{File: name, Line: line, Row: row}}
		e.ID, _ = cell("id")
		e.Question, _ = cell("question")
		e.Answer, _ = cell("answer")
		e.Category, _ = cell("category")
		kw, _ := cell("keywords")
		e.Keywords = splitMulti(kw)
		ph, _ := cell("phrasings")
		e.Phrasings = splitMulti(ph)
		urls, _ := cell("url")
		for _, u := range splitMulti(urls) {
			e.Links = append(e.Links, Link{Label: "詳しくはこちら", URL: u})
		}
		qr, qpos := cell("quick_replies")
		for _, q := range splitMulti(qr) {
			e.QuickReplies = append(e.QuickReplies, QuickReply{Label: q, Text: q})
		}
		if len(e.QuickReplies) > MaxQuickReplies {
			errs = append(errs, &LoadError{Pos: qpos, Field: "quick_replies", Err: ErrTooManyQuickReplies,
				Msg: fmt.Sprintf("FAQ %q のクイックリプライは %d 個までです（LINE の上限。%d 個あります）", e.ID, MaxQuickReplies, len(e.QuickReplies))})
			e.QuickReplies = e.QuickReplies[:MaxQuickReplies]
		}
		if d, _ := cell("desk"); d != "" {
			e.Desk = d
			if !deskSeen[d] {
				deskSeen[d] = true
				kb.Desks = append(kb.Desks, Desk{ID: d, Name: d, Pos: e.Pos})
			}
		}
		if u, upos := cell("updated"); u != "" {
			t, err := ParseDate(u)
			if err != nil {
				errs = append(errs, &LoadError{Pos: upos, Field: "updated", Err: ErrBadDate,
					Msg: fmt.Sprintf("更新日 %q を日付として読めません（例: 2025-04-01、令和7年4月1日）", u)})
			}
			e.Updated = t
		}
		kb.Entries = append(kb.Entries, e)
	}
	if len(errs) > 0 {
		return nil, &errs
	}
	if len(kb.Entries) == 0 {
		return nil, &LoadErrors{{Pos: Position{File: name, Row: 2}, Err: ErrEmpty, Msg: "FAQ の行が1件もありません"}}
	}
	if err := kb.Validate(); err != nil {
		return nil, err
	}
	return kb, nil
}

func allBlank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// splitMulti splits a multi-value cell on line breaks and "|" (half- or
// full-width).
func splitMulti(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '|' || r == '｜' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func csvSyntaxError(name string, err error) *LoadError {
	var pe *csv.ParseError
	pos := Position{File: name}
	if errors.As(err, &pe) {
		pos.Line, pos.Column = pe.Line, pe.Column
		pos.Row = 0
		return &LoadError{Pos: pos, Err: ErrSyntax, Msg: "CSV の書き方に誤りがあります（" + pe.Err.Error() + "。引用符 \" の閉じ忘れがないか確認してください）"}
	}
	return &LoadError{Pos: pos, Err: ErrSyntax, Msg: "CSV を読めません（" + err.Error() + "）"}
}

// decodeCSV turns the file's bytes into text, detecting or applying the
// encoding.
func decodeCSV(raw []byte, name, enc string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(enc, "-", "_")) {
	case "":
		if bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) || utf8.Valid(raw) {
			return checkUTF8(trimBOM(raw), name)
		}
		return decodeShiftJIS(raw, name)
	case "utf_8", "utf8":
		return checkUTF8(trimBOM(raw), name)
	case "shift_jis", "sjis", "cp932", "windows_31j", "ms932":
		return decodeShiftJIS(raw, name)
	default:
		return "", &LoadErrors{{Pos: Position{File: name}, Err: ErrEncoding, Msg: fmt.Sprintf("文字コード %q には対応していません（utf-8 か shift_jis を指定してください）", enc)}}
	}
}

func checkUTF8(b []byte, name string) (string, error) {
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, size := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line := 1 + bytes.Count(b[:off], []byte("\n"))
		return "", &LoadErrors{{Pos: Position{File: name, Line: line}, Err: ErrEncoding,
			Msg: "UTF-8 として読めない文字があります（Shift_JIS で保存したファイルなら文字コードを shift_jis にしてください）"}}
	}
	return string(b), nil
}

func decodeShiftJIS(raw []byte, name string) (string, error) {
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(raw)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		line := 1
		if i := bytes.IndexRune(out, utf8.RuneError); i >= 0 {
			line += bytes.Count(out[:i], []byte("\n"))
		}
		return "", &LoadErrors{{Pos: Position{File: name, Line: line}, Err: ErrEncoding,
			Msg: "Shift_JIS（CP932）として読めない文字があります。UTF-8 で保存し直すか、文字コードを確認してください"}}
	}
	return string(out), nil
}
