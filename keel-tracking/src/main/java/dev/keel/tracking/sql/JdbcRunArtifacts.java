package dev.keel.tracking.sql;

import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A run's files as rows: each path with the SHA-256 and size of its bytes in the content-addressed
 * store. Directories are implicit: a path under another is inside it.
 */
public record JdbcRunArtifacts(Connection connection) {

    public record StoredArtifact(String path, String sha256, long size) {
    }

    public Optional<StoredArtifact> artifact(String runId, String path) throws SQLException {
        return Rows.first(connection, "SELECT path, sha256, file_size FROM run_artifacts WHERE run_id = ? AND path = ?",
                JdbcRunArtifacts::stored, runId, path);
    }

    /** Every file under {@code directory} (the whole tree for the root), at any depth, by path. */
    public List<StoredArtifact> artifactsUnder(String runId, String directory) throws SQLException {
        SqlText sql = new SqlText().append("SELECT path, sha256, file_size FROM run_artifacts WHERE run_id = ").bind(runId);
        if (!directory.isEmpty()) {
            String prefix = directory + "/";
            // SUBSTR, not LIKE: a path may hold '%' or '_', and SQLite's LIKE ignores case
            sql.append(" AND SUBSTR(path, 1, " + prefix.length() + ") = ").bind(prefix);
        }
        return Rows.all(connection, sql.append(" ORDER BY path"), JdbcRunArtifacts::stored);
    }

    public void putArtifact(String runId, String path, String sha256, long size) throws SQLException {
        Rows.update(connection, "INSERT INTO run_artifacts (run_id, path, sha256, file_size) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, file_size = excluded.file_size",
                runId, path, sha256, size);
    }

    /** Forgets the file at {@code path}, or every file under it when it is a directory; says how many. */
    public int deleteArtifacts(String runId, String path) throws SQLException {
        String prefix = path + "/";
        return Rows.update(connection, "DELETE FROM run_artifacts WHERE run_id = ? AND (path = ? OR SUBSTR(path, 1, " + prefix.length()
                + ") = ?)", runId, path, prefix);
    }

    private static StoredArtifact stored(ResultSet row) throws SQLException {
        return new StoredArtifact(row.getString(1), row.getString(2), row.getLong(3));
    }
}
