package dev.keel.core;

import java.util.regex.Pattern;

/**
 * A relative path inside a run's (or model's) artifact tree, such as {@code model/model.onnx}.
 * Paths that could lead out of the tree — absolute, with {@code ..} segments, with
 * backslashes or control characters — are refused here, before any store sees them.
 */
public record ArtifactPath(String value) {
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    public static final ArtifactPath ROOT = new ArtifactPath("");

    public ArtifactPath {
        Checks.requireNonNull("path", value);
        Checks.requireMaxLength("path", value, 1024);
        if (value.startsWith("/") || value.matches("^[A-Za-z]:.*")) {
            throw KeelException.invalid("artifact path '" + value + "' must be relative, not absolute");
        }
        if (value.contains("\\")) {
            throw KeelException.invalid("artifact path '" + value + "' must use '/' as separator, not '\\'");
        }
        if (CONTROL.matcher(value).find()) {
            throw KeelException.invalid("artifact path must not contain control characters");
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        if (!value.isEmpty()) {
            for (String segment : value.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw KeelException.invalid("artifact path '" + value
                            + "' must not contain empty, '.' or '..' segments");
                }
            }
        }
    }

    public static ArtifactPath of(String value) {
        return new ArtifactPath(value == null ? "" : value);
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    public ArtifactPath resolve(String child) {
        return isRoot() ? new ArtifactPath(child) : new ArtifactPath(value + "/" + child);
    }

    /** The last segment: {@code model.onnx} for {@code model/model.onnx}. */
    public String fileName() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
