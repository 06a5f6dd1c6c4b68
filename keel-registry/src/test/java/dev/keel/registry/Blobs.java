package dev.keel.registry;

import dev.keel.core.ArtifactStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damages a stored blob in place, as a disk fault or someone with access to the store would. */
public final class Blobs {
    private Blobs() {
    }

    /** Flips the first byte of the blob, keeping its size, in a local artifact store. */
    public static void corrupt(ArtifactStore artifacts, String sha256) throws IOException {
        Path file = Path.of(artifacts.describe(sha256));
        file.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 0x5a;
        Files.write(file, bytes);
    }
}
