package dev.keel.serving.batching;

/**
 * What micro-batching has done so far, counting only requests small enough to batch:
 * <ul>
 *   <li>{@code batches}: model calls that answered more than one request, and {@code requests}
 *       the requests they answered — {@code requests / batches} is the mean batch size reached;</li>
 *   <li>{@code retriedAlone}: requests run again on their own after their batch failed or could
 *       not be split by rows;</li>
 *   <li>{@code ranAtOnce}: requests that found their model with a free slot and ran at once, alone, adding no
 *       latency;</li>
 *   <li>{@code waited}: requests that found it busy and joined a batch (which may have stayed a
 *       batch of one) — with a zero delay they joined and ran without waiting;</li>
 *   <li>{@code delayExpired}: batches sent when the delay ran out while the model was still busy,
 *       to run alongside its other calls — many of them mean calls outlast the delay.</li>
 * </ul>
 */
public record BatchingStats(long batches, long requests, long retriedAlone, long ranAtOnce, long waited,
                            long delayExpired) {
    /** Nothing done yet, or batching off. */
    public static final BatchingStats NONE = new BatchingStats(0, 0, 0, 0, 0, 0);

    /** The sum of this and {@code other}: totals over several models. */
    public BatchingStats plus(BatchingStats other) {
        return new BatchingStats(batches + other.batches, requests + other.requests,
                retriedAlone + other.retriedAlone, ranAtOnce + other.ranAtOnce, waited + other.waited,
                delayExpired + other.delayExpired);
    }
}
