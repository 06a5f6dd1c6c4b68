package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Rollout;
import dev.keel.core.AuditAction;

import java.util.Map;

/**
 * One change to a rollout, worked out before it is written: the rollout after it, the endpoint
 * after it (null when its policy stays), and how the audit trail names it.
 */
record Transition(Endpoint endpoint, Rollout rollout, AuditAction action, Map<String, ?> summary) {
}
