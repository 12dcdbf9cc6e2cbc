-- +goose Up
-- One detection verdict per content item and engine version; the review
-- queue reads the flagged ones. Re-scanning with the same versions is a no-op.
CREATE TABLE verdicts (
    content_id  TEXT    NOT NULL,
    rulepack    TEXT    NOT NULL,
    model       TEXT    NOT NULL,
    flagged     INTEGER NOT NULL,
    categories  TEXT    NOT NULL,
    top_score   REAL    NOT NULL,
    verdict     TEXT    NOT NULL,
    scanned_at  INTEGER NOT NULL,
    PRIMARY KEY (content_id, rulepack, model)
);
CREATE INDEX verdicts_flagged ON verdicts (flagged, top_score);

-- +goose Down
DROP TABLE verdicts;
