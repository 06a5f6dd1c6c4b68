package dev.keel.server;

import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.serving.batching.BatchingOptions;

import java.nio.file.Path;

/**
 * How a {@link KeelPlatform} runs, apart from where its data lives: whether callers sign in,
 * the approval policy, and the default micro-batching of served models.
 *
 * @param policy   the approval policy; null for {@code KEEL_HOME/approval-policy.yaml} when there
 *                 is one, else Keel's default. Its gate's 'auto' is on exactly when sign-in is required.
 * @param batching the micro-batching of every model version whose tags do not choose their own
 *                 ({@code keel server --batch-size --batch-delay})
 */
public record PlatformOptions(Authentication authentication, ApprovalPolicy policy, BatchingOptions batching) {
    public PlatformOptions {
        authentication = authentication == null ? Authentication.OFF : authentication;
        batching = batching == null ? BatchingOptions.OFF : batching;
    }

    /** No sign-in, the home's (or the default) approval policy, no micro-batching. */
    public static PlatformOptions defaults() {
        return new PlatformOptions(Authentication.OFF, null, BatchingOptions.OFF);
    }

    public PlatformOptions withAuthentication(Authentication newAuthentication) {
        return new PlatformOptions(newAuthentication, policy, batching);
    }

    public PlatformOptions withPolicy(ApprovalPolicy newPolicy) {
        return new PlatformOptions(authentication, newPolicy, batching);
    }

    public PlatformOptions withBatching(BatchingOptions newBatching) {
        return new PlatformOptions(authentication, policy, newBatching);
    }

    /** The policy to run with: this one, else the file in {@code home} (checked now, so a mistake stops the start), else the default. */
    ApprovalPolicy policyIn(Path home) {
        if (policy != null) {
            return policy;
        }
        return home == null ? ApprovalPolicy.defaults() : ApprovalPolicy.inHome(home);
    }
}
