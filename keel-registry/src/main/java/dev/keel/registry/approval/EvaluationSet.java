package dev.keel.registry.approval;

import dev.keel.core.KeelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's binary decisions on an evaluation data set, beside the true outcomes and, per
 * sensitive attribute ({@code home_ownership}, {@code age_band}), each row's group. Row i of
 * every list describes the same example.
 */
public record EvaluationSet(List<Boolean> predicted, List<Boolean> actual, Map<String, List<String>> sensitiveAttributes) {
    public EvaluationSet {
        predicted = rows("predicted", predicted);
        actual = rows("actual", actual);
        if (predicted.isEmpty()) {
            throw KeelException.invalid("an evaluation set needs at least one row");
        }
        if (actual.size() != predicted.size()) {
            throw KeelException.invalid("an evaluation set has " + predicted.size() + " predicted values but "
                    + actual.size() + " actual ones; every row needs both");
        }
        if (sensitiveAttributes == null) {
            throw KeelException.invalid("missing value for 'sensitive_attributes'");
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : new TreeMap<>(sensitiveAttributes).entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isBlank()) {
                throw KeelException.invalid("a sensitive attribute needs a name");
            }
            List<String> groups = rows("sensitive_attributes." + name, entry.getValue());
            if (groups.size() != predicted.size()) {
                throw KeelException.invalid("sensitive attribute '" + name + "' has " + groups.size()
                        + " values but the evaluation set has " + predicted.size() + " rows");
            }
            attributes.put(name, groups);
        }
        sensitiveAttributes = java.util.Collections.unmodifiableMap(attributes);
    }

    /** Each row's group for {@code attribute}; a 400 naming the attributes there are when it is absent. */
    public List<String> groups(String attribute) {
        List<String> groups = sensitiveAttributes.get(attribute);
        if (groups == null) {
            throw KeelException.invalid("the evaluation set has no sensitive attribute '" + attribute + "'"
                    + (sensitiveAttributes.isEmpty() ? "" : "; it has " + String.join(", ", sensitiveAttributes.keySet())));
        }
        return groups;
    }

    private static <T> List<T> rows(String field, List<T> values) {
        if (values == null) {
            throw KeelException.invalid("missing value for '" + field + "'");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw KeelException.invalid("'" + field + "[" + i + "]' is null; every row needs a value");
            }
        }
        return List.copyOf(values);
    }
}
