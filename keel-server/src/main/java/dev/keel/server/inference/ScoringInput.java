package dev.keel.server.inference;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * What an MLflow {@code /invocations} body holds once its format is known, before it is fitted
 * to the signature of the model that will answer (which routing decides, so it is not known
 * while parsing).
 */
sealed interface ScoringInput {

    /** Rows of named columns ({@code dataframe_split}, {@code dataframe_records}, or a list of records). */
    record Frame(List<String> columns, List<JsonNode[]> rows) implements ScoringInput {
    }

    /** One nested array for a model with one input ({@code instances} or {@code inputs} as a list). */
    record Unnamed(JsonNode values) implements ScoringInput {
    }

    /** Nested arrays by input name ({@code inputs} or {@code instances} as an object). */
    record Named(Map<String, JsonNode> tensors) implements ScoringInput {
    }
}
