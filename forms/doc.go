// Package forms is the input form of the one-stop programme (model
// programme part ②) and the online application that reuses the record
// (part ⑤): form definitions as data, their submission's JSON Schema for
// any front end, normalisation and validation of what families type, the
// questions still worth asking, the mapping of a submission to
// eligibility facts and to a case record, and the prefill of an
// application from that record.
//
// The model, in the order a vendor meets it:
//
//   - Definitions. A form is a YAML (or JSON) file of pages and fields:
//     type, Japanese label and help, choices, required-ness, a visibility
//     condition in CEL over the answers so far (type-checked on Load), the
//     eligibility fact (fact:) or case-record field (record:) each answer
//     gives, and consent questions with the notice text the consent
//     records. Load and Parse return a compiled, immutable Form or a
//     *DefinitionError whose problems point at file:line:column. The model
//     form of the national programme is embedded (Model, ModelFiles);
//     DefinitionSchema is the JSON Schema of the file format.
//   - Submissions. A front end posts JSON ({"form", "date", "answers"}),
//     described by Form.Schema (JSON Schema draft 2020-12). Check
//     normalises each answer (NFKC and width folding, spaces, the dashes
//     and long-vowel marks typed in phone numbers and postal codes, 和暦
//     dates, amounts written with 万 and 千), drops the answers of fields
//     not shown, and validates with go-playground/validator/v10 and its
//     Japanese translations plus tags of our own (postal code, phone,
//     katakana, dates not after the form date, 全国地方公共団体コード with
//     its check digit, yen). Every problem comes back at once in a
//     *ValidationError, each with its path and a Japanese message.
//   - Facts. Checked.Household maps the answers to eligibility.Household:
//     only the facts the form's fields give; everything else stays
//     unknown.
//   - Questions. Next, called after each page, screens the answers so far
//     and returns the fields still worth asking: those whose fact a
//     programme still needs (a programme the answers rule out asks
//     nothing), through the answers that open them; one round settles
//     every programme but for the follow-ups an answer opens.
//   - Record. CreateCase writes a checked submission to casefile in one
//     change set — persons, household, contacts with ok-to-contact and
//     safe times, the consultation, the support received, and each consent
//     as a consent event with its notice's hash — or nothing; UpdateCase
//     applies a correction keeping every earlier version.
//   - Applications. A definition of kind application names a programme
//     and its recipient; Prefill fills it from the case record, only where
//     the person's consent covers online_application for that recipient
//     (the read is audited and in the disclosure register), lists the rest
//     to enter, and gives a JSON document and a printable Japanese summary.
//
// The form date (記入日) of a submission decides which years 前年 and 前々年
// are, refuses birth dates after it, and is the date outcomes are for.
package forms
