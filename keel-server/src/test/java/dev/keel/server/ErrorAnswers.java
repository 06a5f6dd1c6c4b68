package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** How a test reads one of Keel's error answers over raw HTTP, on its own routes and MLflow's alike. */
final class ErrorAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorAnswers() {
    }

    /** {@code response} is a JSON answer of {@code status} whose error_code is {@code code} and whose message holds each of {@code inMessage}. */
    static void assertError(HttpResponse<String> response, int status, String code, String... inMessage) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
        assertThat(body.path("error_code").asText()).as(response.body()).isEqualTo(code);
        for (String text : inMessage) {
            assertThat(body.path("message").asText()).contains(text);
        }
    }
}
