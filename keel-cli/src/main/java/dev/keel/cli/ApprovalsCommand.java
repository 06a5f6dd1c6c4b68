package dev.keel.cli;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel approvals request|list|show|approve|reject}: approval gates, on the local store or,
 * with {@code KEEL_URL}, on a server (as the user {@code KEEL_TOKEN} signs in as). On the local
 * store who acts is the local user, or {@code KEEL_USER} when set: authentication is off for the
 * embedded CLI, so this is how a second person approves on one machine. KEEL_USER is refused
 * against a server, which decides who the caller is from the token ({@link Session#namedActor()}).
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "Request approval for a stage or protected alias, and decide on requests.",
        synopsisSubcommandLabel = "(request | list | show | approve | reject)",
        subcommands = {ApprovalsCommand.RequestApproval.class, ApprovalsCommand.ListApprovals.class,
                ApprovalsCommand.ShowApproval.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Reject.class})
final class ApprovalsCommand {

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask for VERSION of NAME to move to a stage or take a protected alias; the checks run now.")
    static final class RequestApproval extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Mixin
        private ModelVersionArgs model;
        @ArgGroup(exclusive = true, multiplicity = "1")
        private Target target;
        @Option(names = "--archive-existing-versions",
                description = "with --stage: once applied, the versions already in that stage move to Archived")
        private boolean archive;

        static final class Target {
            @Option(names = "--stage", paramLabel = "STAGE", description = "Staging or Production")
            String stage;
            @Option(names = "--alias", paramLabel = "ALIAS", description = "a protected alias, such as champion")
            String alias;
        }

        @Override
        void run(Session session) {
            if (archive && target.stage == null) {
                throw KeelException.invalid("'--archive-existing-versions' goes with --stage, not with --alias");
            }
            ApprovalTarget wanted = target.stage != null ? new ApprovalTarget.ToStage(Stage.parse(target.stage), archive)
                    : new ApprovalTarget.ToAlias(target.alias);
            ApprovalRequest request = session.approvals().request(session.namedActor(), model.name, model.version, wanted);
            new ApprovalPrinter(session, format).request(request);
            if (!format.json && !request.checksPassed()) {
                session.err().println("(a check failed: this request cannot be approved; fix the version and request again)");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approval requests, newest first.")
    static final class ListApprovals extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--status", paramLabel = "STATUS", description = "pending, approved, rejected or applied")
        private String status;
        @Option(names = "--model", paramLabel = "NAME", description = "only this registered model's requests")
        private String model;

        @Override
        void run(Session session) {
            ApprovalStatus wanted = status == null ? null : ApprovalStatus.parse(status);
            new ApprovalPrinter(session, format).requests(session.approvals().list(session.namedActor(), wanted, model));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one request: its checks and decisions.")
    static final class ShowApproval extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "ID", description = "the request's id")
        private long id;

        @Override
        void run(Session session) {
            new ApprovalPrinter(session, format).request(session.approvals().get(session.namedActor(), id));
        }
    }

    /** approve and reject: one decision; a refusal exits non-zero with the reason on stderr. */
    abstract static class Decide extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "ID", description = "the request's id")
        private long id;

        abstract ApprovalRequest decide(ApprovalService approvals, Actor actor, long id);

        @Override
        void run(Session session) {
            ApprovalService approvals = session.approvals();
            new ApprovalPrinter(session, format).request(decide(approvals, session.namedActor(), id));
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a pending request; the last approval needed applies it.")
    static final class Approve extends Decide {
        @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept with the decision)")
        private String reason;

        @Override
        ApprovalRequest decide(ApprovalService approvals, Actor actor, long id) {
            return approvals.approve(actor, id, reason);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending request for good.")
    static final class Reject extends Decide {
        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (required)")
        private String reason;

        @Override
        ApprovalRequest decide(ApprovalService approvals, Actor actor, long id) {
            return approvals.reject(actor, id, reason);
        }
    }
}
