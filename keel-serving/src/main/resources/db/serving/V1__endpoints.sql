-- Endpoints and their canary rollouts. Portable between SQLite and PostgreSQL.
-- An endpoint's variants, policy and shadow are one JSON document read and written whole: the
-- router compiles it whole, and every change replaces it under the version check
-- (UPDATE ... WHERE version = ?), which is what makes concurrent changes a 409 instead of a lost update.

CREATE TABLE serving_endpoints (
    name              VARCHAR(63)   NOT NULL PRIMARY KEY,
    version           BIGINT        NOT NULL,
    definition        TEXT          NOT NULL,
    created_by        VARCHAR(256)  NOT NULL,
    created_time      BIGINT        NOT NULL,
    last_updated_time BIGINT        NOT NULL
);

-- A rollout's plan (steps and analysis) is copied in as JSON, so its history reads the same after
-- the endpoint's policy has moved on. The revision is the controller's and a person's version check.
CREATE TABLE serving_rollouts (
    rollout_id          BIGINT        NOT NULL PRIMARY KEY,
    endpoint            VARCHAR(63)   NOT NULL REFERENCES serving_endpoints (name) ON DELETE CASCADE,
    revision            BIGINT        NOT NULL,
    stable              VARCHAR(63)   NOT NULL,
    canary              VARCHAR(63)   NOT NULL,
    canary_model        TEXT          NOT NULL,
    plan                TEXT          NOT NULL,
    step                INTEGER       NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    reason              TEXT,
    started_time        BIGINT        NOT NULL,
    step_started_time   BIGINT        NOT NULL,
    check_due_time      BIGINT        NOT NULL,
    inconclusive_checks INTEGER       NOT NULL,
    ended_time          BIGINT,
    rollback            TEXT
);
CREATE INDEX serving_rollouts_by_endpoint ON serving_rollouts (endpoint, rollout_id);
-- at most one rollout in flight per endpoint, whatever races the service's own checks miss
CREATE UNIQUE INDEX serving_rollouts_one_active ON serving_rollouts (endpoint)
    WHERE status IN ('PROGRESSING', 'PAUSED');

CREATE TABLE serving_rollout_events (
    rollout_id    BIGINT           NOT NULL REFERENCES serving_rollouts (rollout_id) ON DELETE CASCADE,
    seq           INTEGER          NOT NULL,
    event_time    BIGINT           NOT NULL,
    actor         VARCHAR(256)     NOT NULL,
    kind          VARCHAR(32)      NOT NULL,
    canary_weight DOUBLE PRECISION NOT NULL,
    detail        TEXT,
    PRIMARY KEY (rollout_id, seq)
);
