-- Run inputs: the datasets runs consumed. As in MLflow, a dataset belongs to an experiment and is
-- identified there by its name and digest, so runs logging the same data share one row.
-- Portable between SQLite and PostgreSQL: TEXT for the unbounded documents, no sequences.

CREATE TABLE datasets (
    dataset_id    CHAR(32)     NOT NULL PRIMARY KEY,
    experiment_id BIGINT       NOT NULL REFERENCES experiments (experiment_id),
    name          VARCHAR(500) NOT NULL,
    digest        VARCHAR(36)  NOT NULL,
    source_type   VARCHAR(36)  NOT NULL,
    source        TEXT         NOT NULL,
    schema_json   TEXT,
    profile_json  TEXT,
    CONSTRAINT datasets_identity UNIQUE (experiment_id, name, digest)
);

-- Which runs used which datasets; logging the same dataset to a run again changes nothing.
CREATE TABLE run_inputs (
    run_id     CHAR(32) NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    dataset_id CHAR(32) NOT NULL REFERENCES datasets (dataset_id),
    PRIMARY KEY (run_id, dataset_id)
);
-- Lets a datasets.name or datasets.digest filter find the runs of a dataset.
CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_id, run_id);

-- How a run used a dataset (mlflow.data.context = training, …).
CREATE TABLE run_input_tags (
    run_id     CHAR(32)     NOT NULL,
    dataset_id CHAR(32)     NOT NULL,
    tag_key    VARCHAR(255) NOT NULL,
    tag_value  VARCHAR(500) NOT NULL,
    PRIMARY KEY (run_id, dataset_id, tag_key),
    FOREIGN KEY (run_id, dataset_id) REFERENCES run_inputs (run_id, dataset_id) ON DELETE CASCADE
);
