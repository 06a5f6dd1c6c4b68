package dev.keel.cli;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code keel approvals} shows requests: their checks and decisions as lines, a list as a table, or JSON. */
final class ApprovalPrinter {
    private final PrintStream out;
    private final boolean json;

    ApprovalPrinter(Session session, OutputFormat format) {
        this.out = session.out();
        this.json = format.json;
    }

    void request(ApprovalRequest request) {
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

    void requests(List<ApprovalRequest> requests) {
        if (json) {
            JsonOutput.print(out, requests.stream().map(ApprovalPrinter::view).toList());
            return;
        }
        Table table = new Table(List.of(Column.number("ID"), Column.text("MODEL"), Column.number("VERSION"),
                Column.text("TARGET"), Column.text("STATUS"), Column.text("CHECKS"), Column.text("APPROVALS"),
                Column.text("REQUESTER"), Column.text("CREATED")));
        for (ApprovalRequest r : requests) {
            table.row(List.of(String.valueOf(r.id()), r.model(), String.valueOf(r.version()), r.target().describe(),
                    lower(r.status()), r.checksPassed() ? "passed" : r.failedChecks().size() + " failed",
                    r.approvers().size() + "/" + r.requiredApprovals(), r.requester(), Cells.time(r.createdTime())));
        }
        table.print(out, "no approval requests");
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
