-- Staff users and their web sessions. Times are Unix milliseconds (UTC by
-- definition), which keeps comparisons and the SQL identical in both dialects.
-- +goose Up
CREATE TABLE staff_users (
    id               BIGSERIAL PRIMARY KEY,
    username         TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL DEFAULT '',
    role             TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    totp_secret      TEXT    NOT NULL DEFAULT '',
    totp_confirmed   BIGINT  NOT NULL DEFAULT 0,
    totp_last_step   BIGINT  NOT NULL DEFAULT 0,
    failed_attempts  BIGINT  NOT NULL DEFAULT 0,
    failure_window_ms BIGINT NOT NULL DEFAULT 0,
    locked_until_ms  BIGINT  NOT NULL DEFAULT 0,
    disabled         BIGINT  NOT NULL DEFAULT 0,
    created_ms       BIGINT  NOT NULL,
    updated_ms       BIGINT  NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash TEXT   PRIMARY KEY,
    data       BYTEA  NOT NULL,
    expiry_ms  BIGINT NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expiry_ms);

-- +goose Down
DROP TABLE staff_sessions;
DROP TABLE staff_users;
