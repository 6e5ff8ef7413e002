package chatbot

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A municipality's FAQ names its own and its prefecture's programmes
// (愛知県遺児手当, 青松市遺児手当, 母子・父子家庭医療費助成) beside the
// national ones the engine knows. Compile recognises them in the FAQ's own
// questions, answers and categories (faqProgrammes) and treats them as
// programme entities like the packs' (see Programme), so that a question
// naming one (「県の遺児手当」) is not answered directly with an entry
// about another (児童扶養手当, or the city's 遺児手当).
//
// A name found this way is local: it may be the FAQ's own word for a
// programme the engine knows under another name (this FAQ's
// 母子・父子家庭医療費助成 is the engine's ひとり親家庭等医療費助成). So a
// question that names only programmes the engine knows does not count an
// entry's local programmes against it (programmeSet.disjoint); a question
// that names a local programme does.

// programmeSuffixes end the names of programmes: a word ending so, with a
// specific part before it, is a programme's name (遺児手当, 自立支援教育訓練
// 給付金, 出産祝金). Longest first.
var programmeSuffixes = []string{"給付金", "奨励金", "支援金", "一時金", "補助金", "助成金", "祝い金", "祝金", "手当", "助成", "資金"}

// genericProgrammeHeads are the words before a suffix that name no
// programme of their own: 医療費助成, 福祉資金 and 各種手当 are kinds of
// programme, not one.
var genericProgrammeHeads = map[string]bool{
	"医療費": true, "医療": true, "費用": true, "各種": true, "福祉": true, "生活": true, "支援": true,
	"一部": true, "全部": true, "全額": true, "独自": true, "同": true, "本": true, "各": true, "他": true,
	"別": true, "当該": true, "上記": true, "下記": true, "前記": true, "公費": true, "国": true,
	"県": true, "市": true, "都": true, "府": true, "区": true, "町": true, "村": true, "諸": true,
	"扶養": true, "児童": true, "子ども": true, "こども": true, "家賃": true, "保育料": true,
	"利用料": true, "費": true, "後日": true, "直接": true, "購入": true, "手当": true, "事業": true, "制度": true, "医療費等": true, "一時": true, "臨時": true,
	"特別": true, "加算": true, "追加": true, "月額": true, "年額": true, "受給": true, "支給": true,
}

// nameHeads are hiragana words that begin programme names (ひとり親家庭等
// 医療費助成, 子ども医療費助成): a name found after one of them starts with it.
var nameHeads = []string{"ひとり親", "ひとり", "子ども", "こども", "子育て"}

// placeLevel returns the level word of a place that ends with it: 県 for
// 愛知県, 市 for 青松市; "" when place is no place name: two or three
// characters before 県, 市, 区, 町 or 村, or 北海道, 東京都, 大阪府, 京都府.
func placeLevel(place string) string {
	switch place {
	case "北海道", "東京都", "大阪府", "京都府":
		return place[len(place)-len("都"):]
	}
	r, size := utf8.DecodeLastRuneInString(place)
	n := utf8.RuneCountInString(place) - 1
	switch r {
	case '県', '市', '区', '町', '村':
		if n >= 2 && n <= 3 {
			return place[len(place)-size:]
		}
	}
	return ""
}

// nameRune reports whether r may be part of a programme's name: kanji,
// katakana and the dot between words (母子・父子).
func nameRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Katakana, r) || r == 'ー' || r == '・' || r == '々'
}

// faqName is a programme name found in a FAQ: the place in front (愛知県,
// or "" for none) and the rest (遺児手当).
type faqName struct {
	place, base string
}

// programmeNamesIn appends to dst the programme names in normalised text s:
// runs of kanji and katakana ending with a programme suffix, with a
// specific head (not 医療費助成 alone), known hiragana heads (ひとり親) kept.
func programmeNamesIn(dst []faqName, s string) []faqName {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !nameRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !nameRune(r) {
				break
			}
			j += size
		}
		start := i
		if strings.HasSuffix(s[:i], "及び") {
			// The end of a longer name (母子及び父子福祉資金).
			i = j
			continue
		}
		for _, h := range nameHeads {
			if strings.HasSuffix(s[:i], h) {
				start = i - len(h)
				break
			}
		}
		if n, ok := splitProgrammeName(strings.Trim(s[start:j], "・")); ok {
			dst = append(dst, n)
		}
		i = j
	}
	return dst
}

// splitProgrammeName reads run as a programme name: a place (optional),
// a specific head and a suffix.
func splitProgrammeName(run string) (faqName, bool) {
	suffix := ""
	for _, sf := range programmeSuffixes {
		if strings.HasSuffix(run, sf) {
			suffix = sf
			break
		}
	}
	if suffix == "" {
		return faqName{}, false
	}
	n := faqName{base: run}
	// The shortest place at the start that leaves a name: 愛知県 in
	// 愛知県遺児手当.
	for k := range run {
		if k == 0 {
			continue
		}
		if utf8.RuneCountInString(run[:k]) > 4 {
			break
		}
		if p := run[:k]; placeLevel(p) != "" && len(run)-k > len(suffix) {
			n.place, n.base = p, run[k:]
			break
		}
	}
	head := strings.TrimSuffix(n.base, suffix)
	if utf8.RuneCountInString(head) < 2 || genericProgrammeHeads[head] || genericProgrammeHeads[strings.TrimSuffix(head, "等")] {
		return faqName{}, false
	}
	return n, true
}

// faqProgrammes returns the programmes kb names that known does not
// (matched after rewriting with t), as local programmes: each name once,
// with the forms residents use for a place's programme (県の遺児手当,
// 市の遺児手当; 県の手当 when the FAQ has one 県 programme ending in 手当),
// and, when the FAQ names one programme for more than one place, the
// programme they share (遺児手当) as their family. parent maps a place's
// programme ID to its family's.
func faqProgrammes(kb *KnowledgeBase, known []Programme, t *aliasTable) (ps []Programme, parent map[string]string) {
	knownSet := compileProgrammes(known, t)
	// knownID returns the ID of the known programme s is (as a whole,
	// after rewriting), or "".
	knownID := func(s string) string {
		rw := t.apply(nil, []byte(Normalize(s)))
		for _, e := range knownSet.spans(nil, rw) {
			if e.start == 0 && int(e.end) == len(rw) {
				return knownSet.ids[e.idx]
			}
		}
		return ""
	}
	// Names in questions and categories; in answers only with a place
	// in front: an answer's lists name the parts of a programme
	// (修学資金, 転宅資金 of the 福祉資金), which are not programmes a
	// question could confuse.
	var found []faqName
	for i := range kb.Entries {
		e := &kb.Entries[i]
		found = programmeNamesIn(found, Normalize(e.Question))
		found = programmeNamesIn(found, Normalize(e.Category))
		for _, n := range programmeNamesIn(nil, Normalize(e.Answer)) {
			if n.place != "" {
				found = append(found, n)
			}
		}
	}
	seen := map[faqName]bool{}
	var names []faqName
	places := map[string][]string{}
	for _, n := range found {
		if seen[n] || knownID(n.place+n.base) != "" || wrapsKnown(knownSet, t, n.base) {
			continue
		}
		seen[n] = true
		names = append(names, n)
		if n.place != "" {
			places[n.base] = append(places[n.base], n.place)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if names[i].base != names[j].base {
			return names[i].base < names[j].base
		}
		return names[i].place < names[j].place
	})
	bare := map[string]bool{}
	byLevel := map[string]int{} // programmes by level and suffix, for 県の手当
	for _, n := range names {
		if n.place == "" {
			bare[n.base] = true
		} else {
			byLevel[placeLevel(n.place)+suffixOf(n.base)]++
		}
	}
	parent = map[string]string{}
	for _, n := range names {
		kid := knownID(n.base)
		if n.place == "" {
			if kid == "" {
				ps = append(ps, Programme{ID: faqProgrammeID(n.base), Name: n.base})
			}
			continue
		}
		// A known programme with a place in front (東京都児童育成手当) is
		// the known one, unless the FAQ names it for more than one place
		// (愛知県遺児手当 and 青松市遺児手当).
		if kid != "" && len(places[n.base]) < 2 {
			continue
		}
		level := placeLevel(n.place)
		stem := strings.TrimSuffix(n.place, level)
		aliases := []string{n.place + "の" + n.base, level + "の" + n.base, level + n.base}
		if utf8.RuneCountInString(stem) >= 2 {
			aliases = append(aliases, stem+"の"+n.base, stem+n.base)
		}
		if sf := suffixOf(n.base); byLevel[level+sf] == 1 {
			aliases = append(aliases, level+"の"+sf, level+"からの"+sf, n.place+"の"+sf)
		}
		id := faqProgrammeID(n.place + n.base)
		ps = append(ps, Programme{ID: id, Name: n.place + n.base, Aliases: aliases})
		switch {
		case kid != "":
			parent[id] = kid
		case len(places[n.base]) > 1 || bare[n.base]:
			parent[id] = faqProgrammeID(n.base)
		}
	}
	for base, pl := range places {
		if len(pl) > 1 && !bare[base] && knownID(base) == "" {
			ps = append(ps, Programme{ID: faqProgrammeID(base), Name: base})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	return ps, parent
}

// wrapsKnown reports whether name, rewritten, holds a known programme's
// name without being it: two names run together (就学援助・奨学給付金
// normalises to 就学援助奨学給付金) are no programme.
func wrapsKnown(s programmeSet, t *aliasTable, name string) bool {
	rw := t.apply(nil, []byte(Normalize(name)))
	for _, e := range s.spans(nil, rw) {
		if e.start != 0 || int(e.end) != len(rw) {
			return true
		}
	}
	return false
}

// suffixOf returns the programme suffix name ends with.
func suffixOf(name string) string {
	for _, sf := range programmeSuffixes {
		if strings.HasSuffix(name, sf) {
			return sf
		}
	}
	return ""
}

// faqProgrammeID is the ID of a programme found in the FAQ.
func faqProgrammeID(name string) string { return "faq:" + name }
