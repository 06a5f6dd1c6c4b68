package dev.keel.api.registry.card;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.function.Predicate;

/**
 * The sections of a model card that a person has to write, by the names policies use
 * ({@code intended_use}, {@code quantitative_analysis}, …). Each knows when it counts as
 * written, so an approval gate can require sections by name.
 */
public enum CardSection {
    MODEL_DETAILS("model_details", "an overview and at least one owner",
            card -> notBlank(card.modelDetails().overview()) && !card.modelDetails().owners().isEmpty()),
    INTENDED_USE("intended_use", "at least one primary use",
            card -> !card.intendedUse().primaryUses().isEmpty()),
    OUT_OF_SCOPE_USES("out_of_scope_uses", "at least one out-of-scope use",
            card -> !card.intendedUse().outOfScopeUses().isEmpty()),
    FACTORS("factors", "at least one factor", card -> !card.factors().isEmpty()),
    METRICS("metrics", "at least one metric result", card -> !card.metrics().isEmpty()),
    QUANTITATIVE_ANALYSIS("quantitative_analysis", "at least one metric result on a slice",
            card -> card.metrics().stream().anyMatch(MetricResult::sliced)),
    TRAINING_DATA("training_data", "at least one training data set", card -> !card.trainingData().isEmpty()),
    EVALUATION_DATA("evaluation_data", "at least one evaluation data set", card -> !card.evaluationData().isEmpty()),
    ETHICAL_CONSIDERATIONS("ethical_considerations", "at least one consideration",
            card -> !card.ethicalConsiderations().isEmpty()),
    CAVEATS_AND_RECOMMENDATIONS("caveats_and_recommendations", "at least one caveat or recommendation",
            card -> !card.caveats().isEmpty() || !card.recommendations().isEmpty());

    private final String wireName;
    private final String requirement;
    private final Predicate<ModelCard> written;

    CardSection(String wireName, String requirement, Predicate<ModelCard> written) {
        this.wireName = wireName;
        this.requirement = requirement;
        this.written = written;
    }

    /** The name in policies, JSON and messages. */
    public String wireName() {
        return wireName;
    }

    /** What the section needs to count as written, for messages ("needs at least one factor"). */
    public String requirement() {
        return requirement;
    }

    public boolean isWrittenIn(ModelCard card) {
        return written.test(card);
    }

    /** By wire name, case-insensitively; an unknown name is a 400 listing the known ones. */
    public static CardSection parse(String name) {
        return Checks.named(values(), CardSection::wireName, name).orElseThrow(() -> KeelException.invalid(
                "unknown model card section '" + name + "'; expected one of " + Checks.listed(values(), CardSection::wireName)));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
