package dev.keel.server;

import dev.keel.api.registry.Stage;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunStatus;
import dev.keel.core.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.RunsPage;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MLflow's own Java client, unchanged, against a running Keel server: what it writes lands in
 * Keel's store (read back through Keel's service), and what it reads parses as MLflow's messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowJavaClientTest {
    private final Actor alice = new Actor("alice");
    private final ObjectMapper mapper = new ObjectMapper();
    private TestServer keel;
    private MlflowClient mlflow;

    @BeforeAll
    void start() {
        keel = TestServer.start(ServerOptions.defaults().withActor(alice));
        mlflow = new MlflowClient(keel.server.uri().toString());
    }

    @AfterAll
    void stop() {
        if (mlflow != null) {
            mlflow.close();
        }
        if (keel != null) {
            keel.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> params(Service.Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    private static Map<String, String> tags(Service.Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    private static Map<String, Double> metrics(Service.Run run) {
        return run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, Metric::getValue));
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    @Test
    void experiments_are_created_read_searched_renamed_deleted_and_restored() {
        String name = unique("mlflow-exp");
        String id = mlflow.createExperiment(name);
        mlflow.setExperimentTag(id, "team", "risk");

        Experiment experiment = mlflow.getExperiment(id);
        assertThat(experiment.getName()).isEqualTo(name);
        assertThat(experiment.getLifecycleStage()).isEqualTo("active");
        assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(experiment.getTagsList()).extracting(Service.ExperimentTag::getKey).containsExactly("team");
        assertThat(mlflow.getExperimentByName(name)).map(Experiment::getExperimentId).contains(id);
        assertThat(mlflow.getExperimentByName(unique("absent"))).isEmpty();
        assertThat(keel.platform.tracking().getExperiment(alice, id).name()).isEqualTo(name);

        ExperimentsPage found = mlflow.searchExperiments("name = '" + name + "'", ViewType.ACTIVE_ONLY, 10, List.of());
        assertThat(found.getItems()).extracting(Experiment::getExperimentId).containsExactly(id);

        mlflow.renameExperiment(id, name + "-renamed");
        assertThat(mlflow.getExperiment(id).getName()).isEqualTo(name + "-renamed");
        mlflow.deleteExperiment(id);
        assertThat(mlflow.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(mlflow.searchExperiments("name = '" + name + "-renamed'", ViewType.DELETED_ONLY, 10, List.of())
                .getItems()).hasSize(1);
        mlflow.restoreExperiment(id);
        assertThat(mlflow.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void experiments_are_paged_with_next_page_tokens() {
        String prefix = unique("paged");
        for (int i = 0; i < 5; i++) {
            mlflow.createExperiment(prefix + "-" + i);
        }
        ExperimentsPage first = mlflow.searchExperiments("name LIKE '" + prefix + "%'", ViewType.ALL, 2, List.of("name ASC"));
        assertThat(first.getItems()).extracting(Experiment::getName).containsExactly(prefix + "-0", prefix + "-1");
        assertThat(first.hasNextPage()).isTrue();
        ExperimentsPage second = (ExperimentsPage) first.getNextPage();
        assertThat(second.getItems()).extracting(Experiment::getName).containsExactly(prefix + "-2", prefix + "-3");
    }

    @Test
    void a_run_logs_params_metrics_batches_and_tags_and_is_terminated() {
        String experimentId = mlflow.createExperiment(unique("runs"));
        RunInfo created = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId(experimentId)
                .setRunName("first-try").setStartTime(1_000).build());
        String runId = created.getRunId();
        assertThat(created.getRunName()).isEqualTo("first-try");
        assertThat(created.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        assertThat(created.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

        mlflow.logParam(runId, "lr", "0.01");
        mlflow.logMetric(runId, "loss", 0.9, 1_000, 0);
        mlflow.logMetric(runId, "loss", 0.5, 2_000, 1);
        mlflow.logMetric(runId, "odd", Double.NaN, 2_000, 0);
        mlflow.setTag(runId, "stage", "dev");
        mlflow.setTag(runId, "temporary", "x");
        mlflow.deleteTag(runId, "temporary");
        mlflow.logBatch(runId, List.of(metric("auc", 0.8, 3_000, 0), metric("auc", 0.85, 4_000, 1)),
                List.of(Param.newBuilder().setKey("depth").setValue("6").build()),
                List.of(RunTag.newBuilder().setKey("team").setValue("risk").build()));
        mlflow.setTerminated(runId, Service.RunStatus.FINISHED, 9_000);

        Service.Run run = mlflow.getRun(runId);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isEqualTo(9_000);
        assertThat(params(run)).containsExactlyInAnyOrderEntriesOf(Map.of("lr", "0.01", "depth", "6"));
        assertThat(tags(run)).containsEntry("stage", "dev").containsEntry("team", "risk")
                .containsEntry("mlflow.runName", "first-try").doesNotContainKey("temporary");
        assertThat(metrics(run)).containsEntry("loss", 0.5).containsEntry("auc", 0.85);
        assertThat(metrics(run).get("odd")).isNaN();
        assertThat(mlflow.getMetricHistory(runId, "loss")).extracting(Metric::getValue).containsExactly(0.9, 0.5);

        Run stored = keel.platform.tracking().getRun(alice, runId);
        assertThat(stored.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(stored.data().params()).hasSize(2);
    }

    @Test
    void a_long_metric_history_comes_back_whole() {
        String runId = mlflow.createRun(mlflow.createExperiment(unique("history"))).getRunId();
        for (int start = 0; start < 3_000; start += 1_000) {
            int from = start;
            mlflow.logBatch(runId, java.util.stream.IntStream.range(from, from + 1_000)
                    .mapToObj(i -> metric("step", i, i, i)).toList(), List.of(), List.of());
        }
        List<Metric> history = mlflow.getMetricHistory(runId, "step");
        assertThat(history).hasSize(3_000);
        assertThat(history.get(2_999).getStep()).isEqualTo(2_999);
    }

    @Test
    void runs_are_searched_by_metrics_params_tags_and_attributes_and_ordered() {
        String experimentId = mlflow.createExperiment(unique("search"));
        String a = named(experimentId, "a", 0.9, "0.1", "prod");
        String b = named(experimentId, "b", 0.7, "0.2", "dev");
        String c = named(experimentId, "c", 0.8, "0.1", "dev");
        mlflow.setTerminated(c);

        assertThat(search(experimentId, "metrics.auc > 0.75", "metrics.auc DESC")).containsExactly(a, c);
        assertThat(search(experimentId, "params.lr = '0.1'", "attributes.run_name ASC")).containsExactly(a, c);
        assertThat(search(experimentId, "tags.env != 'prod'", "metrics.auc ASC")).containsExactly(b, c);
        assertThat(search(experimentId, "attributes.status = 'FINISHED'", null)).containsExactly(c);
        assertThat(search(experimentId, "attributes.run_name LIKE 'a%' AND metrics.auc >= 0.9", null)).containsExactly(a);
        assertThat(search(experimentId, null, "params.lr DESC", "attributes.run_name DESC")).containsExactly(b, c, a);

        RunsPage page = mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 2, List.of("attributes.run_name"));
        assertThat(page.getItems()).extracting(r -> r.getInfo().getRunName()).containsExactly("a", "b");
        assertThat(page.getNextPage().getItems()).extracting(r -> r.getInfo().getRunName()).containsExactly("c");
    }

    private String named(String experimentId, String name, double auc, String lr, String env) {
        String runId = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId(experimentId).setRunName(name).build())
                .getRunId();
        mlflow.logMetric(runId, "auc", auc);
        mlflow.logParam(runId, "lr", lr);
        mlflow.setTag(runId, "env", env);
        return runId;
    }

    private List<String> search(String experimentId, String filter, String... orderBy) {
        List<String> order = orderBy == null || (orderBy.length == 1 && orderBy[0] == null) ? List.of() : List.of(orderBy);
        return mlflow.searchRuns(List.of(experimentId), filter == null ? "" : filter, ViewType.ACTIVE_ONLY, 100, order)
                .getItems().stream().map(r -> r.getInfo().getRunId()).toList();
    }

    @Test
    void deleted_runs_are_found_only_when_asked_and_can_be_restored() {
        String experimentId = mlflow.createExperiment(unique("bin"));
        String runId = mlflow.createRun(experimentId).getRunId();
        mlflow.deleteRun(runId);
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY)).isEmpty();
        assertThat(mlflow.searchRuns(List.of(experimentId), "", ViewType.DELETED_ONLY)).hasSize(1);
        mlflow.restoreRun(runId);
        assertThat(mlflow.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void models_and_inputs_are_logged_through_the_raw_calls() throws Exception {
        String experimentId = mlflow.createExperiment(unique("raw"));
        String runId = mlflow.createRun(experimentId).getRunId();
        String model = "{\"artifact_path\": \"model\", \"flavors\": {\"onnx\": {\"onnx_version\": \"1.16\"}}, "
                + "\"utc_time_created\": \"2024-01-01 00:00:00.000000\", \"run_id\": \"" + runId + "\"}";

        mlflow.sendPost("runs/log-model", mapper.writeValueAsString(Map.of("run_id", runId, "model_json", model)));
        mlflow.sendPost("runs/log-inputs", "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"tags\": [{\"key\": "
                + "\"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": {\"name\": \"credit\", \"digest\": "
                + "\"9f8e7d\", \"source_type\": \"local\", \"source\": \"{\\\"uri\\\": \\\"credit.csv\\\"}\"}}]}");

        Service.Run run = mlflow.getRun(runId);
        JsonNode history = mapper.readTree(tags(run).get("mlflow.log-model.history"));
        assertThat(history.isArray()).isTrue();
        assertThat(history.get(0).at("/flavors/onnx/onnx_version").asText()).isEqualTo("1.16");
        assertThat(run.getInputs().getDatasetInputsList()).singleElement().satisfies(input -> {
            assertThat(input.getDataset().getName()).isEqualTo("credit");
            assertThat(input.getTags(0).getValue()).isEqualTo("training");
        });
        assertThat(keel.platform.tracking().getRun(alice, runId).inputs().datasetInputs())
                .extracting(DatasetInput::tags).containsExactly(List.of(new InputTag(InputTag.CONTEXT, "training")));
        assertThat(search(experimentId, "datasets.context = 'training'", (String) null)).containsExactly(runId);

        JsonNode raw = mapper.readTree(mlflow.sendGet("runs/get?run_id=" + runId));
        assertThat(raw.at("/run/inputs/dataset_inputs/0/dataset/digest").asText()).isEqualTo("9f8e7d");
    }

    /**
     * The registry through the client's own read methods; writes through its raw
     * {@code sendPost}/{@code sendPatch} (it has no registry write methods), and deletes over raw
     * HTTP, since 2.17.2 has no {@code sendDelete}.
     */
    @Test
    void the_registry_is_written_through_raw_calls_and_read_through_the_clients_own_methods() throws Exception {
        String name = unique("credit-model");
        String runId = ModelsInRuns.runWithModel(keel.platform.tracking(), alice);
        String model = "\"name\": \"" + name + "\"";
        mlflow.sendPost("registered-models/create", "{" + model + ", \"description\": \"credit risk\"}");
        mlflow.sendPost("registered-models/set-tag", "{" + model + ", \"key\": \"team\", \"value\": \"risk\"}");
        for (int i = 0; i < 3; i++) {
            mlflow.sendPost("model-versions/create", "{" + model + ", \"source\": \"runs:/" + runId + "/model\", "
                    + "\"run_id\": \"" + runId + "\"}");
        }
        mlflow.sendPost("model-versions/transition-stage", "{" + model + ", \"version\": \"1\", \"stage\": \"Production\", "
                + "\"archive_existing_versions\": false}");
        mlflow.sendPost("model-versions/transition-stage", "{" + model + ", \"version\": \"2\", \"stage\": \"Production\", "
                + "\"archive_existing_versions\": true}");
        mlflow.sendPost("model-versions/transition-stage", "{" + model + ", \"version\": \"3\", \"stage\": \"Staging\", "
                + "\"archive_existing_versions\": false}");
        mlflow.sendPost("registered-models/alias", "{" + model + ", \"alias\": \"champion\", \"version\": \"2\"}");
        mlflow.sendPost("model-versions/set-tag", "{" + model + ", \"version\": \"2\", \"key\": \"approved\", \"value\": \"yes\"}");
        mlflow.sendPatch("model-versions/update", "{" + model + ", \"version\": \"2\", \"description\": \"the good one\"}");
        mlflow.sendPatch("registered-models/update", "{" + model + ", \"description\": \"credit risk, v2\"}");

        RegisteredModel registered = mlflow.getRegisteredModel(name);
        assertThat(registered.getDescription()).isEqualTo("credit risk, v2");
        assertThat(registered.getTagsList()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("risk"));
        assertThat(registered.getAliasesList()).singleElement().satisfies(a -> {
            assertThat(a.getAlias()).isEqualTo("champion");
            assertThat(a.getVersion()).isEqualTo("2");
        });

        ModelVersion two = mlflow.getModelVersion(name, "2");
        assertThat(two.getCurrentStage()).isEqualTo("Production");
        assertThat(two.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(two.getDescription()).isEqualTo("the good one");
        assertThat(two.getRunId()).isEqualTo(runId);
        assertThat(two.getAliasesList()).containsExactly("champion");
        assertThat(two.getTagsList()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("approved"));
        assertThat(mlflow.getModelVersion(name, "1").getCurrentStage()).isEqualTo("Archived");

        assertThat(mlflow.getLatestVersions(name, List.of("Production"))).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(mlflow.getLatestVersions(name)).extracting(ModelVersion::getCurrentStage)
                .contains("Production", "Staging", "Archived");
        assertThat(mlflow.getModelVersionDownloadUri(name, "2")).startsWith("mlflow-artifacts:/").endsWith("/model");

        assertThat(mlflow.searchModelVersions("name = '" + name + "'").getItems()).hasSize(3);
        ModelVersionsPage page = mlflow.searchModelVersions("name = '" + name + "'", 2, List.of("version_number ASC"));
        assertThat(page.getItems()).extracting(ModelVersion::getVersion).containsExactly("1", "2");
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.getNextPage().getItems()).extracting(ModelVersion::getVersion).containsExactly("3");

        // what MLflow's client wrote is what Keel's own service reads
        assertThat(keel.platform.registry().getModelVersion(alice, name, 2).currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(keel.platform.registry().getVersionByAlias(alice, name, "champion").version()).isEqualTo(2);

        assertThat(keel.json("DELETE", "/api/2.0/mlflow/model-versions/delete", "{" + model + ", \"version\": \"3\"}")
                .statusCode()).isEqualTo(200);
        assertThat(keel.json("DELETE", "/api/2.0/mlflow/registered-models/delete", "{" + model + "}").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> mlflow.getRegisteredModel(name)).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
        });
    }

    @Test
    void registry_failures_arrive_with_mlflow_status_and_error_code() {
        assertThatThrownBy(() -> mlflow.getModelVersion(unique("absent"), "1")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
        });
        String name = unique("twice");
        mlflow.sendPost("registered-models/create", "{\"name\": \"" + name + "\"}");
        assertThatThrownBy(() -> mlflow.sendPost("registered-models/create", "{\"name\": \"" + name + "\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
        assertThatThrownBy(() -> mlflow.getLatestVersions(name, List.of("Live"))).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("Live");
        });
    }

    @Test
    void failures_arrive_with_mlflow_status_and_error_code() {
        String runId = mlflow.createRun(mlflow.createExperiment(unique("bad"))).getRunId();
        mlflow.logParam(runId, "lr", "0.01");

        assertThatThrownBy(() -> mlflow.logParam(runId, "lr", "0.02")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("lr");
        });
        assertThatThrownBy(() -> mlflow.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
        assertThatThrownBy(() -> mlflow.createExperiment(mlflow.getExperiment("0").getName()))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
    }
}
