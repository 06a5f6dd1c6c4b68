package dev.keel.store;

import dev.keel.core.ArtifactStore;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.StoredBlob;
import dev.keel.core.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The content-addressed store on a local directory. A blob lives at
 * {@code root/sha256/ab/cd/abcd…} (two levels of fan-out keep directories small). An upload is
 * streamed into a temporary file under {@code root/incoming} while it is hashed, flushed to disk,
 * then renamed into place, so a blob is either wholly there or not at all, and concurrent
 * uploads of the same bytes leave one copy. Reads are verified against the address.
 *
 * <p>The store never follows a link out of its root: a blob or directory under
 * {@code root/sha256} that resolves elsewhere is refused with PERMISSION_DENIED.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    /** The root with every link resolved; all paths are built from it and must stay inside it. */
    private final Path root;
    private final Path blobs;
    /** Temporary files, on the same file system as the blobs so that the final rename is atomic. */
    private final Path incoming;

    public LocalArtifactStore(Path root) {
        Checks.requireNonNull("root", root);
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
            this.blobs = this.root.resolve("sha256");
            this.incoming = this.root.resolve("incoming");
            Files.createDirectories(blobs);
            Files.createDirectories(incoming);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR,
                    "cannot prepare the artifact store at " + root + ": " + e, e);
        }
        requireInside(blobs, "the blob directory");
        requireInside(incoming, "the upload directory");
    }

    @Override
    public StoredBlob put(InputStream content) {
        Checks.requireNonNull("content", content);
        Path temp = null;
        try {
            temp = Files.createTempFile(incoming, "put-", ".part");
            MessageDigest digest = VerifyingInputStream.sha256();
            long size = copy(content, temp, digest);
            String sha256 = HexFormat.of().formatHex(digest.digest());
            Path target = blobPath(sha256);
            // each fan-out level is checked before anything is created in it: it may be a link leading out
            fanOutDirectory(target.getParent().getParent(), sha256);
            fanOutDirectory(target.getParent(), sha256);
            if (!alreadyStored(sha256, target, size)) {
                moveIntoPlace(temp, target, sha256, size);
            }
            return new StoredBlob(sha256, size);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR,
                    "could not store a blob under " + root + ": " + e, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public InputStream open(String sha256) {
        String hex = requireDigest(sha256);
        Path path = locate(hex).orElseThrow(() -> KeelException.notFound("no blob with sha256 '" + hex + "'"));
        try {
            InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
            return new VerifyingInputStream(in, hex, (expected, actual) -> "blob " + hex + " at " + path
                    + " is corrupt: its bytes hash to " + actual + ", not to its address " + expected);
        } catch (NoSuchFileException e) {
            throw KeelException.notFound("no blob with sha256 '" + hex + "'");
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "could not open blob " + hex + " at " + path + ": " + e, e);
        }
    }

    @Override
    public boolean contains(String sha256) {
        return locate(requireDigest(sha256)).isPresent();
    }

    @Override
    public String describe(String sha256) {
        return blobPath(requireDigest(sha256)).toString();
    }

    /** Streams {@code content} into {@code temp}, hashing it on the way, and forces it to disk. */
    private static long copy(InputStream content, Path temp, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            while (true) {
                int n;
                try {
                    n = content.read(buffer);
                } catch (IOException e) {
                    // the sender's stream broke (a dropped upload): nothing is stored
                    throw new KeelException(ErrorCode.BAD_REQUEST, "the content could not be read to the end: " + e, e);
                }
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            out.flush();
            // durable before it gets its name: a blob's name promises its bytes
            channel.force(true);
        }
        return size;
    }

    /**
     * Whether the blob is in place already. A file of another size at the address is a
     * leftover of an interrupted copy by other means; the caller replaces it.
     */
    private boolean alreadyStored(String sha256, Path target, long size) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isSymbolicLink(target)) {
            requireInside(target, "blob " + sha256);
        }
        return Files.isRegularFile(target) && Files.size(target) == size;
    }

    private void moveIntoPlace(Path temp, Path target, String sha256, long size) throws IOException {
        try {
            // rename(2) replaces atomically; two uploads of the same bytes may both land, harmlessly
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // platforms whose atomic rename does not replace: someone else stored it meanwhile
            if (!alreadyStored(sha256, target, size)) {
                throw e;
            }
        }
    }

    private void fanOutDirectory(Path directory, String sha256) throws IOException {
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            // there already, perhaps as a link: checked next
        }
        requireInside(directory, "directory of blob " + sha256);
    }

    /** The blob's file, links resolved, if it exists; a blob resolving outside the root is refused. */
    private Optional<Path> locate(String hex) {
        Path path = blobPath(hex);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "could not resolve blob " + hex + " at " + path + ": " + e, e);
        }
        if (!real.startsWith(root)) {
            throw leadsOut("blob " + hex, path, real);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "blob " + hex + " at " + path + " is not a regular file");
        }
        return Optional.of(real);
    }

    private void requireInside(Path path, String what) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "could not resolve " + what + " at " + path + ": " + e, e);
        }
        if (!real.startsWith(root)) {
            throw leadsOut(what, path, real);
        }
    }

    private KeelException leadsOut(String what, Path path, Path real) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, "refusing to follow a link: " + what + " at " + path
                + " leads to " + real + ", outside the artifact store " + root);
    }

    private Path blobPath(String hex) {
        return blobs.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private static String requireDigest(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            String shown = sha256 == null ? "null"
                    : "'" + (sha256.length() > 80 ? sha256.substring(0, 80) + "…" : sha256) + "'";
            throw KeelException.invalid("'sha256' must be 64 lowercase hex characters, got " + shown);
        }
        return sha256;
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temporary file wastes space but never passes for a blob
        }
    }
}
