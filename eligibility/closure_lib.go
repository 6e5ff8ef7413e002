package eligibility

import (
	"sync"
	"time"

	"github.com/onestop-jp/onestop/civil"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// The typed forms of the rule library's overloads, by overload id: what
// the closures call instead of the cel-go bindings of lib_*.go, with the
// same results, the same unknown facts and the same run-time errors (as a
// bail). TestEveryLibraryOverloadIsCompiled checks that every declaration
// has one; a new function without one is evaluated through its cel-go
// binding on the closure path (boxed), which is correct but slower.

var libraryBuiltins = sync.OnceValue(func() map[string]builtin {
	m := map[string]builtin{}
	for _, part := range []map[string]builtin{dateBuiltins(), householdBuiltins(), moneyBuiltins(), incomeBuiltins(), schoolBuiltins(), programBuiltins()} {
		for id, b := range part {
			m[id] = b
		}
	}
	return m
})

// operatorOverloads are the library's operator declarations (date <
// date, decimal + decimal …): compiled by the operators themselves
// (closure_ops.go), not by overload id.
func isOperatorOverload(id string) bool {
	d := overloadDecl(id)
	return d != nil && d.operator
}

func args1[A any](a []cnode) fn[A] { return a[0].f.(fn[A]) }

func argAs[A any](c *ccomp, n cnode, k ckind) fn[A] {
	if n.t.k == kDyn {
		n = fromDyn(n, k)
	}
	if n.t.k != k {
		c.fail("引数の型 %v（%v を期待）", n.t.k, k)
	}
	return n.f.(fn[A])
}

func dateBuiltins() map[string]builtin {
	dateInt := func(f func(civil.Date) int64) builtin {
		return func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(on(argAs[civil.Date](c, a[0], kDate), func(_ *cenv, d civil.Date) (int64, unk) { return f(d), 0 }))
		}
	}
	return map[string]builtin{
		"onestop_date_string": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(on(argAs[string](c, a[0], kString), func(e *cenv, s string) (civil.Date, unk) {
				d, err := civil.Parse(s)
				if err != nil {
					e.fail()
				}
				return d, 0
			}))
		},
		"onestop_date_ymd": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(strict3(argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt), argAs[int64](c, a[2], kInt),
				func(e *cenv, y, m, d int64) (civil.Date, unk) {
					if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
						e.fail()
						return civil.Date{}, 0
					}
					r, err := civil.NewDate(int(y), time.Month(m), int(d))
					if err != nil {
						e.fail()
					}
					return r, 0
				}))
		},
		"onestop_date_year":        dateInt(func(d civil.Date) int64 { return int64(d.Year()) }),
		"onestop_date_month":       dateInt(func(d civil.Date) int64 { return int64(d.Month()) }),
		"onestop_date_day":         dateInt(func(d civil.Date) int64 { return int64(d.Day()) }),
		"onestop_date_fiscal_year": dateInt(func(d civil.Date) int64 { return int64(d.FiscalYear()) }),
		"onestop_date_end_of_fiscal_year": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(on(argAs[civil.Date](c, a[0], kDate), func(_ *cenv, d civil.Date) (civil.Date, unk) { return d.EndOfFiscalYear(), 0 }))
		},
		"onestop_date_add_days": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, d civil.Date, n int64) (civil.Date, unk) {
				if n > 3_000_000 || n < -3_000_000 {
					e.fail()
					return d, 0
				}
				r := d.AddDays(int(n))
				if r.Year() < 1 || r.Year() > 9999 {
					e.fail()
				}
				return r, 0
			}))
		},
		"onestop_date_add_months": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, d civil.Date, n int64) (civil.Date, unk) {
				if n > 100_000 || n < -100_000 {
					e.fail()
					return d, 0
				}
				r, ok := d.AddMonths(int(n))
				if !ok {
					e.fail()
				}
				return r, 0
			}))
		},
		"onestop_date_to_string": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return strNode(on(argAs[civil.Date](c, a[0], kDate), func(_ *cenv, d civil.Date) (string, unk) { return d.String(), 0 }))
		},
		"onestop_age_on": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[civil.Date](c, a[1], kDate), func(_ *cenv, b, on civil.Date) (int64, unk) {
				return int64(civil.StatutoryAge(b, on)), 0
			}))
		},
		"onestop_member_age_on": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[int](c, a[0], kMember), argAs[civil.Date](c, a[1], kDate), func(e *cenv, m int, on civil.Date) (int64, unk) {
				b := e.h.Members[m].BirthDate
				if b == nil {
					return 0, e.fact(memberFact(m, "birth_date"))
				}
				return int64(civil.StatutoryAge(*b, on)), 0
			}))
		},
		"onestop_reaches_age": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return dateNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, b civil.Date, n int64) (civil.Date, unk) {
				if n < 0 || n+int64(b.Year()) > 9998 {
					e.fail()
					return b, 0
				}
				return civil.ReachesAge(b, int(n)), 0
			}))
		},
		"onestop_first_march31_after_age": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			if a[1].cst != nil && a[1].t.k == kInt && a[0].t.k == kDate {
				// An age given as a literal (18): checked once, the date
				// computed without a second closure called.
				bf, n := a[0].f.(fn[civil.Date]), a[1].cst.i
				return dateNode(func(e *cenv) (civil.Date, unk) {
					b, u := bf(e)
					if u != 0 {
						return civil.Date{}, u
					}
					if n < 0 || n+int64(b.Year()) > 9997 {
						e.fail()
						return b, 0
					}
					return civil.FirstMarch31AfterAge(b, int(n)), 0
				})
			}
			return dateNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, b civil.Date, n int64) (civil.Date, unk) {
				if n < 0 || n+int64(b.Year()) > 9997 {
					e.fail()
					return b, 0
				}
				return civil.FirstMarch31AfterAge(b, int(n)), 0
			}))
		},
		"onestop_income_year": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), func(e *cenv, on civil.Date, sw int64) (int64, unk) {
				if sw < 1 || sw > 12 {
					e.fail()
					return 0, 0
				}
				return int64(IncomeYear(on, time.Month(sw))), 0
			}))
		},
		"onestop_income_year_back": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict3(argAs[civil.Date](c, a[0], kDate), argAs[int64](c, a[1], kInt), argAs[int64](c, a[2], kInt),
				func(e *cenv, on civil.Date, sw, back int64) (int64, unk) {
					if sw < 1 || sw > 12 || back < 0 || back > 100 {
						e.fail()
						return 0, 0
					}
					return int64(IncomeYearBack(on, time.Month(sw), int(back))), 0
				}))
		},
	}
}

func householdBuiltins() map[string]builtin {
	return map[string]builtin{
		"onestop_household_applicant": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return cnode{t: ctype{k: kMember}, f: on(args1[struct{}](a), func(e *cenv, _ struct{}) (int, unk) {
				if e.hh.self < 0 {
					e.fail()
					return 0, 0
				}
				return e.hh.self, 0
			})}
		},
		"onestop_household_children": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return cnode{t: ctype{k: kMembers}, f: on(args1[struct{}](a), func(e *cenv, _ struct{}) (uint64, unk) { return e.hh.children, 0 })}
		},
		"onestop_household_count": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(args1[struct{}](a), argAs[string](c, a[1], kString), func(e *cenv, _ struct{}, rel string) (int64, unk) {
				n := int64(0)
				for i := range e.h.Members {
					if string(e.h.Members[i].Relation) == rel {
						n++
					}
				}
				return n, 0
			}))
		},
		"onestop_household_count_aged": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			h, rel := args1[struct{}](a), argAs[string](c, a[1], kString)
			lo, hi, on := argAs[int64](c, a[2], kInt), argAs[int64](c, a[3], kInt), argAs[civil.Date](c, a[4], kDate)
			return intNode(func(e *cenv) (int64, unk) {
				// Non-strict (countAged): every argument is evaluated; with
				// one unknown, the birth dates it would read are added.
				_, hu := h(e)
				r, ru := rel(e)
				l, lu := lo(e)
				m, mu := hi(e)
				d, du := on(e)
				u := e.merge(e.merge(e.merge(hu, ru), e.merge(lu, mu)), du)
				if u != 0 {
					if hu != 0 {
						return 0, u
					}
					for i := range e.h.Members {
						mem := &e.h.Members[i]
						if (ru != 0 || string(mem.Relation) == r) && mem.BirthDate == nil {
							u = e.merge(u, e.fact(memberFact(i, "birth_date")))
						}
					}
					return 0, u
				}
				n := int64(0)
				for i := range e.h.Members {
					mem := &e.h.Members[i]
					if string(mem.Relation) != r {
						continue
					}
					if mem.BirthDate == nil {
						u = e.merge(u, e.fact(memberFact(i, "birth_date")))
						continue
					}
					if age := int64(civil.StatutoryAge(*mem.BirthDate, d)); age >= l && age <= m {
						n++
					}
				}
				if u != 0 {
					return 0, u
				}
				return n, 0
			})
		},
		"onestop_member_income": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return cnode{t: ctype{k: kIncome}, f: strict2(argAs[int](c, a[0], kMember), argAs[int64](c, a[1], kInt), func(e *cenv, m int, y int64) (incRef, unk) {
				return e.income(m, y)
			})}
		},
		"onestop_member_rank_among": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			mf, lf := argAs[int](c, a[0], kMember), argAs[uint64](c, a[1], kMembers)
			return intNode(func(e *cenv) (int64, unk) {
				// Non-strict (rankAmongBinding): with the list unknown, the
				// birth dates of the members it may hold are added.
				m, mu := mf(e)
				l, lu := lf(e)
				if mu != 0 {
					return 0, e.merge(mu, lu)
				}
				if lu != 0 {
					_, ru := e.rankAmong(m, e.ua.candidates(lu)|1<<uint(m))
					return 0, e.merge(lu, ru)
				}
				return e.rankAmong(m, l)
			})
		},
	}
}

// rankAmong is rankAmong on a member set.
func (e *cenv) rankAmong(m int, set uint64) (int64, unk) {
	var u unk
	in := false
	rank := int64(1)
	mb := e.h.Members[m].BirthDate
	for s := set; s != 0; s &= s - 1 {
		o := trailing(s)
		if o == m {
			in = true
			continue
		}
		ob := e.h.Members[o].BirthDate
		if ob == nil {
			u = e.merge(u, e.fact(memberFact(o, "birth_date")))
			continue
		}
		if mb == nil {
			continue
		}
		if c := ob.Compare(*mb); c < 0 || (c == 0 && o < m) {
			rank++
		}
	}
	if !in {
		return 0, 0
	}
	if mb == nil {
		u = e.merge(u, e.fact(memberFact(m, "birth_date")))
	}
	if u != 0 {
		return 0, u
	}
	return rank, 0
}

func moneyBuiltins() map[string]builtin {
	roundYen := func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return intNode(strict3(argAs[dec](c, a[0], kDec), argAs[int64](c, a[1], kInt), argAs[string](c, a[2], kString),
			func(e *cenv, v dec, unit int64, mode string) (int64, unk) {
				m, ok := parseRoundingMode(mode)
				if !ok {
					e.fail()
					return 0, 0
				}
				r, ok := v.roundYen(unit, m)
				if !ok {
					e.fail()
				}
				return r, 0
			}))
	}
	sum := func(c *ccomp, x celast.Expr, a []cnode) cnode {
		return intNode(on(argAs[[]int64](c, a[0], kIntList), func(e *cenv, l []int64) (int64, unk) {
			var t int64
			for _, v := range l {
				var ok bool
				if t, ok = addInt64(t, v); !ok {
					e.fail()
					return 0, 0
				}
			}
			return t, 0
		}))
	}
	return map[string]builtin{
		"onestop_decimal_string": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return cnode{t: ctype{k: kDec}, f: on(argAs[string](c, a[0], kString), func(e *cenv, s string) (dec, unk) {
				d, err := parseDecimal(s)
				if err != nil {
					e.fail()
					return dec{}, 0
				}
				v, ok := decFrom(d)
				if !ok {
					e.fail()
				}
				return v, 0
			})}
		},
		"onestop_decimal_int": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return cnode{t: ctype{k: kDec}, f: on(argAs[int64](c, a[0], kInt), func(_ *cenv, i int64) (dec, unk) { return dec{m: i}, 0 })}
		},
		"onestop_decimal_to_string": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return strNode(on(argAs[dec](c, a[0], kDec), func(_ *cenv, d dec) (string, unk) { return d.decimal().String(), 0 }))
		},
		"onestop_round_yen":         roundYen,
		"onestop_decimal_round_yen": roundYen,
		"onestop_max_int": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt), func(_ *cenv, p, q int64) (int64, unk) { return max(p, q), 0 }))
		},
		"onestop_min_int": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[int64](c, a[0], kInt), argAs[int64](c, a[1], kInt), func(_ *cenv, p, q int64) (int64, unk) { return min(p, q), 0 }))
		},
		"onestop_sum_list": sum,
		"onestop_list_sum": sum,
		"onestop_table_with_step": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict3(argAs[[]int64](c, a[0], kIntList), argAs[int64](c, a[1], kInt), argAs[int64](c, a[2], kInt),
				func(e *cenv, t []int64, step, n int64) (int64, unk) {
					size := int64(len(t))
					if size == 0 || n < 0 {
						e.fail()
						return 0, 0
					}
					if n < size {
						return t[n], 0
					}
					extra := n - size + 1
					if extra > 1_000_000 {
						e.fail()
						return 0, 0
					}
					p, ok1 := mulInt64(extra, step)
					r, ok2 := addInt64(t[size-1], p)
					if !ok1 || !ok2 {
						e.fail()
					}
					return r, 0
				}))
		},
		"onestop_format_yen": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return strNode(on(argAs[int64](c, a[0], kInt), func(_ *cenv, v int64) (string, unk) { return FormatYen(v), 0 }))
		},
	}
}

// income returns a member's income entry for a year, as
// memberVal.income: the entry, none at all (incomes: []), or unknown.
func (e *cenv) income(m int, year int64) (incRef, unk) {
	mem := &e.h.Members[m]
	if mem.Incomes != nil && len(mem.Incomes) == 0 {
		return incRef{m: m, inc: e.noIncome(year)}, 0
	}
	var found *Income
	for i := range mem.Incomes {
		if int64(mem.Incomes[i].Year) == year {
			found = &mem.Incomes[i]
		}
	}
	if found == nil {
		return incRef{}, e.fact(incomeYearFact(m, year))
	}
	return incRef{m: m, inc: found}, 0
}

// noIncome is the income entry of year of a member known to have had no
// income, shared (read only) by every member and screening of the
// environment.
func (e *cenv) noIncome(year int64) *Income {
	for _, in := range e.none {
		if int64(in.Year) == year {
			return in
		}
	}
	if len(e.none) >= 8 {
		e.none = e.none[:0]
	}
	in := noIncome(int(year))
	e.none = append(e.none, in)
	return in
}

// newRec returns a result record of the screening (reused from screening
// to screening: records never leave the closures).
func (e *cenv) newRec(decl *recordDecl, vals ...int64) *crec {
	r := e.rec(decl)
	r.v = [len(crec{}.v)]int64{}
	copy(r.v[:], vals)
	return r
}

// rec is a result record of the screening, its values left to be set.
func (e *cenv) rec(decl *recordDecl) *crec {
	if e.nrec == len(e.recs) {
		e.recs = append(e.recs, &crec{})
	}
	r := e.recs[e.nrec]
	e.nrec++
	r.decl = decl
	return r
}

func recordDeclOf(t *types.Type) *recordDecl {
	for i := range recordDecls {
		if recordDecls[i].t == t {
			return &recordDecls[i]
		}
	}
	return nil
}

func schoolBuiltins() map[string]builtin {
	// birthOK: beyond maxSchoolBirthYear the functions are run-time errors.
	grade := func(e *cenv, b, on civil.Date) (int64, unk) {
		if b.Year() > maxSchoolBirthYear {
			e.fail()
		}
		return int64(civil.SchoolGrade(b, on)), 0
	}
	entry := func(e *cenv, b civil.Date) (int64, unk) {
		if b.Year() > maxSchoolBirthYear {
			e.fail()
		}
		return int64(civil.ElementaryEntryYear(b)), 0
	}
	birth := func(e *cenv, m int) (civil.Date, unk) {
		if b := e.h.Members[m].BirthDate; b != nil {
			return *b, 0
		}
		return civil.Date{}, e.fact(memberFact(m, "birth_date"))
	}
	return map[string]builtin{
		"onestop_school_grade": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[civil.Date](c, a[0], kDate), argAs[civil.Date](c, a[1], kDate), grade))
		},
		"onestop_member_school_grade": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(strict2(argAs[int](c, a[0], kMember), argAs[civil.Date](c, a[1], kDate), func(e *cenv, m int, on civil.Date) (int64, unk) {
				b, u := birth(e, m)
				if u != 0 {
					return 0, u
				}
				return grade(e, b, on)
			}))
		},
		"onestop_elementary_entry_year": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(on(argAs[civil.Date](c, a[0], kDate), entry))
		},
		"onestop_member_elementary_entry_year": func(c *ccomp, x celast.Expr, a []cnode) cnode {
			return intNode(on(argAs[int](c, a[0], kMember), func(e *cenv, m int) (int64, unk) {
				b, u := birth(e, m)
				if u != 0 {
					return 0, u
				}
				return entry(e, b)
			}))
		},
	}
}

// programBuiltins: program('id') reads the outcome the screening recorded
// for the programme (programResults, shared with the interpreter).
func programBuiltins() map[string]builtin {
	return map[string]builtin{
		programOverload: func(c *ccomp, x celast.Expr, a []cnode) cnode {
			arg := x.AsCall().Args()[0]
			if arg.Kind() != celast.LiteralKind {
				c.fail("program() の制度ID")
			}
			id, ok := arg.AsLiteral().Value().(string)
			if !ok {
				c.fail("program() の制度ID")
			}
			return cnode{t: ctype{k: kDyn}, f: fn[ref.Val](func(e *cenv) (ref.Val, unk) {
				if e.results == nil {
					e.fail()
				}
				v := e.results.get(id)
				if types.IsError(v) {
					e.fail()
				}
				return v, 0
			})}
		},
	}
}
