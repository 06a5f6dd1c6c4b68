package dev.keel.cli.demo;

import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The demo's two data sets as run inputs, so a registered model's lineage (and its card's
 * training and evaluation data) names them. The digest is a hash of every value, so two
 * demos on the same seed and size name the same data.
 */
final class DemoDatasets {
    private DemoDatasets() {
    }

    static List<DatasetInput> of(CreditRiskData data, long seed) {
        return List.of(
                DatasetInput.of(dataset("credit-risk-demo train", data.train(), seed, "train"), "training"),
                DatasetInput.of(dataset("credit-risk-demo test", data.test(), seed, "test"), "test"));
    }

    private static Dataset dataset(String name, List<Applicant> applicants, long seed, String split) {
        String source = String.format(Locale.ROOT, "{\"generator\": \"keel demo\", \"seed\": %d, \"split\": \"%s\", \"rows\": %d}",
                seed, split, applicants.size());
        return new Dataset(name, digest(applicants), "generated", source, null, null);
    }

    /** The first 16 hex digits of SHA-256 over every feature value and label. */
    private static String digest(List<Applicant> applicants) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ByteBuffer row = ByteBuffer.allocate(8 * (Applicant.FEATURE_NAMES.size() + 1));
            for (Applicant applicant : applicants) {
                row.clear();
                for (double value : applicant.features()) {
                    row.putDouble(value);
                }
                row.putDouble(applicant.defaulted() ? 1 : 0);
                sha256.update(row.array());
            }
            return HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
