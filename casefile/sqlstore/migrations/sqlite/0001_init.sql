-- casefile schema v1 (SQLite). Times are UTC text, RFC 3339 with microseconds.
CREATE TABLE records (
    tenant_id  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    case_id    TEXT    NOT NULL DEFAULT '',
    person_id  TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
) WITHOUT ROWID;
CREATE INDEX records_by_case   ON records (tenant_id, kind, case_id, id);
CREATE INDEX records_by_person ON records (tenant_id, kind, person_id, id);

-- Every version of every entity, including the current one.
CREATE TABLE record_revisions (
    tenant_id  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, kind, id, version)
) WITHOUT ROWID;

-- Lookup keys (宛名番号 …), unique per tenant and kind.
CREATE TABLE record_keys (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    id        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
) WITHOUT ROWID;
CREATE INDEX record_keys_by_id ON record_keys (tenant_id, kind, id);

-- The hash-chained audit log, gap-free per tenant.
CREATE TABLE audit_log (
    tenant_id TEXT    NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    at        TEXT    NOT NULL,
    record    TEXT    NOT NULL,
    prev_hash BLOB    NOT NULL,
    leaf_hash BLOB    NOT NULL,
    hash      BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;

CREATE TABLE audit_subjects (
    tenant_id TEXT    NOT NULL,
    person_id TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, person_id, seq)
) WITHOUT ROWID;

CREATE TABLE audit_heads (
    tenant_id TEXT    NOT NULL PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      BLOB    NOT NULL
) WITHOUT ROWID;
