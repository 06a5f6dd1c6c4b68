-- Staged audit events: on PostgreSQL an audited transaction inserts its event here, with no
-- lock on the chain head, so concurrent writers commit concurrently. Shortly after, one chainer
-- at a time (it holds the chain head's row lock) deletes the staged events it can see, in
-- arrival order, and appends them to audit_events with their sequence numbers and hashes, in
-- one transaction: an event is staged or chained, never both, never neither. Reading the
-- trail (verify, log, export, checkpoint) chains whatever is staged first.
--
-- On SQLite the one writer thread already orders every append, so events go straight into
-- the chain and this table stays empty (there BIGSERIAL is only a type name).

CREATE TABLE audit_staged (
    arrival     BIGSERIAL     NOT NULL PRIMARY KEY,
    recorded_at BIGINT        NOT NULL,
    actor       VARCHAR(256)  NOT NULL,
    action      VARCHAR(100)  NOT NULL,
    resource    VARCHAR(1000) NOT NULL,
    summary     TEXT          NOT NULL
);
