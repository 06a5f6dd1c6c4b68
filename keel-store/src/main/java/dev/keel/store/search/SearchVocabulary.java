package dev.keel.store.search;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a search may name, as MLflow spells it: the entity prefixes, the attributes with their
 * aliases (each resolving to a canonical name) and what kind of value each compares with. One
 * vocabulary for run searches, one for experiment searches.
 */
record SearchVocabulary(String subject,
                        Map<String, EntityType> prefixes,
                        Set<EntityType> filterEntities,
                        Set<EntityType> orderEntities,
                        Map<String, Field> filterAttributes,
                        Map<String, Field> orderAttributes) {

    /** What an attribute, param, tag or dataset field compares with, and by which comparators. */
    enum Kind {
        NUMBER(EnumSet.of(Comparator.EQ, Comparator.NEQ, Comparator.GT, Comparator.GE, Comparator.LT, Comparator.LE)),
        STRING(EnumSet.of(Comparator.EQ, Comparator.NEQ, Comparator.LIKE, Comparator.ILIKE)),
        /** A string, or a list of strings with IN and NOT IN (run_id, dataset fields). */
        STRING_OR_LIST(EnumSet.of(Comparator.EQ, Comparator.NEQ, Comparator.LIKE, Comparator.ILIKE,
                Comparator.IN, Comparator.NOT_IN));

        private final Set<Comparator> comparators;

        Kind(Set<Comparator> comparators) {
            this.comparators = comparators;
        }

        Set<Comparator> comparators() {
            return comparators;
        }
    }

    /** A named field: its canonical name and its kind. */
    record Field(String name, Kind kind) {
    }

    /** Dataset fields a run search may filter on (never order by). */
    static final Map<String, Field> DATASET_FIELDS = Map.copyOf(fields(
            new Field("name", Kind.STRING_OR_LIST),
            new Field("digest", Kind.STRING_OR_LIST),
            new Field("context", Kind.STRING_OR_LIST)));

    static final SearchVocabulary RUNS = runs();
    static final SearchVocabulary EXPERIMENTS = experiments();
    static final SearchVocabulary REGISTERED_MODELS = registeredModels();
    static final SearchVocabulary MODEL_VERSIONS = modelVersions();

    private static SearchVocabulary runs() {
        Map<String, EntityType> prefixes = new LinkedHashMap<>(tagsAndAttributes());
        prefixes.put("metrics", EntityType.METRIC);
        prefixes.put("metric", EntityType.METRIC);
        prefixes.put("params", EntityType.PARAM);
        prefixes.put("param", EntityType.PARAM);
        prefixes.put("parameters", EntityType.PARAM);
        prefixes.put("parameter", EntityType.PARAM);
        prefixes.put("run", EntityType.ATTRIBUTE);
        prefixes.put("datasets", EntityType.DATASET);
        prefixes.put("dataset", EntityType.DATASET);

        Field runId = new Field("run_id", Kind.STRING_OR_LIST);
        Field runName = new Field("run_name", Kind.STRING);
        Field startTime = new Field("start_time", Kind.NUMBER);
        Map<String, Field> attributes = new LinkedHashMap<>(fields(
                runId, runName,
                new Field("user_id", Kind.STRING),
                new Field("status", Kind.STRING),
                new Field("artifact_uri", Kind.STRING),
                startTime,
                new Field("end_time", Kind.NUMBER)));
        // MLflow's aliases: the UI's column titles ("Created", "Run Name") are accepted as keys.
        attributes.put("created", startTime);
        attributes.put("Created", startTime);
        attributes.put("run name", runName);
        attributes.put("Run name", runName);
        attributes.put("Run Name", runName);

        return new SearchVocabulary("runs", Map.copyOf(prefixes),
                EnumSet.allOf(EntityType.class),
                EnumSet.of(EntityType.METRIC, EntityType.PARAM, EntityType.TAG, EntityType.ATTRIBUTE),
                Map.copyOf(attributes), Map.copyOf(attributes));
    }

    private static SearchVocabulary experiments() {
        Map<String, Field> filter = fields(
                new Field("name", Kind.STRING),
                new Field("creation_time", Kind.NUMBER),
                new Field("last_update_time", Kind.NUMBER));
        Map<String, Field> order = fields(
                new Field("name", Kind.STRING),
                new Field("experiment_id", Kind.NUMBER),
                new Field("creation_time", Kind.NUMBER),
                new Field("last_update_time", Kind.NUMBER));
        return new SearchVocabulary("experiments", tagsAndAttributes(),
                EnumSet.of(EntityType.TAG, EntityType.ATTRIBUTE), EnumSet.of(EntityType.ATTRIBUTE),
                Map.copyOf(filter), Map.copyOf(order));
    }

    /** The prefixes of every search: tags and attributes, with MLflow's short forms. */
    private static Map<String, EntityType> tagsAndAttributes() {
        Map<String, EntityType> prefixes = new LinkedHashMap<>();
        prefixes.put("tags", EntityType.TAG);
        prefixes.put("tag", EntityType.TAG);
        prefixes.put("attributes", EntityType.ATTRIBUTE);
        prefixes.put("attribute", EntityType.ATTRIBUTE);
        prefixes.put("attr", EntityType.ATTRIBUTE);
        return Map.copyOf(prefixes);
    }

    private static SearchVocabulary registeredModels() {
        Field updated = new Field("last_updated_timestamp", Kind.NUMBER);
        Map<String, Field> order = fields(new Field("name", Kind.STRING), updated);
        order.put("timestamp", updated);  // MLflow's alias
        return new SearchVocabulary("registered models", tagsAndAttributes(),
                EnumSet.of(EntityType.TAG, EntityType.ATTRIBUTE), EnumSet.of(EntityType.ATTRIBUTE),
                Map.copyOf(fields(new Field("name", Kind.STRING))), Map.copyOf(order));
    }

    private static SearchVocabulary modelVersions() {
        Map<String, Field> filter = fields(
                new Field("name", Kind.STRING),
                new Field("version_number", Kind.NUMBER),
                new Field("run_id", Kind.STRING_OR_LIST),
                new Field("source_path", Kind.STRING));
        Field updated = new Field("last_updated_timestamp", Kind.NUMBER);
        Map<String, Field> order = fields(
                new Field("name", Kind.STRING),
                new Field("version_number", Kind.NUMBER),
                new Field("creation_timestamp", Kind.NUMBER),
                updated);
        order.put("timestamp", updated);  // MLflow's alias
        return new SearchVocabulary("model versions", tagsAndAttributes(),
                EnumSet.of(EntityType.TAG, EntityType.ATTRIBUTE), EnumSet.of(EntityType.ATTRIBUTE),
                Map.copyOf(filter), Map.copyOf(order));
    }

    /** The canonical attribute names, in a stable order, for error messages. */
    static String names(Map<String, Field> fields) {
        return String.join(", ", fields.values().stream().map(Field::name).distinct().sorted().toList());
    }

    private static Map<String, Field> fields(Field... fields) {
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Field field : fields) {
            byName.put(field.name(), field);
        }
        return byName;
    }
}
