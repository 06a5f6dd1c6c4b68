package dev.keel.registry.approval;

import dev.keel.api.registry.flavor.Signature;

/**
 * The manifest records the model's input/output signature (names, types, shapes), so whoever
 * serves or reviews the model knows what it takes and gives back.
 */
public record SignaturePresent() implements Check {
    @Override
    public String describe() {
        return "signature_present";
    }

    @Override
    public CheckResult evaluate(CheckContext context) {
        Signature signature = context.manifest().signature();
        if (signature == null) {
            return CheckResult.failed(this, "the manifest records no input/output signature");
        }
        String counted = Figures.count(signature.inputs().size(), "input") + " and "
                + Figures.count(signature.outputs().size(), "output");
        if (signature.inputs().isEmpty() || signature.outputs().isEmpty()) {
            return CheckResult.failed(this, "the manifest's signature has " + counted + "; it needs at least one of each");
        }
        return CheckResult.passed(this, "the manifest records a signature with " + counted);
    }
}
