package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.http.EndpointBodies.EndpointBody;
import dev.keel.api.http.RolloutBodies.RolloutBody;
import dev.keel.api.http.RolloutBodies.TotalsBody;
import dev.keel.api.http.WireFormat;
import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.api.serving.VariantComparison;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code keel endpoints create|list|show|delete|switch|shadow|canary|rollout|compare}: serving
 * endpoints and their canary rollouts, on the local store or, with {@code KEEL_URL}, on a server.
 * {@code --json} prints the native REST API's shapes (a list as an array), so a script reads the
 * CLI's output and the API's answers alike.
 */
@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = "Create serving endpoints, split their traffic, and drive canary rollouts.",
        synopsisSubcommandLabel = "(create | list | show | delete | switch | shadow | canary | rollout | compare)")
final class EndpointsCommand {
    private static final ObjectMapper JSON = WireFormat.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The command with its subcommands, for {@link Main}. */
    static CommandLine command(Invocation invocation) {
        return new CommandLine(new EndpointsCommand())
                .addSubcommand(new Create(invocation))
                .addSubcommand(new ListEndpoints(invocation))
                .addSubcommand(new Show(invocation))
                .addSubcommand(new Delete(invocation))
                .addSubcommand(new Switch(invocation))
                .addSubcommand(new ShadowCommand(invocation))
                .addSubcommand(new CommandLine(new CanaryCommand())
                        .addSubcommand(new CanaryCommand.Start(invocation))
                        .addSubcommand("promote", step("promote", "Give the canary all the traffic now, ending the rollout.",
                                invocation))
                        .addSubcommand("abort", step("abort", "Send all the traffic back to stable, ending the rollout.",
                                invocation))
                        .addSubcommand("pause", step("pause", "Hold the canary at its weight; guardrails stay armed.",
                                invocation))
                        .addSubcommand("resume", step("resume", "Continue a paused rollout; its step's analysis starts afresh.",
                                invocation)))
                .addSubcommand(new RolloutCommand(invocation))
                .addSubcommand(new Compare(invocation));
    }

    private static CommandLine step(String action, String description, Invocation invocation) {
        CommandLine line = new CommandLine(new CanaryCommand.Step(action, invocation));
        line.getCommandSpec().usageMessage().description(description);
        return line;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create endpoint NAME serving its variants under a traffic policy.")
    static final class Create implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the endpoint's name")
        private String name;
        @Option(names = "--variant", paramLabel = "NAME=MODEL_URI", required = true,
                description = "a variant and the model it serves, such as blue=models:/churn/3 (repeat for more)")
        private List<String> variants;
        @Option(names = "--policy", paramLabel = "POLICY",
                description = "single:VARIANT | blue-green:ACTIVE,STANDBY | ab:V1=50,V2=50 (default: single, with one variant)")
        private String policy;
        @Option(names = "--shadow", paramLabel = "VARIANT:PERCENT", description = "copy PERCENT of the requests to VARIANT")
        private String shadow;

        Create(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            List<Variant> parsed = new ArrayList<>();
            for (String variant : variants) {
                parsed.add(variant(variant));
            }
            TrafficPolicy trafficPolicy = policy == null ? defaultPolicy(parsed) : policy(policy);
            NewEndpoint request = new NewEndpoint(name, parsed, trafficPolicy, shadow == null ? null : shadow(shadow));
            return withEndpoints(invocation, (endpoints, actor) -> {
                Endpoint created = endpoints.createEndpoint(actor, request);
                printEndpoint(invocation.out(), format.json, created);
                return ExitCode.OK.value();
            });
        }

        private static TrafficPolicy defaultPolicy(List<Variant> variants) {
            if (variants.size() != 1) {
                throw KeelException.invalid("'--policy' is required with more than one variant "
                        + "(single:VARIANT, blue-green:ACTIVE,STANDBY or ab:V1=50,V2=50)");
            }
            return new Single(variants.get(0).name());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the endpoints you may read.")
    static final class ListEndpoints implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;

        ListEndpoints(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withEndpoints(invocation, (endpoints, actor) -> {
                List<Endpoint> all = endpoints.listEndpoints(actor);
                if (format.json) {
                    print(invocation.out(), all.stream().map(EndpointBody::of).toList());
                    return ExitCode.OK.value();
                }
                Table table = new Table(List.of(Column.text("NAME"), Column.text("POLICY"), Column.text("VARIANTS"),
                        Column.text("SHADOW"), Column.number("VERSION"), Column.text("UPDATED")));
                for (Endpoint e : all) {
                    table.row(List.of(e.name(), describe(e.policy()), variants(e), shadow(e.shadow()),
                            String.valueOf(e.version()), Cells.time(e.updatedAt().toEpochMilli())));
                }
                if (table.isEmpty()) {
                    invocation.out().println("no endpoints");
                } else {
                    table.print(invocation.out());
                }
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one endpoint.")
    static final class Show implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        Show(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withEndpoints(invocation, (endpoints, actor) -> {
                printEndpoint(invocation.out(), format.json, endpoints.getEndpoint(actor, name));
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an endpoint with its rollouts.")
    static final class Delete implements Callable<Integer> {
        private final Invocation invocation;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        Delete(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withEndpoints(invocation, (endpoints, actor) -> {
                endpoints.deleteEndpoint(actor, name);
                invocation.out().println("deleted endpoint " + name);
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Make VARIANT the active side of blue-green endpoint NAME (a switch, or a switch back).")
    static final class Switch implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Parameters(index = "1", paramLabel = "VARIANT")
        private String variant;

        Switch(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withEndpoints(invocation, (endpoints, actor) -> {
                printEndpoint(invocation.out(), format.json, endpoints.switchTo(actor, name, variant));
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Copy a share of NAME's requests to a variant (VARIANT:PERCENT), or stop (off).")
    static final class ShadowCommand implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Parameters(index = "1", paramLabel = "VARIANT:PERCENT|off")
        private String shadow;

        ShadowCommand(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            Shadow wanted = shadow.equals("off") ? null : shadow(shadow);
            return withEndpoints(invocation, (endpoints, actor) -> {
                // made on the version just read: a change in between is refused (409), not undone
                long version = endpoints.getEndpoint(actor, name).version();
                printEndpoint(invocation.out(), format.json, endpoints.updateShadow(actor, name, version, wanted));
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true, description = "Start and steer a canary rollout.",
            synopsisSubcommandLabel = "(start | promote | abort | pause | resume)")
    static final class CanaryCommand {

        @Command(name = "start", mixinStandardHelpOptions = true,
                description = "Start a canary on NAME: the variant takes each step's share while the guardrails hold.")
        static final class Start implements Callable<Integer> {
            private final Invocation invocation;
            @Mixin
            private OutputFormat format;
            @Parameters(index = "0", paramLabel = "NAME")
            private String name;
            @Option(names = "--variant", required = true, paramLabel = "VARIANT[=MODEL_URI]",
                    description = "the canary: a variant of the endpoint, or a new one with its model (green=models:/churn/4)")
            private String variant;
            @Option(names = "--steps", required = true, paramLabel = "P1,P2,...",
                    description = "the canary's share at each step, in percent, increasing (10,25,50,100)")
            private String steps;
            @Option(names = "--step-duration", paramLabel = "DURATION", defaultValue = "60s",
                    description = "how long each step lasts before its analysis (default ${DEFAULT-VALUE}; 1s to 24h)")
            private String stepDuration;
            @Option(names = "--min-requests", paramLabel = "N", defaultValue = "100",
                    description = "requests a step needs as evidence (default ${DEFAULT-VALUE})")
            private long minRequests;
            @Option(names = "--inconclusive-limit", paramLabel = "N", defaultValue = "3",
                    description = "checks in a row without enough evidence before the rollout pauses (default ${DEFAULT-VALUE})")
            private int inconclusiveLimit;
            @Option(names = "--max-error-rate", paramLabel = "RATE",
                    description = "roll back above this error rate: a fraction (0.01) or a percentage (1%); "
                            + "0.01 when no guardrail is given")
            private String maxErrorRate;
            @Option(names = "--max-p99", paramLabel = "DURATION", description = "roll back above this p99 latency (250ms)")
            private String maxP99;

            Start(Invocation invocation) {
                this.invocation = invocation;
            }

            @Override
            public Integer call() {
                List<Double> weights = percentages("--steps", steps);
                Double errorPercent = null;
                if (maxErrorRate != null) {
                    errorPercent = errorPercent(maxErrorRate);
                } else if (maxP99 == null) {
                    errorPercent = 1.0; // no guardrail named: hold the error rate to 1%
                }
                Guardrails guardrails = new Guardrails(errorPercent, maxP99 == null ? null : duration("--max-p99", maxP99),
                        List.of());
                CanaryAnalysis analysis = new CanaryAnalysis(duration("--step-duration", stepDuration), minRequests,
                        inconclusiveLimit, guardrails);
                return withEndpoints(invocation, (endpoints, actor) -> {
                    Variant canary = variant.contains("=") ? variant(variant)
                            : endpoints.getEndpoint(actor, name).variant(variant);
                    Rollout rollout = endpoints.startCanary(actor, name, new CanaryStart(canary, weights, analysis));
                    printRollout(invocation.out(), format.json, rollout);
                    return ExitCode.OK.value();
                });
            }
        }

        /** promote, abort, pause, resume: one command each, the same shape. */
        @Command(mixinStandardHelpOptions = true)
        static final class Step implements Callable<Integer> {
            private final String action;
            private final Invocation invocation;
            @Mixin
            private OutputFormat format;
            @Parameters(index = "0", paramLabel = "NAME")
            private String name;
            @Option(names = "--reason", paramLabel = "TEXT", description = "why (abort and pause)")
            private String reason;

            Step(String action, Invocation invocation) {
                this.action = action;
                this.invocation = invocation;
            }

            @Override
            public Integer call() {
                if (reason != null && (action.equals("promote") || action.equals("resume"))) {
                    throw KeelException.invalid("'--reason' goes with abort and pause, not with " + action);
                }
                return withEndpoints(invocation, (endpoints, actor) -> {
                    Rollout rollout = switch (action) {
                        case "promote" -> endpoints.promote(actor, name);
                        case "abort" -> endpoints.abort(actor, name, reason);
                        case "pause" -> endpoints.pause(actor, name, reason);
                        default -> endpoints.resume(actor, name);
                    };
                    printRollout(invocation.out(), format.json, rollout);
                    return ExitCode.OK.value();
                });
            }
        }
    }

    @Command(name = "rollout", mixinStandardHelpOptions = true,
            description = "Show NAME's latest rollout: status, history, and the rollback report if it rolled back.")
    static final class RolloutCommand implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        RolloutCommand(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return withEndpoints(invocation, (endpoints, actor) -> {
                printRollout(invocation.out(), format.json, endpoints.getRollout(actor, name));
                return ExitCode.OK.value();
            });
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare variants A and B of NAME on a metric, with a significance test of the difference.")
    static final class Compare implements Callable<Integer> {
        private final Invocation invocation;
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Parameters(index = "1", paramLabel = "A")
        private String a;
        @Parameters(index = "2", paramLabel = "B")
        private String b;
        @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "error_rate",
                description = "error_rate, latency or signal:NAME (default ${DEFAULT-VALUE})")
        private String metric;

        Compare(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            ComparedMetric parsed = ComparedMetric.parse("--metric", metric);
            return withEndpoints(invocation, (endpoints, actor) -> {
                VariantComparison comparison = endpoints.compareVariants(actor, name, a, b, parsed);
                if (format.json) {
                    Map<String, Object> document = new LinkedHashMap<>();
                    document.put("comparison", comparison);
                    document.put("totals", totals(endpoints.variantTotals(actor, name)));
                    print(invocation.out(), document);
                    return ExitCode.OK.value();
                }
                PrintStream out = invocation.out();
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
                return ExitCode.OK.value();
            });
        }

        private static Map<String, TotalsBody> totals(Map<String, dev.keel.api.serving.Totals> totals) {
            Map<String, TotalsBody> bodies = new LinkedHashMap<>();
            totals.forEach((variant, value) -> bodies.put(variant, TotalsBody.of(value)));
            return bodies;
        }
    }

    private static int withEndpoints(Invocation invocation, BiFunction<EndpointService, Actor, Integer> work) {
        try (Keel session = KeelSession.open(invocation.env())) {
            Actor actor = session instanceof KeelPlatform embedded
                    ? ApprovalsCommand.actor(embedded, invocation.env()) : Actor.LOCAL; // a server decides itself
            return work.apply(session.endpoints(), actor);
        }
    }

    // parsing what people type

    /** {@code NAME=MODEL_URI}. */
    static Variant variant(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw KeelException.invalid("'--variant' must be NAME=MODEL_URI, such as blue=models:/churn/3 (got '"
                    + shorten(text) + "')");
        }
        return Variant.of(text.substring(0, equals), text.substring(equals + 1));
    }

    /** single:V | blue-green:ACTIVE,STANDBY | ab:V1=50,V2=50. */
    static TrafficPolicy policy(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (kind) {
            case "single" -> {
                return new Single(rest);
            }
            case "blue-green", "blue_green" -> {
                String[] sides = rest.split(",", -1);
                if (sides.length != 2) {
                    throw KeelException.invalid("'--policy' blue-green takes ACTIVE,STANDBY (got '" + shorten(rest) + "')");
                }
                return new BlueGreen(sides[0], sides[1], Duration.ofMinutes(10));
            }
            case "ab", "ab_test" -> {
                Map<String, Double> weights = new LinkedHashMap<>();
                for (String pair : rest.split(",", -1)) {
                    int equals = pair.indexOf('=');
                    if (equals <= 0) {
                        throw KeelException.invalid("'--policy' ab takes V1=50,V2=50 (got '" + shorten(rest) + "')");
                    }
                    weights.put(pair.substring(0, equals), number("--policy", pair.substring(equals + 1)));
                }
                return new AbTest(weights);
            }
            default -> throw KeelException.invalid("'--policy' must be single:VARIANT, blue-green:ACTIVE,STANDBY or "
                    + "ab:V1=50,V2=50 (got '" + shorten(text) + "')");
        }
    }

    /** {@code VARIANT:PERCENT}. */
    static Shadow shadow(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw KeelException.invalid("the shadow must be VARIANT:PERCENT, such as green:10, or off (got '"
                    + shorten(text) + "')");
        }
        return new Shadow(text.substring(0, colon), number("shadow percent", text.substring(colon + 1)));
    }

    static List<Double> percentages(String option, String text) {
        List<Double> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            values.add(number(option, part));
        }
        return values;
    }

    /** A fraction (0.01) or a percentage (1%), as a percentage. */
    static double errorPercent(String text) {
        String trimmed = text.strip();
        if (trimmed.endsWith("%")) {
            return number("--max-error-rate", trimmed.substring(0, trimmed.length() - 1));
        }
        double fraction = number("--max-error-rate", trimmed);
        if (fraction < 0 || fraction > 1) {
            throw KeelException.invalid("'--max-error-rate' must be a fraction from 0 to 1, or a percentage such as 1% "
                    + "(got '" + shorten(text) + "')");
        }
        return fraction * 100;
    }

    /** {@code 250ms}, {@code 60s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT1M}). */
    static Duration duration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, Math.max(0, t.length() - 1)));
            switch (t.charAt(t.length() - 1)) {
                case 's' -> {
                    return Duration.ofSeconds(amount);
                }
                case 'm' -> {
                    return Duration.ofMinutes(amount);
                }
                case 'h' -> {
                    return Duration.ofHours(amount);
                }
                default -> {
                    // answered below
                }
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // answered below
        }
        throw KeelException.invalid("'" + option + "' must be a duration such as 250ms, 60s, 5m or 1h (got '"
                + shorten(text) + "')");
    }

    private static double number(String option, String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'" + option + "' needs numbers (got '" + shorten(text) + "')");
    }

    private static String shorten(String text) {
        return Cells.shorten(text, 64);
    }

    // printing

    private static void print(PrintStream out, Object document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the answer as JSON", e);
        }
    }

    static String describe(TrafficPolicy policy) {
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

    private static void printEndpoint(PrintStream out, boolean json, Endpoint endpoint) {
        if (json) {
            print(out, EndpointBody.of(endpoint));
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

    static void printRollout(PrintStream out, boolean json, Rollout rollout) {
        if (json) {
            print(out, RolloutBody.of(rollout));
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
}
