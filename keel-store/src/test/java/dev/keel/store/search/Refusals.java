package dev.keel.store.search;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the grammar tests check a refused filter or order_by clause. */
final class Refusals {
    private Refusals() {
    }

    /**
     * {@code parse} fails with INVALID_PARAMETER_VALUE, its message starting with {@code start}
     * (which quotes the input) and holding each of {@code fragments}.
     */
    static void assertRefused(ThrowingCallable parse, String start, List<String> fragments) {
        assertThatThrownBy(parse)
                .isInstanceOfSatisfying(KeelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).startsWith(start);
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }
}
