package dev.keel.serving.runtime;

import dev.keel.api.Tag;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Loads registered model versions for serving, through the {@link RegistryService} interface — so
 * the same code serves from the embedded registry or, in a standalone {@code keel serve}, from a
 * remote Keel server — as {@code actor} (the serving process's identity; reading a version's
 * files needs USE on its model).
 *
 * <p>{@link #resolve} turns a reference into a version number (one registry read; aliases and
 * stages are resolved then, not on every request). {@link #open} checks the whole version before
 * anything runs: the first time, the registry re-hashes the stored files
 * ({@link RegistryService#verifyVersion}, which names a tampered file) and the files are copied
 * into the local {@link ModelFileCache}, hashed again as they are written; later loads re-hash
 * the cached copy against the manifest (and fetch again if it was damaged). Only then is the
 * model file handed to its runtime. A model version tagged {@value NonFiniteInputs#TAG} accepts
 * NaN and infinities in the inputs the tag names.
 */
public final class ModelLoader implements ModelSource {
    private final RegistryService registry;
    private final Actor actor;
    private final ModelFileCache cache;
    private final RuntimeOptions options;
    private final Footprint footprint;

    public ModelLoader(RegistryService registry, Actor actor, Path cacheDirectory, RuntimeOptions options,
                       Footprint footprint) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.cache = new ModelFileCache(Objects.requireNonNull(cacheDirectory, "cacheDirectory"));
        this.options = Objects.requireNonNull(options, "options");
        this.footprint = Objects.requireNonNull(footprint, "footprint");
    }

    public ModelLoader(RegistryService registry, Actor actor, Path cacheDirectory) {
        this(registry, actor, cacheDirectory, RuntimeOptions.DEFAULT, Footprint.DEFAULT);
    }

    /** The version {@code reference} names now: a 404 naming the model, alias or stage when there is none. */
    public ModelKey resolve(ModelReference reference) {
        Objects.requireNonNull(reference, "reference");
        ModelVersion version;
        if (reference instanceof ModelReference.ByVersion byVersion) {
            version = registry.getModelVersion(actor, byVersion.name(), byVersion.version());
        } else if (reference instanceof ModelReference.ByAlias byAlias) {
            version = registry.getVersionByAlias(actor, byAlias.name(), byAlias.alias());
        } else {
            ModelReference.ByStage byStage = (ModelReference.ByStage) reference;
            List<ModelVersion> latest = registry.getLatestVersions(actor, byStage.name(), List.of(byStage.stage()));
            if (latest.isEmpty()) {
                throw KeelException.notFound("registered model '" + byStage.name() + "' has no version in stage "
                        + byStage.stage().wireName());
            }
            version = latest.get(0);
        }
        return new ModelKey(version.name(), version.version());
    }

    @Override
    public long footprintBytes(ModelKey key) {
        ModelManifest manifest = servable(key, registry.getModelVersion(actor, key.name(), key.version()));
        return footprint.estimate(manifest.files().stream().mapToLong(ManifestFile::size).sum());
    }

    @Override
    public List<Tag> tags(ModelKey key) {
        return registry.getModelVersion(actor, key.name(), key.version()).tags();
    }

    @Override
    public ModelRuntime open(ModelKey key) {
        ModelVersion version = registry.getModelVersion(actor, key.name(), key.version());
        ModelManifest manifest = servable(key, version);
        Path directory = cache.materialize(key, manifest,
                () -> registry.verifyVersion(actor, key.name(), key.version()),
                path -> registry.openVersionFile(actor, key.name(), key.version(), path));
        NonFiniteInputs nonFinite = NonFiniteInputs.fromTags(version.tags());
        Path modelFile = directory.resolve(manifest.modelFile());
        return switch (manifest.flavor()) {
            case ONNX -> OnnxModelRuntime.open(key, modelFile, nonFinite, options);
            case TRIBUO -> TribuoModelRuntime.open(key, modelFile, nonFinite);
        };
    }

    private static ModelManifest servable(ModelKey key, ModelVersion version) {
        ModelManifest manifest = version.manifest();
        if (manifest == null || manifest.flavor() == null || manifest.modelFile() == null) {
            throw new KeelException(ErrorCode.INVALID_PARAMETER_VALUE, key + " cannot be served: its manifest names "
                    + "no flavor and model file (register it from a directory holding an MLmodel, a *.onnx or a "
                    + "*.tribuo file)");
        }
        if (manifest.file(manifest.modelFile()) == null) {
            throw new KeelException(ErrorCode.INVALID_PARAMETER_VALUE, key + " cannot be served: its manifest names "
                    + "model file '" + manifest.modelFile() + "', which is not among its files");
        }
        return manifest;
    }
}
