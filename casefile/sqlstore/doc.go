// Package sqlstore is the casefile.Store on database/sql, for SQLite (the
// embedded default, through the pure-Go driver modernc.org/sqlite: no cgo)
// and PostgreSQL (through github.com/jackc/pgx/v5/stdlib).
//
// Both keep the same five tables: records (the current version of every
// entity, its body as JSON/JSONB, indexed by tenant, kind, case and person),
// record_revisions (every version ever written), record_keys (unique lookup
// keys such as 宛名番号), audit_log with audit_subjects (the hash-chained log
// and its index by person) and audit_heads (one row per tenant, the chain
// head). Open runs the embedded, versioned migrations (migrations/<dialect>/
// NNNN_name.sql) that are not yet recorded in schema_migrations: forward
// only, each in its own transaction, safe to run from several processes at
// once (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite).
//
// Updates are compare-and-swap on the version column, so a stale write is a
// *casefile.ConflictError and never overwrites. The audit records of a
// transaction are sealed and appended inside it, after its changes, with
// the tenant's head row locked (SELECT … FOR UPDATE on PostgreSQL; SQLite
// has one writer), so the log is gap-free and a change is never written
// without its audit entry.
//
// SQLite runs in WAL mode with a busy timeout, synchronous=NORMAL, foreign
// keys on, one writer connection (IMMEDIATE transactions) and a pool of
// reader connections.
package sqlstore
