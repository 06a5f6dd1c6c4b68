package dev.keel.client;

import dev.keel.api.registry.ModelDirectory;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A local model directory on its way to a Keel server: its files are listed and checked here,
 * by the embedded registry's rules (a link may only lead to a file inside the directory), so
 * the caller gets the same answer either way; then they are streamed as a zip archive, written
 * while the request is sent, never whole in memory or on disk.
 */
final class DirectoryArchive {
    private static final int PIPE_BYTES = 256 * 1024;

    private final Path root;
    private final List<Path> files;
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    private DirectoryArchive(Path root, List<Path> files) {
        this.root = root;
        this.files = files;
    }

    /** The directory's files, checked as the embedded registry checks them; a refusal names the directory or the file. */
    static DirectoryArchive of(Path directory) {
        ModelDirectory model = ModelDirectory.read(directory);
        return new DirectoryArchive(model.root(), model.files());
    }

    /**
     * The zip archive, written by a background thread as the returned stream is read. A failure
     * while writing ends the stream early; {@link #requireWritten()} then says why.
     */
    InputStream open() throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = new Thread(() -> write(out), "keel-model-upload");
        writer.setDaemon(true);
        writer.start();
        return in;
    }

    /** Throws what went wrong while the archive was written, if anything did. */
    void requireWritten() {
        IOException e = failure.get();
        if (e != null) {
            throw KeelException.invalid("cannot read the model directory " + root + ": " + e.getMessage());
        }
    }

    private void write(OutputStream out) {
        ZipOutputStream zip = new ZipOutputStream(out);
        try {
            // model files are mostly incompressible floats: spend as little CPU on them as possible
            zip.setLevel(Deflater.BEST_SPEED);
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(relative(root, file)));
                try (InputStream content = Files.newInputStream(file)) {
                    content.transferTo(zip);
                }
                zip.closeEntry();
            }
            zip.close();
        } catch (IOException e) {
            // The pipe is left unclosed on purpose: closing would finish a well-formed archive of
            // the files written so far. Unclosed, the reading side fails once this thread ends.
            failure.set(e);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
