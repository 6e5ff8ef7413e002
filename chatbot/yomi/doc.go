// Package yomi gives a chatbot knowledge base the readings (読み) of its
// words, so that residents who type in hiragana or katakana
// (じどうふようてあて, ジドウテアテ) meet entries written in kanji.
//
// It implements chatbot.ReadingSource with the kagome morphological
// analyser and its IPA dictionary (mecab-ipadic-2.7.0-20070801):
//
//	dict, err := yomi.New()
//	m, err := chatbot.Compile(kb, chatbot.WithReadings(dict))
//
// Readings are needed only while compiling: the matcher keeps the rewrite
// rules they produce (a few thousand short strings), not the dictionary.
// The dictionary itself is large, which is why it lives in its own package
// that a vendor imports only if it wants readings: loading it takes about
// a second and about 90 MB of heap (145 MB from the operating system), and
// kagome keeps it for the life of the process once loaded. A binary that
// imports this package is about 13 MB larger. docs/chatbot.md, "Readings",
// has the measured figures.
//
// Licences: kagome and its dictionary module are MIT; the IPA dictionary
// data is under the NAIST licence, whose notice travels with any binary that
// embeds it (see the kagome-dict/ipa module's NOTICE.txt).
package yomi
