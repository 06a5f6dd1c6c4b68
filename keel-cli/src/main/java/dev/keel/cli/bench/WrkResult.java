package dev.keel.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The figures wrk's done() hook prints as one JSON line (see bench/lua/tracking.lua). */
record WrkResult(long requests, long durationMicros, long errors, long statusErrors,
                 double p50Millis, double p90Millis, double p99Millis) {

    static WrkResult parse(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"requests\"")) {
                try {
                    JsonNode json = new ObjectMapper().readTree(line);
                    return new WrkResult(json.get("requests").asLong(), json.get("duration_us").asLong(),
                            json.get("errors").asLong(), json.get("status_errors").asLong(),
                            json.get("p50_us").asLong() / 1000.0, json.get("p90_us").asLong() / 1000.0,
                            json.get("p99_us").asLong() / 1000.0);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("unreadable wrk summary: " + line, e);
                }
            }
        }
        throw new IllegalStateException("wrk printed no summary line:\n" + output);
    }

    /** This result, or a failure naming {@code what} when a request failed or none was made: a figure of errors is no figure. */
    WrkResult requireClean(String what) {
        if (errors > 0 || statusErrors > 0 || requests == 0) {
            throw new IllegalStateException(what + ": " + statusErrors + " non-2xx answers and "
                    + errors + " socket errors in " + requests + " requests");
        }
        return this;
    }

    double requestsPerSecond() {
        return requests * 1_000_000.0 / durationMicros;
    }
}
