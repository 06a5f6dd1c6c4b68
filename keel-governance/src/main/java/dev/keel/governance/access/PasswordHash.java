package dev.keel.governance.access;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Passwords hashed with Argon2id, a memory-hard KDF, at OWASP's recommended minimum (19 MiB,
 * two passes, one lane). The PHC string keeps its own parameters, so raising them later still
 * verifies the passwords hashed before.
 */
final class PasswordHash {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID, 19);
    static final int MIN_LENGTH = 8;

    private PasswordHash() {
    }

    static String of(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    static boolean matches(String password, String hash) {
        if (hash == null || password == null) {
            return false;
        }
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }
}
