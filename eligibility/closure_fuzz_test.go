package eligibility_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility"
	"github.com/onestop-jp/onestop/eligibility/synth"
)

// FuzzClosures generates programmes of random well-typed expressions over
// the facts model, the rule library and every kind of parameter and local
// fact, and households with facts left unknown, and requires the compiled
// closures and the interpreter to give byte-identical screenings. src, when
// not empty, is screened as one more condition.
func FuzzClosures(f *testing.F) {
	f.Add(uint64(1), uint64(1), "")
	f.Add(uint64(2), uint64(7), "household.members.filter(m, m.age_on(as_of) < 18).exists(c, c.lives_with)")
	f.Add(uint64(3), uint64(11), "cel.bind(n, household.count('child'), n > 1 ? household.extra.flag == true : n == 0)")
	f.Add(uint64(4), uint64(5), "params.limits[household.grade_area - 1] > household.applicant().total_income(2024)")
	f.Add(uint64(5), uint64(3), "household.children().map(c, c.rank_among(household.children())).sum() > 2")
	f.Add(uint64(6), uint64(9), "household.applicant().dependents(2025, household.members.filter(m, has(m.supported) ? m.supported : m.relation == 'child')).count >= 1")
	hs := fuzzHouseholds(f)
	f.Fuzz(func(t *testing.T, seed, hseed uint64, src string) {
		if len(src) > 500 || strings.ContainsAny(src, "\n\r") {
			return
		}
		g := &exprGen{r: rand.New(rand.NewPCG(seed, seed>>7|1))}
		yaml := g.pack(src)
		p, err := eligibility.LoadPack(fstest.MapFS{"pack.yaml": {Data: []byte(yaml)}}, "fuzz")
		if err != nil {
			return // a source the YAML or the checker refuses
		}
		e, err := eligibility.Compile([]*eligibility.Pack{p})
		if err != nil {
			return
		}
		r := rand.New(rand.NewPCG(hseed, 3))
		for i, h := range hs {
			if r.IntN(3) == 0 {
				continue
			}
			for _, at := range []civil.Date{civil.MustDate(2025, 6, 1), civil.MustDate(2026, 11, 23)} {
				if !at.Before(h.asOf) {
					requireSameScreening(t, e, h.h, at, fmt.Sprintf("household %d, programme:\n%s\n", i, yaml))
				}
			}
		}
	})
}

type fuzzHousehold struct {
	h    *eligibility.Household
	asOf civil.Date // the earliest date it may be screened on
}

func fuzzHouseholds(f *testing.F) []fuzzHousehold {
	var out []fuzzHousehold
	early := civil.MustDate(2025, 6, 1)
	for i, js := range []string{
		`{"members":[{"relation":"self"}]}`,
		`{"situation":"divorced","applicant_role":"parent","receiving":[],"extra":{"flag":true,"months":8,"kind":"修学資金","amount":120000},"members":[
		  {"id":"p","relation":"self","birth_date":"1990-01-01","sex":"female","lives_with":true,"resides_in_japan":true,"disability":{"kind":"none"},
		   "incomes":[{"year":2024,"salary_revenue":2100000,"pension_revenue":0,"business_income":0,"other_income":0,"child_support_received":0,"deductions":{"single_parent":true}}]},
		  {"id":"c1","relation":"child","birth_date":"2008-04-01","supported":true,"disability":{"kind":"intellectual","grade":"A"},"incomes":[]},
		  {"id":"c2","relation":"child","birth_date":"2008-04-01","incomes":[]},
		  {"id":"g","relation":"parent","birth_date":"1950-02-28","lives_with":true,"incomes":[{"year":2024,"pension_revenue":1900000,"salary_revenue":0,"business_income":0,"other_income":0}]}]}`,
		`{"situation":"bereaved","extra":{"flag":"yes","months":true},"members":[{"relation":"self","incomes":null},{"relation":"child","disability":{"kind":"physical"}},{"relation":"spouse","birth_date":"1985-05-05","same_livelihood":false}]}`,
	} {
		h, err := eligibility.DecodeHousehold([]byte(js))
		if err != nil {
			f.Fatalf("household %d: %v", i, err)
		}
		out = append(out, fuzzHousehold{h, early})
	}
	gen, err := synth.Households(synth.Config{Seed: 5, AsOf: early, UnknownPercent: 20}, 12)
	if err != nil {
		f.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, h := range gen {
		if i%2 == 0 {
			forgetFacts(h, rng, 0.25)
		}
		out = append(out, fuzzHousehold{h, early})
	}
	return out
}

// exprGen generates well-typed rule expressions.
type exprGen struct {
	r      *rand.Rand
	vars   []string // member variables in scope
	nvar   int
	values map[string][]string // named values by type
}

func (g *exprGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *exprGen) n(k int) int              { return g.r.IntN(k) }

func (g *exprGen) pack(src string) string {
	g.values = map[string][]string{}
	var b strings.Builder
	b.WriteString(`pack: {id: fuzz, version: "1", title: ファズ, library: 2, jurisdiction: {level: national, code: JP}}
parameters:
  step: {title: 加算, type: yen, values: [{from: 2020-01-01, value: 380000, source: "https://example.org/s"}]}
  limits: {title: 限度額, type: yen_list, values: [{from: 2020-01-01, value: [690000, 1070000, 1450000], source: "https://example.org/l"}]}
  rate: {title: 率, type: decimal, values: [{from: 2020-01-01, until: 2025-12-31, value: "0.0256619", source: "https://example.org/r"}, {from: 2026-01-01, value: "0.0264029", source: "https://example.org/r2"}]}
  rates: {title: 率の表, type: decimal_list, values: [{from: 2020-01-01, value: ["0.1", "0.25"], source: "https://example.org/rs"}]}
  since: {title: 日付, type: date, values: [{from: 2020-01-01, value: 2024-11-01, source: "https://example.org/d"}]}
  on: {title: 真偽, type: bool, values: [{from: 2020-01-01, value: true, source: "https://example.org/b"}]}
  word: {title: 語, type: text, values: [{from: 2020-01-01, value: "修学資金", source: "https://example.org/w"}]}
  late: {title: 後から, type: yen, values: [{from: 2026-01-01, value: 5, source: "https://example.org/x"}]}
  carried: {title: 繰越, type: yen, carry_forward: true, values: [{from: 2020-01-01, until: 2025-12-31, value: 7, source: "https://example.org/c"}]}
facts:
  flag: {label: フラグ, type: bool}
  months: {label: 月数, type: int}
  kind: {label: 種類, type: text}
  amount: {label: 金額, type: yen}
programs:
  - id: p
    name: ファズ
    category: 手当
    sources: [{title: t}]
    effective: {from: 2020-01-01}
    values:
`)
	for i := range 3 + g.n(3) {
		name := fmt.Sprintf("v%d", i)
		var expr, typ string
		switch g.n(5) {
		case 0:
			expr, typ = g.boolE(3), "bool"
		case 1:
			expr, typ = g.membersE(3), "members"
		case 2:
			expr, typ = g.dateE(2), "date"
		default:
			expr, typ = g.intE(3), "int"
		}
		fmt.Fprintf(&b, "      - name: %s\n        expr: |\n          %s\n", name, expr)
		g.values[typ] = append(g.values[typ], name)
	}
	b.WriteString("    conditions:\n")
	for range 1 + g.n(3) {
		fmt.Fprintf(&b, "      - reason: 要件\n        expr: |\n          %s\n", g.boolE(4))
	}
	if src != "" {
		fmt.Fprintf(&b, "      - reason: 入力\n        expr: |\n          %s\n", src)
	}
	fmt.Fprintf(&b, "    amount:\n      per: month\n      expr: |\n        %s\n", g.intE(4))
	// A programme that refers to the first: its outcome, amount and values.
	b.WriteString("  - id: q\n    name: 参照\n    category: 手当\n    sources: [{title: t}]\n    effective: {from: 2020-01-01}\n    conditions:\n")
	refs := []string{"program('p').eligible", "!program('p').eligible", "program('p').status == 'ineligible'",
		"program('p').amount > " + g.intE(1), "program('p').per == 'month'"}
	for typ, names := range g.values {
		for _, n := range names {
			switch typ {
			case "bool":
				refs = append(refs, "program('p').values."+n)
			case "int":
				refs = append(refs, fmt.Sprintf("program('p').values.%s >= %s", n, g.intE(1)))
			case "members":
				refs = append(refs, fmt.Sprintf("size(program('p').values.%s) > 0", n))
			}
		}
	}
	for range 1 + g.n(2) {
		fmt.Fprintf(&b, "      - reason: 参照\n        expr: |\n          %s\n", refs[g.n(len(refs))])
	}
	fmt.Fprintf(&b, "    amount:\n      per: month\n      expr: |\n        program('p').amount + %s\n", g.intE(1))
	return b.String()
}

func (g *exprGen) value(typ string) (string, bool) {
	vs := g.values[typ]
	if len(vs) == 0 || g.n(3) != 0 {
		return "", false
	}
	return vs[g.n(len(vs))], true
}

func (g *exprGen) memberE(d int) string {
	if len(g.vars) > 0 && g.n(3) != 0 {
		return g.vars[g.n(len(g.vars))]
	}
	if d <= 0 {
		return "household.applicant()"
	}
	switch g.n(4) {
	case 0:
		return "household.applicant()"
	case 1:
		return fmt.Sprintf("%s[%d]", g.membersE(d-1), g.n(3))
	case 2:
		return fmt.Sprintf("household.members[%s]", g.intE(d-1))
	}
	return "household.applicant()"
}

func (g *exprGen) membersE(d int) string {
	if v, ok := g.value("members"); ok {
		return v
	}
	if d <= 0 {
		return g.pick("household.members", "household.children()")
	}
	switch g.n(5) {
	case 0, 1:
		return g.comprehension(d, "filter", g.membersE(d-1))
	case 2:
		return fmt.Sprintf("(%s ? %s : %s)", g.boolE(d-1), g.membersE(d-1), g.membersE(d-1))
	}
	return g.pick("household.members", "household.children()")
}

// comprehension is list.<macro>(v, body) with v in scope of the body.
func (g *exprGen) comprehension(d int, macro, list string) string {
	g.nvar++
	v := fmt.Sprintf("m%d", g.nvar)
	g.vars = append(g.vars, v)
	var body string
	if macro == "map" {
		body = g.intE(d - 1)
	} else {
		body = g.boolE(d - 1)
	}
	g.vars = g.vars[:len(g.vars)-1]
	return fmt.Sprintf("%s.%s(%s, %s)", list, macro, v, body)
}

func (g *exprGen) boolE(d int) string {
	if v, ok := g.value("bool"); ok {
		return v
	}
	if d <= 0 {
		m := g.memberE(0)
		return g.pick("true", "false", "household.de_facto_partner", "params.on", "(household.extra.flag == true)",
			m+".lives_with", m+".resides_in_japan", m+".supported", "has("+m+".same_livelihood)", "has(household.situation)",
			"'child-allowance' in household.receiving", "has(household.extra.kind)", m+".disability.allowance_level")
	}
	m := g.memberE(d - 1)
	switch g.n(20) {
	case 0:
		return fmt.Sprintf("(%s %s %s)", g.intE(d-1), g.pick("<", "<=", ">", ">=", "==", "!="), g.intE(d-1))
	case 1:
		return fmt.Sprintf("(%s %s %s)", g.dateE(d-1), g.pick("<", "<=", ">", ">=", "==", "!="), g.dateE(d-1))
	case 2:
		return fmt.Sprintf("(%s %s %s)", g.decE(d-1), g.pick("<", "<=", ">", ">=", "=="), g.decE(d-1))
	case 3:
		return fmt.Sprintf("(%s %s %s)", g.strE(d-1), g.pick("==", "!="), g.strE(d-1))
	case 4:
		return g.pick("household.situation in ['divorced', 'bereaved']", m+".relation in ['child', 'spouse']",
			m+".disability.kind == 'physical'", "household.extra.kind in ['修学資金', '住宅資金']", "household.applicant_role == 'caretaker'")
	case 5:
		return "!(" + g.boolE(d-1) + ")"
	case 6:
		return fmt.Sprintf("(%s %s %s)", g.boolE(d-1), g.pick("&&", "||"), g.boolE(d-1))
	case 7:
		return fmt.Sprintf("(%s ? %s : %s)", g.boolE(d-1), g.boolE(d-1), g.boolE(d-1))
	case 8, 9:
		return g.comprehension(d, g.pick("exists", "all", "exists_one"), g.membersE(d-1))
	case 10:
		return fmt.Sprintf("(%s in %s)", m, g.membersE(d-1))
	case 11:
		return fmt.Sprintf("has(%s.%s)", m, g.pick("birth_date", "disability", "incomes", "sex", "supported"))
	case 12:
		return fmt.Sprintf("(%s.disability.%s)", m, g.pick("kind == 'physical'", "grade in ['1', '2']", "allowance_level"))
	case 13:
		return fmt.Sprintf("resident_tax(%s, %s, %s, %s, %s, false, false, false, false).exempt", g.yearE(), g.intE(d-1), g.pick("0", "1", "2"),
			g.pick("params.limits[0]", "350000"), g.pick("100000", "0"))
	case 14:
		return fmt.Sprintf("single_parent_deduction(%s, %s, true, %s, %s.map(c, c.total_income(%s))).eligible", g.yearE(), g.intE(d-1), g.boolE(0), g.membersE(d-1), g.yearE())
	case 15:
		return fmt.Sprintf("cel.bind(x, %s, x > %d || %s)", g.intE(d-1), g.n(3), g.boolE(d-1))
	case 16:
		return fmt.Sprintf("(household.extra.%s)", g.pick("flag", "flag == false", "months > 3", "kind == params.word", "amount >= 100000"))
	case 17:
		return fmt.Sprintf("%s.startsWith('%s')", g.strE(d-1), g.pick("13", "div", ""))
	case 18:
		return fmt.Sprintf("widow_deduction(%s, %s, true, %s, %s, true, false, false).eligible", g.yearE(), g.intE(d-1), g.boolE(0), g.boolE(0))
	}
	return fmt.Sprintf("(%s ? true : %s)", g.boolE(d-1), g.boolE(d-1))
}

func (g *exprGen) yearE() string {
	return g.pick("2023", "2024", "2025", "income_year(as_of, 11)", "income_year(as_of, 6)", "as_of.year() - 1")
}

func (g *exprGen) intE(d int) string {
	if v, ok := g.value("int"); ok {
		return v
	}
	m := g.memberE(d - 1)
	if d <= 0 {
		return g.pick("0", "1", "2", "-3", "1000000", "9223372036854775807", "params.step", "household.grade_area",
			"size(household.members)", m+".age_on(as_of)", "household.count('child')", "household.extra.months", "params.late", "params.carried")
	}
	switch g.n(22) {
	case 0:
		return fmt.Sprintf("(%s %s %s)", g.intE(d-1), g.pick("+", "-", "*", "/", "%"), g.intE(d-1))
	case 1:
		return "-" + g.intE(d-1)
	case 2:
		return fmt.Sprintf("size(%s)", g.membersE(d-1))
	case 3:
		return fmt.Sprintf("%s.age_on(%s)", m, g.dateE(d-1))
	case 4:
		return fmt.Sprintf("household.count_aged('%s', %d, %d, %s)", g.pick("child", "parent", "self"), g.n(10), 10+g.n(20), g.dateE(d-1))
	case 5:
		return fmt.Sprintf("%s.total_income(%s)", m, g.yearE())
	case 6:
		return fmt.Sprintf("%s.income_measure(%s, '%s', %s)", m, g.yearE(), g.pick("child_rearing_allowance", "tokyo_child_upbringing", "tokyo_single_parent_medical"),
			g.pick("'parent'", "'liable_relative'", "household.applicant_role", "(household.applicant_role == 'caretaker' ? 'caretaker' : 'parent')"))
	case 7:
		return fmt.Sprintf("%s.dependents(%s, %s).%s", m, g.yearE(), g.membersE(d-1), g.pick("count", "elderly", "under16", "recipient_addition"))
	case 8:
		return fmt.Sprintf("%s.rank_among(%s)", m, g.membersE(d-1))
	case 9:
		return fmt.Sprintf("table_with_step(params.limits, params.step, %s)", g.intE(d-1))
	case 10:
		return fmt.Sprintf("round_yen(%s, %s, '%s')", g.decE(d-1), g.pick("1", "10", "100", "1000"), g.pick("half_up", "down", "up", "half_even", "floor", "ceil"))
	case 11:
		return fmt.Sprintf("%s(%s, %s)", g.pick("max", "min"), g.intE(d-1), g.intE(d-1))
	case 12:
		return g.comprehension(d, "map", g.membersE(d-1)) + ".sum()"
	case 13:
		return fmt.Sprintf("params.limits[%s]", g.intE(d-1))
	case 14:
		return fmt.Sprintf("%s.income(%s).%s", m, g.yearE(), g.pick("salary_revenue", "pension_revenue", "year", "deductions.medical"))
	case 15:
		return fmt.Sprintf("(%s ? %s : %s)", g.boolE(d-1), g.intE(d-1), g.intE(d-1))
	case 16:
		return fmt.Sprintf("%s.%s()", g.dateE(d-1), g.pick("year", "month", "day", "fiscal_year"))
	case 17:
		return fmt.Sprintf("(household.extra.months + %s)", g.intE(d-1))
	case 18:
		return fmt.Sprintf("%s.resident_levy(%s, %s).%s", m, g.yearE(), g.membersE(d-1), g.pick("municipal", "deductions", "taxable_base"))
	case 19:
		return fmt.Sprintf("[%s, %s].sum()", g.intE(d-1), g.intE(d-1))
	case 20:
		return fmt.Sprintf("%s.age_at_year_end(%s)", m, g.yearE())
	}
	return fmt.Sprintf("salary_income(%s, %s)", g.yearE(), g.intE(d-1))
}

func (g *exprGen) dateE(d int) string {
	if v, ok := g.value("date"); ok {
		return v
	}
	if d <= 0 {
		return g.pick("as_of", "params.since", "date('2024-02-29')", g.memberE(0)+".birth_date")
	}
	switch g.n(6) {
	case 0:
		return fmt.Sprintf("%s.add_days(%s)", g.dateE(d-1), g.intE(d-1))
	case 1:
		return fmt.Sprintf("%s.add_months(%d)", g.dateE(d-1), g.n(40)-20)
	case 2:
		return fmt.Sprintf("first_march31_after_age(%s, %s)", g.dateE(d-1), g.pick("18", "20", "22"))
	case 3:
		return fmt.Sprintf("date(%d, %d, %d)", 2020+g.n(8), 1+g.n(12), 1+g.n(31))
	case 4:
		return fmt.Sprintf("%s.end_of_fiscal_year()", g.dateE(d-1))
	}
	return fmt.Sprintf("reaches_age(%s, %d)", g.dateE(d-1), g.n(25))
}

func (g *exprGen) decE(d int) string {
	if d <= 0 {
		return g.pick("decimal(1)", "decimal('0.8')", "params.rate", "params.rates[1]", "decimal(household.extra.months)")
	}
	switch g.n(5) {
	case 0:
		return fmt.Sprintf("decimal(%s)", g.intE(d-1))
	case 1:
		return fmt.Sprintf("(%s %s %s)", g.decE(d-1), g.pick("+", "-", "*"), g.decE(d-1))
	case 2:
		return "-" + g.decE(d-1)
	case 3:
		return fmt.Sprintf("decimal(%s) * params.rate", g.intE(d-1))
	}
	return g.decE(0)
}

func (g *exprGen) strE(d int) string {
	m := g.memberE(d - 1)
	if d <= 0 {
		return g.pick("household.situation", m+".relation", m+".sex", "params.word", "household.extra.kind", m+".disability.grade", "household.id")
	}
	switch g.n(6) {
	case 0:
		return fmt.Sprintf("(%s + %s)", g.strE(d-1), g.strE(d-1))
	case 1:
		return fmt.Sprintf("string(%s)", g.pick(g.intE(d-1), g.dateE(d-1), g.decE(d-1)))
	case 2:
		return fmt.Sprintf("format_yen(%s)", g.intE(d-1))
	case 3:
		return "household.municipality_code"
	}
	return g.strE(0)
}
