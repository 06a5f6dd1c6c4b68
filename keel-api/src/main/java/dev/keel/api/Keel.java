package dev.keel.api;

import dev.keel.api.access.AccessService;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.tracking.TrackingService;

/**
 * The whole platform behind one interface, one service per capability. Two implementations:
 * the platform in this process on its own store ({@code dev.keel.server.KeelPlatform}) and
 * the SDK over HTTP to a Keel server ({@code dev.keel.client.KeelClient}). Code written
 * against {@code Keel} runs against either; one contract suite checks that both keep it.
 *
 * <p>Authorization and auditing happen inside the services, so every caller — CLI, REST,
 * SDK, UI — passes the same checks and lands in the same audit trail.
 */
public interface Keel extends AutoCloseable {

    /** Every capability's service; the accessors below read it. */
    KeelServices services();

    /** Experiments, runs, their params, metrics, tags, inputs and artifacts. */
    default TrackingService tracking() {
        return services().tracking();
    }

    /** Registered models, versions with their manifests, aliases, stages, model cards, evaluation sets. */
    default RegistryService registry() {
        return services().registry();
    }

    /** Approval requests and decisions for stage changes and protected aliases. */
    default ApprovalService approvals() {
        return services().approvals();
    }

    /**
     * The tamper-evident audit trail: verify, read, export, checkpoint. With authentication on,
     * only admins and approvers (auditors) may use it.
     */
    default AuditService audit() {
        return services().audit();
    }

    /** Users, API tokens and permission grants. */
    default AccessService access() {
        return services().access();
    }

    /** Serving endpoints, their traffic policies and canary rollouts. */
    default EndpointService endpoints() {
        return services().endpoints();
    }

    /** Where the data lives, for messages: a store's location or a server's URL (never a password). */
    String location();

    /** Releases what this Keel holds (a platform closes its store; a client holds nothing to close). */
    @Override
    void close();
}
