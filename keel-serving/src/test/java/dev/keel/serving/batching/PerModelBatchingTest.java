package dev.keel.serving.batching;

import dev.keel.api.Tag;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.Inference;
import dev.keel.serving.InputBinder;
import dev.keel.serving.runtime.LogisticModel;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.ModelLease;
import dev.keel.serving.runtime.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.keel.serving.batching.BatchingBench.MAX_ROUNDS;
import static dev.keel.serving.batching.BatchingBench.THREADS;
import static dev.keel.serving.batching.BatchingBench.rowsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Micro-batching chosen per model version: a version's tags {@code keel.serving.batch_size} and
 * {@code keel.serving.batch_delay} override the process default for that version only, both ways,
 * on real registered ONNX models served side by side by one {@link Inference}; a bad tag is a 400
 * naming the tag and its value.
 */
class PerModelBatchingTest {
    /** One slot: a caller finding a call in flight waits for it, so batches form whatever the scheduler does. */
    private static final BatchingOptions ON = BatchingOptions.of(THREADS, Duration.ofMillis(200)).withSlots(1);
    private static final BatchingOptions OFF_ONE_SLOT = BatchingOptions.OFF.withSlots(1);

    @TempDir
    Path dir;

    private BatchingBench bench;
    private Path onnx;

    @BeforeEach
    void register() {
        bench = new BatchingBench(dir);
        onnx = LogisticModel.train(5).onnxDirectory(dir.resolve("onnx"));
    }

    @AfterEach
    void close() {
        bench.close();
    }

    /** The next version of {@code model}, the same ONNX graph, with {@code tags}. */
    private ModelKey version(String model, Tag... tags) {
        return new ModelKey(model, bench.registry.register(model, onnx, tags).version());
    }

    /** Serving as a server composes it: {@code defaults} for every version, its tags over them. */
    private Inference serving(BatchingOptions defaults) {
        return bench.inference(BatchingPolicy.fromTags(bench.loader::tags, defaults));
    }

    private static ModelReference reference(ModelKey key) {
        return new ModelReference.ByVersion(key.name(), key.version());
    }

    private static List<Tensor> predict(Inference inference, ModelKey key, double[][] rows) {
        return inference.predict(reference(key), InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of())
                .outputs();
    }

    /**
     * Rounds of {@value BatchingBench#THREADS} callers each sending one request to both versions at
     * once (half of them to {@code batched} first), every answer checked against an unbatched serving
     * path, until {@code batched} has formed a batch. Returns the requests each version got.
     */
    private int hammer(Inference inference, ModelKey batched, ModelKey other) throws Exception {
        Inference plain = serving(BatchingOptions.OFF);
        return bench.untilBatched(() -> inference.batchingStats(batched).batches() > 0, (thread, round) -> {
            double[][] rows = rowsOf(thread, round);
            for (ModelKey key : thread % 2 == 0 ? List.of(batched, other) : List.of(other, batched)) {
                assertThat(predict(inference, key, rows)).as("thread %d round %d, %s", thread, round, key)
                        .isEqualTo(predict(plain, key, rows));
            }
        });
    }

    @Test
    void a_version_tagged_for_batching_is_batched_while_an_untagged_one_beside_it_is_not() throws Exception {
        ModelKey untagged = version("credit");
        ModelKey tagged = version("credit", new Tag(BatchingOptions.SIZE_TAG, "8"),
                new Tag(BatchingOptions.DELAY_TAG, "200ms"));
        Inference inference = serving(OFF_ONE_SLOT);

        assertThat(inference.batching(untagged)).isEqualTo(OFF_ONE_SLOT);
        assertThat(inference.batching(tagged)).isEqualTo(BatchingOptions.of(8, Duration.ofMillis(200)).withSlots(1));
        int sent = hammer(inference, tagged, untagged);

        BatchingStats batched = inference.batchingStats(tagged);
        assertThat(batched.ranAtOnce() + batched.waited()).as("every request to the tagged version went through its batcher")
                .isEqualTo(sent);
        assertThat(batched.batches()).as("some calls answered several requests within %d rounds", MAX_ROUNDS)
                .isPositive();
        assertThat(batched.requests()).isGreaterThan(batched.batches());
        assertThat(inference.batchingStats(untagged)).as("the untagged version never reached a batcher")
                .isEqualTo(BatchingStats.NONE);
    }

    @Test
    void a_tag_of_1_turns_batching_off_for_its_version_when_the_default_is_on() throws Exception {
        ModelKey untagged = version("credit");
        ModelKey off = version("credit", new Tag(BatchingOptions.SIZE_TAG, "1"));
        Inference inference = serving(ON);

        assertThat(inference.batching(untagged)).isEqualTo(ON);
        assertThat(inference.batching(off).enabled()).isFalse();
        int sent = hammer(inference, untagged, off);

        assertThat(inference.batchingStats(off)).as("the version tagged off never reached a batcher")
                .isEqualTo(BatchingStats.NONE);
        BatchingStats batched = inference.batchingStats(untagged);
        assertThat(batched.ranAtOnce() + batched.waited()).as("every request to the untagged version went through "
                + "its batcher").isEqualTo(sent);
        assertThat(batched.batches()).as("within %d rounds", MAX_ROUNDS).isPositive();
    }

    @Test
    void each_tag_overrides_its_own_part_of_the_default() {
        BatchingOptions defaults = BatchingOptions.of(16, Duration.ofMillis(3));
        assertThat(BatchingOptions.fromTags(List.of(), defaults)).isEqualTo(defaults);
        assertThat(BatchingOptions.fromTags(List.of(new Tag("owner", "risk-team")), defaults)).isEqualTo(defaults);
        assertThat(BatchingOptions.fromTags(List.of(new Tag(BatchingOptions.SIZE_TAG, " 32 ")), defaults))
                .isEqualTo(BatchingOptions.of(32, Duration.ofMillis(3)));
        assertThat(BatchingOptions.fromTags(List.of(new Tag(BatchingOptions.DELAY_TAG, "500us")), defaults))
                .isEqualTo(BatchingOptions.of(16, Duration.ofNanos(500_000)));
        assertThat(BatchingOptions.fromTags(List.of(new Tag(BatchingOptions.DELAY_TAG, "0ms")), defaults))
                .isEqualTo(BatchingOptions.of(16, Duration.ZERO));
        // a size alone over the "off" default waits the default delay, as keel serve --batch-size does
        assertThat(BatchingOptions.fromTags(List.of(new Tag(BatchingOptions.SIZE_TAG, "4")), BatchingOptions.OFF))
                .isEqualTo(BatchingOptions.of(4, BatchingOptions.DEFAULT_DELAY));
        assertThat(BatchingOptions.fromTags(List.of(new Tag(BatchingOptions.DELAY_TAG, "5ms")), BatchingOptions.OFF)
                .enabled()).as("a delay alone does not turn batching on").isFalse();
    }

    @Test
    void a_bad_tag_is_a_400_naming_the_tag_and_its_value_and_its_neighbour_still_serves() {
        ModelKey good = version("credit");
        String[][] cases = {
                {BatchingOptions.SIZE_TAG, "lots"}, {BatchingOptions.SIZE_TAG, "0"}, {BatchingOptions.SIZE_TAG, "5000"},
                {BatchingOptions.SIZE_TAG, "-8"}, {BatchingOptions.SIZE_TAG, "99999999999"}, {BatchingOptions.SIZE_TAG, ""},
                {BatchingOptions.DELAY_TAG, "soon"}, {BatchingOptions.DELAY_TAG, "2s"}, {BatchingOptions.DELAY_TAG, "-1ms"},
                {BatchingOptions.DELAY_TAG, "2"}, {BatchingOptions.DELAY_TAG, "5 minutes"},
        };
        Inference inference = serving(ON);
        double[][] rows = LogisticModel.rows(2, 7);
        for (String[] tag : cases) {
            ModelKey bad = version("credit", new Tag(tag[0], tag[1]));
            String tried = tag[0] + "=" + tag[1] + " on " + bad;
            assertThatThrownBy(() -> predict(inference, bad, rows)).as(tried)
                    .isInstanceOfSatisfying(KeelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                    .hasMessageContaining("'" + tag[0] + "'").hasMessageContaining("'" + tag[1] + "'")
                    .hasMessageContaining(bad.toString());
            // describing it (OIP metadata, readiness) is refused the same way: it cannot be served as tagged
            assertThatThrownBy(() -> {
                try (ModelLease ignored = inference.lease(reference(bad))) {
                    // leased only to be refused
                }
            }).as(tried).isInstanceOfSatisfying(KeelException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        }
        assertThat(predict(inference, good, rows)).isEqualTo(predict(serving(BatchingOptions.OFF), good, rows));
    }

    @Test
    void flags_and_tags_read_a_delay_the_same_way() {
        assertThat(BatchingOptions.parseDelay("'--batch-delay'", "2ms")).isEqualTo(Duration.ofMillis(2));
        assertThat(BatchingOptions.parseDelay("'--batch-delay'", " 2MS ")).isEqualTo(Duration.ofMillis(2));
        assertThat(BatchingOptions.parseDelay("'--batch-delay'", "500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(BatchingOptions.parseDelay("'--batch-delay'", "1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(BatchingOptions.parseDelay("'--batch-delay'", "0ms")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> BatchingOptions.parseDelay("'--batch-delay'", "1001ms"))
                .hasMessageContaining("'--batch-delay' must be at most 1000ms").hasMessageContaining("'1001ms'");
        assertThatThrownBy(() -> BatchingOptions.parseDelay("'--batch-delay'", "quickly"))
                .hasMessageContaining("'--batch-delay' must be a duration").hasMessageContaining("'quickly'");
        assertThat(BatchingOptions.of(4, Duration.ofNanos(500_000)).delayText()).isEqualTo("500us");
        assertThat(BatchingOptions.OFF.delayText()).isEqualTo("2ms");
    }
}
