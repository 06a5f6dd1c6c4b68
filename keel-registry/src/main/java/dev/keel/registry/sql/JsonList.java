package dev.keel.registry.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A list kept in one JSON text column (a request's check results, an evaluation set's
 * attribute names), written and read here with errors that name what it holds.
 *
 * @param what what the list holds, plural, for the errors: {@code "check results"}
 */
record JsonList<T>(String what, TypeReference<List<T>> type) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String write(List<T> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " cannot be written as JSON", e);
        }
    }

    List<T> read(String json) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + what + " are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
