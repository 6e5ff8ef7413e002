// Package memstore is the in-memory casefile.Store: for tests, examples,
// demonstrations and short-lived tools. It keeps everything in process
// memory, loses it on exit, and has the same semantics as the SQL stores
// (versions, revisions, unique keys, atomic transactions with their audit
// entries), as the shared conformance suite (casefile/storetest) checks.
//
// Writers to one tenant are serialised; readers see the last committed
// state. A transaction works on a private overlay that is applied only when
// its function returns nil, so a failure leaves nothing behind.
package memstore
