package dev.keel.store.search;

import dev.keel.core.KeelException;
import dev.keel.store.search.FilterScanner.Identifier;
import dev.keel.store.search.FilterScanner.Literal;
import dev.keel.store.search.SearchVocabulary.Field;
import dev.keel.store.search.SearchVocabulary.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MLflow's search grammar: filters ({@code metrics.auc > 0.8 AND params.lr = '0.01'}) and
 * order-by clauses ({@code metrics.auc DESC}), for runs and for experiments. A filter is
 * comparisons joined by AND; there is no OR and there are no parentheses. Entity prefixes have
 * MLflow's aliases ({@code metric.}, {@code param.}, {@code attr.}, {@code run.} …), an identifier
 * without prefix is an attribute, and attribute aliases ({@code created}, {@code Run Name})
 * resolve to canonical names, so whoever turns the clauses into SQL sees one spelling.
 *
 * <p>Everything the grammar refuses fails with INVALID_PARAMETER_VALUE and a message that
 * quotes the offending clause and says what was expected.
 */
public final class SearchGrammar {
    private static final int QUOTED = 200;

    private SearchGrammar() {
    }

    /** The comparisons of a run filter; null or blank means no filter. */
    public static List<Clause> parseRunFilter(String filter) {
        return filter(filter, SearchVocabulary.RUNS);
    }

    /** One run order-by clause, such as {@code metrics.auc DESC} or {@code start_time}. */
    public static OrderBy parseRunOrderBy(String clause) {
        return orderBy(clause, SearchVocabulary.RUNS);
    }

    /** The comparisons of an experiment filter; null or blank means no filter. */
    public static List<Clause> parseExperimentFilter(String filter) {
        return filter(filter, SearchVocabulary.EXPERIMENTS);
    }

    /** One experiment order-by clause, such as {@code name} or {@code creation_time DESC}. */
    public static OrderBy parseExperimentOrderBy(String clause) {
        return orderBy(clause, SearchVocabulary.EXPERIMENTS);
    }

    /** The comparisons of a registered model filter (name, tags.x); null or blank means no filter. */
    public static List<Clause> parseRegisteredModelFilter(String filter) {
        return filter(filter, SearchVocabulary.REGISTERED_MODELS);
    }

    /** One registered model order-by clause: {@code name} or {@code last_updated_timestamp}, ASC or DESC. */
    public static OrderBy parseRegisteredModelOrderBy(String clause) {
        return orderBy(clause, SearchVocabulary.REGISTERED_MODELS);
    }

    /** The comparisons of a model version filter (name, version_number, run_id, source_path, tags.x). */
    public static List<Clause> parseModelVersionFilter(String filter) {
        return filter(filter, SearchVocabulary.MODEL_VERSIONS);
    }

    /** One model version order-by clause: name, version_number, creation_timestamp or last_updated_timestamp. */
    public static OrderBy parseModelVersionOrderBy(String clause) {
        return orderBy(clause, SearchVocabulary.MODEL_VERSIONS);
    }

    private static List<Clause> filter(String filter, SearchVocabulary vocabulary) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        FilterScanner scanner = new FilterScanner(filter);
        List<Clause> clauses = new ArrayList<>();
        while (true) {
            int start = scanner.position();
            Identifier identifier;
            Comparator comparator;
            Literal literal;
            try {
                refuseNonComparison(scanner);
                identifier = scanner.identifier();
                comparator = scanner.comparator();
                literal = scanner.literal();
            } catch (GrammarError e) {
                // quote the clause up to and including the piece that could not be read
                String shown = e.structural() ? filter : scanner.source(start).strip() + " " + scanner.nextToken();
                throw invalidFilter(shown, e);
            }
            try {
                clauses.add(clause(resolve(identifier, vocabulary, false), comparator, literal));
            } catch (GrammarError e) {
                throw invalidFilter(scanner.source(start), e);
            }
            if (scanner.atEnd()) {
                return List.copyOf(clauses);
            }
            try {
                joiner(scanner);
            } catch (GrammarError e) {
                throw invalidFilter(filter, e);
            }
        }
    }

    private static OrderBy orderBy(String clause, SearchVocabulary vocabulary) {
        if (clause == null || clause.isBlank()) {
            throw KeelException.invalid("Invalid order_by clause '" + (clause == null ? "" : clause)
                    + "': it is empty; expected <entity>.<key> [ASC|DESC], as in metrics.auc DESC");
        }
        FilterScanner scanner = new FilterScanner(clause);
        try {
            Identifier identifier = scanner.identifier();
            boolean ascending = true;
            if (!scanner.atEnd()) {
                String direction = scanner.peekWord().toUpperCase(Locale.ROOT);
                if (!direction.equals("ASC") && !direction.equals("DESC")) {
                    throw new GrammarError("expected ASC or DESC after '" + identifier.source() + "', got '"
                            + scanner.nextToken() + "' (give each order_by clause as its own item)");
                }
                scanner.skipWord();
                ascending = direction.equals("ASC");
                if (!scanner.atEnd()) {
                    throw new GrammarError("unexpected '" + scanner.nextToken() + "' after " + direction
                            + "; an order_by clause is one key and an optional direction");
                }
            }
            Subject subject = resolve(identifier, vocabulary, true);
            return new OrderBy(subject.entity(), subject.key(), ascending);
        } catch (GrammarError e) {
            throw KeelException.invalid("Invalid order_by clause '" + excerpt(clause) + "': " + e.getMessage());
        }
    }

    /** What a clause's left-hand side names, resolved: entity, canonical key, kind, and how to name it in errors. */
    private record Subject(EntityType entity, String key, Kind kind, String label) {
    }

    private static Subject resolve(Identifier identifier, SearchVocabulary vocabulary, boolean ordering) {
        String key = identifier.key();
        if (identifier.prefix() == null) {
            if (SearchVocabulary.RUNS.prefixes().containsKey(key) && !vocabulary.filterAttributes().containsKey(key)) {
                throw new GrammarError("'" + key + "' needs a key, as in " + key + ".my_key");
            }
            return attribute(key, vocabulary, ordering);
        }
        String prefix = identifier.prefix();
        Set<EntityType> allowed = ordering ? vocabulary.orderEntities() : vocabulary.filterEntities();
        EntityType entity = vocabulary.prefixes().get(prefix);
        if (entity == null) {
            // a prefix that means something in run searches earns a more helpful message than "unknown"
            EntityType elsewhere = SearchVocabulary.RUNS.prefixes().get(prefix);
            if (elsewhere == null || allowed.contains(elsewhere)) {
                throw new GrammarError("unknown entity '" + prefix + "' in '" + identifier.source()
                        + "'; expected " + prefixes(allowed));
            }
            entity = elsewhere;
        }
        if (!allowed.contains(entity)) {
            throw new GrammarError(vocabulary.subject() + " cannot be " + (ordering ? "ordered by " : "filtered on ")
                    + plural(entity) + "; use " + prefixes(allowed));
        }
        if (key.isEmpty()) {
            throw new GrammarError("the key after '" + prefix + ".' is empty");
        }
        return switch (entity) {
            case ATTRIBUTE -> attribute(key, vocabulary, ordering);
            case METRIC -> new Subject(EntityType.METRIC, key, Kind.NUMBER, "metric '" + key + "'");
            case PARAM -> new Subject(EntityType.PARAM, key, Kind.STRING, "param '" + key + "'");
            case TAG -> new Subject(EntityType.TAG, key, Kind.STRING, "tag '" + key + "'");
            case DATASET -> {
                Field field = SearchVocabulary.DATASET_FIELDS.get(key);
                if (field == null) {
                    throw new GrammarError("unknown dataset field '" + key + "'; expected one of "
                            + SearchVocabulary.names(SearchVocabulary.DATASET_FIELDS));
                }
                yield new Subject(EntityType.DATASET, field.name(), field.kind(), "dataset field '" + key + "'");
            }
        };
    }

    private static Subject attribute(String key, SearchVocabulary vocabulary, boolean ordering) {
        Map<String, Field> attributes = ordering ? vocabulary.orderAttributes() : vocabulary.filterAttributes();
        Field field = attributes.get(key);
        String use = ordering ? "ordered by" : "filtered on";
        if (field == null) {
            if (key.equals("lifecycle_stage")) {
                throw new GrammarError("attribute 'lifecycle_stage' cannot be " + use + "; choose active or deleted "
                        + vocabulary.subject() + " with the view type (ACTIVE_ONLY, DELETED_ONLY, ALL)");
            }
            throw new GrammarError("unknown attribute '" + key + "'; " + vocabulary.subject() + " can be " + use
                    + " " + SearchVocabulary.names(attributes));
        }
        return new Subject(EntityType.ATTRIBUTE, field.name(), field.kind(), "attribute '" + field.name() + "'");
    }

    private static Clause clause(Subject subject, Comparator comparator, Literal literal) {
        Kind kind = subject.kind();
        if (!kind.comparators().contains(comparator)) {
            throw new GrammarError(subject.label() + " cannot be compared with " + comparator.symbol()
                    + "; use one of " + symbols(kind));
        }
        FilterValue value = literal.value();
        if (kind == Kind.NUMBER) {
            if (!(value instanceof FilterValue.NumberValue)) {
                String unit = subject.entity() == EntityType.ATTRIBUTE ? " (milliseconds since the epoch)" : "";
                String what = subject.entity() == EntityType.METRIC ? "metric comparisons" : subject.label();
                throw new GrammarError(what + " need" + (subject.entity() == EntityType.METRIC ? "" : "s")
                        + " a number" + unit + ", got " + culprit(literal));
            }
            return new Clause(subject.entity(), subject.key(), comparator, value);
        }
        boolean wantsList = comparator == Comparator.IN || comparator == Comparator.NOT_IN;
        if (wantsList) {
            if (!(value instanceof FilterValue.StringList list)) {
                throw new GrammarError(comparator.symbol() + " needs a parenthesised list of quoted strings, as in ('a', 'b'); got "
                        + culprit(literal));
            }
            if (list.values().isEmpty()) {
                throw new GrammarError(comparator.symbol() + " needs at least one value, got ()");
            }
            return new Clause(subject.entity(), subject.key(), comparator, value);
        }
        if (value instanceof FilterValue.StringList) {
            throw new GrammarError(comparator.symbol() + " compares with one quoted string; only IN and NOT IN take a list, got "
                    + FilterScanner.abbreviate(literal.source()));
        }
        if (!(value instanceof FilterValue.StringValue)) {
            throw new GrammarError(subject.label() + " needs a quoted string, as in '" + FilterScanner.abbreviate(literal.source())
                    + "'; got " + FilterScanner.abbreviate(literal.source()) + " without quotes");
        }
        return new Clause(subject.entity(), subject.key(), comparator, value);
    }

    /** Where a comparison should start, the joining words and parentheses are mistakes of structure. */
    private static void refuseNonComparison(FilterScanner scanner) {
        if (scanner.atEnd()) {
            throw new GrammarError("a comparison is missing after the last AND", true);
        }
        if (scanner.peek() == '(' || scanner.peek() == ')') {
            throw new GrammarError("parentheses are not supported; join comparisons with AND", true);
        }
        String word = scanner.peekWord().toUpperCase(Locale.ROOT);
        if (word.equals("AND") || word.equals("OR")) {
            throw new GrammarError("expected a comparison where '" + scanner.nextToken() + "' stands", true);
        }
        if (word.equals("NOT")) {
            throw new GrammarError("NOT is not supported; use != or NOT IN", true);
        }
    }

    /** Between comparisons only AND may stand. */
    private static void joiner(FilterScanner scanner) {
        String word = scanner.peekWord().toUpperCase(Locale.ROOT);
        if (word.equals("AND")) {
            scanner.skipWord();
            return;
        }
        if (word.equals("OR")) {
            throw new GrammarError("OR is not supported; a filter joins comparisons with AND only", true);
        }
        char next = scanner.peek();
        if (next == '(' || next == ')') {
            throw new GrammarError("parentheses are not supported; join comparisons with AND", true);
        }
        throw new GrammarError("expected AND between comparisons, got '" + scanner.nextToken() + "'", true);
    }

    private static KeelException invalidFilter(String shown, GrammarError error) {
        return KeelException.invalid("Invalid filter '" + excerpt(shown) + "': " + error.getMessage());
    }

    private static String excerpt(String text) {
        String stripped = text.strip();
        return stripped.length() <= QUOTED ? stripped : stripped.substring(0, QUOTED) + "…";
    }

    /** A value as the user wrote it, said so that quotes in it stay readable. */
    private static String culprit(Literal literal) {
        String source = FilterScanner.abbreviate(literal.source());
        if (literal.value() instanceof FilterValue.StringValue) {
            return "the string " + source;
        }
        if (literal.value() instanceof FilterValue.StringList) {
            return "the list " + source;
        }
        return "'" + source + "'";
    }

    private static String symbols(Kind kind) {
        return kind.comparators().stream().map(Comparator::symbol).collect(Collectors.joining(", "));
    }

    private static String prefixes(Set<EntityType> entities) {
        String names = entities.stream().sorted().map(e -> plural(e) + ".").collect(Collectors.joining(", "));
        return entities.size() == 1 ? "the prefix " + names : "one of the prefixes " + names;
    }

    private static String plural(EntityType entity) {
        return switch (entity) {
            case METRIC -> "metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case ATTRIBUTE -> "attributes";
            case DATASET -> "datasets";
        };
    }
}
