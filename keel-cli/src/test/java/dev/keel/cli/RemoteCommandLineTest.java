package dev.keel.cli;

import dev.keel.api.tracking.Experiment;
import dev.keel.core.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** With {@code KEEL_URL} set, the same commands go over HTTP to a Keel server. */
class RemoteCommandLineTest {
    @RegisterExtension
    final KeelServerForCli remote = new KeelServerForCli();

    @Test
    void commands_reach_the_server_named_by_keel_url() {
        CommandLineRun created = keel(remote.env(), "experiments", "create", "remote-churn", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String id = created.json().get("experiment_id").asText();

        Experiment onServer = remote.platform().tracking().getExperimentByName(Actor.LOCAL, "remote-churn");
        assertThat(onServer.experimentId()).isEqualTo(id);
        assertThat(remote.clientHome().resolve("keel.db")).doesNotExist();

        JsonNode runs = keel(remote.env(), "runs", "search", "--experiment", id, "--json").json();
        assertThat(runs.isArray()).isTrue();
        assertThat(runs).isEmpty();
    }

    @Test
    void a_bad_filter_over_http_still_exits_with_2_and_the_servers_message() {
        CommandLineRun search = keel(remote.env(), "runs", "search", "--filter", "metrics.auc >> 0.5");

        assertThat(search.exitCode()).as(search.toString()).isEqualTo(2);
        assertThat(search.err()).startsWith("error: ").contains("filter");
        assertThat(search.err().lines().count()).isEqualTo(1);
    }
}
