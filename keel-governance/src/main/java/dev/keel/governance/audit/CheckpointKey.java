package dev.keel.governance.audit;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECDSA P-256 key that signs audit checkpoints, kept in {@code KEEL_HOME/keys/audit-ec-p256.pem}
 * (file mode 600): the private key as PKCS#8 ("PRIVATE KEY"), followed by its public key as
 * X.509 SubjectPublicKeyInfo ("PUBLIC KEY") because the JDK cannot derive one from the other.
 * Tools such as openssl read the first block. Made on first start.
 *
 * <p>Whoever can rewrite the database can recompute an unkeyed hash chain; they cannot sign
 * its new head without this file. Several servers on one PostgreSQL store share the file.
 */
public final class CheckpointKey {
    public static final String FILE_NAME = "audit-ec-p256.pem";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String id;

    private CheckpointKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.id = fingerprint(publicKey);
    }

    /** The key in {@code keysDirectory}, made (with the directory) if there is none yet. */
    public static CheckpointKey openOrCreate(Path keysDirectory) {
        Path file = keysDirectory.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(keysDirectory, file);
            }
            return read(file);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "cannot open the audit signing key " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A key that lives only in memory: for a platform built on parts a test provides. Its
     * checkpoints verify for as long as the process lives.
     */
    public static CheckpointKey inMemory() {
        KeyPair pair = generate();
        return new CheckpointKey(pair.getPrivate(), pair.getPublic());
    }

    /** The SHA-256 of the public key's encoding, hex: which key signed a checkpoint. */
    public String id() {
        return id;
    }

    String sign(String message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(privateKey);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with the audit key failed: " + e.getMessage(), e);
        }
    }

    boolean verifies(String message, String signatureBase64) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initVerify(publicKey);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature is an invalid one
        }
    }

    private static void create(Path directory, Path file) throws IOException {
        Files.createDirectories(directory);
        KeyPair pair = generate();
        String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
        // written whole under another name, then linked into place: a second process starting at
        // the same moment either sees no key or the whole key, and both end up with the same one
        Path partial = Files.createTempFile(directory, ".audit-key-", ".tmp");
        try {
            restrict(partial);
            Files.writeString(partial, pem, StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, partial);
            } catch (FileAlreadyExistsException raced) {
                // the other process won; its key is the key
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    Files.move(partial, file);
                }
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has ECDSA P-256", e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
    }

    private static CheckpointKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] privateBytes = null;
        byte[] publicBytes = null;
        Matcher block = PEM.matcher(text);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (block.group(1)) {
                case "PRIVATE KEY" -> privateBytes = der;
                case "PUBLIC KEY" -> publicBytes = der;
                default -> { }
            }
        }
        if (privateBytes == null || publicBytes == null) {
            throw new IOException("it must hold a PRIVATE KEY (PKCS#8) and a PUBLIC KEY block");
        }
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            CheckpointKey key = new CheckpointKey(ec.generatePrivate(new PKCS8EncodedKeySpec(privateBytes)),
                    ec.generatePublic(new X509EncodedKeySpec(publicBytes)));
            String probe = "keel audit key check";
            if (!key.verifies(probe, key.sign(probe))) {
                throw new IOException("its PUBLIC KEY does not belong to its PRIVATE KEY");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IOException("it holds no ECDSA key pair: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
