package dev.keel.api;

import dev.keel.api.access.AccessService;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.tracking.TrackingService;

/**
 * One service per capability, as a {@link Keel} holds them. A new capability adds its service
 * here and an accessor to {@code Keel}; the platform and the client each fill it in once.
 */
public record KeelServices(TrackingService tracking, RegistryService registry, ApprovalService approvals,
                           AuditService audit, AccessService access, EndpointService endpoints) {
}
