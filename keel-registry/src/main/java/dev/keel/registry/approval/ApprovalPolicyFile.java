package dev.keel.registry.approval;

import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.card.CardSection;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an approval policy's YAML strictly: every key must be known, every tier present,
 * every check well formed. Errors name the file, the tier and the check (counted from 1), so
 * whoever wrote the file finds the line to fix.
 */
final class ApprovalPolicyFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String CHECK_NAMES = "card_sections, metric, fairness, signature_present, digests_verified";
    private static final Set<String> FAIRNESS_KEYS = Set.of("metric", "attribute", "min", "max", "privileged_group");

    private final String source;

    ApprovalPolicyFile(String source) {
        this.source = source;
    }

    ApprovalPolicy read(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw error(null, -1, "the file is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw error(null, -1, "the file is empty; expected 'tiers' with low, medium and high");
        }
        if (!root.isObject()) {
            throw error(null, -1, "the file must be a mapping with 'tiers'");
        }
        onlyKeys(root, Set.of("tiers", "gate"), null, -1, "the top level");
        JsonNode tiers = root.get("tiers");
        if (tiers == null || !tiers.isObject()) {
            throw error(null, -1, "the file needs 'tiers', a mapping with low, medium and high");
        }
        Map<RiskTier, TierPolicy> policies = new EnumMap<>(RiskTier.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = tiers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            RiskTier tier;
            try {
                tier = RiskTier.parse(entry.getKey());
            } catch (KeelException e) {
                throw error(null, -1, "unknown tier '" + entry.getKey() + "'; expected low, medium and high");
            }
            if (policies.containsKey(tier)) {
                throw error(name(tier), -1, "the tier is set twice");
            }
            policies.put(tier, tier(name(tier), entry.getValue()));
        }
        for (RiskTier tier : RiskTier.values()) {
            if (!policies.containsKey(tier)) {
                throw error(null, -1, "missing tier '" + name(tier) + "'; a policy sets low, medium and high");
            }
        }
        return new ApprovalPolicy(source, policies, gate(root.get("gate")));
    }

    /** {@code gate: {enabled: auto, protected_aliases: [champion]}}; absent (or without 'enabled') means auto. */
    private ApprovalGate gate(JsonNode node) {
        if (node == null || node.isNull()) {
            return ApprovalGate.AUTO;
        }
        if (!node.isObject()) {
            throw error(null, -1, "'gate' must be a mapping, as in 'gate: {enabled: auto, protected_aliases: [champion]}'");
        }
        onlyKeys(node, Set.of("enabled", "protected_aliases"), null, -1, "'gate'");
        ApprovalGate.Mode mode = mode(node.get("enabled"));
        JsonNode aliases = node.get("protected_aliases");
        if (aliases == null || aliases.isNull()) {
            return new ApprovalGate(mode, ApprovalGate.DEFAULT_PROTECTED_ALIASES);
        }
        if (!aliases.isArray()) {
            throw error(null, -1, "'gate.protected_aliases' must be a list of aliases");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode alias : aliases) {
            if (!alias.isTextual()) {
                throw error(null, -1, "'gate.protected_aliases' lists alias names, got " + abbreviate(alias));
            }
            try {
                names.add(dev.keel.api.registry.AliasName.requireValid(alias.textValue()));
            } catch (KeelException e) {
                throw error(null, -1, "'gate.protected_aliases': " + e.getMessage());
            }
        }
        return new ApprovalGate(mode, names);
    }

    /** true, false or auto (YAML may hand auto over as a string, true and false as booleans or strings). */
    private ApprovalGate.Mode mode(JsonNode enabled) {
        if (enabled == null || enabled.isNull()) {
            return ApprovalGate.Mode.AUTO;
        }
        if (enabled.isBoolean()) {
            return enabled.booleanValue() ? ApprovalGate.Mode.ON : ApprovalGate.Mode.OFF;
        }
        if (enabled.isTextual()) {
            switch (enabled.textValue().strip().toLowerCase(Locale.ROOT)) {
                case "true":
                    return ApprovalGate.Mode.ON;
                case "false":
                    return ApprovalGate.Mode.OFF;
                case "auto":
                    return ApprovalGate.Mode.AUTO;
                default:
                    break;
            }
        }
        throw error(null, -1, "'gate.enabled' must be true, false or auto, got " + abbreviate(enabled));
    }

    static String name(RiskTier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }

    private TierPolicy tier(String tier, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw error(tier, -1, "the tier must be a mapping with 'approvers' and 'checks'");
        }
        onlyKeys(node, Set.of("approvers", "checks"), tier, -1, "a tier");
        JsonNode approvers = node.get("approvers");
        if (approvers == null || !approvers.isIntegralNumber() || !approvers.canConvertToInt()) {
            throw error(tier, -1, "'approvers' must be a whole number from 1 to " + TierPolicy.MAX_APPROVERS
                    + (approvers == null ? "; it is missing" : ", got " + approvers));
        }
        JsonNode checksNode = node.get("checks");
        List<Check> checks = new ArrayList<>();
        if (checksNode != null && !checksNode.isNull()) {
            if (!checksNode.isArray()) {
                throw error(tier, -1, "'checks' must be a list");
            }
            for (int i = 0; i < checksNode.size(); i++) {
                Check check;
                try {
                    check = check(checksNode.get(i));
                } catch (KeelException e) {
                    throw error(tier, i, e.getMessage());
                }
                int earlier = checks.indexOf(check);
                if (earlier >= 0) {
                    throw error(tier, i, "repeats check " + (earlier + 1) + " (" + check.describe() + ")");
                }
                checks.add(check);
            }
        }
        try {
            return new TierPolicy(approvers.intValue(), checks);
        } catch (KeelException e) {
            throw error(tier, -1, e.getMessage());
        }
    }

    private Check check(JsonNode node) {
        if (node.isTextual()) {
            String word = node.textValue().strip();
            return switch (word) {
                case "signature_present" -> new SignaturePresent();
                case "digests_verified" -> new DigestsVerified();
                case "card_sections", "metric", "fairness" -> throw KeelException.invalid("'" + word + "' needs a value, as in "
                        + example(word));
                default -> throw KeelException.invalid("unknown check '" + word + "'; expected one of " + CHECK_NAMES);
            };
        }
        if (!node.isObject() || node.size() != 1) {
            throw KeelException.invalid("a check is one key with its value (card_sections, metric, fairness) or one word "
                    + "(signature_present, digests_verified), got " + abbreviate(node));
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        return switch (key) {
            case "card_sections" -> cardSections(value);
            case "metric" -> {
                if (!value.isTextual()) {
                    throw KeelException.invalid("'metric' must be a quoted expression, as in " + example("metric"));
                }
                yield MetricThreshold.parse(value.textValue());
            }
            case "fairness" -> fairness(value);
            case "signature_present", "digests_verified" -> throw KeelException.invalid("'" + key
                    + "' takes no value; write it as '- " + key + "'");
            default -> throw KeelException.invalid("unknown check '" + key + "'; expected one of " + CHECK_NAMES);
        };
    }

    private static Check cardSections(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            throw KeelException.invalid("'card_sections' must be a non-empty list, as in " + example("card_sections"));
        }
        List<CardSection> sections = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw KeelException.invalid("'card_sections' lists section names, got " + abbreviate(item));
            }
            sections.add(CardSection.parse(item.textValue()));
        }
        return new RequiredCardSections(sections);
    }

    private static Check fairness(JsonNode value) {
        if (!value.isObject()) {
            throw KeelException.invalid("'fairness' must be a mapping, as in " + example("fairness"));
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FAIRNESS_KEYS.contains(name)) {
                throw KeelException.invalid("unknown fairness key '" + name + "'; expected metric, attribute, min, max, privileged_group");
            }
        }
        JsonNode metric = value.get("metric");
        if (metric == null || !metric.isTextual()) {
            throw KeelException.invalid("'fairness' needs 'metric', one of demographic_parity_difference, "
                    + "disparate_impact_ratio, equalized_odds_difference, equal_opportunity_difference");
        }
        FairnessMetric parsed = FairnessMetric.parse(metric.textValue());
        JsonNode attribute = value.get("attribute");
        if (attribute == null || !attribute.isTextual() || attribute.textValue().isBlank()) {
            throw KeelException.invalid("'fairness' needs 'attribute', the sensitive attribute whose groups are compared");
        }
        JsonNode privileged = value.get("privileged_group");
        if (privileged != null && !privileged.isTextual()) {
            throw KeelException.invalid("'privileged_group' must be a group name, got " + abbreviate(privileged));
        }
        return new FairnessBound(parsed, attribute.textValue(), bound(value, "min"), bound(value, "max"),
                privileged == null ? null : privileged.textValue());
    }

    private static Double bound(JsonNode fairness, String key) {
        JsonNode node = fairness.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw KeelException.invalid("fairness '" + key + "' must be a number, got " + abbreviate(node));
        }
        return node.doubleValue();
    }

    private void onlyKeys(JsonNode node, Set<String> allowed, String tier, int index, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error(tier, index, "unknown key '" + name + "' in " + where + "; expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private KeelException error(String tier, int checkIndex, String message) {
        StringBuilder where = new StringBuilder("approval policy ").append(source);
        if (tier != null) {
            where.append(", tier '").append(tier).append("'");
        }
        if (checkIndex >= 0) {
            where.append(", check ").append(checkIndex + 1);
        }
        return KeelException.invalid(where + ": " + message);
    }

    private static String example(String check) {
        return switch (check) {
            case "card_sections" -> "'card_sections: [intended_use, ethical_considerations]'";
            case "metric" -> "'metric: \"metrics.auc >= 0.80\"'";
            default -> "'fairness: {metric: demographic_parity_difference, attribute: home_ownership, max: 0.1}'";
        };
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
