package dev.keel.store.search;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.keel.store.search.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class OrderByGrammarTest {
    private static final Named<Function<String, OrderBy>> RUNS = Named.of("runs", SearchGrammar::parseRunOrderBy);
    private static final Named<Function<String, OrderBy>> EXPERIMENTS =
            Named.of("experiments", SearchGrammar::parseExperimentOrderBy);

    static Stream<Arguments> order_by() {
        return Stream.of(
                arguments(RUNS, "metrics.auc", new OrderBy(EntityType.METRIC, "auc", true)),
                arguments(RUNS, "metrics.auc DESC", new OrderBy(EntityType.METRIC, "auc", false)),
                arguments(RUNS, "metrics.auc desc", new OrderBy(EntityType.METRIC, "auc", false)),
                arguments(RUNS, "metric.`val loss`   DESC  ", new OrderBy(EntityType.METRIC, "val loss", false)),
                arguments(RUNS, "params.lr ASC", new OrderBy(EntityType.PARAM, "lr", true)),
                arguments(RUNS, "parameters.lr Asc", new OrderBy(EntityType.PARAM, "lr", true)),
                arguments(RUNS, "tags.`my tag` DESC", new OrderBy(EntityType.TAG, "my tag", false)),
                arguments(RUNS, "tags.\"mlflow.user\"", new OrderBy(EntityType.TAG, "mlflow.user", true)),
                arguments(RUNS, "tags.mlflow.runName DESC", new OrderBy(EntityType.TAG, "mlflow.runName", false)),
                arguments(RUNS, "start_time", new OrderBy(EntityType.ATTRIBUTE, "start_time", true)),
                arguments(RUNS, "attributes.start_time DESC", new OrderBy(EntityType.ATTRIBUTE, "start_time", false)),
                arguments(RUNS, "attributes.created DESC", new OrderBy(EntityType.ATTRIBUTE, "start_time", false)),
                arguments(RUNS, "run_name", new OrderBy(EntityType.ATTRIBUTE, "run_name", true)),
                arguments(RUNS, "attr.status asc", new OrderBy(EntityType.ATTRIBUTE, "status", true)),
                arguments(RUNS, "run.end_time DESC", new OrderBy(EntityType.ATTRIBUTE, "end_time", false)),
                arguments(RUNS, "run_id", new OrderBy(EntityType.ATTRIBUTE, "run_id", true)),
                arguments(RUNS, "user_id", new OrderBy(EntityType.ATTRIBUTE, "user_id", true)),
                arguments(RUNS, "artifact_uri", new OrderBy(EntityType.ATTRIBUTE, "artifact_uri", true)),
                arguments(EXPERIMENTS, "name", new OrderBy(EntityType.ATTRIBUTE, "name", true)),
                arguments(EXPERIMENTS, "name DESC", new OrderBy(EntityType.ATTRIBUTE, "name", false)),
                arguments(EXPERIMENTS, "experiment_id", new OrderBy(EntityType.ATTRIBUTE, "experiment_id", true)),
                arguments(EXPERIMENTS, "creation_time asc", new OrderBy(EntityType.ATTRIBUTE, "creation_time", true)),
                arguments(EXPERIMENTS, "attributes.last_update_time DESC",
                        new OrderBy(EntityType.ATTRIBUTE, "last_update_time", false)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource
    void order_by(Function<String, OrderBy> parse, String clause, OrderBy expected) {
        assertThat(parse.apply(clause)).isEqualTo(expected);
    }

    static Stream<Arguments> refused_order_by() {
        return Stream.of(
                arguments(RUNS, "metrics.auc UP", List.of("ASC or DESC", "'UP'")),
                arguments(RUNS, "metrics.auc DESC extra", List.of("unexpected 'extra'")),
                arguments(RUNS, "metrics.auc, params.x", List.of("ASC or DESC", "','")),
                arguments(RUNS, "metrics.auc DESC, params.x", List.of("unexpected ','")),
                arguments(RUNS, "datasets.name", List.of("runs cannot be ordered by datasets")),
                arguments(RUNS, "attributes.foo", List.of("unknown attribute 'foo'", "start_time")),
                arguments(RUNS, "lifecycle_stage", List.of("'lifecycle_stage'", "view type")),
                arguments(RUNS, "foo.bar DESC", List.of("unknown entity 'foo'")),
                arguments(RUNS, "metrics.", List.of("expected a key after 'metrics.'")),
                arguments(RUNS, "metrics", List.of("'metrics' needs a key")),
                arguments(RUNS, "metrics.`auc", List.of("no closing backtick (`)")),
                arguments(RUNS, "> 1", List.of("expected an identifier", "'>'")),
                arguments(EXPERIMENTS, "tags.team", List.of("experiments cannot be ordered by tags", "attributes.")),
                arguments(EXPERIMENTS, "metrics.auc DESC", List.of("experiments cannot be ordered by metrics")),
                arguments(EXPERIMENTS, "run_name", List.of("unknown attribute 'run_name'", "experiment_id")),
                arguments(EXPERIMENTS, "name SIDEWAYS", List.of("ASC or DESC", "'SIDEWAYS'")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource
    void refused_order_by(Function<String, OrderBy> parse, String clause, List<String> fragments) {
        assertRefused(() -> parse.apply(clause), "Invalid order_by clause '" + clause.strip() + "'", fragments);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void an_empty_order_by_clause_is_refused(String clause) {
        assertThatThrownBy(() -> SearchGrammar.parseRunOrderBy(clause))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("it is empty");
        assertThatThrownBy(() -> SearchGrammar.parseExperimentOrderBy(clause))
                .hasMessageContaining("it is empty");
    }
}
