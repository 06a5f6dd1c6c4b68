package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules that hold between an endpoint's parts: what each part alone cannot check. */
public final class EndpointRules {
    public static final int MAX_VARIANTS = 16;

    private EndpointRules() {
    }

    /** The variants, checked: 1 to 16, none null, names unique. */
    public static List<Variant> variants(List<Variant> variants) {
        Checks.requireNonNull("variants", variants);
        if (variants.isEmpty() || variants.size() > MAX_VARIANTS) {
            throw KeelException.invalid("'variants' must hold 1 to " + MAX_VARIANTS + " variants (got " + variants.size() + ")");
        }
        Set<String> names = new HashSet<>();
        List<Variant> checked = new ArrayList<>(variants.size());
        for (int i = 0; i < variants.size(); i++) {
            Variant variant = Checks.requireNonNull("variants[" + i + "]", variants.get(i));
            if (!names.add(variant.name())) {
                throw KeelException.invalid("'variants[" + i + "].name' repeats the variant name '" + variant.name() + "'");
            }
            checked.add(variant);
        }
        return List.copyOf(checked);
    }

    /** Every variant the policy and the shadow name is declared. */
    public static void references(List<Variant> variants, TrafficPolicy policy, Shadow shadow) {
        Checks.requireNonNull("policy", policy);
        Set<String> declared = new HashSet<>();
        variants.forEach(variant -> declared.add(variant.name()));
        for (String name : policy.variants()) {
            if (!declared.contains(name)) {
                throw KeelException.invalid("'policy' names variant '" + name + "', which the endpoint does not declare"
                        + " (variants: " + String.join(", ", names(variants)) + ")");
            }
        }
        if (shadow != null && !declared.contains(shadow.variant())) {
            throw KeelException.invalid("'shadow.variant' names variant '" + shadow.variant() + "', which the endpoint"
                    + " does not declare (variants: " + String.join(", ", names(variants)) + ")");
        }
    }

    /**
     * A shadow must not be a variant that answers live traffic: its copies would be compared with
     * its own answers. Checked when a person sets the shadow or the policy; a switch or a
     * promotion that later makes the shadow live is allowed (the router never mirrors a request
     * to the variant that answered it).
     */
    public static void shadowNotLive(TrafficPolicy policy, Shadow shadow) {
        if (shadow == null) {
            return;
        }
        Double share = policy.split().get(shadow.variant());
        if (share != null && share > 0) {
            throw KeelException.invalid("'shadow.variant' '" + shadow.variant() + "' answers live traffic under the "
                    + policy.kind() + " policy; a shadow must be a variant that does not");
        }
    }

    private static List<String> names(List<Variant> variants) {
        return variants.stream().map(Variant::name).toList();
    }
}
