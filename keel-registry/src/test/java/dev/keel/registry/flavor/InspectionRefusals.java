package dev.keel.registry.flavor;

import dev.keel.core.ErrorCode;

import static dev.keel.store.Failures.assertFails;

/** How a flavor test checks a refused upload: a bad-parameter failure whose message names what was wrong. */
final class InspectionRefusals {
    private InspectionRefusals() {
    }

    /** Inspecting {@code files} fails with INVALID_PARAMETER_VALUE, the message holding each of {@code inMessage}. */
    static void assertRefused(ModelFiles files, String... inMessage) {
        assertFails(() -> ModelInspector.inspect(files), ErrorCode.INVALID_PARAMETER_VALUE, inMessage);
    }
}
