package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import java.time.Instant;
import java.util.Map;

/** One time slice of a window as read: what the analysis looks at to find when a breach began. */
public record WindowBucket(Instant start, long requests, long errors, LatencyHistogram latency,
                           Map<String, Moments> signals) {
}
