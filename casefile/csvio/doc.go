// Package csvio exchanges case records with legacy municipal systems as CSV
// files, in UTF-8 (with or without BOM) or Shift_JIS (CP932, via
// golang.org/x/text/encoding/japanese).
//
// One row is one household member; rows with the same 世帯番号 form one
// household, which becomes one case owned by the importing desk, with the
// member whose 続柄 is 本人 as its subject. The columns (header names in
// Japanese; the English names in parentheses are accepted too; order is
// free; unknown columns are an error) are listed in [Columns] and in
// docs/casefile.md.
//
// Input is forgiving where people type: dates in 和暦 or Gregorian form
// (令和7年4月1日, R7.4.1, H31/4/30, 2025-04-01, 5070401) through package
// wareki, full-width digits and letters anywhere numbers are expected,
// half-width katakana in readings. It is strict about meaning: [Import] is
// all-or-nothing. Every problem of every row is collected into an
// *[ImportError] with row and column and a Japanese message, and nothing is
// written unless the whole file is valid and every household can be stored.
//
// [Export] writes the cases the actor's department may see, redacted (a
// withheld field is an empty cell; DV-protected addresses are never
// written), and records the export with its recipient in the audit log.
package csvio
