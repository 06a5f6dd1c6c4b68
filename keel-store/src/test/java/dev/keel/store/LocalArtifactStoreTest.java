package dev.keel.store;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.StoredBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalArtifactStoreTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path root;

    @Test
    void a_blob_is_addressed_by_the_sha256_of_its_bytes_and_reads_back() throws IOException {
        var store = new LocalArtifactStore(root);

        StoredBlob blob = store.put(stream("hello"));

        assertThat(blob).isEqualTo(new StoredBlob(HELLO_SHA256, 5));
        assertThat(store.contains(HELLO_SHA256)).isTrue();
        try (InputStream in = store.open(HELLO_SHA256)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void a_blob_lives_under_two_levels_of_fan_out() throws IOException {
        var store = new LocalArtifactStore(root);
        store.put(stream("hello"));

        Path expected = root.toRealPath().resolve("sha256/2c/f2/" + HELLO_SHA256);
        assertThat(expected).isRegularFile();
        assertThat(store.describe(HELLO_SHA256)).isEqualTo(expected.toString());
    }

    @Test
    void empty_content_is_a_blob_too() throws IOException {
        var store = new LocalArtifactStore(root);

        assertThat(store.put(InputStream.nullInputStream())).isEqualTo(new StoredBlob(EMPTY_SHA256, 0));
        try (InputStream in = store.open(EMPTY_SHA256)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void identical_content_is_stored_once() throws IOException {
        var store = new LocalArtifactStore(root);

        StoredBlob first = store.put(stream("same bytes"));
        StoredBlob second = store.put(stream("same bytes"));

        assertThat(second).isEqualTo(first);
        assertThat(blobFiles()).hasSize(1);
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void fifty_megabytes_stream_through_without_being_held() throws Exception {
        var store = new LocalArtifactStore(root);
        long size = 50L * 1024 * 1024;
        var source = new GeneratedContent(size, 42);

        StoredBlob blob = store.put(source);

        assertThat(blob.size()).isEqualTo(size);
        assertThat(blob.sha256()).isEqualTo(source.sha256());
        // read back through a small buffer, hashing as we go: nothing holds the 50 MB
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long read = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = store.open(blob.sha256())) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(blob.sha256());
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void changed_bytes_on_disk_fail_the_read_naming_the_blob() throws IOException {
        var store = new LocalArtifactStore(root);
        StoredBlob blob = store.put(new GeneratedContent(200_000, 7));
        flipBit(store, blob, 100_000);

        try (InputStream in = store.open(blob.sha256())) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(blob.sha256())
                    .hasMessageContaining("corrupt");
        }
    }

    @Test
    void a_truncated_blob_fails_the_read() throws IOException {
        var store = new LocalArtifactStore(root);
        StoredBlob blob = store.put(new GeneratedContent(100_000, 8));
        Path file = Path.of(store.describe(blob.sha256()));
        Files.write(file, new byte[10]);

        try (InputStream in = store.open(blob.sha256())) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(blob.sha256());
        }
    }

    @Test
    void skipping_over_corrupted_bytes_does_not_escape_verification() throws IOException {
        var store = new LocalArtifactStore(root);
        StoredBlob blob = store.put(new GeneratedContent(100_000, 9));
        flipBit(store, blob, 10);

        try (InputStream in = store.open(blob.sha256())) {
            assertThat(in.skip(50_000)).isEqualTo(50_000);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        }
    }

    @Test
    void an_intact_blob_read_with_skips_passes_verification() throws IOException {
        var store = new LocalArtifactStore(root);
        StoredBlob blob = store.put(new GeneratedContent(100_000, 10));

        try (InputStream in = store.open(blob.sha256())) {
            assertThat(in.skip(99_000)).isEqualTo(99_000);
            assertThat(in.readAllBytes()).hasSize(1_000);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_leftover_of_the_wrong_size_at_the_address_is_replaced_by_the_next_put() throws IOException {
        var store = new LocalArtifactStore(root);
        Path address = Path.of(store.describe(HELLO_SHA256));
        Files.createDirectories(address.getParent());
        Files.writeString(address, "hel");

        store.put(stream("hello"));

        try (InputStream in = store.open(HELLO_SHA256)) {
            assertThat(in.readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void a_blob_that_is_a_link_leading_out_of_the_store_is_refused(@TempDir Path outside) throws IOException {
        var store = new LocalArtifactStore(root);
        Path secret = Files.writeString(outside.resolve("secret"), "hello");
        Path address = Path.of(store.describe(HELLO_SHA256));
        Files.createDirectories(address.getParent());
        Files.createSymbolicLink(address, secret);

        assertFails(() -> store.open(HELLO_SHA256), ErrorCode.PERMISSION_DENIED, HELLO_SHA256, "outside the artifact store");
        assertThatThrownBy(() -> store.contains(HELLO_SHA256)).isInstanceOf(KeelException.class);
        assertThatThrownBy(() -> store.put(stream("hello")))
                .hasMessageContaining("outside the artifact store");
    }

    @Test
    void a_fan_out_directory_linked_out_of_the_store_is_refused_and_nothing_is_written_there(@TempDir Path outside)
            throws IOException {
        var store = new LocalArtifactStore(root);
        Files.createDirectories(outside.resolve("f2"));
        Files.writeString(outside.resolve("f2").resolve(HELLO_SHA256), "hello");
        Files.createSymbolicLink(root.resolve("sha256/2c"), outside);

        assertFails(() -> store.open(HELLO_SHA256), ErrorCode.PERMISSION_DENIED, "outside the artifact store");

        // an upload whose address runs through the linked directory writes nothing outside
        Files.delete(outside.resolve("f2").resolve(HELLO_SHA256));
        Files.delete(outside.resolve("f2"));
        assertThatThrownBy(() -> store.put(stream("hello"))).hasMessageContaining("outside the artifact store");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).isEmpty();
        }
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void an_unknown_blob_is_not_found() {
        var store = new LocalArtifactStore(root);

        assertThat(store.contains(HELLO_SHA256)).isFalse();
        assertFails(() -> store.open(HELLO_SHA256), ErrorCode.RESOURCE_DOES_NOT_EXIST, HELLO_SHA256);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "abc",
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98244",
            "gcf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "../../../../../../../../../../etc/passwd",
            "2c/f2/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b",
            " 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"})
    void a_malformed_digest_is_refused_naming_the_field(String digest) {
        var store = new LocalArtifactStore(root);

        for (var call : List.<Runnable>of(() -> store.open(digest), () -> store.contains(digest), () -> store.describe(digest))) {
            assertFails(call::run, ErrorCode.INVALID_PARAMETER_VALUE, "'sha256'");
        }
    }

    @Test
    void content_that_breaks_off_stores_nothing() throws IOException {
        var store = new LocalArtifactStore(root);
        InputStream breaking = new InputStream() {
            private final InputStream head = new GeneratedContent(100_000, 11);

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b < 0) {
                    throw new IOException("connection reset");
                }
                return b;
            }
        };

        assertFails(() -> store.put(breaking), ErrorCode.BAD_REQUEST, "connection reset");
        assertThat(blobFiles()).isEmpty();
        assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void null_content_is_refused() {
        var store = new LocalArtifactStore(root);

        assertFails(() -> store.put(null), ErrorCode.INVALID_PARAMETER_VALUE, "'content'");
    }

    @Test
    void concurrent_puts_of_the_same_and_of_different_content_are_safe() throws Exception {
        var store = new LocalArtifactStore(root);
        int contents = 4;
        int writersEach = 4;
        ExecutorService pool = Executors.newFixedThreadPool(contents * writersEach);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<StoredBlob>> results = new ArrayList<>();
        try {
            for (int c = 0; c < contents; c++) {
                for (int w = 0; w < writersEach; w++) {
                    int seed = c;
                    Callable<StoredBlob> put = () -> {
                        start.await();
                        return store.put(new GeneratedContent(1_000_000, seed));
                    };
                    results.add(pool.submit(put));
                }
            }
            start.countDown();
            for (int c = 0; c < contents; c++) {
                StoredBlob expected = new StoredBlob(new GeneratedContent(1_000_000, c).drain(), 1_000_000);
                for (int w = 0; w < writersEach; w++) {
                    assertThat(results.get(c * writersEach + w).get()).isEqualTo(expected);
                }
                try (InputStream in = store.open(expected.sha256())) {
                    assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(1_000_000);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(blobFiles()).hasSize(contents);
        assertThat(incomingFiles()).isEmpty();
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("sha256"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private List<Path> incomingFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("incoming"))) {
            return files.toList();
        }
    }

    /** Changes one bit of the stored blob's byte at {@code index}, as a disk fault would, keeping its size. */
    private static void flipBit(LocalArtifactStore store, StoredBlob blob, int index) throws IOException {
        Path file = Path.of(store.describe(blob.sha256()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[index] ^= 1;
        Files.write(file, bytes);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Seeded pseudo-random bytes made on demand, hashed as they are handed out: never held whole. */
    private static final class GeneratedContent extends InputStream {
        private final SplittableRandom random;
        private final MessageDigest digest;
        private long remaining;

        GeneratedContent(long size, long seed) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) random.nextInt(256);
            }
            digest.update(buffer, offset, n);
            remaining -= n;
            return n;
        }

        /** The SHA-256 of what was handed out; call after the stream is used up. */
        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }

        /** Uses the stream up and returns its SHA-256. */
        String drain() {
            try {
                transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sha256();
        }
    }
}
