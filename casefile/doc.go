// Package casefile is the electronic case record (電子個人票) that the
// departments of a municipality share about a single-parent family: who is
// in the household, how to reach them safely, what support they already
// receive, their self-reliance programme (自立支援プログラム), the
// consultation history, case conferences and tasks, and their consents.
//
// The model: a [CaseFile] (owned by one desk) is about a subject [Person];
// [HouseholdMember]s place persons in it (lived and registered household);
// [SupportInUse], [Program] (every revision kept), [Consultation]
// (append-only: corrections supersede), [Conference] and [Task] hang off
// it; [AddressRestriction] (DV等支援措置) and [ConsentEvent] wrap the consent
// package's types. Every entity has a UUIDv7 id, the municipality code as
// tenant, and a version. There is no My Number field, by law.
//
// A [Store] keeps rows; three implementations pass one conformance suite
// (casefile/storetest): memstore (in memory), sqlstore with SQLite (the
// embedded default) and sqlstore with PostgreSQL. Updates are
// compare-and-swap on the version: a stale write is a *[ConflictError],
// never a silent overwrite, and a transaction with its audit entries is
// written whole or not at all.
//
// Use a [Service], not the Store, for all work on behalf of staff. Reads
// ([Service.ReadCase]) are decided per person: the owning desk's in-purpose
// work by its role (RBAC, [Permission]), every other department by
// consent.Decide; both are narrowed by DV等支援措置 masks and counterparty
// denies. The result is a redacted view in which denied fields are absent.
// Changes ([Service.Change]) are validated, authorised, versioned and
// audited. Every read, search, change, export and refusal is appended to the
// tenant's hash-chained audit log (casefile/audit), with signed checkpoints
// exported through a sink; [Service.Disclosures] answers 「私の情報を誰が
// 受け取ったか」. Legacy CSV exchange lives in casefile/csvio, statistics
// with small-count suppression in casefile/report, and [ToHousehold]
// feeds the eligibility engine.
package casefile
