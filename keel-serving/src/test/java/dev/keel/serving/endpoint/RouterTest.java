package dev.keel.serving.endpoint;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.rollout.TrafficStatistics;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.keel.serving.endpoint.Endpoints.T0;
import static dev.keel.serving.endpoint.Endpoints.canary;
import static dev.keel.serving.endpoint.Endpoints.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {
    private static final int REQUESTS = 10_000;

    private final TrafficStatistics statistics = new TrafficStatistics(Clock.systemUTC());

    private Router router(Endpoint endpoint, long seed) {
        Router router = new Router(statistics, seed);
        router.changed(endpoint);
        return router;
    }

    private static Map<String, Integer> split(Router router, String endpoint, boolean keyed) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            Route route = router.route(endpoint, keyed ? "user-" + i : null);
            counts.merge(route.variant().name(), 1, Integer::sum);
        }
        return counts;
    }

    /** Within two percentage points of {@code percent} of 10,000 requests. */
    private static void near(Map<String, Integer> counts, String variant, double percent) {
        assertThat(100.0 * counts.getOrDefault(variant, 0) / REQUESTS).as(variant + " share of " + counts)
                .isBetween(percent - 2, percent + 2);
    }

    @Test
    void a_canary_takes_its_step_weight_of_keyless_requests() {
        for (int step = 0; step < 2; step++) {
            Map<String, Integer> counts = split(router(endpoint("shop", canary(step)), 42 + step), "shop", false);
            double weight = canary(step).weight();
            near(counts, "v2", weight);
            near(counts, "v1", 100 - weight);
            assertThat(counts).doesNotContainKey("v3");
        }
    }

    @Test
    void a_canary_takes_its_step_weight_of_keyed_requests() {
        Map<String, Integer> counts = split(router(endpoint("shop", canary(0)), 1), "shop", true);
        near(counts, "v2", 10);
        near(counts, "v1", 90);
    }

    @Test
    void an_ab_test_splits_by_its_weights() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("v3", 50.0);
        weights.put("v1", 20.0);
        weights.put("v2", 30.0);
        Router router = router(endpoint("ab", new AbTest(weights)), 7);
        for (boolean keyed : new boolean[] {false, true}) {
            Map<String, Integer> counts = split(router, "ab", keyed);
            near(counts, "v1", 20);
            near(counts, "v2", 30);
            near(counts, "v3", 50);
        }
    }

    @Test
    void a_key_gets_the_same_variant_from_every_router_and_every_seed() {
        Endpoint ab = endpoint("ab", new AbTest(Map.of("v1", 50.0, "v2", 50.0)));
        // a second process: its own statistics, its own seed, the same definition
        Router here = router(ab, 1);
        Router elsewhere = new Router(new TrafficStatistics(Clock.systemUTC()), 987_654_321L);
        elsewhere.changed(ab);
        for (int i = 0; i < 2_000; i++) {
            String key = "user-" + i;
            String first = here.route("ab", key).variant().name();
            assertThat(here.route("ab", key).variant().name()).isEqualTo(first);
            assertThat(elsewhere.route("ab", key).variant().name()).as(key).isEqualTo(first);
        }
    }

    /** The order weights are written in is not part of the assignment: the same weights assign alike. */
    @Test
    void the_order_weights_are_written_in_does_not_move_keys() {
        Map<String, Double> one = new LinkedHashMap<>();
        one.put("v1", 30.0);
        one.put("v2", 70.0);
        Map<String, Double> other = new LinkedHashMap<>();
        other.put("v2", 70.0);
        other.put("v1", 30.0);
        Router a = router(endpoint("ab", new AbTest(one)), 1);
        Router b = new Router(statistics, 2);
        b.changed(endpoint("ab", new AbTest(other)));
        for (int i = 0; i < 1_000; i++) {
            assertThat(b.route("ab", "k" + i).variant()).isEqualTo(a.route("ab", "k" + i).variant());
        }
    }

    @Test
    void raising_the_canary_weight_keeps_keys_that_were_on_the_canary() {
        Router router = router(endpoint("shop", canary(0), null, 1), 1);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            before.put("user-" + i, router.route("shop", "user-" + i).variant().name());
        }
        router.changed(endpoint("shop", canary(1), null, 2));
        int moved = 0;
        for (Map.Entry<String, String> entry : before.entrySet()) {
            String now = router.route("shop", entry.getKey()).variant().name();
            if (entry.getValue().equals("v2")) {
                assertThat(now).as(entry.getKey()).isEqualTo("v2");
            } else if (!now.equals(entry.getValue())) {
                moved++;
            }
        }
        // from 10% to 50%: about 40% of all keys move, all of them from stable to canary
        assertThat(moved).isBetween(1_800, 2_200);
    }

    @Test
    void the_shadow_gets_its_percentage_of_requests_and_answers_none() {
        Router router = router(endpoint("shop", new Single("v1"), new Shadow("v3", 25), 1), 3);
        int mirrored = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Route route = router.route("shop", i % 2 == 0 ? null : "user-" + i);
            assertThat(route.variant().name()).isEqualTo("v1");
            if (route.mirror()) {
                mirrored++;
                assertThat(route.shadow().name()).isEqualTo("v3");
                assertThat(route.shadowStatistics()).isSameAs(statistics.variant("shop", "v3"));
            }
        }
        assertThat(100.0 * mirrored / REQUESTS).isBetween(23.0, 27.0);
    }

    @Test
    void a_shadow_of_none_or_all_mirrors_none_or_all() {
        Router none = router(endpoint("a", new Single("v1"), new Shadow("v3", 0), 1), 1);
        Router all = router(endpoint("b", new Single("v1"), new Shadow("v3", 100), 1), 1);
        for (int i = 0; i < 1_000; i++) {
            assertThat(none.route("a", null).mirror()).isFalse();
            assertThat(all.route("b", null).mirror()).isTrue();
        }
    }

    @Test
    void a_request_is_never_mirrored_to_the_variant_that_answered_it() {
        // the shadow was the standby; after the switch it answers, and copies to itself would be pointless
        BlueGreen switched = new BlueGreen("v1", "v3", Duration.ofMinutes(5)).switched(T0);
        Router router = router(endpoint("bg", switched, new Shadow("v3", 100), 1), 1);
        for (int i = 0; i < 1_000; i++) {
            Route route = router.route("bg", null);
            assertThat(route.variant().name()).isEqualTo("v3");
            assertThat(route.mirror()).isFalse();
        }
    }

    @Test
    void a_route_carries_the_variants_statistics_so_reporting_needs_no_lookup() {
        Router router = router(endpoint("shop", new Single("v1")), 1);
        Route route = router.route("shop", null);
        assertThat(route.statistics()).isSameAs(statistics.variant("shop", "v1"));
        assertThat(route.endpointVersion()).isEqualTo(1);
        route.statistics().record(2_000_000, true);
        assertThat(statistics.totals("shop").get("v1").errors()).isEqualTo(1);
    }

    @Test
    void the_same_seed_repeats_the_same_split() {
        Endpoint ab = endpoint("ab", new AbTest(Map.of("v1", 50.0, "v2", 50.0)));
        Router a = router(ab, 99);
        Router b = router(ab, 99);
        for (int i = 0; i < 1_000; i++) {
            assertThat(b.route("ab", null).variant()).isEqualTo(a.route("ab", null).variant());
        }
    }

    @Test
    void an_older_definition_never_replaces_a_newer_one() {
        Router router = router(endpoint("shop", new Single("v2"), null, 5), 1);
        router.changed(endpoint("shop", new Single("v1"), null, 4));
        assertThat(router.route("shop", null).variant().name()).isEqualTo("v2");
        router.deleted("shop");
        router.changed(endpoint("shop", new Single("v1"), null, 1));
        assertThat(router.route("shop", null).variant().name()).isEqualTo("v1");
    }

    @Test
    void an_unknown_endpoint_is_404() {
        Router router = new Router(statistics, 1);
        assertThatThrownBy(() -> router.route("nope\n", null)).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> router.route(null, null)).isInstanceOf(KeelException.class);
    }
}
