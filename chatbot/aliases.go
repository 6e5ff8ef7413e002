package chatbot

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// ruleSource is where a rewrite rule comes from. When two sources rewrite
// the same word, the higher one wins: staff's own aliases over the shipped
// glossary, the glossary over generated readings, readings over general
// synonyms.
type ruleSource uint8

const (
	srcHomophone ruleSource = iota // a word read like one of the knowledge base's (an IME conversion error), added
	srcSynonym                     // SudachiDict synonyms, towards words the knowledge base uses
	srcReading                     // readings of the knowledge base's own words
	srcProgramme                   // programme names kept whole
	srcGlossary                    // the glossary shipped with the library
	srcKB                          // the knowledge base's aliases
	numSources
)

func (s ruleSource) String() string {
	return [...]string{"同音語", "同義語辞書", "読み", "制度名", "言い換え集", "FAQ の言い換え"}[s]
}

// aliasTable rewrites residents' words into the FAQ's words. Rules are found
// by their first rune, longest first, so rewriting is one pass over the
// text. The same table rewrites the FAQ's own text, so a rule only has to
// make two spellings agree, not pick the FAQ's one.
type aliasTable struct {
	byFirst map[rune][]aliasRule
	// byTwo indexes, for a first rune with many rules (readings and the
	// compound homophones put thousands under 児 or 医), its rules by their
	// second rune: the places in byFirst, longest first; a rule of one
	// rune is under second rune 0.
	byTwo map[uint64][]int32
	n     int             // rules that rewrite (identity rules not counted)
	bySrc [numSources]int // the same, by source
}

type aliasRule struct {
	from, to []byte
	// expand keeps the word and adds to after it (捨てたい → 捨てたい
	// 粗大ごみ): a need that points at a topic without meaning only it.
	expand bool
	// latin: from starts or ends with a Latin letter or digit, so it must
	// not be part of a longer Latin word (loan ≠ loans ≠ download).
	latinStart, latinEnd bool
	// query: the rule rewrites residents' questions only, never the FAQ's
	// text (a need: 自閉症 points at 特別児童扶養手当, but an entry that
	// mentions 自閉症 is not about the allowance).
	query bool
	// negatable: a negation in the words right after from (「離婚が成立
	// してなくても」) says the situation does not hold, and the rule does
	// not apply (a need whose words keep their meaning negated is not
	// negatable).
	negatable bool
	src       ruleSource
}

// aliasBuilder collects rules from every source; add keeps, for one word,
// the rule of the highest source.
type aliasBuilder struct {
	rules map[string]aliasRule
}

func newAliasBuilder() *aliasBuilder { return &aliasBuilder{rules: map[string]aliasRule{}} }

// add adds the rule from → to (both already normalised). An identity rule
// (from == to) keeps a word whole: a shorter rule starting at the same place
// can no longer cut a programme name apart.
func (b *aliasBuilder) add(from, to string, expand bool, src ruleSource) {
	if from == "" || to == "" || expand && from == to {
		return
	}
	if prev, ok := b.rules[from]; ok && prev.src >= src {
		return
	}
	b.rules[from] = aliasRule{from: []byte(from), to: []byte(to), expand: expand, src: src}
}

// addQuery adds the also rule from → to for residents' questions only
// (see aliasRule.query), as the glossary's source; negatable: see
// aliasRule.negatable.
func (b *aliasBuilder) addQuery(from, to string, negatable bool) {
	if from == "" || to == "" || from == to {
		return
	}
	if prev, ok := b.rules[from]; ok && prev.src >= srcGlossary {
		return
	}
	b.rules[from] = aliasRule{from: []byte(from), to: []byte(to), expand: true, query: true, negatable: negatable, src: srcGlossary}
}

// has reports whether a rule rewrites exactly this word.
func (b *aliasBuilder) has(from string) bool {
	_, ok := b.rules[from]
	return ok
}

func (b *aliasBuilder) build() aliasTable {
	t := aliasTable{byFirst: map[rune][]aliasRule{}}
	// A canonical word is kept whole: without this, 手続 → 手続き would
	// rewrite the 手続 of 手続き again (手続きき).
	rules := make(map[string]aliasRule, len(b.rules))
	for k, r := range b.rules {
		rules[k] = r
		if to := string(r.to); to != k && r.src > srcSynonym {
			// Each word of a canonical phrase is kept whole (a need's
			// programmes: 特別児童扶養手当 障害児福祉手当); the phrase
			// itself never stands in a text.
			for w := range strings.FieldsSeq(to) {
				if _, ok := b.rules[w]; !ok {
					if prev, ok := rules[w]; !ok || prev.src < r.src {
						rules[w] = aliasRule{from: []byte(w), to: []byte(w), src: r.src}
					}
				}
			}
		}
	}
	for _, r := range rules {
		first, _ := utf8.DecodeRune(r.from)
		last, _ := utf8.DecodeLastRune(r.from)
		r.latinStart, r.latinEnd = isLatinOrDigit(first), isLatinOrDigit(last)
		t.byFirst[first] = append(t.byFirst[first], r)
		if r.expand || !bytes.Equal(r.from, r.to) { // identity rules only keep words whole
			t.n++
			t.bySrc[r.src]++
		}
	}
	for c := range t.byFirst {
		rules := t.byFirst[c]
		sort.Slice(rules, func(i, j int) bool {
			if len(rules[i].from) != len(rules[j].from) {
				return len(rules[i].from) > len(rules[j].from)
			}
			return bytes.Compare(rules[i].from, rules[j].from) < 0
		})
	}
	for c, rs := range t.byFirst {
		if len(rs) <= twoRuneMin {
			continue
		}
		if t.byTwo == nil {
			t.byTwo = map[uint64][]int32{}
		}
		for i, r := range rs {
			_, n := utf8.DecodeRune(r.from)
			second, _ := utf8.DecodeRune(r.from[n:])
			if n == len(r.from) {
				second = 0
			}
			k := twoRunes(c, second)
			t.byTwo[k] = append(t.byTwo[k], int32(i))
		}
	}
	// The FAQ's text is rewritten with the same table, so a canonical word
	// must itself be in rewritten form (マル親 → ひとり親家庭等医療費助成 must
	// meet the document's ひとり親等医療費助成 when ひとり親家庭 → ひとり親).
	// Every rule's canonical word is rewritten with the table as it was
	// before any of them changed: rewriting in place, in the map's random
	// order, chained some rules and not others from one Compile to the next
	// (「しごとさがしたい」 read 求職 in one process and 求職 就職 in another).
	tos := map[rune][][]byte{}
	for c, rs := range t.byFirst {
		for _, r := range rs {
			tos[c] = append(tos[c], t.apply(nil, r.to))
		}
	}
	for c, rs := range t.byFirst {
		for i := range rs {
			rs[i].to = tos[c][i]
		}
	}
	return t
}

func isLatinOrDigit(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

// compileAliases builds a table from a knowledge base's alias list alone.
func compileAliases(as []Alias) aliasTable {
	b := newAliasBuilder()
	for _, a := range as {
		b.add(Normalize(a.From), Normalize(a.To), false, srcKB)
	}
	return b.build()
}

// apply appends s, a text of the knowledge base, to dst with every alias
// replaced by its canonical word (rules for questions only left out).
func (t *aliasTable) apply(dst, s []byte) []byte {
	dst, _ = t.rewrite(dst, nil, s, nil, false)
	return dst
}

// applyQuery is apply for a resident's question: every rule applies.
func (t *aliasTable) applyQuery(dst, s []byte) []byte {
	dst, _ = t.rewrite(dst, nil, s, nil, true)
	return dst
}

// twoRuneMin is the number of rules under one first rune above which
// match looks them up by their second rune too.
const twoRuneMin = 16

func twoRunes(a, b rune) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// match returns the rule that rewrites s at i (r is the rune there, of
// size bytes), or nil: the longest rule that s continues with.
func (t *aliasTable) match(s []byte, i int, r rune, size int, query bool) *aliasRule {
	rs := t.byFirst[r]
	if len(rs) <= twoRuneMin || t.byTwo == nil {
		for j := range rs {
			if rule := &rs[j]; t.matches(rule, s, i, query) {
				return rule
			}
		}
		return nil
	}
	// Every rule longer than one rune that can match starts with the two
	// runes at i; those are longer than the one-rune rule, so they go first.
	if i+size < len(s) {
		second, _ := utf8.DecodeRune(s[i+size:])
		for _, j := range t.byTwo[twoRunes(r, second)] {
			if rule := &rs[j]; t.matches(rule, s, i, query) {
				return rule
			}
		}
	}
	for _, j := range t.byTwo[twoRunes(r, 0)] {
		if rule := &rs[j]; t.matches(rule, s, i, query) {
			return rule
		}
	}
	return nil
}

// matches reports whether rule rewrites s at i.
func (t *aliasTable) matches(rule *aliasRule, s []byte, i int, query bool) bool {
	if rule.query && !query || !bytes.HasPrefix(s[i:], rule.from) {
		return false
	}
	if rule.latinStart && i > 0 && isLatinOrDigit(rune(s[i-1])) {
		return false
	}
	if end := i + len(rule.from); rule.latinEnd && end < len(s) && isLatinOrDigit(rune(s[end])) {
		return false
	}
	if !query {
		return true
	}
	// A resident's 「いって」 is not いつ (see sokuon); the FAQ's text is
	// left as it was indexed.
	rest := s[i+len(rule.from):]
	return !sokuon(rest, rule.from) && !(rule.negatable && negated(rest))
}

// negationWindow is how many runes after a need's words negated looks
// at: the verb ending that carries a negation (していない, してなくても,
// しておらず) is that short.
const negationWindow = 6

// negations end a verb to deny it (normalised: small kana folded, なかった
// → なかつた), or place it still ahead (前).
var negations = [][]byte{[]byte("ない"), []byte("なく"), []byte("なかつ"), []byte("ません"), []byte("せず"), []byte("おらず"), []byte("前"), []byte("まえ")}

// negated reports whether normalised text rest, what follows a need's
// words, denies them within its clause: the first negationWindow runes
// before a space (normalisation turns punctuation into one) hold a
// negation. 「離婚が成立してなくても」 does not say one is divorced;
// 「離婚が成立したのにお金がない」 does (the negation is past the window).
func negated(rest []byte) bool {
	end := 0
	for n := 0; end < len(rest) && n < negationWindow; n++ {
		r, size := utf8.DecodeRune(rest[end:])
		if r == ' ' {
			break
		}
		end += size
	}
	for _, w := range negations {
		if bytes.Contains(rest[:end], w) {
			return true
		}
	}
	return false
}

// Byte marks carried with rewritten text (see applyMarked).
const (
	markContent uint8 = 1 << iota // katakana as typed, or a word put in by a rule: not particles
	markAdded                     // added by an also rule: scores, but is not what the resident wrote
)

// applyMarked is applyQuery that also carries per-byte marks: ks are the
// marks of s (markContent for katakana); kdst gets them, markContent for
// every byte a rule put in, and markAdded for the words an also rule
// added, so that coverage counts only what the resident wrote.
func (t *aliasTable) applyMarked(dst []byte, kdst []uint8, s []byte, ks []uint8) ([]byte, []uint8) {
	return t.rewrite(dst, kdst, s, ks, true)
}

// rewrite is apply (query false) and applyQuery, with marks when ks is not
// nil.
func (t *aliasTable) rewrite(dst []byte, kdst []uint8, s []byte, ks []uint8, query bool) ([]byte, []uint8) {
	mark := ks != nil
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		if rule := t.match(s, i, r, size, query); rule != nil {
			added := uint8(0)
			if rule.expand {
				dst = append(dst, rule.from...)
				if mark {
					kdst = append(kdst, ks[i:i+len(rule.from)]...)
				}
				dst = append(dst, ' ')
				if mark {
					kdst = append(kdst, 0)
				}
				added = markAdded
			}
			dst = append(dst, rule.to...)
			if mark {
				for range rule.to {
					kdst = append(kdst, markContent|added)
				}
			}
			if rule.expand {
				dst = append(dst, ' ')
				if mark {
					kdst = append(kdst, 0)
				}
			}
			i += len(rule.from)
			continue
		}
		dst = append(dst, s[i:i+size]...)
		if mark {
			kdst = append(kdst, ks[i:i+size]...)
		}
		i += size
	}
	return dst, kdst
}
