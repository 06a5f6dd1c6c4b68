package dev.keel.store.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.keel.store.search.Comparator.EQ;
import static dev.keel.store.search.Comparator.GE;
import static dev.keel.store.search.Comparator.GT;
import static dev.keel.store.search.Comparator.ILIKE;
import static dev.keel.store.search.Comparator.IN;
import static dev.keel.store.search.Comparator.LE;
import static dev.keel.store.search.Comparator.LIKE;
import static dev.keel.store.search.Comparator.LT;
import static dev.keel.store.search.Comparator.NEQ;
import static dev.keel.store.search.Comparator.NOT_IN;
import static dev.keel.store.search.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RunFilterGrammarTest {

    static Clause clause(EntityType entity, String key, Comparator comparator, double number) {
        return new Clause(entity, key, comparator, new FilterValue.NumberValue(number));
    }

    static Clause clause(EntityType entity, String key, Comparator comparator, String string) {
        return new Clause(entity, key, comparator, new FilterValue.StringValue(string));
    }

    static Clause clause(EntityType entity, String key, Comparator comparator, List<String> strings) {
        return new Clause(entity, key, comparator, new FilterValue.StringList(strings));
    }

    static Stream<Arguments> single_comparisons() {
        return Stream.of(
                arguments("metrics.auc > 0.8", clause(EntityType.METRIC, "auc", GT, 0.8)),
                arguments("metric.auc >= 1", clause(EntityType.METRIC, "auc", GE, 1)),
                arguments("metrics.loss < -1.5", clause(EntityType.METRIC, "loss", LT, -1.5)),
                arguments("metrics.loss <= 1e-3", clause(EntityType.METRIC, "loss", LE, 0.001)),
                arguments("metrics.loss = 2.5E+2", clause(EntityType.METRIC, "loss", EQ, 250)),
                arguments("metrics.x != .5", clause(EntityType.METRIC, "x", NEQ, 0.5)),
                arguments("metrics.x = 3.", clause(EntityType.METRIC, "x", EQ, 3)),
                arguments("metrics.auc>0.5", clause(EntityType.METRIC, "auc", GT, 0.5)),
                arguments("metrics.auc>-0.5", clause(EntityType.METRIC, "auc", GT, -0.5)),
                arguments("metrics.`my metric` > 0", clause(EntityType.METRIC, "my metric", GT, 0)),
                arguments("metrics.\"val/loss\" < 3", clause(EntityType.METRIC, "val/loss", LT, 3)),
                arguments("metrics.val/loss-2 < 3", clause(EntityType.METRIC, "val/loss-2", LT, 3)),
                arguments("`metrics`.`a b` < 3", clause(EntityType.METRIC, "a b", LT, 3)),
                arguments("params.lr = '0.01'", clause(EntityType.PARAM, "lr", EQ, "0.01")),
                arguments("param.model = \"LogisticRegression\"", clause(EntityType.PARAM, "model", EQ, "LogisticRegression")),
                arguments("parameters.opt LIKE 'ad%'", clause(EntityType.PARAM, "opt", LIKE, "ad%")),
                arguments("parameter.opt != 'sgd'", clause(EntityType.PARAM, "opt", NEQ, "sgd")),
                arguments("params.opt ilike '%AD%'", clause(EntityType.PARAM, "opt", ILIKE, "%AD%")),
                arguments("params.in = 'x'", clause(EntityType.PARAM, "in", EQ, "x")),
                arguments("params.and = 'x'", clause(EntityType.PARAM, "and", EQ, "x")),
                arguments("params.q = 'a AND b OR (c)'", clause(EntityType.PARAM, "q", EQ, "a AND b OR (c)")),
                arguments("tags.mlflow.user = 'alice'", clause(EntityType.TAG, "mlflow.user", EQ, "alice")),
                arguments("tags.\"mlflow.user\" != 'bob'", clause(EntityType.TAG, "mlflow.user", NEQ, "bob")),
                arguments("tag.note = 'it''s'", clause(EntityType.TAG, "note", EQ, "it's")),
                arguments("tags.note = 'it\\'s'", clause(EntityType.TAG, "note", EQ, "it's")),
                arguments("tags.note = \"say \\\"hi\\\"\"", clause(EntityType.TAG, "note", EQ, "say \"hi\"")),
                arguments("tags.note = 'back\\\\slash'", clause(EntityType.TAG, "note", EQ, "back\\slash")),
                arguments("tags.p LIKE 'a\\_b%'", clause(EntityType.TAG, "p", LIKE, "a\\_b%")),
                arguments("tags.empty = ''", clause(EntityType.TAG, "empty", EQ, "")),
                arguments("tags.quote = ''''", clause(EntityType.TAG, "quote", EQ, "'")),
                arguments("status = 'FINISHED'", clause(EntityType.ATTRIBUTE, "status", EQ, "FINISHED")),
                arguments("attributes.status != 'FAILED'", clause(EntityType.ATTRIBUTE, "status", NEQ, "FAILED")),
                arguments("attr.run_name = 'r1'", clause(EntityType.ATTRIBUTE, "run_name", EQ, "r1")),
                arguments("run.user_id LIKE 'al%'", clause(EntityType.ATTRIBUTE, "user_id", LIKE, "al%")),
                arguments("attribute.artifact_uri ILIKE '%s3%'", clause(EntityType.ATTRIBUTE, "artifact_uri", ILIKE, "%s3%")),
                arguments("created > 1700000000000", clause(EntityType.ATTRIBUTE, "start_time", GT, 1.7e12)),
                arguments("attributes.Created < 5", clause(EntityType.ATTRIBUTE, "start_time", LT, 5)),
                arguments("attributes.`Run Name` = 'x'", clause(EntityType.ATTRIBUTE, "run_name", EQ, "x")),
                arguments("\"run name\" = 'x'", clause(EntityType.ATTRIBUTE, "run_name", EQ, "x")),
                arguments("start_time >= 0", clause(EntityType.ATTRIBUTE, "start_time", GE, 0)),
                arguments("end_time <= 10", clause(EntityType.ATTRIBUTE, "end_time", LE, 10)),
                arguments("run_id = 'abc'", clause(EntityType.ATTRIBUTE, "run_id", EQ, "abc")),
                arguments("run_id IN ('a', 'b')", clause(EntityType.ATTRIBUTE, "run_id", IN, List.of("a", "b"))),
                arguments("run_id in (\"a\",'b' )", clause(EntityType.ATTRIBUTE, "run_id", IN, List.of("a", "b"))),
                arguments("attributes.run_id not in ('a')", clause(EntityType.ATTRIBUTE, "run_id", NOT_IN, List.of("a"))),
                arguments("run_id NOT   IN ('a')", clause(EntityType.ATTRIBUTE, "run_id", NOT_IN, List.of("a"))),
                arguments("datasets.name = 'train'", clause(EntityType.DATASET, "name", EQ, "train")),
                arguments("dataset.digest IN ('d1','d2')", clause(EntityType.DATASET, "digest", IN, List.of("d1", "d2"))),
                arguments("datasets.context LIKE 'tr%'", clause(EntityType.DATASET, "context", LIKE, "tr%")),
                arguments("  metrics.auc   >   0.5  ", clause(EntityType.METRIC, "auc", GT, 0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void single_comparisons(String filter, Clause expected) {
        assertThat(SearchGrammar.parseRunFilter(filter)).containsExactly(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void no_filter_means_no_clauses(String filter) {
        assertThat(SearchGrammar.parseRunFilter(filter)).isEmpty();
    }

    @Test
    void comparisons_join_with_and_in_any_case() {
        assertThat(SearchGrammar.parseRunFilter("metrics.auc > 0.5 AND params.lr = '0.01' and\n\ttags.t = 'x' And status = 'RUNNING'"))
                .containsExactly(
                        clause(EntityType.METRIC, "auc", GT, 0.5),
                        clause(EntityType.PARAM, "lr", EQ, "0.01"),
                        clause(EntityType.TAG, "t", EQ, "x"),
                        clause(EntityType.ATTRIBUTE, "status", EQ, "RUNNING"));
    }

    @Test
    void a_quoted_value_may_stand_right_before_and() {
        assertThat(SearchGrammar.parseRunFilter("params.a = 'x'AND params.b = 'y'"))
                .containsExactly(clause(EntityType.PARAM, "a", EQ, "x"), clause(EntityType.PARAM, "b", EQ, "y"));
    }

    static Stream<Arguments> refused_filters() {
        return Stream.of(
                // metrics take numbers and numeric comparators
                arguments("metrics.auc > high", List.of("'metrics.auc > high'", "metric comparisons need a number", "'high'")),
                arguments("metrics.auc > '0.8'", List.of("need a number", "the string '0.8'")),
                arguments("metrics.auc LIKE '0.8'", List.of("metric 'auc'", "LIKE")),
                arguments("metrics.auc IN ('1')", List.of("metric 'auc'", "IN")),
                // params and tags take quoted strings and string comparators
                arguments("params.lr = 0.01", List.of("param 'lr'", "0.01 without quotes")),
                arguments("params.model = LogisticRegression", List.of("param 'model'", "LogisticRegression without quotes")),
                arguments("params.lr > '1'", List.of("param 'lr'", "cannot be compared with >")),
                arguments("tags.t IN ('a')", List.of("tag 't'", "IN")),
                arguments("tags.t = ('a', 'b')", List.of("only IN and NOT IN take a list", "('a', 'b')")),
                // attributes
                arguments("status IN ('A')", List.of("attribute 'status'", "IN")),
                arguments("run_id IN 'abc'", List.of("IN needs a parenthesised list", "the string 'abc'")),
                arguments("run_id NOT IN 'abc'", List.of("NOT IN needs a parenthesised list", "'abc'")),
                arguments("run_id IN ()", List.of("'run_id IN ()'", "at least one value")),
                arguments("run_id IN ('a', 1)", List.of("quoted strings", "1)")),
                arguments("run_id IN ('a' 'b')", List.of("expected ',' or ')'", "'b'")),
                arguments("run_id IN ('a'", List.of("no closing ')'")),
                arguments("start_time > 'yesterday'", List.of("attribute 'start_time'", "number", "'yesterday'")),
                arguments("end_time LIKE '1%'", List.of("attribute 'end_time'", "LIKE")),
                arguments("lifecycle_stage = 'deleted'", List.of("'lifecycle_stage'", "view type")),
                arguments("attributes.lifecycle_stage = 'active'", List.of("'lifecycle_stage'", "view type")),
                arguments("name = 'x'", List.of("unknown attribute 'name'", "run_name")),
                arguments("attributes.experiment_id = '1'", List.of("unknown attribute 'experiment_id'")),
                arguments("RUN_NAME = 'x'", List.of("unknown attribute 'RUN_NAME'")),
                // entities
                arguments("foo.bar = 'x'", List.of("unknown entity 'foo'", "metrics.")),
                arguments("Metrics.auc > 1", List.of("unknown entity 'Metrics'")),
                arguments("datasets.schema = 'x'", List.of("unknown dataset field 'schema'", "digest")),
                arguments("datasets.name > 'x'", List.of("dataset field 'name'", ">")),
                arguments("metrics. > 1", List.of("expected a key after 'metrics.'")),
                arguments("metrics.\"\" > 1", List.of("key after 'metrics.' is empty")),
                arguments("metrics = 1", List.of("'metrics' needs a key")),
                // structure
                arguments("metrics.a > 1 OR metrics.b > 2", List.of("'metrics.a > 1 OR metrics.b > 2'", "OR is not supported")),
                arguments("metrics.a > 1 or metrics.b > 2", List.of("OR is not supported")),
                arguments("(metrics.a > 1)", List.of("parentheses are not supported")),
                arguments("metrics.a > 1 AND (metrics.b > 2)", List.of("parentheses are not supported")),
                arguments("metrics.a > 1)", List.of("parentheses are not supported")),
                arguments("metrics.a > 1 AND", List.of("missing after the last AND")),
                arguments("metrics.a > 1 AND   ", List.of("missing after the last AND")),
                arguments("AND metrics.a > 1", List.of("expected a comparison where 'AND' stands")),
                arguments("metrics.a > 1 AND AND metrics.b > 2", List.of("'AND' stands")),
                arguments("metrics.a > 1 metrics.b > 2", List.of("expected AND between comparisons", "'metrics.b'")),
                arguments("metrics.a > 1; metrics.b > 2", List.of("expected AND between comparisons", "';'")),
                arguments("NOT metrics.a > 1", List.of("NOT is not supported")),
                // comparators
                arguments("metrics.a == 1", List.of("'metrics.a == 1'", "unknown comparator '=='")),
                arguments("metrics.a <> 1", List.of("unknown comparator '<>'")),
                arguments("params.a REGEXP 'x'", List.of("unknown comparator 'REGEXP'")),
                arguments("params.a NOT LIKE 'x'", List.of("expected IN after NOT", "NOT LIKE")),
                arguments("metrics.a 1", List.of("expected a comparator", "'1'")),
                arguments("metrics.a", List.of("comparator is missing")),
                // values
                arguments("metrics.a >", List.of("value is missing")),
                arguments("metrics.a > 1.2.3", List.of("'metrics.a > 1.2.3'", "'1.2.3' is not a number")),
                arguments("metrics.a > 12abc", List.of("'12abc' is not a number")),
                arguments("metrics.a > 1e999", List.of("'1e999' is out of range")),
                arguments("params.a = 'unterminated", List.of("'unterminated", "no closing quote (')")),
                arguments("params.a = `x`", List.of("expected a value", "`x`")),
                arguments("# = 1", List.of("expected an identifier", "'#'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused_filters(String filter, List<String> fragments) {
        assertRefused(() -> SearchGrammar.parseRunFilter(filter), "Invalid filter '", fragments);
    }

    @Test
    void the_message_quotes_the_clause_that_is_wrong_not_its_neighbours() {
        assertThatThrownBy(() -> SearchGrammar.parseRunFilter("metrics.a > 1 AND tags.b = 'x' AND params.c > 'y'"))
                .hasMessageStartingWith("Invalid filter 'params.c > 'y'': param 'c' cannot be compared with >");
    }

    @Test
    void a_long_filter_is_quoted_shortened() {
        String filter = "metrics.a > 1 OR " + "metrics.b > 2 AND ".repeat(500) + "metrics.c > 3";
        assertThatThrownBy(() -> SearchGrammar.parseRunFilter(filter))
                .hasMessageContaining("OR is not supported")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void a_long_filter_of_many_comparisons_parses() {
        String filter = String.join(" AND ", java.util.Collections.nCopies(400, "metrics.auc > 0.5"));
        assertThat(SearchGrammar.parseRunFilter(filter)).hasSize(400);
    }
}
