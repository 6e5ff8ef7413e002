package chatbot

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run ../internal/gen/synonyms -o data

// synonymsTXT is SudachiDict's synonym dictionary compiled by
// internal/gen/synonyms (Apache License 2.0; see data/NOTICE.sudachi-synonyms).
//
//go:embed data/synonyms.txt
var synonymsTXT []byte

// synonymTable is the parsed synonym dictionary: words by id, each with its
// group and vocabulary number, and an index by the first two runes.
type synonymTable struct {
	phraseIndex
	group   []int32
	vocab   []uint16
	trigger []bool    // false: may be rewritten to, never rewrites
	members [][]int32 // by group: its word ids
	byText  map[string][]int32
}

var synonyms = sync.OnceValues(func() (*synonymTable, error) { return parseSynonyms(synonymsTXT) })

func parseSynonyms(data []byte) (*synonymTable, error) {
	t := &synonymTable{byText: map[string][]int32{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		g := int32(len(t.members))
		var ids []int32
		for _, f := range strings.Split(s, "\t") {
			i := strings.IndexAny(f, ":!")
			if i <= 0 {
				return nil, fmt.Errorf("synonyms.txt:%d: bad word %q", line, f)
			}
			n, err := strconv.ParseUint(f[:i], 10, 16)
			if err != nil {
				return nil, fmt.Errorf("synonyms.txt:%d: bad vocabulary number in %q", line, f)
			}
			w := f[i+1:]
			if utf8.RuneCountInString(w) < 2 {
				return nil, fmt.Errorf("synonyms.txt:%d: word %q too short", line, w)
			}
			id := int32(len(t.words))
			t.words = append(t.words, w)
			t.group = append(t.group, g)
			t.vocab = append(t.vocab, uint16(n))
			t.trigger = append(t.trigger, f[i] == ':')
			t.byText[w] = append(t.byText[w], id)
			ids = append(ids, id)
		}
		t.members = append(t.members, ids)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	t.index()
	return t, nil
}

// addSynonymRules bridges the words residents use to the words this
// knowledge base uses: a word of a synonym group that the knowledge base
// never uses is rewritten to the group's word it uses most (one of the same
// vocabulary — a spelling variant — first). Words the knowledge base uses
// are never rewritten, so two terms it keeps apart (申請 and 申告) stay apart.
// A word in several groups that point at different words is left alone
// (ローン: loan or lawn), and so are words that another source already
// rewrites. texts are the knowledge base's texts rewritten with the rules
// of the higher sources.
func addSynonymRules(b *aliasBuilder, t *synonymTable, texts [][]byte) {
	counts := make([]int32, len(t.words))
	for _, x := range texts {
		t.count(counts, x)
	}
	// Only words of groups the knowledge base uses can be bridged.
	var cands []string
	seen := map[string]bool{}
	for id, c := range counts {
		if c == 0 {
			continue
		}
		for _, o := range t.members[t.group[id]] {
			if w := t.words[o]; counts[o] == 0 && !seen[w] {
				seen[w] = true
				cands = append(cands, w)
			}
		}
	}
	sort.Strings(cands)
	for _, text := range cands {
		ids := t.byText[text]
		if b.has(text) || !safeSynonymSource(text) {
			continue // another rule has it, or it is too short to rewrite safely
		}
		target := ""
		for _, id := range ids {
			if !t.trigger[id] {
				continue
			}
			best, bestCount, bestSame := int32(-1), int32(0), false
			for _, o := range t.members[t.group[id]] {
				c := counts[o]
				if c == 0 || o == id || !safeSynonymSource(t.words[o]) {
					continue // a short kana word "occurs" inside others (はいく in はいくら)
				}
				same := t.vocab[o] == t.vocab[id]
				if !same && !crossVocabulary {
					continue
				}
				if best < 0 || same && !bestSame || same == bestSame && c > bestCount {
					best, bestCount, bestSame = o, c, same
				}
			}
			if best < 0 {
				continue
			}
			if target != "" && target != t.words[best] {
				target = "\x00" // two meanings in this knowledge base
				break
			}
			target = t.words[best]
		}
		if target != "" && target != "\x00" {
			b.add(text, target, false, srcSynonym)
		}
	}
}

// crossVocabulary lets a word be rewritten to a word of another vocabulary
// of its group (a near synonym: 不安 → おそれ) rather than only to another
// spelling, abbreviation or translation of the same word (病院 ↔ hospital,
// 子供 ↔ 子ども). Measured on the QA-only development knowledge base, near
// synonyms cost 1.4 points of top-1: they are too loose for matching.
const crossVocabulary = false

// safeSynonymSource keeps short hiragana words out of the rewrite table:
// rules match anywhere in a text, and a two- or three-kana word is part of
// too many others.
func safeSynonymSource(w string) bool {
	n, hira := 0, true
	for _, r := range w {
		n++
		if !isHira(r) {
			hira = false
		}
	}
	return !hira || n >= 4
}
