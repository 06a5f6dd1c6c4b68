package dev.keel.core;

/** A blob's address (lowercase hex SHA-256) and its size in bytes. */
public record StoredBlob(String sha256, long size) {
    public StoredBlob {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw KeelException.invalid("'sha256' must be 64 lowercase hex characters");
        }
        if (size < 0) {
            throw KeelException.invalid("'size' must not be negative");
        }
    }
}
