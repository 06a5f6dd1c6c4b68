package dev.keel.registry.approval;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.approval.Verdict;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.registry.AliasChange;
import dev.keel.registry.SourceRun;
import dev.keel.registry.StageChange;
import dev.keel.registry.sql.ApprovalTables;
import dev.keel.registry.sql.JdbcApprovalStore;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.JdbcModelStore.VersionRow;
import dev.keel.store.AuditedStore;
import dev.keel.store.AuditedStore.Events;
import dev.keel.store.Database;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.registry.RegistryRules.existing;
import static dev.keel.registry.RegistryRules.existingVersion;

/**
 * Approvals in-process, on the registry's tables. The checks run before any transaction (they
 * re-hash the version's files); each decision is one transaction that locks its request row
 * first, so two approvers deciding at once on PostgreSQL are counted one after the other, and
 * the approval that completes a request applies its change (stage or alias) in that same
 * transaction, directly on the registry's rows: this is the one path past the gate.
 */
public final class EmbeddedApprovalService implements ApprovalService {
    /** A listing shows at most this many requests, newest first. */
    public static final int MAX_LISTED = 1000;
    public static final int MAX_REASON_LENGTH = 1000;

    private final AuditedStore<ApprovalTables> store;
    private final RegistryService registry;
    private final TrackingService tracking;
    private final ApprovalPolicy policy;
    private final Clock clock;
    private final Authorizer authorizer;

    private EmbeddedApprovalService(Database db, RegistryService registry, TrackingService tracking, ApprovalPolicy policy,
                                    Clock clock, AuditLog audit, Authorizer authorizer) {
        this.store = new AuditedStore<>(db, audit, ApprovalTables::new);
        this.registry = registry;
        this.tracking = tracking;
        this.policy = policy;
        this.clock = clock;
        this.authorizer = authorizer;
    }

    /** Approvals over {@code registry}'s store ({@code db}, the same database), with {@code policy}'s checks. */
    public static EmbeddedApprovalService open(Database db, RegistryService registry, TrackingService tracking,
                                               ApprovalPolicy policy, Clock clock, AuditLog audit, Authorizer authorizer) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(authorizer, "authorizer");
        db.migrate("registry");
        return new EmbeddedApprovalService(db, registry, tracking, policy, clock, audit, authorizer);
    }

    @Override
    public ApprovalRequest request(Actor actor, String name, long version, ApprovalTarget target) {
        ModelName.requireValid("name", name);
        Checks.requireNonNull("target", target);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        Checks.requirePositive("version", version);
        RegisteredModel model = registry.getRegisteredModel(actor, name);
        ModelVersion found = registry.getModelVersion(actor, name, version);
        ModelCard card = registry.getModelCard(actor, name, version);
        RecordedEvaluationSet evaluation = evaluationSet(actor, name, version);
        // a draft is what Keel prefilled, not what a person wrote: it does not count as written sections
        CheckContext context = CheckContext.of(found, card.draft() ? null : card, sourceRun(actor, found),
                evaluation == null ? null : evaluation.data(),
                DigestVerification.of(() -> registry.verifyVersion(actor, name, version)));
        TierPolicy tier = policy.tier(model.riskTier());
        List<RecordedCheck> checks = ApprovalChecks.evaluate(policy, model.riskTier(), context).stream()
                .map(CheckResult::recorded).toList();
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow row = existing(tables.models(), name);
            existingVersion(tables.models(), row, version);
            long id = tables.approvals().insert(new JdbcApprovalStore.NewRequest(row.modelId(), version, target,
                    actor.name(), now, model.riskTier(), tier.approvers(), checks));
            ApprovalRequest created = found(tables.approvals(), id);
            events.record(AuditAction.APPROVAL_REQUEST, resource(created), summary("target", target.describe(),
                    "risk_tier", model.riskTier().name(), "required_approvals", tier.approvers(),
                    "checks_passed", created.checksPassed(),
                    "failed_checks", created.failedChecks().stream().map(RecordedCheck::check).toList(),
                    // which evaluation set the fairness figures were computed on
                    "evaluation_set_sha256", evaluation == null ? null : evaluation.summary().sha256()));
            return created;
        });
    }

    @Override
    public List<ApprovalRequest> list(Actor actor, ApprovalStatus status, String model) {
        if (model != null) {
            ModelName.requireValid("model", model);
            authorizer.require(actor, Permission.READ, Resource.model(model));
        }
        Visibility visible = authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
        return store.read(tables -> tables.approvals().list(status, model, store.database().dialect(), visible, MAX_LISTED));
    }

    @Override
    public ApprovalRequest get(Actor actor, long id) {
        ApprovalRequest found = store.read(tables -> found(tables.approvals(), id));
        authorizer.require(actor, Permission.READ, Resource.model(found.model()));
        return found;
    }

    @Override
    public ApprovalRequest approve(Actor actor, long id, String reason) {
        authorizer.requireRole(actor, Role.APPROVER);
        Checks.requireMaxLength("reason", reason, MAX_REASON_LENGTH);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            JdbcApprovalStore approvals = tables.approvals();
            ApprovalRequest request = lockedPending(approvals, id, now);
            if (actor.name().equals(request.requester())) {
                throw denied(actor, request, "they requested it; the requester cannot approve their own request");
            }
            JdbcModelStore models = tables.models();
            VersionRow version = existingVersion(models, existing(models, request.model()), request.version());
            if (actor.name().equals(version.userId())) {
                throw denied(actor, request, "they created version " + request.version()
                        + "; the version's creator cannot approve it");
            }
            if (decided(actor, request)) {
                throw denied(actor, request, "they already decided on it; each approval must come from a different person");
            }
            if (!request.checksPassed()) {
                throw new KeelException(ErrorCode.BAD_REQUEST, "approval request " + id + " cannot be approved: "
                        + request.failedChecks().size() + " automatic check(s) failed: "
                        + String.join("; ", request.failedChecks().stream().map(RecordedCheck::detail).toList())
                        + ". Fix them and make a new request");
            }
            approvals.insertDecision(id, new Decision(actor.name(), now, Verdict.APPROVE, reason));
            int approved = request.approvers().size() + 1;
            events.record(AuditAction.APPROVAL_APPROVE, resource(request), summary("reason", reason,
                    "approvals", approved, "required_approvals", request.requiredApprovals()));
            if (approved >= request.requiredApprovals()) {
                approvals.setStatus(id, ApprovalStatus.PENDING, ApprovalStatus.APPROVED, now);
                apply(models, request, version.modelId(), now, events);
                approvals.setStatus(id, ApprovalStatus.APPROVED, ApprovalStatus.APPLIED, now);
                events.record(AuditAction.APPROVAL_APPLY, resource(request), summary("target",
                        request.target().describe(), "approvers", approved));
            }
            return found(approvals, id);
        });
    }

    @Override
    public ApprovalRequest reject(Actor actor, long id, String reason) {
        authorizer.requireRole(actor, Role.APPROVER);
        Checks.requireText("reason", reason, MAX_REASON_LENGTH);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            JdbcApprovalStore approvals = tables.approvals();
            ApprovalRequest request = lockedPending(approvals, id, now);
            if (decided(actor, request)) {
                throw denied(actor, request, "they already decided on it");
            }
            approvals.insertDecision(id, new Decision(actor.name(), now, Verdict.REJECT, reason));
            approvals.setStatus(id, ApprovalStatus.PENDING, ApprovalStatus.REJECTED, now);
            events.record(AuditAction.APPROVAL_REJECT, resource(request), summary("reason", reason));
            return found(approvals, id);
        });
    }

    /** The change itself, on the registry's rows as the registry makes it, naming the approval that applied it. */
    private static void apply(JdbcModelStore models, ApprovalRequest request, long modelId, long now, Events events)
            throws SQLException {
        if (request.target() instanceof ApprovalTarget.ToStage stage) {
            new StageChange(request.model(), request.version(), stage.stage(), stage.archiveExistingVersions())
                    .apply(models, modelId, now, events, request.id());
        } else {
            ApprovalTarget.ToAlias alias = (ApprovalTarget.ToAlias) request.target();
            new AliasChange(request.model(), alias.alias(), request.version()).apply(models, modelId, now, events,
                    request.id());
        }
    }

    /**
     * The request, its row locked until the transaction ends so that decisions on it are counted
     * one after another; refused unless it is still pending.
     */
    private static ApprovalRequest lockedPending(JdbcApprovalStore store, long id, long now) throws SQLException {
        store.lock(id, now);
        ApprovalRequest request = found(store, id);
        if (request.status() != ApprovalStatus.PENDING) {
            throw KeelException.invalid("approval request " + id + " is " + request.status()
                    + "; only a PENDING request can be decided");
        }
        return request;
    }

    private static boolean decided(Actor actor, ApprovalRequest request) {
        return request.decisions().stream().anyMatch(d -> d.decidedBy().equals(actor.name()));
    }

    private static KeelException denied(Actor actor, ApprovalRequest request, String why) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' may not approve approval request "
                + request.id() + " (" + request.model() + " version " + request.version() + " to "
                + request.target().describe() + "): " + why);
    }


    /** The version's recorded evaluation set for fairness checks; null when none was recorded. */
    private RecordedEvaluationSet evaluationSet(Actor actor, String name, long version) {
        try {
            return registry.getEvaluationSet(actor, name, version);
        } catch (KeelException e) {
            // the version itself was just read, so "does not exist" here means no set was recorded
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return null;
            }
            throw e;
        }
    }

    /** The version's source run for metric checks; null without one or when it is gone. */
    private Run sourceRun(Actor actor, ModelVersion version) {
        return SourceRun.of(tracking, actor, version);
    }

    private static ApprovalRequest found(JdbcApprovalStore store, long id) throws SQLException {
        return store.request(id).orElseThrow(() -> noRequest(id));
    }

    private static KeelException noRequest(long id) {
        return KeelException.notFound("approval request " + id + " does not exist");
    }

    private static String resource(ApprovalRequest request) {
        return "model/" + request.model() + "/version/" + request.version() + "/approval/" + request.id();
    }
}
