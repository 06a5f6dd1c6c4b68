package dev.keel.store.search;

/** The comparisons MLflow's filter grammar allows. */
public enum Comparator {
    EQ("="), NEQ("!="), GT(">"), GE(">="), LT("<"), LE("<="), LIKE("LIKE"), ILIKE("ILIKE"), IN("IN"), NOT_IN("NOT IN");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
