package dev.keel.registry.sql;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Model versions' evaluation sets on one connection (the caller's transaction, or a read). */
public record JdbcEvaluationSetStore(Connection connection) {

    private static final JsonList<String> ATTRIBUTES = new JsonList<>("attribute names", new TypeReference<>() { });

    /** A stored set: its size, attribute names and digest, who recorded it when, and the canonical content. */
    public record StoredEvaluationSet(int rows, List<String> attributes, String sha256, String recordedBy, long recordedTime,
                                      String content) {
    }

    /** On the connection (and so in the transaction) of {@code models}. */
    public JdbcEvaluationSetStore(JdbcModelStore models) {
        this(models.connection());
    }

    /** Records the version's set, replacing the one before. */
    public void upsert(long modelId, long version, StoredEvaluationSet set) throws SQLException {
        Rows.update(connection, "INSERT INTO model_evaluation_sets (model_id, version, row_count, attributes, content, "
                + "sha256, recorded_by, recorded_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id, version) "
                + "DO UPDATE SET row_count = excluded.row_count, attributes = excluded.attributes, "
                + "content = excluded.content, sha256 = excluded.sha256, recorded_by = excluded.recorded_by, "
                + "recorded_time = excluded.recorded_time", modelId, version, set.rows(), ATTRIBUTES.write(set.attributes()),
                set.content(), set.sha256(), set.recordedBy(), set.recordedTime());
    }

    /** The version's set, if one was recorded. */
    public Optional<StoredEvaluationSet> find(long modelId, long version) throws SQLException {
        return Rows.first(connection, "SELECT row_count, attributes, sha256, recorded_by, recorded_time, content "
                        + "FROM model_evaluation_sets WHERE model_id = ? AND version = ?",
                row -> new StoredEvaluationSet(row.getInt(1), ATTRIBUTES.read(row.getString(2)), row.getString(3),
                        row.getString(4), row.getLong(5), row.getString(6)), modelId, version);
    }
}
