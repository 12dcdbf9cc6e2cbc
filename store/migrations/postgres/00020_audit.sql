-- +goose Up
-- The audit log (package audit): leaves of an RFC 6962 Merkle tree, the
-- persisted interior nodes at levels 8, 16, 24, ..., and signed checkpoints.
-- leaf holds the canonical event bytes the leaf hash covers; at/actor/role/
-- action are copies for queries, checked against the leaf by `vigil audit verify`.
CREATE TABLE audit_entries (
    idx       BIGINT      PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT        NOT NULL,
    role      TEXT        NOT NULL,
    action    TEXT        NOT NULL,
    leaf      BYTEA       NOT NULL,
    leaf_hash BYTEA       NOT NULL
);
CREATE INDEX audit_entries_actor ON audit_entries (actor, idx);
CREATE INDEX audit_entries_at ON audit_entries (at);

CREATE TABLE audit_nodes (
    level INTEGER NOT NULL,
    idx   BIGINT  NOT NULL,
    hash  BYTEA   NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE audit_checkpoints (
    id           BIGSERIAL   PRIMARY KEY,
    size         BIGINT      NOT NULL,
    root         BYTEA       NOT NULL,
    note         TEXT        NOT NULL,
    published_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_entries;
