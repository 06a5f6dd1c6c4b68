package dev.keel.core;

import java.util.Locale;

/**
 * Something permissions are granted on: an experiment (by id; its runs belong to it) or a
 * registered model (by name; its versions belong to it).
 */
public record Resource(Kind kind, String id) {
    public enum Kind {
        EXPERIMENT,
        REGISTERED_MODEL;

        /** For messages: "experiment", "registered model". */
        public String noun() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** A kind from its name in any case ({@code experiment}, {@code registered_model}), or a 400. */
        public static Kind parse(String field, String name) {
            Checks.requireNonBlank(field, name);
            return Checks.named(values(), Enum::name, name).orElseThrow(() -> KeelException.invalid(
                    "'" + field + "' must be EXPERIMENT or REGISTERED_MODEL (got '" + name + "')"));
        }
    }

    public Resource {
        Checks.requireNonNull("resource kind", kind);
        Checks.requireText("resource id", id, 256);
    }

    public static Resource experiment(String experimentId) {
        return new Resource(Kind.EXPERIMENT, experimentId);
    }

    public static Resource model(String name) {
        return new Resource(Kind.REGISTERED_MODEL, name);
    }

    /** The audit trail's path for it ({@code experiment/1}, {@code model/churn}). */
    public String path() {
        return (kind == Kind.EXPERIMENT ? "experiment/" : "model/") + id;
    }

    @Override
    public String toString() {
        return kind.noun() + " '" + id + "'";
    }
}
