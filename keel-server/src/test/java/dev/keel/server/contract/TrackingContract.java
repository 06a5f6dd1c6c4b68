package dev.keel.server.contract;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link TrackingService} promises, whatever carries it, run on every {@link Backend}:
 * in-process and over HTTP, on SQLite and PostgreSQL. It uses only the interface, and each test
 * makes its own uniquely named experiments, so the suite shares one store (or one server)
 * across its tests. The server acts as the contract's actor.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class TrackingContract extends ContractSuite {
    protected final Actor alice = new Actor("alice");

    @Override
    protected Deployment.Setup setup() {
        return Deployment.Setup.actingAs(alice);
    }

    private TrackingService tracking() {
        return deployment().keel().tracking();
    }

    // helpers

    private String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Experiment experiment() {
        return tracking().createExperiment(alice, NewExperiment.named(unique("exp")));
    }

    private Run run(Experiment experiment) {
        return tracking().createRun(alice, NewRun.in(experiment.experimentId()));
    }

    private Run runAt(Experiment experiment, String name, long startTime) {
        return tracking().createRun(alice, new NewRun(experiment.experimentId(), null, name, startTime, List.of()));
    }

    private static Map<String, Double> metrics(Run run) {
        return run.data().metrics().stream().collect(Collectors.toMap(Metric::key, Metric::value));
    }

    private static Map<String, String> params(Run run) {
        return run.data().params().stream().collect(Collectors.toMap(Param::key, Param::value));
    }

    private static Map<String, String> tags(Run run) {
        return run.data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private List<String> names(Experiment experiment, String filter, String... orderBy) {
        return tracking().searchRuns(alice, RunSearch.in(List.of(experiment.experimentId()), filter)
                .orderedBy(List.of(orderBy))).items().stream().map(r -> r.info().runName()).toList();
    }

    private <T> List<T> allPages(Function<String, Page<T>> page) {
        List<T> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<T> next = page.apply(token);
            all.addAll(next.items());
            token = next.nextPageToken();
            assertThat(++pages).isLessThan(100);
        } while (token != null);
        return all;
    }

    // experiments

    @Test
    void the_default_experiment_always_exists() {
        Experiment defaults = tracking().getExperiment(alice, Experiment.DEFAULT_ID);
        assertThat(defaults.experimentId()).isEqualTo("0");
        assertThat(tracking().getExperimentByName(alice, defaults.name()).experimentId()).isEqualTo("0");
    }

    @Test
    void an_experiment_is_found_by_id_and_by_name() {
        String name = unique("found");
        Experiment created = tracking().createExperiment(alice,
                new NewExperiment(name, null, List.of(new Tag("team", "risk"))));

        assertThat(created.experimentId()).matches("[0-9]+").isNotEqualTo("0");
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.artifactLocation()).isEqualTo("mlflow-artifacts:/" + created.experimentId());
        assertThat(created.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(created.tags()).containsExactly(new Tag("team", "risk"));
        assertThat(tracking().getExperiment(alice, created.experimentId())).isEqualTo(created);
        assertThat(tracking().getExperimentByName(alice, name)).isEqualTo(created);
    }

    @Test
    void an_experiment_keeps_the_artifact_location_it_was_given() {
        Experiment created = tracking().createExperiment(alice, new NewExperiment(unique("loc"), "s3://bucket/x", null));
        assertThat(tracking().getExperiment(alice, created.experimentId()).artifactLocation()).isEqualTo("s3://bucket/x");
    }

    @Test
    void experiment_names_are_unique() {
        Experiment first = experiment();
        assertFails(() -> tracking().createExperiment(alice, NewExperiment.named(first.name())),
                ErrorCode.RESOURCE_ALREADY_EXISTS, first.name());
    }

    @Test
    void unknown_experiments_are_not_found_and_malformed_ids_are_refused() {
        assertFails(() -> tracking().getExperiment(alice, "987654321012"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "987654321012");
        assertFails(() -> tracking().getExperimentByName(alice, unique("nobody")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().getExperiment(alice, "abc"), ErrorCode.INVALID_PARAMETER_VALUE, "experiment_id");
        assertFails(() -> tracking().deleteExperiment(alice, "-1"), ErrorCode.INVALID_PARAMETER_VALUE, "experiment_id");
        assertFails(() -> tracking().createRun(alice, NewRun.in("987654321012")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void experiment_names_over_the_limit_are_refused() {
        assertFails(() -> tracking().createExperiment(alice, NewExperiment.named("x".repeat(501))),
                ErrorCode.INVALID_PARAMETER_VALUE, "name");
        Experiment experiment = experiment();
        assertFails(() -> tracking().renameExperiment(alice, experiment.experimentId(), "y".repeat(501)),
                ErrorCode.INVALID_PARAMETER_VALUE, "new_name");
        assertFails(() -> tracking().renameExperiment(alice, experiment.experimentId(), " "),
                ErrorCode.INVALID_PARAMETER_VALUE, "new_name");
    }

    @Test
    void an_experiment_can_be_renamed_but_not_onto_another_name() {
        Experiment experiment = experiment();
        Experiment other = experiment();
        String renamed = unique("renamed");

        tracking().renameExperiment(alice, experiment.experimentId(), renamed);

        assertThat(tracking().getExperiment(alice, experiment.experimentId()).name()).isEqualTo(renamed);
        assertThat(tracking().getExperimentByName(alice, renamed).experimentId()).isEqualTo(experiment.experimentId());
        assertFails(() -> tracking().getExperimentByName(alice, experiment.name()), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().renameExperiment(alice, experiment.experimentId(), other.name()),
                ErrorCode.RESOURCE_ALREADY_EXISTS, other.name());
        assertFails(() -> tracking().renameExperiment(alice, "987654321012", unique("x")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void deleting_an_experiment_deletes_its_runs_and_restoring_restores_them() {
        Experiment experiment = experiment();
        Run run = run(experiment);

        tracking().deleteExperiment(alice, experiment.experimentId());

        assertThat(tracking().getExperiment(alice, experiment.experimentId()).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(tracking().getRun(alice, run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertFails(() -> run(experiment), ErrorCode.INVALID_PARAMETER_VALUE, experiment.experimentId());
        assertFails(() -> tracking().renameExperiment(alice, experiment.experimentId(), unique("x")),
                ErrorCode.INVALID_PARAMETER_VALUE, experiment.experimentId());
        assertThat(tracking().searchRuns(alice, new RunSearch(List.of(experiment.experimentId()), null,
                ViewType.DELETED_ONLY, 0, null, null)).items()).extracting(r -> r.info().runId())
                .containsExactly(run.info().runId());

        tracking().restoreExperiment(alice, experiment.experimentId());

        assertThat(tracking().getExperiment(alice, experiment.experimentId()).lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(tracking().getRun(alice, run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertFails(() -> tracking().restoreExperiment(alice, experiment.experimentId()), ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void experiment_tags_are_set_replaced_and_deleted() {
        Experiment experiment = experiment();
        tracking().setExperimentTag(alice, experiment.experimentId(), new Tag("owner", "alice"));
        tracking().setExperimentTag(alice, experiment.experimentId(), new Tag("owner", "bob"));
        tracking().setExperimentTag(alice, experiment.experimentId(), new Tag("stage", "dev"));

        assertThat(tracking().getExperiment(alice, experiment.experimentId()).tags())
                .containsExactlyInAnyOrder(new Tag("owner", "bob"), new Tag("stage", "dev"));

        tracking().deleteExperimentTag(alice, experiment.experimentId(), "owner");

        assertThat(tracking().getExperiment(alice, experiment.experimentId()).tags()).containsExactly(new Tag("stage", "dev"));
        assertFails(() -> tracking().deleteExperimentTag(alice, experiment.experimentId(), "owner"),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "owner");
        assertFails(() -> tracking().setExperimentTag(alice, "987654321012", new Tag("a", "b")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().setExperimentTag(alice, experiment.experimentId(), new Tag("k", "v".repeat(5001))),
                ErrorCode.INVALID_PARAMETER_VALUE, "'k'");
    }

    @Test
    void experiments_are_searched_by_filter_order_and_view_type_and_paged_without_duplicates() {
        String prefix = unique("search");
        List<String> ids = new ArrayList<>();
        for (String suffix : List.of("c", "a", "e", "b", "d")) {
            ids.add(tracking().createExperiment(alice, new NewExperiment(prefix + "-" + suffix, null,
                    List.of(new Tag("letter", suffix)))).experimentId());
        }
        tracking().deleteExperiment(alice, ids.get(4)); // "d"

        Function<ExperimentSearch, List<String>> names = search ->
                tracking().searchExperiments(alice, search).items().stream().map(Experiment::name).toList();
        String mine = "name LIKE '" + prefix + "-%'";

        assertThat(names.apply(new ExperimentSearch(mine, null, 0, List.of("name ASC"), null)))
                .containsExactly(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-e");
        assertThat(names.apply(new ExperimentSearch(mine, null, 0, List.of("name DESC"), null)))
                .containsExactly(prefix + "-e", prefix + "-c", prefix + "-b", prefix + "-a");
        assertThat(names.apply(new ExperimentSearch(mine, ViewType.DELETED_ONLY, 0, null, null)))
                .containsExactly(prefix + "-d");
        assertThat(names.apply(new ExperimentSearch(mine, ViewType.ALL, 0, null, null))).hasSize(5);
        assertThat(names.apply(new ExperimentSearch(mine + " AND tags.letter = 'b'", null, 0, null, null)))
                .containsExactly(prefix + "-b");
        assertThat(names.apply(new ExperimentSearch("name = '" + prefix + "-e'", null, 0, null, null)))
                .containsExactly(prefix + "-e");
        assertThat(names.apply(new ExperimentSearch("name ILIKE '" + prefix.toUpperCase() + "-A'", null, 0, null, null)))
                .containsExactly(prefix + "-a");
        assertThat(names.apply(new ExperimentSearch("name LIKE '" + prefix.toUpperCase() + "-%'", null, 0, null, null)))
                .isEmpty();

        List<String> paged = allPages(token -> tracking().searchExperiments(alice,
                new ExperimentSearch(mine, ViewType.ALL, 2, List.of("name"), token))).stream().map(Experiment::name).toList();
        assertThat(paged).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d", prefix + "-e");
    }

    @Test
    void bad_experiment_searches_are_refused() {
        assertFails(() -> tracking().searchExperiments(alice, new ExperimentSearch("name >< 'x'", null, 0, null, null)),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertFails(() -> tracking().searchExperiments(alice, new ExperimentSearch(null, null, 0, null, "garbage!")),
                ErrorCode.INVALID_PARAMETER_VALUE, "page_token");
        assertFails(() -> tracking().searchExperiments(alice, new ExperimentSearch(null, null, 50_001, null, null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "max_results");
    }

    // runs

    @Test
    void a_new_run_is_running_in_its_experiment_with_a_generated_name() {
        Experiment experiment = experiment();
        Run run = run(experiment);
        RunInfo info = run.info();

        assertThat(info.runId()).matches("[0-9a-f]{32}");
        assertThat(info.experimentId()).isEqualTo(experiment.experimentId());
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(info.endTime()).isNull();
        assertThat(info.runName()).matches("[a-z]+-[a-z]+-[0-9]+");
        assertThat(info.artifactUri()).isEqualTo("mlflow-artifacts:/" + experiment.experimentId() + "/" + info.runId() + "/artifacts");
        assertThat(tags(run)).containsEntry("mlflow.runName", info.runName());
        assertThat(tracking().getRun(alice, info.runId())).isEqualTo(run);
    }

    @Test
    void a_run_without_experiment_goes_to_the_default_one_and_keeps_the_user_it_was_given() {
        Run run = tracking().createRun(alice, new NewRun(null, "bob", "given", 1234L, List.of(new Tag("k", "v"))));
        assertThat(run.info().experimentId()).isEqualTo("0");
        assertThat(run.info().userId()).isEqualTo("bob");
        assertThat(run.info().startTime()).isEqualTo(1234L);
        assertThat(run.info().runName()).isEqualTo("given");
        assertThat(tags(run)).containsEntry("k", "v").containsEntry("mlflow.runName", "given");
    }

    @Test
    void a_run_name_comes_from_the_run_name_tag_and_must_agree_with_it() {
        Experiment experiment = experiment();
        Run tagged = tracking().createRun(alice, new NewRun(experiment.experimentId(), null, null, null,
                List.of(new Tag("mlflow.runName", "from-tag"))));
        assertThat(tagged.info().runName()).isEqualTo("from-tag");

        Run both = tracking().createRun(alice, new NewRun(experiment.experimentId(), null, "same", null,
                List.of(new Tag("mlflow.runName", "same"))));
        assertThat(both.info().runName()).isEqualTo("same");

        assertFails(() -> tracking().createRun(alice, new NewRun(experiment.experimentId(), null, "one", null,
                List.of(new Tag("mlflow.runName", "other")))), ErrorCode.INVALID_PARAMETER_VALUE, "run_name");
    }

    @Test
    void unknown_runs_are_not_found_and_malformed_run_ids_are_refused() {
        String unknown = "0123456789abcdef0123456789abcdef";
        assertFails(() -> tracking().getRun(alice, unknown), ErrorCode.RESOURCE_DOES_NOT_EXIST, unknown);
        assertFails(() -> tracking().logMetric(alice, unknown, new Metric("m", 1, 1, 0)), ErrorCode.RESOURCE_DOES_NOT_EXIST, unknown);
        assertFails(() -> tracking().logParam(alice, unknown, new Param("p", "1")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().setTag(alice, unknown, new Tag("t", "1")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().logBatch(alice, unknown, LogBatch.ofMetrics(List.of())), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().deleteRun(alice, unknown), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().updateRun(alice, unknown, RunUpdate.finished(1)), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().getMetricHistory(alice, unknown, "m", 0, null), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().getRun(alice, "not-a-run"), ErrorCode.INVALID_PARAMETER_VALUE, "run_id");
        assertFails(() -> tracking().getRun(alice, unknown.toUpperCase()), ErrorCode.INVALID_PARAMETER_VALUE, "run_id");
        assertFails(() -> tracking().logMetric(alice, "x", new Metric("m", 1, 1, 0)), ErrorCode.INVALID_PARAMETER_VALUE, "run_id");
    }

    @Test
    void a_run_is_updated_and_renaming_it_updates_its_name_tag() {
        Run run = run(experiment());
        RunInfo updated = tracking().updateRun(alice, run.info().runId(), new RunUpdate(RunStatus.FINISHED, 5000L, "renamed"));

        assertThat(updated.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(updated.endTime()).isEqualTo(5000L);
        assertThat(updated.runName()).isEqualTo("renamed");
        Run read = tracking().getRun(alice, run.info().runId());
        assertThat(read.info()).isEqualTo(updated);
        assertThat(tags(read)).containsEntry("mlflow.runName", "renamed");

        RunInfo statusOnly = tracking().updateRun(alice, run.info().runId(), new RunUpdate(RunStatus.KILLED, null, null));
        assertThat(statusOnly.runName()).isEqualTo("renamed");
        assertThat(statusOnly.endTime()).isEqualTo(5000L);

        tracking().setTag(alice, run.info().runId(), new Tag("mlflow.runName", "by-tag"));
        assertThat(tracking().getRun(alice, run.info().runId()).info().runName()).isEqualTo("by-tag");
    }

    @Test
    void a_deleted_run_can_be_read_and_restored_but_not_logged_to() {
        Run run = run(experiment());
        String id = run.info().runId();
        tracking().deleteRun(alice, id);

        assertThat(tracking().getRun(alice, id).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertFails(() -> tracking().logMetric(alice, id, new Metric("m", 1, 1, 0)), ErrorCode.INVALID_PARAMETER_VALUE, id);
        assertFails(() -> tracking().logParam(alice, id, new Param("p", "1")), ErrorCode.INVALID_PARAMETER_VALUE, id);
        assertFails(() -> tracking().setTag(alice, id, new Tag("t", "1")), ErrorCode.INVALID_PARAMETER_VALUE, id);
        assertFails(() -> tracking().logBatch(alice, id, LogBatch.ofMetrics(List.of(new Metric("m", 1, 1, 0)))),
                ErrorCode.INVALID_PARAMETER_VALUE, id);
        assertFails(() -> tracking().updateRun(alice, id, RunUpdate.finished(1)), ErrorCode.INVALID_PARAMETER_VALUE, id);
        assertThat(tracking().getRun(alice, id).data().metrics()).isEmpty();

        tracking().restoreRun(alice, id);

        tracking().logMetric(alice, id, new Metric("m", 1, 1, 0));
        assertThat(tracking().getRun(alice, id).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
    }

    // params, tags, metrics

    @Test
    void a_param_cannot_change_once_logged() {
        Run run = run(experiment());
        String id = run.info().runId();
        tracking().logParam(alice, id, new Param("lr", "0.01"));
        tracking().logParam(alice, id, new Param("lr", "0.01"));

        assertFails(() -> tracking().logParam(alice, id, new Param("lr", "0.02")), ErrorCode.INVALID_PARAMETER_VALUE,
                "'lr'", "0.01", "0.02");
        assertThat(params(tracking().getRun(alice, id))).containsExactly(Map.entry("lr", "0.01"));
    }

    @Test
    void keys_and_values_over_the_limits_are_refused() {
        Run run = run(experiment());
        String id = run.info().runId();
        assertFails(() -> tracking().logParam(alice, id, new Param("p", "v".repeat(6001))), ErrorCode.INVALID_PARAMETER_VALUE, "'p'");
        assertFails(() -> tracking().logParam(alice, id, new Param("k".repeat(251), "v")), ErrorCode.INVALID_PARAMETER_VALUE, "key");
        assertFails(() -> tracking().logMetric(alice, id, new Metric("../up", 1, 1, 0)), ErrorCode.INVALID_PARAMETER_VALUE, "key");
        assertFails(() -> tracking().setTag(alice, id, new Tag("bad key!", "v")), ErrorCode.INVALID_PARAMETER_VALUE, "key");
        assertFails(() -> tracking().setTag(alice, id, new Tag("t", "v".repeat(5001))), ErrorCode.INVALID_PARAMETER_VALUE, "'t'");
        assertFails(() -> tracking().setTag(alice, id, new Tag("mlflow.runName", "n".repeat(251))),
                ErrorCode.INVALID_PARAMETER_VALUE, "run_name");
        tracking().logParam(alice, id, new Param("p", "v".repeat(6000)));
        assertThat(params(tracking().getRun(alice, id)).get("p")).hasSize(6000);
    }

    @Test
    void values_at_the_limits_are_stored_and_found_even_when_they_do_not_compress() {
        // random text defeats PostgreSQL's compression, which hid an index-row limit of ~2.7 kB
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        StringBuilder param = new StringBuilder();
        while (param.length() < 6000) {
            param.append((char) ('!' + random.nextInt(90)));
        }
        // no quotes or backslashes, so the value can stand in a filter as it is
        String longParam = param.toString().replace('\'', 'x').replace('\\', 'y');
        String longTag = longParam.substring(0, 5000);
        Experiment experiment = experiment();
        String id = run(experiment).info().runId();
        tracking().logParam(alice, id, new Param("config", longParam));
        tracking().setTag(alice, id, new Tag("notes", longTag));
        Run stored = tracking().getRun(alice, id);
        assertThat(params(stored).get("config")).isEqualTo(longParam);
        assertThat(tags(stored).get("notes")).isEqualTo(longTag);
        assertThat(tracking().searchRuns(alice, RunSearch.in(List.of(experiment.experimentId()), "params.config = '" + longParam + "'")).items())
                .extracting(r -> r.info().runId()).containsExactly(id);
        assertThat(tracking().searchRuns(alice, RunSearch.in(List.of(experiment.experimentId()),
                "params.config = '" + longParam.substring(0, 5999) + "'")).items()).isEmpty();
    }

    @Test
    void run_tags_are_set_replaced_and_deleted() {
        String id = run(experiment()).info().runId();
        tracking().setTag(alice, id, new Tag("note", "first"));
        tracking().setTag(alice, id, new Tag("note", "second"));
        assertThat(tags(tracking().getRun(alice, id))).containsEntry("note", "second");

        tracking().deleteTag(alice, id, "note");

        assertThat(tags(tracking().getRun(alice, id))).doesNotContainKey("note");
        assertFails(() -> tracking().deleteTag(alice, id, "note"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "note");
    }

    @Test
    void the_latest_metric_is_the_highest_step_then_time_and_the_history_is_ordered() {
        String id = run(experiment()).info().runId();
        tracking().logMetric(alice, id, new Metric("loss", 0.5, 200, 2));
        tracking().logMetric(alice, id, new Metric("loss", 0.9, 100, 0));
        tracking().logMetric(alice, id, new Metric("loss", 0.7, 300, 1));
        tracking().logMetric(alice, id, new Metric("loss", 0.4, 150, 2));

        assertThat(metrics(tracking().getRun(alice, id))).containsExactly(Map.entry("loss", 0.5));
        Page<Metric> history = tracking().getMetricHistory(alice, id, "loss", 0, null);
        assertThat(history.items()).containsExactly(new Metric("loss", 0.9, 100, 0), new Metric("loss", 0.7, 300, 1),
                new Metric("loss", 0.4, 150, 2), new Metric("loss", 0.5, 200, 2));
        assertThat(history.nextPageToken()).isNull();
        assertThat(tracking().getMetricHistory(alice, id, "other", 0, null).items()).isEmpty();
    }

    @Test
    void nan_and_infinities_round_trip() {
        String id = run(experiment()).info().runId();
        tracking().logMetric(alice, id, new Metric("nan", Double.NaN, 1, 0));
        tracking().logBatch(alice, id, LogBatch.ofMetrics(List.of(new Metric("up", Double.POSITIVE_INFINITY, 1, 0),
                new Metric("down", Double.NEGATIVE_INFINITY, 1, 0), new Metric("nan", 0.0, 1, 0))));

        Map<String, Double> latest = metrics(tracking().getRun(alice, id));
        assertThat(latest.get("up")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(latest.get("down")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(tracking().getMetricHistory(alice, id, "nan", 0, null).items()).extracting(Metric::value)
                .containsExactlyInAnyOrder(Double.NaN, 0.0);
        assertThat(tracking().getMetricHistory(alice, id, "up", 0, null).items()).extracting(Metric::value)
                .containsExactly(Double.POSITIVE_INFINITY);
    }

    @Test
    void a_metric_history_is_paged_without_gaps_or_duplicates() {
        String id = run(experiment()).info().runId();
        List<Metric> points = IntStream.range(0, 7).mapToObj(i -> new Metric("acc", i / 10.0, 1000 + i, i / 2)).toList();
        tracking().logBatch(alice, id, LogBatch.ofMetrics(points));

        Page<Metric> all = tracking().getMetricHistory(alice, id, "acc", 7, null);
        assertThat(all.items()).containsExactlyElementsOf(points);
        assertThat(all.nextPageToken()).isNull();

        assertThat(allPages(token -> tracking().getMetricHistory(alice, id, "acc", 3, token))).containsExactlyElementsOf(points);
        assertFails(() -> tracking().getMetricHistory(alice, id, "acc", -1, null), ErrorCode.INVALID_PARAMETER_VALUE, "max_results");
        assertFails(() -> tracking().getMetricHistory(alice, id, "acc", 3, "@@@"), ErrorCode.INVALID_PARAMETER_VALUE, "page_token");
    }

    @Test
    void a_batch_stores_metrics_params_and_tags_together() {
        String id = run(experiment()).info().runId();
        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            metrics.add(new Metric("loss", 1.0 / (step + 1), 10_000 + step, step));
            metrics.add(new Metric("acc", step / 300.0, 10_000 + step, step));
        }
        tracking().logBatch(alice, id, new LogBatch(metrics, List.of(new Param("lr", "0.1"), new Param("lr", "0.1"),
                new Param("epochs", "3")), List.of(new Tag("a", "1"), new Tag("a", "2"))));

        Run run = tracking().getRun(alice, id);
        assertThat(metrics(run)).containsEntry("loss", 1.0 / 300).containsEntry("acc", 299 / 300.0);
        assertThat(params(run)).containsEntry("lr", "0.1").containsEntry("epochs", "3");
        assertThat(tags(run)).containsEntry("a", "2");
        assertThat(tracking().getMetricHistory(alice, id, "loss", 0, null).items()).hasSize(300);
    }

    @Test
    void batches_over_the_limits_are_refused() {
        List<Metric> metrics = IntStream.range(0, 1001).mapToObj(i -> new Metric("m", i, i, i)).toList();
        List<Param> params = IntStream.range(0, 101).mapToObj(i -> new Param("p" + i, "v")).toList();
        List<Tag> tags = IntStream.range(0, 101).mapToObj(i -> new Tag("t" + i, "v")).toList();
        assertFails(() -> new LogBatch(metrics, null, null), ErrorCode.INVALID_PARAMETER_VALUE, "metrics");
        assertFails(() -> new LogBatch(null, params, null), ErrorCode.INVALID_PARAMETER_VALUE, "params");
        assertFails(() -> new LogBatch(null, null, tags), ErrorCode.INVALID_PARAMETER_VALUE, "tags");
        assertFails(() -> new LogBatch(metrics.subList(0, 950), params.subList(0, 60), null),
                ErrorCode.INVALID_PARAMETER_VALUE, "1000");
        assertFails(() -> new LogBatch(null, List.of(new Param("p", "1"), new Param("p", "2")), null),
                ErrorCode.INVALID_PARAMETER_VALUE, "'p'");
    }

    @Test
    void an_invalid_batch_leaves_nothing_behind() {
        String id = run(experiment()).info().runId();
        tracking().logParam(alice, id, new Param("lr", "0.01"));
        LogBatch batch = new LogBatch(List.of(new Metric("loss", 1, 1, 0)),
                List.of(new Param("epochs", "3"), new Param("lr", "0.02")), List.of(new Tag("t", "v")));

        assertFails(() -> tracking().logBatch(alice, id, batch), ErrorCode.INVALID_PARAMETER_VALUE, "'lr'", "0.01", "0.02");

        Run run = tracking().getRun(alice, id);
        assertThat(run.data().metrics()).isEmpty();
        assertThat(params(run)).containsExactly(Map.entry("lr", "0.01"));
        assertThat(tags(run)).doesNotContainKey("t");
        assertThat(tracking().getMetricHistory(alice, id, "loss", 0, null).items()).isEmpty();
    }

    // run search

    @Test
    void runs_are_filtered_by_metrics_params_tags_and_attributes() {
        Experiment experiment = experiment();
        Run a = runAt(experiment, "alpha", 1000);
        Run b = runAt(experiment, "beta", 2000);
        Run c = runAt(experiment, "Gamma", 3000);
        tracking().logBatch(alice, a.info().runId(), new LogBatch(List.of(new Metric("auc", 0.9, 1, 0)),
                List.of(new Param("lr", "0.01")), List.of(new Tag("team", "Risk"))));
        tracking().logBatch(alice, b.info().runId(), new LogBatch(List.of(new Metric("auc", 0.7, 1, 0)),
                List.of(new Param("lr", "0.1")), List.of(new Tag("team", "risk"))));
        tracking().logBatch(alice, c.info().runId(), new LogBatch(List.of(new Metric("auc", Double.NaN, 1, 0)),
                List.of(), List.of()));
        tracking().updateRun(alice, b.info().runId(), RunUpdate.finished(2500));

        assertThat(names(experiment, null)).containsExactly("Gamma", "beta", "alpha");
        assertThat(names(experiment, "metrics.auc > 0.8")).containsExactly("alpha");
        assertThat(names(experiment, "metrics.auc >= 0.7")).containsExactly("beta", "alpha");
        assertThat(names(experiment, "metrics.auc != 0.9")).containsExactly("beta");
        assertThat(names(experiment, "metrics.auc < 100")).containsExactly("beta", "alpha");
        assertThat(names(experiment, "metrics.missing < 100")).isEmpty();
        assertThat(names(experiment, "params.lr = '0.01'")).containsExactly("alpha");
        assertThat(names(experiment, "params.lr != '0.01'")).containsExactly("beta");
        assertThat(names(experiment, "params.lr LIKE '0.0%'")).containsExactly("alpha");
        assertThat(names(experiment, "metrics.auc > 0.5 AND params.lr = '0.1'")).containsExactly("beta");
        assertThat(names(experiment, "tags.team = 'risk'")).containsExactly("beta");
        assertThat(names(experiment, "tags.team LIKE 'R%'")).containsExactly("alpha");
        assertThat(names(experiment, "tags.team ILIKE 'r%'")).containsExactly("beta", "alpha");
        assertThat(names(experiment, "attributes.status = 'FINISHED'")).containsExactly("beta");
        assertThat(names(experiment, "attributes.run_name LIKE 'g%'")).isEmpty();
        assertThat(names(experiment, "attributes.run_name ILIKE 'g%'")).containsExactly("Gamma");
        assertThat(names(experiment, "attributes.run_name LIKE '_eta'")).containsExactly("beta");
        assertThat(names(experiment, "attributes.start_time > 1500")).containsExactly("Gamma", "beta");
        assertThat(names(experiment, "attributes.end_time > 0")).containsExactly("beta");
        assertThat(names(experiment, "attributes.run_id IN ('" + a.info().runId() + "', '" + c.info().runId() + "')"))
                .containsExactly("Gamma", "alpha");
        assertThat(names(experiment, "attributes.run_id NOT IN ('" + a.info().runId() + "')"))
                .containsExactly("Gamma", "beta");
    }

    @Test
    void runs_are_ordered_with_missing_and_nan_values_last() {
        Experiment experiment = experiment();
        String[] names = {"r1", "r2", "r3", "r4"};
        double[] auc = {0.5, Double.NaN, 0.9, -1};
        for (int i = 0; i < names.length; i++) {
            Run run = runAt(experiment, names[i], 1000 + i);
            if (auc[i] != -1) {
                tracking().logMetric(alice, run.info().runId(), new Metric("auc", auc[i], 1, 0));
            }
            tracking().logParam(alice, run.info().runId(), new Param("depth", Integer.toString(i % 2)));
            if (i != 0) {
                tracking().setTag(alice, run.info().runId(), new Tag("rank", "k" + (9 - i)));
            }
        }

        assertThat(names(experiment, null, "metrics.auc DESC")).containsExactly("r3", "r1", "r4", "r2");
        assertThat(names(experiment, null, "metrics.auc ASC")).containsExactly("r1", "r3", "r4", "r2");
        assertThat(names(experiment, null, "params.depth", "attributes.start_time ASC")).containsExactly("r1", "r3", "r2", "r4");
        assertThat(names(experiment, null, "tags.rank")).containsExactly("r4", "r3", "r2", "r1");
        assertThat(names(experiment, null, "attributes.run_name DESC")).containsExactly("r4", "r3", "r2", "r1");
        assertThat(names(experiment, null, "attributes.start_time")).containsExactly("r1", "r2", "r3", "r4");
    }

    @Test
    void runs_are_paged_through_all_results_without_duplicates() {
        Experiment experiment = experiment();
        Experiment other = experiment();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            // several runs share a start time and a metric value so ties must be broken by run id
            Run run = runAt(i % 2 == 0 ? experiment : other, "p" + i, 1000 + i / 3);
            tracking().logMetric(alice, run.info().runId(), new Metric("score", i % 4, 1, 0));
            expected.add(run.info().runId());
        }
        for (List<String> orderBy : List.of(List.<String>of(), List.of("metrics.score DESC"), List.of("attributes.run_name"))) {
            List<String> seen = allPages(token -> tracking().searchRuns(alice,
                    new RunSearch(List.of(experiment.experimentId(), other.experimentId()), null, ViewType.ACTIVE_ONLY, 3,
                            orderBy, token))).stream().map(r -> r.info().runId()).toList();
            assertThat(seen).doesNotHaveDuplicates().hasSize(11);
            assertThat(new HashSet<>(seen)).isEqualTo(expected);
        }
        Page<Run> first = tracking().searchRuns(alice, new RunSearch(List.of(experiment.experimentId()), null, null, 2, null, null));
        assertFails(() -> tracking().searchRuns(alice, new RunSearch(List.of(experiment.experimentId()), "metrics.score > 1",
                null, 2, null, first.nextPageToken())), ErrorCode.INVALID_PARAMETER_VALUE, "page_token");
    }

    @Test
    void run_searches_see_the_view_type_asked_for() {
        Experiment experiment = experiment();
        Run kept = runAt(experiment, "kept", 1);
        Run gone = runAt(experiment, "gone", 2);
        tracking().deleteRun(alice, gone.info().runId());
        Function<ViewType, List<String>> names = view -> tracking().searchRuns(alice,
                new RunSearch(List.of(experiment.experimentId()), null, view, 0, null, null)).items().stream()
                .map(r -> r.info().runName()).toList();

        assertThat(names.apply(ViewType.ACTIVE_ONLY)).containsExactly("kept");
        assertThat(names.apply(ViewType.DELETED_ONLY)).containsExactly("gone");
        assertThat(names.apply(ViewType.ALL)).containsExactly("gone", "kept");
        assertThat(kept.info().runId()).isNotEqualTo(gone.info().runId());
    }

    @Test
    void searched_runs_carry_their_latest_metrics_params_and_tags() {
        Experiment experiment = experiment();
        Run run = run(experiment);
        tracking().logBatch(alice, run.info().runId(), new LogBatch(List.of(new Metric("m", 1, 1, 0), new Metric("m", 2, 2, 1)),
                List.of(new Param("p", "v")), List.of(new Tag("t", "u"))));

        Run found = tracking().searchRuns(alice, RunSearch.in(List.of(experiment.experimentId()), null)).items().get(0);

        assertThat(found).isEqualTo(tracking().getRun(alice, run.info().runId()));
        assertThat(metrics(found)).containsExactly(Map.entry("m", 2.0));
    }

    @Test
    void bad_run_searches_are_refused() {
        String id = experiment().experimentId();
        assertFails(() -> tracking().searchRuns(alice, RunSearch.in(List.of(id), "metrics.auc > 'high'")),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertFails(() -> tracking().searchRuns(alice, RunSearch.in(List.of(id), "metrics.auc > 1 OR params.x = 'y'")),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertFails(() -> tracking().searchRuns(alice, RunSearch.in(List.of(id), "nonsense.x = 1")),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertFails(() -> tracking().searchRuns(alice, RunSearch.in(List.of(id), null).orderedBy(List.of("metrics.auc SIDEWAYS"))),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertFails(() -> tracking().searchRuns(alice, RunSearch.in(List.of("x1"), null)), ErrorCode.INVALID_PARAMETER_VALUE,
                "experiment_ids");
        assertFails(() -> tracking().searchRuns(alice, new RunSearch(List.of(id), null, null, 50_001, null, null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "max_results");
        assertFails(() -> tracking().searchRuns(alice, new RunSearch(List.of(id), null, null, 10, null, "bm90IGEgdG9rZW4")),
                ErrorCode.INVALID_PARAMETER_VALUE, "page_token");
    }

    // inputs

    private static Dataset dataset(String name, String digest) {
        return new Dataset(name, digest, "local", "file:///data/" + name + ".csv", "{\"mlflow_colspec\": []}", null);
    }

    @Test
    void datasets_logged_as_inputs_come_back_with_the_run_and_its_search_results() {
        Experiment experiment = experiment();
        String id = run(experiment).info().runId();
        Dataset train = dataset("credit-train", "a1b2c3");
        Dataset valid = dataset("credit-valid", "d4e5f6");

        tracking().logInputs(alice, id, List.of(DatasetInput.of(valid, "validation"),
                new DatasetInput(List.of(new InputTag(InputTag.CONTEXT, "training"), new InputTag("split", "80%")), train)));

        Run run = tracking().getRun(alice, id);
        assertThat(run.inputs().datasetInputs()).containsExactly(
                new DatasetInput(List.of(new InputTag(InputTag.CONTEXT, "training"), new InputTag("split", "80%")), train),
                DatasetInput.of(valid, "validation"));
        assertThat(tracking().searchRuns(alice, RunSearch.in(List.of(experiment.experimentId()), null)).items())
                .containsExactly(run);
    }

    @Test
    void logging_a_dataset_again_changes_nothing_and_runs_share_a_dataset() {
        Experiment experiment = experiment();
        String first = run(experiment).info().runId();
        String second = run(experiment).info().runId();
        Dataset data = dataset("shared", "0001");

        tracking().logInputs(alice, first, List.of(DatasetInput.of(data, "training")));
        tracking().logInputs(alice, first, List.of(DatasetInput.of(data, "evaluation"), DatasetInput.of(data, "other")));
        tracking().logInputs(alice, second, List.of(DatasetInput.of(data, "evaluation")));

        assertThat(tracking().getRun(alice, first).inputs().datasetInputs()).containsExactly(DatasetInput.of(data, "training"));
        assertThat(tracking().getRun(alice, second).inputs().datasetInputs()).containsExactly(DatasetInput.of(data, "evaluation"));
    }

    @Test
    void runs_are_filtered_by_the_name_digest_and_context_of_their_datasets() {
        Experiment experiment = experiment();
        String a = runAt(experiment, "a", 3).info().runId();
        String b = runAt(experiment, "b", 2).info().runId();
        runAt(experiment, "c", 1);
        tracking().logInputs(alice, a, List.of(DatasetInput.of(dataset("iris", "111"), "training"),
                DatasetInput.of(dataset("wine", "222"), "validation")));
        tracking().logInputs(alice, b, List.of(DatasetInput.of(dataset("iris", "333"), "validation")));

        assertThat(names(experiment, "datasets.name = 'iris'")).containsExactly("a", "b");
        assertThat(names(experiment, "datasets.name = 'wine'")).containsExactly("a");
        assertThat(names(experiment, "datasets.digest IN ('333', '999')")).containsExactly("b");
        assertThat(names(experiment, "datasets.context = 'validation'")).containsExactly("a", "b");
        assertThat(names(experiment, "datasets.context = 'training'")).containsExactly("a");
        assertThat(names(experiment, "datasets.name LIKE 'wi%'")).containsExactly("a");
        assertThat(names(experiment, "datasets.name = 'iris' AND datasets.context = 'training'")).containsExactly("a");
        assertThat(names(experiment, "datasets.name = 'none'")).isEmpty();
    }

    @Test
    void bad_inputs_are_refused_and_leave_nothing_behind() {
        Experiment experiment = experiment();
        String id = run(experiment).info().runId();

        assertFails(() -> new Dataset("d", "x".repeat(37), "local", "s", null, null), ErrorCode.INVALID_PARAMETER_VALUE,
                "digest");
        assertFails(() -> new Dataset(null, "1", "local", "s", null, null), ErrorCode.INVALID_PARAMETER_VALUE, "name");
        assertFails(() -> new InputTag("k", "v".repeat(501)), ErrorCode.INVALID_PARAMETER_VALUE, "'k'");
        assertFails(() -> tracking().logInputs(alice, "0123456789abcdef0123456789abcdef", List.of()),
                ErrorCode.RESOURCE_DOES_NOT_EXIST);
        List<DatasetInput> withNull = new ArrayList<>();
        withNull.add(DatasetInput.of(dataset("good", "1"), "training"));
        withNull.add(null);
        assertFails(() -> tracking().logInputs(alice, id, withNull), ErrorCode.INVALID_PARAMETER_VALUE, "datasets[1]");
        assertThat(tracking().getRun(alice, id).inputs().datasetInputs()).isEmpty();
        tracking().deleteRun(alice, id);
        assertFails(() -> tracking().logInputs(alice, id, List.of(DatasetInput.of(dataset("late", "1"), null))),
                ErrorCode.INVALID_PARAMETER_VALUE, id);
    }

    @Test
    void logged_models_are_appended_to_the_run_history_tag() {
        String id = run(experiment()).info().runId();

        tracking().logModel(alice, id, "{\"artifact_path\": \"model\", \"flavors\": {\"onnx\": {}}}");
        tracking().logModel(alice, id, "{\"artifact_path\": \"second\"}");

        assertThat(tags(tracking().getRun(alice, id))).containsEntry("mlflow.log-model.history",
                "[{\"artifact_path\": \"model\", \"flavors\": {\"onnx\": {}}}, {\"artifact_path\": \"second\"}]");
        assertFails(() -> tracking().logModel(alice, id, "[1]"), ErrorCode.INVALID_PARAMETER_VALUE, "model_json");
        assertFails(() -> tracking().logModel(alice, id, "{\"big\": \"" + "x".repeat(5000) + "\"}"),
                ErrorCode.INVALID_PARAMETER_VALUE, "mlflow.log-model.history");
    }

    // artifacts

    @Test
    void an_artifact_file_or_directory_can_be_deleted() throws IOException {
        String id = runWithModelFiles();
        log(id, "modelling.txt", "notes");

        tracking().deleteArtifact(alice, id, ArtifactPath.of("model/meta/info.json"));
        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.of("model"))).containsExactly(
                new ArtifactEntry("model/model.onnx", false, 7L));
        tracking().deleteArtifact(alice, id, ArtifactPath.of("model"));

        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.ROOT)).containsExactly(
                new ArtifactEntry("modelling.txt", false, 5L));
        assertThat(read(id, "modelling.txt")).isEqualTo("notes");
        assertFails(() -> tracking().deleteArtifact(alice, id, ArtifactPath.of("model")), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "model");
        assertFails(() -> tracking().deleteArtifact(alice, id, ArtifactPath.of("../x")), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void artifacts_round_trip_and_are_listed_by_directory() throws IOException {
        String id = runWithModelFiles();
        log(id, "notes.txt", "first");
        log(id, "notes.txt", "second");

        assertThat(read(id, "notes.txt")).isEqualTo("second");
        assertThat(read(id, "model/meta/info.json")).isEqualTo("{}");
        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.ROOT)).containsExactly(
                new ArtifactEntry("model", true, null), new ArtifactEntry("notes.txt", false, 6L));
        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.of("model"))).containsExactly(
                new ArtifactEntry("model/meta", true, null), new ArtifactEntry("model/model.onnx", false, 7L));
        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.of("model/model.onnx"))).isEmpty();
        assertThat(tracking().listArtifacts(alice, id, ArtifactPath.of("nowhere"))).isEmpty();
    }

    @Test
    void missing_artifacts_and_bad_paths_are_refused() {
        String id = run(experiment()).info().runId();
        log(id, "dir/file.txt", "x");

        assertFails(() -> tracking().openArtifact(alice, id, ArtifactPath.of("absent.txt")), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "absent.txt");
        assertFails(() -> tracking().openArtifact(alice, "0123456789abcdef0123456789abcdef", ArtifactPath.of("a")),
                ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> tracking().listArtifacts(alice, "0123456789abcdef0123456789abcdef", ArtifactPath.ROOT),
                ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertFails(() -> log(id, "dir", "x"), ErrorCode.INVALID_PARAMETER_VALUE, "dir");
        assertFails(() -> log(id, "dir/file.txt/inner", "x"), ErrorCode.INVALID_PARAMETER_VALUE, "dir/file.txt");
        assertFails(() -> log(id, "../escape", "x"), ErrorCode.INVALID_PARAMETER_VALUE, "..");
        assertFails(() -> log(id, "/etc/passwd", "x"), ErrorCode.INVALID_PARAMETER_VALUE, "relative");
        tracking().deleteRun(alice, id);
        assertFails(() -> log(id, "late.txt", "x"), ErrorCode.INVALID_PARAMETER_VALUE, id);
    }

    /** A run of a new experiment holding a model directory: model/model.onnx ("weights") and model/meta/info.json ("{}"). */
    private String runWithModelFiles() {
        String id = run(experiment()).info().runId();
        log(id, "model/model.onnx", "weights");
        log(id, "model/meta/info.json", "{}");
        return id;
    }

    private void log(String runId, String path, String content) {
        tracking().logArtifact(alice, runId, ArtifactPath.of(path),
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private String read(String runId, String path) throws IOException {
        try (InputStream in = tracking().openArtifact(alice, runId, ArtifactPath.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
