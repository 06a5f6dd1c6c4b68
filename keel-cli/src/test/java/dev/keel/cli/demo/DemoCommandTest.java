package dev.keel.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.cli.Invocation;
import dev.keel.cli.Main;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelConfig;
import dev.keel.registry.Stage;
import dev.keel.registry.card.DataReference;
import dev.keel.registry.card.Factor;
import dev.keel.registry.card.MetricResult;
import dev.keel.registry.card.ModelCard;
import dev.keel.server.KeelPlatform;
import dev.keel.tracking.Metric;
import dev.keel.tracking.Run;
import dev.keel.tracking.TrackingService;
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

/** {@code keel demo} end to end on a small data set: real training, real runs, real artifacts. */
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
        assertThat(second.get("registered_model").get("version").asLong()).isEqualTo(2);
        assertThat(second.get("evaluation_set").get("rows").asInt()).isEqualTo(60);
        assertThat(second.get("evaluation_set").get("attributes")).extracting(JsonNode::asText)
                .containsExactly("age_band", "home_ownership");
        // the second promotion archives the version the first put in Production
        assertThat(second.get("approval").get("status").asText()).isEqualTo("applied");
        assertThat(second.get("approval").get("archived_versions")).extracting(JsonNode::asLong).containsExactly(1L);
        try (KeelPlatform platform = KeelPlatform.open(new KeelConfig(home, null, null, null, 0))) {
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 1).currentStage())
                    .isEqualTo(Stage.ARCHIVED);
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, DemoCommand.MODEL_NAME, 2).currentStage())
                    .isEqualTo(Stage.PRODUCTION);
        }

        JsonNode experiments = new ObjectMapper().readTree(keel("experiments", "list", "--json").out());
        assertThat(experiments).filteredOn(e -> e.get("name").asText().equals(DemoCommand.EXPERIMENT)).hasSize(1);
        JsonNode runs = new ObjectMapper().readTree(keel("runs", "search", "--experiment", DemoCommand.EXPERIMENT, "--json").out());
        assertThat(runs).hasSize(2);
    }

    @Test
    void the_demo_refuses_a_model_count_it_does_not_have() {
        Output demo = keel("demo", "--models", "99");

        assertThat(demo.exitCode()).isEqualTo(2);
        assertThat(demo.err()).startsWith("error: ").contains("--models");
    }
}
