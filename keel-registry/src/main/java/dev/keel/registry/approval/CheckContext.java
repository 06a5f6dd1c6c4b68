package dev.keel.registry.approval;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Run;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the automatic checks look at, gathered once before they run so that each check
 * is a pure judgement: the version (and its manifest), the sections its card still lacks, the
 * latest metrics of its source run (empty without one), the evaluation set fairness is
 * measured on (if one was recorded), and what re-hashing its files found.
 */
public record CheckContext(ModelVersion version, List<CardSection> missingSections, Map<String, Double> metrics,
                           Optional<EvaluationSet> evaluation, DigestVerification digests) {
    public CheckContext {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(digests, "digests");
        missingSections = missingSections == null ? List.of() : List.copyOf(missingSections);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        evaluation = evaluation == null ? Optional.empty() : evaluation;
    }

    /**
     * The context from what the registry and tracking return: {@code card} null means no card
     * was written (every section missing), {@code sourceRun} null means the version has none,
     * {@code evaluation} null means none was recorded.
     */
    public static CheckContext of(ModelVersion version, ModelCard card, Run sourceRun, EvaluationSet evaluation,
                                  DigestVerification digests) {
        List<CardSection> missing = card == null ? Arrays.asList(CardSection.values()) : card.missingSections();
        Map<String, Double> metrics = new TreeMap<>();
        if (sourceRun != null) {
            for (Metric metric : sourceRun.data().metrics()) {
                metrics.put(metric.key(), metric.value());
            }
        }
        return new CheckContext(version, missing, metrics, Optional.ofNullable(evaluation), digests);
    }

    public ModelManifest manifest() {
        return version.manifest();
    }
}
