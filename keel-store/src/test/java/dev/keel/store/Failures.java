package dev.keel.store;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one check every module's tests make of a refusal: Keel's own exception, its error code, what its message says. */
public final class Failures {
    private Failures() {
    }

    /** {@code call} fails with a {@link KeelException} of {@code code} whose message holds each of {@code inMessage}. */
    public static void assertFails(ThrowingCallable call, ErrorCode code, String... inMessage) {
        var failure = assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).as(e.getMessage()).isEqualTo(code));
        for (String text : inMessage) {
            failure.hasMessageContaining(text);
        }
    }
}
