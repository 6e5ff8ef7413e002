-- casefile schema v1 (PostgreSQL).
CREATE TABLE records (
    tenant_id  TEXT        NOT NULL,
    kind       TEXT        NOT NULL,
    id         TEXT        NOT NULL,
    version    BIGINT      NOT NULL CHECK (version >= 1),
    case_id    TEXT        NOT NULL DEFAULT '',
    person_id  TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL,
    body       JSONB       NOT NULL,
    PRIMARY KEY (tenant_id, kind, id)
);
CREATE INDEX records_by_case   ON records (tenant_id, kind, case_id, id);
CREATE INDEX records_by_person ON records (tenant_id, kind, person_id, id);

-- Every version of every entity, including the current one.
CREATE TABLE record_revisions (
    tenant_id  TEXT        NOT NULL,
    kind       TEXT        NOT NULL,
    id         TEXT        NOT NULL,
    version    BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL,
    body       JSONB       NOT NULL,
    PRIMARY KEY (tenant_id, kind, id, version)
);

-- Lookup keys (宛名番号 …), unique per tenant and kind.
CREATE TABLE record_keys (
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    id        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);
CREATE INDEX record_keys_by_id ON record_keys (tenant_id, kind, id);

-- The hash-chained audit log, gap-free per tenant. The record is kept as
-- text, byte for byte as written.
CREATE TABLE audit_log (
    tenant_id TEXT        NOT NULL,
    seq       BIGINT      NOT NULL CHECK (seq >= 1),
    at        TIMESTAMPTZ NOT NULL,
    record    TEXT        NOT NULL,
    prev_hash BYTEA       NOT NULL,
    leaf_hash BYTEA       NOT NULL,
    hash      BYTEA       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE audit_subjects (
    tenant_id TEXT   NOT NULL,
    person_id TEXT   NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, seq)
);

-- One row per tenant, locked FOR UPDATE by every appending transaction:
-- this serialises appends per tenant and keeps the sequence gap-free.
CREATE TABLE audit_heads (
    tenant_id TEXT   NOT NULL PRIMARY KEY,
    seq       BIGINT NOT NULL,
    hash      BYTEA  NOT NULL
);
