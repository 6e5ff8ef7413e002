package chatbot

import "slices"

// appendGatingBenefits appends to dst, as programme names for the
// recogniser, the benefits of bs that can hold an answer back: every one
// but the statuses held (Benefit.Status).
func appendGatingBenefits(dst []Programme, bs []Benefit) []Programme {
	for _, b := range bs {
		if b.Status {
			continue
		}
		id := b.ID
		if id == "" {
			id = b.Name
		}
		dst = append(dst, Programme{ID: id, Name: b.Name, Aliases: b.Aliases})
	}
	return dst
}

// uncoveredBenefit reports whether the question in sc names a benefit of
// the glossaries (Glossary.Benefits) that the knowledge base has no entry
// about and entry d does not speak of: a name the resident wrote (not one
// an also rule added, not one corrected with 「〜じゃなくて」) that no
// entry's question side names and d's answer does not name either.
// 「不妊治療の費用の助成は？」 is not answered directly with a FAQ's
// 「子どもの医療費の助成」 entry; 「養育費保証の補助は？」 still is with an
// entry on 養育費 whose answer names the guarantee company (保証会社).
//
// Only the caller's matcher reads this, as with the other services: the
// library's gives candidates only.
func (m *Matcher) uncoveredBenefit(sc *scratch, d int32) bool {
	if m.library || len(m.benefits.ids) == 0 {
		return false
	}
	sc.bens = m.benefits.spans(sc.bens[:0], sc.b2)
	for _, e := range sc.bens {
		if e.negated || addedAt(sc.kata2, int(e.start)) {
			continue
		}
		if !m.benefitInQuestion[e.idx] && !slices.Contains(m.benefitInAnswer[d], e.idx) {
			return true
		}
	}
	return false
}
