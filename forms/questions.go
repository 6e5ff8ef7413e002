package forms

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop-jp/onestop/eligibility"
)

// QuestionKind says why a field is asked.
type QuestionKind string

// Question kinds.
const (
	// AskRule: a programme's outcome depends on the answer.
	AskRule QuestionKind = "rule"
	// AskHousehold: who is in the household (a list of members).
	AskHousehold QuestionKind = "household"
	// AskRecord: the case record needs it (names, address, contacts).
	AskRecord QuestionKind = "record"
	// AskConsent: a consent question.
	AskConsent QuestionKind = "consent"
)

// Question is a field still worth asking.
type Question struct {
	// Path is where the answer goes: applicant.birth_date,
	// children[1].birth_date, or children[].birth_date for every item of a
	// list the family has not filled in yet.
	Path string `json:"path"`
	// Field is the field's template path (children[].birth_date).
	Field    string       `json:"field"`
	Label    string       `json:"label"`
	Page     string       `json:"page"`
	Kind     QuestionKind `json:"kind"`
	Required bool         `json:"required,omitempty"`
	// Programs are the programmes whose outcome the answer could change
	// (rule questions).
	Programs []string `json:"programs,omitempty"`
}

// ProgramStatus is where a programme stands with the answers so far.
type ProgramStatus struct {
	ID     string             `json:"id"`
	Name   string             `json:"name"`
	Status eligibility.Status `json:"status"`
	Label  string             `json:"label"` // 対象 / 対象外 / 判定保留
	Amount *eligibility.Money `json:"amount,omitempty"`
	// Reasons are the conditions that did not hold or are not known yet.
	Reasons []string `json:"reasons,omitempty"`
}

// Questions is what Next returns after a page: the fields to show, the
// fact fields not worth asking, and where the programmes stand.
type Questions struct {
	Date string `json:"date"`
	// Ask lists the fields still worth asking, in form order.
	Ask []Question `json:"ask"`
	// Skip lists the fact fields (template paths) no chosen programme
	// needs any more: do not show them.
	Skip []string `json:"skip"`
	// Programs are the chosen programmes' outcomes on the answers so far.
	Programs []ProgramStatus `json:"programs"`
	// Unasked are facts a programme needs that no field of the form asks
	// (a local pack's fact the form has no question for): ask them some
	// other way, or add a field.
	Unasked []eligibility.Missing `json:"unasked,omitempty"`
	// Errors are answers that could not be used (treated as not given).
	Errors []FieldError `json:"errors,omitempty"`
}

// Next says, after each page, which fields are still worth asking. It
// normalises the answers so far (an invalid answer counts as not given
// and is reported in Errors), screens them with the engine for the chosen
// programmes (ForPrograms; all otherwise) on the form date, and asks:
//
//   - rule questions: fields whose fact an undetermined programme names
//     as missing (or an eligible one needs for its amount). A programme
//     the answers already rule out asks nothing, so a married applicant
//     is asked nothing about income for 児童扶養手当. A field shown only
//     after another answer is asked through that answer (the gate);
//   - household questions: member lists not answered yet. Until the
//     family lists its children, Next screens as if there were one child
//     with nothing known and asks, for every child, what such a child's
//     facts would decide (children[].birth_date);
//   - record and consent questions: the fields the case record and the
//     consents need, whatever the programmes.
//
// Answering every question asked settles every programme, except for the
// follow-ups an answer opens (the amounts once a kind of income is chosen,
// the grade once a disability is). Next never reads or writes the record.
func (f *Form) Next(ctx context.Context, eng *eligibility.Engine, data []byte, opts ...Option) (*Questions, error) {
	var o options
	for _, op := range opts {
		op(&o)
	}
	st, errs := f.evaluate(data, o, true)
	if st.date.IsZero() {
		return nil, &ValidationError{Form: f.info.ID, Errors: errs}
	}
	h, refs := f.household(st.root, st.date, true)
	asOf := st.date
	var sopts []eligibility.ScreenOption
	if len(o.programs) > 0 {
		sopts = append(sopts, eligibility.OnlyPrograms(o.programs...))
	}
	s, err := eng.Screen(ctx, h, asOf, sopts...)
	if err != nil {
		return nil, fmt.Errorf("forms: screening the answers: %w", err)
	}
	q := &Questions{Date: st.date.String(), Ask: []Question{}, Skip: []string{}, Programs: []ProgramStatus{}, Errors: errs}
	insts := f.instances(st, refs)
	asked := map[string]*Question{}
	ask := func(in *instance, kind QuestionKind, program string) {
		qu := asked[in.path]
		if qu == nil {
			qu = &Question{Path: in.path, Field: in.n.path, Label: in.n.f.Label, Page: in.page(), Kind: kind, Required: in.n.f.Required}
			asked[in.path] = qu
		}
		if program != "" && !slices.Contains(qu.Programs, program) {
			qu.Programs = append(qu.Programs, program)
		}
	}
	needed := map[*instance]bool{}
	// the fields' facts, by their first path segment (members[2],
	// situation, extra), so that each missing fact is compared only with
	// the fields about the same member or household fact
	type cover struct {
		path string
		in   *instance
	}
	covers := map[string][]cover{}
	for _, in := range insts {
		if in.n.fact.op != factNone {
			for _, c := range in.n.fact.covers(in.prefix, st.date.Year()) {
				k := headSegment(c)
				covers[k] = append(covers[k], cover{c, in})
			}
		}
	}
	// each missing fact once, with the programmes that need it
	type need struct {
		m        eligibility.Missing
		programs []string
	}
	var needs []*need
	byPath := map[string]*need{}
	for _, out := range s.Results {
		ps := ProgramStatus{ID: out.Program, Name: out.Name, Status: out.Status, Label: out.Status.Label(), Amount: out.Amount}
		for _, c := range out.Conditions {
			ps.Reasons = append(ps.Reasons, c.Reason)
		}
		q.Programs = append(q.Programs, ps)
		if out.Status == eligibility.Ineligible {
			continue
		}
		for _, m := range out.Missing {
			nd := byPath[m.Path]
			if nd == nil {
				nd = &need{m: m}
				byPath[m.Path] = nd
				needs = append(needs, nd)
			}
			nd.programs = append(nd.programs, out.Program)
		}
	}
	for _, nd := range needs {
		matched := false
		for _, c := range covers[headSegment(nd.m.Path)] {
			if !pathMatches(nd.m.Path, c.path) {
				continue
			}
			matched = true
			needed[c.in] = true
			for _, prog := range nd.programs {
				f.askInstance(c.in, insts, func(x *instance) { ask(x, AskRule, prog) }, 0)
			}
		}
		if !matched {
			q.Unasked = append(q.Unasked, nd.m)
		}
	}
	skip := map[string]bool{}
	for _, in := range insts {
		if in.n.f.SetBy == SetByMunicipality || in.set() || in.vis() != visShown {
			continue
		}
		switch {
		case in.n.typ == TypeList && in.n.f.Member != "":
			ask(in, AskHousehold, "")
		case in.n.typ == TypeConsent:
			ask(in, AskConsent, "")
		case in.n.typ.container():
		case in.n.record.op != recNone || in.n.fact.op == factNone:
			ask(in, AskRecord, "")
		case !needed[in] && asked[in.path] == nil:
			skip[in.n.path] = true
		}
	}
	for _, in := range insts {
		if qu := asked[in.path]; qu != nil {
			q.Ask = append(q.Ask, *qu)
			delete(asked, in.path)
		}
	}
	for _, n := range f.all {
		if skip[n.path] {
			q.Skip = append(q.Skip, n.path)
		}
	}
	return q, nil
}

// headSegment is a fact path's first segment: members[2] in
// members[2].birth_date, extra in extra.training_months.
func headSegment(p string) string {
	if i := strings.IndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return p
}

// askInstance asks a needed field, or, when its condition waits for
// answers not given yet, those answers (the gates that would show it).
func (f *Form) askInstance(in *instance, insts []*instance, ask func(*instance), depth int) {
	if in.set() || depth > maxNesting+8 {
		return
	}
	switch in.vis() {
	case visShown:
		ask(in)
	case visPending:
		for _, r := range in.n.reads {
			if g := in.resolve(r, insts); g != nil {
				f.askInstance(g, insts, ask, depth+1)
			}
		}
	}
}

// instance is one field in the answers: a field of the form, of a group, of
// one list item, or of the imagined item of a list not answered yet.
type instance struct {
	n      *node
	v      *value
	path   string
	scope  []*group // the groups around the field, outermost first
	member int      // index in the household's members; -1 for the household
	prefix string   // members[i] for the member's facts
}

func (in *instance) set() bool { return in.v.set }
func (in *instance) vis() uint8 {
	if in.v.vis == visUnknown {
		return visShown
	}
	return in.v.vis
}

func (in *instance) page() string {
	for n := in.n; n != nil; n = n.parent {
		if n.page != "" {
			return n.page
		}
	}
	return ""
}

// covers reports whether the field answers the missing fact at path m.
func (in *instance) covers(m string, year int) bool {
	if in.member < 0 {
		if strings.HasPrefix(m, "members[") {
			return false
		}
	} else if !strings.HasPrefix(m, in.prefix+".") && !strings.HasPrefix(m, in.prefix+"[") && m != in.prefix {
		return false
	}
	for _, c := range in.n.fact.covers(in.prefix, year) {
		if pathMatches(m, c) {
			return true
		}
	}
	return false
}

// resolve finds the instance of a field a condition reads: in the same
// group or a group around it.
func (in *instance) resolve(r *node, insts []*instance) *instance {
	for k := len(in.scope) - 1; k >= 0; k-- {
		if in.scope[k].n == r.parent {
			v := &in.scope[k].vals[r.index]
			for _, x := range insts {
				if x.v == v {
					return x
				}
			}
		}
	}
	return nil
}

// instances lists every field of the answers, with the imagined item of
// each member list not answered yet (whose visibility is evaluated on an
// empty item).
func (f *Form) instances(st *state, refs []memberRef) []*instance {
	out := make([]*instance, 0, len(f.all)*2)
	dateCtx := context.WithValue(context.Background(), formDateKey{}, st.date)
	memberOf := map[*group]int{}
	hypo := map[*node][]int{}
	for i, r := range refs {
		switch {
		case r.item != nil:
			memberOf[r.item] = i
		case r.hypo:
			hypo[r.node] = append(hypo[r.node], i)
		}
	}
	prefixes := make([]string, len(refs))
	for i := range refs {
		prefixes[i] = "members[" + strconv.Itoa(i) + "]"
	}
	var walk func(g *group, scope []*group, path string, member int)
	walk = func(g *group, scope []*group, path string, member int) {
		scope = append(scope[:len(scope):len(scope)], g)
		for i, n := range g.n.kids {
			v := &g.vals[i]
			p := joinPath(path, n.f.ID)
			m := member
			if n.owner == nil {
				m = -1
			}
			in := &instance{n: n, v: v, path: p, scope: scope, member: m}
			if m >= 0 {
				in.prefix = prefixes[m]
			}
			out = append(out, in)
			switch n.typ {
			case TypeGroup:
				sub := member
				if n.f.Member == "self" {
					sub = 0
				}
				if v.set {
					walk(v.g, scope, p, sub)
				} else if v.vis != visHidden {
					walk(f.imagined(n, scope, dateCtx, ""), scope, p, sub)
				}
			case TypeList:
				if v.set {
					for j, it := range v.items {
						sub := member
						if idx, ok := memberOf[it]; ok {
							sub = idx
						}
						walk(it, scope, p+"["+strconv.Itoa(j)+"]", sub)
					}
				} else {
					var shared *group
					for _, idx := range hypo[n] {
						g := shared
						if g == nil {
							g = f.imagined(n, scope, dateCtx, refs[idx].relation)
							if !n.relationRead() {
								shared = g // the relation changes nothing shown: one item serves all
							}
						}
						walk(g, scope, p+"[]", idx)
					}
				}
			}
		}
	}
	walk(st.root, nil, "", 0)
	return out
}

// imagined is an empty group or list item of n, its fields' visibility
// evaluated in the groups around it; relation, when set, answers the
// item's relation field.
func (f *Form) imagined(n *node, chain []*group, date context.Context, relation string) *group {
	g := newGroup(n)
	if relation != "" {
		for i, k := range n.kids {
			if k.fact.op == factMember && k.fact.key == "relation" {
				g.vals[i] = value{set: true, ok: true, s: relation}
			}
		}
	}
	var sc *scope
	for _, s := range chain {
		sc = &scope{g: s, parent: sc}
	}
	w := &walker{f: f, st: &state{}, lenient: true, ctx: date}
	w.group(g, sc, "")
	return g
}

// relationRead reports whether a condition inside list n reads the item's
// relation (so that an imagined item of one relation may show other
// fields than one of another).
func (n *node) relationRead() bool {
	for _, k := range n.kids {
		for _, r := range k.reads {
			if r.parent == n && r.fact.op == factMember && r.fact.key == "relation" {
				return true
			}
		}
	}
	return false
}
