-- Staff users and their web sessions. Times are Unix milliseconds (UTC by
-- definition), which keeps comparisons and the SQL identical in both dialects.
-- +goose Up
CREATE TABLE staff_users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL DEFAULT '',
    role             TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    totp_secret      TEXT    NOT NULL DEFAULT '',
    totp_confirmed   INTEGER NOT NULL DEFAULT 0,
    totp_last_step   INTEGER NOT NULL DEFAULT 0,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    failure_window_ms INTEGER NOT NULL DEFAULT 0,
    locked_until_ms  INTEGER NOT NULL DEFAULT 0,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_ms       INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY,
    data       BLOB    NOT NULL,
    expiry_ms  INTEGER NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expiry_ms);

-- +goose Down
DROP TABLE staff_sessions;
DROP TABLE staff_users;
