package dev.keel.api.registry;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;

import java.util.List;

/**
 * What a model version is, fixed at registration: its flavor, the file a runtime loads, the
 * input/output signature (null when none could be read), every file with its digest (sorted
 * by path) and its lineage. Loading a version checks the bytes against {@link #files()}.
 */
public record ModelManifest(Flavor flavor, String modelFile, Signature signature, List<ManifestFile> files,
                            Lineage lineage) {
    public ModelManifest {
        files = files == null ? List.of() : List.copyOf(files);
        lineage = lineage == null ? Lineage.NONE : lineage;
    }

    /** The entry for {@code path}, or null when the version has no such file. */
    public ManifestFile file(String path) {
        for (ManifestFile file : files) {
            if (file.path().equals(path)) {
                return file;
            }
        }
        return null;
    }
}
