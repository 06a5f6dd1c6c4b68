package dev.keel.core;

import java.io.InputStream;

/**
 * A content-addressed blob store: a blob's key is the SHA-256 of its bytes, so identical files
 * are stored once and every read can be verified. Which run or model a blob belongs to, and
 * under what path, is recorded by the capability that owns it, not here.
 */
public interface ArtifactStore {

    /** Streams {@code content} into the store (never wholly in memory) and returns its address. */
    StoredBlob put(InputStream content);

    /**
     * Opens a blob for reading. The stream verifies the digest as it is read and fails at the
     * end if the bytes on disk no longer match their address.
     */
    InputStream open(String sha256);

    boolean contains(String sha256);

    /** Where a blob lives, as the store sees it (a file path or an s3:// URI), for diagnostics. */
    String describe(String sha256);
}
