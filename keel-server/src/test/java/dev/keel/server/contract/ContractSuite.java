package dev.keel.server.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

/**
 * A contract suite run once per {@link Backend}: a concrete suite is a
 * {@code @ParameterizedClass @EnumSource(Backend.class)} extending this, and says in
 * {@link #setup()} how its platform runs. Each backend's run opens one {@link Deployment}, shared
 * by the suite's tests (each test makes uniquely named things), and closes it at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSuite {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The backend of this run (injected; a per-class instance takes its arguments in fields). */
    @Parameter
    protected Backend backend;
    private Deployment deployment;

    /** How this suite's platform runs (sign-in, users, clock, policy). */
    protected abstract Deployment.Setup setup();

    @BeforeParameterizedClassInvocation
    void open(Backend backend) {
        deployment = Deployment.open(backend, setup());
    }

    @AfterParameterizedClassInvocation
    void close() {
        if (deployment != null) {
            deployment.close();
            deployment = null;
        }
    }

    protected Deployment deployment() {
        return deployment;
    }

    /** The JSON of a raw answer (or of any JSON text). */
    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }
}
