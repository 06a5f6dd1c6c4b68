package dev.keel.registry.card;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.card.Owner;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The card a version has before anyone writes one: what Keel already knows, so the author
 * starts from facts rather than a blank page. The manifest gives the flavor, signature and
 * files; the source run its params (as hyperparameters) and the last value of each metric;
 * the datasets the run recorded become training or evaluation data by their context; the
 * registered model gives the overview, owner, risk tier and tags. The parts only a person can
 * write (intended use, factors, ethics, caveats) stay empty, so {@link ModelCard#missingSections()}
 * names them.
 */
public final class ModelCardDraft {
    /** Dataset contexts (MLflow's {@code mlflow.data.context}) that mean "used to evaluate". */
    private static final Set<String> EVALUATION_CONTEXTS = Set.of("eval", "evaluation", "validation", "valid", "val",
            "test", "testing", "holdout");

    private ModelCardDraft() {
    }

    /** The draft for {@code version} of {@code model}; {@code run} is its source run, or null when there is none. */
    public static ModelCard of(RegisteredModel model, ModelVersion version, Run run) {
        String overview = notBlank(version.description()) ? version.description() : model.description();
        List<String> references = new ArrayList<>();
        references.add(version.source());
        if (notBlank(version.runLink())) {
            references.add(version.runLink());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        model.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        version.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        ModelDetails details = new ModelDetails(model.name(), version.version(), shorten(overview, CardChecks.MAX_TEXT),
                List.of(new Owner(model.owner(), null)), null, references, model.riskTier(), tags);

        Map<String, String> hyperparameters = new LinkedHashMap<>();
        List<MetricResult> metrics = new ArrayList<>();
        if (run != null) {
            run.data().params().stream().sorted(Comparator.comparing(Param::key)).limit(CardChecks.MAX_METRICS)
                    .forEach(param -> hyperparameters.put(param.key(), param.value()));
            run.data().metrics().stream()
                    .filter(metric -> Double.isFinite(metric.value()))
                    .sorted(Comparator.comparing(Metric::key))
                    .limit(CardChecks.MAX_METRICS)
                    .forEach(metric -> metrics.add(MetricResult.overall(metric.key(), metric.value())));
        }
        ModelParameters parameters = new ModelParameters(null, null, null, null, List.of(), hyperparameters);

        List<DataReference> training = new ArrayList<>();
        List<DataReference> evaluation = new ArrayList<>();
        for (DatasetInput input : version.manifest().lineage().datasets()) {
            String context = context(input);
            DataReference reference = new DataReference(shorten(input.dataset().name(), CardChecks.MAX_SHORT_TEXT),
                    input.dataset().digest(), shorten(input.dataset().source(), CardChecks.MAX_TEXT), context, null);
            List<DataReference> into = context != null && EVALUATION_CONTEXTS.contains(context.toLowerCase(Locale.ROOT))
                    ? evaluation : training;
            if (into.size() < CardChecks.MAX_ITEMS) {
                into.add(reference);
            }
        }

        ModelCard draft = new ModelCard(details, parameters, IntendedUse.NONE, List.of(), metrics, training, evaluation,
                List.of(), List.of(), List.of(), true, null, 0);
        return draft.describing(model.name(), version.version(), model.riskTier(), version.manifest());
    }

    private static String context(DatasetInput input) {
        return input.tags().stream().filter(tag -> InputTag.CONTEXT.equals(tag.key())).map(InputTag::value)
                .findFirst().orElse(null);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    /** Long free text (a dataset's source can be 64 kB) cut to what a card holds, so a draft always saves. */
    private static String shorten(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
