package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
)

// This file is the one place that writes eligibility facts from answers.

// selfID is the member id of the applicant in the households forms build.
const selfID = "p"

// Household maps the checked submission to the eligibility facts model: the
// fact bindings of the answered fields, nothing else. A fact no field
// answered stays nil (not known). The caller owns the result.
func (c *Checked) Household() *eligibility.Household {
	if c.h == nil {
		c.h, _ = c.form.household(c.root, c.date, false)
	}
	return c.h.Clone()
}

// factAnswer converts an answer to the value its fact takes (the
// binding's catalog kind): text, choice, bool, amount or date. A choice
// answers a number fact (grade_area) with the number's text.
func factAnswer(n *node, v *value) (any, bool) {
	switch n.fact.kind {
	case eligibility.KindBool:
		return v.b, true
	case eligibility.KindDate:
		d, err := civil.Parse(v.s)
		return d, err == nil
	case eligibility.KindYen, eligibility.KindInt:
		if n.typ == TypeChoice {
			i, err := strconv.ParseInt(v.s, 10, 64)
			return i, err == nil
		}
		return v.n, true
	case eligibility.KindString, eligibility.KindEnum:
		return v.s, true
	}
	return nil, false
}

// memberRef ties a household member to the answers it came from.
type memberRef struct {
	id   string
	node *node  // the group or list bound to members
	item *group // the list item, or nil for the applicant and hypothetical members
	path string // the item's path in the answers (children[0]); "" for the applicant
	hypo bool   // a member assumed for an unanswered list (Next)
	// relation of a hypothetical member of a list whose items say theirs
	relation string
	member   *eligibility.Member
}

// memberBuild collects one member's facts while walking the answers.
type memberBuild struct {
	m        eligibility.Member
	incomes  map[int]*eligibility.Income
	years    []int
	noIncome bool
}

func (mb *memberBuild) income(year int) *eligibility.Income {
	if mb.incomes == nil {
		mb.incomes = map[int]*eligibility.Income{}
	}
	in := mb.incomes[year]
	if in == nil {
		in = &eligibility.Income{Year: year}
		mb.incomes[year] = in
		mb.years = append(mb.years, year)
	}
	return in
}

func (mb *memberBuild) finish() eligibility.Member {
	m := mb.m
	switch {
	case mb.noIncome:
		m.Incomes = []eligibility.Income{}
	case len(mb.years) > 0:
		slices.Sort(mb.years)
		m.Incomes = make([]eligibility.Income, len(mb.years))
		for i, y := range mb.years {
			m.Incomes[i] = *mb.incomes[y]
		}
	}
	return m
}

// household builds the facts of a submission. With hypothetical set, a
// member list that has not been answered gets one member with every fact
// unknown, so that the engine says what it would need to know about such
// a member (Next asks it of every item the family adds).
func (f *Form) household(root *group, date civil.Date, hypothetical bool) (*eligibility.Household, []memberRef) {
	b := &householdBuilder{f: f, date: date, hypo: hypothetical}
	b.self = &memberBuild{m: eligibility.Member{ID: selfID, Relation: eligibility.RelationSelf}}
	b.refs = append(b.refs, memberRef{id: selfID})
	b.builds = append(b.builds, b.self)
	b.walk(root, b.self, "")
	h := &b.h
	h.Members = make([]eligibility.Member, len(b.builds))
	for i, mb := range b.builds {
		h.Members[i] = mb.finish()
	}
	for i := range b.refs {
		b.refs[i].member = &h.Members[i]
	}
	return h, b.refs
}

type householdBuilder struct {
	f      *Form
	date   civil.Date
	hypo   bool
	h      eligibility.Household
	self   *memberBuild
	builds []*memberBuild
	refs   []memberRef
}

// walk applies the facts of g's answers; cur is the member the answers are
// about (the applicant outside member groups, for member bindings never
// used there).
func (b *householdBuilder) walk(g *group, cur *memberBuild, path string) {
	for i, n := range g.n.kids {
		v := &g.vals[i]
		if n.fact.op != factNone && n.typ != TypeGroup && n.typ != TypeList {
			if v.set && v.ok {
				b.apply(n, v, cur)
			}
			continue
		}
		if !n.typ.container() {
			continue
		}
		p := joinPath(path, n.f.ID)
		switch n.typ {
		case TypeGroup:
			if !v.set {
				continue
			}
			m := cur
			if n.f.Member == "self" {
				m = b.self
				if b.refs[0].node == nil {
					b.refs[0].node = n
				}
			}
			b.walk(v.g, m, p)
			continue
		case TypeList:
			if n.f.Member == "" || n.f.Member == "self" {
				if v.set {
					for j, it := range v.items {
						b.walk(it, cur, p+"["+strconv.Itoa(j)+"]")
					}
				}
				continue
			}
			if !v.set {
				if b.hypo && v.vis != visHidden {
					for _, rel := range imaginedRelations(n) {
						mb := &memberBuild{m: eligibility.Member{ID: "?" + n.f.IDPrefix + "-" + rel, Relation: eligibility.Relation(rel)}}
						b.builds = append(b.builds, mb)
						b.refs = append(b.refs, memberRef{id: mb.m.ID, node: n, path: p, hypo: true, relation: rel})
					}
				}
				continue
			}
			for j, it := range v.items {
				rel := eligibility.Relation(n.f.Member)
				if n.f.Member == "item" {
					rel = eligibility.RelationOther
					for k, kn := range n.kids {
						if kn.fact.op == factMember && kn.fact.key == "relation" && it.vals[k].set {
							rel = eligibility.Relation(it.vals[k].s)
						}
					}
				}
				mb := &memberBuild{m: eligibility.Member{ID: it.id, Relation: rel}}
				b.builds = append(b.builds, mb)
				ip := p + "[" + strconv.Itoa(j) + "]"
				b.refs = append(b.refs, memberRef{id: it.id, node: n, item: it, path: ip})
				b.walk(it, mb, ip)
			}
		}
	}
}

// imaginedRelations are the relations of the members Next imagines for a
// list not answered yet: the list's own, or, when each item says its
// relation, one member for each relation the item may give.
func imaginedRelations(n *node) []string {
	if n.f.Member != "item" {
		return []string{n.f.Member}
	}
	for _, k := range n.kids {
		if k.fact.op == factMember && k.fact.key == "relation" {
			return k.values
		}
	}
	return nil
}

// apply writes one answer's fact.
func (b *householdBuilder) apply(n *node, v *value, m *memberBuild) {
	h := &b.h
	fb := n.fact
	year := b.date.Year() - fb.yearOff
	switch fb.op {
	case factHousehold:
		if val, ok := factAnswer(n, v); ok {
			// Checked against the catalog as the answer was against the
			// field: a refusal leaves the fact unknown, as a bad date does.
			_ = h.SetFact(fb.key, val)
		}
	case factReceiving:
		rec := []string{}
		for _, s := range v.ss {
			if n.exclusive == nil || s != n.exclusive.Value {
				rec = append(rec, s)
			}
		}
		h.Receiving = rec
	case factExtra:
		if h.Extra == nil {
			h.Extra = map[string]any{}
		}
		switch n.typ {
		case TypeBool:
			h.Extra[fb.key] = v.b
		case TypeInt, TypeYen:
			h.Extra[fb.key] = v.n
		default:
			h.Extra[fb.key] = v.s
		}
	case factMember:
		if val, ok := factAnswer(n, v); ok {
			_ = m.m.SetFact(fb.key, val)
		}
	case factHasIncome:
		m.noIncome = !v.b
	case factIncomeKinds:
		in := m.income(year)
		for _, k := range incomeKinds {
			if !slices.Contains(v.ss, k) {
				*incomeField(in, k) = new(int64(0))
			}
		}
	case factIncomeAmount:
		*incomeField(m.income(year), fb.key) = new(v.n)
	case factDeductionKinds:
		in := m.income(year)
		if in.Deductions == nil {
			in.Deductions = &eligibility.Deductions{}
		}
		d := in.Deductions
		for _, s := range v.ss {
			switch s {
			case "working_student":
				d.WorkingStudent = true
			case "widow":
				d.Widow = true
			case "single_parent":
				d.SingleParent = true
			}
		}
	case factDeductionAmount:
		in := m.income(year)
		if in.Deductions == nil {
			in.Deductions = &eligibility.Deductions{}
		}
		d := in.Deductions
		switch fb.key {
		case "medical":
			d.Medical = v.n
		case "casualty_loss":
			d.CasualtyLoss = v.n
		case "small_business_mutual_aid":
			d.SmallBusinessMutualAid = v.n
		case "spouse_special":
			d.SpouseSpecial = v.n
		case "disabled":
			d.Disabled = int(v.n)
		case "special_disabled":
			d.SpecialDisabled = int(v.n)
		}
	}
}

func incomeField(in *eligibility.Income, key string) **int64 {
	switch key {
	case "salary_revenue":
		return &in.SalaryRevenue
	case "pension_revenue":
		return &in.PensionRevenue
	case "business_income":
		return &in.BusinessIncome
	case "other_income":
		return &in.OtherIncome
	}
	return &in.ChildSupportReceived
}

// gradePatterns are the grades each kind of certificate is written with,
// as the facts model accepts them (身体障害者手帳 1〜7級, 療育手帳 A/B and
// 愛の手帳 1〜4度, 精神障害者保健福祉手帳 1〜3級).
var gradePatterns = map[eligibility.DisabilityKind]*regexp.Regexp{
	eligibility.DisabilityPhysical:     regexp.MustCompile(`^[1-7]$`),
	eligibility.DisabilityIntellectual: regexp.MustCompile(`^(A|A1|A2|B|B1|B2|[1-4]度)$`),
	eligibility.DisabilityMental:       regexp.MustCompile(`^[1-3]$`),
}

// gradeErrors checks what compile-time checks cannot: that a disability's
// grade fits its kind when two answers give them. Everything else a
// household must satisfy (members, dates not after the form date, enums,
// bounds) the form guarantees when it is loaded.
func gradeErrors(h *eligibility.Household, refs []memberRef) []FieldError {
	var out []FieldError
	for i, m := range h.Members {
		d := m.Disability
		if d == nil || d.Grade == "" {
			continue
		}
		re := gradePatterns[d.Kind]
		if d.Kind == eligibility.DisabilityNone || d.Kind == "" || (re != nil && !re.MatchString(d.Grade)) {
			out = append(out, FieldError{Path: refs[i].path, Code: CodeFacts, Message: fmt.Sprintf("障害者手帳の種類と等級（%s）が合いません", d.Grade)})
		}
	}
	return out
}
