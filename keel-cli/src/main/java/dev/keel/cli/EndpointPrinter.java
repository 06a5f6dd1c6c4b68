package dev.keel.cli;

import dev.keel.api.http.EndpointBodies.EndpointBody;
import dev.keel.api.http.RolloutBodies.RolloutBody;
import dev.keel.api.http.RolloutBodies.TotalsBody;
import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.api.serving.VariantComparison;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How {@code keel endpoints} shows endpoints, rollouts and variant comparisons: lines and tables
 * for people or, with {@code --json}, the native REST API's shapes (a list as an array), so a
 * script reads the CLI's output and the API's answers alike.
 */
final class EndpointPrinter {
    private final PrintStream out;
    private final boolean json;

    EndpointPrinter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    EndpointPrinter(Session session, OutputFormat format) {
        this(session.out(), format.json);
    }

    void endpoint(Endpoint endpoint) {
        if (json) {
            JsonOutput.printWire(out, EndpointBody.of(endpoint));
            return;
        }
        out.println("endpoint: " + endpoint.name() + " (version " + endpoint.version() + ")");
        out.println("policy:   " + describe(endpoint.policy()));
        for (Variant variant : endpoint.variants()) {
            out.println("variant:  " + variant.name() + " = " + variant.model().uri());
        }
        if (endpoint.shadow() != null) {
            out.println("shadow:   " + shadow(endpoint.shadow()));
        }
    }

    void endpoints(List<Endpoint> endpoints) {
        if (json) {
            JsonOutput.printWire(out, endpoints.stream().map(EndpointBody::of).toList());
            return;
        }
        Table table = new Table(List.of(Column.text("NAME"), Column.text("POLICY"), Column.text("VARIANTS"),
                Column.text("SHADOW"), Column.number("VERSION"), Column.text("UPDATED")));
        for (Endpoint e : endpoints) {
            table.row(List.of(e.name(), describe(e.policy()), variants(e), shadow(e.shadow()),
                    String.valueOf(e.version()), Cells.time(e.updatedAt().toEpochMilli())));
        }
        table.print(out, "no endpoints");
    }

    void rollout(Rollout rollout) {
        if (json) {
            JsonOutput.printWire(out, RolloutBody.of(rollout));
            return;
        }
        out.println("rollout " + rollout.id() + " of " + rollout.endpoint() + ": " + rollout.status().name()
                .toLowerCase(Locale.ROOT) + (rollout.reason() == null ? "" : " (" + rollout.reason() + ")"));
        out.println("canary:  " + rollout.canary() + " (" + rollout.canaryModel() + ") at "
                + Cells.number(rollout.canaryWeight()) + "%, stable: " + rollout.stable());
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < rollout.steps().size(); i++) {
            String step = Cells.number(rollout.steps().get(i));
            steps.add(i == rollout.step() && rollout.status().active() ? "[" + step + "]" : step);
        }
        out.println("steps:   " + String.join(" → ", steps));
        out.println("history:");
        for (RolloutEvent event : rollout.history()) {
            out.println("  " + Cells.time(event.at().toEpochMilli()) + "  " + event.kind() + " at "
                    + Cells.number(event.canaryWeight()) + "% by " + event.actor()
                    + (event.detail() == null || event.detail().isEmpty() ? "" : ": " + event.detail()));
        }
        RollbackReport report = rollout.rollback();
        if (report != null) {
            out.println("rolled back: " + report.reason());
            for (GuardrailCheck breach : report.breaches()) {
                out.println("  breach: " + breach.describe());
            }
            out.println("  breach to rollback:    " + report.breachToRollback().toMillis() + " ms");
            out.println("  detection to rollback: " + report.detectionToRollback().toMillis() + " ms");
        }
    }

    /** Variants {@code a} and {@code b} compared; with --json beside every variant's totals, read only then. */
    void comparison(String a, String b, VariantComparison comparison, Supplier<Map<String, Totals>> totals) {
        if (json) {
            Map<String, TotalsBody> bodies = new LinkedHashMap<>();
            totals.get().forEach((variant, value) -> bodies.put(variant, TotalsBody.of(value)));
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("comparison", comparison);
            document.put("totals", bodies);
            JsonOutput.printWire(out, document);
            return;
        }
        out.println("metric:   " + comparison.metric());
        out.println(a + ":" + " ".repeat(Math.max(1, 9 - a.length())) + Cells.number(comparison.valueA())
                + " over " + comparison.samplesA() + " samples");
        out.println(b + ":" + " ".repeat(Math.max(1, 9 - b.length())) + Cells.number(comparison.valueB())
                + " over " + comparison.samplesB() + " samples");
        out.println("test:     " + comparison.significance().test() + ", statistic "
                + Cells.number(comparison.significance().statistic()) + ", p = "
                + Cells.number(comparison.significance().pValue()));
        out.println(comparison.significance().significantAt(0.05) ? "the difference is significant at 95%"
                : "no significant difference at 95%");
    }

    private static String describe(TrafficPolicy policy) {
        if (policy instanceof Single single) {
            return "single:" + single.variant();
        }
        if (policy instanceof BlueGreen blueGreen) {
            return "blue-green:" + blueGreen.active() + "," + blueGreen.standby();
        }
        if (policy instanceof Canary canary) {
            return "canary:" + canary.canary() + "=" + Cells.number(canary.weight()) + "% over " + canary.stable();
        }
        StringBuilder ab = new StringBuilder("ab:");
        ((AbTest) policy).weights().forEach((variant, weight) -> ab.append(ab.length() > 3 ? "," : "")
                .append(variant).append('=').append(Cells.number(weight)));
        return ab.toString();
    }

    private static String variants(Endpoint endpoint) {
        List<String> shown = new ArrayList<>();
        endpoint.variants().forEach(v -> shown.add(v.name() + "=" + v.model().uri()));
        return String.join(" ", shown);
    }

    private static String shadow(Shadow shadow) {
        return shadow == null ? "" : shadow.variant() + ":" + Cells.number(shadow.percent()) + "%";
    }
}
