package eligibility

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/internal/docnode"
	"github.com/shopspring/decimal"
)

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
	slices.Sort(files)
	return files, err
}

// yamlMessage explains a YAML syntax error in Japanese: the YAML
// library's English messages by what usually causes them (the English
// stays in the Problem's Detail), docnode's own messages as they are.
func yamlMessage(se *docnode.SyntaxError, data []byte) string {
	if !se.FromYAML {
		return "YAML の書き方に誤りがあります: " + se.Msg
	}
	switch {
	case strings.Contains(se.Msg, "mapping values are not allowed"):
		return colonAdvice(data, se.Pos.Line)
	case strings.Contains(se.Msg, "tab character"):
		return "YAML の書き方に誤りがあります。インデント（字下げ）にタブ文字は使えません。半角スペースにしてください"
	case strings.Contains(se.Msg, "found character that cannot start any token"):
		return "YAML の書き方に誤りがあります。タブ文字や記号で始まる値は \"…\" で囲んでください（インデントは半角スペースで）"
	case strings.Contains(se.Msg, "did not find expected key"), strings.Contains(se.Msg, "did not find expected '-'"):
		return "YAML のインデント（字下げ）がそろっていません。同じ階層の項目は同じ数の半角スペースで始めてください"
	}
	return "YAML の書き方に誤りがあります（インデントや「:」の後の空白を確認してください）"
}

// colonAdvice explains a ": " inside a value (YAML reads it as a second
// key). In an expression (c ? a : b) the fix is a block: expr: | and the
// expression on the next lines; a full-width 「：」 would break the
// expression, so it is suggested only for text.
func colonAdvice(data []byte, line int) string {
	text := ""
	if lines := strings.Split(string(data), "\n"); line >= 1 && line <= len(lines) {
		text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[line-1]), "- "))
	}
	key, _, _ := strings.Cut(text, ":")
	switch strings.TrimSpace(key) {
	case "expr", "explain":
		return fmt.Sprintf("YAML の書き方に誤りがあります。式の中の「: 」（コロンと空白。c ? a : b など）を YAML が項目の区切りと読みました。%s: | と書き、式は次の行から字下げして書いてください", strings.TrimSpace(key))
	}
	return "YAML の書き方に誤りがあります。値の中に「: 」（コロンと空白）があります。値全体を \"…\" で囲むか、「項目: |」と書いて値を次の行から字下げして書いてください"
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
		if errors.As(err, &se) {
			msg := yamlMessage(se, data)
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
	if !r.object(n, "制度", "id", "name", "category", "kind", "authority", "description", "sources", "effective", "values", "conditions", "amount", "override") {
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
	p.Kind = KindEntitlement
	if k := r.str(n, "kind", false); k != "" {
		p.Kind = Kind(k)
		if !slices.Contains(kinds, p.Kind) {
			r.fail(n.Get("kind"), "invalid", "kind: %q は使えません。entitlement（受給資格の判定）、estimate（目安）、referral（申請の案内）のどれかを書いてください", k)
		}
	}
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
