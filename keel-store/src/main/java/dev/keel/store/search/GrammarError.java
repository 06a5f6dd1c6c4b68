package dev.keel.store.search;

/**
 * A mistake found while reading a filter or order-by clause. Internal to the parser: it carries
 * only the detail ("metric comparisons need a number, got 'high'"); {@link SearchGrammar} adds
 * which clause it was and turns it into a {@code KeelException}.
 */
final class GrammarError extends RuntimeException {
    /** True when the mistake is in how clauses are joined, so the whole filter is quoted. */
    private final boolean structural;

    GrammarError(String detail) {
        this(detail, false);
    }

    GrammarError(String detail, boolean structural) {
        super(detail, null, false, false);
        this.structural = structural;
    }

    boolean structural() {
        return structural;
    }
}
