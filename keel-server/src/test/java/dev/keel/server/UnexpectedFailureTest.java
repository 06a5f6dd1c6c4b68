package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.store.TestDatabases.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedFailureTest {

    @Test
    void an_unexpected_failure_is_a_500_that_reveals_no_internals(@TempDir Path dir) throws Exception {
        try (TestServer keel = TestServer.start(Kind.SQLITE, dir)) {
            keel.database.database().close();  // the store fails under the running server

            HttpResponse<String> response = keel.get("/api/v1/experiments/0");

            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.path("error_code").asText()).isEqualTo("INTERNAL_ERROR");
            assertThat(body.path("message").asText()).startsWith("internal error").contains("reference")
                    .doesNotContainIgnoringCase("sql").doesNotContainIgnoringCase("hikari");
        }
    }
}
