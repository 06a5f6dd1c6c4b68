package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON bodies MLflow's scoring server takes at {@code POST /invocations}: exactly one
 * of {@code dataframe_split} ({@code {columns, data[, index]}}), {@code dataframe_records}
 * ({@code [{column: value}, …]}), {@code instances} or {@code inputs} (a list of rows or records,
 * or an object of named arrays), plus an optional {@code params} object MLflow passes to the
 * model, which Keel's models take none of.
 */
final class ScoringRequestReader {
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private final ObjectMapper mapper;
    private final int maxRows;

    ScoringRequestReader(ObjectMapper mapper, int maxRows) {
        this.mapper = mapper;
        this.maxRows = maxRows;
    }

    /** Keel's own predict body: {@code {"records": [{feature: value}, …]}}. */
    ScoringInput readRecords(byte[] body) {
        JsonNode root = tree(body);
        if (root == null || !root.isObject() || !root.has("records")) {
            throw KeelException.invalid("the request body must be a JSON object with 'records', a list of"
                    + " {feature: value} objects");
        }
        return records("records", root.get("records"));
    }

    ScoringInput read(byte[] body) {
        JsonNode root = tree(body);
        if (root == null || !root.isObject()) {
            throw KeelException.invalid("the request body must be a JSON object with one of " + String.join(", ", FORMATS));
        }
        String format = null;
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (FORMATS.contains(name)) {
                if (format != null) {
                    throw KeelException.invalid("the request body has both '" + format + "' and '" + name
                            + "'; send exactly one of " + String.join(", ", FORMATS));
                }
                format = name;
            } else if (!name.equals("params")) {
                throw KeelException.invalid("the request body has unknown field '" + name + "'; expected one of "
                        + String.join(", ", FORMATS) + " (and optionally 'params')");
            }
        }
        if (format == null) {
            throw KeelException.invalid("the request body needs one of " + String.join(", ", FORMATS));
        }
        JsonNode value = root.get(format);
        return switch (format) {
            case "dataframe_split" -> split(value);
            case "dataframe_records" -> records("dataframe_records", value);
            default -> tensors(format, value);
        };
    }

    private JsonNode tree(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KeelException.invalid("the request body could not be read: " + e.getMessage());
        }
    }

    private ScoringInput.Frame split(JsonNode split) {
        if (!split.isObject()) {
            throw KeelException.invalid("'dataframe_split' must be an object with 'columns' and 'data'");
        }
        JsonNode columns = split.get("columns");
        JsonNode data = split.get("data");
        if (columns == null || !columns.isArray()) {
            throw KeelException.invalid("'dataframe_split.columns' must be an array of column names");
        }
        if (data == null || !data.isArray()) {
            throw KeelException.invalid("'dataframe_split.data' must be an array of rows");
        }
        List<String> names = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            if (!column.isTextual() || column.asText().isBlank()) {
                throw KeelException.invalid("'dataframe_split.columns[" + i + "]' must be a column name");
            }
            if (names.contains(column.asText())) {
                throw KeelException.invalid("'dataframe_split.columns' names '" + column.asText() + "' twice");
            }
            names.add(column.asText());
        }
        requireRows("dataframe_split.data", data.size());
        List<JsonNode[]> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.size() != names.size()) {
                throw KeelException.invalid("'dataframe_split.data[" + r + "]' must be an array of " + names.size()
                        + " values, one per column");
            }
            JsonNode[] values = new JsonNode[names.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = row.get(c);
            }
            rows.add(values);
        }
        return new ScoringInput.Frame(names, rows);
    }

    private ScoringInput.Frame records(String field, JsonNode records) {
        if (!records.isArray()) {
            throw KeelException.invalid("'" + field + "' must be an array of {column: value} records");
        }
        requireRows(field, records.size());
        if (records.isEmpty()) {
            throw KeelException.invalid("'" + field + "' has no records");
        }
        List<String> names = new ArrayList<>();
        records.get(0).fieldNames().forEachRemaining(names::add);
        List<JsonNode[]> rows = new ArrayList<>(records.size());
        for (int r = 0; r < records.size(); r++) {
            JsonNode record = records.get(r);
            if (!record.isObject()) {
                throw KeelException.invalid("'" + field + "[" + r + "]' must be an object of column values");
            }
            if (record.size() != names.size()) {
                throw KeelException.invalid("'" + field + "[" + r + "]' has " + record.size() + " columns; the first"
                        + " record has " + names.size() + " (" + String.join(", ", names) + ")");
            }
            JsonNode[] values = new JsonNode[names.size()];
            for (int c = 0; c < values.length; c++) {
                JsonNode value = record.get(names.get(c));
                if (value == null) {
                    throw KeelException.invalid("'" + field + "[" + r + "]' has no column '" + names.get(c) + "'");
                }
                values[c] = value;
            }
            rows.add(values);
        }
        return new ScoringInput.Frame(names, rows);
    }

    private ScoringInput tensors(String field, JsonNode value) {
        if (value.isArray()) {
            requireRows(field, value.size());
            if (!value.isEmpty() && value.get(0).isObject()) {
                return records(field, value);
            }
            return new ScoringInput.Unnamed(value);
        }
        if (value.isObject()) {
            Map<String, JsonNode> named = new LinkedHashMap<>();
            value.properties().forEach(entry -> named.put(entry.getKey(), entry.getValue()));
            if (named.isEmpty()) {
                throw KeelException.invalid("'" + field + "' names no inputs");
            }
            return new ScoringInput.Named(named);
        }
        throw KeelException.invalid("'" + field + "' must be a list of rows or an object of named inputs");
    }

    private void requireRows(String field, int rows) {
        if (rows > maxRows) {
            throw new KeelException(dev.keel.core.ErrorCode.PAYLOAD_TOO_LARGE, "'" + field + "' has " + rows
                    + " rows; at most " + maxRows + " are taken in one request");
        }
    }
}
