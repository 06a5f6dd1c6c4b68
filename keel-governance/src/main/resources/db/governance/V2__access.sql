-- Users, API tokens and per-resource permission grants. Portable between SQLite and PostgreSQL.
-- Passwords are kept as Argon2id PHC strings; a user without a password signs in by token only.
-- Tokens are kept as the SHA-256 (hex) of the secret, which is shown once and never stored.

CREATE TABLE access_users (
    name          VARCHAR(256) NOT NULL PRIMARY KEY,
    password_hash VARCHAR(512),
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE access_tokens (
    token_id      CHAR(16)     NOT NULL PRIMARY KEY,
    user_name     VARCHAR(256) NOT NULL REFERENCES access_users (name) ON DELETE CASCADE,
    description   VARCHAR(256) NOT NULL,
    secret_sha256 CHAR(64)     NOT NULL,
    created_at    BIGINT       NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    last_used_at  BIGINT,
    CONSTRAINT access_tokens_secret_unique UNIQUE (secret_sha256)
);
CREATE INDEX access_tokens_by_user ON access_tokens (user_name, created_at);

-- No foreign key to access_users: a resource's creator keeps MANAGE on it even when Keel ran
-- with authentication off and knew no users then.
CREATE TABLE access_grants (
    resource_kind VARCHAR(32)  NOT NULL,
    resource_id   VARCHAR(256) NOT NULL,
    user_name     VARCHAR(256) NOT NULL,
    permission    VARCHAR(16)  NOT NULL,
    PRIMARY KEY (resource_kind, resource_id, user_name)
);
CREATE INDEX access_grants_by_user ON access_grants (user_name, resource_kind, resource_id);
