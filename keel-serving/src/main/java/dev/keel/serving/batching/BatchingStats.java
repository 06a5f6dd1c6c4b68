package dev.keel.serving.batching;

/**
 * What micro-batching has done so far: {@code batches} model calls that answered more than one
 * request, {@code requests} the requests they answered, and {@code retriedAlone} the requests
 * run again on their own after their batch failed or could not be split by rows.
 * {@code requests / batches} is the mean batch size actually reached.
 */
public record BatchingStats(long batches, long requests, long retriedAlone) {
}
