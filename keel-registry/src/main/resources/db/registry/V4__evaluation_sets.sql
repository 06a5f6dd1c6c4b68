-- Evaluation sets: per model version, the model's decisions on held-out data beside the true
-- outcomes and each row's sensitive groups, which the approval policy's fairness checks read.
-- Portable between SQLite and PostgreSQL. The set is stored in its canonical JSON form and read
-- whole (a fairness metric needs every row), like a model card; its size, attribute names and
-- the SHA-256 of that canonical text sit beside it so a summary needs no parsing. One set per
-- version: recording another replaces it. Deleting the version deletes its set.
-- Not WITHOUT ROWID on SQLite: a set of 100,000 rows is megabytes, and large rows belong in a
-- rowid table.

CREATE TABLE model_evaluation_sets (
    model_id          BIGINT        NOT NULL,
    version           BIGINT        NOT NULL,
    row_count         INTEGER       NOT NULL,
    -- the sensitive attributes' names as a JSON list, in name order
    attributes        VARCHAR(2000) NOT NULL,
    content           TEXT          NOT NULL,
    sha256            CHAR(64)      NOT NULL,
    recorded_by       VARCHAR(256)  NOT NULL,
    recorded_time     BIGINT        NOT NULL,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);
