package dev.keel.api.http;

/** {@code PUT …/tags/{key}}: the tag's value; the key is in the path. */
public record TagValue(String value) {
}
