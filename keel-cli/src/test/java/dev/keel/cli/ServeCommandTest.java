package dev.keel.cli;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.core.Actor;
import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel serve}: what it prints and serves when it starts, and how it refuses what it cannot serve. */
class ServeCommandTest {
    private static final String[] FEATURES = {"income", "debt"};
    private static final String RECORDS = "{\"records\": [{\"income\": 0.9, \"debt\": 0.1}, {\"income\": 0.1, \"debt\": 0.8}]}";

    @RegisterExtension
    final KeelServerForCli remote = new KeelServerForCli();
    @TempDir
    Path models;

    private Path modelDirectory;

    @BeforeEach
    void start() throws IOException {
        KeelPlatform platform = remote.platform();
        modelDirectory = Files.createDirectories(models.resolve("credit-model"));
        try (OutputStream out = Files.newOutputStream(modelDirectory.resolve("model.tribuo"))) {
            train().serializeToStream(out);
        }
        platform.registry().createRegisteredModel(Actor.LOCAL, NewRegisteredModel.named("credit"));
        platform.registry().createModelVersionFromDirectory(Actor.LOCAL, "credit", modelDirectory, null, List.of());
    }

    /** A small Tribuo classifier of income and debt (also registered by other keel-cli tests). */
    static Model<Label> train() {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("serve test", labels), labels);
        Random random = new Random(5);
        for (int row = 0; row < 60; row++) {
            double income = random.nextDouble();
            double debt = random.nextDouble();
            data.add(new ArrayExample<>(new Label(income > debt ? "repaid" : "default"), FEATURES,
                    new double[] {income, debt}));
        }
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5), 5, 1L).train(data);
    }

    private static HttpResponse<String> post(URI uri, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Parses the command line as {@code keel serve} would and starts it, without waiting for Ctrl-C. */
    private static ServeCommand.Running serve(Map<String, String> env, ByteArrayOutputStream out, String... args) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        ServeCommand command = new ServeCommand(new Invocation(env, print, print, false));
        new CommandLine(command).parseArgs(args);
        return command.start();
    }

    @Test
    void serves_a_version_from_the_server_keel_url_names_and_says_what_and_where() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ServeCommand.Running running = serve(remote.env(), out, "--model", "models:/credit/1", "--port", "0")) {
            String printed = out.toString(StandardCharsets.UTF_8);
            String digest = remote.platform().registry().getModelVersion(Actor.LOCAL, "credit", 1).manifest()
                    .file("model.tribuo").sha256();
            assertThat(printed)
                    .contains("Serving credit version 1 (models:/credit/1) as 'credit', from " + remote.server().uri())
                    .contains(digest + "  model.tribuo")
                    .contains("Listening at " + running.server().uri())
                    .contains("POST " + running.server().uri() + "/v2/models/credit/infer")
                    .contains("/invocations").contains("/metrics");
            HttpResponse<String> fromReplica = post(running.server().uri().resolve("/api/v1/endpoints/credit/predict"),
                    RECORDS);
            assertThat(fromReplica.statusCode()).as(fromReplica.body()).isEqualTo(200);
        }
        assertThat(remote.clientHome().resolve("keel.db")).as("nothing of the registry is opened locally").doesNotExist();
    }

    @Test
    void without_keel_url_a_version_is_read_from_the_store_in_keel_home() throws Exception {
        try (KeelPlatform local = KeelPlatform.open(new KeelConfig(remote.clientHome(), null, null, "127.0.0.1", 0))) {
            local.registry().createRegisteredModel(Actor.LOCAL, NewRegisteredModel.named("local-credit"));
            local.registry().createModelVersionFromDirectory(Actor.LOCAL, "local-credit", modelDirectory, null, List.of());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ServeCommand.Running running = serve(Map.of("KEEL_HOME", remote.clientHome().toString()), out,
                "--model", "models:/local-credit/1", "--port", "0")) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Serving local-credit version 1")
                    .contains("from sqlite at ");
            HttpResponse<String> response = post(running.server().uri().resolve(
                    "/api/v1/endpoints/local-credit/predict"), RECORDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void serves_a_local_directory_under_a_given_name() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ServeCommand.Running running = serve(Map.of("KEEL_HOME", remote.clientHome().toString()), out,
                "--model", modelDirectory.toString(), "--name", "scoring", "--port", "0", "--batch-size", "8",
                "--batch-delay", "1ms", "--memory", "256m", "--intra-op-threads", "2")) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("as 'scoring'").contains("no manifest")
                    .contains("micro-batching: up to 8 rows");
            HttpResponse<String> response = post(running.server().uri().resolve("/api/v1/endpoints/scoring/predict"),
                    RECORDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void an_unknown_model_fails_the_start_with_a_clear_error_and_a_non_zero_exit() {
        CommandLineRun run = keel(remote.env(), "serve", "--model", "models:/nobody/1", "--port", "0");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.BAD_INPUT.value());
        assertThat(run.err()).contains("error:").contains("'nobody'");
        assertThat(run.out()).doesNotContain("Listening");

        CommandLineRun version = keel(remote.env(), "serve", "--model", "models:/credit/7", "--port", "0");
        assertThat(version.exitCode()).as(version.toString()).isEqualTo(ExitCode.BAD_INPUT.value());
    }

    @Test
    void bad_options_are_refused_naming_the_option() {
        String[][] cases = {
                {"--model", "models:/credit/1", "--port", "70000"}, {"'--port'"},
                {"--model", "models:/credit/1", "--port", "-1"}, {"'--port'"},
                {"--model", "models:/credit/1", "--port", "eighty"}, {"--port"},
                {"--model", "models:/credit/1", "--memory", "lots"}, {"'--memory'"},
                {"--model", "models:/credit/1", "--memory", "0"}, {"'--memory'"},
                {"--model", "models:/credit/1", "--batch-delay", "5 minutes"}, {"'--batch-delay'"},
                {"--model", "models:/credit/1", "--batch-delay", "2s"}, {"'--batch-delay'"},
                {"--model", "models:/credit/1", "--batch-size", "0"}, {"batch_size"},
                {"--model", "models:/credit/1", "--intra-op-threads", "0"}, {"intra_op_threads"},
                {"--model", "models:/credit/one/two"}, {"models:/NAME/VERSION"},
                {"--model", models.resolve("missing").toString()}, {"neither a models:/ URI nor a directory"},
                {"--port", "8080"}, {"--model"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "serve";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            CommandLineRun run = keel(remote.env(), args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(ExitCode.BAD_INPUT.value());
            assertThat(run.err()).as(String.join(" ", args)).contains(cases[i + 1][0]);
        }
    }

    @Test
    void a_port_in_use_is_a_one_line_failure() {
        CommandLineRun run = keel(remote.env(), "serve", "--model", "models:/credit/1", "--port",
                Integer.toString(remote.server().port()));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILURE.value());
        assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + remote.server().port());
    }
}
