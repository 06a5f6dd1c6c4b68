package dev.keel.api.http;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.List;

/**
 * The wire shapes of approvals: the request body naming its target by field ({@code stage} or
 * {@code alias}), and a request as answered, its target spelled {@code {kind, value}} because
 * the domain's target is a sealed interface JSON cannot name by itself.
 */
public final class ApprovalBodies {
    private ApprovalBodies() {
    }

    /**
     * {@code POST /api/v1/approvals}: move {@code version} of {@code model} to {@code stage} (archiving
     * the versions already there when applied, with {@code archive_existing_versions}), or point
     * {@code alias} at it.
     */
    public record NewApprovalBody(String model, Long version, String stage, String alias,
                                  Boolean archiveExistingVersions) {
        public static NewApprovalBody of(String model, long version, ApprovalTarget target) {
            ApprovalTarget.ToStage stage = target instanceof ApprovalTarget.ToStage s ? s : null;
            return new NewApprovalBody(model, version, stage != null ? target.value() : null,
                    stage != null ? null : target.value(), stage != null && stage.archiveExistingVersions());
        }

        public String modelName() {
            return ModelName.requireValid("model", model);
        }

        public long versionNumber() {
            if (version == null) {
                throw KeelException.invalid("missing value for required parameter 'version'");
            }
            return Checks.requirePositive("version", version);
        }

        public ApprovalTarget target() {
            if ((stage == null) == (alias == null)) {
                throw KeelException.invalid("exactly one of 'stage' (Staging or Production) or 'alias' is required");
            }
            boolean archive = archiveExistingVersions != null && archiveExistingVersions;
            if (alias != null) {
                if (archive) {
                    throw KeelException.invalid("'archive_existing_versions' applies only to a stage request, not to alias '"
                            + (alias.length() > 64 ? alias.substring(0, 64) + "…" : alias) + "'");
                }
                return new ApprovalTarget.ToAlias(alias);
            }
            Stage parsed;
            try {
                parsed = Stage.parse(stage);
            } catch (KeelException e) {
                throw KeelException.invalid("'stage' must be Staging or Production (got '"
                        + (stage.length() > 64 ? stage.substring(0, 64) + "…" : stage) + "')");
            }
            return new ApprovalTarget.ToStage(parsed, archive);
        }
    }

    /** {@code POST /api/v1/approvals/{id}/approve|reject}: why (required to reject). */
    public record DecisionBody(String reason) {
    }

    /**
     * Where a request would take its version: {@code stage}/{@code Production} or
     * {@code alias}/{@code champion}; whether a stage request archives the versions already there.
     */
    public record TargetBody(String kind, String value, boolean archiveExistingVersions) {
        public static TargetBody of(ApprovalTarget target) {
            return new TargetBody(target.kind(), target.value(),
                    target instanceof ApprovalTarget.ToStage stage && stage.archiveExistingVersions());
        }

        public ApprovalTarget toTarget() {
            return ApprovalTarget.of(kind, value, archiveExistingVersions);
        }
    }

    /** An approval request as answered, with whether every check passed. */
    public record ApprovalRequestBody(long id, String model, long version, TargetBody target, String requester,
                                      long createdTime, RiskTier riskTier, int requiredApprovals, ApprovalStatus status,
                                      boolean checksPassed, List<RecordedCheck> checks, List<Decision> decisions) {
        public static ApprovalRequestBody of(ApprovalRequest request) {
            return new ApprovalRequestBody(request.id(), request.model(), request.version(),
                    TargetBody.of(request.target()), request.requester(), request.createdTime(), request.tier(),
                    request.requiredApprovals(), request.status(), request.checksPassed(), request.checks(),
                    request.decisions());
        }

        public ApprovalRequest toRequest() {
            return new ApprovalRequest(id, model, version, target.toTarget(), requester, createdTime, riskTier,
                    requiredApprovals, status, checks == null ? List.of() : checks, decisions == null ? List.of() : decisions);
        }
    }

    /** {@code GET /api/v1/approvals}: newest first. */
    public record ApprovalList(List<ApprovalRequestBody> requests) {
        public ApprovalList {
            requests = List.copyOf(requests);
        }
    }
}
