package dev.keel.registry.card;

import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.card.Threshold;
import dev.keel.api.tracking.Limits;
import dev.keel.core.KeelException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a model card must satisfy before it is saved: required fields present, every text and
 * list within its limit, numbers finite, thresholds well formed. Every refusal is a 400 naming
 * the field by its JSON path ({@code metrics[2].threshold.operator}), so an author can fix it.
 */
public final class CardChecks {
    /** Names, slices, digests, licenses, contacts. */
    public static final int MAX_SHORT_TEXT = 500;
    /** Overviews, uses, descriptions, mitigations, caveats. */
    public static final int MAX_TEXT = 5000;
    /** Items in any one list, except metric results. */
    public static final int MAX_ITEMS = 100;
    /** Metric results (and hyperparameters): every metric of a run, and its slices, fit. */
    public static final int MAX_METRICS = 1000;
    /** The whole card as stored (without the manifest's files), in UTF-8 JSON bytes. */
    public static final int MAX_JSON_BYTES = 1024 * 1024;

    private CardChecks() {
    }

    /**
     * The card for {@code name} version {@code version}: its details must name that version or
     * nothing (then they are filled in). Throws a 400 naming the first field that is wrong.
     */
    public static ModelCard requireValid(ModelCard card, String name, long version) {
        if (card == null) {
            throw KeelException.invalid("missing value for required parameter 'card'");
        }
        ModelDetails details = card.modelDetails();
        if (details.name() != null && !details.name().equals(name)) {
            throw KeelException.invalid("'model_details.name' is '" + details.name() + "' but the card is for '" + name + "'");
        }
        if (details.version() != 0 && details.version() != version) {
            throw KeelException.invalid("'model_details.version' is " + details.version() + " but the card is for version "
                    + version);
        }
        text("model_details.overview", details.overview(), MAX_TEXT);
        text("model_details.license", details.license(), MAX_SHORT_TEXT);
        each("model_details.owners", details.owners(), MAX_ITEMS, (at, owner) -> {
            required(at + ".name", owner.name(), MAX_SHORT_TEXT);
            text(at + ".contact", owner.contact(), MAX_SHORT_TEXT);
        });
        texts("model_details.references", details.references(), MAX_TEXT);
        map("model_details.tags", details.tags(), 2 * MAX_ITEMS, 250, MAX_TEXT);

        ModelParameters parameters = card.modelParameters();
        text("model_parameters.architecture", parameters.architecture(), MAX_TEXT);
        map("model_parameters.hyperparameters", parameters.hyperparameters(), MAX_METRICS, 250,
                Limits.MAX_PARAM_VALUE_LENGTH);

        IntendedUse use = card.intendedUse();
        texts("intended_use.primary_uses", use.primaryUses(), MAX_TEXT);
        texts("intended_use.primary_users", use.primaryUsers(), MAX_TEXT);
        texts("intended_use.out_of_scope_uses", use.outOfScopeUses(), MAX_TEXT);

        each("factors", card.factors(), MAX_ITEMS, (at, factor) -> {
            required(at + ".name", factor.name(), MAX_SHORT_TEXT);
            text(at + ".description", factor.description(), MAX_TEXT);
        });

        each("metrics", card.metrics(), MAX_METRICS, (at, result) -> {
            required(at + ".metric", result.metric(), MAX_SHORT_TEXT);
            text(at + ".slice", result.slice(), MAX_SHORT_TEXT);
            finite(at + ".value", result.value());
            if (result.threshold() != null) {
                Threshold threshold = result.threshold();
                if (!Threshold.OPERATORS.contains(threshold.operator())) {
                    throw KeelException.invalid("'" + at + ".threshold.operator' must be one of "
                            + String.join(", ", Threshold.OPERATORS) + " (got '" + threshold.operator() + "')");
                }
                finite(at + ".threshold.value", threshold.value());
            }
        });

        data("training_data", card.trainingData());
        data("evaluation_data", card.evaluationData());

        each("ethical_considerations", card.ethicalConsiderations(), MAX_ITEMS, (at, consideration) -> {
            required(at + ".name", consideration.name(), MAX_TEXT);
            text(at + ".mitigation", consideration.mitigation(), MAX_TEXT);
        });
        texts("caveats", card.caveats(), MAX_TEXT);
        texts("recommendations", card.recommendations(), MAX_TEXT);

        ModelCard named = new ModelCard(details.identified(name, version, details.riskTier()), parameters, use,
                card.factors(), card.metrics(), card.trainingData(), card.evaluationData(),
                card.ethicalConsiderations(), card.caveats(), card.recommendations(), card.draft(),
                card.lastUpdatedBy(), card.lastUpdatedTimestamp());
        int bytes = ModelCardJson.write(named.withoutManifest()).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_JSON_BYTES) {
            throw KeelException.invalid("the model card is " + bytes + " bytes as JSON; at most " + MAX_JSON_BYTES
                    + " are allowed");
        }
        return named;
    }

    private static void data(String field, List<DataReference> references) {
        each(field, references, MAX_ITEMS, (at, reference) -> {
            required(at + ".name", reference.name(), MAX_SHORT_TEXT);
            text(at + ".digest", reference.digest(), MAX_SHORT_TEXT);
            text(at + ".source", reference.source(), MAX_TEXT);
            text(at + ".context", reference.context(), MAX_SHORT_TEXT);
            text(at + ".description", reference.description(), MAX_TEXT);
        });
    }

    /** At most {@code max} elements, none null, each then checked by {@code check} under its name {@code field[i]}. */
    private static <T> void each(String field, List<T> values, int max, BiConsumer<String, T> check) {
        items(field, values, max);
        for (int i = 0; i < values.size(); i++) {
            String at = field + "[" + i + "]";
            T value = values.get(i);
            if (value == null) {
                throw KeelException.invalid("'" + at + "' must not be null");
            }
            check.accept(at, value);
        }
    }

    private static void items(String field, List<?> values, int max) {
        if (values.size() > max) {
            throw KeelException.invalid("'" + field + "' holds " + values.size() + " items; at most " + max
                    + " are allowed");
        }
    }

    private static void texts(String field, List<String> values, int maxLength) {
        items(field, values, MAX_ITEMS);
        for (int i = 0; i < values.size(); i++) {
            required(field + "[" + i + "]", values.get(i), maxLength);
        }
    }

    private static void map(String field, Map<String, String> values, int maxEntries, int maxKey, int maxValue) {
        if (values.size() > maxEntries) {
            throw KeelException.invalid("'" + field + "' holds " + values.size() + " entries; at most " + maxEntries
                    + " are allowed");
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            required(field + " key", entry.getKey(), maxKey);
            if (entry.getValue() == null) {
                throw KeelException.invalid("'" + field + "." + entry.getKey() + "' must not be null");
            }
            text(field + "." + entry.getKey(), entry.getValue(), maxValue);
        }
    }

    private static void required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw KeelException.invalid("missing value for required parameter '" + field + "'");
        }
        text(field, value, maxLength);
    }

    private static void text(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw KeelException.invalid("'" + field + "' is " + value.length() + " characters long; at most "
                    + maxLength + " are allowed");
        }
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw KeelException.invalid("'" + field + "' must be a finite number (got " + value + ")");
        }
    }
}
