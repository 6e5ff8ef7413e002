package eligibility

import (
	"slices"
	"strings"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// Dependencies between programmes (program('id'), lib_program.go): found
// while analysing each expression, checked for cycles once every programme
// is compiled, and turned into the order Screen evaluates programmes in.

// programDeps is what the compiler learns about program() references.
type programDeps struct {
	ids  map[string]int    // programme id → index
	srcs []*Program        // by index
	cur  int               // the programme being compiled
	refs [][]programRef    // per programme: the programmes it refers to
	read []map[string]bool // per programme: its values other programmes read
}

func newProgramDeps(progs []layeredProgram) *programDeps {
	d := &programDeps{ids: map[string]int{}, refs: make([][]programRef, len(progs)), read: make([]map[string]bool, len(progs))}
	for i, lp := range progs {
		d.ids[lp.prog.ID] = i
		d.srcs = append(d.srcs, lp.prog)
	}
	return d
}

// programCallTarget returns the programme a program('id') call refers to,
// or -1 when e is not such a call (or refers to no programme).
func (c *compiler) programCallTarget(native *celast.AST, e celast.Expr) int {
	if e.Kind() != celast.CallKind || !slices.Contains(native.GetOverloadIDs(e.ID()), programOverload) {
		return -1
	}
	arg := e.AsCall().Args()[0]
	if arg.Kind() != celast.LiteralKind {
		return -1
	}
	s, ok := arg.AsLiteral().(types.String)
	if !ok {
		return -1
	}
	if i, ok := c.deps.ids[string(s)]; ok {
		return i
	}
	return -1
}

// analyseProgramRefs checks the program() calls of an expression and
// records the references: the id must be a literal naming a programme,
// .amount needs a programme with an amount, and .values must be followed
// by the name of one of its values.
func (c *compiler) analyseProgramRefs(ce *compiledExpr) {
	native := ce.ast.NativeRep()
	bad := func(id int64, code ProblemCode, format string, args ...any) {
		line, col := ce.nodePosition(id)
		c.ps.errorf(ce.src.File, line, col, code, ce.what+": "+format, args...)
	}
	keyed := map[int64]bool{} // .values selects followed by a name
	valueName := func(valuesSel celast.Expr, name string, at int64) {
		keyed[valuesSel.ID()] = true
		t := c.programCallTarget(native, valuesSel.AsSelect().Operand())
		if t < 0 {
			return
		}
		src := c.deps.srcs[t]
		var names []string
		for _, v := range src.Values {
			if v.Name == name {
				if c.deps.read[t] == nil {
					c.deps.read[t] = map[string]bool{}
				}
				c.deps.read[t][name] = true
				return
			}
			if v.Name != "" {
				names = append(names, v.Name)
			}
		}
		if s := closest(name, names); s != "" {
			bad(at, ProblemInvalid, "制度 %q に値 %q はありません（もしかして %q？）", src.ID, name, s)
			return
		}
		bad(at, ProblemInvalid, "制度 %q に値 %q はありません（値: %s）", src.ID, name, strings.Join(names, ", "))
	}
	isValuesSel := func(e celast.Expr) bool {
		return e.Kind() == celast.SelectKind && e.AsSelect().FieldName() == "values" && !e.AsSelect().IsTestOnly() &&
			native.GetType(e.AsSelect().Operand().ID()) == programResultType
	}
	celast.PreOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		switch e.Kind() {
		case celast.SelectKind:
			sel := e.AsSelect()
			if isValuesSel(sel.Operand()) {
				valueName(sel.Operand(), sel.FieldName(), e.ID())
				return
			}
			if sel.FieldName() == "values" && isValuesSel(e) {
				if !keyed[e.ID()] {
					bad(e.ID(), ProblemInvalid, "program(…).values は .values.値の名前 の形で、読む値を名前で書いてください")
				}
				return
			}
			if sel.FieldName() == "amount" || sel.FieldName() == "per" {
				if t := c.programCallTarget(native, sel.Operand()); t >= 0 && c.deps.srcs[t].Amount == nil {
					bad(e.ID(), ProblemInvalid, "制度 %q には金額（amount:）がありません", c.deps.srcs[t].ID)
				}
			}
		case celast.CallKind:
			call := e.AsCall()
			if call.FunctionName() == operators.Index && len(call.Args()) == 2 && isValuesSel(call.Args()[0]) {
				if k := call.Args()[1]; k.Kind() == celast.LiteralKind {
					if s, ok := k.AsLiteral().(types.String); ok {
						valueName(call.Args()[0], string(s), k.ID())
					}
				}
				return
			}
			if !slices.Contains(native.GetOverloadIDs(e.ID()), programOverload) {
				return
			}
			arg := call.Args()[0]
			s, ok := types.String(""), false
			if arg.Kind() == celast.LiteralKind {
				s, ok = arg.AsLiteral().(types.String)
			}
			if !ok {
				bad(arg.ID(), ProblemInvalid, "program() には制度IDを文字列でそのまま書いてください（例: program('child-rearing-allowance')）。どの制度を参照するかは、判定の前に決まっている必要があります")
				return
			}
			t, found := c.deps.ids[string(s)]
			if !found {
				ids := make([]string, 0, len(c.deps.ids))
				for id := range c.deps.ids {
					ids = append(ids, id)
				}
				if sug := closest(string(s), ids); sug != "" {
					bad(arg.ID(), ProblemInvalid, "制度ID %q はありません（もしかして %q？）", string(s), sug)
				} else {
					bad(arg.ID(), ProblemInvalid, "制度ID %q はありません", string(s))
				}
				return
			}
			line, col := ce.nodePosition(e.ID())
			c.deps.refs[c.deps.cur] = append(c.deps.refs[c.deps.cur], programRef{target: t, pos: Position{ce.src.File, line, col}})
		}
	}))
}

// orderPrograms checks the references for cycles, reporting each with its
// path, and returns the order to screen in: every programme after those it
// refers to, otherwise pack order.
func (c *compiler) orderPrograms() []int {
	n := len(c.deps.refs)
	const (
		white = iota
		grey
		black
	)
	colour := make([]uint8, n)
	order := make([]int, 0, n)
	var stack []int
	reported := map[string]bool{}
	var visit func(i int)
	visit = func(i int) {
		colour[i] = grey
		stack = append(stack, i)
		for _, r := range c.deps.refs[i] {
			switch colour[r.target] {
			case white:
				visit(r.target)
			case grey:
				c.reportCycle(stack, r, reported)
			}
		}
		stack = stack[:len(stack)-1]
		colour[i] = black
		order = append(order, i)
	}
	for i := range n {
		if colour[i] == white {
			visit(i)
		}
	}
	return order
}

// reportCycle reports the cycle closed by ref (from the top of stack back
// to ref.target) once, at the call that closes it.
func (c *compiler) reportCycle(stack []int, ref programRef, reported map[string]bool) {
	start := slices.Index(stack, ref.target)
	cycle := stack[start:]
	ids := make([]string, 0, len(cycle)+1)
	for _, i := range cycle {
		ids = append(ids, c.deps.srcs[i].ID)
	}
	key := slices.Clone(ids)
	slices.Sort(key)
	if reported[strings.Join(key, "\x00")] {
		return
	}
	reported[strings.Join(key, "\x00")] = true
	ids = append(ids, c.deps.srcs[ref.target].ID)
	if len(cycle) == 1 {
		c.ps.errorf(ref.pos.File, ref.pos.Line, ref.pos.Col, ProblemCycle, "制度 %q が program(%q) で自分自身の判定結果を参照しています", ids[0], ids[0])
		return
	}
	c.ps.errorf(ref.pos.File, ref.pos.Line, ref.pos.Col, ProblemCycle, "制度の参照が循環しています: %s（program() で互いの判定結果を参照し合うことはできません）", strings.Join(ids, " → "))
}

// linkPrograms records the references on the compiled programmes, in
// screening order: what each uses, which values others read from it, and
// the facts of the programmes it refers to, which it reads too (their
// Missing can become its Missing).
func (c *compiler) linkPrograms() {
	e := c.engine
	for _, i := range e.order {
		cp := e.programs[i]
		facts := slices.Clone(cp.facts)
		for _, r := range c.deps.refs[i] {
			if !slices.Contains(cp.uses, r.target) {
				cp.uses = append(cp.uses, r.target)
			}
			dep := e.programs[r.target]
			dep.referenced = true
			e.dependent = true
			facts = append(facts, dep.facts...)
		}
		slices.Sort(facts)
		cp.facts = slices.Compact(facts)
		for name := range c.deps.read[i] {
			cp.exports = append(cp.exports, cp.valueIndex[name])
		}
		slices.Sort(cp.exports)
	}
}
