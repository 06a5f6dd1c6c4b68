package dev.keel.registry.approval;

import dev.keel.core.KeelException;
import dev.keel.store.search.Clause;
import dev.keel.store.search.Comparator;
import dev.keel.store.search.EntityType;
import dev.keel.store.search.FilterValue;
import dev.keel.store.search.SearchGrammar;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A bound on the latest value of one metric of the version's source run, written as a run
 * filter with one comparison ({@code metrics.auc >= 0.80}) so policies and searches share a grammar.
 */
public record MetricThreshold(String key, Comparator comparator, double threshold) implements Check {
    private static final Set<Comparator> NUMERIC =
            EnumSet.of(Comparator.GT, Comparator.GE, Comparator.LT, Comparator.LE, Comparator.EQ, Comparator.NEQ);

    public MetricThreshold {
        Objects.requireNonNull(key, "key");
        if (!NUMERIC.contains(comparator)) {
            throw KeelException.invalid("a metric threshold compares with >, >=, <, <=, = or !=, not " + comparator);
        }
        if (!Double.isFinite(threshold)) {
            throw KeelException.invalid("a metric threshold must be a finite number, got " + threshold);
        }
    }

    /** {@code metrics.<key> <op> <number>}; anything else is a 400 quoting the expression. */
    public static MetricThreshold parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw KeelException.invalid("metric needs an expression such as \"metrics.auc >= 0.80\"");
        }
        List<Clause> clauses;
        try {
            clauses = SearchGrammar.parseRunFilter(expression);
        } catch (KeelException e) {
            throw KeelException.invalid("metric \"" + expression + "\" is not a comparison such as \"metrics.auc >= 0.80\": "
                    + e.getMessage());
        }
        if (clauses.size() != 1) {
            throw KeelException.invalid("metric \"" + expression + "\" must be one comparison, got " + clauses.size()
                    + "; write each threshold as its own check");
        }
        Clause clause = clauses.get(0);
        if (clause.entity() != EntityType.METRIC) {
            throw KeelException.invalid("metric \"" + expression + "\" must compare a metric (metrics.<key>), not a "
                    + clause.entity().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!(clause.value() instanceof FilterValue.NumberValue number) || !NUMERIC.contains(clause.comparator())) {
            throw KeelException.invalid("metric \"" + expression + "\" must compare with a number using >, >=, <, <=, = or !=");
        }
        return new MetricThreshold(clause.key(), clause.comparator(), number.value());
    }

    @Override
    public String describe() {
        return "metrics." + key + " " + comparator.symbol() + " " + Figures.of(threshold);
    }

    @Override
    public CheckResult evaluate(CheckContext context) {
        String runId = context.version().runId();
        if (runId == null) {
            return CheckResult.failed(this, "metrics." + key + " cannot be checked: version " + context.version().version()
                    + " of '" + context.version().name() + "' has no source run");
        }
        Double value = context.metrics().get(key);
        if (value == null) {
            return CheckResult.failed(this, "metrics." + key + " was not recorded by source run " + runId);
        }
        if (Double.isNaN(value)) {
            return CheckResult.failed(this, "metrics." + key + " = NaN is not a number");
        }
        boolean holds = holds(value);
        String symbol = holds ? symbol(comparator) : symbol(negation(comparator));
        String why = "metrics." + key + " = " + Figures.against(value, threshold) + " " + symbol + " " + Figures.of(threshold);
        return holds ? CheckResult.passed(this, why) : CheckResult.failed(this, why);
    }

    private boolean holds(double value) {
        return switch (comparator) {
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case EQ -> value == threshold;
            case NEQ -> value != threshold;
            default -> false;
        };
    }

    private static Comparator negation(Comparator comparator) {
        return switch (comparator) {
            case GT -> Comparator.LE;
            case GE -> Comparator.LT;
            case LT -> Comparator.GE;
            case LE -> Comparator.GT;
            case EQ -> Comparator.NEQ;
            case NEQ -> Comparator.EQ;
            default -> comparator;
        };
    }

    private static String symbol(Comparator comparator) {
        return switch (comparator) {
            case GE -> "≥";
            case LE -> "≤";
            case NEQ -> "≠";
            default -> comparator.symbol();
        };
    }
}
