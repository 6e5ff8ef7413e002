// Package audit is the tamper-evident audit log of the case record.
//
// Every read, search, change, export, disclosure and denied attempt in
// casefile becomes one [Record]: who (Actor: user, department, role,
// client), for what purpose, on what basis (consent ids, a statute or the
// desk's role), about whom (person ids, case id, entity ids and versions,
// data categories) and with what decision. Records hold ids, never content:
// no name, address or free text enters the log.
//
// A store appends records per municipality (tenant) with [Seal], which gives
// each a gap-free sequence number and chains it to the one before:
//
//	leaf = SHA-256(0x00 ‖ canonical(entry))      (RFC 6962 leaf hashing)
//	hash = SHA-256(0x01 ‖ prev.hash ‖ leaf)      (genesis prev = 32 zero bytes)
//
// canonical is a fixed, length-prefixed binary encoding (see [Entry.Canonical]),
// so editing, reordering or deleting any entry breaks every later hash and a
// [Verifier] reports a *[TamperError] saying which entry and how. Because the
// leaves are RFC 6962 leaves, a Merkle tree with inclusion proofs can be built
// later without rehashing.
//
// A chain alone cannot show that its tail was cut off. A [Signer] therefore
// signs [Checkpoint]s (Ed25519 over a signed-note style text holding tenant,
// sequence number and head hash) that a [Sink] exports to a place the
// database administrator cannot rewrite: the audit division's mailbox, a WORM
// bucket, a printed digest. [Verify] checks a log against those checkpoints
// and reports truncation or a rewritten history.
package audit
