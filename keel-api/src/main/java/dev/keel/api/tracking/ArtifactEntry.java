package dev.keel.api.tracking;

/** One entry of an artifact listing: a path relative to the run's artifact root; size null for directories. */
public record ArtifactEntry(String path, boolean isDir, Long fileSize) {
}
