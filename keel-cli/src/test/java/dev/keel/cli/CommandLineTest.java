package dev.keel.cli;

import dev.keel.api.Tag;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.LocalHome.env;
import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code keel} command in this JVM, embedded on SQLite in a temporary KEEL_HOME. */
class CommandLineTest {
    private static final Actor ALICE = new Actor("alice");

    @TempDir
    Path home;

    /** Two runs in a fresh experiment, auc 0.91 and 0.42; returns their ids in that order. */
    private List<String> twoRuns(String experimentName) {
        try (KeelPlatform platform = LocalHome.open(home)) {
            TrackingService tracking = platform.tracking();
            String experimentId = tracking.createExperiment(ALICE, NewExperiment.named(experimentName)).experimentId();
            List<String> ids = new ArrayList<>();
            for (double auc : new double[] {0.91, 0.42}) {
                String runId = tracking.createRun(ALICE, NewRun.in(experimentId).named("auc-" + auc)).info().runId();
                tracking.logBatch(ALICE, runId, new LogBatch(
                        List.of(new Metric("auc", auc, 1_000, 3), new Metric("loss", 0.3, 1_000, 3)),
                        List.of(new Param("learning_rate", "0.05")),
                        List.of(new Tag("team", "risk"))));
                ids.add(runId);
            }
            return ids;
        }
    }

    @Test
    void an_experiment_created_from_the_command_line_is_listed() {
        CommandLineRun created = keel(env(home), "experiments", "create", "churn");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("created experiment").contains("'churn'");

        CommandLineRun listed = keel(env(home), "experiments", "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("ID").contains("NAME").contains("churn").contains("Default");
        assertThat(listed.err()).isEmpty();
    }

    @Test
    void experiments_list_json_is_one_array_of_experiments() {
        keel(env(home), "experiments", "create", "fraud", "--tag", "team=risk");

        JsonNode experiments = keel(env(home), "experiments", "list", "--json").json();

        assertThat(experiments.isArray()).isTrue();
        JsonNode fraud = null;
        for (JsonNode experiment : experiments) {
            if (experiment.get("name").asText().equals("fraud")) {
                fraud = experiment;
            }
        }
        assertThat(fraud).isNotNull();
        assertThat(fraud.get("experiment_id").asText()).matches("\\d+");
        assertThat(fraud.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(fraud.get("tags").get("team").asText()).isEqualTo("risk");
    }

    @Test
    void creating_an_experiment_twice_is_refused_with_exit_code_2() {
        keel(env(home), "experiments", "create", "churn");

        CommandLineRun again = keel(env(home), "experiments", "create", "churn");

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).startsWith("error: ").contains("churn");
        assertThat(again.err().lines().count()).isEqualTo(1);
    }

    @Test
    void a_deleted_experiment_leaves_the_list_but_not_the_bin() {
        String id = keel(env(home), "experiments", "create", "old", "--json").json().get("experiment_id").asText();

        CommandLineRun deleted = keel(env(home), "experiments", "delete", id);

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(keel(env(home), "experiments", "list").out()).doesNotContain("old");
        assertThat(keel(env(home), "experiments", "list", "--all").out()).contains("old").contains("deleted");
    }

    @Test
    void runs_search_json_lists_only_the_runs_the_filter_matches() {
        List<String> ids = twoRuns("search-me");

        CommandLineRun search = keel(env(home), "runs", "search", "--filter", "metrics.auc > 0.5", "--json");

        assertThat(search.exitCode()).as(search.toString()).isZero();
        JsonNode runs = search.json();
        assertThat(runs.isArray()).isTrue();
        assertThat(runs).hasSize(1);
        JsonNode run = runs.get(0);
        assertThat(run.get("run_id").asText()).isEqualTo(ids.get(0));
        assertThat(run.get("metrics").get("auc").asDouble()).isEqualTo(0.91);
        assertThat(run.get("params").get("learning_rate").asText()).isEqualTo("0.05");
        assertThat(run.get("tags").get("team").asText()).isEqualTo("risk");
        assertThat(run.get("status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void runs_search_orders_and_limits_and_takes_experiment_names() {
        List<String> ids = twoRuns("ordered");

        JsonNode ascending = keel(env(home), "runs", "search", "--experiment", "ordered", "--order-by", "metrics.auc ASC", "--json").json();
        JsonNode first = keel(env(home), "runs", "search", "--experiment", "ordered", "--order-by", "metrics.auc DESC", "--max", "1", "--json").json();

        assertThat(ascending).extracting(run -> run.get("run_id").asText()).containsExactly(ids.get(1), ids.get(0));
        assertThat(first).extracting(run -> run.get("run_id").asText()).containsExactly(ids.get(0));
    }

    @Test
    void runs_list_shows_metrics_and_params_as_columns() {
        List<String> ids = twoRuns("table");

        CommandLineRun list = keel(env(home), "runs", "list");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).contains("RUN ID", "NAME", "STATUS", "auc", "loss", "learning_rate");
        assertThat(list.out()).contains(ids.get(0), ids.get(1), "0.91", "0.42", "auc-0.91");
        int status = lines.get(0).indexOf("STATUS");
        assertThat(lines.subList(1, 3)).allSatisfy(row -> assertThat(row.substring(status)).startsWith("RUNNING"));
    }

    @Test
    void runs_get_shows_the_run_with_its_params_metrics_and_tags() {
        String runId = twoRuns("detail").get(0);

        CommandLineRun get = keel(env(home), "runs", "get", runId);
        JsonNode json = keel(env(home), "runs", "get", runId, "--json").json();

        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).contains(runId, "PARAM", "learning_rate", "0.05", "METRIC", "auc", "0.91", "TAG", "team", "risk");
        assertThat(json.get("run_id").asText()).isEqualTo(runId);
        assertThat(json.get("artifacts").isArray()).isTrue();
    }

    @Test
    void a_bad_filter_exits_with_2_and_says_what_is_wrong_in_one_line() {
        twoRuns("bad-filter");

        CommandLineRun search = keel(env(home), "runs", "search", "--filter", "metrics.auc >> 0.5", "--json");

        assertThat(search.exitCode()).as(search.toString()).isEqualTo(2);
        assertThat(search.out()).isEmpty();
        assertThat(search.err()).startsWith("error: ").contains("filter").contains("metrics.auc >> 0.5");
        assertThat(search.err().lines().count()).isEqualTo(1);
    }

    @Test
    void an_unknown_run_exits_with_2() {
        CommandLineRun get = keel(env(home), "runs", "get", "0123456789abcdef0123456789abcdef");

        assertThat(get.exitCode()).as(get.toString()).isEqualTo(2);
        assertThat(get.err()).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void a_malformed_run_id_exits_with_2_naming_the_field() {
        CommandLineRun get = keel(env(home), "runs", "get", "not-a-run");

        assertThat(get.exitCode()).as(get.toString()).isEqualTo(2);
        assertThat(get.err()).startsWith("error: ").contains("not-a-run");
    }

    @Test
    void an_unknown_option_exits_with_2_and_points_to_help() {
        CommandLineRun run = keel(env(home), "runs", "search", "--fliter", "x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("--fliter").contains("keel runs search --help");
    }

    @Test
    void a_max_below_one_is_refused() {
        CommandLineRun run = keel(env(home), "runs", "list", "--max", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("--max");
    }

    @Test
    void without_a_command_keel_prints_its_usage() {
        CommandLineRun run = keel(env(home));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: keel", "server", "experiments", "runs", "demo");
    }

    @Test
    void a_malformed_keel_url_is_refused_before_any_request() {
        CommandLineRun run = keel(Map.of("KEEL_URL", "ftp://example"), "runs", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: KEEL_URL");
    }
}
