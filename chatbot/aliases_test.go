package chatbot

import (
	"testing"

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
