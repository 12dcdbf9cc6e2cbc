-- +goose Up
-- Service API tokens. Only the SHA-256 of a token is stored; the token itself
-- is shown once, at creation.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT     NOT NULL,
    revoked_at TEXT    
);

-- +goose Down
DROP TABLE api_tokens;
