package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A variant's traffic over a span of time, merged from its buckets, with the buckets kept in time order. */
public record Window(Instant from, Instant to, long requests, long errors, LatencyHistogram latency,
                     Map<String, Moments> signals, List<WindowBucket> buckets) {

    static Window of(Instant from, Instant to, List<WindowBucket> buckets) {
        long requests = 0;
        long errors = 0;
        LatencyHistogram latency = new LatencyHistogram();
        Map<String, Moments> signals = new TreeMap<>();
        for (WindowBucket bucket : buckets) {
            requests += bucket.requests();
            errors += bucket.errors();
            latency.addAll(bucket.latency());
            bucket.signals().forEach((name, moments) -> signals.merge(name, moments, (a, b) ->
                    new Moments(a.count() + b.count(), a.sum() + b.sum(), a.sumOfSquares() + b.sumOfSquares())));
        }
        return new Window(from, to, requests, errors, latency, signals, List.copyOf(buckets));
    }

    /** Failed requests in percent of requests; zero without requests. */
    public double errorPercent() {
        return requests == 0 ? 0 : 100.0 * errors / requests;
    }
}
