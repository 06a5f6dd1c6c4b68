package dev.keel.store.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

import java.util.List;
import java.util.stream.Stream;

import static dev.keel.store.search.Comparator.EQ;
import static dev.keel.store.search.Comparator.GT;
import static dev.keel.store.search.Comparator.ILIKE;
import static dev.keel.store.search.Comparator.LE;
import static dev.keel.store.search.Comparator.LIKE;
import static dev.keel.store.search.Comparator.NEQ;
import static dev.keel.store.search.RunFilterGrammarTest.clause;
import static dev.keel.store.search.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ExperimentSearchGrammarTest {

    static Stream<Arguments> experiment_filters() {
        return Stream.of(
                arguments("name = 'credit'", clause(EntityType.ATTRIBUTE, "name", EQ, "credit")),
                arguments("name != 'credit'", clause(EntityType.ATTRIBUTE, "name", NEQ, "credit")),
                arguments("name LIKE 'cred%'", clause(EntityType.ATTRIBUTE, "name", LIKE, "cred%")),
                arguments("attribute.name ILIKE '%Cred%'", clause(EntityType.ATTRIBUTE, "name", ILIKE, "%Cred%")),
                arguments("attributes.name = \"x\"", clause(EntityType.ATTRIBUTE, "name", EQ, "x")),
                arguments("creation_time > 5", clause(EntityType.ATTRIBUTE, "creation_time", GT, 5)),
                arguments("last_update_time <= 10", clause(EntityType.ATTRIBUTE, "last_update_time", LE, 10)),
                arguments("tags.team = 'risk'", clause(EntityType.TAG, "team", EQ, "risk")),
                arguments("tag.`a b` LIKE 'x%'", clause(EntityType.TAG, "a b", LIKE, "x%")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void experiment_filters(String filter, Clause expected) {
        assertThat(SearchGrammar.parseExperimentFilter(filter)).containsExactly(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void no_experiment_filter_means_no_clauses(String filter) {
        assertThat(SearchGrammar.parseExperimentFilter(filter)).isEmpty();
    }

    @Test
    void experiment_comparisons_join_with_and() {
        assertThat(SearchGrammar.parseExperimentFilter("name LIKE 'a%' and tags.team = 'risk' AND creation_time > 1"))
                .containsExactly(
                        clause(EntityType.ATTRIBUTE, "name", LIKE, "a%"),
                        clause(EntityType.TAG, "team", EQ, "risk"),
                        clause(EntityType.ATTRIBUTE, "creation_time", GT, 1));
    }

    static Stream<Arguments> refused_experiment_filters() {
        return Stream.of(
                arguments("metrics.auc > 1", List.of("experiments cannot be filtered on metrics", "tags.")),
                arguments("params.a = 'x'", List.of("experiments cannot be filtered on params")),
                arguments("datasets.name = 'x'", List.of("experiments cannot be filtered on datasets")),
                arguments("run.name = 'x'", List.of("unknown entity 'run'")),
                arguments("experiment_id = '1'", List.of("unknown attribute 'experiment_id'", "creation_time")),
                arguments("status = 'x'", List.of("unknown attribute 'status'")),
                arguments("lifecycle_stage = 'active'", List.of("'lifecycle_stage'", "view type")),
                arguments("name > 'a'", List.of("attribute 'name'", "cannot be compared with >")),
                arguments("name IN ('a')", List.of("attribute 'name'", "IN")),
                arguments("creation_time = 'x'", List.of("attribute 'creation_time'", "number", "the string 'x'")),
                arguments("name = 1", List.of("attribute 'name'", "1 without quotes")),
                arguments("tags.t > 'x'", List.of("tag 't'", ">")),
                arguments("name = 'a' OR name = 'b'", List.of("OR is not supported")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused_experiment_filters(String filter, List<String> fragments) {
        assertRefused(() -> SearchGrammar.parseExperimentFilter(filter), "Invalid filter '", fragments);
    }
}
