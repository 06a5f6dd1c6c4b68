package dev.keel.api.registry;

import dev.keel.core.KeelException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A local directory about to become a model version: its regular files, checked. A symbolic
 * link is followed only when it stays inside the directory; one leading out is refused, naming
 * it, so registering a directory can never pick up files its owner did not put there. The
 * embedded registry and the SDK's upload read directories the same way through this.
 */
public record ModelDirectory(Path root, List<Path> files) {
    public ModelDirectory {
        files = List.copyOf(files);
    }

    /** The directory's files sorted by relative path; a refusal names the directory or the file. */
    public static ModelDirectory read(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            throw KeelException.invalid("'directory' " + directory + " is not a directory");
        }
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            throw KeelException.invalid("'directory' " + directory + " cannot be read: " + e.getMessage());
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    requireInside(root, file, attributes);
                    found.add(file);
                    if (found.size() > RegistryLimits.MAX_FILES) {
                        throw KeelException.invalid("'directory' " + directory + " holds more than "
                                + RegistryLimits.MAX_FILES + " files, the most a model version may have");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw KeelException.invalid("'directory' " + directory + " cannot be read: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw KeelException.invalid("'directory' " + directory + " holds no files");
        }
        found.sort(Comparator.comparing(file -> relative(root, file)));
        return new ModelDirectory(root, found);
    }

    /** A file's path relative to the directory, with '/' as separator. */
    public String nameOf(Path file) {
        return relative(root, file);
    }

    private static void requireInside(Path root, Path file, BasicFileAttributes attributes) {
        String name = relative(root, file);
        if (attributes.isSymbolicLink()) {
            Path target;
            try {
                target = file.toRealPath();
            } catch (IOException e) {
                throw KeelException.invalid("model file '" + name + "' is a link to nothing");
            }
            if (!target.startsWith(root)) {
                throw KeelException.invalid("model file '" + name + "' is a link leading out of the "
                        + "directory; copy the file in instead");
            }
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw KeelException.invalid("model file '" + name + "' is a link to a directory; "
                        + "only files may be links");
            }
        } else if (!attributes.isRegularFile()) {
            throw KeelException.invalid("model file '" + name + "' is not a regular file");
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
