package dev.keel.api.serving;

import dev.keel.core.Checks;

/** One model an endpoint can send requests to, under a name stable across model versions ({@code blue}, {@code canary}). */
public record Variant(String name, ModelReference model) {
    public Variant {
        ServingName.requireValid("variant name", name);
        Checks.requireNonNull("variant model", model);
    }

    /** A variant from the model URI people write ({@code models:/churn/3}, {@code models:/churn@champion}). */
    public static Variant of(String name, String modelUri) {
        return new Variant(name, ModelReference.parse("variant model", modelUri));
    }
}
