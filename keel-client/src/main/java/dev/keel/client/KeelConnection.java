package dev.keel.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.InputStream;
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

    KeelConnection(URI base, HttpClient http, ObjectMapper mapper) {
        this(base, http, mapper, null);
    }

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

    /** Sends a JSON body (or none when {@code body} is absent) and reads the JSON answer as {@code answer}. */
    <T> T exchange(String method, String pathAndQuery, Object body, JavaType answer) {
        HttpResponse<byte[]> response = send(request(method, pathAndQuery, body), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), response.body());
        }
        if (answer == null) {
            return null;
        }
        try {
            return mapper.readValue(response.body(), answer);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "Keel at " + base + " answered " + method + " " + pathAndQuery
                    + " with a body this client cannot read: " + e.getMessage(), e);
        }
    }

    <T> T exchange(String method, String pathAndQuery, Object body, Class<T> answer) {
        return exchange(method, pathAndQuery, body, answer == null ? null : mapper.constructType(answer));
    }

    /**
     * Streams {@code content} as the request body (chunked, never wholly in memory). With
     * {@code Expect: 100-continue} the server can refuse (unknown run, bad path) before any byte
     * is sent, so the refusal arrives as its 4xx instead of a connection reset mid-upload.
     */
    void upload(String path, InputStream content) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .expectContinue(true)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> content))
                .build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), response.body());
        }
    }

    /**
     * Streams {@code content} as a request body of {@code contentType} (chunked, never wholly in
     * memory), reads the JSON answer as {@code answer}, and closes {@code content} either way.
     */
    <T> T stream(String method, String pathAndQuery, String contentType, InputStream content, JavaType answer) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery))
                .expectContinue(true)
                .header("Content-Type", contentType)
                .header("Accept", JSON)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> content))
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
        try {
            return mapper.readValue(response.body(), answer);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "Keel at " + base + " answered " + method + " " + pathAndQuery
                    + " with a body this client cannot read: " + e.getMessage(), e);
        }
    }

    /** Opens the response body as a stream; the caller closes it. */
    InputStream download(String path) {
        return open(path).body();
    }

    /** The answer to a GET, its body not yet read (the caller closes it); an error status is thrown. */
    HttpResponse<InputStream> open(String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).GET().build();
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

    private HttpRequest request(String method, String pathAndQuery, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).header("Accept", JSON);
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            return builder.header("Content-Type", JSON)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
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
