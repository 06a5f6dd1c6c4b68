package dev.keel.registry;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelDirectory;
import dev.keel.api.registry.RegistryLimits;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ArtifactStore;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.StoredBlob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Brings a version's files into the content-addressed artifact store — from a run's artifacts or
 * from a directory — and returns them with their digests, sorted by path. Streaming each file
 * through {@link ArtifactStore#put} hashes it and stores identical bytes once.
 */
final class VersionFiles {
    private VersionFiles() {
    }

    /** Every file under {@code source.path()} in the run's artifacts, recursively, relative to that path. */
    static List<ManifestFile> fromRun(TrackingService tracking, Actor actor, RunArtifactSource source,
                                      ArtifactStore artifacts) {
        List<String> found = new ArrayList<>();
        collect(tracking, actor, source.runId(), source.path(), found);
        List<ManifestFile> files = new ArrayList<>();
        if (found.isEmpty()) {
            if (source.path().isRoot()) {
                throw KeelException.invalid("'source' names the artifacts of run '" + source.runId()
                        + "', which holds no files");
            }
            // the source may name a single file rather than a directory
            try (InputStream in = tracking.openArtifact(actor, source.runId(), source.path())) {
                files.add(file(source.path().fileName(), artifacts.put(in)));
            } catch (KeelException e) {
                if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    throw KeelException.invalid("'source' path '" + source.path() + "' holds no files in run '"
                            + source.runId() + "'");
                }
                throw e;
            } catch (IOException e) {
                throw unreadable(source.path().value(), e);
            }
            return files;
        }
        requireFew(found.size());
        int prefix = source.path().isRoot() ? 0 : source.path().value().length() + 1;
        for (String path : found) {
            try (InputStream in = tracking.openArtifact(actor, source.runId(), ArtifactPath.of(path))) {
                files.add(file(path.substring(prefix), artifacts.put(in)));
            } catch (IOException e) {
                throw unreadable(path, e);
            }
        }
        return sorted(files);
    }

    private static void collect(TrackingService tracking, Actor actor, String runId, ArtifactPath directory,
                                List<String> found) {
        for (ArtifactEntry entry : tracking.listArtifacts(actor, runId, directory)) {
            if (entry.isDir()) {
                collect(tracking, actor, runId, ArtifactPath.of(entry.path()), found);
            } else {
                found.add(entry.path());
                requireFew(found.size());
            }
        }
    }

    /** Every regular file of the directory (see {@link ModelDirectory}), streamed into the store. */
    static List<ManifestFile> fromDirectory(Path directory, ArtifactStore artifacts) {
        ModelDirectory model = ModelDirectory.read(directory);
        List<ManifestFile> files = new ArrayList<>();
        for (Path file : model.files()) {
            String name = model.nameOf(file);
            try (InputStream in = Files.newInputStream(file)) {
                files.add(file(name, artifacts.put(in)));
            } catch (IOException e) {
                throw unreadable(name, e);
            }
        }
        return sorted(files);
    }

    /** Refuses the registration, naming the file, when the caller's digests disagree with the bytes. */
    static void requireExpected(List<ManifestFile> files, Map<String, String> expected) {
        for (Map.Entry<String, String> entry : expected.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            ManifestFile file = files.stream().filter(f -> f.path().equals(entry.getKey())).findFirst()
                    .orElseThrow(() -> KeelException.invalid("model file '" + entry.getKey()
                            + "' has an expected sha256 but is not among the source's files"));
            if (!file.sha256().equals(entry.getValue())) {
                throw KeelException.invalid("model file '" + file.path() + "' hashes to " + file.sha256()
                        + ", not to the expected sha256 " + entry.getValue());
            }
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static ManifestFile file(String path, StoredBlob blob) {
        return new ManifestFile(path, blob.sha256(), blob.size());
    }

    private static List<ManifestFile> sorted(List<ManifestFile> files) {
        return files.stream().sorted(Comparator.comparing(ManifestFile::path)).toList();
    }

    private static void requireFew(int count) {
        if (count > RegistryLimits.MAX_FILES) {
            throw KeelException.invalid("a model version holds at most " + RegistryLimits.MAX_FILES + " files");
        }
    }

    private static KeelException unreadable(String path, IOException e) {
        return KeelException.invalid("model file '" + path + "' could not be read: " + e.getMessage());
    }
}
