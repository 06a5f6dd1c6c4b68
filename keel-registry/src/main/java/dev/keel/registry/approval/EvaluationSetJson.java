package dev.keel.registry.approval;

import dev.keel.api.approval.EvaluationSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of an evaluation set: compact JSON with its keys in a fixed order
 * ({@code predicted}, {@code actual}, {@code sensitive_attributes} by attribute name), no
 * whitespace, UTF-8. The same content always gives the same text, so its SHA-256 names the set
 * whichever client sent it and however its JSON was laid out. It is also how the set is stored.
 */
public final class EvaluationSetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationSetJson() {
    }

    public static String write(EvaluationSet set) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode predicted = root.putArray("predicted");
        set.predicted().forEach(predicted::add);
        ArrayNode actual = root.putArray("actual");
        set.actual().forEach(actual::add);
        ObjectNode attributes = root.putObject("sensitive_attributes");
        // the record keeps its attributes in name order already
        for (Map.Entry<String, List<String>> attribute : set.sensitiveAttributes().entrySet()) {
            ArrayNode groups = attributes.putArray(attribute.getKey());
            attribute.getValue().forEach(groups::add);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an evaluation set cannot be written as JSON", e);
        }
    }

    /** The set from its canonical (stored) form. */
    public static EvaluationSet read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored evaluation set is not valid JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("sensitive_attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            List<String> groups = new ArrayList<>(attribute.getValue().size());
            attribute.getValue().forEach(group -> groups.add(group.textValue()));
            attributes.put(attribute.getKey(), groups);
        }
        return new EvaluationSet(booleans(root.get("predicted")), booleans(root.get("actual")), attributes);
    }

    /** The lowercase hex SHA-256 of {@code canonical} in UTF-8. */
    public static String sha256(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static List<Boolean> booleans(JsonNode array) {
        List<Boolean> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.booleanValue()));
        return values;
    }
}
