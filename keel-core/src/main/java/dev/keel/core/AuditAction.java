package dev.keel.core;

/**
 * Every change Keel records in its audit trail, by the name it is recorded under
 * ({@code <kind>.<verb>}). One catalogue, so that a new change cannot be recorded under a
 * misspelt name, and a reader of the trail can look up what each action means. The names are
 * stored in the hash chain: they never change once released.
 */
public enum AuditAction {
    // tracking
    EXPERIMENT_CREATE("experiment.create"),
    EXPERIMENT_RENAME("experiment.rename"),
    EXPERIMENT_DELETE("experiment.delete"),
    EXPERIMENT_RESTORE("experiment.restore"),
    EXPERIMENT_SET_TAG("experiment.set_tag"),
    EXPERIMENT_DELETE_TAG("experiment.delete_tag"),
    RUN_CREATE("run.create"),
    RUN_UPDATE("run.update"),
    RUN_DELETE("run.delete"),
    RUN_RESTORE("run.restore"),
    RUN_LOG_METRIC("run.log_metric"),
    RUN_LOG_PARAM("run.log_param"),
    RUN_SET_TAG("run.set_tag"),
    RUN_DELETE_TAG("run.delete_tag"),
    RUN_LOG_BATCH("run.log_batch"),
    RUN_LOG_INPUTS("run.log_inputs"),
    RUN_LOG_MODEL("run.log_model"),
    RUN_LOG_ARTIFACT("run.log_artifact"),
    RUN_DELETE_ARTIFACT("run.delete_artifact"),

    // registry
    REGISTERED_MODEL_CREATE("registered_model.create"),
    REGISTERED_MODEL_RENAME("registered_model.rename"),
    REGISTERED_MODEL_UPDATE("registered_model.update"),
    REGISTERED_MODEL_DELETE("registered_model.delete"),
    REGISTERED_MODEL_SET_TAG("registered_model.set_tag"),
    REGISTERED_MODEL_DELETE_TAG("registered_model.delete_tag"),
    MODEL_ALIAS_SET("model_alias.set"),
    MODEL_ALIAS_DELETE("model_alias.delete"),
    MODEL_VERSION_CREATE("model_version.create"),
    MODEL_VERSION_UPDATE("model_version.update"),
    MODEL_VERSION_DELETE("model_version.delete"),
    MODEL_VERSION_TRANSITION_STAGE("model_version.transition_stage"),
    MODEL_VERSION_SET_TAG("model_version.set_tag"),
    MODEL_VERSION_DELETE_TAG("model_version.delete_tag"),
    MODEL_VERSION_SET_EVALUATION_SET("model_version.set_evaluation_set"),
    MODEL_CARD_UPDATE("model_card.update"),

    // approvals
    APPROVAL_REQUEST("approval.request"),
    APPROVAL_APPROVE("approval.approve"),
    APPROVAL_REJECT("approval.reject"),
    APPROVAL_APPLY("approval.apply"),

    // access
    USER_CREATE("user.create"),
    TOKEN_CREATE("token.create"),
    TOKEN_REVOKE("token.revoke"),
    PERMISSION_GRANT("permission.grant"),
    PERMISSION_REVOKE("permission.revoke"),

    // serving
    ENDPOINT_CREATE("endpoint.create"),
    ENDPOINT_DELETE("endpoint.delete"),
    ENDPOINT_UPDATE_POLICY("endpoint.update_policy"),
    ENDPOINT_UPDATE_SHADOW("endpoint.update_shadow"),
    ENDPOINT_SWITCH("endpoint.switch"),
    ROLLOUT_START("rollout.start"),
    ROLLOUT_ADVANCE("rollout.advance"),
    ROLLOUT_COMPLETE("rollout.complete"),
    ROLLOUT_INCONCLUSIVE("rollout.inconclusive"),
    ROLLOUT_PAUSE("rollout.pause"),
    ROLLOUT_RESUME("rollout.resume"),
    ROLLOUT_PROMOTE("rollout.promote"),
    ROLLOUT_ABORT("rollout.abort"),
    ROLLOUT_ROLLBACK("rollout.rollback");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    /** The name the action is recorded under: {@code run.log_batch}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
