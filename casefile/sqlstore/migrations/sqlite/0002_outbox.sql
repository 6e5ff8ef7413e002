-- The notification outbox (プッシュ型支援): one row per person, programme and
-- period (key), written in the same transaction as its audit entry. Ids and
-- codes only: which contact to use is an index into the person's contacts.
CREATE TABLE outbox (
    tenant_id TEXT    NOT NULL,
    id        TEXT    NOT NULL,
    key       TEXT    NOT NULL,
    org       TEXT    NOT NULL,
    person_id TEXT    NOT NULL,
    run_id    TEXT    NOT NULL DEFAULT '',
    status    TEXT    NOT NULL,
    due_at    TEXT    NOT NULL,
    version   INTEGER NOT NULL CHECK (version >= 1),
    body      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX outbox_by_key ON outbox (tenant_id, key);
CREATE INDEX outbox_due ON outbox (tenant_id, org, status, due_at, id);
CREATE INDEX outbox_by_person ON outbox (tenant_id, person_id, id);
