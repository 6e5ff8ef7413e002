package eligibility

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// The rule library: the functions rules call (age_on, round_yen,
// income_measure …), as one cel.Lib. Every overload is one declaration
// (libOverload) that carries everything known about it: its CEL signature
// and parameter names, its Japanese documentation (docs/rules.md §6 is
// generated from it), the library version that introduced it, the facts it
// reads on its own (ProgramInfo.Facts, and the Missing it may add), its
// cost (one model for the compile-time estimate and the run-time charge,
// cost.go), and its implementation. The declarations live beside their
// implementations: lib_dates.go, lib_household.go, lib_money.go,
// lib_income.go, lib_school.go, lib_program.go.
//
// Adding a function is adding one declaration to one of those files, and
// regenerating the guide (UPDATE_DOCS=1 go test ./eligibility -run
// TestRulesGuideIsGenerated).

// LibraryVersion is the version of the rule library. A version adds
// functions and never changes one: a pack that states the version it was
// written for (pack: library: N) sees the functions of that version only,
// so a newer onestop never changes what its rules mean.
//
// Version 2 added program('id') (another programme's outcome) and the
// school-year functions (school_grade, elementary_entry_year).
const LibraryVersion = 2

// libOverload declares one overload of a library function.
type libOverload struct {
	fn     string // CEL function name: age_on
	id     string // stable overload id, "onestop_…"
	member bool   // called as target.fn(…); params[0] is the target
	params []param
	result *types.Type
	doc    string // Japanese, for rule authors
	since  uint32 // library version that introduced it
	// reads are the facts the function reads on its own, as fact paths
	// (members[].birth_date): a programme calling it reads them too.
	reads []string
	cost  callCost
	// nonStrict: the implementation receives unknown arguments (to add
	// what it would read for any value they may take; complete.go).
	nonStrict bool
	// operator: a declaration of an operator (date < date) for the
	// checker; not a function authors call by name, not documented.
	operator bool
	// impl is the cel-go binding. A compiler of checked expressions to Go
	// closures attaches its typed implementation per overload id here.
	impl cel.OverloadOpt
}

// param is a parameter of an overload: its name in the documentation and
// its CEL type.
type param struct {
	name string
	t    *types.Type
}

func p(name string, t *types.Type) param { return param{name, t} }

var (
	listOfMember = types.NewListType(memberType)
	intList      = types.NewListType(types.IntType)
)

// libraryDecls are every declaration of the library, in documentation
// order.
var libraryDecls = sync.OnceValue(func() []libOverload {
	var all []libOverload
	for _, part := range [][]libOverload{dateDecls(), schoolDecls(), householdDecls(), programDecls(), moneyDecls(), incomeDecls()} {
		all = append(all, part...)
	}
	return all
})

// overloadDecl returns the declaration of an overload id, or nil.
func overloadDecl(id string) *libOverload {
	return overloadIndex()[id]
}

var overloadIndex = sync.OnceValue(func() map[string]*libOverload {
	decls := libraryDecls()
	m := make(map[string]*libOverload, len(decls))
	for i := range decls {
		m[decls[i].id] = &decls[i]
	}
	return m
})

// functionSince returns the library version that introduced the function
// name (its first overload), or 0 for a name the library does not have.
func functionSince(name string) uint32 {
	var v uint32
	for _, d := range libraryDecls() {
		if d.fn == name && (v == 0 || d.since < v) {
			v = d.since
		}
	}
	return v
}

// library is the rule library at one version, as a cel.Lib.
type library struct {
	version uint32
}

// LibraryName implements cel.SingletonLibrary.
func (*library) LibraryName() string { return "onestop.eligibility" }

// LibraryVersion implements cel.LibraryVersioner.
func (l *library) LibraryVersion() uint32 { return l.version }

// CompileOptions implements cel.Library: the functions of the version, and
// the internal functions that make Missing complete (complete.go).
func (l *library) CompileOptions() []cel.EnvOption {
	var order []string
	byName := map[string][]cel.FunctionOpt{}
	for _, d := range libraryDecls() {
		if d.since > l.version {
			continue
		}
		if _, seen := byName[d.fn]; !seen {
			order = append(order, d.fn)
		}
		byName[d.fn] = append(byName[d.fn], d.overload())
	}
	opts := make([]cel.EnvOption, 0, len(order))
	for _, name := range order {
		opts = append(opts, cel.Function(name, byName[name]...))
	}
	return append(opts, missingDecls()...)
}

// ProgramOptions implements cel.Library.
func (*library) ProgramOptions() []cel.ProgramOption { return nil }

func (d *libOverload) overload() cel.FunctionOpt {
	args := make([]*types.Type, len(d.params))
	for i, p := range d.params {
		args[i] = p.t
	}
	var opts []cel.OverloadOpt
	if d.impl != nil {
		opts = append(opts, d.impl)
	}
	if d.nonStrict {
		opts = append(opts, cel.OverloadIsNonStrict())
	}
	if d.member {
		return cel.MemberOverload(d.id, args, d.result, opts...)
	}
	return cel.Overload(d.id, args, d.result, opts...)
}

// signature renders the overload for people: Member.age_on(Date on) -> int.
func (d *libOverload) signature() string {
	var b strings.Builder
	ps := d.params
	if d.member {
		b.WriteString(typeDocName(ps[0].t) + ".")
		ps = ps[1:]
	}
	b.WriteString(d.fn + "(")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(typeDocName(p.t))
		if p.name != "" {
			b.WriteString(" " + p.name)
		}
	}
	b.WriteString(") -> " + typeDocName(d.result))
	return b.String()
}

// typeDocName is a CEL type as the guide writes it: Date, list(Member).
func typeDocName(t *types.Type) string {
	if t.Kind() == types.ListKind {
		return "list(" + typeDocName(t.Parameters()[0]) + ")"
	}
	return strings.TrimPrefix(t.String(), "onestop.")
}

// Function describes one overload of the rule library, for documentation
// and for tools such as editors.
type Function struct {
	Name      string // age_on
	Signature string // age_on(Date birth, Date on) -> int
	Doc       string // Japanese description
	// Since is the library version that introduced it.
	Since uint32
	// Reads are the facts it reads on its own (members[].birth_date).
	Reads []string
}

// LibraryFunctions lists the functions available in rules, in the order of
// the guide.
func LibraryFunctions() []Function {
	var out []Function
	for _, d := range libraryDecls() {
		if d.operator {
			continue
		}
		out = append(out, Function{Name: d.fn, Signature: d.signature(), Doc: d.doc, Since: d.since, Reads: slices.Clone(d.reads)})
	}
	return out
}

// functionsMarkdown is the table of docs/rules.md §6.
func functionsMarkdown() string {
	var b strings.Builder
	b.WriteString("| 関数 | 説明 | 版 |\n|---|---|---|\n")
	for _, f := range LibraryFunctions() {
		fmt.Fprintf(&b, "| `%s` | %s | %d |\n", f.Signature, strings.ReplaceAll(f.Doc, "|", `\|`), f.Since)
	}
	return b.String()
}

// unary adapts a typed function to a CEL unary binding: an argument of
// another type is "no such overload" (or passes an unknown or error on).
func unary[A ref.Val](f func(A) ref.Val) cel.OverloadOpt {
	return cel.UnaryBinding(func(v ref.Val) ref.Val {
		a, ok := v.(A)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		return f(a)
	})
}

// binary adapts a typed function to a CEL binary binding.
func binary[A, B ref.Val](f func(A, B) ref.Val) cel.OverloadOpt {
	return cel.BinaryBinding(func(x, y ref.Val) ref.Val {
		a, ok1 := x.(A)
		b, ok2 := y.(B)
		if !ok1 {
			return types.MaybeNoSuchOverloadErr(x)
		}
		if !ok2 {
			return types.MaybeNoSuchOverloadErr(y)
		}
		return f(a, b)
	})
}

// arg reads argument i of a variadic call as an A; ok is false when any
// argument so far had another type.
func arg[A ref.Val](args []ref.Val, i int, ok *bool) A {
	a, good := args[i].(A)
	if !good {
		*ok = false
	}
	return a
}

// splitArgs returns the merged unknowns among the arguments of a
// non-strict function, and the first error (which wins, as in a strict
// call).
func splitArgs(args []ref.Val) (*types.Unknown, ref.Val) {
	var unk *types.Unknown
	for _, a := range args {
		switch v := a.(type) {
		case *types.Err:
			return nil, v
		case *types.Unknown:
			unk = types.MergeUnknowns(unk, v)
		}
	}
	return unk, nil
}
