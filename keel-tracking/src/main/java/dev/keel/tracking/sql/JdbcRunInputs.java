package dev.keel.tracking.sql;

import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.RunInputs;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The run-input tables (datasets, run_inputs, run_input_tags) through one connection. */
public record JdbcRunInputs(Connection connection) {

    /**
     * Records that {@code runId} used each dataset, with its tags. A dataset already known to the
     * experiment (same name and digest) is reused as it is; a dataset already recorded as an input
     * of the run keeps its tags, as MLflow does.
     */
    public void logInputs(String runId, long experimentId, List<DatasetInput> inputs, Supplier<String> newId)
            throws SQLException {
        for (DatasetInput input : inputs) {
            String datasetId = datasetId(experimentId, input.dataset(), newId);
            boolean added = Rows.update(connection, "INSERT INTO run_inputs (run_id, dataset_id) VALUES (?, ?) "
                    + "ON CONFLICT DO NOTHING", runId, datasetId) == 1;
            if (added && !input.tags().isEmpty()) {
                Map<String, InputTag> tags = new LinkedHashMap<>();
                input.tags().forEach(tag -> tags.put(tag.key(), tag));
                Rows.batch(connection, "INSERT INTO run_input_tags (run_id, dataset_id, tag_key, tag_value) "
                        + "VALUES (?, ?, ?, ?)", tags.values(), tag -> new Object[]{runId, datasetId, tag.key(), tag.value()});
            }
        }
    }

    private String datasetId(long experimentId, Dataset dataset, Supplier<String> newId) throws SQLException {
        Optional<String> known = existing(experimentId, dataset);
        if (known.isPresent()) {
            return known.get();
        }
        Rows.update(connection, "INSERT INTO datasets (dataset_id, experiment_id, name, digest, source_type, source, "
                + "schema_json, profile_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", newId.get(),
                experimentId, dataset.name(), dataset.digest(), dataset.sourceType(), dataset.source(), dataset.schema(),
                dataset.profile());
        // another writer may have inserted the same dataset first: its row is the one to use
        return existing(experimentId, dataset).orElseThrow();
    }

    private Optional<String> existing(long experimentId, Dataset dataset) throws SQLException {
        return Rows.first(connection, "SELECT dataset_id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                row -> row.getString(1), experimentId, dataset.name(), dataset.digest());
    }

    /** The inputs of each of {@code runIds} that has any, in two queries. */
    Map<String, RunInputs> of(List<String> runIds) throws SQLException {
        Map<String, RunInputs> found = new HashMap<>();
        if (runIds.isEmpty()) {
            return found;
        }
        Map<String, List<InputTag>> tags = new HashMap<>();
        SqlText tagSql = new SqlText().append("SELECT run_id, dataset_id, tag_key, tag_value FROM run_input_tags "
                + "WHERE run_id IN (").bindAll(runIds).append(") ORDER BY run_id, dataset_id, tag_key");
        Rows.group(connection, tagSql, rows -> rows.getString(1) + "/" + rows.getString(2),
                rows -> new InputTag(rows.getString(3), rows.getString(4)), tags);
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        SqlText sql = new SqlText().append("SELECT i.run_id, d.dataset_id, d.name, d.digest, d.source_type, d.source, "
                + "d.schema_json, d.profile_json FROM run_inputs i JOIN datasets d ON d.dataset_id = i.dataset_id "
                + "WHERE i.run_id IN (").bindAll(runIds).append(") ORDER BY i.run_id, d.name, d.digest");
        Rows.group(connection, sql, rows -> rows.getString(1), rows -> new DatasetInput(
                tags.get(rows.getString(1) + "/" + rows.getString(2)), new Dataset(rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8))), inputs);
        inputs.forEach((runId, list) -> found.put(runId, new RunInputs(list)));
        return found;
    }
}
