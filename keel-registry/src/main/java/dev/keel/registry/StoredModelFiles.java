package dev.keel.registry;

import dev.keel.api.registry.ManifestFile;
import dev.keel.core.ArtifactStore;
import dev.keel.registry.flavor.ModelFiles;

import java.io.InputStream;
import java.util.List;

/** A version's files once they are in the artifact store, as the model inspector reads them. */
record StoredModelFiles(List<ManifestFile> files, ArtifactStore artifacts) implements ModelFiles {
    @Override
    public List<String> paths() {
        return files.stream().map(ManifestFile::path).toList();
    }

    @Override
    public InputStream open(String path) {
        for (ManifestFile file : files) {
            if (file.path().equals(path)) {
                return artifacts.open(file.sha256());
            }
        }
        throw dev.keel.core.KeelException.notFound("model file '" + path + "' does not exist");
    }
}
