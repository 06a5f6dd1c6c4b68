-- Approval requests and the decisions on them. Portable between SQLite and PostgreSQL.
-- A request names its version by model id and number, so a rename keeps it; deleting the version
-- removes its requests (the audit trail keeps their history). The checks' results are stored as
-- JSON text, read whole, taken once when the request was made. The tier and the number of
-- approvals needed are copied in, so a later policy or tier change does not move the goalposts.

CREATE TABLE approval_requests (
    request_id         BIGINT        NOT NULL PRIMARY KEY,
    model_id           BIGINT        NOT NULL,
    version            BIGINT        NOT NULL,
    target_kind        VARCHAR(16)   NOT NULL,
    target_value       VARCHAR(255)  NOT NULL,
    requester          VARCHAR(256)  NOT NULL,
    created_time       BIGINT        NOT NULL,
    risk_tier          VARCHAR(16)   NOT NULL,
    required_approvals INTEGER       NOT NULL,
    status             VARCHAR(16)   NOT NULL,
    checks             TEXT          NOT NULL,
    last_updated_time  BIGINT        NOT NULL,
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);
CREATE INDEX approval_requests_by_model ON approval_requests (model_id, request_id);
CREATE INDEX approval_requests_by_status ON approval_requests (status, request_id);

-- One decision per person per request: the key is what keeps two approvals from one person.
CREATE TABLE approval_decisions (
    request_id   BIGINT        NOT NULL REFERENCES approval_requests (request_id) ON DELETE CASCADE,
    decision_no  INTEGER       NOT NULL,
    decided_by   VARCHAR(256)  NOT NULL,
    decided_time BIGINT        NOT NULL,
    verdict      VARCHAR(16)   NOT NULL,
    reason       VARCHAR(1000),
    PRIMARY KEY (request_id, decided_by)
);
