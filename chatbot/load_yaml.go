package chatbot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxFileBytes bounds what a loader reads: a municipal FAQ is far smaller.
const maxFileBytes = 32 << 20

// LoadFile loads a knowledge base from a .yaml/.yml or .csv file (CSV
// encoding detected: UTF-8, with or without BOM, or Shift_JIS/CP932).
func LoadFile(ctx context.Context, path string) (*KnowledgeBase, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("chatbot: load %s: %w", path, err)
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return LoadCSV(f, path, CSVOptions{})
	default:
		return LoadYAML(f, path)
	}
}

func readAllLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("chatbot: read %s: %w", name, err)
	}
	if len(data) > maxFileBytes {
		return nil, &LoadErrors{{Pos: Position{File: name}, Err: ErrSyntax, Msg: fmt.Sprintf("ファイルが大きすぎます（%d MB まで）", maxFileBytes>>20)}}
	}
	return data, nil
}

// LoadYAML loads a knowledge base in the YAML format described in
// docs/chatbot.md. name is used in error positions. Every problem is
// reported, each with file:line:column, in one *LoadErrors.
func LoadYAML(r io.Reader, name string) (*KnowledgeBase, error) {
	data, err := readAllLimited(r, name)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &LoadErrors{yamlSyntaxError(name, err)}
	}
	l := &yamlLoader{file: name}
	kb := &KnowledgeBase{Name: name}
	if len(doc.Content) == 0 {
		return nil, &LoadErrors{{Pos: Position{File: name, Line: 1}, Err: ErrEmpty, Msg: "ファイルが空です"}}
	}
	l.top(doc.Content[0], kb)
	if len(l.errs) > 0 {
		return nil, &l.errs
	}
	if len(kb.Entries) == 0 {
		return nil, &LoadErrors{{Pos: Position{File: name, Line: 1}, Err: ErrEmpty, Msg: "FAQ（entries）が1件もありません"}}
	}
	if err := kb.Validate(); err != nil {
		return nil, err
	}
	return kb, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlSyntaxError(name string, err error) *LoadError {
	pos := Position{File: name}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &LoadError{Pos: pos, Err: ErrSyntax, Msg: "YAML の書き方に誤りがあります（" + msg + "）"}
}

type yamlLoader struct {
	file string
	errs LoadErrors
}

func (l *yamlLoader) pos(n *yaml.Node) Position {
	return Position{File: l.file, Line: n.Line, Column: n.Column}
}

func (l *yamlLoader) errf(n *yaml.Node, field string, err error, format string, args ...any) {
	l.errs = append(l.errs, &LoadError{Pos: l.pos(n), Field: field, Err: err, Msg: fmt.Sprintf(format, args...)})
}

// fields returns a mapping's values by key, reporting keys not in known.
func (l *yamlLoader) fields(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, what, ErrSyntax, "%s は「キー: 値」の形で書いてください", what)
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if !contains(known, k.Value) {
			l.errf(k, k.Value, ErrUnknownField, "%s に不明な項目 %q があります（使える項目: %s）", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			l.errf(k, k.Value, ErrDuplicateID, "%s の項目 %q が2回書かれています", what, k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (l *yamlLoader) str(n *yaml.Node, field string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		l.errf(n, field, ErrSyntax, "%s は文字列で書いてください", field)
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// boolean reads true or false (absent: false).
func (l *yamlLoader) boolean(n *yaml.Node, field string) bool {
	if n == nil {
		return false
	}
	switch s := l.str(n, field); s {
	case "true":
		return true
	case "false", "":
		return false
	default:
		l.errf(n, field, ErrSyntax, "%s は true か false で書いてください（%q）", field, s)
		return false
	}
}

// strs accepts a sequence of strings or a single string.
func (l *yamlLoader) strs(n *yaml.Node, field string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if s := l.str(n, field); s != "" {
			return []string{s}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errf(n, field, ErrSyntax, "%s は「- 」で始まる一覧で書いてください", field)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if s := l.str(resolveAlias(c), field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (l *yamlLoader) seq(n *yaml.Node, field string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errf(n, field, ErrSyntax, "%s は「- 」で始まる一覧で書いてください", field)
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolveAlias(c)
	}
	return out
}

func (l *yamlLoader) top(n *yaml.Node, kb *KnowledgeBase) {
	f := l.fields(n, "ファイル", "name", "notice", "default_desk", "desks", "aliases", "danger", "entries")
	if f == nil {
		return
	}
	if s := l.str(f["name"], "name"); s != "" {
		kb.Name = s
	}
	kb.Notice = l.str(f["notice"], "notice")
	kb.DefaultDesk = l.str(f["default_desk"], "default_desk")
	for _, d := range l.seq(f["desks"], "desks") {
		df := l.fields(d, "desks", "id", "name", "phone", "hours", "address", "url", "categories")
		if df == nil {
			continue
		}
		kb.Desks = append(kb.Desks, Desk{
			ID: l.str(df["id"], "id"), Name: l.str(df["name"], "name"), Phone: l.str(df["phone"], "phone"),
			Hours: l.str(df["hours"], "hours"), Address: l.str(df["address"], "address"), URL: l.str(df["url"], "url"),
			Categories: l.strs(df["categories"], "categories"), Pos: l.pos(d),
		})
	}
	if a := f["aliases"]; a != nil {
		l.aliases(a, kb)
	}
	if d := f["danger"]; d != nil {
		df := l.fields(d, "danger", "message", "keywords", "except", "contacts")
		if df != nil {
			kb.Danger.Message = l.str(df["message"], "message")
			kb.Danger.Keywords = l.strs(df["keywords"], "keywords")
			kb.Danger.Except = l.strs(df["except"], "except")
			for _, c := range l.seq(df["contacts"], "contacts") {
				cf := l.fields(c, "contacts", "name", "phone", "hours", "note")
				if cf == nil {
					continue
				}
				kb.Danger.Contacts = append(kb.Danger.Contacts, Contact{
					Name: l.str(cf["name"], "name"), Phone: l.str(cf["phone"], "phone"),
					Hours: l.str(cf["hours"], "hours"), Note: l.str(cf["note"], "note"),
				})
			}
		}
	}
	for _, e := range l.seq(f["entries"], "entries") {
		l.entry(e, kb)
	}
}

// aliases accepts a list of {from, to} (from may be a list) or a mapping
// from → to.
func (l *yamlLoader) aliases(n *yaml.Node, kb *KnowledgeBase) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], resolveAlias(n.Content[i+1])
			kb.Aliases = append(kb.Aliases, Alias{From: strings.TrimSpace(k.Value), To: l.str(v, "aliases"), Pos: l.pos(k)})
		}
	case yaml.SequenceNode:
		for _, a := range n.Content {
			a = resolveAlias(a)
			af := l.fields(a, "aliases", "from", "to")
			if af == nil {
				continue
			}
			to := l.str(af["to"], "to")
			for _, from := range l.strs(af["from"], "from") {
				kb.Aliases = append(kb.Aliases, Alias{From: from, To: to, Pos: l.pos(a)})
			}
			if af["from"] == nil {
				l.errf(a, "from", ErrMissingField, "言い換えに from がありません")
			}
		}
	default:
		l.errf(n, "aliases", ErrSyntax, "aliases は一覧か「言い換え: 正式名」の形で書いてください")
	}
}

func (l *yamlLoader) entry(n *yaml.Node, kb *KnowledgeBase) {
	f := l.fields(n, "entries", "id", "category", "question", "phrasings", "keywords", "answer", "links", "quick_replies", "desk", "updated")
	if f == nil {
		return
	}
	e := Entry{
		ID: l.str(f["id"], "id"), Category: l.str(f["category"], "category"),
		Question: l.str(f["question"], "question"), Phrasings: l.strs(f["phrasings"], "phrasings"),
		Keywords: l.strs(f["keywords"], "keywords"), Answer: l.str(f["answer"], "answer"),
		Desk: l.str(f["desk"], "desk"), Pos: l.pos(n),
	}
	for _, ln := range l.seq(f["links"], "links") {
		lf := l.fields(ln, "links", "label", "url")
		if lf == nil {
			continue
		}
		e.Links = append(e.Links, Link{Label: l.str(lf["label"], "label"), URL: l.str(lf["url"], "url")})
	}
	for _, q := range l.seq(f["quick_replies"], "quick_replies") {
		if q.Kind == yaml.ScalarNode {
			s := l.str(q, "quick_replies")
			e.QuickReplies = append(e.QuickReplies, QuickReply{Label: s, Text: s})
			continue
		}
		qf := l.fields(q, "quick_replies", "label", "text", "postback")
		if qf == nil {
			continue
		}
		qr := QuickReply{Label: l.str(qf["label"], "label"), Text: l.str(qf["text"], "text"), Postback: l.str(qf["postback"], "postback")}
		if qr.Text == "" && qr.Postback == "" {
			qr.Text = qr.Label
		}
		e.QuickReplies = append(e.QuickReplies, qr)
	}
	if u := f["updated"]; u != nil {
		s := l.str(u, "updated")
		if s != "" {
			t, err := ParseDate(s)
			if err != nil {
				l.errf(u, "updated", ErrBadDate, "更新日 %q を日付として読めません（例: 2025-04-01、令和7年4月1日）", s)
			}
			e.Updated = t
		}
	}
	if len(e.QuickReplies) > MaxQuickReplies {
		// Report at the list itself: staff see which list is too long.
		l.errf(f["quick_replies"], "quick_replies", ErrTooManyQuickReplies,
			"FAQ %q のクイックリプライは %d 個までです（LINE の上限。%d 個あります）", e.ID, MaxQuickReplies, len(e.QuickReplies))
		e.QuickReplies = e.QuickReplies[:MaxQuickReplies]
	}
	kb.Entries = append(kb.Entries, e)
}

// trimBOM removes a UTF-8 byte-order mark.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")) }
