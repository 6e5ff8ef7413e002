package chatbot

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestAliasTable(t *testing.T) {
	b := newAliasBuilder()
	b.add("loan", "貸付", false, srcGlossary)
	b.add("手続", "手続き", false, srcGlossary)
	b.add("捨てたい", "粗大ごみ", true, srcGlossary)
	b.add("あいう", "甲", false, srcReading)
	b.add("あいう", "乙", false, srcKB) // a higher source wins
	b.add("あいう", "丙", false, srcSynonym)
	b.add("x", "x", true, srcGlossary) // an also rule to itself is dropped
	tab := b.build()
	apply := func(s string) string { return string(tab.apply(nil, []byte(Normalize(s)))) }
	assert.Equal(t, "貸付を組む", apply("loanを組む"))
	assert.Equal(t, "loans", apply("loans"), "a Latin word inside a longer one is left alone")
	assert.Equal(t, "download", apply("download"))
	assert.Equal(t, "貸付 貸付", apply("loan loan"))
	assert.Equal(t, "手続きを", apply("手続きを"), "a canonical word is kept whole")
	assert.Equal(t, "手続きを", apply("手続を"))
	assert.Equal(t, "冷蔵庫を捨てたい 粗大ごみ ", apply("冷蔵庫を捨てたい"))
	assert.Equal(t, "乙", apply("アイウ"))
	assert.Equal(t, "x", apply("x"))
	assert.Equal(t, 1, tab.bySrc[srcKB])
}

// TestAddedWordsMarked: the words an also rule adds are marked, so that
// coverage counts what the resident wrote.
func TestAddedWordsMarked(t *testing.T) {
	b := newAliasBuilder()
	b.add("捨てたい", "粗大ごみ", true, srcGlossary)
	tab := b.build()
	var n normalizer
	s := n.normalize(nil, "冷蔵庫を捨てたい")
	out, marks := tab.applyMarked(nil, nil, s, n.kata)
	var added, plain []string
	for _, sp := range appendTerms(nil, out, marks) {
		if sp.added {
			added = append(added, string(out[sp.start:sp.end]))
		} else {
			plain = append(plain, string(out[sp.start:sp.end]))
		}
	}
	assert.Equal(t, []string{"粗", "粗大", "大", "大ご", "ごみ"}, added)
	assert.Contains(t, plain, "冷蔵")
}

// TestAliasSecondRune: the second-rune index finds, at every place of every
// text, the same rule as scanning all the rules of the first rune longest
// first (with one-rune rules, Latin words and rules of a few runes mixed
// under one first rune).
func TestAliasSecondRune(t *testing.T) {
	def, err := Default()
	assert.NoError(t, err)
	m, err := Compile(def)
	assert.NoError(t, err)
	tab := &m.aliases
	b := newAliasBuilder()
	for _, rs := range tab.byFirst {
		for _, r := range rs {
			if r.query {
				b.addQuery(string(r.from), string(r.to), r.negatable)
				continue
			}
			b.add(string(r.from), string(r.to), r.expand, r.src)
		}
	}
	for _, w := range []string{"児", "児童", "児童ふよう", "a", "ab", "abc"} {
		b.add(w, "甲", false, srcKB)
	}
	tab2 := b.build()
	big := 0
	for _, rs := range tab2.byFirst {
		if len(rs) > twoRuneMin {
			big++
		}
	}
	assert.Positive(t, big, "first runes looked up by their second rune")
	scan := func(s []byte, i int, r rune) *aliasRule {
		for j := range tab2.byFirst[r] {
			if rule := &tab2.byFirst[r][j]; tab2.matches(rule, s, i, true) {
				return rule
			}
		}
		return nil
	}
	texts := []string{"児", "児童ふようてあて", "ab abc a", "児童扶養手当の申請", "abx"}
	for _, e := range def.Entries {
		texts = append(texts, e.Question, e.Answer)
		texts = append(texts, e.Phrasings...)
	}
	var nz normalizer
	for _, s := range texts {
		b := nz.normalize(nil, s)
		for i := 0; i < len(b); {
			r, size := utf8.DecodeRune(b[i:])
			assert.Same(t, scan(b, i, r), tab2.match(b, i, r, size, true), "%q at %d", b, i)
			i += size
		}
	}
}
