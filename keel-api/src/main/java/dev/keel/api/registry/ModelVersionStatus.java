package dev.keel.api.registry;

/**
 * MLflow's version statuses. Keel copies and hashes the files inside the registering call, so
 * a version it hands out is always READY; the other values exist for the wire format.
 */
public enum ModelVersionStatus {
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY
}
