// Package chatbot is an embeddable, offline FAQ matcher for Japanese
// residents' questions about support for single-parent families (ひとり親家庭等),
// part ① of the national one-stop consultation model: it answers 24/7, and it
// is honest about what it does not know.
//
// The model:
//
//   - A KnowledgeBase is data staff edit: FAQ entries (question, sample
//     phrasings, keywords 別表現, answer, links, quick replies, 担当課, 更新日),
//     an alias table (母子手当 → 児童扶養手当), desks to hand off to, and the
//     danger keywords with emergency contacts. Load it from YAML or from CSV
//     (UTF-8 or Shift_JIS; a superset of the 子育てオープンデータ協議会 FAQ
//     columns), or use Default, the embedded knowledge base. Load errors are
//     typed and positioned (file:line:column, CSV row).
//   - Compile builds a Matcher once: text is normalised (NFKC, width,
//     katakana → hiragana, long vowels, punctuation), rewritten with the
//     alias table, cut into character bigrams plus kanji unigrams, and indexed
//     for BM25 over the question side and the answer. Matching allocates
//     little and takes microseconds; a Matcher is safe for concurrent use.
//   - Match ranks entries and decides a Level: Answer, Suggest (「もしかして」
//     with the top candidates) or Handoff (a human desk with phone and hours).
//     A danger keyword (逃げたい, 殴られ, 死にたい, …) sets Result.Danger,
//     and the reply always shows the emergency contacts first.
//   - A Bot turns results into Replies for a channel (LINE, web, CLI) and a
//     Session carries one resident's conversation. A guided Dialogue (for
//     example eligibility screening) plugs into a Session as another kind of
//     turn.
//   - Nothing is logged raw: Redact masks phone numbers, e-mail addresses,
//     postal codes and My Number (12 digits with a valid check digit, also in
//     full width) before an Event reaches the vendor's EventLog. Unanswered
//     and low-confidence questions and 「解決しましたか」 feedback are exported
//     with WriteEventsCSV for FAQ upkeep; KnowledgeBase.Stale lists old entries.
//   - Evaluate measures top-1/top-3 accuracy, MRR and out-of-scope rejection
//     of any Ranker on a labelled query set (`onestop faq eval`).
//   - Calibrate chooses a municipality's own bar for direct answers from its
//     labelled questions, with a cross-validated estimate of what it gives
//     (`onestop faq calibrate`); Matcher.WithThresholds applies a bar to a
//     compiled matcher without compiling again.
//
// The package does not send messages, identify residents or decide
// eligibility, and it does not import the eligibility engine: guided
// screening lives in package chatbot/screening and plugs in through Dialogue.
package chatbot
