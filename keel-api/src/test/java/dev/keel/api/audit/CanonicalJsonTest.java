package dev.keel.api.audit;

import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {

    @Test
    void keys_are_sorted_at_every_depth_and_nothing_is_spaced() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", List.of(true, "x"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", null);

        assertThat(CanonicalJson.of(outer)).isEqualTo("{\"a\":null,\"b\":{\"a\":[true,\"x\"],\"z\":1}}");
    }

    @Test
    void the_same_map_in_another_order_has_the_same_spelling() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("params", 3);
        one.put("metrics", 1000);
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("metrics", 1000);
        two.put("params", 3);

        assertThat(CanonicalJson.of(one)).isEqualTo(CanonicalJson.of(two)).isEqualTo("{\"metrics\":1000,\"params\":3}");
    }

    @Test
    void strings_are_escaped_only_where_json_requires_and_stay_utf8() {
        assertThat(CanonicalJson.of("a\"b\\c\nd\u0001é€"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é€\"");
    }

    @Test
    void integral_doubles_lose_their_fraction_and_odd_ones_become_strings() {
        assertThat(CanonicalJson.of(Arrays.asList(2.0, 0.25, Double.NaN, Double.NEGATIVE_INFINITY, 7L)))
                .isEqualTo("[2,0.25,\"NaN\",\"-Infinity\",7]");
    }

    @Test
    void a_value_json_cannot_hold_is_refused() {
        assertThatThrownBy(() -> CanonicalJson.of(Map.of("when", new Object())))
                .isInstanceOf(KeelException.class).hasMessageContaining("java.lang.Object");
    }
}
