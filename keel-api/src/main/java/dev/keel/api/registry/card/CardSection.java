package dev.keel.api.registry.card;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * The sections of a model card that a person has to write, by the names policies use
 * ({@code intended_use}, {@code quantitative_analysis}, …). Each knows when it counts as
 * written, so an approval gate can require sections by name.
 */
public enum CardSection {
    MODEL_DETAILS("an overview and at least one owner",
            card -> notBlank(card.modelDetails().overview()) && !card.modelDetails().owners().isEmpty()),
    INTENDED_USE("at least one primary use",
            card -> !card.intendedUse().primaryUses().isEmpty()),
    OUT_OF_SCOPE_USES("at least one out-of-scope use",
            card -> !card.intendedUse().outOfScopeUses().isEmpty()),
    FACTORS("at least one factor", card -> !card.factors().isEmpty()),
    METRICS("at least one metric result", card -> !card.metrics().isEmpty()),
    QUANTITATIVE_ANALYSIS("at least one metric result on a slice",
            card -> card.metrics().stream().anyMatch(MetricResult::sliced)),
    TRAINING_DATA("at least one training data set", card -> !card.trainingData().isEmpty()),
    EVALUATION_DATA("at least one evaluation data set", card -> !card.evaluationData().isEmpty()),
    ETHICAL_CONSIDERATIONS("at least one consideration",
            card -> !card.ethicalConsiderations().isEmpty()),
    CAVEATS_AND_RECOMMENDATIONS("at least one caveat or recommendation",
            card -> !card.caveats().isEmpty() || !card.recommendations().isEmpty());

    private final String requirement;
    private final Predicate<ModelCard> written;

    CardSection(String requirement, Predicate<ModelCard> written) {
        this.requirement = requirement;
        this.written = written;
    }

    /** The name in policies, JSON and messages: the constant in lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
        return wireName();
    }
}
