package chatbot

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed data/moneyhelp.yaml
var moneyHelpYAML []byte

// moneyHelpFile is chatbot/data/moneyhelp.yaml: the words of the
// re-ranker's money-help inputs (rfAid, rfAidOnly, rfGroup).
type moneyHelpFile struct {
	// Entry: an entry's question names money help for a cost.
	Entry wordGroup `yaml:"entry"`
	// Query: besides Entry's words, a question asks for money help or
	// says a cost is hard to bear.
	Query wordGroup `yaml:"query"`
	// Group: a single-parent family.
	Group wordGroup `yaml:"group"`
	// Loan: a question about borrowing money; it gets neither aid nor
	// aidonly (round 26).
	Loan wordGroup `yaml:"loan"`
}

// wordGroup is a word list with texts it must find (Examples) and texts
// it must not (Not); the tests check both. A word found only inside one
// of Except (ただで inside ただでさえ) does not count.
type wordGroup struct {
	Words    []string `yaml:"words"`
	Except   []string `yaml:"except"`
	Examples []string `yaml:"examples"`
	Not      []string `yaml:"not"`
}

// MoneyHelpWords are the word lists of the money-help inputs, as written
// (not normalised). Development tools compute the same inputs from other
// lists (placebos) with MoneyHelpInputs.
type MoneyHelpWords struct {
	Entry, Query, Group []string
	// QueryExcept are longer words that hold a query word without asking
	// for money help (ただでさえ); Loan, a question's loan words, which
	// take aid and aidonly away.
	QueryExcept, Loan []string
}

// parseMoneyHelp reads a money-help word file, checking every list has
// words and only the query list has exceptions.
func parseMoneyHelp(data []byte) (*moneyHelpFile, error) {
	var f moneyHelpFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("chatbot: moneyhelp.yaml: %w", err)
	}
	for name, g := range map[string]wordGroup{"entry": f.Entry, "query": f.Query, "group": f.Group, "loan": f.Loan} {
		if len(g.Words) == 0 {
			return nil, fmt.Errorf("chatbot: moneyhelp.yaml: %s has no words", name)
		}
	}
	if len(f.Entry.Except)+len(f.Group.Except)+len(f.Loan.Except) > 0 {
		// Only the query list's exceptions are read.
		return nil, fmt.Errorf("chatbot: moneyhelp.yaml: except is for the query list only")
	}
	return &f, nil
}

// moneyHelpData is the embedded moneyhelp.yaml, parsed once.
var moneyHelpData = sync.OnceValue(func() *moneyHelpFile {
	f, err := parseMoneyHelp(moneyHelpYAML)
	if err != nil {
		// The embedded file is checked by the tests; this cannot happen
		// in a released build.
		panic(err)
	}
	return f
})

// DefaultMoneyHelpWords returns the embedded money-help word lists.
func DefaultMoneyHelpWords() MoneyHelpWords {
	f := moneyHelpData()
	return MoneyHelpWords{Entry: f.Entry.Words, Query: f.Query.Words, Group: f.Group.Words,
		QueryExcept: f.Query.Except, Loan: f.Loan.Words}
}

// moneyHelpTable is a MoneyHelpWords normalised for matching: the entry,
// group and loan words and the query words that sit inside no except word
// as firstRuneIndexes (a text is read once, not once per word), the query
// words that do with the places they sit.
type moneyHelpTable struct {
	entry, query, group, loan *firstRuneIndex
	// queryInside are the query words that sit inside an except word,
	// queryExcept[i] the places queryInside[i] sits.
	queryInside [][]byte
	queryExcept [][]wordInside
}

// wordInside is a longer word that holds a word at byte offset at.
type wordInside struct {
	outer []byte
	at    int
}

func newMoneyHelpTable(w MoneyHelpWords) *moneyHelpTable {
	norm := func(ws []string) [][]byte {
		out := make([][]byte, 0, len(ws))
		for _, x := range ws {
			if n := Normalize(x); n != "" {
				out = append(out, []byte(n))
			}
		}
		return out
	}
	t := &moneyHelpTable{entry: newFirstRuneIndex(norm(w.Entry)), group: newFirstRuneIndex(norm(w.Group)), loan: newFirstRuneIndex(norm(w.Loan))}
	except := norm(w.QueryExcept)
	var plain [][]byte
	for _, q := range norm(w.Query) {
		var inside []wordInside
		for _, e := range except {
			for at := 0; at+len(q) <= len(e); at++ {
				if bytes.HasPrefix(e[at:], q) {
					inside = append(inside, wordInside{e, at})
				}
			}
		}
		if len(inside) == 0 {
			plain = append(plain, q)
			continue
		}
		t.queryInside = append(t.queryInside, q)
		t.queryExcept = append(t.queryExcept, inside)
	}
	t.query = newFirstRuneIndex(plain)
	return t
}

// defaultMoneyHelp is the embedded lists' table, built once.
var defaultMoneyHelp = sync.OnceValue(func() *moneyHelpTable {
	return newMoneyHelpTable(DefaultMoneyHelpWords())
})

// holdsAnyOutside reports whether text holds one of words at a place
// that is not inside one of the word's except words (inside[i] for
// words[i]).
func holdsAnyOutside(text []byte, words [][]byte, inside [][]wordInside) bool {
	for i, w := range words {
		for off := 0; ; {
			j := bytes.Index(text[off:], w)
			if j < 0 {
				break
			}
			if !insideAny(text, off+j, inside[i]) {
				return true
			}
			off += j + 1
		}
	}
	return false
}

// insideAny reports whether the word at text[p:] is part of one of
// inside.
func insideAny(text []byte, p int, inside []wordInside) bool {
	for _, x := range inside {
		if s := p - x.at; s >= 0 && bytes.HasPrefix(text[s:], x.outer) {
			return true
		}
	}
	return false
}

// moneyBits is what the money-help inputs read of one text.
type moneyBits uint8

const (
	moneyEntry moneyBits = 1 << iota // names money help (entry words)
	moneyAsk                         // asks for it or says a cost is hard (entry or query words)
	moneyGroup                       // names a single-parent family
	moneyLoan                        // speaks of borrowing money (a question's loan guard)
)

// bits reads normalised text.
func (t *moneyHelpTable) bits(text []byte) moneyBits {
	var b moneyBits
	if t.entry.in(text) {
		b |= moneyEntry | moneyAsk
	} else if t.query.in(text) || holdsAnyOutside(text, t.queryInside, t.queryExcept) {
		b |= moneyAsk
	}
	if t.group.in(text) {
		b |= moneyGroup
	}
	if t.loan.in(text) {
		b |= moneyLoan
	}
	return b
}

// moneyInputs are the three inputs for a question's bits q and an entry
// question's bits e: aid (the question asks for money help, the entry
// names it), aidonly (the entry names money help, the question does not
// ask for it) and group (both name a single-parent family and the entry
// names money help: an entry for single parents that is no money help —
// 「父子家庭でも児童扶養手当を受けられますか」 — gets nothing). A question
// about borrowing money (loan words: 「敷金が払えなくて借りられるお金」)
// gets neither aid nor aidonly: a loan is a programme of its own, not a
// cost's money help (round 26's loan guard).
func moneyInputs(q, e moneyBits) (aid, aidOnly, group float64) {
	if e&moneyEntry == 0 {
		return 0, 0, 0
	}
	switch {
	case q&moneyLoan != 0:
	case q&moneyAsk != 0:
		aid = 1
	default:
		aidOnly = 1
	}
	if q&e&moneyGroup != 0 {
		group = 1
	}
	return aid, aidOnly, group
}

// MoneyHelpLists are word lists ready to compute the money-help inputs
// with; development tools build them from other lists (placebos).
type MoneyHelpLists struct{ t *moneyHelpTable }

// NewMoneyHelpLists prepares w (normalised as the matcher reads text).
func NewMoneyHelpLists(w MoneyHelpWords) *MoneyHelpLists {
	return &MoneyHelpLists{newMoneyHelpTable(w)}
}

// Inputs returns the money-help inputs (aid, aidonly, group) for query and
// an entry's question, both normalised here as the matcher reads them; the
// matcher computes the same with the embedded lists.
func (l *MoneyHelpLists) Inputs(query, entryQuestion string) (aid, aidOnly, group float64) {
	return moneyInputs(l.t.bits([]byte(Normalize(query))), l.t.bits([]byte(Normalize(entryQuestion))))
}
