package dev.keel.registry.card;

import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A model card as JSON, in the snake_case names of the native API and the Model Card Toolkit
 * ({@code model_details}, {@code intended_use.out_of_scope_uses}, …): the stored form, the
 * {@code --format json} output and the body of {@code PUT …/card} are one shape.
 */
public final class ModelCardJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // a card written by a newer Keel still reads; the fields this one knows are kept
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ModelCardJson() {
    }

    public static String write(ModelCard card) {
        return written(JSON.writer(), card);
    }

    /** Indented, for people and files. */
    public static String writePretty(ModelCard card) {
        return written(JSON.writer(SerializationFeature.INDENT_OUTPUT), card);
    }

    private static String written(ObjectWriter writer, ModelCard card) {
        try {
            return writer.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "cannot write the model card: " + e.getMessage(), e);
        }
    }

    /** A card from JSON; malformed JSON or a wrong type is a 400 saying where. */
    public static ModelCard read(String json) {
        try {
            ModelCard card = JSON.readValue(json, ModelCard.class);
            if (card == null) {
                throw KeelException.invalid("a model card must be a JSON object (got null)");
            }
            return card;
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("not a model card: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
    }
}
