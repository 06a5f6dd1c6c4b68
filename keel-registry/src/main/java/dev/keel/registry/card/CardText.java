package dev.keel.registry.card;

import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.Owner;
import dev.keel.api.registry.card.Threshold;
import dev.keel.api.registry.flavor.TensorSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How both renderings spell numbers, shapes, times and yes/no, so Markdown and HTML agree. */
final class CardText {
    private CardText() {
    }

    /** Four decimals at most, trailing zeros dropped; very large or small values in scientific notation. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e9 || magnitude < 1e-4)) {
            return String.format(Locale.ROOT, "%.4g", value);
        }
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    static String threshold(Threshold threshold) {
        return threshold == null ? "" : threshold.operator() + " " + number(threshold.value());
    }

    /** "yes", "NO", or "" without a threshold: a failed bound should stand out in print. */
    static String met(MetricResult result) {
        Boolean met = result.meetsThreshold();
        return met == null ? "" : met ? "yes" : "NO";
    }

    static String slice(MetricResult result) {
        return result.sliced() ? result.slice() : "overall";
    }

    static String shape(TensorSpec spec) {
        return "[" + spec.shape().stream().map(d -> d < 0 ? "?" : Long.toString(d)).collect(Collectors.joining(", ")) + "]";
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static String owners(List<Owner> owners) {
        return owners.stream().map(o -> o.contact() == null || o.contact().isBlank() ? o.name() : o.name() + " (" + o.contact() + ")")
                .collect(Collectors.joining(", "));
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static String title(ModelCard card) {
        return "Model card: " + orEmpty(card.modelDetails().name()) + " version " + card.modelDetails().version();
    }

    static String status(ModelCard card) {
        if (card.draft()) {
            return "Draft prefilled by Keel from the version's manifest, its source run and its data lineage; not yet saved.";
        }
        return "Saved by " + orEmpty(card.lastUpdatedBy()) + " at " + time(card.lastUpdatedTimestamp()) + ".";
    }

    static String missing(ModelCard card) {
        List<CardSection> missing = card.missingSections();
        return missing.isEmpty() ? "" : "Sections still to write: "
                + missing.stream().map(CardSection::wireName).collect(Collectors.joining(", ")) + ".";
    }
}
