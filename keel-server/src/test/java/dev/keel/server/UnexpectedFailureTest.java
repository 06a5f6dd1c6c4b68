package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedFailureTest {

    @Test
    void an_unexpected_failure_is_a_500_that_reveals_no_internals() throws Exception {
        try (TestServer keel = TestServer.start()) {
            keel.deployment.database().close();  // the store fails under the running server

            HttpResponse<String> response = keel.get("/api/v1/experiments/0");

            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.path("error_code").asText()).isEqualTo("INTERNAL_ERROR");
            assertThat(body.path("message").asText()).startsWith("internal error").contains("reference")
                    .doesNotContainIgnoringCase("sql").doesNotContainIgnoringCase("hikari");
        }
    }
}
