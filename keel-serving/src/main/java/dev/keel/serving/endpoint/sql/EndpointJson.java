package dev.keel.serving.endpoint.sql;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.api.serving.Verdict;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored shapes of an endpoint's definition, a canary plan and a rollback report, as JSON
 * text columns. Written and read here only; durations as ISO-8601 text (exact to the
 * nanosecond), instants as epoch milliseconds. Reading goes back through the records'
 * constructors, so a stored definition is checked like a new one.
 */
final class EndpointJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EndpointJson() {
    }

    /** An endpoint's variants, policy and shadow. */
    record Definition(List<Variant> variants, TrafficPolicy policy, Shadow shadow) {
    }

    static String definition(List<Variant> variants, TrafficPolicy policy, Shadow shadow) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("variants");
        for (Variant variant : variants) {
            list.addObject().put("name", variant.name()).put("model", variant.model().uri());
        }
        root.set("policy", policy(policy));
        if (shadow != null) {
            root.putObject("shadow").put("variant", shadow.variant()).put("percent", shadow.percent());
        }
        return text(root);
    }

    static Definition definition(String text) {
        JsonNode root = parse(text);
        List<Variant> variants = new ArrayList<>();
        for (JsonNode variant : root.get("variants")) {
            variants.add(new Variant(variant.get("name").asText(),
                    ModelReference.parse("variant model", variant.get("model").asText())));
        }
        JsonNode shadow = root.get("shadow");
        return new Definition(variants, policy(root.get("policy")),
                shadow == null || shadow.isNull() ? null
                        : new Shadow(shadow.get("variant").asText(), shadow.get("percent").asDouble()));
    }

    private static ObjectNode policy(TrafficPolicy policy) {
        ObjectNode node = JSON.createObjectNode().put("kind", policy.kind());
        if (policy instanceof Single single) {
            node.put("variant", single.variant());
        } else if (policy instanceof BlueGreen blueGreen) {
            node.put("active", blueGreen.active()).put("standby", blueGreen.standby())
                    .put("keep_warm", blueGreen.keepWarm().toString());
            if (blueGreen.lastSwitch() != null) {
                node.put("last_switch", blueGreen.lastSwitch().toEpochMilli());
            }
        } else if (policy instanceof Canary canary) {
            node.put("stable", canary.stable()).put("canary", canary.canary()).put("step", canary.step());
            ArrayNode steps = node.putArray("steps");
            canary.steps().forEach(steps::add);
            node.set("analysis", analysis(canary.analysis()));
        } else if (policy instanceof AbTest abTest) {
            ObjectNode weights = node.putObject("weights");
            abTest.weights().forEach(weights::put);
        }
        return node;
    }

    private static TrafficPolicy policy(JsonNode node) {
        String kind = node.get("kind").asText();
        switch (kind) {
            case "single":
                return new Single(node.get("variant").asText());
            case "blue_green":
                JsonNode lastSwitch = node.get("last_switch");
                return new BlueGreen(node.get("active").asText(), node.get("standby").asText(),
                        Duration.parse(node.get("keep_warm").asText()),
                        lastSwitch == null ? null : Instant.ofEpochMilli(lastSwitch.asLong()));
            case "canary":
                return new Canary(node.get("stable").asText(), node.get("canary").asText(), doubles(node.get("steps")),
                        node.get("step").asInt(), analysis(node.get("analysis")));
            case "ab_test":
                Map<String, Double> weights = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = node.get("weights").fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    weights.put(field.getKey(), field.getValue().asDouble());
                }
                return new AbTest(weights);
            default:
                throw new KeelException(ErrorCode.INTERNAL_ERROR, "a stored endpoint has an unknown policy '" + kind + "'");
        }
    }

    /** A canary plan: its steps and analysis. */
    static String plan(List<Double> steps, CanaryAnalysis analysis) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("steps");
        steps.forEach(list::add);
        root.set("analysis", analysis(analysis));
        return text(root);
    }

    static List<Double> planSteps(String text) {
        return doubles(parse(text).get("steps"));
    }

    static CanaryAnalysis planAnalysis(String text) {
        return analysis(parse(text).get("analysis"));
    }

    private static ObjectNode analysis(CanaryAnalysis analysis) {
        ObjectNode node = JSON.createObjectNode().put("interval", analysis.interval().toString())
                .put("min_samples", analysis.minSamples()).put("inconclusive_limit", analysis.inconclusiveLimit());
        Guardrails guardrails = analysis.guardrails();
        ObjectNode rails = node.putObject("guardrails");
        if (guardrails.maxErrorPercent() != null) {
            rails.put("max_error_percent", guardrails.maxErrorPercent());
        }
        if (guardrails.maxP99Latency() != null) {
            rails.put("max_p99_latency", guardrails.maxP99Latency().toString());
        }
        ArrayNode signals = rails.putArray("signals");
        for (SignalGuardrail signal : guardrails.signals()) {
            signals.addObject().put("signal", signal.signal()).put("bound", signal.bound().name())
                    .put("threshold", signal.threshold()).put("min_samples", signal.minSamples());
        }
        return node;
    }

    private static CanaryAnalysis analysis(JsonNode node) {
        JsonNode rails = node.get("guardrails");
        List<SignalGuardrail> signals = new ArrayList<>();
        for (JsonNode signal : rails.get("signals")) {
            signals.add(new SignalGuardrail(signal.get("signal").asText(),
                    SignalGuardrail.Bound.valueOf(signal.get("bound").asText()), signal.get("threshold").asDouble(),
                    signal.get("min_samples").asLong()));
        }
        JsonNode errors = rails.get("max_error_percent");
        JsonNode latency = rails.get("max_p99_latency");
        Guardrails guardrails = new Guardrails(errors == null ? null : errors.asDouble(),
                latency == null ? null : Duration.parse(latency.asText()), signals);
        return new CanaryAnalysis(Duration.parse(node.get("interval").asText()), node.get("min_samples").asLong(),
                node.get("inconclusive_limit").asInt(), guardrails);
    }

    static String report(RollbackReport report) {
        if (report == null) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode().put("reason", report.reason())
                .put("canary_weight", report.canaryWeight())
                .put("first_breach", report.firstBreachAt().toEpochMilli())
                .put("detected", report.detectedAt().toEpochMilli())
                .put("rolled_back", report.rolledBackAt().toEpochMilli());
        ArrayNode breaches = root.putArray("breaches");
        for (GuardrailCheck check : report.breaches()) {
            ObjectNode node = breaches.addObject().put("guardrail", check.guardrail()).put("bound", check.bound())
                    .put("samples", check.samples()).put("verdict", check.verdict().name());
            if (Double.isFinite(check.observed())) {
                node.put("observed", check.observed());
            }
            if (check.firstBreachAt() != null) {
                node.put("first_breach", check.firstBreachAt().toEpochMilli());
            }
        }
        return text(root);
    }

    static RollbackReport report(String text) {
        if (text == null) {
            return null;
        }
        JsonNode root = parse(text);
        List<GuardrailCheck> breaches = new ArrayList<>();
        for (JsonNode node : root.get("breaches")) {
            JsonNode observed = node.get("observed");
            JsonNode first = node.get("first_breach");
            breaches.add(new GuardrailCheck(node.get("guardrail").asText(),
                    observed == null ? Double.NaN : observed.asDouble(), node.get("bound").asDouble(),
                    node.get("samples").asLong(), Verdict.valueOf(node.get("verdict").asText()),
                    first == null ? null : Instant.ofEpochMilli(first.asLong())));
        }
        return new RollbackReport(root.get("reason").asText(), breaches, root.get("canary_weight").asDouble(),
                Instant.ofEpochMilli(root.get("first_breach").asLong()), Instant.ofEpochMilli(root.get("detected").asLong()),
                Instant.ofEpochMilli(root.get("rolled_back").asLong()));
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asDouble()));
        return values;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "a stored endpoint cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "cannot write an endpoint: " + e.getMessage(), e);
        }
    }
}
