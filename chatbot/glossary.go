package chatbot

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Glossary is welfare-domain knowledge that comes with the library rather
// than with one FAQ: the words residents use for the words FAQs use.
// Every knowledge base compiled with it gets the same help, whether it was
// loaded from YAML or from a four-column CSV (see WithGlossary).
//
// A rule rewrites each of From into To, in the resident's question and in
// the FAQ alike, so the two meet whichever spelling either uses (母子手当 →
// 児童扶養手当, 病院代 → 医療費, allowance → 手当, なんぼ → いくら). A rule
// with Also keeps the word and adds To after it: a need that points at a
// topic without meaning only it (捨てたい → 捨てたい 粗大ごみ; 冷蔵庫を
// 捨てたい still finds the 家電リサイクル entry by 冷蔵庫).
type Glossary struct {
	Name  string
	Rules []GlossaryRule
	// Programmes are programme names (with nicknames) the library knows
	// beyond the rule packs' own; see Programme.
	Programmes []Programme
	// Needs are the programmes a resident's situation points at (see
	// Need); each works as an also rule from its When words.
	Needs []Need
	// OtherServices are services of a city hall that a FAQ about child
	// rearing and single parents usually does not hold (雇用保険の基本手当,
	// 障害者手帳, 在留カード, 水道料金の減免 …), with their common names.
	// They are not rewritten and are not programmes: when a question names
	// one that the knowledge base names nowhere, an entry without sample
	// phrasings is not given as a direct answer (Signals.Foreign 2); when
	// the knowledge base names it anywhere, it changes nothing.
	OtherServices []Programme
	// Benefits are national benefits and services residents ask about by
	// name that a FAQ about child rearing and single parents often has no
	// entry for (不妊治療, 妊婦健診, 医療費控除 …); see Benefit.
	Benefits []Benefit
	// Ambiguous are everyday names that residents use for more than one
	// programme (「子どもの手当」: 児童手当 or 児童扶養手当); see
	// AmbiguousName.
	Ambiguous []AmbiguousName
}

// Benefit is a national benefit or service a resident may ask about by name
// (不妊治療の助成, 妊婦健診, 医療費控除, 給付型の奨学金) and that a FAQ about
// child rearing and single parents often does not cover. Like an other
// service it is not rewritten and is not a programme. A question that
// names one — as the resident wrote it: not a name an also rule added,
// not one corrected with 「〜じゃなくて」 — is not answered directly with
// an entry without sample phrasings or keywords when no entry's question
// side names the benefit and the best entry's answer does not name it
// either: the entry is offered (Suggest) instead. Ranking and confidence do
// not change. An entry whose answer names the benefit (「養育費の保証会社
// との契約の費用を補助します」) is still the direct answer to a question on
// it.
type Benefit struct {
	// ID identifies the benefit (the Name when empty).
	ID string
	// Name is the benefit's usual name; Aliases are its other names.
	Name    string
	Aliases []string
	// Law is the legal basis or national programme behind the benefit,
	// for the people who keep the list.
	Law string
	// DevGap marks a name added after reading the development sets'
	// out-of-scope questions that were answered directly, rather than
	// written from law beforehand: what it gains on those sets is in
	// sample.
	DevGap bool
	// Status marks something a resident holds rather than asks for
	// (療育手帳: 「療育手帳を持っています」 states a case): listed so that
	// it is not added by mistake, never a reason to hold an answer back.
	Status bool
	Pos    Position
}

// AmbiguousName is an everyday name for more than one programme
// (「子どもの手当」 is 児童手当 to most residents, 児童扶養手当 to a single
// parent). It is not rewritten. In a question that names none of its
// programmes, the details decide: when the words of exactly one choice
// are in the question (公務員, 中学生 → 児童手当; ひとり親, 死別 →
// 児童扶養手当), the name counts as naming that choice's programmes, which
// steers the ranking as a programme name does; when none or several
// choices' words are there, nothing decides, and an entry about some of
// the choices' programmes but not all is offered rather than answered
// directly.
type AmbiguousName struct {
	// Name is the name as residents write it, for people.
	Name string
	// From are its written forms (子どもの手当, こどもの手当, 子供の手当).
	From []string
	// Choices are the readings, at least two.
	Choices []AmbiguousChoice
	Pos     Position
}

// AmbiguousChoice is one reading of an AmbiguousName: the programmes it
// means and the words of a question that decide it.
type AmbiguousChoice struct {
	// Programmes are programme names (as in Glossary.Programmes or the
	// rule packs; nicknames are read as their programme).
	Programmes []string
	// When are the details that decide this reading.
	When []string
}

// Need is one piece of general welfare knowledge: a situation residents
// describe without naming a programme, and the programmes it makes them
// eligible for or points them to (自閉症の診断 → 特別児童扶養手当,
// 障害児福祉手当; 敷金が払えない → 転宅資金). A question with one of When
// keeps its words and gains the programme names, so it meets the FAQ entry
// on the programme even when no word of the question is in it.
type Need struct {
	// Name says the situation (子どもに障害や発達の遅れがある).
	Name string
	// Fact is the real-world rule behind the link, for the people who keep
	// the table.
	Fact string
	// When are the words that describe the situation.
	When []string
	// Programmes are the programme names (or the words FAQs use for them)
	// the situation points at.
	Programmes []string
	// Negatable: a negation right after the words, in their clause,
	// denies the situation (「離婚が成立してなくても」 is not divorced), and
	// the need does not apply. Not for words that end before the
	// negation that states the need (年金が払え|ない) or keep their meaning
	// negated (全額もら|えない).
	Negatable bool
	Pos       Position
}

// needSection is the section of the rules made from Needs.
const needSection = "困りごとと制度"

// rules returns the glossary's rules with one also rule per need.
func (g *Glossary) rules() []GlossaryRule {
	if len(g.Needs) == 0 {
		return g.Rules
	}
	out := append(make([]GlossaryRule, 0, len(g.Rules)+len(g.Needs)), g.Rules...)
	for _, n := range g.Needs {
		out = append(out, GlossaryRule{Section: needSection, From: n.When, To: strings.Join(n.Programmes, " "), Also: true, Pos: n.Pos})
	}
	return out
}

// GlossaryRule is one rewrite of the glossary.
type GlossaryRule struct {
	// Section groups rules for people: 制度の通称, 暮らしの言葉, 英語, 方言 …
	Section string
	From    []string
	To      string
	// Also keeps the matched word and adds To (see Glossary).
	Also bool
	Pos  Position
}

//go:embed data/glossary.yaml
var glossaryYAML []byte

//go:embed data/needs.yaml
var needsYAML []byte

// defaultGlossary is glossary.yaml with the needs of needs.yaml, checked
// together (a word is rewritten one way across both files).
var defaultGlossary = sync.OnceValues(func() (*Glossary, error) {
	g, err := LoadGlossary(bytes.NewReader(glossaryYAML), "glossary.yaml")
	if err != nil {
		return nil, err
	}
	n, err := LoadGlossary(bytes.NewReader(needsYAML), "needs.yaml")
	if err != nil {
		return nil, err
	}
	g.Needs = append(g.Needs, n.Needs...)
	if errs := g.check(); len(errs) > 0 {
		return nil, &errs
	}
	return g, nil
})

// DefaultGlossary returns the glossary shipped with the library
// (chatbot/data/glossary.yaml): programme nicknames, everyday words for
// needs, English words mixed into Japanese questions, and Kansai and other
// dialect forms. Compile uses it unless told otherwise (WithGlossary).
// Each call returns the caller's own copy.
func DefaultGlossary() *Glossary {
	g, err := defaultGlossary()
	if err != nil {
		// The embedded file is checked by the tests; this cannot happen in
		// a released build.
		panic(fmt.Sprintf("chatbot: embedded glossary: %v", err))
	}
	return g.clone()
}

func (g *Glossary) clone() *Glossary {
	out := &Glossary{Name: g.Name, Rules: make([]GlossaryRule, len(g.Rules)), Programmes: cloneProgrammes(g.Programmes), Needs: make([]Need, len(g.Needs)),
		OtherServices: cloneProgrammes(g.OtherServices), Benefits: make([]Benefit, len(g.Benefits)), Ambiguous: make([]AmbiguousName, len(g.Ambiguous))}
	for i, b := range g.Benefits {
		b.Aliases = append([]string(nil), b.Aliases...)
		out.Benefits[i] = b
	}
	for i, a := range g.Ambiguous {
		a.From = append([]string(nil), a.From...)
		cs := make([]AmbiguousChoice, len(a.Choices))
		for j, c := range a.Choices {
			cs[j] = AmbiguousChoice{Programmes: append([]string(nil), c.Programmes...), When: append([]string(nil), c.When...)}
		}
		a.Choices = cs
		out.Ambiguous[i] = a
	}
	for i, n := range g.Needs {
		n.When = append([]string(nil), n.When...)
		n.Programmes = append([]string(nil), n.Programmes...)
		out.Needs[i] = n
	}
	for i, r := range g.Rules {
		r.From = append([]string(nil), r.From...)
		out.Rules[i] = r
	}
	return out
}

// LoadGlossary reads a glossary in the YAML format of
// chatbot/data/glossary.yaml:
//
//	name: ○○市の言い換え
//	sections:
//	  - name: 暮らしの言葉
//	    rules:
//	      - {from: [病院代, 通院費], to: 医療費}
//	      - {from: [捨てたい], also: 粗大ごみ}
//	programmes:
//	  - {name: 特別児童扶養手当, aliases: [特児]}
//	needs:
//	  - need: 子どもに障害や発達の遅れがある
//	    fact: 障害のある20歳未満の子を育てる親は特別児童扶養手当の対象
//	    when: [自閉症, ダウン症, 療育手帳]
//	    programmes: [特別児童扶養手当, 障害児福祉手当]
//	other_services:
//	  - {id: unemployment-benefit, name: 雇用保険の基本手当, aliases: [失業保険, 失業手当]}
//	benefits:
//	  - {id: infertility-treatment, name: 不妊治療, aliases: [不妊], law: 健康保険法}
//	  - {id: rehabilitation-certificate, name: 療育手帳, law: 療育手帳制度について, status: true}
//	ambiguous:
//	  - name: 子どもの手当
//	    from: [子どもの手当, こどもの手当]
//	    choices:
//	      - {programmes: [児童手当], when: [公務員, 中学生]}
//	      - {programmes: [児童扶養手当], when: [ひとり親, 死別]}
//
// Every problem is reported with its position in one *LoadErrors: unknown
// keys, a rule with both or neither of to and also, one word rewritten
// to two different words, and an ambiguous name without forms or with
// fewer than two choices, a choice without programmes or words, or a
// benefit without a name.
func LoadGlossary(r io.Reader, name string) (*Glossary, error) {
	data, err := readAllLimited(r, name)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &LoadErrors{yamlSyntaxError(name, err)}
	}
	if len(doc.Content) == 0 {
		return nil, &LoadErrors{{Pos: Position{File: name, Line: 1}, Err: ErrEmpty, Msg: "ファイルが空です"}}
	}
	l := &yamlLoader{file: name}
	g := &Glossary{Name: name}
	f := l.fields(doc.Content[0], "言い換え集", "name", "sections", "programmes", "needs", "other_services", "benefits", "ambiguous")
	if f != nil {
		if s := l.str(f["name"], "name"); s != "" {
			g.Name = s
		}
		for _, sn := range l.seq(f["sections"], "sections") {
			sf := l.fields(sn, "sections", "name", "note", "rules")
			if sf == nil {
				continue
			}
			section := l.str(sf["name"], "name")
			for _, rn := range l.seq(sf["rules"], "rules") {
				rf := l.fields(rn, "rules", "from", "to", "also")
				if rf == nil {
					continue
				}
				rule := GlossaryRule{Section: section, From: l.strs(rf["from"], "from"), Pos: l.pos(rn)}
				to, also := l.str(rf["to"], "to"), l.str(rf["also"], "also")
				switch {
				case to != "" && also != "":
					l.errf(rn, "to", ErrSyntax, "to と also はどちらか一方だけを書いてください")
				case to == "" && also == "":
					l.errf(rn, "to", ErrMissingField, "言い換えに to（置き換え先）か also（付け足す言葉）がありません")
				case also != "":
					rule.To, rule.Also = also, true
				default:
					rule.To = to
				}
				if len(rule.From) == 0 {
					l.errf(rn, "from", ErrMissingField, "言い換えに from がありません")
				}
				g.Rules = append(g.Rules, rule)
			}
		}
		g.Programmes = l.programmes(f["programmes"], "programmes")
		g.OtherServices = l.programmes(f["other_services"], "other_services")
		g.Benefits = l.benefits(f["benefits"])
		g.Ambiguous = l.ambiguous(f["ambiguous"])
		for _, nn := range l.seq(f["needs"], "needs") {
			nf := l.fields(nn, "needs", "need", "fact", "when", "programmes", "negatable")
			if nf == nil {
				continue
			}
			n := Need{Name: l.str(nf["need"], "need"), Fact: l.str(nf["fact"], "fact"), When: l.strs(nf["when"], "when"), Programmes: l.strs(nf["programmes"], "programmes"), Negatable: l.boolean(nf["negatable"], "negatable"), Pos: l.pos(nn)}
			switch {
			case n.Name == "":
				l.errf(nn, "need", ErrMissingField, "困りごと（need）がありません")
			case len(n.When) == 0:
				l.errf(nn, "when", ErrMissingField, "困りごとを表す言葉（when）がありません")
			case len(n.Programmes) == 0:
				l.errf(nn, "programmes", ErrMissingField, "困りごとにつながる制度（programmes）がありません")
			}
			g.Needs = append(g.Needs, n)
		}
	}
	if len(l.errs) == 0 {
		l.errs = g.check()
	}
	if len(l.errs) > 0 {
		return nil, &l.errs
	}
	return g, nil
}

// ambiguous reads the ambiguous names (see AmbiguousName).
func (l *yamlLoader) ambiguous(n *yaml.Node) []AmbiguousName {
	var out []AmbiguousName
	for _, an := range l.seq(n, "ambiguous") {
		af := l.fields(an, "ambiguous", "name", "note", "from", "choices")
		if af == nil {
			continue
		}
		a := AmbiguousName{Name: l.str(af["name"], "name"), From: l.strs(af["from"], "from"), Pos: l.pos(an)}
		for _, cn := range l.seq(af["choices"], "choices") {
			cf := l.fields(cn, "choices", "programmes", "when")
			if cf == nil {
				continue
			}
			c := AmbiguousChoice{Programmes: l.strs(cf["programmes"], "programmes"), When: l.strs(cf["when"], "when")}
			switch {
			case len(c.Programmes) == 0:
				l.errf(cn, "programmes", ErrMissingField, "読み分けに制度名（programmes）がありません")
			case len(c.When) == 0:
				l.errf(cn, "when", ErrMissingField, "読み分けを決める言葉（when）がありません")
			}
			a.Choices = append(a.Choices, c)
		}
		switch {
		case a.Name == "":
			l.errf(an, "name", ErrMissingField, "あいまいな呼び名（name）がありません")
		case len(a.From) == 0:
			l.errf(an, "from", ErrMissingField, "あいまいな呼び名の書き方（from）がありません")
		case len(a.Choices) < 2:
			l.errf(an, "choices", ErrMissingField, "あいまいな呼び名には読み分け（choices）が 2 つ以上要ります")
		}
		out = append(out, a)
	}
	return out
}

// benefits reads the benefits (see Benefit).
func (l *yamlLoader) benefits(n *yaml.Node) []Benefit {
	var out []Benefit
	for _, bn := range l.seq(n, "benefits") {
		bf := l.fields(bn, "benefits", "id", "name", "aliases", "law", "dev_gap", "status")
		if bf == nil {
			continue
		}
		b := Benefit{ID: l.str(bf["id"], "id"), Name: l.str(bf["name"], "name"), Aliases: l.strs(bf["aliases"], "aliases"), Law: l.str(bf["law"], "law"),
			DevGap: l.boolean(bf["dev_gap"], "dev_gap"), Status: l.boolean(bf["status"], "status"), Pos: l.pos(bn)}
		if b.Name == "" {
			l.errf(bn, "name", ErrMissingField, "給付・サービスの名前（name）がありません")
		}
		if b.ID == "" {
			b.ID = b.Name
		}
		out = append(out, b)
	}
	return out
}

// programmes reads a list of programme names (programmes, other_services).
func (l *yamlLoader) programmes(n *yaml.Node, key string) []Programme {
	var out []Programme
	for _, pn := range l.seq(n, key) {
		pf := l.fields(pn, key, "id", "name", "aliases")
		if pf == nil {
			continue
		}
		p := Programme{ID: l.str(pf["id"], "id"), Name: l.str(pf["name"], "name"), Aliases: l.strs(pf["aliases"], "aliases")}
		if p.Name == "" {
			l.errf(pn, "name", ErrMissingField, "制度名（name）がありません")
		}
		if p.ID == "" {
			p.ID = p.Name
		}
		out = append(out, p)
	}
	return out
}

// check reports words that fold to nothing and words rewritten two ways.
func (g *Glossary) check() LoadErrors {
	var errs LoadErrors
	type target struct {
		to   string
		also bool
		pos  Position
	}
	say := func(t target) string {
		if t.also {
			return fmt.Sprintf("「%s」を付け足す（%s）", t.to, t.pos)
		}
		return fmt.Sprintf("「%s」に置き換える（%s）", t.to, t.pos)
	}
	for _, a := range g.Ambiguous {
		for _, f := range a.From {
			if Normalize(f) == "" {
				errs = append(errs, &LoadError{Pos: a.Pos, Field: "from", Err: ErrMissingField, Msg: fmt.Sprintf("あいまいな呼び名 %q は記号だけで、言葉として使えません", f)})
			}
		}
	}
	seen := map[string]target{}
	for _, r := range g.rules() {
		to := Normalize(r.To)
		if to == "" {
			errs = append(errs, &LoadError{Pos: r.Pos, Field: "to", Err: ErrMissingField, Msg: fmt.Sprintf("置き換え先 %q は記号だけで、言葉として使えません", r.To)})
		}
		for _, from := range r.From {
			n := Normalize(from)
			if n == "" {
				errs = append(errs, &LoadError{Pos: r.Pos, Field: "from", Err: ErrMissingField, Msg: fmt.Sprintf("言い換え %q は記号だけで、言葉として使えません", from)})
				continue
			}
			t := target{to: to, also: r.Also, pos: r.Pos}
			if prev, ok := seen[n]; ok && (prev.to != t.to || prev.also != t.also) {
				errs = append(errs, &LoadError{Pos: r.Pos, Field: "from", Err: ErrDuplicateID,
					Msg: fmt.Sprintf("言い換え %q に別々の書き換えがあります: %s と %s。どちらか一方にしてください", from, say(prev), say(t))})
				continue
			}
			seen[n] = t
		}
	}
	return errs
}

// addRules adds the glossary's rules to b.
func (g *Glossary) addRules(b *aliasBuilder) {
	for _, r := range g.Rules {
		to := Normalize(r.To)
		for _, from := range r.From {
			b.add(Normalize(from), to, r.Also, srcGlossary)
		}
	}
	// A need rewrites residents' questions only: an FAQ entry that
	// mentions 自閉症 is not about the allowance it points at.
	for _, n := range g.Needs {
		to := Normalize(strings.Join(n.Programmes, " "))
		for _, w := range n.When {
			b.addQuery(Normalize(w), to, n.Negatable)
		}
	}
}
