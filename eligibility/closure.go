package eligibility

import (
	"context"

	"github.com/onestop-jp/onestop/civil"
	"github.com/onestop-jp/onestop/eligibility/income"

	"cel.dev/cel-go/common/types/ref"
)

// Screening on compiled closures.
//
// cel-go parses, type-checks, estimates the cost of, lints and explains
// every expression; the screening itself runs on typed Go closures
// compiled from each checked (and rewriteForMissing-rewritten) expression:
// func(*cenv) (int64, unk) for an int, (bool, unk) for a bool, a member
// list as a bit set of member indices, dates as civil.Date, decimals as
// checked fixed point (dec), named values as lazily filled typed slots,
// parameters resolved per date into typed slots (a value read in one place
// only, outside loops, is evaluated there without a slot: readOnce). Nothing is boxed into
// ref.Val on this path except local facts (household.extra, typed dyn),
// whose operators dispatch as cel-go's do.
//
// Unknown facts are tracked natively (closure_unknown.go) with CEL's rules
// and this package's Missing rules: && and || drop an unknown a false or a
// true decides; a strict call or operator merges the unknowns of its
// arguments; @onestop_cond keeps the condition's and both branches'; a
// filter keeps every unknown predicate and the members that may be in it;
// exists and all take the union unless decided; a comprehension over an
// unknown member list probes the candidates; bound (cel.bind) and
// memoised values replay theirs. An attribute chain behaves as cel-go's
// attributes do (an unknown root skips the rest; a computed index's
// unknown replaces the object's).
//
// The closure path evaluates exactly what the interpreter evaluates, in the
// same order (the same named values, the same parameters, hence the same
// warnings). What it does not handle exactly it does not guess: a run-time
// error (a division by zero, a parameter without a value), an overflow of
// a fixed-point decimal, a local fact of an unexpected type — anything
// that would make a cel-go value an error — stops the programme
// (cenv.fail), and the whole programme is screened again by the interpreter, which reports the error
// with its position. An expression the compiler does not cover (a
// function it has no typed form of, a map literal …) is evaluated by
// cel-go inside the closure path (Engine.InterpretedExpressions lists
// them and why), so a new pack never breaks. With WithExplanations the
// interpreter screens everything. The differential tests
// (closure_diff_test.go, FuzzClosures) hold the two paths to byte-identical
// outcomes.

// fn is a compiled expression of Go type T: its value and unknown state.
// A closure that cannot give cel-go's exact result calls e.fail.
type fn[T any] func(*cenv) (T, unk)

// ckind is the kind of a compiled value.
type ckind uint8

const (
	kBool       ckind = iota + 1 // bool
	kInt                         // int64
	kString                      // string
	kDate                        // civil.Date
	kDec                         // dec
	kMember                      // int: the member's index
	kMembers                     // uint64: a list of members in household order, as a bit set
	kIntList                     // []int64
	kStrList                     // []string
	kDecList                     // []dec
	kIncome                      // incRef
	kDisability                  // disRef
	kDeductions                  // *Deductions
	kRecord                      // *crec
	kHousehold                   // struct{}: the household
	kExtra                       // struct{}: household.extra
	kParams                      // struct{}: params (selected only)
	kDyn                         // ref.Val: a local fact's value
)

func (k ckind) String() string {
	names := [...]string{"?", "bool", "int", "string", "Date", "Decimal", "Member", "list(Member)", "list(int)",
		"list(string)", "list(Decimal)", "Income", "Disability", "Deductions", "record", "Household", "extra", "params", "dyn"}
	if int(k) < len(names) {
		return names[k]
	}
	return "?"
}

// ctype is a compiled value's type: its kind, and the record declaration
// of a kRecord.
type ctype struct {
	k   ckind
	rec *recordDecl
}

// cnode is a compiled expression: its type and its fn of the matching Go
// type (fn[bool] for kBool …).
type cnode struct {
	t ctype
	f any
	// cst is the value of a constant (a literal, a list of literals):
	// operators with a constant operand read it directly.
	cst *lval
	// local is 1 + the slot of a comprehension variable read as it is
	// (0 otherwise): a field of it reads the slot directly.
	local int
	// value is 1 + the index of a named value read as it is, filled in
	// place (0 otherwise): a field or the size of it reads the slot once
	// filled.
	value int
	// asOf says the node is as_of (a comparison reads the date in place).
	asOf bool
	// choice is a string chosen by a condition from two literals
	// (c ? 'a' : 'b'): a call can choose by the condition's value.
	choice *strChoice
	// relOf is 1 + the slot of a comprehension variable whose relation
	// this is (m.relation): a comparison with a constant reads it
	// directly.
	relOf int
}

// strChoice is a cnode's choice: cond ? t : f.
type strChoice struct {
	cond fn[bool]
	t, f string
}

// incRef is an Income seen from a rule: the member's index and the entry.
type incRef struct {
	m   int
	inc *Income
}

// disRef is a Disability: the member's index and the record.
type disRef struct {
	m int
	d *Disability
}

// crec is a result record (Dependents, ResidentTax …): its fields as int64
// (a bool field is 0 or 1).
type crec struct {
	decl *recordDecl
	v    [12]int64
}

// lval is a slot of any compiled type: a named value, a comprehension
// variable, a resolved parameter.
type lval struct {
	i   int64 // bool, int, member, member set
	x   dec
	d   civil.Date
	s   string
	il  []int64
	sl  []string
	dl  []dec
	inc incRef
	dis disRef
	ded *Deductions
	rec *crec
	dyn ref.Val
	u   unk
	// set: a lazily initialised comprehension accumulator has its value.
	set bool
	// st is a named value's state (cenv.gen), or a parameter's on a
	// date (typedParams: 0, slotValue or slotWarned).
	st uint32
}

// The states of a parameter's slot in typedParams (lval.st); 0 is no
// value on the date (an error in the interpreter when read).
const (
	// slotValue is a parameter with a value, read without note.
	slotValue = 1
	// slotWarned is a parameter with a value and a warning on the date
	// (carried forward …): the screening notes its use.
	slotWarned = 2
)

// noteUsed marks parameter w*64+bit as used by the screening (its
// warnings and, explained, its ParameterUse).
func (e *cenv) noteUsed(w int, bit uint64) {
	e.used[w] |= bit
	e.usedAny = true
}

// haveParam reports whether the parameter slot l has a value on the
// date, noting the use of a warned one (w, bit: its bit in used).
func (e *cenv) haveParam(l *lval, w int, bit uint64) bool {
	switch l.st {
	case slotValue:
		return true
	case slotWarned:
		e.noteUsed(w, bit)
		return true
	}
	return false
}

// cenv is one screening on the closure path: the household, the date,
// the parameters of the date, the current programme's named values and
// comprehension variables, and the unknown facts arena.
type cenv struct {
	eng  *Engine
	h    *Household
	asOf civil.Date
	tp   *typedParams
	hh   hhInfo
	// tpLast are the parameters of the last date screened (engine data,
	// kept across screenings by the pool).
	tpLast *typedParams

	prog *cprogram
	vals []lval
	// gen is the programme's stamp (even, from 2; start): value i is
	// evaluated when vals[i].st is gen, being evaluated when gen+1, not
	// evaluated otherwise.
	gen  uint32
	loc  []lval
	next []lval // per comprehension accumulator: the step's result (fold)
	used []uint64
	// usedAny says used has a bit set (start clears it only then).
	usedAny bool
	bail    bool
	// sized: vals … used have the engine's sizes (newEnv).
	sized bool

	ua   unkArena
	memo []cmemo
	// recs holds the screening's result records (dependents …), reused
	// from one screening to the next; rels is scratch for the relatives
	// of an income computation.
	recs    []*crec
	nrec    int
	rels    []income.Relative
	taxRels []income.TaxRelative
	idx     []int // scratch: a set's members (setIndices)
	// conds is runCompiled's scratch of the conditions reported; out
	// hands out the outcomes' parts (per screening).
	conds []ConditionResult
	out   outBlocks
	// iu is the unknown of the income computation running (reading).
	iu   unk
	none []*Income // the income of a member known to have had none, per year met (read only; kept across screenings)

	// results are the outcomes of the programmes others refer to
	// (program('id')), shared with the interpreter; condU and amountU are
	// the current programme's unknowns of its conditions and of its amount,
	// handedBack says the interpreter screened it.
	results *programResults
	// pend are the outcomes recorded on the closure path, boxed into
	// results only when read (boxResult); expv their exported values,
	// typed (compiledPrograms.expOff).
	pend []pendResult
	expv []lval
	// res is the pooled buffer of results of a screening of programmes
	// that refer to others (resultsBuffer).
	res            programResults
	condU, amountU unk
	handedBack     bool
	// ec is the interpreter's evaluation context, built on first use: for
	// an interpreted expression, or a programme handed back.
	ec     *evalCtx
	ctx    context.Context
	bridge bridge
}

// hhInfo is what the closures need of the household's shape, computed
// once per screening.
type hhInfo struct {
	n        int
	all      uint64 // every member
	children uint64
	self     int // -1 when there is none
	// rel is each member's relation as its relCode: a comparison of
	// m.relation with literals tests a bit instead of comparing strings.
	rel [MaxMembers]uint8
	// byRel are the members of each relation code (0: a relation without
	// one).
	byRel [len(relCodes) + 1]uint64
}

// relCodes are the relations with a code (relCode): a member's relation
// that is one of them has code index+1; any other string (a household
// built in Go is not validated) has code 0, and a comparison reads the
// string itself.
var relCodes = [...]Relation{RelationSelf, RelationChild, RelationSpouse, RelationParent, RelationSibling, RelationOther}

// relCode is the code of a relation: index+1 in relCodes, 0 for any other
// (by length first: each literal comparison is then a load or two).
func relCode(r Relation) uint8 {
	switch len(r) {
	case 4:
		if r == RelationSelf {
			return 1
		}
	case 5:
		if r == RelationChild {
			return 2
		}
		if r == RelationOther {
			return 6
		}
	case 6:
		if r == RelationSpouse {
			return 3
		}
		if r == RelationParent {
			return 4
		}
	case 7:
		if r == RelationSibling {
			return 5
		}
	}
	return 0
}

// relMask is the set of codes (bit c for code c) of the relations in l
// that have one; rest says l also holds a string without a code.
func relMask(l ...string) (mask uint8, rest bool) {
	for _, s := range l {
		if c := relCode(Relation(s)); c > 0 {
			mask |= 1 << c
		} else {
			rest = true
		}
	}
	return mask, rest
}

// bailout is the panic with which a closure that cannot give cel-go's
// exact result stops the programme; screenCompiled recovers it and hands
// the programme to the interpreter.
type bailout struct{}

func (e *cenv) fail() {
	e.bail = true
	panic(bailout{})
}

// merge merges two unknown states.
func (e *cenv) merge(x, y unk) unk {
	if x == 0 {
		return y
	}
	if y == 0 || x == y {
		return x
	}
	return e.ua.merge(x, y)
}

func (e *cenv) fact(p factPath) unk { return e.ua.fact(p) }

// newHHInfo sets info to the household's shape, and reports whether a
// member is born after asOf (Screen's check, checkAsOf, in the same walk
// over the members).
func newHHInfo(info *hhInfo, h *Household, asOf civil.Date) (late bool) {
	*info = hhInfo{n: len(h.Members), self: -1}
	for i := range h.Members {
		info.all |= 1 << uint(i)
		if b := h.Members[i].BirthDate; b != nil && b.After(asOf) {
			late = true
		}
		c := relCode(h.Members[i].Relation)
		if i < MaxMembers {
			info.rel[i] = c
		}
		info.byRel[c] |= 1 << uint(i)
		switch c {
		case 2: // child
			info.children |= 1 << uint(i)
		case 1: // self
			if info.self < 0 {
				info.self = i
			}
		}
	}
	return late
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
