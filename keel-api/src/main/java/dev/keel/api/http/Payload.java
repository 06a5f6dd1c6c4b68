package dev.keel.api.http;

import java.lang.reflect.Type;

/** What an operation reads or writes, as far as its callers and its documentation need to know. */
public sealed interface Payload {
    None NONE = new None();
    Binary BINARY = new Binary();
    Text TEXT = new Text();

    /** No body (a 204 response, or a request whose input is all in the path). */
    record None() implements Payload {
    }

    /** A JSON document of this Java type. */
    record Json(Type type) implements Payload {
    }

    /** Raw bytes, streamed. */
    record Binary() implements Payload {
    }

    /** Plain text. */
    record Text() implements Payload {
    }

    /** One JSON document of this type per line ({@code application/x-ndjson}), streamed. */
    record JsonLines(Type type) implements Payload {
    }
}
