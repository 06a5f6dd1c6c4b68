-- A stage request may ask, as a direct transition can, that the versions already in the target
-- stage move to Archived when it is applied. Kept with the request so the approvers see what
-- they approve. Portable: SQLite and PostgreSQL both add a column with a constant default.

ALTER TABLE approval_requests ADD COLUMN archive_existing_versions BOOLEAN NOT NULL DEFAULT FALSE;
