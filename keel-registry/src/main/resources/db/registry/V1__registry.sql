-- The model registry. Portable between SQLite and PostgreSQL: no vendor types, no sequences.
-- Models are keyed by a number, not their name, so a rename touches one row. Stages are stored as
-- MLflow spells them ('None', 'Staging', …), statuses and risk tiers as their names.
-- Free text (descriptions, sources, paths, JSON) is never indexed: PostgreSQL refuses btree rows
-- over ~2.7 kB.

CREATE TABLE registered_models (
    model_id          BIGINT        NOT NULL PRIMARY KEY,
    name              VARCHAR(256)  NOT NULL,
    description       VARCHAR(5000),
    owner             VARCHAR(256)  NOT NULL,
    risk_tier         VARCHAR(16)   NOT NULL,
    creation_time     BIGINT        NOT NULL,
    last_updated_time BIGINT        NOT NULL,
    -- the highest version number ever given, so a deleted version's number is never reused
    last_version      BIGINT        NOT NULL,
    CONSTRAINT registered_models_name_unique UNIQUE (name)
);
-- Keyset paging ordered by last update.
CREATE INDEX registered_models_by_update ON registered_models (last_updated_time, name);

CREATE TABLE registered_model_tags (
    model_id  BIGINT        NOT NULL REFERENCES registered_models (model_id) ON DELETE CASCADE,
    tag_key   VARCHAR(250)  NOT NULL,
    tag_value VARCHAR(5000) NOT NULL,
    PRIMARY KEY (model_id, tag_key)
) ${without_rowid};

CREATE TABLE model_versions (
    model_id          BIGINT        NOT NULL REFERENCES registered_models (model_id) ON DELETE CASCADE,
    version           BIGINT        NOT NULL,
    creation_time     BIGINT        NOT NULL,
    last_updated_time BIGINT        NOT NULL,
    user_id           VARCHAR(256)  NOT NULL,
    current_stage     VARCHAR(20)   NOT NULL,
    description       VARCHAR(5000),
    source            VARCHAR(500)  NOT NULL,
    run_id            CHAR(32),
    status            VARCHAR(32)   NOT NULL,
    status_message    VARCHAR(500),
    run_link          VARCHAR(500),
    -- the manifest, fixed at registration: flavor, the file a runtime loads, signature and lineage
    -- as JSON; the files with their digests are rows of model_version_files
    flavor            VARCHAR(16)   NOT NULL,
    model_file        VARCHAR(1024) NOT NULL,
    signature         TEXT,
    lineage           TEXT          NOT NULL,
    PRIMARY KEY (model_id, version)
) ${without_rowid};
-- "The newest version in stage S" (latest versions) without visiting every version.
CREATE INDEX model_versions_by_stage ON model_versions (model_id, current_stage, version);
-- "Which versions came from run R" (run_id = / IN filters, lineage questions).
CREATE INDEX model_versions_by_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    model_id  BIGINT        NOT NULL,
    version   BIGINT        NOT NULL,
    tag_key   VARCHAR(250)  NOT NULL,
    tag_value VARCHAR(5000) NOT NULL,
    PRIMARY KEY (model_id, version, tag_key),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
) ${without_rowid};

-- Every file of a version, in path order. Keyed by position, not path: a path may be 1024
-- characters, too long for a PostgreSQL index row; a version's files are read together anyway.
CREATE TABLE model_version_files (
    model_id   BIGINT        NOT NULL,
    version    BIGINT        NOT NULL,
    file_index INTEGER       NOT NULL,
    path       VARCHAR(1024) NOT NULL,
    sha256     CHAR(64)      NOT NULL,
    size_bytes BIGINT        NOT NULL,
    PRIMARY KEY (model_id, version, file_index),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
) ${without_rowid};

CREATE TABLE registered_model_aliases (
    model_id BIGINT       NOT NULL REFERENCES registered_models (model_id) ON DELETE CASCADE,
    alias    VARCHAR(255) NOT NULL,
    version  BIGINT       NOT NULL,
    PRIMARY KEY (model_id, alias),
    -- as MLflow: deleting a version removes the aliases pointing at it
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
) ${without_rowid};
CREATE INDEX registered_model_aliases_by_version ON registered_model_aliases (model_id, version);
