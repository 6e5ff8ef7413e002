package chatbot

import "slices"

// ambiguity is a compiled AmbiguousName: the programmes of each choice
// (indices in Matcher.programmes) and the words that decide it.
type ambiguity struct {
	choices [][]uint16
	when    []*firstRuneIndex
	all     []uint16 // every choice's programmes, each once
}

// ambiguities recognises the glossaries' ambiguous names in rewritten text.
type ambiguities struct {
	names programmeSet // by index: the ambiguous name
	by    []ambiguity  // by the names' index
}

// compileAmbiguities builds the recogniser for the glossaries' ambiguous
// names. Forms are rewritten like the text they are found in; decisive
// words are only normalised: they are looked for in the resident's own
// words (別れて, not the 離婚 it is rewritten to, which 「離婚はまだ」 also
// holds). A choice whose programmes the matcher does not know is
// dropped, and a name left with fewer than two choices is not recognised.
func (m *Matcher) compileAmbiguities(gs []*Glossary) ambiguities {
	var names []Programme
	var by []ambiguity
	for _, g := range gs {
		if g == nil {
			continue
		}
		for _, a := range g.Ambiguous {
			var am ambiguity
			for _, c := range a.Choices {
				var progs []uint16
				for _, p := range c.Programmes {
					progs = m.programmes.find(progs, m.aliases.apply(nil, []byte(Normalize(p))))
				}
				if len(progs) == 0 {
					continue
				}
				var when [][]byte
				for _, w := range c.When {
					if n := Normalize(w); n != "" {
						when = append(when, []byte(n))
					}
				}
				am.choices = append(am.choices, progs)
				am.when = append(am.when, newFirstRuneIndex(when))
				for _, p := range progs {
					if !slices.Contains(am.all, p) {
						am.all = append(am.all, p)
					}
				}
			}
			if len(am.choices) < 2 || len(a.From) == 0 {
				continue
			}
			names = append(names, Programme{ID: a.Name, Name: a.From[0], Aliases: a.From[1:]})
			by = append(by, am)
		}
	}
	s := compileProgrammes(names, &m.aliases)
	// compileProgrammes merges names whose forms coincide; keep one
	// ambiguity per recognised name.
	out := ambiguities{names: s}
	for _, id := range s.ids {
		for i, p := range names {
			if p.ID == id {
				out.by = append(out.by, by[i])
				break
			}
		}
	}
	return out
}

// resolve reads the ambiguous names of rewritten text (whose words before
// rewriting are normalized, and whose named programmes are qprog): a name decided by its details adds its choice's
// programmes to qprog; the programmes of the names nothing decides are
// appended to undecided. A name counts only when the question names none
// of its programmes itself (「子ども手当と母子手当」 names both) and is not
// negated.
func (a *ambiguities) resolve(text, normalized []byte, qprog, undecided []uint16, spans []entitySpan) ([]uint16, []uint16, []entitySpan) {
	if len(a.by) == 0 {
		return qprog, undecided, spans
	}
	spans = a.names.spans(spans[:0], text)
	n := len(qprog)
	for _, e := range spans {
		if e.negated {
			continue
		}
		am := &a.by[e.idx]
		named := false
		for _, p := range qprog[:n] {
			named = named || slices.Contains(am.all, p)
		}
		if named {
			continue
		}
		decided := -1
		for i, w := range am.when {
			if w.in(normalized) {
				if decided >= 0 {
					decided = -2
					break
				}
				decided = i
			}
		}
		if decided < 0 {
			for _, p := range am.all {
				if !slices.Contains(undecided, p) {
					undecided = append(undecided, p)
				}
			}
			continue
		}
		for _, p := range am.choices[decided] {
			if !slices.Contains(qprog, p) {
				qprog = append(qprog, p)
			}
		}
	}
	return qprog, undecided, spans
}

// someNotAll reports whether entry programmes e include some of
// programmes u but not all: an entry about 児童扶養手当 for a question
// whose 「子どもの手当」 may be 児童手当 or 児童扶養手当.
func someNotAll(u, e []uint16) bool {
	some, all := false, true
	for _, p := range u {
		if slices.Contains(e, p) {
			some = true
		} else {
			all = false
		}
	}
	return some && !all
}
