-- Law-enforcement portal: agencies, officers (portal users, not staff),
-- requests and everything recorded about them. Times are Unix milliseconds
-- (UTC by definition), as in staff_users; lists and the officer's request
-- are JSON text.
-- +goose Up
CREATE TABLE le_agencies (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    jurisdiction TEXT    NOT NULL DEFAULT '',
    ori          TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL
);

-- The per-agency domain directory: each domain belongs to one agency.
CREATE TABLE le_agency_domains (
    domain    TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES le_agencies (id) ON DELETE CASCADE
);
CREATE INDEX le_agency_domains_agency ON le_agency_domains (agency_id);

CREATE TABLE le_officers (
    id                    TEXT    PRIMARY KEY,
    agency_id             TEXT    NOT NULL REFERENCES le_agencies (id),
    name                  TEXT    NOT NULL,
    title                 TEXT    NOT NULL DEFAULT '',
    email                 TEXT    NOT NULL UNIQUE,
    phone                 TEXT    NOT NULL DEFAULT '',
    password_hash         TEXT    NOT NULL,
    totp_secret           TEXT    NOT NULL DEFAULT '',
    totp_confirmed        INTEGER NOT NULL DEFAULT 0,
    totp_last_step        INTEGER NOT NULL DEFAULT 0,
    email_verified_ms     INTEGER NOT NULL DEFAULT 0,
    verify_token_hash     TEXT    NOT NULL DEFAULT '',
    verify_token_expiry_ms INTEGER NOT NULL DEFAULT 0,
    callback_verified_ms  INTEGER NOT NULL DEFAULT 0,
    callback_by           TEXT    NOT NULL DEFAULT '',
    callback_notes        TEXT    NOT NULL DEFAULT '',
    failed_attempts       INTEGER NOT NULL DEFAULT 0,
    failure_window_ms     INTEGER NOT NULL DEFAULT 0,
    locked_until_ms       INTEGER NOT NULL DEFAULT 0,
    disabled              INTEGER NOT NULL DEFAULT 0,
    created_ms            INTEGER NOT NULL,
    updated_ms            INTEGER NOT NULL
);
CREATE INDEX le_officers_agency ON le_officers (agency_id);
CREATE INDEX le_officers_token ON le_officers (verify_token_hash) WHERE verify_token_hash <> '';

CREATE TABLE le_requests (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    type               TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    agency_id          TEXT    NOT NULL REFERENCES le_agencies (id),
    officer_id         TEXT    NOT NULL REFERENCES le_officers (id),
    assignee           TEXT    NOT NULL DEFAULT '',
    received_ms        INTEGER NOT NULL,
    due_ms             INTEGER NOT NULL,
    target_due_ms      INTEGER NOT NULL DEFAULT 0,
    answered_ms        INTEGER NOT NULL DEFAULT 0,
    ndo_ref            TEXT    NOT NULL DEFAULT '',
    ndo_until_ms       INTEGER NOT NULL DEFAULT 0,
    verify_by_callback INTEGER NOT NULL DEFAULT 0,
    weixin_gap         INTEGER NOT NULL DEFAULT 0,
    granted            TEXT    NOT NULL DEFAULT '[]',
    case_number        TEXT    NOT NULL,
    case_name          TEXT    NOT NULL DEFAULT '',
    return_by_ms       INTEGER NOT NULL DEFAULT 0,
    body               TEXT    NOT NULL,
    client_key         TEXT    NOT NULL DEFAULT '',
    updated_ms         INTEGER NOT NULL
);
CREATE UNIQUE INDEX le_requests_client_key ON le_requests (officer_id, client_key) WHERE client_key <> '';
CREATE INDEX le_requests_state ON le_requests (state, due_ms);
CREATE INDEX le_requests_officer ON le_requests (officer_id, received_ms);

CREATE TABLE le_request_targets (
    request_id  TEXT    NOT NULL REFERENCES le_requests (id),
    idx         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    account_ids TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (request_id, idx)
);
CREATE INDEX le_request_targets_outcome ON le_request_targets (outcome);

CREATE TABLE le_request_transitions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT    NOT NULL REFERENCES le_requests (id),
    from_state TEXT    NOT NULL,
    to_state   TEXT    NOT NULL,
    actor_kind TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    actor_role TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    at_ms      INTEGER NOT NULL
);
CREATE INDEX le_request_transitions_request ON le_request_transitions (request_id, id);

CREATE TABLE le_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT    NOT NULL REFERENCES le_requests (id),
    author_kind     TEXT    NOT NULL,
    author_id       TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    attachment_sha256 TEXT  NOT NULL DEFAULT '',
    attachment_size INTEGER NOT NULL DEFAULT 0,
    attachment_name TEXT    NOT NULL DEFAULT '',
    attachment_type TEXT    NOT NULL DEFAULT '',
    at_ms           INTEGER NOT NULL
);
CREATE INDEX le_messages_request ON le_messages (request_id, id);

CREATE TABLE le_documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id   TEXT    NOT NULL REFERENCES le_requests (id),
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    uploaded_ms  INTEGER NOT NULL
);
CREATE INDEX le_documents_request ON le_documents (request_id);

CREATE TABLE le_verifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    officer_id TEXT    NOT NULL REFERENCES le_officers (id),
    kind       TEXT    NOT NULL,
    by_whom    TEXT    NOT NULL,
    phone      TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    at_ms      INTEGER NOT NULL
);
CREATE INDEX le_verifications_officer ON le_verifications (officer_id, id);

-- One row per delivery; the 'ladder' row of (request, level) is the claim
-- that makes each escalation level happen once, even with two runners.
CREATE TABLE le_notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT    NOT NULL REFERENCES le_requests (id),
    level      TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    recipient  TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    error      TEXT    NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    sent_ms    INTEGER NOT NULL,
    UNIQUE (request_id, level, channel, recipient)
);
CREATE INDEX le_notifications_recipient ON le_notifications (channel, recipient, id);

CREATE TABLE le_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE le_settings;
DROP TABLE le_notifications;
DROP TABLE le_verifications;
DROP TABLE le_documents;
DROP TABLE le_messages;
DROP TABLE le_request_transitions;
DROP TABLE le_request_targets;
DROP TABLE le_requests;
DROP TABLE le_officers;
DROP TABLE le_agency_domains;
DROP TABLE le_agencies;
