package dev.keel.serving.rollout;

import java.time.Instant;
import java.util.Optional;

/**
 * The slot monitoring fills: model-level signals for a variant over a span of time (prediction
 * drift against the training data, live accuracy from feedback, a business KPI), computed from
 * the inference log rather than from this process's request outcomes. When a source answers for
 * a signal, its reading is used; otherwise the analysis falls back to the signal values the
 * serving path reported with each outcome.
 */
@FunctionalInterface
public interface ModelSignals {

    /** The signal's reading for {@code variant} of {@code endpoint} over [{@code from}, {@code to}], or empty when unknown. */
    Optional<SignalReading> read(String endpoint, String variant, String signal, Instant from, Instant to);

    /** No external source: only reported signal values count. */
    ModelSignals NONE = (endpoint, variant, signal, from, to) -> Optional.empty();
}
