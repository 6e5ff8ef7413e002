// Package impact measures what a reform changes: it screens a population of
// households under two rule sets — the rules in force (the base) and the
// same rules with a reform layered on them — and reports, per programme,
// the households that gain, lose, change amount or change status, the
// difference in cost (exact yen, per month and per year), how the changes
// fall by income band and household size (as data and as an SVG chart),
// and a sample of changed households with both explanations.
//
// # Reform packs
//
// A reform is a small rule pack layered on the base pack like a local pack
// (pack: extends: the base pack's id). It holds only what the reform
// changes:
//
//   - parameters marked override: true replace the base's parameter of the
//     same name — all of its dated values, so the reform lists the values it
//     wants on the dates studied, each with the official source of the
//     figure (and a note when the date is that of the study rather than of
//     the law);
//   - programmes marked override: true replace the base's programme of the
//     same id; a programme with a new id is a new programme (everyone who
//     qualifies gains it).
//
// Compile checks a reform pack as any layer (types, costs, overrides that
// replace something). Compare adds one check: every parameter the reform
// overrides must have a value on the date studied, so that a reform is
// never compared on a date it says nothing about.
//
// # What counts as a change
//
// For each household and programme, the base outcome and the reform
// outcome are compared. A household gains when the programme becomes
// eligible (対象) or, eligible under both, its amount rises; it loses when
// the programme stops being eligible or its amount falls. Amounts count
// only for eligible outcomes. Cost differences add the amounts' differences
// exactly, in yen: monthly programmes per month and, times 12, per year;
// yearly programmes per year; one-off payments (一時金) apart.
package impact
