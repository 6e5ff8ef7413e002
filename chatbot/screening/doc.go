// Package screening is guided eligibility screening in a chat: a
// chatbot.Dialogue that, for one programme, asks the resident only the facts
// the eligibility engine says are missing, one question at a time, and ends
// with the outcome and what to do next.
//
// The dialogue first asks who lives in the household (how many children,
// whether grandparents live there): the engine needs the members to exist
// before it can ask about them. From then on every question comes from the
// engine: after each answer the household is screened again, and the next
// fact in Outcome.Missing is asked. The wording of each question and the way
// an answer is parsed come from the fact catalog (eligibility.FactFor: the
// fact's Question, Kind and enum values), and an answer is stored with
// Household.SetFact, so a fact added to the catalog is asked without a change
// here. A fact the engine does not need is never asked. "わからない" on any
// question ends the dialogue with what is known and a desk to ask. Answers
// stay in the dialogue's memory only; they are never written to the event
// log.
//
// The package is separate from chatbot so that the FAQ matcher does not
// depend on the eligibility engine.
package screening
