package dev.keel.registry;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelVersion;
import dev.keel.core.ArtifactStore;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A version's files as the content-addressed store holds them, read back against the manifest:
 * every read is verified as it goes, and a mismatch names the file, the version and the digest.
 */
record StoredVersionFiles(ArtifactStore artifacts) {

    /** Opens {@code file} of {@code version}; the stream fails at its end, naming the file, if the bytes changed. */
    InputStream open(ModelVersion version, ManifestFile file) {
        return new NamedFileStream(stored(version, file), version, file);
    }

    /** Re-hashes every file of {@code version} against its manifest; throws naming the first that no longer matches. */
    void verify(ModelVersion version) {
        byte[] buffer = new byte[64 * 1024];
        for (ManifestFile file : version.manifest().files()) {
            long size = 0;
            try (InputStream in = stored(version, file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    size += n;
                }
            } catch (IOException e) {
                throw tampered(version, file, e.getMessage());
            }
            if (size != file.size()) {
                throw tampered(version, file, "it is " + size + " bytes long, not " + file.size());
            }
        }
    }

    private InputStream stored(ModelVersion version, ManifestFile file) {
        try {
            return artifacts.open(file.sha256());
        } catch (KeelException e) {
            throw tampered(version, file, e.getMessage());
        }
    }

    private static KeelException tampered(ModelVersion version, ManifestFile file, String why) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "model file '" + file.path() + "' of version "
                + version.version() + " of registered model '" + version.name()
                + "' does not match its manifest digest " + file.sha256() + ": " + why);
    }

    /** Says which model file failed when the store finds, at the end of a read, that the bytes changed. */
    private static final class NamedFileStream extends FilterInputStream {
        private final ModelVersion version;
        private final ManifestFile file;

        NamedFileStream(InputStream in, ModelVersion version, ManifestFile file) {
            super(in);
            this.version = version;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw named(e);
            }
        }

        private IOException named(IOException e) {
            return new IOException(tampered(version, file, e.getMessage()).getMessage(), e);
        }
    }
}
