-- +goose Up
CREATE TABLE vigil_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE vigil_meta;
