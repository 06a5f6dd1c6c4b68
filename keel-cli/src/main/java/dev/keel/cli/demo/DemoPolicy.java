package dev.keel.cli.demo;

import dev.keel.registry.approval.ApprovalPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The approval policy the demo runs under (demo-approval-policy.yaml beside this class): the
 * default tiers, the high one adding an AUC threshold and a fairness bound, so the demo's
 * request shows those figures among its checks. Passed to the demo's platform rather than
 * written to KEEL_HOME, so running the demo never changes the policy of anything else there.
 */
final class DemoPolicy {
    static final String RESOURCE = "demo-approval-policy.yaml";

    private DemoPolicy() {
    }

    static ApprovalPolicy load() {
        try (InputStream in = DemoPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo's approval policy is missing from the build");
            }
            return ApprovalPolicy.parse("keel demo's " + RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
