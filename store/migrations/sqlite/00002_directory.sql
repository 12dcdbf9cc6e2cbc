-- +goose Up
-- The platform directory: what Vigil keeps to answer lawful requests.
-- Times are UTC. Content is immutable (first version wins); accounts and
-- groups are upserted because their fields legitimately change.
CREATE TABLE dir_accounts (
    id              TEXT PRIMARY KEY,
    wechat_id       TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    app             TEXT NOT NULL,
    region          TEXT NOT NULL,
    registered_at   TEXT     NOT NULL,
    registration_ip TEXT NOT NULL,
    status          TEXT NOT NULL,
    updated_at      TEXT     NOT NULL
);
CREATE INDEX dir_accounts_wechat_id ON dir_accounts (wechat_id);
CREATE INDEX dir_accounts_phone ON dir_accounts (phone);
CREATE INDEX dir_accounts_email ON dir_accounts (lower(email));

CREATE TABLE dir_logins (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    at          TEXT     NOT NULL,
    ip          TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    app_version TEXT NOT NULL
);
CREATE INDEX dir_logins_account_at ON dir_logins (account_id, at);
CREATE INDEX dir_logins_ip ON dir_logins (ip);

CREATE TABLE dir_groups (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    member_count INTEGER NOT NULL,
    join_method  TEXT NOT NULL,
    updated_at   TEXT     NOT NULL
);

CREATE TABLE content_items (
    id          TEXT PRIMARY KEY,
    author_id   TEXT NOT NULL,
    surface     TEXT NOT NULL,
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'semi_public')),
    group_id    TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    media       TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT     NOT NULL,
    ingested_at TEXT     NOT NULL
);
CREATE INDEX content_items_author ON content_items (author_id, created_at);

-- +goose Down
DROP TABLE content_items;
DROP TABLE dir_groups;
DROP TABLE dir_logins;
DROP TABLE dir_accounts;
