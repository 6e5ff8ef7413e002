package chatbot

import (
	"bytes"
	_ "embed"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// aspect is what a question asks about a topic, whatever the topic: when,
// how much, where, who qualifies, how to apply, what to bring. Two entries
// about the same programme usually differ in their aspect (児童扶養手当の
// 支給日 / 金額 / 申請), so a question that names its aspect
// (「児童扶養手当はいつ振り込まれる」) should prefer the entry whose question
// asks the same.
type aspect uint32

const (
	aspectWhen aspect = 1 << iota
	aspectAmount
	aspectWhere
	aspectWho
	aspectApply
	aspectBring
	aspectIncome
	aspectHours
	// aspectEnd: what ends or changes a benefit (止まる, 減額, どうなる).
	aspectEnd
	// aspectLost: a lost card or certificate (なくした, 再発行).
	aspectLost
	// aspectCompare: two things side by side (違い, 両方, どっち).
	aspectCompare
	aspectConsult
	aspectChannel
	// aspectUntil: how long something lasts (いつまで, 何歳まで, 終わる) —
	// a sibling of when it is paid (いつ), which it replaces.
	aspectUntil
	// aspectAbout: what a programme is (〜とは, どのような制度) — an entry
	// that explains a programme in general.
	aspectAbout
	// aspectInterest: the interest on a loan (利子, 利息, 利率) — a sibling
	// of how much can be borrowed (金額, 限度額).
	aspectInterest
	// aspectRenew: renewing a benefit or a certificate (更新, 現況届, 毎年の
	// 届) — a sibling of applying for it the first time.
	aspectRenew
	// aspectTax: whether a benefit is taxed, or a tax return is needed
	// (課税, 確定申告, 所得税) — a detail an entry on the benefit itself
	// rarely speaks of (round 14).
	aspectTax
	// aspectMove: moving house, in or out (転入, 転居, 引っ越し) — the
	// procedure a move calls for, a sibling of applying the first time
	// (round 20).
	aspectMove
	// aspectCarer: someone other than a parent bringing the child up
	// (祖父母, 孫, 養育者) — a sibling of who qualifies (round 20).
	aspectCarer
	// aspectFather: a father bringing children up alone (父子家庭) — a
	// sibling of who qualifies (round 20).
	aspectFather
	// aspectRepay: paying a loan back (返済, 償還, 据置) — a sibling of how
	// much can be borrowed (round 20).
	aspectRepay
	// aspectHousehold: whom one lives with (同居, 実家) — whose income a
	// benefit's review counts (round 20).
	aspectHousehold
)

// whoLike are aspects that say who is asking rather than what: a text
// that names only them still asks who qualifies when it holds a who_alone
// word (「じいちゃんの私でも手当はもらえる？」).
const whoLike = aspectAbout | aspectCarer | aspectFather | aspectHousehold

// specificAspects are every aspect but what a programme is: the details
// (when, how much, who, …) that tell an entry from its siblings.
const specificAspects = ^aspectAbout

// detailAspects are the aspects a resident asks as a detail of a topic the
// FAQ has — a lost card reissued, a benefit taxed, the hours something is
// open — that an entry without sample phrasings does not answer unless its
// question or answer speaks of them: 「母子手帳なくした 再発行できる？」 is
// not answered directly with the entry on getting the handbook,
// 「児童扶養手当って税金かかる？」 not with the entry on the allowance's
// amount, 「学童 土曜 何時まで」 not with the entry on applying for it
// (round 14: on the development FAQs 16 out-of-scope questions answered
// directly, and no in-scope right answer, once 「lost my job」 reads 離職
// and a night shift (夜勤 → 夜間) no longer asks the hours).
const detailAspects = aspectLost | aspectTax | aspectHours

// aspectNames names the aspects in chatbot/data/aspects.yaml.
var aspectNames = map[string]aspect{
	"when": aspectWhen, "amount": aspectAmount, "where": aspectWhere, "who": aspectWho, "apply": aspectApply,
	"bring": aspectBring, "income": aspectIncome, "hours": aspectHours, "end": aspectEnd, "lost": aspectLost,
	"compare": aspectCompare, "consult": aspectConsult, "channel": aspectChannel, "until": aspectUntil,
	"about": aspectAbout, "interest": aspectInterest, "renew": aspectRenew, "tax": aspectTax,
	"move": aspectMove, "carer": aspectCarer, "father": aspectFather, "repay": aspectRepay, "household": aspectHousehold,
}

//go:embed data/aspects.yaml
var aspectsYAML []byte

// aspectFile is chatbot/data/aspects.yaml: per aspect, the words that
// mark it in a question or an entry — general Japanese question words
// and welfare-office vocabulary, not taken from any one FAQ, matched as
// substrings of normalised text — with example texts that ask it and
// texts that do not (the tests check both).
type aspectFile struct {
	Aspects []aspectGroup `yaml:"aspects"`
	// WhoAlone mark who qualifies only when nothing else is asked:
	// 「母子手当ってもらえる？」 asks whether one qualifies, 「いくらもらえる」
	// asks the amount.
	WhoAlone aspectGroup `yaml:"who_alone"`
}

type aspectGroup struct {
	Name     string   `yaml:"name"`
	Note     string   `yaml:"note"`
	Words    []string `yaml:"words"`
	Examples []string `yaml:"examples"`
	Not      []string `yaml:"not"`
	// Except are longer phrases beginning with one of Words where the
	// word does not mark the aspect.
	Except []string `yaml:"except"`
}

// parseAspects reads an aspect file, checking every name is known and
// every aspect has words.
func parseAspects(data []byte) (*aspectFile, error) {
	var f aspectFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("chatbot: aspects.yaml: %w", err)
	}
	seen := map[string]bool{}
	for _, g := range f.Aspects {
		if _, ok := aspectNames[g.Name]; !ok {
			return nil, fmt.Errorf("chatbot: aspects.yaml: unknown aspect %q (add it to aspectNames)", g.Name)
		}
		if seen[g.Name] {
			return nil, fmt.Errorf("chatbot: aspects.yaml: aspect %q listed twice", g.Name)
		}
		seen[g.Name] = true
		if len(g.Words) == 0 {
			return nil, fmt.Errorf("chatbot: aspects.yaml: aspect %q has no words", g.Name)
		}
	}
	if len(f.WhoAlone.Words) == 0 {
		return nil, fmt.Errorf("chatbot: aspects.yaml: who_alone has no words")
	}
	return &f, nil
}

// aspectData is the embedded aspects.yaml, parsed once.
var aspectData = sync.OnceValue(func() *aspectFile {
	f, err := parseAspects(aspectsYAML)
	if err != nil {
		// The embedded file is checked by the tests; this cannot happen
		// in a released build.
		panic(err)
	}
	return f
})

// aspectTable is the words of aspects.yaml normalised, built once.
var aspectTable = sync.OnceValue(func() []aspectWord {
	var out []aspectWord
	for _, g := range aspectData().Aspects {
		var except [][]byte
		for _, e := range g.Except {
			if n := Normalize(e); n != "" {
				except = append(except, []byte(n))
			}
		}
		for _, w := range g.Words {
			if n := Normalize(w); n != "" {
				aw := aspectWord{a: aspectNames[g.Name], w: []byte(n)}
				for _, e := range except {
					if bytes.HasPrefix(e, aw.w) {
						aw.except = append(aw.except, e)
					}
				}
				out = append(out, aw)
			}
		}
	}
	return out
})

type aspectWord struct {
	a aspect
	w []byte
	// except are the group's longer phrases that begin with w, where w
	// does not mark the aspect (「いつまでに」 is a deadline, not until
	// when).
	except [][]byte
}

// excepted reports whether text, where w occurs at its start, holds one
// of w's exceptions there.
func (w *aspectWord) excepted(text []byte) bool {
	for _, e := range w.except {
		if bytes.HasPrefix(text, e) {
			return true
		}
	}
	return false
}

// whoTable is aspects.yaml's who_alone words normalised, built once.
var whoTable = sync.OnceValue(func() [][]byte {
	var out [][]byte
	for _, w := range aspectData().WhoAlone.Words {
		if n := Normalize(w); n != "" {
			out = append(out, []byte(n))
		}
	}
	return out
})

// aspectsOf returns the aspects normalised text asks about.
func aspectsOf(normalized []byte) aspect {
	return withWho(until(namedAspects(normalized)), normalized)
}

// until drops when from a, the aspects named in a text, if the text asks
// until when (「いつまで」 holds 「いつ」): an entry on how long a benefit
// lasts and one on its payment months are siblings a question tells apart.
func until(a aspect) aspect {
	if a&aspectUntil != 0 {
		return a &^ aspectWhen
	}
	return a
}

// queryAspects returns the aspects a message asks about, read from the
// text the aliases rewrote (「なんぼ」 → 「いくら」; measured: as good as
// reading both texts, at half the cost), who qualifies from its normalised
// text.
func queryAspects(normalized, rewritten []byte) aspect {
	return withWho(until(namedAspects(rewritten)), normalized)
}

// aspectIndex is aspectTable by first rune: namedAspects walks the text
// once instead of searching it for every word (a search for a Japanese
// word stops at nearly every character: they share their first byte).
var aspectIndex = sync.OnceValue(func() map[rune][]aspectWord {
	idx := map[rune][]aspectWord{}
	for _, w := range aspectTable() {
		r, _ := utf8.DecodeRune(w.w)
		idx[r] = append(idx[r], w)
	}
	return idx
})

// namedAspects returns the aspects that aspects.yaml's words name in normalised
// text.
func namedAspects(normalized []byte) aspect {
	var a aspect
	idx := aspectIndex()
	for i := 0; i < len(normalized); {
		r, size := utf8.DecodeRune(normalized[i:])
		for _, w := range idx[r] {
			if a&w.a == 0 && bytes.HasPrefix(normalized[i:], w.w) && !sokuon(normalized[i+len(w.w):], w.w) && !w.excepted(normalized[i:]) {
				a |= w.a
			}
		}
		i += size
	}
	return a
}

// namedAspectsNaive is namedAspects by a search per word (the reference
// TestNamedAspectsIndex compares it with).
func namedAspectsNaive(normalized []byte) aspect {
	var a aspect
	for _, w := range aspectTable() {
		if a&w.a == 0 && containsWord(normalized, &w) {
			a |= w.a
		}
	}
	return a
}

// itsu is いつ normalised.
var itsu = []byte("いつ")

// sokuon reports whether word w, followed by rest, is いつ read from a
// small っ (normalisation folds it: 「ないって」 → 「ないつて」,
// 「いっぱい」 → 「いつぱい」): いつ before て, た, ぱ or し is not asking
// when.
func sokuon(rest, w []byte) bool {
	if !bytes.Equal(w, itsu) {
		return false
	}
	r, _ := utf8.DecodeRune(rest)
	switch r {
	case 'て', 'た', 'ぱ', 'し':
		return true
	}
	return false
}

// containsWord reports whether normalised text holds w other than as
// いつ read from a small っ (see sokuon) or in one of its exceptions.
func containsWord(normalized []byte, w *aspectWord) bool {
	for i := 0; ; {
		j := bytes.Index(normalized[i:], w.w)
		if j < 0 {
			return false
		}
		at := i + j
		i = at + len(w.w)
		if !sokuon(normalized[i:], w.w) && !w.excepted(normalized[at:]) {
			return true
		}
	}
}

// withWho adds aspectWho to a, the aspects named in normalised text, when
// a names none but whoLike ones (what a programme is, a carer, a father,
// a household)
// and the text holds a who_alone word.
func withWho(a aspect, normalized []byte) aspect {
	if a&^whoLike != 0 {
		return a
	}
	for _, w := range whoTable() {
		if bytes.Contains(normalized, w) {
			return a | aspectWho
		}
	}
	return a
}

// sameProgramme reports whether entries d and e are about a programme in
// common (by their questions, or their answers when their questions name
// none).
func (m *Matcher) sameProgramme(d, e int32) bool {
	for _, p := range m.entryProg[d] {
		if slices.Contains(m.entryProg[e], p) {
			return true
		}
	}
	return false
}

// aspectFit is how well entry d fits the specific aspects a question
// asks (qa: the whole question's, qf: its last sentence's, where a long
// message usually asks): an entry whose question asks them scores 4 for
// each aspect asked (4 more when the last sentence asks it) less 1 for
// each aspect its question asks that the question does not (a tie
// breaker: 「再婚や同居をした場合どうなりますか」 still fits 「再婚したら
// どうなる」 better than an entry about something else); an entry whose
// question asks no specific aspect (「〜について教えてください」) is read
// by its answer, at half the score and without the −1s (an answer
// speaks of much its entry is not about).
func (m *Matcher) aspectFit(d int32, qa, qf aspect) int16 {
	n := func(a aspect) int16 { return int16(bits.OnesCount32(uint32(a))) }
	if e := m.entryAspect[d] & specificAspects; e != 0 {
		return 4*(n(e&qa)+n(e&qf)) - n(e&^qa)
	}
	e := m.answerAspect[d] & qa & specificAspects
	return 2 * (n(e) + n(e&qf))
}

// siblingAspects fills sc.sib, by candidate, with how the candidate
// stands on the specific aspects qa asks (qf in the question's last
// sentence) against its siblings — the other candidates about a
// programme it is about (aspectFit): −1 when some sibling fits better,
// else +1 when some sibling fits worse, else 0 (no aspect asked, no
// sibling, or all fit alike). The same allowance's income limit, amount
// and payment months are siblings that only the aspect asked tells apart
// (「所得が低くて全額もらえる場合、3人分で月いくらになりますか」 asks
// the amount). The re-ranker's sibagree / siblose inputs and
// Signals.AspectSibling read it.
func (m *Matcher) siblingAspects(sc *scratch, cs []Candidate, qa, qf aspect) {
	sc.sib = slices.Grow(sc.sib[:0], len(cs))[:len(cs)]
	clear(sc.sib)
	qa &= specificAspects
	qf &= qa
	if qa == 0 {
		return
	}
	sc.fit = slices.Grow(sc.fit[:0], len(cs))[:len(cs)]
	for i := range cs {
		sc.fit[i] = m.aspectFit(cs[i].doc, qa, qf)
	}
	for i := range cs {
		d := cs[i].doc
		if !m.plain[d] || len(m.entryProg[d]) == 0 {
			continue
		}
		for j := range cs {
			e := cs[j].doc
			if j == i || !m.plain[e] || !m.sameProgramme(d, e) {
				continue
			}
			if sc.fit[j] > sc.fit[i] {
				sc.sib[i] = -1
				break
			}
			if sc.fit[j] < sc.fit[i] {
				sc.sib[i] = 1
			}
		}
	}
}
