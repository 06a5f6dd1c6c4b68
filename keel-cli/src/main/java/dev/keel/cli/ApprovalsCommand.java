package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.registry.Stage;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code keel approvals request|list|show|approve|reject}: approval gates, on the local store or,
 * with {@code KEEL_URL}, on a server (as the user {@code KEEL_TOKEN} signs in as). On the local
 * store who acts is the local user, or {@code KEEL_USER} when set: authentication is off for the
 * embedded CLI, so this is how a second person approves on one machine. KEEL_USER is refused
 * against a server, which decides who the caller is from the token.
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "Request approval for a stage or protected alias, and decide on requests.",
        synopsisSubcommandLabel = "(request | list | show | approve | reject)")
final class ApprovalsCommand {

    /** The command with its subcommands, for {@link Main}. */
    static CommandLine command(Invocation invocation) {
        return new CommandLine(new ApprovalsCommand())
                .addSubcommand(new RequestApproval(invocation))
                .addSubcommand(new ListApprovals(invocation))
                .addSubcommand(new ShowApproval(invocation))
                .addSubcommand(new Decide.Approve(invocation))
                .addSubcommand(new Decide.Reject(invocation));
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask for VERSION of NAME to move to a stage or take a protected alias; the checks run now.")
    static final class RequestApproval implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the registered model")
        private String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "the version number")
        private long version;
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

        RequestApproval(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            if (archive && target.stage == null) {
                throw KeelException.invalid("'--archive-existing-versions' goes with --stage, not with --alias");
            }
            ApprovalTarget wanted = target.stage != null ? new ApprovalTarget.ToStage(Stage.parse(target.stage), archive)
                    : new ApprovalTarget.ToAlias(target.alias);
            return withApprovals(invocation, (approvals, actor) -> {
                ApprovalRequest request = approvals.request(actor, name, version, wanted);
                show(invocation.out(), format.json, request);
                if (!format.json && !request.checksPassed()) {
                    invocation.err().println("(a check failed: this request cannot be approved; fix the version and request again)");
                }
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approval requests, newest first.")
    static final class ListApprovals implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Option(names = "--status", paramLabel = "STATUS", description = "pending, approved, rejected or applied")
        private String status;
        @Option(names = "--model", paramLabel = "NAME", description = "only this registered model's requests")
        private String model;

        ListApprovals(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            ApprovalStatus wanted = status == null ? null : ApprovalStatus.parse(status);
            return withApprovals(invocation, (approvals, actor) -> {
                List<ApprovalRequest> requests = approvals.list(actor, wanted, model);
                if (format.json) {
                    JsonOutput.print(invocation.out(), requests.stream().map(ApprovalsCommand::view).toList());
                    return ExitCode.OK.value();
                }
                Table table = new Table(List.of(Column.number("ID"), Column.text("MODEL"), Column.number("VERSION"),
                        Column.text("TARGET"), Column.text("STATUS"), Column.text("CHECKS"), Column.text("APPROVALS"),
                        Column.text("REQUESTER"), Column.text("CREATED")));
                for (ApprovalRequest r : requests) {
                    table.row(List.of(String.valueOf(r.id()), r.model(), String.valueOf(r.version()), r.target().describe(),
                            lower(r.status()), r.checksPassed() ? "passed" : r.failedChecks().size() + " failed",
                            r.approvers().size() + "/" + r.requiredApprovals(), r.requester(), Cells.time(r.createdTime())));
                }
                if (table.isEmpty()) {
                    invocation.out().println("no approval requests");
                } else {
                    table.print(invocation.out());
                }
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one request: its checks and decisions.")
    static final class ShowApproval implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "ID", description = "the request's id")
        private long id;

        ShowApproval(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withApprovals(invocation, (approvals, actor) -> {
                show(invocation.out(), format.json, approvals.get(actor, id));
                return ExitCode.OK.value();
            });
        }
    }

    /** approve and reject: one decision; a refusal exits non-zero with the reason on stderr. */
    abstract static class Decide implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "ID", description = "the request's id")
        private long id;

        Decide(Invocation invocation) {
            this.invocation = invocation;
        }

        abstract String reason();

        abstract ApprovalRequest decide(ApprovalService approvals, Actor actor, long id, String reason);

        @Override
        public Integer call() {
            return withApprovals(invocation, (approvals, actor) -> {
                show(invocation.out(), format.json, decide(approvals, actor, id, reason()));
                return ExitCode.OK.value();
            });
        }

        @Command(name = "approve", mixinStandardHelpOptions = true,
                description = "Approve a pending request; the last approval needed applies it.")
        static final class Approve extends Decide {
            @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept with the decision)")
            private String reason;

            Approve(Invocation invocation) {
                super(invocation);
            }

            @Override
            String reason() {
                return reason;
            }

            @Override
            ApprovalRequest decide(ApprovalService approvals, Actor actor, long id, String reason) {
                return approvals.approve(actor, id, reason);
            }
        }

        @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending request for good.")
        static final class Reject extends Decide {
            @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (required)")
            private String reason;

            Reject(Invocation invocation) {
                super(invocation);
            }

            @Override
            String reason() {
                return reason;
            }

            @Override
            ApprovalRequest decide(ApprovalService approvals, Actor actor, long id, String reason) {
                return approvals.reject(actor, id, reason);
            }
        }
    }

    /** Runs {@code work} on the session's approvals, as the acting user. */
    private static int withApprovals(Invocation invocation, BiFunction<ApprovalService, Actor, Integer> work) {
        try (Keel session = KeelSession.open(invocation.env())) {
            return work.apply(session.approvals(), actor(session, invocation.env()));
        }
    }

    /** On the local store, as {@link #actor(KeelPlatform, Map)}; a server decides itself who acts. */
    private static Actor actor(Keel session, Map<String, String> env) {
        if (session instanceof KeelPlatform embedded) {
            return actor(embedded, env);
        }
        String user = env.get("KEEL_USER");
        if (user != null && !user.isBlank()) {
            throw KeelException.invalid("KEEL_USER names who acts on the local store only; a server acts as the user"
                    + " KEEL_TOKEN signs in as: unset KEEL_USER, or set KEEL_TOKEN to that user's token");
        }
        return Actor.LOCAL; // not sent: the server decides
    }

    /** KEEL_USER when authentication is off (it names who acts on this machine); refused when it is on. */
    static Actor actor(KeelPlatform platform, Map<String, String> env) {
        String user = env.get("KEEL_USER");
        if (user == null || user.isBlank()) {
            return Actor.LOCAL;
        }
        if (platform.authentication().required()) {
            throw KeelException.invalid("KEEL_USER is honoured only while authentication is off; sign in instead");
        }
        return new Actor(user.strip());
    }

    private static void show(PrintStream out, boolean json, ApprovalRequest request) {
        if (json) {
            JsonOutput.print(out, view(request));
            return;
        }
        out.println("approval request " + request.id() + ": " + request.model() + " version " + request.version()
                + " to " + request.target().describe());
        out.println("  status:     " + lower(request.status()) + " (" + request.approvers().size() + " of "
                + request.requiredApprovals() + " approvals, " + lower(request.tier()) + " risk)");
        out.println("  requested:  by " + request.requester() + " at " + Cells.time(request.createdTime()));
        out.println("  checks:");
        if (request.checks().isEmpty()) {
            out.println("    (the tier has none)");
        }
        for (RecordedCheck check : request.checks()) {
            out.println("    " + (check.passed() ? "pass " : "FAIL ") + check.check() + " — " + check.detail());
        }
        if (!request.decisions().isEmpty()) {
            out.println("  decisions:");
            for (Decision d : request.decisions()) {
                out.println("    " + lower(d.verdict()) + " by " + d.decidedBy() + " at " + Cells.time(d.decidedTime())
                        + (d.reason() == null ? "" : ": " + d.reason()));
            }
        }
    }

    private static Map<String, Object> view(ApprovalRequest request) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", request.id());
        view.put("model", request.model());
        view.put("version", request.version());
        view.put("target", Map.of("kind", request.target().kind(), "value", request.target().value()));
        view.put("status", lower(request.status()));
        view.put("requester", request.requester());
        view.put("created_time", request.createdTime());
        view.put("risk_tier", lower(request.tier()));
        view.put("required_approvals", request.requiredApprovals());
        view.put("checks", request.checks().stream().map(c -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("check", c.check());
            check.put("passed", c.passed());
            check.put("detail", c.detail());
            return check;
        }).toList());
        view.put("decisions", request.decisions().stream().map(d -> {
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("decided_by", d.decidedBy());
            decision.put("decided_time", d.decidedTime());
            decision.put("verdict", lower(d.verdict()));
            decision.put("reason", d.reason());
            return decision;
        }).toList());
        return view;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
