package eligibility

import (
	mbits "math/bits"

	"github.com/onestop-jp/onestop/civil"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// What every compiled kind can do whatever its Go type: be kept in a slot
// (named values, comprehension variables), be chosen by a conditional,
// and cross to and from the interpreter (boxed as a ref.Val, for the
// expressions cel-go evaluates on the closure path and for dyn values).
// kops is implemented once, generically, by kind[T].

type kops interface {
	// read returns the fn[T] of slot i of e.vals (named values, filled by
	// cp's fill on first use) or of e.loc.
	readValue(cp *cprogram, i int) any
	readLocal(slot int) any
	// store returns a function that evaluates f (an fn[T]) into an lval.
	store(f any) func(*cenv, *lval)
	// cond is @onestop_cond over fn[T] branches.
	cond(c fn[bool], t, f any) any
	// box converts a known value of the slot to a ref.Val; unbox the
	// other way (ok false: not a value of the kind).
	box(e *cenv, l *lval) ref.Val
	unbox(e *cenv, v ref.Val, l *lval) bool
	// constant is an fn[T] of a constant slot value.
	constant(l lval) any
	// readParam reads parameter i of the screening's date, noting its use.
	readParam(i int) any
	// before runs pre before f.
	before(pre func(*cenv), f any) any
	// markRoot and unmarkRoot carry an attribute root's unknown negated
	// through a chain with a computed index (closure_attr.go).
	markRoot(f any) any
	unmarkRoot(f any) any
	// fromDyn converts a dyn fn to an fn[T]: a value of another type is
	// cel-go's "no such overload" error.
	fromDyn(f fn[ref.Val]) any
	// toDyn boxes an fn[T].
	toDyn(f any) fn[ref.Val]
	// after runs pre, whose unknown (when it says so) is the result, then f.
	after(pre func(*cenv) (unk, bool), f any) any
	// guard is @onestop_fold: f, and when f is unknown, the probe's facts.
	guard(f any, probe func(*cenv) unk) any
}

type kind[T any] struct {
	get    func(*lval) T
	put    func(*lval, T)
	boxT   func(*cenv, T) ref.Val
	unboxT func(*cenv, ref.Val) (T, bool)
}

func (k kind[T]) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[T]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[T](func(e *cenv) (T, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return k.get(l), l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			k.put(l, v)
			l.u = u
			l.st = e.gen
			return k.get(l), u
		})
	}
	return fn[T](func(e *cenv) (T, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return k.get(l), l.u
	})
}

func (k kind[T]) readLocal(slot int) any {
	return fn[T](func(e *cenv) (T, unk) {
		l := &e.loc[slot]
		return k.get(l), l.u
	})
}

func (k kind[T]) store(f any) func(*cenv, *lval) {
	g := f.(fn[T])
	return func(e *cenv, l *lval) {
		v, u := g(e)
		k.put(l, v)
		l.u = u
	}
}

func (k kind[T]) cond(c fn[bool], t, f any) any {
	ft, ff := t.(fn[T]), f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		b, u := c(e)
		if u == 0 {
			if b {
				return ft(e)
			}
			return ff(e)
		}
		// Unknown condition: unknown because of it and of both branches
		// (completeCond).
		var zero T
		_, tu := ft(e)
		_, fu := ff(e)
		return zero, e.merge(e.merge(u, tu), fu)
	})
}

func (k kind[T]) box(e *cenv, l *lval) ref.Val {
	if l.u != 0 {
		return e.ua.toUnknown(l.u)
	}
	return k.boxT(e, k.get(l))
}

func (k kind[T]) unbox(e *cenv, v ref.Val, l *lval) bool {
	if u, ok := v.(*types.Unknown); ok {
		var zero T
		k.put(l, zero)
		l.u = e.ua.fromUnknown(u)
		return true
	}
	x, ok := k.unboxT(e, v)
	if !ok {
		return false
	}
	k.put(l, x)
	l.u = 0
	return true
}

func (k kind[T]) constant(l lval) any {
	v := k.get(&l)
	return fn[T](func(*cenv) (T, unk) { return v, 0 })
}

func (k kind[T]) readParam(i int) any {
	w, bit := i/64, uint64(1)<<(i%64)
	return fn[T](func(e *cenv) (T, unk) {
		l := &e.tp.vals[i]
		if !e.haveParam(l, w, bit) {
			// No value for the date: an error in the interpreter.
			e.fail()
			var z T
			return z, 0
		}
		return k.get(l), 0
	})
}

func (k kind[T]) before(pre func(*cenv), f any) any {
	g := f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		pre(e)
		return g(e)
	})
}

func (k kind[T]) markRoot(f any) any {
	g := f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		v, u := g(e)
		return v, -u
	})
}

func (k kind[T]) unmarkRoot(f any) any {
	g := f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		v, u := g(e)
		if u < 0 {
			u = -u
		}
		return v, u
	})
}

func (k kind[T]) fromDyn(f fn[ref.Val]) any {
	return fn[T](func(e *cenv) (T, unk) {
		v, u := f(e)
		var z T
		if u != 0 {
			return z, u
		}
		x, ok := k.unboxT(e, v)
		if !ok {
			e.fail()
			return z, 0
		}
		return x, 0
	})
}

func (k kind[T]) toDyn(f any) fn[ref.Val] {
	g := f.(fn[T])
	return func(e *cenv) (ref.Val, unk) {
		v, u := g(e)
		if u != 0 {
			return nil, u
		}
		return k.boxT(e, v), 0
	}
}

func (k kind[T]) after(pre func(*cenv) (unk, bool), f any) any {
	g := f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		if u, stop := pre(e); stop {
			var z T
			return z, u
		}
		return g(e)
	})
}

func (k kind[T]) guard(f any, probe func(*cenv) unk) any {
	g := f.(fn[T])
	return fn[T](func(e *cenv) (T, unk) {
		v, u := g(e)
		if u != 0 {
			u = e.merge(u, probe(e))
		}
		return v, u
	})
}

func guarded(k ckind, pre func(*cenv), f any) any { return opsOf(k).before(pre, f) }

func fromDyn(n cnode, k ckind) cnode {
	return cnode{t: ctype{k: k}, f: opsOf(k).fromDyn(n.f.(fn[ref.Val]))}
}

func toDyn(n cnode) fn[ref.Val] {
	if n.t.k == kDyn {
		return n.f.(fn[ref.Val])
	}
	return opsOf(n.t.k).toDyn(n.f)
}

func trailing(s uint64) int { return mbits.TrailingZeros64(s) }

// opsOf returns the kops of a kind.
func opsOf(k ckind) kops { return ckinds[k] }

var ckinds = specialised(map[ckind]kops{
	kBool: kind[bool]{
		get: func(l *lval) bool { return l.i != 0 }, put: func(l *lval, v bool) { l.i = b2i(v) },
		boxT: func(_ *cenv, v bool) ref.Val { return types.Bool(v) },
		unboxT: func(_ *cenv, v ref.Val) (bool, bool) {
			b, ok := v.(types.Bool)
			return bool(b), ok
		}},
	kInt: kind[int64]{
		get: func(l *lval) int64 { return l.i }, put: func(l *lval, v int64) { l.i = v },
		boxT: func(_ *cenv, v int64) ref.Val { return types.Int(v) },
		unboxT: func(_ *cenv, v ref.Val) (int64, bool) {
			i, ok := v.(types.Int)
			return int64(i), ok
		}},
	kString: kind[string]{
		get: func(l *lval) string { return l.s }, put: func(l *lval, v string) { l.s = v },
		boxT: func(_ *cenv, v string) ref.Val { return types.String(v) },
		unboxT: func(_ *cenv, v ref.Val) (string, bool) {
			s, ok := v.(types.String)
			return string(s), ok
		}},
	kDate: kind[civil.Date]{
		get: func(l *lval) civil.Date { return l.d }, put: func(l *lval, v civil.Date) { l.d = v },
		boxT: func(_ *cenv, v civil.Date) ref.Val { return dateVal{v} },
		unboxT: func(_ *cenv, v ref.Val) (civil.Date, bool) {
			d, ok := v.(dateVal)
			return d.d, ok
		}},
	kDec: kind[dec]{
		get: func(l *lval) dec { return l.x }, put: func(l *lval, v dec) { l.x = v },
		boxT: func(_ *cenv, v dec) ref.Val { return decimalVal{v.decimal()} },
		unboxT: func(_ *cenv, v ref.Val) (dec, bool) {
			d, ok := v.(decimalVal)
			if !ok {
				return dec{}, false
			}
			return decFrom(d.d)
		}},
	kMember: kind[int]{
		get: func(l *lval) int { return int(l.i) }, put: func(l *lval, v int) { l.i = int64(v) },
		boxT: func(e *cenv, v int) ref.Val { return e.interp().hh.members.Get(types.Int(v)) },
		unboxT: func(e *cenv, v ref.Val) (int, bool) {
			m, ok := v.(*memberVal)
			if !ok || m.hh != e.interp().hh {
				return 0, false
			}
			return m.idx, true
		}},
	kMembers: kind[uint64]{
		get: func(l *lval) uint64 { return uint64(l.i) }, put: func(l *lval, v uint64) { l.i = int64(v) },
		boxT: func(e *cenv, v uint64) ref.Val { return e.interp().hh.candidateList(v) },
		unboxT: func(e *cenv, v ref.Val) (uint64, bool) {
			l, ok := v.(traits.Lister)
			if !ok {
				return 0, false
			}
			// A bit set holds members in household order, each once.
			var set uint64
			last := -1
			it := l.Iterator()
			for it.HasNext() == types.True {
				m, ok := it.Next().(*memberVal)
				if !ok || m.hh != e.interp().hh || m.idx <= last {
					return 0, false
				}
				last = m.idx
				set |= 1 << uint(m.idx)
			}
			return set, true
		}},
	kIntList: kind[[]int64]{
		get: func(l *lval) []int64 { return l.il }, put: func(l *lval, v []int64) { l.il = v },
		boxT: func(_ *cenv, v []int64) ref.Val {
			vals := make([]ref.Val, len(v))
			for i, x := range v {
				vals[i] = types.Int(x)
			}
			return types.NewRefValList(types.DefaultTypeAdapter, vals)
		},
		unboxT: func(_ *cenv, v ref.Val) ([]int64, bool) {
			l, ok := v.(traits.Lister)
			if !ok {
				return nil, false
			}
			out := []int64{}
			it := l.Iterator()
			for it.HasNext() == types.True {
				x, ok := it.Next().(types.Int)
				if !ok {
					return nil, false
				}
				out = append(out, int64(x))
			}
			return out, true
		}},
	kStrList: kind[[]string]{
		get: func(l *lval) []string { return l.sl }, put: func(l *lval, v []string) { l.sl = v },
		boxT: func(_ *cenv, v []string) ref.Val { return types.NewStringList(types.DefaultTypeAdapter, v) },
		unboxT: func(_ *cenv, v ref.Val) ([]string, bool) {
			l, ok := v.(traits.Lister)
			if !ok {
				return nil, false
			}
			out := []string{}
			it := l.Iterator()
			for it.HasNext() == types.True {
				x, ok := it.Next().(types.String)
				if !ok {
					return nil, false
				}
				out = append(out, string(x))
			}
			return out, true
		}},
	kDecList: kind[[]dec]{
		get: func(l *lval) []dec { return l.dl }, put: func(l *lval, v []dec) { l.dl = v },
		boxT: func(_ *cenv, v []dec) ref.Val {
			vals := make([]ref.Val, len(v))
			for i, x := range v {
				vals[i] = decimalVal{x.decimal()}
			}
			return types.NewRefValList(types.DefaultTypeAdapter, vals)
		},
		unboxT: func(_ *cenv, v ref.Val) ([]dec, bool) {
			l, ok := v.(traits.Lister)
			if !ok {
				return nil, false
			}
			out := []dec{}
			it := l.Iterator()
			for it.HasNext() == types.True {
				x, ok := it.Next().(decimalVal)
				if !ok {
					return nil, false
				}
				d, ok := decFrom(x.d)
				if !ok {
					return nil, false
				}
				out = append(out, d)
			}
			return out, true
		}},
	kIncome: kind[incRef]{
		get: func(l *lval) incRef { return l.inc }, put: func(l *lval, v incRef) { l.inc = v },
		boxT: func(e *cenv, v incRef) ref.Val {
			mv := e.interp().hh.members.Get(types.Int(v.m)).(*memberVal)
			return mv.income(int64(v.inc.Year))
		},
		unboxT: func(e *cenv, v ref.Val) (incRef, bool) {
			i, ok := v.(*incomeVal)
			if !ok {
				return incRef{}, false
			}
			return incRef{m: i.member, inc: i.inc}, true
		}},
	kDisability: kind[disRef]{
		get: func(l *lval) disRef { return l.dis }, put: func(l *lval, v disRef) { l.dis = v },
		boxT: func(e *cenv, v disRef) ref.Val {
			return &disabilityVal{objectVal: objectVal{disabilityType}, d: v.d, member: v.m}
		},
		unboxT: func(e *cenv, v ref.Val) (disRef, bool) {
			d, ok := v.(*disabilityVal)
			if !ok {
				return disRef{}, false
			}
			return disRef{m: d.member, d: d.d}, true
		}},
	kDeductions: kind[*Deductions]{
		get: func(l *lval) *Deductions { return l.ded }, put: func(l *lval, v *Deductions) { l.ded = v },
		boxT: func(e *cenv, v *Deductions) ref.Val {
			return &deductionsVal{objectVal: objectVal{deductionsType}, d: v}
		},
		unboxT: func(e *cenv, v ref.Val) (*Deductions, bool) {
			d, ok := v.(*deductionsVal)
			if !ok {
				return nil, false
			}
			return d.d, true
		}},
	kRecord: kind[*crec]{
		get: func(l *lval) *crec { return l.rec }, put: func(l *lval, v *crec) { l.rec = v },
		boxT: func(e *cenv, v *crec) ref.Val {
			vals := make([]ref.Val, len(v.decl.fields))
			for i, t := range v.decl.ftypes {
				if t == types.BoolType {
					vals[i] = types.Bool(v.v[i] != 0)
				} else {
					vals[i] = types.Int(v.v[i])
				}
			}
			return &recordVal{decl: v.decl, vals: vals}
		},
		unboxT: func(e *cenv, v ref.Val) (*crec, bool) {
			r, ok := v.(*recordVal)
			if !ok || len(r.vals) > len(crec{}.v) {
				return nil, false
			}
			out := &crec{decl: r.decl}
			for i, x := range r.vals {
				switch t := x.(type) {
				case types.Int:
					out.v[i] = int64(t)
				case types.Bool:
					out.v[i] = b2i(bool(t))
				default:
					return nil, false
				}
			}
			return out, true
		}},
	kHousehold: kind[struct{}]{
		get: func(*lval) struct{} { return struct{}{} }, put: func(*lval, struct{}) {},
		boxT: func(e *cenv, _ struct{}) ref.Val { return e.interp().hh },
		unboxT: func(e *cenv, v ref.Val) (struct{}, bool) {
			_, ok := v.(*householdVal)
			return struct{}{}, ok
		}},
	kExtra: kind[struct{}]{
		get: func(*lval) struct{} { return struct{}{} }, put: func(*lval, struct{}) {},
		boxT: func(e *cenv, _ struct{}) ref.Val { return e.interp().hh.extra },
		unboxT: func(e *cenv, v ref.Val) (struct{}, bool) {
			_, ok := v.(*extraVal)
			return struct{}{}, ok
		}},
	kDyn: kind[ref.Val]{
		get: func(l *lval) ref.Val { return l.dyn }, put: func(l *lval, v ref.Val) { l.dyn = v },
		boxT: func(_ *cenv, v ref.Val) ref.Val { return v },
		unboxT: func(_ *cenv, v ref.Val) (ref.Val, bool) {
			if types.IsError(v) {
				return nil, false
			}
			return v, true
		}},
})

// Hand-specialised slots of the commonest kinds: a generic kind[T] reads
// and writes through function values; these do it inline.

type intKind struct{ kind[int64] }

func (intKind) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[int64]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[int64](func(e *cenv) (int64, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return l.i, l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			l.i, l.u = v, u
			l.st = e.gen
			return v, u
		})
	}
	return fn[int64](func(e *cenv) (int64, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return l.i, l.u
	})
}

func (intKind) readLocal(slot int) any {
	return fn[int64](func(e *cenv) (int64, unk) {
		l := &e.loc[slot]
		return l.i, l.u
	})
}

func (intKind) store(f any) func(*cenv, *lval) {
	g := f.(fn[int64])
	return func(e *cenv, l *lval) { l.i, l.u = g(e) }
}

func (intKind) readParam(i int) any {
	w, bit := i/64, uint64(1)<<(i%64)
	return fn[int64](func(e *cenv) (int64, unk) {
		l := &e.tp.vals[i]
		if !e.haveParam(l, w, bit) {
			e.fail()
		}
		return l.i, 0
	})
}

type boolKind struct{ kind[bool] }

func (boolKind) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[bool]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[bool](func(e *cenv) (bool, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return l.i != 0, l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			l.i, l.u = b2i(v), u
			l.st = e.gen
			return v, u
		})
	}
	return fn[bool](func(e *cenv) (bool, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return l.i != 0, l.u
	})
}

func (boolKind) readLocal(slot int) any {
	return fn[bool](func(e *cenv) (bool, unk) {
		l := &e.loc[slot]
		return l.i != 0, l.u
	})
}

func (boolKind) store(f any) func(*cenv, *lval) {
	g := f.(fn[bool])
	return func(e *cenv, l *lval) {
		v, u := g(e)
		l.i, l.u = b2i(v), u
	}
}

type memberKind struct{ kind[int] }

func (memberKind) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[int]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[int](func(e *cenv) (int, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return int(l.i), l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			l.i, l.u = int64(v), u
			l.st = e.gen
			return v, u
		})
	}
	return fn[int](func(e *cenv) (int, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return int(l.i), l.u
	})
}

func (memberKind) readLocal(slot int) any {
	return fn[int](func(e *cenv) (int, unk) {
		l := &e.loc[slot]
		return int(l.i), l.u
	})
}

func (memberKind) store(f any) func(*cenv, *lval) {
	g := f.(fn[int])
	return func(e *cenv, l *lval) {
		v, u := g(e)
		l.i, l.u = int64(v), u
	}
}

type membersKind struct{ kind[uint64] }

func (membersKind) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[uint64]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[uint64](func(e *cenv) (uint64, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return uint64(l.i), l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			l.i, l.u = int64(v), u
			l.st = e.gen
			return v, u
		})
	}
	return fn[uint64](func(e *cenv) (uint64, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return uint64(l.i), l.u
	})
}

func (membersKind) readLocal(slot int) any {
	return fn[uint64](func(e *cenv) (uint64, unk) {
		l := &e.loc[slot]
		return uint64(l.i), l.u
	})
}

func (membersKind) store(f any) func(*cenv, *lval) {
	g := f.(fn[uint64])
	return func(e *cenv, l *lval) {
		v, u := g(e)
		l.i, l.u = int64(v), u
	}
}

type recKind struct{ kind[*crec] }

func (recKind) readValue(cp *cprogram, i int) any {
	if g, ok := cp.values[i].f.(fn[*crec]); ok {
		// Filled in place on first read: fillValue and store fused.
		return fn[*crec](func(e *cenv) (*crec, unk) {
			l := &e.vals[i]
			switch l.st {
			case e.gen:
				return l.rec, l.u
			case e.gen + 1: // a value that refers to itself (fillValue)
				e.fail()
			}
			l.st = e.gen + 1
			v, u := g(e)
			l = &e.vals[i]
			l.rec, l.u = v, u
			l.st = e.gen
			return v, u
		})
	}
	return fn[*crec](func(e *cenv) (*crec, unk) {
		l := &e.vals[i]
		if l.st != e.gen {
			cp.fillValue(e, i)
		}
		return l.rec, l.u
	})
}

func (recKind) store(f any) func(*cenv, *lval) {
	g := f.(fn[*crec])
	return func(e *cenv, l *lval) { l.rec, l.u = g(e) }
}

// specialised replaces the generic kinds that have a specialised form.
func specialised(m map[ckind]kops) map[ckind]kops {
	m[kInt] = intKind{m[kInt].(kind[int64])}
	m[kBool] = boolKind{m[kBool].(kind[bool])}
	m[kMember] = memberKind{m[kMember].(kind[int])}
	m[kMembers] = membersKind{m[kMembers].(kind[uint64])}
	m[kRecord] = recKind{m[kRecord].(kind[*crec])}
	return m
}
