package chatbot

import "fmt"

// buildRewrites assembles the matcher's rewrite table from every source, in
// order of precedence: the knowledge base's aliases, the glossaries,
// programme names (kept whole, aliases to names; the FAQ's own programmes
// after the known ones, see faqProgrammes), readings of the
// knowledge base's words and the words read like them (WithReadings), and
// the synonym dictionary (bridging to the words the knowledge base uses).
// Then it compiles the programme recogniser, and the recognisers of the
// glossaries' other services and benefits, over the final table.
func (m *Matcher) buildRewrites() error {
	kb, o := m.kb, m.opts
	b := newAliasBuilder()
	for _, a := range kb.Aliases {
		b.add(Normalize(a.From), Normalize(a.To), false, srcKB)
	}
	for _, g := range o.glossaries {
		if g != nil {
			g.addRules(b)
		}
	}
	addProgrammeRules(b, o.programmes)
	var local []Programme
	var parent map[string]string
	if !o.noFAQProgrammes {
		canon := b.build()
		local, parent = faqProgrammes(kb, o.programmes, &canon)
		addProgrammeRules(b, local)
	}
	if o.readings != nil {
		canon := b.build()
		addReadingRules(b, &canon, o.readings, kbTexts(kb))
	}
	if !o.noSynonyms {
		t, err := synonyms()
		if err != nil {
			return fmt.Errorf("chatbot: compile: embedded synonym dictionary: %w", err)
		}
		canon := b.build()
		var nz normalizer
		var texts [][]byte
		for _, s := range kbTexts(kb) {
			texts = append(texts, canon.apply(nil, nz.normalize(nil, s)))
		}
		addSynonymRules(b, t, texts)
	}
	m.aliases = b.build()
	m.romaji = newRomajiTable(romajiKana(b, kbTexts(kb)))
	m.programmes = compileProgrammes(append(o.programmes[:len(o.programmes):len(o.programmes)], local...), &m.aliases)
	m.programmes.setLocal(local, parent)
	var others []Programme
	for _, g := range o.glossaries {
		if g != nil {
			others = append(others, g.OtherServices...)
		}
	}
	m.others = compileProgrammes(others, &m.aliases)
	var bens []Programme
	for _, g := range o.glossaries {
		if g != nil {
			bens = appendGatingBenefits(bens, g.Benefits)
		}
	}
	m.benefits = compileProgrammes(bens, &m.aliases)
	m.ambig = m.compileAmbiguities(o.glossaries)
	return nil
}

// kbTexts returns every indexed text of the knowledge base once.
func kbTexts(kb *KnowledgeBase) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i := range kb.Entries {
		e := &kb.Entries[i]
		add(e.Question)
		for _, p := range e.Phrasings {
			add(p)
		}
		for _, k := range e.Keywords {
			add(k)
		}
		add(e.Answer)
	}
	return out
}
