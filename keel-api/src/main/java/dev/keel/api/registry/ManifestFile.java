package dev.keel.api.registry;

import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelException;

/** One file of a model version: its path inside the version, its SHA-256 and its size. */
public record ManifestFile(String path, String sha256, long size) {
    public ManifestFile {
        ArtifactPath checked = ArtifactPath.of(path);
        if (checked.isRoot()) {
            throw KeelException.invalid("a model file needs a path");
        }
        path = checked.value();
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw KeelException.invalid("the sha256 of model file '" + path + "' must be 64 lowercase hex characters");
        }
        if (size < 0) {
            throw KeelException.invalid("the size of model file '" + path + "' must not be negative");
        }
    }
}
