package dev.keel.server.mlflow;

import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of one MLflow request, read the way MLflow's server reads its protobuf messages:
 * a POST's JSON body or a GET's query string (a repeated parameter is a list), unknown fields
 * ignored, int64 fields as JSON numbers or as strings (MLflow's Java client writes them as
 * strings), a missing required field named in MLflow's words.
 */
final class MlflowRequest {
    /** What MLflow itself accepts as a run id; a Keel run id is stricter (32 lowercase hex). */
    private static final Pattern MLFLOW_RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");

    private final JsonNode fields;

    private MlflowRequest(JsonNode fields) {
        this.fields = fields;
    }

    static MlflowRequest ofBody(JsonNode body) {
        if (!body.isObject()) {
            throw KeelException.invalid("the request body must be a JSON object");
        }
        return new MlflowRequest(body);
    }

    static MlflowRequest ofQuery(Map<String, List<String>> query) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        query.forEach((name, values) -> {
            if (values.size() == 1) {
                fields.put(name, values.get(0));
            } else {
                ArrayNode list = fields.putArray(name);
                values.forEach(list::add);
            }
        });
        return new MlflowRequest(fields);
    }

    static KeelException missing(String field) {
        return KeelException.invalid("Missing value for required parameter '" + field
                + "'. See the API docs for more information about request parameters.");
    }

    private static KeelException badValue(String field, JsonNode value, String expected) {
        String shown = value.toString();
        shown = shown.length() > 64 ? shown.substring(0, 64) + "…" : shown;
        return KeelException.invalid("Invalid value " + shown + " for parameter '" + field + "' supplied: expected "
                + expected + ".");
    }

    private JsonNode present(String field) {
        JsonNode value = fields.get(field);
        return value == null || value.isNull() ? null : value;
    }

    String text(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            throw badValue(field, value, "a string");
        }
        return value.asText();
    }

    String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isEmpty()) {
            throw missing(field);
        }
        return value;
    }

    /** An int64 (or int32) field: a JSON integer, or a string of one. */
    Long int64(String field) {
        return scalar(field, value -> value.isIntegralNumber() && value.canConvertToLong(), JsonNode::asLong,
                text -> Long.parseLong(text.trim()), "an integer");
    }

    long requiredInt64(String field) {
        Long value = int64(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    int int32(String field, int absent) {
        Long value = int64(field);
        if (value == null) {
            return absent;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw badValue(field, fields.get(field), "a 32-bit integer");
        }
        return value.intValue();
    }

    /** A double: a JSON number, or a string of one ("NaN", "Infinity" and "-Infinity" included). */
    Double number(String field) {
        return scalar(field, JsonNode::isNumber, JsonNode::asDouble, text -> Double.parseDouble(text.trim()), "a number");
    }

    Boolean bool(String field) {
        return scalar(field, JsonNode::isBoolean, JsonNode::asBoolean, text -> {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(text);
            }
            return Boolean.parseBoolean(text);
        }, "true or false");
    }

    /**
     * A field that is a JSON scalar of its own type or a string of one, as MLflow's protobuf
     * parsing accepts both; null when absent, a 400 naming the field and {@code expected} when
     * neither.
     */
    private <T> T scalar(String field, Predicate<JsonNode> isNative, Function<JsonNode, T> asNative,
                         Function<String, T> parse, String expected) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (isNative.test(value)) {
            return asNative.apply(value);
        }
        if (value.isTextual()) {
            try {
                return parse.apply(value.asText());
            } catch (IllegalArgumentException e) {
                throw badValue(field, value, expected);
            }
        }
        throw badValue(field, value, expected);
    }

    /** A repeated string field: a JSON array, or one value (a query parameter given once). */
    List<String> texts(String field) {
        JsonNode value = present(field);
        List<String> values = new ArrayList<>();
        if (value == null) {
            return values;
        }
        if (value.isValueNode()) {
            values.add(value.asText());
            return values;
        }
        if (!value.isArray()) {
            throw badValue(field, value, "a list of strings");
        }
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw badValue(field, value, "a list of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    /** A repeated message field: the objects of a JSON array. */
    List<MlflowRequest> messages(String field) {
        JsonNode value = present(field);
        List<MlflowRequest> messages = new ArrayList<>();
        if (value == null) {
            return messages;
        }
        if (!value.isArray()) {
            throw badValue(field, value, "a list of objects");
        }
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw badValue(field, item, "an object");
            }
            messages.add(new MlflowRequest(item));
        }
        return messages;
    }

    MlflowRequest message(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw badValue(field, value, "an object");
        }
        return new MlflowRequest(value);
    }

    <E extends Enum<E>> E enumeration(String field, Class<E> type) {
        String value = text(field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badValue(field, fields.get(field), "one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * The run a request names, by {@code run_id} or by the older {@code run_uuid}. An id MLflow
     * would accept but that no Keel run can have is answered as MLflow answers an unknown run.
     */
    String runId() {
        String id = text("run_id");
        if (id == null || id.isEmpty()) {
            id = text("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw missing("run_id");
        }
        return runId(id);
    }

    static String runId(String id) {
        if (!Ids.isRunId(id) && MLFLOW_RUN_ID.matcher(id).matches()) {
            throw KeelException.notFound("Run with id=" + id + " not found");
        }
        return id;
    }

    String experimentId(String field) {
        String id = requiredText(field);
        Ids.requireExperimentId(field, id);
        return id;
    }
}
