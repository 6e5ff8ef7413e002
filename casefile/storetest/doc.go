// Package storetest is the conformance suite for casefile.Store
// implementations. Every store's tests call Run with a factory that makes a
// fresh, empty store; a new implementation is correct when Run passes.
//
// The suite checks round trips, compare-and-swap versions and the typed
// conflict error, kept revisions, unique lookup keys, tenant isolation,
// read-only views, all-or-nothing transactions together with their audit
// entries, the gap-free hash chain, and a concurrency test: 8 goroutines
// each try 1,000 updates of the same case; every accepted update must be
// present as a revision and every rejected one must have been reported as a
// *casefile.ConflictError.
package storetest
