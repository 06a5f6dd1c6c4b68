package dev.keel.governance.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointKeyTest {

    @Test
    void the_key_is_made_once_readable_by_its_owner_only_and_reused(@TempDir Path home) throws Exception {
        CheckpointKey first = CheckpointKey.openOrCreate(home.resolve("keys"));
        CheckpointKey again = CheckpointKey.openOrCreate(home.resolve("keys"));

        Path file = home.resolve("keys").resolve(CheckpointKey.FILE_NAME);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").contains("-----BEGIN PUBLIC KEY-----");
        assertThat(again.verifies("head", first.sign("head"))).isTrue();
    }

    @Test
    void a_signature_by_another_key_or_over_other_text_does_not_verify(@TempDir Path home) {
        CheckpointKey key = CheckpointKey.openOrCreate(home);
        String signature = key.sign("{\"hash\":\"ab\",\"seq\":10,\"time\":1}");

        assertThat(key.verifies("{\"hash\":\"ab\",\"seq\":11,\"time\":1}", signature)).isFalse();
        assertThat(CheckpointKey.inMemory().verifies("{\"hash\":\"ab\",\"seq\":10,\"time\":1}", signature)).isFalse();
        assertThat(key.verifies("{\"hash\":\"ab\",\"seq\":10,\"time\":1}", "not base64!")).isFalse();
    }
}
