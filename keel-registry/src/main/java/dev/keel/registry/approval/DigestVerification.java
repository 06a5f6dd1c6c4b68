package dev.keel.registry.approval;

import dev.keel.api.registry.ModelManifest;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.util.Objects;
import java.util.function.Supplier;

/** What re-hashing a version's files found, as the {@link DigestsVerified} check reads it. */
public sealed interface DigestVerification {

    /** Every file matched; {@code files} is how many were read. */
    record Verified(int files) implements DigestVerification {
    }

    /** A file no longer matches (or cannot be read); {@code reason} names it. */
    record Mismatch(String reason) implements DigestVerification {
        public Mismatch {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Runs {@code verify} (typically {@code () -> registry.verifyVersion(actor, name, version)}):
     * a digest mismatch, which the registry reports as RESOURCE_CONFLICT, becomes a {@link Mismatch};
     * any other error (no such version, no permission) is not a verdict on the files and is rethrown.
     */
    static DigestVerification of(Supplier<ModelManifest> verify) {
        try {
            return new Verified(verify.get().files().size());
        } catch (KeelException e) {
            if (e.code() == ErrorCode.RESOURCE_CONFLICT) {
                return new Mismatch(e.getMessage());
            }
            throw e;
        }
    }
}
