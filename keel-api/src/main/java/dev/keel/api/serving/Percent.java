package dev.keel.api.serving;

import dev.keel.core.KeelException;

/** Traffic shares are percentages: finite, from 0 to 100. */
final class Percent {
    private Percent() {
    }

    static double requireValid(String field, double percent) {
        if (!Double.isFinite(percent) || percent < 0 || percent > 100) {
            throw KeelException.invalid("'" + field + "' must be a percentage from 0 to 100 (got " + percent + ")");
        }
        return percent;
    }
}
