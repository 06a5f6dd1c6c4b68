package dev.keel.registry.sql;

import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The manifest parts kept as JSON columns: the signature and the lineage. Written and read here
 * only, so the stored shape is whatever these records serialise to.
 */
final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ManifestJson() {
    }

    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "cannot write the manifest: " + e.getMessage(), e);
        }
    }

    static Signature signature(String json) {
        return json == null ? null : read(json, Signature.class);
    }

    static Lineage lineage(String json) {
        return json == null ? Lineage.NONE : read(json, Lineage.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "a stored manifest cannot be read: " + e.getMessage(), e);
        }
    }
}
