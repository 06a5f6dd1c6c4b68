-- The audit format each event was hashed in. Format 1 is the formula of V1: SHA-256(previous
-- hash || canonical JSON of the event). Every event before this column was format 1, and Keel
-- writes 1 for every new one; a Keel that hashes differently writes a new number, so that a
-- replay by a Keel that does not know it says so instead of calling intact events altered.
-- Portable between SQLite and PostgreSQL (both add a NOT NULL column with a constant default).

ALTER TABLE audit_events ADD COLUMN format INTEGER NOT NULL DEFAULT 1;

-- Staged events (PostgreSQL) carry the format their writer speaks; the chainer hashes only its own.
ALTER TABLE audit_staged ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
