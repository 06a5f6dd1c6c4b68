-- The audit trail: an append-only hash chain. Portable between SQLite and PostgreSQL.
-- Each event's hash is SHA-256(previous hash || canonical JSON of the event); hashes are lowercase hex.
-- Keel only ever inserts into audit_events; nothing updates or deletes a row, and verification
-- notices if someone does.

CREATE TABLE audit_events (
    seq         BIGINT        NOT NULL PRIMARY KEY,
    recorded_at BIGINT        NOT NULL,
    actor       VARCHAR(256)  NOT NULL,
    action      VARCHAR(100)  NOT NULL,
    resource    VARCHAR(1000) NOT NULL,
    summary     TEXT          NOT NULL,
    prev_hash   CHAR(64)      NOT NULL,
    hash        CHAR(64)      NOT NULL
);

CREATE INDEX audit_events_resource ON audit_events (resource, seq);
CREATE INDEX audit_events_time ON audit_events (recorded_at, seq);

-- The chain's head, one row. Every append updates it in the appending transaction, so on
-- PostgreSQL the row lock orders concurrent appends (SQLite has one writer anyway).
CREATE TABLE audit_chain_head (
    id   INTEGER  NOT NULL PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL,
    CONSTRAINT audit_chain_head_one_row CHECK (id = 1)
);

INSERT INTO audit_chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Signed checkpoints: the head (seq, hash, time) signed with the ECDSA P-256 key in KEEL_HOME.
-- key_id is the SHA-256 of the signing public key (X.509 SubjectPublicKeyInfo), hex.
CREATE TABLE audit_checkpoints (
    seq        BIGINT       NOT NULL PRIMARY KEY,
    hash       CHAR(64)     NOT NULL,
    signed_at  BIGINT       NOT NULL,
    key_id     CHAR(64)     NOT NULL,
    signature  VARCHAR(200) NOT NULL
);
