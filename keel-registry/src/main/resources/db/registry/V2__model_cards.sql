-- Model cards: one per model version, the author's document as JSON text (portable: PostgreSQL's
-- json types have no SQLite counterpart, and the card is only ever read whole). The manifest's
-- facts (flavor, signature, files) are not copied in; they are read from the version itself.
-- A version without a row here has no saved card yet; the service then offers a prefilled draft.
-- Not WITHOUT ROWID on SQLite: a card can be hundreds of kilobytes, and large rows belong in a
-- rowid table.

CREATE TABLE model_cards (
    model_id          BIGINT       NOT NULL,
    version           BIGINT       NOT NULL,
    card              TEXT         NOT NULL,
    updated_by        VARCHAR(256) NOT NULL,
    last_updated_time BIGINT       NOT NULL,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);
