package dev.keel.cli;

import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.core.Actor;
import dev.keel.registry.approval.EvaluationSetJson;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.LocalHome.env;
import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel models evaluation set|show}, embedded and against a server, from real CSV files. */
class EvaluationCommandTest {
    @TempDir
    Path home;

    /** Registers version 1 of 'credit' from a run holding a one-epoch Tribuo model. */
    @BeforeEach
    void registerModel() {
        String runId;
        try (KeelPlatform platform = LocalHome.open(home)) {
            runId = TrainedRuns.runWithModel(platform.tracking(), Actor.LOCAL, "eval-cli").runId();
        }
        CommandLineRun registered = keel(env(home), "models", "register", "credit", "--run", runId);
        assertThat(registered.exitCode()).as(registered.toString()).isZero();
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(home.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void a_csv_with_labels_is_recorded_and_shown_with_group_rates() throws IOException {
        // CRLF line ends, a quoted group holding a comma, a blank line, labels instead of flags
        Path file = csv("eval.csv", "id,decision,outcome,home,\"age band\"\r\n"
                + "1,default,default,owner,\"21-34\"\r\n"
                + "2,repaid,default,owner,\"50-69, retired\"\r\n"
                + "\r\n"
                + "3,default,repaid,non-owner,21-34\r\n"
                + "4,repaid,repaid,non-owner,\"50-69, retired\"\r\n");

        CommandLineRun set = keel(env(home), "models", "evaluation", "set", "credit", "1", "--file", file.toString(),
                "--predicted", "decision", "--actual", "outcome", "--sensitive", "home,age band", "--positive", "default");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).contains("recorded the evaluation set of 'credit' version 1: 4 rows, attributes age band, home");
        try (KeelPlatform platform = LocalHome.open(home)) {
            RecordedEvaluationSet recorded = platform.registry().getEvaluationSet(Actor.LOCAL, "credit", 1);
            assertThat(recorded.data().predicted()).containsExactly(true, false, true, false);
            assertThat(recorded.data().actual()).containsExactly(true, true, false, false);
            assertThat(recorded.data().groups("age band")).containsExactly("21-34", "50-69, retired", "21-34",
                    "50-69, retired");
            assertThat(set.out()).contains(EvaluationSetJson.sha256(EvaluationSetJson.write(recorded.data())));
        }

        CommandLineRun shown = keel(env(home), "models", "evaluation", "show", "credit", "1");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("evaluation set of 'credit' version 1: 4 rows, 50.0% predicted positive, "
                + "50.0% actually positive", "PREDICTED POSITIVE", "50-69, retired");
        assertThat(shown.out()).containsPattern("home\\s+non-owner\\s+2\\s+0\\.5\\s+0");

        JsonNode json = keel(env(home), "models", "evaluation", "show", "credit", "1", "--json").json();
        assertThat(json.get("rows").asInt()).isEqualTo(4);
        assertThat(json.at("/groups/home/1/group").asText()).isEqualTo("owner");
        assertThat(json.at("/groups/home/1/actual_positive_rate").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/overall/predicted_positive_rate").asDouble()).isEqualTo(0.5);
    }

    @Test
    void flags_may_be_one_and_zero_or_true_and_false_and_a_second_set_replaces_the_first() throws IOException {
        keel(env(home), "models", "evaluation", "set", "credit", "1", "--file",
                csv("a.csv", "p,a,g\n1,1,x\n0,1,y\n").toString(), "--predicted", "p", "--actual", "a", "--sensitive", "g");
        CommandLineRun second = keel(env(home), "models", "evaluation", "set", "credit", "1", "--json", "--file",
                csv("b.csv", "p,a,g\nTRUE,false,x\nfalse,True,y\n0,0,y\n").toString(),
                "--predicted", "p", "--actual", "a", "--sensitive", "g");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.json().get("rows").asInt()).isEqualTo(3);
        assertThat(keel(env(home), "models", "evaluation", "show", "credit", "1", "--json").json().get("rows").asInt())
                .isEqualTo(3);
    }

    @Test
    void bad_csv_is_refused_naming_the_line_and_column_and_nothing_is_recorded() throws IOException {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("p,a,g\n1,1,x\n1,maybe,y\n", "line 3, column 'a': 'maybe' is not 1/0 or true/false; name the positive label "
                + "with --positive LABEL");
        bad.put("p,a,g\n1,1,x\n1,1\n", "line 3: the row has 2 fields; the header has 3");
        bad.put("p,a,g\n1,1,\"x\n", "line 2, column 'g': a quoted field opened here is never closed");
        bad.put("p,a,g\n1,1,x\"y\n", "line 2, column 'g': a double quote inside an unquoted field");
        bad.put("p,a,g\n1,1,\"x\"y\n", "line 2, column 'g': 'y' after a closing quote");
        bad.put("p,a,g\n1,1, \n", "line 2, column 'g': empty; every row needs a group");
        bad.put("p,a,g\n,1,x\n", "line 2, column 'p': empty; every row needs a value");
        bad.put("p,a,g\n1,1," + "x".repeat(101) + "\n", "line 2, column 'g': the group is 101 characters long; at most 100");
        bad.put("p,a,g\n", "has a header but no rows");
        bad.put("", "is empty; it needs a header");
        bad.put("p,a,a\n1,1,1\n", "line 1, field 3: the header names column 'a' twice");
        bad.put("p,a,h\n1,1,x\n", "'--sensitive' names column 'g', which the header of");
        int n = 0;
        for (Map.Entry<String, String> file : bad.entrySet()) {
            Path path = csv("bad" + n++ + ".csv", file.getKey());
            CommandLineRun set = keel(env(home), "models", "evaluation", "set", "credit", "1", "--file", path.toString(),
                    "--predicted", "p", "--actual", "a", "--sensitive", "g");
            assertThat(set.exitCode()).as(set.toString()).isEqualTo(2);
            assertThat(set.err()).as(file.getKey()).startsWith("error: ").contains(file.getValue());
        }
        Path latin1 = home.resolve("latin1.csv");
        Files.write(latin1, "p,a,g\n1,1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        CommandLineRun notUtf8 = keel(env(home), "models", "evaluation", "set", "credit", "1", "--file", latin1.toString(),
                "--predicted", "p", "--actual", "a", "--sensitive", "g");
        assertThat(notUtf8.err()).contains("is not UTF-8 text");
        CommandLineRun missing = keel(env(home), "models", "evaluation", "set", "credit", "1", "--file",
                home.resolve("absent.csv").toString(), "--predicted", "p", "--actual", "a", "--sensitive", "g");
        assertThat(missing.err()).contains("'--file'", "absent.csv");

        CommandLineRun shown = keel(env(home), "models", "evaluation", "show", "credit", "1");
        assertThat(shown.exitCode()).isEqualTo(2);
        assertThat(shown.err()).contains("version 1 of registered model 'credit' has no evaluation set");
    }

    @Test
    void against_a_server_the_set_travels_over_http() throws IOException {
        Path file = csv("eval.csv", "p,a,region\n1,1,north\n0,0,south\n1,0,south\n");
        try (KeelPlatform platform = LocalHome.open(home);
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            Map<String, String> remote = Map.of("KEEL_URL", server.uri().toString());

            CommandLineRun set = keel(remote, "models", "evaluation", "set", "credit", "1", "--file", file.toString(),
                    "--predicted", "p", "--actual", "a", "--sensitive", "region");
            assertThat(set.exitCode()).as(set.toString()).isZero();
            CommandLineRun shown = keel(remote, "models", "evaluation", "show", "credit", "1", "--json");
            assertThat(shown.json().get("attributes")).extracting(JsonNode::asText).isEqualTo(List.of("region"));
            assertThat(platform.registry().getEvaluationSet(Actor.LOCAL, "credit", 1).summary().rows()).isEqualTo(3);
        }
    }
}
