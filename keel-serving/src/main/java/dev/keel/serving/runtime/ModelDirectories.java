package dev.keel.serving.runtime;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelDirectory;
import dev.keel.api.registry.ModelName;
import dev.keel.core.KeelException;
import dev.keel.registry.flavor.Inspection;
import dev.keel.registry.flavor.ModelFiles;
import dev.keel.registry.flavor.ModelInspector;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plain local model directories served without a registry ({@code keel serve --model ./dir}),
 * each under a name of its own and version 1. A directory is read the way the registry reads one
 * it registers — {@link ModelDirectory} (no link leading out of it) and {@link ModelInspector}
 * (MLmodel, or the one *.onnx / *.tribuo file; Java serialization refused) — so a directory that
 * serves here registers the same. There is no manifest to check digests against: whoever points
 * Keel at a directory vouches for its files.
 */
public final class ModelDirectories implements ModelSource {
    private final Map<String, Path> directories;
    private final RuntimeOptions options;
    private final Footprint footprint;

    public ModelDirectories(Map<String, Path> directories, RuntimeOptions options, Footprint footprint) {
        this.directories = new LinkedHashMap<>(directories);
        this.directories.keySet().forEach(name -> ModelName.requireValid("model", name));
        this.options = Objects.requireNonNull(options, "options");
        this.footprint = Objects.requireNonNull(footprint, "footprint");
    }

    /** The key a directory is served under. */
    public static ModelKey key(String name) {
        return new ModelKey(name, 1);
    }

    public List<ModelKey> keys() {
        return directories.keySet().stream().map(ModelDirectories::key).toList();
    }

    @Override
    public long footprintBytes(ModelKey key) {
        long bytes = 0;
        for (Path file : ModelDirectory.read(directory(key)).files()) {
            try {
                bytes += Files.size(file);
            } catch (IOException e) {
                throw KeelException.invalid("model file '" + file + "' cannot be read: " + e.getMessage());
            }
        }
        return footprint.estimate(bytes);
    }

    @Override
    public ModelRuntime open(ModelKey key) {
        ModelDirectory directory = ModelDirectory.read(directory(key));
        Inspection inspection = ModelInspector.inspect(new DirectoryFiles(directory));
        Path modelFile = directory.root().resolve(inspection.modelFile());
        return switch (inspection.flavor()) {
            case ONNX -> OnnxModelRuntime.open(key, modelFile, NonFiniteInputs.NONE, options);
            case TRIBUO -> TribuoModelRuntime.open(key, modelFile, NonFiniteInputs.NONE);
        };
    }

    /** A directory has no registry entry, so no tags: it is served with the process's settings. */
    @Override
    public List<Tag> tags(ModelKey key) {
        directory(key);
        return List.of();
    }

    private Path directory(ModelKey key) {
        Path directory = directories.get(key.name());
        if (directory == null || key.version() != 1) {
            throw KeelException.notFound("no local model directory is served as " + key);
        }
        return directory;
    }

    /** The checked files of a directory, as the inspector reads them. */
    private record DirectoryFiles(ModelDirectory directory) implements ModelFiles {
        @Override
        public List<String> paths() {
            return directory.files().stream().map(directory::nameOf).toList();
        }

        @Override
        public InputStream open(String path) throws IOException {
            for (Path file : directory.files()) {
                if (directory.nameOf(file).equals(path)) {
                    return Files.newInputStream(file);
                }
            }
            throw new FileNotFoundException("no file '" + path + "' in " + directory.root());
        }
    }
}
