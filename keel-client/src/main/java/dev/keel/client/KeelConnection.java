package dev.keel.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.api.http.Call;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One Keel server as seen over HTTP: sends requests, reads JSON answers, and turns error
 * answers back into the {@link KeelException} the server raised (same code, same message) and
 * an unreachable server into {@code TEMPORARILY_UNAVAILABLE}.
 */
final class KeelConnection {
    private static final String JSON = "application/json";

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper mapper;
    /** The {@code Authorization} header every request carries, or null (a server without authentication). */
    private final String authorization;

    KeelConnection(URI base, HttpClient http, ObjectMapper mapper, String token) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.http = http;
        this.mapper = mapper;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
    }

    static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    URI base() {
        return base;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Sends {@code call}'s JSON body (if any) and reads its JSON answer (null for an operation answering 204). */
    <B, R> R send(Call<B, R> call) {
        HttpResponse<byte[]> response = send(request(call), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), response.body());
        }
        return answer(call, response.body());
    }

    /**
     * Streams {@code content} as the body of {@code call} (chunked, never wholly in memory), reads
     * the JSON answer (if the operation has one), and closes {@code content} either way. With
     * {@code Expect: 100-continue} the server can refuse (unknown run, bad path) before any byte
     * is sent, so the refusal arrives as its 4xx instead of a connection reset mid-upload.
     */
    <R> R upload(Call<InputStream, R> call, String contentType, InputStream content) {
        HttpRequest request = HttpRequest.newBuilder(uri(call.target()))
                .expectContinue(true)
                .header("Content-Type", contentType)
                .header("Accept", JSON)
                .method(call.operation().method().name(), HttpRequest.BodyPublishers.ofInputStream(() -> content))
                .build();
        HttpResponse<byte[]> response;
        try (InputStream body = content) {
            response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), response.body());
        }
        return answer(call, response.body());
    }

    /** The answer to a GET, its body not yet read (the caller closes it); an error status is thrown. */
    HttpResponse<InputStream> open(Call<Void, ?> call) {
        HttpRequest request = HttpRequest.newBuilder(uri(call.target())).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            try (InputStream body = response.body()) {
                throw failure(response.statusCode(), body.readAllBytes());
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return response;
    }

    @SuppressWarnings("unchecked")
    private <R> R answer(Call<?, R> call, byte[] body) {
        Type type = call.operation().answerType();
        if (type == null) {
            return null;
        }
        try {
            return (R) mapper.readValue(body, mapper.constructType(type));
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "Keel at " + base + " answered " + call.operation().method()
                    + " " + call.target() + " with a body this client cannot read: " + e.getMessage(), e);
        }
    }

    private HttpRequest request(Call<?, ?> call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(call.target())).header("Accept", JSON);
        String method = call.operation().method().name();
        if (call.body() == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            return builder.header("Content-Type", JSON)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(call.body())))
                    .build();
        } catch (IOException e) {
            throw KeelException.invalid("cannot write the request as JSON: " + e.getMessage());
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest signed = authorization == null ? request
                : HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", authorization).build();
        try {
            return http.send(signed, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while waiting for Keel at " + base, e);
        }
    }

    private KeelException unreachable(IOException e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "cannot reach Keel at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "lost the connection to Keel at " + base + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    /** The server's own error, rebuilt: same code, same message. */
    private KeelException failure(int status, byte[] body) {
        try {
            JsonNode error = mapper.readTree(body);
            if (error != null && error.hasNonNull("error_code") && error.hasNonNull("message")) {
                return new KeelException(ErrorCode.fromName(error.get("error_code").asText(), status),
                        error.get("message").asText());
            }
        } catch (IOException e) {
            // not Keel's error shape (a proxy's page, say): described below
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return new KeelException(ErrorCode.fromName(null, status), "Keel at " + base + " answered status " + status
                + (text.isBlank() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text)));
    }
}
