-- Experiment tracking. Portable between SQLite and PostgreSQL: no vendor types, no sequences.
-- The without_rowid placeholder makes SQLite keep a table in its primary key's B-tree (one tree per insert,
-- not two); PostgreSQL has no such option and gets an empty string.
-- Lifecycle stages are stored as MLflow spells them ('active', 'deleted'), statuses as their names.

CREATE TABLE experiments (
    experiment_id     BIGINT        NOT NULL PRIMARY KEY,
    name              VARCHAR(500)  NOT NULL,
    artifact_location VARCHAR(2048) NOT NULL,
    lifecycle_stage   VARCHAR(16)   NOT NULL,
    creation_time     BIGINT        NOT NULL,
    last_update_time  BIGINT        NOT NULL,
    CONSTRAINT experiments_name_unique UNIQUE (name)
);

CREATE TABLE experiment_tags (
    experiment_id BIGINT        NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    tag_key       VARCHAR(250)  NOT NULL,
    tag_value     VARCHAR(5000) NOT NULL,
    PRIMARY KEY (experiment_id, tag_key)
);

CREATE TABLE runs (
    run_id          CHAR(32)      NOT NULL PRIMARY KEY,
    experiment_id   BIGINT        NOT NULL REFERENCES experiments (experiment_id),
    run_name        VARCHAR(250)  NOT NULL,
    user_id         VARCHAR(256),
    status          VARCHAR(16)   NOT NULL,
    start_time      BIGINT        NOT NULL,
    end_time        BIGINT,
    artifact_uri    VARCHAR(2048) NOT NULL,
    lifecycle_stage VARCHAR(16)   NOT NULL
);
-- The default search order (start_time DESC, run_id) within the experiments searched.
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time, run_id);

CREATE TABLE params (
    run_id      CHAR(32)      NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    param_key   VARCHAR(250)  NOT NULL,
    param_value VARCHAR(6000) NOT NULL,
    PRIMARY KEY (run_id, param_key)
) ${without_rowid};
-- Lets a selective param filter drive a search instead of visiting every run. On a prefix of
-- the value: PostgreSQL refuses index rows over ~2.7 kB, and a param value may be 6000 chars.
-- An equality filter compares the same prefix first (RunQuery), so the index serves it.
CREATE INDEX params_by_key ON params (param_key, substr(param_value, 1, 200));

CREATE TABLE run_tags (
    run_id    CHAR(32)      NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    tag_key   VARCHAR(250)  NOT NULL,
    tag_value VARCHAR(5000) NOT NULL,
    PRIMARY KEY (run_id, tag_key)
) ${without_rowid};

-- Every point of every metric. SQLite turns a NaN into NULL, so NaN is a flag (value 0).
-- The key is the whole point, as in MLflow: logging an identical point twice stores it once,
-- and history pages can resume after the last point seen (keyset paging).
CREATE TABLE metrics (
    run_id       CHAR(32)         NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    metric_key   VARCHAR(250)     NOT NULL,
    step         BIGINT           NOT NULL,
    metric_time  BIGINT           NOT NULL,
    metric_value DOUBLE PRECISION NOT NULL,
    is_nan       BOOLEAN          NOT NULL,
    PRIMARY KEY (run_id, metric_key, step, metric_time, metric_value, is_nan)
) ${without_rowid};

-- The latest point per run and key (highest step, then time, then value), kept on write so
-- that reads and searches never aggregate the history.
CREATE TABLE latest_metrics (
    run_id       CHAR(32)         NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    metric_key   VARCHAR(250)     NOT NULL,
    step         BIGINT           NOT NULL,
    metric_time  BIGINT           NOT NULL,
    metric_value DOUBLE PRECISION NOT NULL,
    is_nan       BOOLEAN          NOT NULL,
    PRIMARY KEY (run_id, metric_key)
) ${without_rowid};
CREATE INDEX latest_metrics_by_key ON latest_metrics (metric_key, metric_value);

-- A run's artifact tree: each file's path and the content-addressed blob holding its bytes.
CREATE TABLE run_artifacts (
    run_id    CHAR(32)      NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    path      VARCHAR(1024) NOT NULL,
    sha256    CHAR(64)      NOT NULL,
    file_size BIGINT        NOT NULL,
    PRIMARY KEY (run_id, path)
);
