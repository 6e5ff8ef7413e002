package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"

	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/internal/docnode"
)

// Form is a compiled form or application definition: its fields checked,
// its visibility conditions type-checked, its validation prepared. A Form
// is immutable and safe for concurrent use; every method returns values the
// caller owns.
type Form struct {
	info  Info
	file  string
	pages []pageDef
	root  *node
	all   []*node // every field in document order
	chk   *checker
	// member groups in document order (the applicant's groups, the lists)
	memberNodes []*node
	consents    []*node
	// localCategories: the category each local fact (extra key) is kept
	// under in the case record.
	localCategories map[string]string
}

// node is one compiled field; the root node is the group of the top-level
// fields of every page.
type node struct {
	def    *fieldDef // where it was written (nil after compilation)
	f      Field     // public description (Path set, Fields nil)
	typ    FieldType
	path   string
	parent *node // the group or list holding the field; root for top-level fields
	kids   []*node
	byID   map[string]int
	index  int
	order  int // position in document order
	page   string
	prg    cel.Program
	reads  []*node // the fields the condition reads
	fact   factBinding
	record recordBinding
	tag    string // validator tag for an answer
	reqTag string // validator tag for a missing answer of a required field
	// owner is the nearest enclosing group or list bound to household
	// members (nil: the household; for record bindings, the applicant).
	owner *node
	// choice values, their labels in NFKC (an answer may give the label),
	// and the exclusive choice if any.
	values    []string
	labels    []string
	exclusive *Choice
}

// Info returns what the definition is.
func (f *Form) Info() Info {
	in := f.info
	if in.Application != nil {
		a := *in.Application
		in.Application = &a
	}
	return in
}

// ID returns the form's id.
func (f *Form) ID() string { return f.info.ID }

// Version returns the form's version.
func (f *Form) Version() string { return f.info.Version }

// Pages returns the pages with their fields, as defined; the caller owns
// the result.
func (f *Form) Pages() []Page {
	out := make([]Page, len(f.pages))
	for i, pd := range f.pages {
		out[i] = pd.page
		for _, n := range f.root.kids {
			if n.page == pd.page.ID {
				out[i].Fields = append(out[i].Fields, n.public())
			}
		}
	}
	return out
}

// Field returns the field at a template path (children[].birth_date).
func (f *Form) Field(path string) (Field, bool) {
	for _, n := range f.all {
		if n.path == path {
			return n.public(), true
		}
	}
	return Field{}, false
}

func (n *node) public() Field {
	out := n.f
	out.Choices = slices.Clone(n.f.Choices)
	if n.f.Min != nil {
		out.Min = new(*n.f.Min)
	}
	if n.f.Max != nil {
		out.Max = new(*n.f.Max)
	}
	if n.f.Consent != nil {
		c := *n.f.Consent
		c.Purposes, c.Actions, c.Categories = slices.Clone(c.Purposes), slices.Clone(c.Actions), slices.Clone(c.Categories)
		c.Recipients = slices.Clone(c.Recipients)
		out.Consent = &c
	}
	for _, k := range n.kids {
		out.Fields = append(out.Fields, k.public())
	}
	return out
}

// compiler holds the state of one compilation.
type compiler struct {
	*loader
	d     *def
	form  *Form
	order int
}

func compile(d *def) (*Form, error) {
	chk, err := newChecker()
	if err != nil {
		return nil, err
	}
	c := &compiler{loader: &loader{file: d.file}, d: d}
	f := &Form{info: d.info, file: d.file, chk: chk}
	c.form = f
	f.root = &node{typ: TypeGroup, byID: map[string]int{}}
	if len(d.pages) == 0 {
		c.add(docnode.Pos{Line: 1, Col: 1}, ProblemMissing, "ページ（pages:）が1つもありません")
	}
	seenPage := map[string]bool{}
	for _, pd := range d.pages {
		if seenPage[pd.page.ID] {
			c.add(pd.pos, ProblemDuplicate, "ページ %q が2回あります", pd.page.ID)
		}
		seenPage[pd.page.ID] = true
		f.pages = append(f.pages, pageDef{page: pd.page, pos: pd.pos})
		for _, fd := range pd.fields {
			c.node(fd, f.root, pd.page.ID)
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	c.conditions(f.root)
	c.check(f)
	if err := c.err(); err != nil {
		return nil, err
	}
	for _, n := range f.all {
		n.def = nil // the definition's nodes are not needed any more
	}
	return f, nil
}

// choiceValueRe is the form of a choice's value: a code (divorced) or, for
// a local fact a pack compares with words, a word (修学資金); no spaces.
// maxFields bounds the fields of one definition (the model form has
// about 120).
const maxFields = 1000

var choiceValueRe = regexp.MustCompile(`^[^\s\x00-\x1f]{1,64}$`)

// node compiles one field and its children.
func (c *compiler) node(fd *fieldDef, parent *node, page string) *node {
	n := &node{def: fd, f: fd.f, typ: fd.f.Type, parent: parent, page: page, order: c.order}
	c.order++
	n.f.Fields = nil
	if parent == c.form.root {
		n.path = fd.f.ID
	} else if parent.typ == TypeList {
		n.path = parent.path + "[]." + fd.f.ID
	} else {
		n.path = parent.path + "." + fd.f.ID
	}
	n.f.Path = n.path
	at := func(dn *docnode.Node) docnode.Pos {
		if dn != nil {
			return dn.Pos
		}
		return fd.pos
	}
	if _, dup := parent.byID[fd.f.ID]; dup {
		c.add(at(fd.idNode), ProblemDuplicate, "項目 id %q が同じグループに2回あります", fd.f.ID)
		return nil
	}
	n.index = len(parent.kids)
	parent.byID[fd.f.ID] = n.index
	parent.kids = append(parent.kids, n)
	c.form.all = append(c.form.all, n)

	// the member context
	n.owner = parent.owner
	if parent.f.Member != "" {
		n.owner = parent
	}
	f := &n.f
	bad := func(format string, args ...any) {
		c.add(fd.pos, ProblemInvalid, "項目 %s: %s", n.path, fmt.Sprintf(format, args...))
	}
	t := f.Type
	if t.container() {
		n.byID = map[string]int{}
		if len(fd.kids) == 0 {
			bad("group・list には fields: を書いてください")
		}
		if f.Member != "" {
			switch {
			case n.owner != nil:
				bad("member: のあるグループの中に、member: のあるグループは置けません")
			case f.Member == "self" && t == TypeList:
				bad("申請者（member: self）は list ではなく group で書きます")
			case f.Member == "item" && t != TypeList:
				bad("member: item は list で使います（各項目で続柄を答えます）")
			case f.Member != "self" && t == TypeGroup:
				bad("申請者以外の世帯員は list で書きます（人数が決まっていないため）")
			}
			c.form.memberNodes = append(c.form.memberNodes, n)
		}
		if t == TypeList {
			if f.MaxItems == 0 {
				f.MaxItems = 10
			}
			if f.MaxItems < 1 || f.MaxItems > eligibility.MaxMembers-1 {
				bad("max_items は 1〜%d です", eligibility.MaxMembers-1)
			}
			if f.Member != "" && f.Member != "self" && f.IDPrefix == "" {
				f.IDPrefix = defaultPrefix(f.Member)
			}
		}
		for _, kd := range fd.kids {
			c.node(kd, n, page)
		}
		if f.Member == "item" {
			found := false
			for _, k := range n.kids {
				found = found || k.f.Fact == "relation" || k.f.Record == "membership.relationship"
			}
			if !found {
				bad("member: item の list には、続柄を答える項目（fact: relation または record: membership.relationship）が必要です")
			}
		}
	} else {
		if len(fd.kids) > 0 {
			bad("fields: は group・list だけに書けます")
		}
		if f.Member != "" || f.IDPrefix != "" || f.MaxItems != 0 {
			bad("member・id_prefix・max_items は group・list だけに書けます")
		}
	}
	switch {
	case f.Units && t != TypeYen:
		bad("units は yen の項目だけに書けます")
	case f.Past && t != TypeDate:
		bad("past は date の項目だけに書けます")
	case f.Multiline && t != TypeText:
		bad("multiline は text の項目だけに書けます")
	case (f.Min != nil || f.Max != nil) && t != TypeInt && t != TypeYen:
		bad("min・max は int・yen の項目だけに書けます")
	case f.MaxLength != 0 && t != TypeText && t != TypeName && t != TypeKana:
		bad("max_length は text・name・kana の項目だけに書けます")
	case f.Min != nil && f.Max != nil && *f.Min > *f.Max:
		bad("min が max より大きくなっています")
	case f.Consent != nil && t != TypeConsent, f.Consent == nil && t == TypeConsent:
		bad("同意の項目（type: consent）には consent: を書き、それ以外には書きません")
	case t == TypeConsent && parent != c.form.root:
		bad("同意の項目はグループの外（ページの直下）に置いてください")
	case t == TypeConsent && c.form.info.Kind == KindApplication:
		bad("申請書の定義に同意の項目は置けません（同意は入力フォームで得ます）")
	}
	if (t == TypeChoice || t == TypeChoices) != (len(f.Choices) > 0) {
		bad("choices: は choice・choices の項目に書き、それ以外には書きません")
	}
	seen := map[string]bool{}
	for _, ch := range f.Choices {
		if !choiceValueRe.MatchString(ch.Value) {
			bad("選択肢の値 %q は空白を含まない64文字までの文字列で書いてください", ch.Value)
		}
		if seen[ch.Value] {
			bad("選択肢の値 %q が2回あります", ch.Value)
		}
		seen[ch.Value] = true
		n.values = append(n.values, ch.Value)
		n.labels = append(n.labels, strings.TrimSpace(nfkc(ch.Label)))
		if ch.Exclusive {
			switch {
			case t != TypeChoices:
				bad("exclusive は choices（複数選択）の選択肢だけに書けます")
			case n.exclusive != nil:
				bad("exclusive の選択肢は1つだけです")
			default:
				n.exclusive = &ch
			}
		}
	}
	if f.Consent != nil {
		c.consent(n, fd)
		c.form.consents = append(c.form.consents, n)
	}
	var msg string
	if n.fact, msg = parseFact(f.Fact, t, n.owner != nil); msg != "" {
		c.add(at(fd.fact), ProblemBinding, "項目 %s の fact: %s", n.path, msg)
	}
	if n.fact.op != factNone {
		c.enumCheck(n, fd)
	}
	c.localCategory(n, fd, at)
	if n.record, msg = parseRecord(f.Record, t); msg != "" {
		c.add(at(fd.record), ProblemBinding, "項目 %s の record: %s", n.path, msg)
	}
	n.tag, n.reqTag = c.tags(n)
	return n
}

// localCategory checks the category of a local fact (required for
// extra.<key>, nowhere else, one category per key) and records it.
func (c *compiler) localCategory(n *node, fd *fieldDef, at func(*docnode.Node) docnode.Pos) {
	cat := n.f.Category
	switch {
	case n.fact.op != factExtra && cat != "":
		c.add(at(fd.category), ProblemBinding, "項目 %s: category は fact が extra. の項目にだけ書けます", n.path)
	case n.fact.op == factExtra && cat == "":
		c.add(at(fd.fact), ProblemBinding, "項目 %s: 地域独自の項目（extra.）には、記録で保つ情報の種類 category（program・consultation・health_disability など）を書いてください", n.path)
	case n.fact.op == factExtra:
		if prev, ok := c.form.localCategories[n.fact.key]; ok && prev != cat {
			c.add(at(fd.category), ProblemBinding, "項目 %s: extra.%s の category が別の項目（%s）と違います", n.path, n.fact.key, prev)
			return
		}
		if c.form.localCategories == nil {
			c.form.localCategories = map[string]string{}
		}
		c.form.localCategories[n.fact.key] = cat
	}
}

func defaultPrefix(member string) string {
	switch member {
	case "child":
		return "c"
	case "spouse":
		return "s"
	case "parent":
		return "g"
	case "sibling":
		return "b"
	}
	return "m"
}

// enumCheck checks a choice field's values against the fact's enumeration
// in the facts catalog, and the values of fixed-vocabulary bindings.
func (c *compiler) enumCheck(n *node, fd *fieldDef) {
	check := func(allowed []string, what string) {
		for _, v := range n.values {
			if n.exclusive != nil && v == n.exclusive.Value {
				continue
			}
			if !slices.Contains(allowed, v) {
				c.add(fd.pos, ProblemBinding, "項目 %s の選択肢 %q は %s に使えません（%s）", n.path, v, what, strings.Join(allowed, "・"))
			}
		}
	}
	switch n.fact.op {
	case factIncomeKinds:
		check(incomeKinds, "所得の種類")
		if n.exclusive == nil {
			c.add(fd.pos, ProblemBinding, "項目 %s: 所得の種類には「なし」の選択肢（exclusive: true）を置いてください", n.path)
		}
	case factDeductionKinds:
		keys := make([]string, len(deductionKinds))
		for i, d := range deductionKinds {
			keys[i] = d.key
		}
		check(keys, "所得控除")
		if n.exclusive == nil {
			c.add(fd.pos, ProblemBinding, "項目 %s: 所得控除には「なし」の選択肢（exclusive: true）を置いてください", n.path)
		}
	case factReceiving:
		for _, v := range n.values {
			if (n.exclusive == nil || v != n.exclusive.Value) && !regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`).MatchString(v) {
				c.add(fd.pos, ProblemBinding, "項目 %s の選択肢 %q は制度ID（英小文字・数字・ハイフン）で書いてください", n.path, v)
			}
		}
	default:
		if ev := n.fact.enumValues(); ev != nil {
			allowed := make([]string, len(ev))
			for i, e := range ev {
				allowed[i] = e.Value
			}
			check(allowed, n.fact.key)
		}
	}
}

// consent checks a consent question.
func (c *compiler) consent(n *node, fd *fieldDef) {
	cs := n.f.Consent
	if strings.TrimSpace(cs.Notice) == "" {
		c.add(fd.pos, ProblemMissing, "同意の項目 %s: 説明文（notice）を書いてください", n.path)
	}
	if cs.PeriodMonths < 0 || cs.PeriodMonths > 120 {
		c.add(fd.pos, ProblemInvalid, "同意の項目 %s: period_months は 0〜120 です", n.path)
	}
	if len(cs.Purposes) == 0 || len(cs.Actions) == 0 || len(cs.Categories) == 0 || len(cs.Recipients) == 0 {
		c.add(fd.pos, ProblemMissing, "同意の項目 %s: 目的・行為・情報の種類・提供先をそれぞれ1つ以上書いてください", n.path)
	}
}

// tags builds the validator tags of a field: tag for an answer, reqTag
// for a required field without one.
func (c *compiler) tags(n *node) (string, string) {
	f := &n.f
	req := ""
	if f.Required {
		req = tagAnswered
		if n.typ == TypeChoice || n.typ == TypeChoices || n.typ == TypeBool || n.typ == TypeConsent {
			req = tagChosen
		}
	}
	var t []string
	limit := func(def int) {
		l := f.MaxLength
		if l == 0 {
			l = def
		}
		t = append(t, "max="+strconv.Itoa(l))
	}
	bounds := func() {
		if f.Min != nil {
			t = append(t, "min="+strconv.FormatInt(*f.Min, 10))
		}
		if f.Max != nil {
			t = append(t, "max="+strconv.FormatInt(*f.Max, 10))
		}
	}
	switch n.typ {
	case TypeText:
		if f.Multiline {
			limit(2000)
		} else {
			limit(200)
		}
	case TypeName:
		limit(50)
	case TypeKana:
		t = append(t, tagKatakana)
		limit(50)
	case TypeDate:
		t = append(t, tagDate)
		if f.Past {
			t = append(t, tagPast)
		}
	case TypeYen:
		if f.Units {
			t = append(t, tagYen+"=units")
		} else {
			t = append(t, tagYen)
		}
		bounds()
	case TypeInt:
		t = append(t, tagWhole)
		bounds()
	case TypeBool, TypeConsent:
		t = append(t, tagBool)
	case TypeChoice:
		t = append(t, c.form.chk.choiceTag(n.values))
	case TypeChoices:
		if n.exclusive != nil {
			t = append(t, c.form.chk.exclusiveTag(*n.exclusive))
		}
		t = append(t, c.form.chk.choiceTag(n.values))
	case TypePostal:
		t = append(t, tagPostal)
	case TypePhone:
		t = append(t, tagPhone)
	case TypeEmail:
		t = append(t, "email", "max=254")
	case TypeLGCode:
		t = append(t, tagLGCode)
	case TypeList:
		t = append(t, tagCount+"="+strconv.Itoa(f.MaxItems))
	}
	return strings.Join(t, ","), req
}

// celType is the CEL type of a field's answer in visibility conditions;
// nil for groups and lists, which conditions cannot read.
func celType(t FieldType) *cel.Type {
	switch t {
	case TypeYen, TypeInt:
		return cel.IntType
	case TypeBool, TypeConsent:
		return cel.BoolType
	case TypeChoices:
		return cel.ListType(cel.StringType)
	case TypeGroup, TypeList:
		return nil
	}
	return cel.StringType
}

// conditions compiles the visibility conditions of g's fields in the scope
// of g (its fields, then those of the groups around it: an inner id hides
// an outer one, as ResolveName does at run time), then recurses into
// groups.
func (c *compiler) conditions(g *node) {
	var vars []cel.EnvOption
	declared := map[string]bool{}
	for s := g; s != nil; s = s.parent {
		for _, k := range s.kids {
			if t := celType(k.typ); t != nil && !declared[k.f.ID] {
				declared[k.f.ID] = true
				vars = append(vars, cel.Variable(k.f.ID, t))
			}
		}
	}
	scope, err := cel.NewEnv(vars...)
	if err != nil {
		c.add(docnode.Pos{}, ProblemCEL, "表示条件の環境を作れません: %v", err)
		return
	}
	for _, k := range g.kids {
		if k.f.VisibleIf != "" && k.def != nil {
			c.condition(k, k.def, scope, g)
		}
		if k.typ.container() {
			c.conditions(k)
		}
	}
}

func (c *compiler) condition(n *node, fd *fieldDef, env *cel.Env, g *node) {
	src := fd.cond.Text
	celPos := func(iss *cel.Issues) (docnode.Pos, string) {
		if errs := iss.Errors(); len(errs) > 0 {
			e := errs[0]
			return fd.cond.PosAt(c.d.src, runeOffset(src, e.Location.Line(), e.Location.Column())), e.Message
		}
		return fd.cond.Pos, iss.String()
	}
	ast, iss := env.Compile(strings.TrimSpace(src))
	if iss != nil && iss.Err() != nil {
		pos, detail := celPos(iss)
		c.ps = append(c.ps, Problem{File: c.file, Line: pos.Line, Col: pos.Col, Code: ProblemCEL,
			Message: fmt.Sprintf("項目 %s の表示条件が読めません（同じグループと外側のグループの項目 id だけを使えます）", n.path), Detail: detail})
		return
	}
	exprPos := fd.cond.PosAt(c.d.src, runeOffset(src, 1, 0))
	if !ast.OutputType().IsExactType(cel.BoolType) {
		c.add(exprPos, ProblemCEL, "項目 %s の表示条件は真偽値（true/false）になる式にしてください（%s になっています）", n.path, ast.OutputType())
		return
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		c.add(exprPos, ProblemCEL, "項目 %s の表示条件を準備できません: %v", n.path, err)
		return
	}
	n.prg = prg
	// the fields the condition reads, which must come before it
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if ref.Name == "" || len(ref.OverloadIDs) > 0 {
			continue
		}
		r := lookupScope(g, ref.Name)
		if r == nil {
			continue
		}
		if r.order >= n.order {
			c.add(exprPos, ProblemCEL, "項目 %s の表示条件が、後にある項目 %s を読んでいます（表示条件は前にある項目だけを使えます）", n.path, r.path)
		}
		if !slices.Contains(n.reads, r) {
			n.reads = append(n.reads, r)
		}
	}
	slices.SortFunc(n.reads, func(a, b *node) int { return a.order - b.order })
}

// lookupScope resolves a name in g and the groups around it.
func lookupScope(g *node, name string) *node {
	for s := g; s != nil; s = s.parent {
		if i, ok := s.byID[name]; ok {
			return s.kids[i]
		}
	}
	return nil
}

// runeOffset converts a CEL location (1-based line, 0-based column in
// code points) in src to a 0-based rune index.
func runeOffset(src string, line, col int) int {
	idx := 0
	l := 1
	for _, r := range src {
		if l == line {
			break
		}
		idx++
		if r == '\n' {
			l++
		}
	}
	// CEL compiled the trimmed source: account for leading spaces trimmed.
	lead := len([]rune(src)) - len([]rune(strings.TrimLeft(src, " \t\n")))
	return idx + col + lead
}

// check runs the checks that need the whole form. For an input form they
// guarantee that every checked submission maps to a household the engine
// accepts: at most eligibility.MaxMembers members, no birth date after the
// form date, the local facts within the model's bounds.
func (c *compiler) check(f *Form) {
	if f.info.Kind == KindApplication {
		return
	}
	members, extras := 1, map[string]bool{}
	for _, n := range f.memberNodes {
		if n.typ == TypeList {
			members += n.f.MaxItems
		}
	}
	if members > eligibility.MaxMembers {
		c.add(docnode.Pos{Line: 1, Col: 1}, ProblemInvalid, "世帯員のリストの max_items の合計（申請者を含めて %d 人）が、判定できる世帯員の数（%d 人）を超えています", members, eligibility.MaxMembers)
	}
	for _, n := range f.all {
		at := docnode.Pos{Line: 1, Col: 1}
		if n.def != nil {
			at = n.def.pos
		}
		if lo, hi, ok := n.fact.intBounds(); ok && !n.withinBounds(lo, hi) {
			c.add(at, ProblemBinding, "項目 %s: この事実の値は %d〜%d です（min・max または選択肢の値をその範囲にしてください）", n.path, lo, hi)
		}
		switch {
		case n.fact.op == factMember && n.fact.key == "birth_date" && !n.f.Past:
			c.add(at, ProblemBinding, "項目 %s: 生年月日（fact: birth_date）には past: true を書いてください（記入日より後の生年月日は判定できません）", n.path)
		case n.fact.op == factExtra:
			extras[n.fact.key] = true
			if n.typ == TypeText && (n.f.Multiline || n.f.MaxLength > eligibility.MaxStringLength) {
				c.add(at, ProblemBinding, "項目 %s: 地域独自の項目の文字は %d 文字までです（max_length）", n.path, eligibility.MaxStringLength)
			}
		}
	}
	if len(extras) > eligibility.MaxExtra {
		c.add(docnode.Pos{Line: 1, Col: 1}, ProblemBinding, "地域独自の項目（extra.）は %d 個までです", eligibility.MaxExtra)
	}
	selfGroups := 0
	for _, n := range f.memberNodes {
		if n.f.Member == "self" {
			selfGroups++
		}
	}
	if selfGroups == 0 && len(f.memberNodes) > 0 {
		c.add(docnode.Pos{Line: 1, Col: 1}, ProblemMissing, "世帯員のグループがあるのに、申請者のグループ（member: self）がありません")
	}
}

// withinBounds reports whether every answer the field allows lies in
// lo..hi: an int field's min and max, or a choice field's values.
func (n *node) withinBounds(lo, hi int64) bool {
	switch n.typ {
	case TypeInt:
		return n.f.Min != nil && n.f.Max != nil && *n.f.Min >= lo && *n.f.Max <= hi
	case TypeChoice:
		for _, v := range n.values {
			x, err := strconv.ParseInt(v, 10, 64)
			if err != nil || x < lo || x > hi {
				return false
			}
		}
	}
	return true
}
