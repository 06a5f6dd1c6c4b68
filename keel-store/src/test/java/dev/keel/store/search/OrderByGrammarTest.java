package dev.keel.store.search;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class OrderByGrammarTest {

    static Stream<Arguments> run_order_by() {
        return Stream.of(
                arguments("metrics.auc", new OrderBy(EntityType.METRIC, "auc", true)),
                arguments("metrics.auc DESC", new OrderBy(EntityType.METRIC, "auc", false)),
                arguments("metrics.auc desc", new OrderBy(EntityType.METRIC, "auc", false)),
                arguments("metric.`val loss`   DESC  ", new OrderBy(EntityType.METRIC, "val loss", false)),
                arguments("params.lr ASC", new OrderBy(EntityType.PARAM, "lr", true)),
                arguments("parameters.lr Asc", new OrderBy(EntityType.PARAM, "lr", true)),
                arguments("tags.`my tag` DESC", new OrderBy(EntityType.TAG, "my tag", false)),
                arguments("tags.\"mlflow.user\"", new OrderBy(EntityType.TAG, "mlflow.user", true)),
                arguments("tags.mlflow.runName DESC", new OrderBy(EntityType.TAG, "mlflow.runName", false)),
                arguments("start_time", new OrderBy(EntityType.ATTRIBUTE, "start_time", true)),
                arguments("attributes.start_time DESC", new OrderBy(EntityType.ATTRIBUTE, "start_time", false)),
                arguments("attributes.created DESC", new OrderBy(EntityType.ATTRIBUTE, "start_time", false)),
                arguments("run_name", new OrderBy(EntityType.ATTRIBUTE, "run_name", true)),
                arguments("attr.status asc", new OrderBy(EntityType.ATTRIBUTE, "status", true)),
                arguments("run.end_time DESC", new OrderBy(EntityType.ATTRIBUTE, "end_time", false)),
                arguments("run_id", new OrderBy(EntityType.ATTRIBUTE, "run_id", true)),
                arguments("user_id", new OrderBy(EntityType.ATTRIBUTE, "user_id", true)),
                arguments("artifact_uri", new OrderBy(EntityType.ATTRIBUTE, "artifact_uri", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void run_order_by(String clause, OrderBy expected) {
        assertThat(SearchGrammar.parseRunOrderBy(clause)).isEqualTo(expected);
    }

    static Stream<Arguments> refused_run_order_by() {
        return Stream.of(
                arguments("metrics.auc UP", List.of("ASC or DESC", "'UP'")),
                arguments("metrics.auc DESC extra", List.of("unexpected 'extra'")),
                arguments("metrics.auc, params.x", List.of("ASC or DESC", "','")),
                arguments("metrics.auc DESC, params.x", List.of("unexpected ','")),
                arguments("datasets.name", List.of("runs cannot be ordered by datasets")),
                arguments("attributes.foo", List.of("unknown attribute 'foo'", "start_time")),
                arguments("lifecycle_stage", List.of("'lifecycle_stage'", "view type")),
                arguments("foo.bar DESC", List.of("unknown entity 'foo'")),
                arguments("metrics.", List.of("expected a key after 'metrics.'")),
                arguments("metrics", List.of("'metrics' needs a key")),
                arguments("metrics.`auc", List.of("no closing backtick (`)")),
                arguments("> 1", List.of("expected an identifier", "'>'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused_run_order_by(String clause, List<String> fragments) {
        assertThatThrownBy(() -> SearchGrammar.parseRunOrderBy(clause))
                .isInstanceOfSatisfying(KeelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).startsWith("Invalid order_by clause '" + clause.strip() + "'");
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
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
