package dev.keel.cli.demo;

import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.Factor;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.cli.Invocation;
import dev.keel.cli.Main;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keel demo} end to end on a small data set: real training, real runs, real artifacts,
 * real HTTP traffic to the deployed model and a real rollback of its broken canary.
 */
class DemoCommandTest {
    @TempDir
    Path home;

    private record Output(int exitCode, String out, String err) {
    }

    private Output keel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Invocation(Map.of("KEEL_HOME", home.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void the_demo_trains_models_and_tracks_each_as_a_searchable_run() throws Exception {
        Output demo = keel("demo", "--rows", "1000", "--models", "2");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.err()).contains("[1/2]", "[2/2]", "auc");
        assertThat(demo.out()).contains("best by auc", "./keel runs search --filter \"metrics.auc > 0.5\" --json");
        assertThat(demo.out()).contains("registered as model 'credit-risk' version 1, with its model card (every section written)",
                "./keel models card credit-risk 1 --format html --output card.html");
        assertThat(demo.out()).contains(
                "approval request 1 for Production: applied, approved by risk-officer and model-validator",
                "./keel approvals show 1", "./keel audit verify", "audit trail: intact, ");
        assertThat(demo.err()).contains("requester cannot approve");
        // the demo's policy adds the AUC and a fairness bound on the recorded evaluation set; their figures are shown
        assertThat(demo.err()).contains("the demo's policy): 5 of 5 automatic checks passed", "pass metrics.auc = ",
                "pass demographic parity difference for home_ownership = ", "(selection rate non-owner ");
        // the approved version is deployed and served over HTTP; a broken second version is canaried and rolled back
        assertThat(demo.err()).contains("deployed version 1 (Production) behind endpoint 'credit-risk'",
                "/v2/models/credit-risk/infer", "req/s  p99 ", "registered version 2 of 'credit-risk': an ONNX export",
                "canary rollout 1: v2 takes 10% -> 25% -> 50% -> 100% of the traffic",
                "rolled back by the rollout controller at 10%: error rate 100% > 1% over ");
        assertThat(demo.out()).contains("endpoint 'credit-risk' served version 1 (Production) to 4 clients over HTTP: ",
                "canary v2 rolled back after ", ": error rate 100% > 1% over ", "; stable version 1 kept serving",
                "a client of the canary was told: 500 ", "./keel endpoints rollout credit-risk");
        // once the router follows the rollback, no request reaches the canary: none sent after it is answered with a
        // failure (a request the network leaves without any answer is counted apart, on a line of its own)
        assertThat(demo.out()).containsPattern("failed while the canary ran \\([0-9]+%\\), 0 of [0-9,]+ sent after the rollback");
        Output shown = keel("approvals", "show", "1");
        assertThat(shown.out()).contains("credit-risk version 1 to stage Production, archiving the versions already in "
                + "Production", "applied (2 of 2 approvals, high risk)", "pass metrics.auc >= 0.7",
                "pass fairness: demographic_parity_difference of home_ownership, max 0.1", "pass signature_present",
                "pass digests_verified");
        Output evaluation = keel("models", "evaluation", "show", "credit-risk", "1");
        assertThat(evaluation.out()).contains("evaluation set of 'credit-risk' version 1: 200 rows", "home_ownership",
                "age_band", "21-34");

        Output search = keel("runs", "search", "--filter", "metrics.auc > 0.5", "--json");
        JsonNode runs = new ObjectMapper().readTree(search.out());
        assertThat(runs).hasSize(2);
        for (JsonNode run : runs) {
            assertThat(run.get("status").asText()).isEqualTo("FINISHED");
            assertThat(run.get("metrics").fieldNames()).toIterable()
                    .contains("auc", "accuracy", "precision", "recall", "f1", "train_loss", "test_loss");
            assertThat(run.get("params").fieldNames()).toIterable()
                    .contains("learning_rate", "epochs", "seed", "trainer", "optimiser");
            assertThat(run.get("tags").get("keel.demo").asText()).isEqualTo("credit-risk");
        }
        // one run went through Keel's API, the other through the MLflow REST routes, into one store
        assertThat(runs).extracting(run -> run.get("tags").get("keel.demo.protocol").asText())
                .containsExactlyInAnyOrder("Keel API", "MLflow REST API");

        try (KeelPlatform platform = KeelPlatform.open(new KeelConfig(home, null, null, null, 0))) {
            TrackingService tracking = platform.tracking();
            for (JsonNode logged : runs) {
                assertThat(tracking.listArtifacts(Actor.LOCAL, logged.get("run_id").asText(), ArtifactPath.of("model")))
                        .as("artifacts of the run logged through the " + logged.get("tags").get("keel.demo.protocol").asText())
                        .extracting(entry -> entry.path()).contains("model/model.tribuo", "model/MLmodel");
            }
            String runId = runs.get(0).get("run_id").asText();
            Run run = tracking.getRun(Actor.LOCAL, runId);
            int epochs = Integer.parseInt(run.data().params().stream().filter(p -> p.key().equals("epochs")).findFirst().orElseThrow().value());

            List<Metric> losses = tracking.getMetricHistory(Actor.LOCAL, runId, "train_loss", 1000, null).items();
            assertThat(losses).extracting(Metric::step).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, epochs).boxed().toList());

            assertThat(tracking.listArtifacts(Actor.LOCAL, runId, ArtifactPath.of("model")))
                    .extracting(entry -> entry.path()).contains("model/model.tribuo", "model/MLmodel");
            String manifest;
            try (InputStream in = tracking.openArtifact(Actor.LOCAL, runId, ModelFiles.MANIFEST)) {
                manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(manifest).contains("tribuo:", "model_file: model.tribuo", "run_id: " + runId, "debt_ratio");

            Model<Label> model;
            try (InputStream in = tracking.openArtifact(Actor.LOCAL, runId, ModelFiles.MODEL)) {
                model = Model.deserializeFromStream(in).castModel(Label.class);
            }
            // the best run's model is registered with a complete card: the draft's facts and the demo's sections
            ModelCard card = platform.registry().getModelCard(Actor.LOCAL, DemoCommand.MODEL_NAME, 1);
            String bestRunId = platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 1).runId();
            assertThat(runs).extracting(r -> r.get("run_id").asText()).contains(bestRunId);
            assertThat(card.draft()).isFalse();
            assertThat(card.missingSections()).isEmpty();
            assertThat(card.modelParameters().flavor()).isEqualTo("tribuo");
            assertThat(card.modelParameters().hyperparameters()).containsKey("learning_rate");
            assertThat(card.intendedUse().outOfScopeUses()).anyMatch(use -> use.startsWith("Automated denial"));
            assertThat(card.factors()).extracting(Factor::name).containsExactly("age band", "home ownership");
            assertThat(card.metrics()).filteredOn(MetricResult::sliced).extracting(MetricResult::slice)
                    .contains("home_owner=yes", "home_owner=no");
            assertThat(card.results("auc").get(0).value())
                    .isEqualTo(tracking.getRun(Actor.LOCAL, bestRunId).data().metrics().stream()
                            .filter(m -> m.key().equals("auc")).findFirst().orElseThrow().value());
            assertThat(card.trainingData()).extracting(DataReference::name).containsExactly("credit-risk-demo train");
            assertThat(card.evaluationData()).extracting(DataReference::name).containsExactly("credit-risk-demo test");
            assertThat(card.caveats()).anyMatch(caveat -> caveat.contains("synthetic"));

            // the endpoint is back on its stable variant; the rollout says why, and the audit trail has every step
            EndpointService endpoints = platform.serving().endpoints();
            Endpoint endpoint = endpoints.getEndpoint(Actor.LOCAL, "credit-risk");
            assertThat(endpoint.policy()).isEqualTo(new Single("production"));
            assertThat(endpoint.variants()).extracting(variant -> variant.name() + "=" + variant.model().uri())
                    .containsExactly("production=models:/credit-risk/Production", "v2=models:/credit-risk/2");
            Rollout rollout = endpoints.getRollout(Actor.LOCAL, "credit-risk");
            assertThat(rollout.status()).isEqualTo(RolloutStatus.ROLLED_BACK);
            assertThat(rollout.reason()).startsWith("guardrail breached: ").contains("error_rate 100.00 > 1.00");
            assertThat(rollout.rollback().breaches()).extracting(GuardrailCheck::guardrail).contains("error_rate");
            assertThat(rollout.rollback().canaryWeight()).isEqualTo(10.0);
            assertThat(rollout.history()).extracting(RolloutEvent::kind).startsWith("started").endsWith("rolled_back")
                    .doesNotContain("advanced");
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 2).currentStage())
                    .isEqualTo(Stage.NONE);
            assertThat(platform.auditTrail().latest("endpoint/credit-risk", 100))
                    .extracting(event -> event.actor() + " " + event.action())
                    .containsSubsequence("root endpoint.create", "root rollout.start", "keel-rollouts rollout.rollback");

            Applicant risky = new Applicant(25, 20_000, 0.9, 1, 6, 15_000, 0, 8, 0, true);
            Label predicted = model.predict(new ArrayExample<>(LogisticRegressionTraining.DEFAULT,
                    Applicant.FEATURE_NAMES.toArray(String[]::new), risky.features())).getOutput();
            assertThat(predicted.getLabel()).isEqualTo("default");
        }
    }

    @Test
    void running_the_demo_again_adds_runs_to_the_same_experiment() throws Exception {
        keel("demo", "--rows", "300", "--models", "1");
        JsonNode second = new ObjectMapper().readTree(keel("demo", "--rows", "300", "--models", "1", "--json").out());

        assertThat(second.get("experiment").get("name").asText()).isEqualTo(DemoCommand.EXPERIMENT);
        assertThat(second.get("runs")).hasSize(1);
        assertThat(second.get("best_run_id").asText()).isEqualTo(second.get("runs").get(0).get("run_id").asText());
        assertThat(second.get("registered_model").get("name").asText()).isEqualTo(DemoCommand.MODEL_NAME);
        // the first demo registered versions 1 (the best) and 2 (its broken canary)
        assertThat(second.get("registered_model").get("version").asLong()).isEqualTo(3);
        assertThat(second.get("evaluation_set").get("rows").asInt()).isEqualTo(60);
        assertThat(second.get("evaluation_set").get("attributes")).extracting(JsonNode::asText)
                .containsExactly("age_band", "home_ownership");
        // the second promotion archives the version the first put in Production
        assertThat(second.get("approval").get("status").asText()).isEqualTo("applied");
        assertThat(second.get("approval").get("archived_versions")).extracting(JsonNode::asLong).containsExactly(1L);
        try (KeelPlatform platform = KeelPlatform.open(new KeelConfig(home, null, null, null, 0))) {
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 1).currentStage())
                    .isEqualTo(Stage.ARCHIVED);
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 3).currentStage())
                    .isEqualTo(Stage.PRODUCTION);
            // the endpoint was put back to the stable variant alone, then canaried again
            Endpoint endpoint = platform.serving().endpoints().getEndpoint(Actor.LOCAL, "credit-risk");
            assertThat(endpoint.variants()).extracting(Variant::name).containsExactly("production", "v4");
            assertThat(platform.serving().endpoints().listRollouts(Actor.LOCAL, "credit-risk"))
                    .extracting(Rollout::status).containsExactly(RolloutStatus.ROLLED_BACK, RolloutStatus.ROLLED_BACK);
        }
        JsonNode serving = second.get("serving");
        assertThat(serving.get("endpoint").asText()).isEqualTo("credit-risk");
        assertThat(serving.get("stable").get("version").asLong()).isEqualTo(3);
        assertThat(serving.get("traffic").get("requests").asLong()).isPositive();
        assertThat(serving.get("traffic").get("rejected").asLong()).isZero();
        assertThat(serving.get("canary").get("variant").asText()).isEqualTo("v4");
        assertThat(serving.get("canary").get("model").asText()).isEqualTo("models:/credit-risk/4");
        assertThat(serving.get("canary").get("status").asText()).isEqualTo("rolled_back");
        assertThat(serving.get("canary").get("reason").asText()).contains("error_rate");
        assertThat(serving.get("canary").get("breach_to_rollback_ms").asLong()).isNotNegative();
        assertThat(serving.get("canary").get("failed_during_canary").asLong()).isPositive();
        assertThat(serving.get("canary").get("failed_after_rollback").asLong()).isZero();

        JsonNode experiments = new ObjectMapper().readTree(keel("experiments", "list", "--json").out());
        assertThat(experiments).filteredOn(e -> e.get("name").asText().equals(DemoCommand.EXPERIMENT)).hasSize(1);
        JsonNode runs = new ObjectMapper().readTree(keel("runs", "search", "--experiment", DemoCommand.EXPERIMENT, "--json").out());
        // each demo: one trained model and the broken export it canaried
        assertThat(runs).hasSize(4);
        assertThat(runs).extracting(run -> run.get("tags").path("keel.demo.role").asText())
                .containsOnly("", "misbehaving canary").filteredOn("misbehaving canary"::equals).hasSize(2);
    }

    @Test
    void the_demo_refuses_a_model_count_it_does_not_have() {
        Output demo = keel("demo", "--models", "99");

        assertThat(demo.exitCode()).isEqualTo(2);
        assertThat(demo.err()).startsWith("error: ").contains("--models");
    }
}
