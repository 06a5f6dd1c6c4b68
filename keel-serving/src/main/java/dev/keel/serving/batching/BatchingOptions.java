package dev.keel.serving.batching;

import dev.keel.api.Tag;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adaptive micro-batching of one model's requests: a request that finds the model with a free
 * slot (fewer calls in flight than cores) runs at once, alone; requests arriving while the model
 * is busy are gathered until {@code maxBatchSize} rows are waiting, a slot frees, or the first of them has waited
 * {@code maxDelay}, run as one call, and each caller gets back its own rows. So the busier the
 * model, the larger the batches, and light load adds no latency. Off by default ({@link #OFF}):
 * under load it trades up to {@code maxDelay} of latency for throughput, which pays only when
 * many small requests reach one model at once and one call on N rows costs much less than N calls.
 *
 * <p>A process has a default (the {@code --batch-size} and {@code --batch-delay} flags of
 * {@code keel serve} and {@code keel server}); a model version's tags {@value #SIZE_TAG} and
 * {@value #DELAY_TAG} override it for that version ({@link #fromTags}), since whether batching
 * pays depends on the model.
 *
 * @param maxBatchSize the most rows run in one call; 1 turns batching off
 * @param maxDelay     the longest the first request of a batch waits while the model is busy;
 *                     zero never waits for a busy model, which is in effect no batching
 * @param slots        how many calls may be in flight before the model counts as busy; 0 (the
 *                     default) is one per core. Set in code only ({@link #withSlots}): one slot
 *                     makes every concurrent request wait for the call in flight, which tests
 *                     use to make batches form for certain
 */
public record BatchingOptions(int maxBatchSize, Duration maxDelay, int slots) {
    /** The largest batch accepted: beyond it the concatenated tensors stop being "small". */
    public static final int MAX_BATCH_SIZE = 4096;
    /** The longest delay accepted: more would be a queue, not a batch. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(1);
    /** The delay when none is given: short next to a network round trip, long enough to gather a burst. */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(2);
    /**
     * No batching. It keeps {@link #DEFAULT_DELAY}: a version whose tag sets only a batch size
     * over this default waits that long, as {@code keel serve --batch-size N} does.
     */
    public static final BatchingOptions OFF = new BatchingOptions(1, DEFAULT_DELAY, 0);
    /** The most slots accepted. */
    public static final int MAX_SLOTS = 1024;
    /** A model version's tag choosing its batch size (an integer; 1 turns batching off for it). */
    public static final String SIZE_TAG = "keel.serving.batch_size";
    /** A model version's tag choosing its batch delay (a duration such as {@code 2ms}, {@code 500us}, {@code 0ms}). */
    public static final String DELAY_TAG = "keel.serving.batch_delay";

    private static final Pattern DELAY = Pattern.compile("(\\d{1,9})(us|ms|s)");
    private static final Pattern SIZE = Pattern.compile("\\d{1,9}");

    public BatchingOptions {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw KeelException.invalid("'batch_size' must be between 1 and " + MAX_BATCH_SIZE + " (got "
                    + maxBatchSize + ")");
        }
        Checks.requireNonNull("batch_delay", maxDelay);
        if (maxDelay.isNegative() || maxDelay.compareTo(MAX_DELAY) > 0) {
            throw KeelException.invalid("'batch_delay' must be between 0 and " + MAX_DELAY.toMillis() + "ms (got "
                    + maxDelay.toMillis() + "ms)");
        }
        if (slots < 0 || slots > MAX_SLOTS) {
            throw KeelException.invalid("'batch_slots' must be between 0 (one per core) and " + MAX_SLOTS + " (got "
                    + slots + ")");
        }
    }

    /** These options with {@code slots} calls in flight before the model counts as busy (0: one per core). */
    public BatchingOptions withSlots(int slots) {
        return new BatchingOptions(maxBatchSize, maxDelay, slots);
    }

    /** The slots in effect: {@link #slots()}, or the machine's cores when that is 0. */
    public int slotsInEffect() {
        return slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
    }

    /** Batching of up to {@code maxBatchSize} rows waiting at most {@code maxDelay}. */
    public static BatchingOptions of(int maxBatchSize, Duration maxDelay) {
        return new BatchingOptions(maxBatchSize, maxDelay, 0);
    }

    /**
     * {@code defaults} with what a version's tags say instead: {@value #SIZE_TAG} replaces the
     * batch size, {@value #DELAY_TAG} the delay, each on its own. A malformed or out-of-range
     * value is a 400 naming the tag and the value.
     */
    public static BatchingOptions fromTags(List<Tag> tags, BatchingOptions defaults) {
        int size = defaults.maxBatchSize;
        Duration delay = defaults.maxDelay;
        for (Tag tag : tags) {
            if (tag.key().equals(SIZE_TAG)) {
                size = parseSize("tag '" + SIZE_TAG + "'", tag.value());
            } else if (tag.key().equals(DELAY_TAG)) {
                delay = parseDelay("tag '" + DELAY_TAG + "'", tag.value());
            }
        }
        return new BatchingOptions(size, delay, defaults.slots());
    }

    /** {@code 8}: a batch size, 1 to {@value #MAX_BATCH_SIZE}; else a 400 naming {@code what} (e.g. {@code '--batch-size'}). */
    public static int parseSize(String what, String text) {
        String value = text == null ? "" : text.strip();
        int size = SIZE.matcher(value).matches() ? Integer.parseInt(value) : 0;
        if (size < 1 || size > MAX_BATCH_SIZE) {
            throw KeelException.invalid(what + " must be an integer between 1 and " + MAX_BATCH_SIZE + " (got '"
                    + text + "')");
        }
        return size;
    }

    /**
     * {@code 2ms}, {@code 500us}, {@code 1s}, {@code 0ms}: a batch delay, at most {@link #MAX_DELAY};
     * else a 400 naming {@code what} (e.g. {@code '--batch-delay'}). The one reading of a delay,
     * for flags and tags alike.
     */
    public static Duration parseDelay(String what, String text) {
        Matcher matcher = DELAY.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw KeelException.invalid(what + " must be a duration such as 2ms, 500us or 1s (got '" + text + "')");
        }
        long value = Long.parseLong(matcher.group(1));
        Duration delay = switch (matcher.group(2)) {
            case "us" -> Duration.ofNanos(value * 1000);
            case "ms" -> Duration.ofMillis(value);
            default -> Duration.ofSeconds(value);
        };
        if (delay.compareTo(MAX_DELAY) > 0) {
            throw KeelException.invalid(what + " must be at most " + MAX_DELAY.toMillis() + "ms (got '" + text + "')");
        }
        return delay;
    }

    public boolean enabled() {
        return maxBatchSize > 1;
    }

    /** The delay as {@link #parseDelay} reads it: {@code 2ms}, {@code 500us}. */
    public String delayText() {
        long micros = maxDelay.toNanos() / 1000;
        return micros % 1000 == 0 ? micros / 1000 + "ms" : micros + "us";
    }
}
