package dev.keel.serving.runtime;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.core.ErrorCode;
import dev.keel.core.FileTrees;
import dev.keel.core.KeelException;
import dev.keel.core.VerifyingInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A model version's files on local disk, laid out as in the version, so ONNX Runtime can open a
 * model by path (and find the external weight files it names beside it).
 *
 * <p>Every load checks every file against the manifest's SHA-256 and size: a cached copy is
 * re-hashed, and a copy that no longer matches (a disk fault, someone editing the cache) is
 * thrown away and fetched again; a fresh copy is hashed as it is written and refused, naming the
 * file, if it does not match. Copies are written to a temporary directory and renamed into place,
 * so a reader — this process or another sharing the cache — never sees half a version. The
 * directory of a version is named after its model, its number and a digest of its manifest, so a
 * version deleted and registered again with other files never meets the old copy. Nothing is
 * deleted when a model is unloaded from memory: reloading it from disk is the cheap path.
 */
final class ModelFileCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFileCache.class);

    /** Opens one file of the version, by its path in the manifest. */
    @FunctionalInterface
    interface Fetch {
        InputStream open(String path) throws IOException;
    }

    private final Path root;

    ModelFileCache(Path root) {
        this.root = root;
    }

    /**
     * The directory holding the version's files, each verified against {@code manifest}.
     * {@code verifySource} runs before a fetch (the registry's own check, naming a tampered file).
     */
    Path materialize(ModelKey key, ModelManifest manifest, Runnable verifySource, Fetch fetch) {
        Path directory = directoryOf(key, manifest);
        if (Files.isDirectory(directory)) {
            String problem = problemWith(directory, manifest);
            if (problem == null) {
                return directory;
            }
            LOG.warn("the cached copy of {} in {} is damaged ({}); fetching it again", key, directory, problem);
            deleteTree(directory);
        }
        verifySource.run();
        Path partial;
        try {
            Files.createDirectories(directory.getParent());
            partial = Files.createTempDirectory(directory.getParent(), ".fetching-");
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "the model cache " + root + " cannot be written: "
                    + e.getMessage(), e);
        }
        try {
            for (ManifestFile file : manifest.files()) {
                copy(key, file, partial, fetch);
            }
            moveIntoPlace(partial, directory);
        } finally {
            deleteTree(partial);
        }
        return directory;
    }

    private void copy(ModelKey key, ManifestFile file, Path into, Fetch fetch) {
        Path target = inside(into, file.path());
        MessageDigest digest = VerifyingInputStream.sha256();
        long size = 0;
        try {
            Files.createDirectories(target.getParent());
            try (InputStream in = fetch.open(file.path()); OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "model file '" + file.path() + "' of " + key
                    + " could not be copied into the model cache: " + e.getMessage(), e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(file.sha256()) || size != file.size()) {
            throw tampered(key, file, "it arrived as " + size + " bytes hashing to " + actual);
        }
    }

    /** Null when every file is there with its manifest digest; otherwise what is wrong. */
    private static String problemWith(Path directory, ModelManifest manifest) {
        byte[] buffer = new byte[64 * 1024];
        for (ManifestFile file : manifest.files()) {
            Path path = inside(directory, file.path());
            MessageDigest digest = VerifyingInputStream.sha256();
            try (InputStream in = Files.newInputStream(path)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                return "'" + file.path() + "' cannot be read: " + e.getMessage();
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(file.sha256())) {
                return "'" + file.path() + "' does not match its manifest digest";
            }
        }
        return null;
    }

    private static void moveIntoPlace(Path partial, Path directory) {
        try {
            Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another process fetched the same version first; its copy is checked on the next load
        } catch (AtomicMoveNotSupportedException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "the model cache " + directory.getParent()
                    + " cannot rename directories atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            if (!Files.isDirectory(directory)) {
                throw new KeelException(ErrorCode.INTERNAL_ERROR, "the model cache cannot hold " + directory + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private Path directoryOf(ModelKey key, ModelManifest manifest) {
        StringBuilder files = new StringBuilder();
        for (ManifestFile file : manifest.files()) {
            files.append(file.path()).append('\0').append(file.sha256()).append('\n');
        }
        return root.resolve(readable(key.name()) + "-" + sha256(key.name()).substring(0, 8))
                .resolve("v" + key.version() + "-" + sha256(files.toString()).substring(0, 16));
    }

    /** The name as a safe directory name; the hash beside it keeps distinct names apart. */
    private static String readable(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    /** A manifest path resolved inside {@code directory}; manifest paths are already checked relative paths. */
    private static Path inside(Path directory, String path) {
        Path resolved = directory.resolve(path).normalize();
        if (!resolved.startsWith(directory)) {
            throw KeelException.invalid("model file '" + path + "' would lie outside its version's directory");
        }
        return resolved;
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(VerifyingInputStream.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static KeelException tampered(ModelKey key, ManifestFile file, String why) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "model file '" + file.path() + "' of " + key
                + " does not match its manifest digest " + file.sha256() + ": " + why);
    }

    private static void deleteTree(Path directory) {
        try {
            FileTrees.delete(directory);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {} from the model cache: {}", directory, e.getMessage());
        }
    }
}
