package dev.keel.api.approval;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model's binary decisions on an evaluation data set, beside the true outcomes and, per
 * sensitive attribute ({@code home_ownership}, {@code age_band}), each row's group. Row i of
 * every list describes the same example. Attributes are kept in name order, so two sets with the
 * same content are equal and have the same canonical form.
 *
 * <p>The limits keep a set something a fairness check can read whole in one request: enough
 * rows for stable rates, a handful of attributes, and groups that are categories rather than
 * identifiers (a group per applicant compares nothing).
 */
public record EvaluationSet(List<Boolean> predicted, List<Boolean> actual, Map<String, List<String>> sensitiveAttributes) {
    public static final int MAX_ROWS = 100_000;
    public static final int MAX_ATTRIBUTES = 10;
    public static final int MAX_GROUPS = 100;
    public static final int MAX_GROUP_LENGTH = 100;
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 100;

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
        if (sensitiveAttributes.size() > MAX_ATTRIBUTES) {
            throw KeelException.invalid("'sensitive_attributes' holds " + sensitiveAttributes.size()
                    + " attributes; at most " + MAX_ATTRIBUTES + " are allowed");
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : new TreeMap<>(sensitiveAttributes).entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isBlank()) {
                throw KeelException.invalid("a sensitive attribute needs a name");
            }
            if (name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
                throw KeelException.invalid("sensitive attribute name '" + name.substring(0, 40) + "…' in "
                        + "'sensitive_attributes' is " + name.length() + " characters long; at most "
                        + MAX_ATTRIBUTE_NAME_LENGTH + " are allowed");
            }
            Checks.requireValidKey("sensitive attribute name", name);
            String field = "sensitive_attributes." + name;
            List<String> groups = rows(field, entry.getValue());
            if (groups.size() != predicted.size()) {
                throw KeelException.invalid("sensitive attribute '" + name + "' has " + groups.size()
                        + " values but the evaluation set has " + predicted.size() + " rows");
            }
            requireGroups(field, groups);
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

    public int rows() {
        return predicted.size();
    }

    /** The whole set's figures: every row as one group named "all". */
    public GroupRates overall() {
        return GroupRates.of("all", predicted, actual);
    }

    /** Per group of {@code attribute}, by group name: its rows and the shares predicted and actually positive. */
    public List<GroupRates> rates(String attribute) {
        List<String> groups = groups(attribute);
        Map<String, List<Integer>> rowsByGroup = new TreeMap<>();
        for (int i = 0; i < groups.size(); i++) {
            rowsByGroup.computeIfAbsent(groups.get(i), g -> new java.util.ArrayList<>()).add(i);
        }
        return rowsByGroup.entrySet().stream().map(e -> GroupRates.of(e.getKey(),
                e.getValue().stream().map(predicted::get).toList(), e.getValue().stream().map(actual::get).toList())).toList();
    }

    private static void requireGroups(String field, List<String> groups) {
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group.isBlank()) {
                throw KeelException.invalid("'" + field + "[" + i + "]' is blank; every row needs a group");
            }
            if (group.length() > MAX_GROUP_LENGTH) {
                throw KeelException.invalid("'" + field + "[" + i + "]' is " + group.length()
                        + " characters long; at most " + MAX_GROUP_LENGTH + " are allowed");
            }
            if (distinct.add(group) && distinct.size() > MAX_GROUPS) {
                throw KeelException.invalid("'" + field + "' has more than " + MAX_GROUPS
                        + " distinct groups; a sensitive attribute holds categories, not identifiers");
            }
        }
    }

    private static <T> List<T> rows(String field, List<T> values) {
        if (values == null) {
            throw KeelException.invalid("missing value for '" + field + "'");
        }
        if (values.size() > MAX_ROWS) {
            throw KeelException.invalid("'" + field + "' holds " + values.size() + " rows; an evaluation set holds at most "
                    + MAX_ROWS);
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw KeelException.invalid("'" + field + "[" + i + "]' is null; every row needs a value");
            }
        }
        return List.copyOf(values);
    }
}
