package dev.keel.server.contract;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * A contract suite run once per {@link Backend}: a concrete suite is a
 * {@code @ParameterizedClass @EnumSource(Backend.class)} extending this, and says in
 * {@link #setup()} how its platform runs. Each backend's run opens one {@link Deployment}, shared
 * by the suite's tests (each test makes uniquely named things), and closes it at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSuite {
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
}
