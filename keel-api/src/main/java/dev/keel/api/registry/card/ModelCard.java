package dev.keel.api.registry.card;

import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.RiskTier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The documentation of one model version, in the sections of Mitchell et al.'s model cards
 * and the Model Card Toolkit's schema: details, parameters, intended and out-of-scope uses,
 * factors, metrics (overall and per slice, with thresholds), training and evaluation data,
 * ethical considerations, caveats and recommendations.
 *
 * <p>A version without a saved card gets a {@linkplain #draft() draft} prefilled from what
 * Keel knows; saving it makes it the version's card. Null sections and lists read as empty,
 * so a partial JSON body is a partial card, never a failure.
 */
public record ModelCard(ModelDetails modelDetails, ModelParameters modelParameters, IntendedUse intendedUse,
                        List<Factor> factors, List<MetricResult> metrics, List<DataReference> trainingData,
                        List<DataReference> evaluationData, List<EthicalConsideration> ethicalConsiderations,
                        List<String> caveats, List<String> recommendations,
                        boolean draft, String lastUpdatedBy, long lastUpdatedTimestamp) {

    public ModelCard {
        modelDetails = modelDetails == null ? ModelDetails.NONE : modelDetails;
        modelParameters = modelParameters == null ? ModelParameters.NONE : modelParameters;
        intendedUse = intendedUse == null ? IntendedUse.NONE : intendedUse;
        factors = copy(factors);
        metrics = copy(metrics);
        trainingData = copy(trainingData);
        evaluationData = copy(evaluationData);
        ethicalConsiderations = copy(ethicalConsiderations);
        caveats = copy(caveats);
        recommendations = copy(recommendations);
    }

    /** The sections still to be written, in card order; empty when the card is complete. */
    public List<CardSection> missingSections() {
        List<CardSection> missing = new ArrayList<>();
        for (CardSection section : CardSection.values()) {
            if (!section.isWrittenIn(this)) {
                missing.add(section);
            }
        }
        return List.copyOf(missing);
    }

    /** The results for one metric, overall first, then by slice as listed. */
    public List<MetricResult> results(String metric) {
        List<MetricResult> found = new ArrayList<>();
        metrics.stream().filter(r -> metric.equals(r.metric()) && !r.sliced()).forEach(found::add);
        metrics.stream().filter(r -> metric.equals(r.metric()) && r.sliced()).forEach(found::add);
        return List.copyOf(found);
    }

    /** This card naming {@code name} version {@code version}, with the model's tier and the manifest's facts. */
    public ModelCard describing(String name, long version, RiskTier riskTier, ModelManifest manifest) {
        return new ModelCard(modelDetails.identified(name, version, riskTier), modelParameters.withManifest(manifest),
                intendedUse, factors, metrics, trainingData, evaluationData, ethicalConsiderations, caveats,
                recommendations, draft, lastUpdatedBy, lastUpdatedTimestamp);
    }

    /** This card as saved by {@code by} at {@code timestamp}: no longer a draft. */
    public ModelCard savedBy(String by, long timestamp) {
        return new ModelCard(modelDetails, modelParameters, intendedUse, factors, metrics, trainingData, evaluationData,
                ethicalConsiderations, caveats, recommendations, false, by, timestamp);
    }

    /** What the store keeps: the manifest's facts are left out, they are read from the manifest. */
    public ModelCard withoutManifest() {
        return new ModelCard(modelDetails, modelParameters.withoutManifest(), intendedUse, factors, metrics,
                trainingData, evaluationData, ethicalConsiderations, caveats, recommendations, draft, lastUpdatedBy,
                lastUpdatedTimestamp);
    }

    /** An unmodifiable copy that keeps null elements, so validation can name them instead of failing on them. */
    static <T> List<T> copy(List<T> values) {
        return values == null || values.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** An unmodifiable copy sorted by key; null keys are dropped (JSON cannot hold them). */
    static Map<String, String> sorted(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key != null) {
                copy.put(key, value);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
