package dev.keel.server.http;

import dev.keel.api.registry.RegistryLimits;
import dev.keel.core.ArtifactPath;
import dev.keel.core.FileTrees;
import dev.keel.core.KeelException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A model directory as it travels over HTTP: a zip archive streamed in the request body and
 * unpacked into a fresh temporary directory, which the registry then hashes and stores. Every
 * entry name is checked as an {@link ArtifactPath} first, so no entry can be written outside
 * the directory (absolute names, {@code ..}, backslashes), and an archive that names one file
 * twice or holds more files than a version may have is refused.
 */
final class ModelArchive implements AutoCloseable {
    private final Path directory;

    private ModelArchive(Path directory) {
        this.directory = directory;
    }

    /** Unpacks {@code zip}; the caller closes the result, which deletes the directory. */
    static ModelArchive unpack(InputStream zip) throws IOException {
        ModelArchive archive = new ModelArchive(Files.createTempDirectory("keel-model-upload-"));
        try {
            archive.fill(zip);
            return archive;
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    private void fill(InputStream zip) throws IOException {
        int files = 0;
        try (ZipInputStream entries = new ZipInputStream(zip)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                ArtifactPath path = ArtifactPath.of(entry.getName());
                if (path.isRoot()) {
                    continue;
                }
                Path target = directory.resolve(path.value()).normalize();
                if (!target.startsWith(directory)) {
                    throw KeelException.invalid("archive entry '" + entry.getName() + "' leads out of the model directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (++files > RegistryLimits.MAX_FILES) {
                    throw KeelException.invalid("the archive holds more than " + RegistryLimits.MAX_FILES
                            + " files, the most a model version may have");
                }
                Files.createDirectories(target.getParent());
                try {
                    Files.copy(entries, target);
                } catch (FileAlreadyExistsException e) {
                    throw KeelException.invalid("archive entry '" + path.value() + "' appears more than once");
                }
            }
        } catch (ZipException e) {
            throw KeelException.invalid("the request body must be a zip archive of the model directory: " + e.getMessage());
        } catch (EOFException e) {
            throw KeelException.invalid("the zip archive of the model directory ended before its last file was whole");
        }
    }

    @Override
    public void close() {
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the unpacked upload " + directory, e);
        }
    }
}
