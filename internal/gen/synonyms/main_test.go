package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func vocab(n int) *int { return &n }

// TestCompile checks the filtering and the table format on a few groups
// shaped like the dictionary's (the real tarball is only read by go
// generate).
func TestCompile(t *testing.T) {
	groups := []group{
		{ID: "1", Items: []item{
			{VocabularyNumber: vocab(1), Headword: "医療費"},
			{VocabularyNumber: vocab(7), Headword: "医療代"},
			{VocabularyNumber: vocab(7), Headword: "イリョウダイ", ExpandControl: 1},
			{VocabularyNumber: vocab(8), Headword: "削除語", ExpandControl: 2},
			{VocabularyNumber: vocab(9), Headword: "字"},
		}},
		{ID: "2", Items: []item{ // proper names only
			{VocabularyNumber: vocab(1), Headword: "株式会社例", Domains: []string{"企業名"}},
			{VocabularyNumber: vocab(1), Headword: "例社", Domains: []string{"企業名"}},
		}},
		{ID: "3", Items: []item{ // one word left after normalising
			{VocabularyNumber: vocab(1), Headword: "ゴミ"},
			{VocabularyNumber: vocab(1), Headword: "ごみ"},
		}},
		{ID: "4", Items: []item{
			{VocabularyNumber: vocab(1), Headword: "ＤＶ", Domains: []string{"法律"}},
			{VocabularyNumber: vocab(1), Headword: "Domestic Violence"},
		}},
	}
	table, kept, words := compile(groups)
	lines := strings.Split(strings.TrimSpace(string(table)), "\n")
	var data []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "#") {
			data = append(data, l)
		}
	}
	assert.Equal(t, 2, kept)
	assert.Equal(t, 5, words)
	assert.Equal(t, []string{"1:医療費\t7:医療代\t7!いりようだい", "1:dv\t1:domestic violence"}, data)
}
