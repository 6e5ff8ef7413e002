package eligibility

import (
	"fmt"
	"github.com/onestop-jp/onestop/civil"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/onestop-jp/onestop/internal/docnode"
	"github.com/shopspring/decimal"
)

// Pack is a rule pack as written by policy staff, loaded but not compiled:
// metadata, dated parameters and programmes, each remembering the file and
// position it came from. Compile turns one or more packs (a national pack
// and the local packs layered on it) into an Engine.
type Pack struct {
	ID           string
	Version      string
	Title        string
	Description  string
	Jurisdiction Jurisdiction
	// Extends is the id of the pack this one layers on (a local pack on the
	// national one); "" for a base pack.
	Extends string
	// Library is the version of the rule library the pack was written for
	// (pack: library: N): its rules see the functions of that version only.
	// 0 when the pack does not say: the current LibraryVersion.
	Library    uint32
	Parameters []*Parameter
	Programs   []*Program
	// Facts declares the local facts (household.extra) the pack's rules
	// read, with Japanese labels, so that a missing one is asked in words.
	Facts []*ExtraFact

	// Name is how the pack's files are named in messages (a directory).
	Name string
	// FS holds the pack's files; rule tests are read from its tests/ folder.
	FS      fs.FS
	sources map[string][]byte
}

// Jurisdiction is the public body whose rules a pack holds.
type Jurisdiction struct {
	Level string // national, prefecture or municipality
	Code  string // "JP", a prefecture code "13", or a municipality code "131016"
	Name  string // 日本, 東京都, 千代田区
}

// ExtraFact declares a local fact: a key of household.extra that a pack's
// rules read, such as the months of a training course.
type ExtraFact struct {
	Key         string
	Label       string // the question's subject, in Japanese: 養成機関での修業期間（月数）
	Type        ExtraType
	Description string

	// Pos is where the fact is declared.
	Pos Position
}

// ExtraType is the type of a local fact's value.
type ExtraType string

// Local fact types.
const (
	ExtraBool ExtraType = "bool" // はい / いいえ
	ExtraInt  ExtraType = "int"  // a whole number (months, people)
	ExtraYen  ExtraType = "yen"  // an amount in yen
	ExtraText ExtraType = "text" // a word or a choice
)

// Parameter is a dated parameter: a figure set by law or by a body (an
// amount, an income limit, a rate) with the dates its values apply from.
type Parameter struct {
	Name        string
	Title       string
	Type        ParamType
	Unit        string
	Reference   string // the provision that sets it (児童扶養手当法施行令第2条の2)
	Description string
	Values      []ParamValue
	// CarryForward allows the last value to be used after its Until date,
	// with CarryForwardWarning attached to every outcome that uses it: for a
	// figure revised every year whose new value is not yet published.
	CarryForward        bool
	CarryForwardWarning string
	// Override marks a local pack's parameter that replaces the one of the
	// same name in the pack it extends.
	Override bool

	// Pos is where the parameter is defined.
	Pos Position
}

// ParamValue is one value of a Parameter and the period it applies to.
type ParamValue struct {
	From     civil.Date // the first day the value applies
	Until    civil.Date // the last day, or zero while it applies until replaced
	ReviewBy civil.Date // a date by which the value must be checked again, or zero
	Value    any        // int64, decimal.Decimal, civil.Date, bool, string, []int64 or []decimal.Decimal
	Source   string
	Note     string
	Pos      Position
}

// ParamType is the type of a parameter's values.
type ParamType string

// Parameter types.
const (
	ParamYen         ParamType = "yen"          // whole yen
	ParamInt         ParamType = "int"          // a count or other whole number
	ParamDecimal     ParamType = "decimal"      // an exact rate: 0.0256619
	ParamDate        ParamType = "date"         // YYYY-MM-DD
	ParamBool        ParamType = "bool"         // true / false
	ParamText        ParamType = "text"         // a string
	ParamYenList     ParamType = "yen_list"     // [690000, 1070000, …]
	ParamIntList     ParamType = "int_list"     // [1, 2, 3]
	ParamDecimalList ParamType = "decimal_list" // ["0.0256619", …]
)

var paramTypes = []ParamType{ParamYen, ParamInt, ParamDecimal, ParamDate, ParamBool, ParamText, ParamYenList, ParamIntList, ParamDecimalList}

// Program is one programme (制度) of a pack.
type Program struct {
	ID          string
	Name        string // Japanese name: 児童扶養手当
	Category    string // 手当, 税, 医療, 就労, 貸付 …
	Authority   string // who runs it: 国・市区町村 (こども家庭庁)
	Description string
	Sources     []Source
	Effective   Period
	// Values are named intermediate values, in order; a value may use the
	// values above it.
	Values     []NamedValue
	Conditions []Condition
	Amount     *Amount
	// Override marks a local pack's programme that replaces the one with the
	// same id in the pack it extends.
	Override bool

	// Pos is where the programme is written.
	Pos Position
}

// Source is a legal or official source of a programme.
type Source struct {
	Title string
	URL   string
}

// Period is a range of dates; a zero Until means open-ended.
type Period struct {
	From  civil.Date
	Until civil.Date
}

// Contains reports whether d falls in the period.
func (p Period) Contains(d civil.Date) bool {
	if !p.From.IsZero() && d.Before(p.From) {
		return false
	}
	return p.Until.IsZero() || !d.After(p.Until)
}

// NamedValue is a named intermediate value of a programme.
type NamedValue struct {
	Name        string
	Description string
	Expr        Expr
}

// Condition is one eligibility condition: a CEL expression that must be
// true, with the reason shown to people.
type Condition struct {
	// Reason says in Japanese what the condition requires.
	Reason string
	Expr   Expr
	// Explain, when set, is a CEL string expression evaluated for
	// explanations, such as "所得額 " + format_yen(income) + " …".
	Explain *Expr
}

// Amount is how much a programme gives, in CEL, and per what.
type Amount struct {
	Expr        Expr
	Per         AmountPer
	Description string
}

// AmountPer is the period of an amount.
type AmountPer string

// Amount periods.
const (
	PerMonth AmountPer = "month" // 月額
	PerYear  AmountPer = "year"  // 年額
	PerOnce  AmountPer = "once"  // 一時金
)

// Expr is a CEL expression written in a pack, with where it was written.
type Expr struct {
	Source string
	File   string
	node   *docnode.Node
}

// Pos returns the file position of the expression's first character.
func (e Expr) Pos() Position {
	if e.node == nil {
		return Position{File: e.File}
	}
	return Position{File: e.File, Line: e.node.Pos.Line, Col: e.node.Pos.Col}
}

// at converts a position in the file being read.
func (r *nodeReader) at(pos docnode.Pos) Position {
	return Position{File: r.file, Line: pos.Line, Col: pos.Col}
}

// LoadPack loads a rule pack from the root of fsys: every .yaml, .yml and
// .json file outside tests/ and hidden folders. One file holds the pack
// metadata (pack:); any file may hold parameters: and programs:. name is
// how files are named in messages (usually the directory). Errors are a
// *PackError listing every problem found.
func LoadPack(fsys fs.FS, name string) (*Pack, error) {
	l := &loader{pack: &Pack{Name: name, FS: fsys, sources: map[string][]byte{}}, params: map[string]*Parameter{}, progs: map[string]*Program{}}
	// A pack's files: everything but its tests/ and hidden or _private
	// folders.
	files, err := dataFiles(fsys, ".", func(p string) bool {
		base := path.Base(p)
		return base == "tests" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")
	})
	if err != nil {
		return nil, fmt.Errorf("reading rule pack %s: %w", name, err)
	}
	if len(files) == 0 {
		l.ps.errorf(name, 0, 0, "missing", "ルールパックのファイル（.yaml / .json）がありません")
	}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("reading rule pack %s: %w", name, err)
		}
		display := path.Join(name, f)
		l.pack.sources[display] = data
		l.file(display, data)
	}
	if l.pack.ID == "" && !l.ps.hasErrors() {
		l.ps.errorf(name, 0, 0, "missing", "ルールパックの情報（pack: の id, version, title）を書いたファイルがありません")
	}
	if err := l.ps.err(); err != nil {
		return nil, err
	}
	return l.pack, nil
}

// dataFiles lists the .yaml, .yml and .json files below root in fsys, in
// name order, skipping the folders skip reports.
func dataFiles(fsys fs.FS, root string, skip func(dir string) bool) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skip(p) {
				return fs.SkipDir
			}
			return nil
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".yaml", ".yml", ".json":
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

type loader struct {
	pack    *Pack
	ps      problems
	params  map[string]*Parameter
	progs   map[string]*Program
	metaPos string
}

func (l *loader) file(file string, data []byte) {
	root, err := docnode.ParseYAML(data)
	if err != nil {
		var se *docnode.SyntaxError
		if ok := asSyntax(err, &se); ok {
			msg := "YAML の書き方に誤りがあります（インデントや「:」の後の空白を確認してください）"
			switch {
			case strings.Contains(se.Msg, "mapping values are not allowed"):
				msg = "YAML の書き方に誤りがあります。値の中に「: 」（コロンと空白）があるときは、値全体を \"…\" で囲むか、全角の「：」にしてください"
			case strings.Contains(se.Msg, "tab character"):
				msg = "YAML の書き方に誤りがあります。インデント（字下げ）にタブ文字は使えません。半角スペースにしてください"
			case strings.Contains(se.Msg, "found character that cannot start any token"):
				msg = "YAML の書き方に誤りがあります。タブ文字や記号で始まる値は \"…\" で囲んでください（インデントは半角スペースで）"
			case strings.Contains(se.Msg, "did not find expected key"), strings.Contains(se.Msg, "did not find expected '-'"):
				msg = "YAML のインデント（字下げ）がそろっていません。同じ階層の項目は同じ数の半角スペースで始めてください"
			}
			l.ps.add(Problem{Position: Position{file, se.Pos.Line, se.Pos.Col}, Code: "yaml", Message: msg, Detail: se.Msg})
		} else {
			l.ps.add(Problem{Position: Position{File: file}, Code: "yaml", Message: "YAML として読めません", Detail: err.Error()})
		}
		return
	}
	if root.Kind == docnode.Null {
		return // an empty file
	}
	r := l.reader(file)
	if !r.object(root, "ファイル", "pack", "parameters", "programs", "facts") {
		return
	}
	if fs := root.Get("facts"); fs != nil {
		if fs.Kind != docnode.Object {
			r.fail(fs, "invalid", "facts: は「項目名: 定義」の形（マッピング）で書いてください")
		} else {
			for _, f := range fs.Fields {
				l.fact(r, f)
			}
		}
	}
	if m := root.Get("pack"); m != nil {
		if l.metaPos != "" {
			l.ps.errorf(file, m.Pos.Line, m.Pos.Col, "duplicate", "pack: は1つのファイルにだけ書いてください（%s にもあります）", l.metaPos)
		} else {
			l.metaPos = fmt.Sprintf("%s:%d", file, m.Pos.Line)
			l.meta(r, m)
		}
	}
	if ps := root.Get("parameters"); ps != nil {
		if ps.Kind != docnode.Object {
			r.fail(ps, "invalid", "parameters: は「名前: 定義」の形（マッピング）で書いてください")
		} else {
			for _, f := range ps.Fields {
				l.parameter(r, f)
			}
		}
	}
	if ps := root.Get("programs"); ps != nil {
		if ps.Kind != docnode.Array {
			r.fail(ps, "invalid", "programs: は「- id: …」の並び（リスト）で書いてください")
		} else {
			for _, p := range ps.Items {
				l.program(r, p)
			}
		}
	}
}

func (l *loader) meta(r *nodeReader, m *docnode.Node) {
	if !r.object(m, "パックの情報", "id", "version", "title", "description", "jurisdiction", "extends", "library") {
		return
	}
	if lv := m.Get("library"); lv != nil {
		v, err := lv.Int()
		switch {
		case err != nil || lv.Kind != docnode.Number || v < 1:
			r.fail(lv, "invalid", "library: には関数ライブラリの版を 1 以上の整数で書いてください（この onestop は版 %d まで）", LibraryVersion)
		case v > LibraryVersion:
			r.fail(lv, "invalid", "このパックは関数ライブラリの版 %d 用ですが、この onestop は版 %d までです。onestop を新しくしてください", v, LibraryVersion)
		default:
			l.pack.Library = uint32(v)
		}
	}
	p := l.pack
	p.ID = r.str(m, "id", true)
	if p.ID != "" && !programID.MatchString(p.ID) {
		r.fail(m.Get("id"), "invalid", "パックID %q は英小文字・数字・ハイフンで書いてください（例: jp-national）", p.ID)
	}
	p.Version = r.str(m, "version", true)
	p.Title = r.str(m, "title", true)
	p.Description = r.str(m, "description", false)
	p.Extends = r.str(m, "extends", false)
	if j := m.Get("jurisdiction"); j != nil {
		if r.object(j, "管轄", "level", "code", "name") {
			p.Jurisdiction = Jurisdiction{Level: r.str(j, "level", true), Code: r.str(j, "code", true), Name: r.str(j, "name", false)}
			switch p.Jurisdiction.Level {
			case "", "national", "prefecture", "municipality":
			default:
				r.fail(j.Get("level"), "invalid", "level は national（国）・prefecture（都道府県）・municipality（市区町村）のいずれかです")
			}
		}
	} else {
		r.fail(m, "missing", "jurisdiction:（管轄: level, code, name）を書いてください")
	}
}

func (l *loader) fact(r *nodeReader, f docnode.Field) {
	if !snakeKey.MatchString(f.Key) {
		r.failAt(f.KeyPos, "invalid", "地域独自の項目名 %q は英小文字・数字・_ で書いてください（例: training_months）", f.Key)
		return
	}
	for _, prev := range l.pack.Facts {
		if prev.Key == f.Key {
			r.failAt(f.KeyPos, "duplicate", "地域独自の項目 %q は %s:%d でも定義されています", f.Key, prev.Pos.File, prev.Pos.Line)
			return
		}
	}
	n := f.Value
	if !r.object(n, "地域独自の項目", "label", "type", "description") {
		return
	}
	x := &ExtraFact{Key: f.Key, Pos: r.at(f.KeyPos)}
	x.Label = r.str(n, "label", true)
	x.Description = r.str(n, "description", false)
	x.Type = ExtraType(r.str(n, "type", true))
	switch x.Type {
	case ExtraBool, ExtraInt, ExtraYen, ExtraText, "":
	default:
		r.fail(n.Get("type"), "invalid", "type %q は使えません（bool, int, yen, text のいずれか）", x.Type)
	}
	l.pack.Facts = append(l.pack.Facts, x)
}

func (l *loader) parameter(r *nodeReader, f docnode.Field) {
	n := f.Value
	if !identName.MatchString(f.Key) {
		r.failAt(f.KeyPos, "invalid", "パラメータ名 %q は英小文字・数字・_ で書いてください（例: full_amount_first_child）", f.Key)
		return
	}
	if prev, dup := l.params[f.Key]; dup {
		r.failAt(f.KeyPos, "duplicate", "パラメータ %q は %s:%d でも定義されています", f.Key, prev.Pos.File, prev.Pos.Line)
		return
	}
	if !r.object(n, "パラメータ", "title", "type", "unit", "reference", "description", "values", "carry_forward", "override") {
		return
	}
	p := &Parameter{Name: f.Key, Pos: r.at(f.KeyPos)}
	p.Title = r.str(n, "title", true)
	p.Unit = r.str(n, "unit", false)
	p.Reference = r.str(n, "reference", false)
	p.Description = r.str(n, "description", false)
	p.Override = r.boolean(n, "override")
	p.Type = ParamType(r.str(n, "type", true))
	if p.Type != "" && !containsType(p.Type) {
		r.fail(n.Get("type"), "invalid", "type %q は使えません（使える型: %s）", p.Type, typeList())
		return
	}
	if cf := n.Get("carry_forward"); cf != nil {
		switch cf.Kind {
		case docnode.Bool:
			p.CarryForward = cf.Text == "true"
		case docnode.Object:
			if r.object(cf, "carry_forward", "warning") {
				p.CarryForward = true
				p.CarryForwardWarning = r.str(cf, "warning", true)
			}
		default:
			r.fail(cf, "invalid", "carry_forward は true、または warning: を持つマッピングで書いてください")
		}
	}
	vs := n.Get("values")
	if vs == nil || vs.Kind != docnode.Array || len(vs.Items) == 0 {
		at := n
		if vs != nil {
			at = vs
		}
		r.fail(at, "missing", "パラメータ %q に values:（from・value・source の並び）を1つ以上書いてください", f.Key)
		return
	}
	for _, vn := range vs.Items {
		if !r.object(vn, "パラメータの値", "from", "until", "review_by", "value", "source", "note") {
			continue
		}
		v := ParamValue{Pos: r.at(vn.Pos)}
		v.From = r.date(vn, "from", true)
		v.Until = r.date(vn, "until", false)
		v.ReviewBy = r.date(vn, "review_by", false)
		v.Source = r.str(vn, "source", true)
		v.Note = r.str(vn, "note", false)
		if v.Source != "" && !isURL(v.Source) {
			r.fail(vn.Get("source"), "invalid", "source には出典の URL（https://…）を書いてください")
		}
		if !v.Until.IsZero() && !v.From.IsZero() && v.Until.Before(v.From) {
			r.fail(vn.Get("until"), "invalid", "until（%s）が from（%s）より前です", v.Until, v.From)
		}
		if raw := vn.Get("value"); raw == nil {
			r.fail(vn, "missing", "value: を書いてください")
		} else if p.Type != "" {
			val, msg := paramValue(p.Type, raw)
			if msg != "" {
				r.fail(raw, "invalid", "%s", msg)
			}
			v.Value = val
		}
		p.Values = append(p.Values, v)
	}
	// Values must follow each other in time without overlapping.
	for i := 1; i < len(p.Values); i++ {
		prev, cur := p.Values[i-1], p.Values[i]
		if prev.From.IsZero() || cur.From.IsZero() {
			continue
		}
		if !cur.From.After(prev.From) {
			r.ps.errorf(cur.Pos.File, cur.Pos.Line, cur.Pos.Col, "invalid", "values は from の古い順に並べてください（%s の後に %s があります）", prev.From, cur.From)
		} else if !prev.Until.IsZero() && !prev.Until.Before(cur.From) {
			r.ps.errorf(cur.Pos.File, cur.Pos.Line, cur.Pos.Col, "invalid", "期間が重なっています: 前の値は %s まで、この値は %s から", prev.Until, cur.From)
		}
	}
	l.params[f.Key] = p
	l.pack.Parameters = append(l.pack.Parameters, p)
}

func containsType(t ParamType) bool {
	for _, x := range paramTypes {
		if x == t {
			return true
		}
	}
	return false
}

func typeList() string {
	s := make([]string, len(paramTypes))
	for i, t := range paramTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// paramValue reads a value of type t, or explains why it cannot.
func paramValue(t ParamType, n *docnode.Node) (any, string) {
	scalar := func(t ParamType, n *docnode.Node) (any, string) {
		switch t {
		case ParamYen, ParamInt:
			if n.Kind != docnode.Number {
				return nil, fmt.Sprintf("%s 型の値は整数で書いてください（%q）", t, n.Text)
			}
			v, err := n.Int()
			if err != nil {
				return nil, fmt.Sprintf("%s 型の値は整数で書いてください（%s）", t, n.Text)
			}
			if t == ParamYen && v < 0 {
				return nil, fmt.Sprintf("金額に負の値（%d）は使えません", v)
			}
			return v, ""
		case ParamDecimal:
			if n.Kind != docnode.Number && n.Kind != docnode.String {
				return nil, "decimal 型の値は 0.0256619 のような数で書いてください"
			}
			d, err := decimal.NewFromString(n.Text)
			if err != nil || strings.ContainsAny(n.Text, "eE") {
				return nil, fmt.Sprintf("%q は decimal（小数）として読めません", n.Text)
			}
			return d, ""
		case ParamDate:
			dt, err := civil.Parse(n.Text)
			if err != nil || n.Kind != docnode.String {
				return nil, fmt.Sprintf("%q は日付（YYYY-MM-DD）として読めません", n.Text)
			}
			return dt, ""
		case ParamBool:
			if n.Kind != docnode.Bool {
				return nil, "bool 型の値は true か false で書いてください"
			}
			return n.Text == "true", ""
		case ParamText:
			if n.Kind != docnode.String {
				return nil, "text 型の値は文字列で書いてください"
			}
			return n.Text, ""
		}
		return nil, "unsupported type"
	}
	switch t {
	case ParamYenList, ParamIntList, ParamDecimalList:
		if n.Kind != docnode.Array || len(n.Items) == 0 {
			return nil, fmt.Sprintf("%s 型の値は [1, 2, 3] のような並びで書いてください", t)
		}
		elem := ParamType(strings.TrimSuffix(string(t), "_list"))
		if elem == ParamDecimal {
			out := make([]decimal.Decimal, len(n.Items))
			for i, it := range n.Items {
				v, msg := scalar(elem, it)
				if msg != "" {
					return nil, fmt.Sprintf("%d 番目: %s", i+1, msg)
				}
				out[i] = v.(decimal.Decimal)
			}
			return out, ""
		}
		out := make([]int64, len(n.Items))
		for i, it := range n.Items {
			v, msg := scalar(elem, it)
			if msg != "" {
				return nil, fmt.Sprintf("%d 番目: %s", i+1, msg)
			}
			out[i] = v.(int64)
		}
		return out, ""
	}
	return scalar(t, n)
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (l *loader) program(r *nodeReader, n *docnode.Node) {
	if !r.object(n, "制度", "id", "name", "category", "authority", "description", "sources", "effective", "values", "conditions", "amount", "override") {
		return
	}
	p := &Program{Pos: r.at(n.Pos)}
	p.ID = r.str(n, "id", true)
	if p.ID != "" && !programID.MatchString(p.ID) {
		r.fail(n.Get("id"), "invalid", "制度ID %q は英小文字・数字・ハイフンで書いてください（例: child-rearing-allowance）", p.ID)
	}
	if prev, dup := l.progs[p.ID]; dup && p.ID != "" {
		r.fail(n.Get("id"), "duplicate", "制度ID %q は %s:%d でも使われています", p.ID, prev.Pos.File, prev.Pos.Line)
		return
	}
	p.Name = r.str(n, "name", true)
	p.Category = r.str(n, "category", true)
	p.Authority = r.str(n, "authority", false)
	p.Description = r.str(n, "description", false)
	p.Override = r.boolean(n, "override")
	if s := n.Get("sources"); s != nil {
		if s.Kind != docnode.Array {
			r.fail(s, "invalid", "sources: は「- title: …, url: …」の並びで書いてください")
		} else {
			for _, sn := range s.Items {
				if r.object(sn, "出典", "title", "url") {
					src := Source{Title: r.str(sn, "title", true), URL: r.str(sn, "url", false)}
					if src.URL != "" && !isURL(src.URL) {
						r.fail(sn.Get("url"), "invalid", "url には https://… の形で出典の URL を書いてください")
					}
					p.Sources = append(p.Sources, src)
				}
			}
		}
	}
	if len(p.Sources) == 0 {
		r.fail(n, "missing", "制度 %q に sources:（根拠法令・出典）を1つ以上書いてください", p.ID)
	}
	if e := n.Get("effective"); e != nil {
		if r.object(e, "実施期間", "from", "until") {
			p.Effective = Period{From: r.date(e, "from", true), Until: r.date(e, "until", false)}
			if !p.Effective.Until.IsZero() && p.Effective.Until.Before(p.Effective.From) {
				r.fail(e.Get("until"), "invalid", "until が from より前です")
			}
		}
	} else {
		r.fail(n, "missing", "制度 %q に effective:（実施期間の from）を書いてください", p.ID)
	}
	seen := map[string]bool{}
	if vs := n.Get("values"); vs != nil {
		if vs.Kind != docnode.Array {
			r.fail(vs, "invalid", "values: は「- name: …, expr: …」の並びで書いてください")
		} else {
			for _, vn := range vs.Items {
				if !r.object(vn, "値", "name", "expr", "description") {
					continue
				}
				nv := NamedValue{Name: r.str(vn, "name", true), Description: r.str(vn, "description", false), Expr: r.expr(vn, "expr")}
				if nv.Name != "" {
					if !identName.MatchString(nv.Name) {
						r.fail(vn.Get("name"), "invalid", "値の名前 %q は英小文字・数字・_ で書いてください", nv.Name)
					} else if reservedNames[nv.Name] {
						r.fail(vn.Get("name"), "invalid", "%q は予約された名前なので値の名前に使えません", nv.Name)
					} else if seen[nv.Name] {
						r.fail(vn.Get("name"), "duplicate", "値の名前 %q が2回使われています", nv.Name)
					}
					seen[nv.Name] = true
				}
				p.Values = append(p.Values, nv)
			}
		}
	}
	cs := n.Get("conditions")
	if cs == nil || cs.Kind != docnode.Array || len(cs.Items) == 0 {
		at := n
		if cs != nil {
			at = cs
		}
		r.fail(at, "missing", "制度 %q に conditions:（要件の並び）を1つ以上書いてください", p.ID)
	} else {
		for _, cn := range cs.Items {
			if !r.object(cn, "要件", "reason", "expr", "explain") {
				continue
			}
			c := Condition{Reason: r.str(cn, "reason", true), Expr: r.expr(cn, "expr")}
			if cn.Get("explain") != nil {
				e := r.expr(cn, "explain")
				c.Explain = &e
			}
			p.Conditions = append(p.Conditions, c)
		}
	}
	if an := n.Get("amount"); an != nil {
		if r.object(an, "金額", "expr", "per", "description") {
			a := &Amount{Expr: r.expr(an, "expr"), Per: AmountPer(r.str(an, "per", true)), Description: r.str(an, "description", false)}
			switch a.Per {
			case PerMonth, PerYear, PerOnce, "":
			default:
				r.fail(an.Get("per"), "invalid", "per は month（月額）・year（年額）・once（一時金）のいずれかです")
			}
			p.Amount = a
		}
	}
	l.progs[p.ID] = p
	l.pack.Programs = append(l.pack.Programs, p)
}

// reservedNames cannot name values: they are the rule variables and CEL's
// own words.
var reservedNames = map[string]bool{
	"household": true, "as_of": true, "params": true,
	"true": true, "false": true, "null": true, "in": true, "as": true, "break": true, "const": true,
	"continue": true, "else": true, "for": true, "function": true, "if": true, "import": true,
	"let": true, "loop": true, "package": true, "namespace": true, "return": true, "var": true, "void": true, "while": true,
}

// nodeReader reads the fields of pack nodes, recording problems.
type nodeReader struct {
	ps   *problems
	file string
}

func (l *loader) reader(file string) *nodeReader { return &nodeReader{ps: &l.ps, file: file} }

func (r *nodeReader) fail(n *docnode.Node, code ProblemCode, format string, args ...any) {
	pos := docnode.Pos{}
	if n != nil {
		pos = n.Pos
	}
	r.failAt(pos, code, format, args...)
}

func (r *nodeReader) failAt(pos docnode.Pos, code ProblemCode, format string, args ...any) {
	r.ps.errorf(r.file, pos.Line, pos.Col, code, format, args...)
}

// object checks that n is a mapping with only the allowed keys.
func (r *nodeReader) object(n *docnode.Node, what string, allowed ...string) bool {
	if n.Kind != docnode.Object {
		r.fail(n, "invalid", "%sは「キー: 値」の形（マッピング）で書いてください", what)
		return false
	}
	for _, f := range n.Fields {
		ok := false
		for _, a := range allowed {
			if f.Key == a {
				ok = true
				break
			}
		}
		if ok {
			continue
		}
		best, bestD := "", 3
		for _, a := range allowed {
			if d := editDistance(f.Key, a); d < bestD {
				best, bestD = a, d
			}
		}
		if best != "" {
			r.failAt(f.KeyPos, "unknown-key", "%sに %q という項目はありません（もしかして %q？）", what, f.Key, best)
		} else {
			r.failAt(f.KeyPos, "unknown-key", "%sに %q という項目はありません（使える項目: %s）", what, f.Key, strings.Join(allowed, ", "))
		}
	}
	return true
}

func (r *nodeReader) str(n *docnode.Node, key string, required bool) string {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		if required {
			r.fail(n, "missing", "%s: を書いてください", key)
		}
		return ""
	}
	if v.Kind == docnode.Object || v.Kind == docnode.Array {
		r.fail(v, "invalid", "%s: には文字列を書いてください", key)
		return ""
	}
	if required && strings.TrimSpace(v.Text) == "" {
		r.fail(v, "missing", "%s: が空です", key)
	}
	return v.Text
}

func (r *nodeReader) boolean(n *docnode.Node, key string) bool {
	v := n.Get(key)
	if v == nil {
		return false
	}
	if v.Kind != docnode.Bool {
		r.fail(v, "invalid", "%s: は true か false で書いてください", key)
		return false
	}
	return v.Text == "true"
}

func (r *nodeReader) date(n *docnode.Node, key string, required bool) civil.Date {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		if required {
			r.fail(n, "missing", "%s:（日付 YYYY-MM-DD）を書いてください", key)
		}
		return civil.Date{}
	}
	d, err := civil.Parse(v.Text)
	if err != nil || v.Kind != docnode.String {
		r.fail(v, "invalid", "%s: %q は日付として読めません（YYYY-MM-DD の形で書いてください）", key, v.Text)
		return civil.Date{}
	}
	return d
}

func (r *nodeReader) expr(n *docnode.Node, key string) Expr {
	v := n.Get(key)
	if v == nil || v.Kind == docnode.Null {
		r.fail(n, "missing", "%s:（CEL の式）を書いてください", key)
		return Expr{File: r.file}
	}
	if v.Kind == docnode.Object || v.Kind == docnode.Array {
		r.fail(v, "invalid", "%s: には式を文字列として書いてください（記号で始まる式は \"…\" で囲むか | を使ってください）", key)
		return Expr{File: r.file}
	}
	if strings.TrimSpace(v.Text) == "" {
		r.fail(v, "missing", "%s: が空です", key)
	}
	return Expr{Source: v.Text, File: r.file, node: v}
}

func asSyntax(err error, target **docnode.SyntaxError) bool {
	se, ok := err.(*docnode.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}
